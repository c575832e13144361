// Damaged and unusable databases: set aside with their journals, never deleted or overwritten; unusable directories are one clear line.
import Database from 'better-sqlite3';
import { chmodSync, existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { UserError, describeError } from '../../src/errors.js';
import { openStore, SCHEMA_VERSION, type Store } from '../../src/store/index.js';
import { exited, MODES, readLines, spawnScript, tempHome } from './helpers.js';

const fixedNow = () => new Date('2026-03-01T09:30:00.123Z');
const STAMP = '2026-03-01T09-30-00-123Z';

/** A database with enough attempts to span many pages. */
function populated(home: string, env: NodeJS.ProcessEnv): string {
  const store = openStore({ home, user: 'ana', env });
  // Long answers: few commits (each one is fsynced), still dozens of pages under an interior root.
  for (let i = 0; i < 60; i++) {
    store.recordAttempt({ lesson: 'l', question: `q${i % 20}`, answer: 'x'.repeat(1500), correct: true, secondsSpent: 1, seed: i });
  }
  const path = store.path;
  store.close();
  return path;
}

function eventsIn(path: string): { kind: string; detail: string }[] {
  const raw = new Database(path, { readonly: true });
  const rows = raw.prepare(`SELECT kind, detail FROM events`).all() as { kind: string; detail: string }[];
  raw.close();
  return rows;
}

describe.each(MODES)('damaged database (journal mode %s)', (mode) => {
  let home: string;
  let cleanup: () => void;
  let store: Store | undefined;
  const env = { EDS_JOURNAL: mode };
  const reopen = () => (store = openStore({ home, user: 'ana', env }, { now: fixedNow }));

  beforeEach(() => ({ home, cleanup } = tempHome()));
  afterEach(() => {
    store?.close();
    store = undefined;
    cleanup();
  });

  /** Checks the one-line warning, the untouched copy, and that the fresh database works and remembers the move. */
  function expectSetAside(original: Buffer, reason: RegExp): void {
    const file = join(home, 'eds.db');
    const moved = `${file}.damaged-${STAMP}`;
    expect(store!.warnings).toHaveLength(1);
    expect(store!.warnings[0]).toMatch(reason);
    expect(store!.warnings[0]).toContain(`moved it to ${moved} and started a fresh one`);
    expect(store!.warnings[0]).not.toContain('\n');
    expect(readFileSync(moved).equals(original)).toBe(true);
    expect(store!.attempts()).toEqual([]);
    expect(store!.recordAttempt({ lesson: 'l', question: 'q', answer: 'a', correct: true, secondsSpent: 1, seed: null }).attemptNumber).toBe(1);
    expect(eventsIn(file)).toEqual([{ kind: 'damaged-database-set-aside', detail: expect.stringContaining(moved) }]);
  }

  it('sets aside a file that is not a database', () => {
    const garbage = Buffer.from('river,turbidity\n1,2\n'.repeat(300));
    writeFileSync(join(home, 'eds.db'), garbage);
    reopen();
    expectSetAside(garbage, /^the progress database .*eds\.db was damaged \(file is not a database\)/);
  });

  it('sets aside a truncated database', () => {
    const path = populated(home, env);
    const truncated = readFileSync(path).subarray(0, 20_000);
    writeFileSync(path, truncated);
    reopen();
    expectSetAside(truncated, /was damaged \(.*malformed.*\)/);
  });

  it('sets aside a database that opens but fails the integrity check', () => {
    const path = populated(home, env);
    const raw = new Database(path, { readonly: true });
    const root = raw.prepare(`SELECT rootpage FROM sqlite_master WHERE name = 'attempts'`).pluck().get() as number;
    const pageSize = raw.pragma('page_size', { simple: true }) as number;
    raw.close();
    // Scribble over the attempts table's root page after its 12-byte header: the file still
    // opens and reads its schema, only a structural check finds the damage.
    const bytes = readFileSync(path);
    bytes.fill(0x5a, (root - 1) * pageSize + 12, root * pageSize);
    writeFileSync(path, bytes);
    reopen();
    expectSetAside(bytes, /was damaged \(integrity check: Tree \d+ page \d+ .+\)/);
  });

  it('moves the journal files with it, so a stale WAL cannot leak into the fresh database', () => {
    const file = join(home, 'eds.db');
    writeFileSync(file, 'not a database at all, not even close'.repeat(50));
    writeFileSync(`${file}-wal`, 'stale wal');
    reopen();
    const moved = `${file}.damaged-${STAMP}`;
    expect(readFileSync(`${moved}-wal`, 'utf8')).toBe('stale wal');
    if (existsSync(`${file}-wal`)) expect(readFileSync(`${file}-wal`, 'utf8')).not.toBe('stale wal');
    store!.recordAttempt({ lesson: 'l', question: 'q', answer: 'a', correct: false, secondsSpent: 0, seed: 1 });
    expect(store!.attempts()).toHaveLength(1);
  });

  it('never overwrites an earlier damaged copy', () => {
    const file = join(home, 'eds.db');
    writeFileSync(file, 'first broken file '.repeat(100));
    reopen();
    store!.close();
    writeFileSync(file, 'second broken file '.repeat(100));
    reopen();
    expect(readFileSync(`${file}.damaged-${STAMP}`, 'utf8')).toBe('first broken file '.repeat(100));
    expect(readFileSync(`${file}.damaged-${STAMP}-2`, 'utf8')).toBe('second broken file '.repeat(100));
    expect(store!.warnings[0]).toContain(`${file}.damaged-${STAMP}-2`);
  });

  it('treats an empty file as a new database, not a damaged one', () => {
    writeFileSync(join(home, 'eds.db'), '');
    reopen();
    expect(store!.warnings).toEqual([]);
    expect(readdirSync(home).filter((f) => f.includes('damaged'))).toEqual([]);
  });

  it('refuses a database from a newer eds without touching it', () => {
    const path = populated(home, env);
    const raw = new Database(path);
    raw.pragma(`user_version = ${SCHEMA_VERSION + 1}`);
    raw.close();
    const before = readFileSync(path);
    expect(() => reopen()).toThrow(UserError);
    expect(() => reopen()).toThrow(/written by a newer eds \(schema \d+; this eds knows up to \d+\)/);
    expect(readFileSync(path).equals(before)).toBe(true);
    expect(readdirSync(home).filter((f) => f.includes('damaged'))).toEqual([]);
  });
});

describe('unusable data directory', () => {
  let home: string;
  let cleanup: () => void;
  beforeEach(() => ({ home, cleanup } = tempHome()));
  afterEach(() => cleanup());

  it('a file where the directory should be is one UserError line', () => {
    const blocked = join(home, 'blocked');
    writeFileSync(blocked, '');
    let thrown: unknown;
    try {
      openStore({ home: join(blocked, 'eds'), user: 'ana', env: {} });
    } catch (err) {
      thrown = err;
    }
    expect(thrown).toBeInstanceOf(UserError);
    expect(describeError(thrown).text.split('\n')[0]).toBe(`eds: cannot use the data directory ${join(blocked, 'eds')}: a file is in the way of the directory`);
  });

  it('a directory the student may not enter is one UserError line, not a stack', async () => {
    const locked = join(home, 'locked');
    mkdirSync(locked, { mode: 0o700 });
    const target = join(locked, 'eds');
    let line: string;
    if (process.getuid?.() === 0) {
      // root ignores permissions: try as an ordinary user in a child process.
      chmodSync(home, 0o755);
      const child = spawnScript('open-child.ts', [target], {}, 65534);
      const lines: string[] = [];
      const { stderr } = readLines(child, (l) => lines.push(l));
      const { code } = await exited(child);
      expect(stderr()).toBe('');
      expect(code).toBe(0);
      line = lines[0]!;
    } else {
      chmodSync(locked, 0o000);
      try {
        openStore({ home: target, user: 'ana', env: {} });
        line = 'opened';
      } catch (err) {
        expect(err).toBeInstanceOf(UserError);
        line = describeError(err).text.split('\n')[0]!;
      } finally {
        chmodSync(locked, 0o700);
      }
    }
    expect(line).toBe(`eds: cannot use the data directory ${target}: permission denied`);
  });
});
