// Every attempt gets a random id when it is recorded, so reports can tell apart the answers of two stores
// (a damaged store moved aside starts its row ids at 1 again). Old databases keep working.
import Database from 'better-sqlite3';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { MIGRATIONS, openStore } from '../../src/store/index.js';
import { migrate } from '../../src/store/schema.js';
import { tempHome } from './helpers.js';

const env = { EDS_JOURNAL: 'delete' } as NodeJS.ProcessEnv;
const input = { lesson: 'river', question: 'q1', answer: '0.5', correct: true, secondsSpent: 3, seed: 7 };
let cleanups: Array<() => void> = [];
afterEach(() => {
  for (const c of cleanups) c();
  cleanups = [];
});
function home(): string {
  const h = tempHome();
  cleanups.push(h.cleanup);
  return h.home;
}

describe('attempt identity and grading detail', () => {
  it('gives every attempt a distinct random uuid, also across two stores whose row ids collide', () => {
    const a = openStore({ home: home(), user: 'ana', env });
    const b = openStore({ home: home(), user: 'ana', env });
    const ua = [a.recordAttempt(input), a.recordAttempt(input)];
    const ub = [b.recordAttempt(input)];
    expect(ua[0]!.id).toBe(ub[0]!.id);
    const ids = [...ua, ...ub].map((x) => x.uuid);
    for (const id of ids) expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(new Set(ids).size).toBe(3);
    a.close();
    b.close();
  });

  it('keeps how an attempt was graded and what it was checked against, and reads them back', () => {
    const s = openStore({ home: home(), user: 'ana', env });
    s.recordAttempt({ ...input, grading: 'predict', detail: { run: { step: 'fit-log', options: { model: 'ransac' } }, expected: 1.02 } });
    s.recordAttempt(input);
    const [first, second] = s.attempts();
    expect(first!.grading).toBe('predict');
    expect(first!.detail).toEqual({ run: { step: 'fit-log', options: { model: 'ransac' } }, expected: 1.02 });
    expect(second!.grading).toBe('auto');
    expect(second!.detail).toBeNull();
    s.close();
  });

  it('refuses a detail that would not fit a course record, or a grading it does not know', () => {
    const s = openStore({ home: home(), user: 'ana', env });
    expect(() => s.recordAttempt({ ...input, detail: { text: 'x'.repeat(2000) } })).toThrow(/at most 1024 bytes/);
    expect(() => s.recordAttempt({ ...input, grading: 'teacher' as never })).toThrow(/grading must be/);
    expect(() => s.recordAttempt({ ...input, detail: { a: { b: { c: { d: 1 } } } } })).toThrow(/nested at most 3 deep/);
    expect(s.recordAttempt({ ...input, detail: { run: { options: { model: 'ransac' } } } }).detail).toEqual({ run: { options: { model: 'ransac' } } });
    expect(s.attempts()).toHaveLength(1);
    s.close();
  });

  it('upgrades a database of schema 1: old rows keep a null uuid, new rows get one', () => {
    const h = home();
    const db = new Database(join(h, 'eds.db'));
    migrate(db, 'eds.db', MIGRATIONS.slice(0, 1));
    db.prepare(
      `INSERT INTO attempts (time, user, lesson, question, answer, correct, attempt_number, seconds_spent, seed, version)
       VALUES ('2026-01-01T00:00:00.000Z', 'ana', 'river', 'q1', 'B', NULL, 1, 2, 3, '0.1.0')`,
    ).run();
    db.close();
    const s = openStore({ home: h, user: 'ana', env });
    s.recordAttempt(input);
    const [old, fresh] = s.attempts();
    expect(old!.uuid).toBeNull();
    expect(old!.grading).toBeNull();
    expect(old!.correct).toBeNull();
    expect(fresh!.uuid).not.toBeNull();
    expect(fresh!.attemptNumber).toBe(2);
    s.close();
  });
});
