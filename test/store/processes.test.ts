// Real processes against one database: a writer killed with SIGKILL loses nothing it reported, and two writers at once lose nothing and never share an attempt number.
import Database from 'better-sqlite3';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openStore, type Attempt } from '../../src/store/index.js';
import { exited, MODES, readLines, spawnScript, tempHome } from './helpers.js';

/** An attempt as the child printed it after `recordAttempt` returned. */
interface Reported {
  id: number;
  question: string;
  attemptNumber: number;
}

/** A writer.ts child and what it has reported so far. */
interface Writer {
  /** Resolves when the child has exited. */
  done: Promise<{ reported: Reported[]; journalMode: string; code: number | null; signal: string | null; stderr: string }>;
  /** Resolves once the store is open (the child printed "ready"). */
  ready: Promise<void>;
  /** Lets a writer started with `wait` begin writing. */
  go: () => void;
}

/** Starts writer.ts; kills it with SIGKILL once it has reported `killAfter` attempts (if given). */
function startWriter(home: string, mode: string, opts: { count: number; questions: number; killAfter?: number; wait?: boolean; pauseMs?: number }): Writer {
  const args = [home, 'ana', String(opts.count), String(opts.questions), ...(opts.wait ? ['wait'] : [])];
  const child = spawnScript('writer.ts', args, { EDS_JOURNAL: mode, EDS_TEST_PAUSE_MS: String(opts.pauseMs ?? 0) });
  const reported: Reported[] = [];
  let journalMode = '';
  let markReady = () => {};
  const ready = new Promise<void>((resolve) => (markReady = resolve));
  const { stderr } = readLines(child, (line) => {
    if (line.startsWith('ready ')) {
      journalMode = line.slice('ready '.length);
      markReady();
      return;
    }
    const [id, question, n] = line.split(' ');
    reported.push({ id: Number(id), question: question!, attemptNumber: Number(n) });
    if (opts.killAfter !== undefined && reported.length === opts.killAfter) child.kill('SIGKILL');
  });
  const done = exited(child).then(({ code, signal }) => {
    markReady(); // a child that died before opening must not leave the test waiting
    return { reported, journalMode, code, signal, stderr: stderr() };
  });
  return { done, ready, go: () => child.stdin!.end('go\n') };
}

/** Opens the database raw and runs SQLite's full integrity check. */
function integrity(path: string): string {
  const raw = new Database(path);
  const result = raw.pragma('integrity_check', { simple: true }) as string;
  raw.close();
  return result;
}

/** Every question's attempt numbers are exactly 1, 2, …, n in log order: none lost, none doubled. */
function expectContiguousNumbers(attempts: Attempt[]): void {
  const byQuestion = new Map<string, number[]>();
  for (const a of attempts) byQuestion.set(a.question, [...(byQuestion.get(a.question) ?? []), a.attemptNumber]);
  for (const numbers of byQuestion.values()) expect(numbers).toEqual(numbers.map((_, i) => i + 1));
}

describe.each(MODES)('processes sharing the database (journal mode %s)', (mode) => {
  let home: string;
  let cleanup: () => void;
  beforeEach(() => ({ home, cleanup } = tempHome()));
  afterEach(() => cleanup());

  it('a writer killed with SIGKILL mid-run loses no attempt it reported, twice over', async () => {
    const reported: Reported[] = [];
    for (const killAfter of [60, 45]) {
      const run = await startWriter(home, mode, { count: 1_000_000, questions: 7, killAfter }).done;
      expect(run.stderr).toBe('');
      expect(run.journalMode).toBe(mode);
      expect(run.signal).toBe('SIGKILL');
      expect(run.reported.length).toBeGreaterThanOrEqual(killAfter);
      reported.push(...run.reported);
    }
    // The second writer opened after the first was killed (a hot journal or WAL to recover) and carried on counting.
    const store = openStore({ home, user: 'ana', env: { EDS_JOURNAL: mode } });
    try {
      expect(store.warnings).toEqual([]);
      const logged = new Map(store.attempts().map((a) => [a.id, a]));
      for (const r of reported) expect(logged.get(r.id)).toMatchObject({ question: r.question, attemptNumber: r.attemptNumber });
      expectContiguousNumbers(store.attempts());
    } finally {
      store.close();
    }
    expect(integrity(join(home, 'eds.db'))).toBe('ok');
    expect(readdirSync(home).filter((f) => f.includes('damaged'))).toEqual([]);
  });

  it('two writers at once on a new database: every row kept, attempt numbers never shared', async () => {
    const count = 200;
    const writers = [0, 1].map(() => startWriter(home, mode, { count, questions: 5, wait: true, pauseMs: 3 }));
    // Both open the new database at once, then both write at once.
    await Promise.all(writers.map((w) => w.ready));
    for (const w of writers) w.go();
    const [a, b] = await Promise.all(writers.map((w) => w.done));
    if (!a || !b) throw new Error('two writers expected');
    for (const run of [a, b]) {
      expect(run.stderr).toBe('');
      expect(run.code).toBe(0);
      expect(run.journalMode).toBe(mode);
      expect(run.reported).toHaveLength(count);
    }
    const store = openStore({ home, user: 'ana', env: { EDS_JOURNAL: mode } });
    try {
      const attempts = store.attempts();
      expect(attempts).toHaveLength(2 * count);
      expect(new Set(attempts.map((x) => x.id)).size).toBe(2 * count);
      const logged = new Map(attempts.map((x) => [x.id, x]));
      for (const r of [...a.reported, ...b.reported]) {
        expect(logged.get(r.id)).toMatchObject({ question: r.question, attemptNumber: r.attemptNumber });
      }
      expectContiguousNumbers(attempts);
      // They really overlapped: each committed rows while the other was still writing.
      const ids = (run: { reported: Reported[] }) => run.reported.map((r) => r.id);
      expect(Math.min(...ids(a))).toBeLessThan(Math.max(...ids(b)));
      expect(Math.min(...ids(b))).toBeLessThan(Math.max(...ids(a)));
      expect(store.attemptCount('crash', 'q0')).toBe((2 * count) / 5);
    } finally {
      store.close();
    }
    expect(integrity(join(home, 'eds.db'))).toBe('ok');
  });
});
