// Measures what the TUI's first frame waits for: openStore + lastPosition on a database with 10,000 attempts (not a test; run with vite-node).
//
// Usage: node_modules/.bin/vite-node test/store/bench-open.ts [ATTEMPTS]
import Database from 'better-sqlite3';
import { openStore } from '../../src/store/index.js';
import { MODES, tempHome } from './helpers.js';

const attempts = Number(process.argv[2] ?? 10_000);
const runs = 30;
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

for (const mode of MODES) {
  const { home, cleanup } = tempHome();
  const env = { EDS_JOURNAL: mode };
  const store = openStore({ home, user: 'ana', env });
  // Six lessons of 30 steps, as a student near the end of the course has.
  for (let l = 0; l < 6; l++)
    for (let s = 0; s < 30; s++) store.saveStep(`lesson${l}`, `step${s}`, s, { options: { model: 'huber' }, results: { rmse_test: 0.3 } });
  const path = store.path;
  store.close();
  // Bulk rows in one transaction: the API commits (and fsyncs) one attempt at a time.
  const raw = new Database(path);
  const insert = raw.prepare(`INSERT INTO attempts (time, user, lesson, question, answer, correct, attempt_number, seconds_spent, seed, version)
    VALUES (?, 'ana', ?, ?, ?, 1, ?, 12.5, 1234, '0.1.0')`);
  raw.transaction(() => {
    for (let i = 0; i < attempts; i++) insert.run(new Date().toISOString(), `lesson${i % 6}`, `q${i % 50}`, `answer number ${i}`, i + 1);
  })();
  raw.close();

  const open: number[] = [];
  const check: number[] = [];
  for (let r = 0; r < runs; r++) {
    const t0 = performance.now();
    const s = openStore({ home, user: 'ana', env });
    s.lastPosition();
    open.push(performance.now() - t0);
    s.close();
    const d = new Database(path);
    const t1 = performance.now();
    d.pragma('quick_check(1)');
    check.push(performance.now() - t1);
    d.close();
  }
  const { size } = await import('node:fs').then((fs) => fs.statSync(path));
  console.log(
    `${mode}: ${attempts} attempts, ${(size / 1e6).toFixed(1)} MB: openStore + lastPosition median ${median(open).toFixed(2)} ms ` +
      `(max ${Math.max(...open).toFixed(2)}), of which quick_check ${median(check).toFixed(2)} ms`,
  );
  cleanup();
}
