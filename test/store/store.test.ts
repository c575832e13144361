// The store's API in both journal modes: attempts, progress, resets, resume position, settings, and what is on disk.
import Database from 'better-sqlite3';
import { statSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openStore, SCHEMA_VERSION, type AttemptInput, type Store } from '../../src/store/index.js';
import { VERSION } from '../../src/version.js';
import { MODES, tempHome } from './helpers.js';

const answer = (over: Partial<AttemptInput> = {}): AttemptInput => ({
  lesson: 'regression',
  question: 'rmse',
  answer: '0.42',
  correct: true,
  secondsSpent: 12.5,
  seed: 1234,
  ...over,
});

describe.each(MODES)('store with journal mode %s', (mode) => {
  let home: string;
  let cleanup: () => void;
  let store: Store;
  const env = { EDS_JOURNAL: mode };
  const open = (user = 'ana'): Store => openStore({ home, user, env });

  beforeEach(() => {
    ({ home, cleanup } = tempHome());
    store = open();
  });
  afterEach(() => {
    store.close();
    cleanup();
  });

  it('opens in the requested mode with FULL sync, a private file, and the current schema', () => {
    expect(store.journalMode).toBe(mode);
    expect(store.path).toBe(join(home, 'eds.db'));
    expect(store.warnings).toEqual([]);
    expect(statSync(store.path).mode & 0o777).toBe(0o600);
    const raw = new Database(store.path, { readonly: true });
    expect(raw.pragma('journal_mode', { simple: true })).toBe(mode);
    expect(raw.pragma('user_version', { simple: true })).toBe(SCHEMA_VERSION);
    raw.close();
  });

  it('creates a missing data directory as 0700', () => {
    const nested = join(home, 'a', 'b');
    const s = openStore({ home: nested, user: 'ana', env });
    s.close();
    expect(statSync(nested).mode & 0o777).toBe(0o700);
  });

  it('logs an attempt with every field, filling in time, user, number and version', () => {
    const before = Date.now();
    const a = store.recordAttempt(answer({ correct: null, seed: null }));
    expect(a).toMatchObject({
      user: 'ana',
      lesson: 'regression',
      question: 'rmse',
      answer: '0.42',
      correct: null,
      attemptNumber: 1,
      secondsSpent: 12.5,
      seed: null,
      version: VERSION,
    });
    expect(Date.parse(a.time)).toBeGreaterThanOrEqual(before - 1);
    expect(store.attempts()).toEqual([a]);
  });

  it('numbers attempts per question and keeps them across a reset and a reopen', () => {
    store.recordAttempt(answer({ correct: false }));
    store.recordAttempt(answer({ question: 'r2' }));
    store.recordAttempt(answer({ lesson: 'volcano' }));
    store.resetLesson('regression');
    store.close();
    store = open();
    const third = store.recordAttempt(answer({ answer: '0.40' }));
    expect(third.attemptNumber).toBe(2);
    expect(store.attemptCount('regression', 'rmse')).toBe(2);
    expect(store.attemptCount('regression', 'r2')).toBe(1);
    expect(store.attemptCount('regression', 'nope')).toBe(0);
    expect(store.attempts({ lesson: 'regression', question: 'rmse' }).map((a) => [a.answer, a.correct, a.attemptNumber])).toEqual([
      ['0.42', false, 1],
      ['0.40', true, 2],
    ]);
    expect(store.attempts({ lesson: 'volcano' })).toHaveLength(1);
    expect(store.attempts({ question: 'rmse' })).toHaveLength(3);
  });

  it('keeps each user apart in a shared database', () => {
    store.recordAttempt(answer());
    store.saveStep('regression', 'fit', 3, {});
    store.setSetting('seed:regression', '11');
    const ben = open('ben');
    expect(ben.recordAttempt(answer()).attemptNumber).toBe(1);
    expect(ben.attempts()).toHaveLength(1);
    expect(ben.progress('regression')).toBeNull();
    expect(ben.lastPosition()).toBeNull();
    expect(ben.setting('seed:regression')).toBeNull();
    ben.close();
    expect(store.attempts()).toHaveLength(1);
  });

  it('refuses to update or delete logged attempts, even through raw SQL', () => {
    store.recordAttempt(answer());
    const raw = new Database(store.path);
    expect(() => raw.prepare(`UPDATE attempts SET correct = 1`).run()).toThrow(/append-only/);
    expect(() => raw.prepare(`DELETE FROM attempts`).run()).toThrow(/append-only/);
    raw.close();
    expect(store.attempts()).toHaveLength(1);
  });

  it('rejects malformed attempts without logging them', () => {
    expect(() => store.recordAttempt(answer({ lesson: '' }))).toThrow(TypeError);
    expect(() => store.recordAttempt(answer({ secondsSpent: Number.NaN }))).toThrow(/secondsSpent/);
    expect(() => store.recordAttempt(answer({ seed: 1.5 }))).toThrow(/seed/);
    expect(() => store.recordAttempt({ ...answer(), answer: 42 as unknown as string })).toThrow(/answer/);
    expect(store.attempts()).toEqual([]);
  });

  it('saves step state and completion, and restores them after a reopen', () => {
    expect(store.progress('regression')).toBeNull();
    store.saveStep('regression', 'fit', 2, { options: { model: 'huber' }, results: { rmse_test: 0.31 }, scroll: 4 });
    store.completeStep('regression', 'intro');
    store.saveStep('regression', 'fit', 3, { options: { model: 'ransac' } });
    store.completeStep('regression', 'fit');
    store.close();
    store = open();
    const p = store.progress('regression');
    expect(p).toMatchObject({
      lesson: 'regression',
      currentStep: 3,
      states: { fit: { options: { model: 'ransac' } } },
    });
    expect([...p!.completed].sort()).toEqual(['fit', 'intro']);
    expect(Number.isNaN(Date.parse(p!.updated))).toBe(false);
  });

  it('completing a step of an unstarted lesson starts it at step 0, and keeps the current step otherwise', () => {
    store.completeStep('volcano', 'intro');
    expect(store.progress('volcano')).toMatchObject({ currentStep: 0, completed: ['intro'], states: {} });
    store.saveStep('volcano', 'features', 5, {});
    store.completeStep('volcano', 'features');
    expect(store.progress('volcano')!.currentStep).toBe(5);
  });

  it('resumes where the student last was, not where they went furthest', () => {
    expect(store.lastPosition()).toBeNull();
    store.saveStep('regression', 'fit', 4, {});
    store.saveStep('volcano', 'intro', 1, {});
    expect(store.lastPosition()).toEqual({ lesson: 'volcano', step: 1 });
    // Same millisecond or not, the later call wins.
    store.saveStep('regression', 'fit', 5, {});
    expect(store.lastPosition()).toEqual({ lesson: 'regression', step: 5 });
    expect(store.allProgress().map((p) => p.lesson)).toEqual(['regression', 'volcano']);
    store.resetLesson('regression');
    expect(store.lastPosition()).toEqual({ lesson: 'volcano', step: 1 });
  });

  it('a reset forgets progress, keeps attempts, and logs an event saying what was lost', () => {
    store.saveStep('regression', 'fit', 2, { scroll: 1 });
    store.completeStep('regression', 'intro');
    store.recordAttempt(answer());
    store.resetLesson('regression');
    expect(store.progress('regression')).toBeNull();
    expect(store.allProgress()).toEqual([]);
    expect(store.attempts()).toHaveLength(1);
    const raw = new Database(store.path, { readonly: true });
    const events = raw.prepare(`SELECT user, kind, lesson, detail FROM events`).all();
    raw.close();
    expect(events).toEqual([{ user: 'ana', kind: 'reset', lesson: 'regression', detail: JSON.stringify({ currentStep: 2, completed: ['intro'] }) }]);
  });

  it('stores settings and replaces them', () => {
    expect(store.setting('seed:regression')).toBeNull();
    store.setSetting('seed:regression', '42');
    store.setSetting('seed:regression', '43');
    store.close();
    store = open();
    expect(store.setting('seed:regression')).toBe('43');
  });

  it('rejects a bad step index', () => {
    expect(() => store.saveStep('regression', 'fit', -1, {})).toThrow(/step index/);
    expect(() => store.saveStep('regression', 'fit', 1.5, {})).toThrow(/step index/);
    expect(store.progress('regression')).toBeNull();
  });

  it('close is idempotent', () => {
    store.close();
    expect(() => store.close()).not.toThrow();
  });
});
