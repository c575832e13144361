// The per-student store: progress per lesson and step, and the append-only attempt log, in one SQLite file.
import { randomUUID } from 'node:crypto';
import type Database from 'better-sqlite3';
import { VERSION } from '../version.js';
import { currentUser, dataHome } from './paths.js';
import { openDatabase, sqliteError, type OpenDatabaseHooks } from './open.js';
import { MAX_ATTEMPT_DETAIL_BYTES, MAX_ATTEMPT_DETAIL_DEPTH } from './types.js';
import type { Attempt, AttemptFilter, AttemptGrading, AttemptInput, LastPosition, LessonProgress, StepState, Store, StoreOptions } from './types.js';

/**
 * Opens this student's store, creating its directory (0700) and schema if needed.
 * Throws `UserError` (one line for the student) when the directory or file cannot be used.
 */
export function openStore(options: StoreOptions = {}, hooks: OpenDatabaseHooks = {}): Store {
  const env = options.env ?? process.env;
  const home = options.home ?? dataHome(env);
  const user = options.user ?? currentUser(env);
  const opened = openDatabase(home, user, env, hooks);
  return new SqliteStore(opened.db, opened.file, user, opened.journalMode, opened.warnings);
}

interface AttemptRow {
  id: number;
  time: string;
  user: string;
  lesson: string;
  question: string;
  answer: string;
  correct: number | null;
  attempt_number: number;
  seconds_spent: number;
  seed: number | null;
  version: string;
  uuid: string | null;
  grading: string | null;
  detail: string | null;
}

interface ProgressRow {
  lesson: string;
  current_step: number;
  updated: string;
}

interface StepRow {
  lesson: string;
  step_id: string;
  state: string | null;
  completed: number;
}

class SqliteStore implements Store {
  readonly path: string;
  readonly user: string;
  readonly journalMode: 'wal' | 'delete';
  readonly warnings: string[];
  private readonly db: Database.Database;
  private readonly stmt: ReturnType<typeof prepareStatements>;

  constructor(db: Database.Database, path: string, user: string, journalMode: 'wal' | 'delete', warnings: string[]) {
    this.db = db;
    this.path = path;
    this.user = user;
    this.journalMode = journalMode;
    this.warnings = warnings;
    this.stmt = prepareStatements(db);
  }

  recordAttempt(input: AttemptInput): Attempt {
    checkAttemptInput(input);
    // IMMEDIATE takes the write lock before reading the previous count, so two processes of
    // the same student cannot both compute the same attempt number (UNIQUE would refuse it).
    const row = this.guard(() =>
      this.db
        .transaction(
          () =>
            this.stmt.insertAttempt.get({
              time: new Date().toISOString(),
              user: this.user,
              lesson: input.lesson,
              question: input.question,
              answer: input.answer,
              correct: input.correct === null ? null : input.correct ? 1 : 0,
              seconds: input.secondsSpent,
              seed: input.seed,
              version: VERSION,
              uuid: randomUUID(),
              grading: input.grading ?? 'auto',
              detail: input.detail === undefined ? null : JSON.stringify(input.detail),
            }) as AttemptRow,
        )
        .immediate(),
    );
    return toAttempt(row);
  }

  attempts(filter: AttemptFilter = {}): Attempt[] {
    const rows = this.guard(
      () => this.stmt.attempts.all({ user: this.user, lesson: filter.lesson ?? null, question: filter.question ?? null }) as AttemptRow[],
    );
    return rows.map(toAttempt);
  }

  attemptCount(lesson: string, question: string): number {
    return this.guard(() => this.stmt.attemptCount.pluck().get(this.user, lesson, question) as number);
  }

  progress(lesson: string): LessonProgress | null {
    // One read transaction, so the steps belong to the progress row read with them.
    return this.guard(() =>
      this.db.transaction(() => {
        const row = this.stmt.progress.get(this.user, lesson) as ProgressRow | undefined;
        return row ? toProgress(row, this.stmt.stepsOf.all(this.user, lesson) as StepRow[]) : null;
      })(),
    );
  }

  allProgress(): LessonProgress[] {
    const [rows, steps] = this.guard(() =>
      this.db.transaction(() => [this.stmt.allProgress.all(this.user) as ProgressRow[], this.stmt.allSteps.all(this.user) as StepRow[]] as const)(),
    );
    return rows.map((row) =>
      toProgress(
        row,
        steps.filter((s) => s.lesson === row.lesson),
      ),
    );
  }

  saveStep(lesson: string, stepId: string, stepIndex: number, state: StepState): void {
    checkId('lesson', lesson);
    checkId('step id', stepId);
    if (!Number.isInteger(stepIndex) || stepIndex < 0) throw new TypeError(`step index must be an integer ≥ 0, got ${stepIndex}`);
    const now = new Date().toISOString();
    const json = JSON.stringify(state);
    this.guard(() =>
      this.db
        .transaction(() => {
          this.stmt.saveStep.run({ user: this.user, lesson, stepId, state: json, now });
          this.stmt.touchProgress.run({ user: this.user, lesson, step: stepIndex, now });
        })
        .immediate(),
    );
  }

  completeStep(lesson: string, stepId: string): void {
    checkId('lesson', lesson);
    checkId('step id', stepId);
    const now = new Date().toISOString();
    this.guard(() =>
      this.db
        .transaction(() => {
          this.stmt.completeStep.run({ user: this.user, lesson, stepId, now });
          // null keeps the current step of a lesson already started (and starts a new one at 0).
          this.stmt.touchProgress.run({ user: this.user, lesson, step: null, now });
        })
        .immediate(),
    );
  }

  resetLesson(lesson: string): void {
    const now = new Date().toISOString();
    this.guard(() =>
      this.db
        .transaction(() => {
          const before = this.progress(lesson);
          this.stmt.deleteSteps.run(this.user, lesson);
          this.stmt.deleteProgress.run(this.user, lesson);
          // What was lost, so an instructor reading the events can tell a reset from a new student.
          const detail = before ? JSON.stringify({ currentStep: before.currentStep, completed: before.completed }) : null;
          this.stmt.insertEvent.run(now, this.user, 'reset', lesson, detail);
        })
        .immediate(),
    );
  }

  lastPosition(): LastPosition | null {
    const row = this.guard(() => this.stmt.lastPosition.get(this.user) as { lesson: string; current_step: number } | undefined);
    return row ? { lesson: row.lesson, step: row.current_step } : null;
  }

  setting(key: string): string | null {
    const value = this.guard(() => this.stmt.setting.pluck().get(this.user, key) as string | undefined);
    return value ?? null;
  }

  setSetting(key: string, value: string): void {
    checkId('setting key', key);
    if (typeof value !== 'string') throw new TypeError(`setting ${key} must be a string`);
    this.guard(() => this.stmt.setSetting.run(this.user, key, value));
  }

  close(): void {
    if (this.db.open) this.db.close();
  }

  /** Runs a statement, turning a lock held too long or a full disk into one line for the student. */
  private guard<T>(fn: () => T): T {
    try {
      return fn();
    } catch (err) {
      throw sqliteError(err, this.path);
    }
  }
}

function prepareStatements(db: Database.Database) {
  return {
    // The aggregate always yields one row, so the insert happens even for a first attempt.
    insertAttempt: db.prepare(`
      INSERT INTO attempts (time, user, lesson, question, answer, correct, attempt_number, seconds_spent, seed, version, uuid, grading, detail)
      SELECT @time, @user, @lesson, @question, @answer, @correct, coalesce(max(attempt_number), 0) + 1, @seconds, @seed, @version, @uuid, @grading, @detail
        FROM attempts WHERE user = @user AND lesson = @lesson AND question = @question
      RETURNING *`),
    attempts: db.prepare(`
      SELECT * FROM attempts
       WHERE user = @user AND (@lesson IS NULL OR lesson = @lesson) AND (@question IS NULL OR question = @question)
       ORDER BY id`),
    attemptCount: db.prepare(`SELECT count(*) FROM attempts WHERE user = ? AND lesson = ? AND question = ?`),
    progress: db.prepare(`SELECT lesson, current_step, updated FROM progress WHERE user = ? AND lesson = ?`),
    allProgress: db.prepare(`SELECT lesson, current_step, updated FROM progress WHERE user = ? ORDER BY touch DESC`),
    stepsOf: db.prepare(`SELECT lesson, step_id, state, completed FROM steps WHERE user = ? AND lesson = ? ORDER BY rowid`),
    allSteps: db.prepare(`SELECT lesson, step_id, state, completed FROM steps WHERE user = ? ORDER BY rowid`),
    saveStep: db.prepare(`
      INSERT INTO steps (user, lesson, step_id, state, completed, updated) VALUES (@user, @lesson, @stepId, @state, 0, @now)
      ON CONFLICT (user, lesson, step_id) DO UPDATE SET state = excluded.state, updated = excluded.updated`),
    completeStep: db.prepare(`
      INSERT INTO steps (user, lesson, step_id, state, completed, updated) VALUES (@user, @lesson, @stepId, NULL, 1, @now)
      ON CONFLICT (user, lesson, step_id) DO UPDATE SET completed = 1, updated = excluded.updated`),
    touchProgress: db.prepare(`
      INSERT INTO progress (user, lesson, current_step, updated, touch)
      VALUES (@user, @lesson, coalesce(@step, 0), @now, (SELECT coalesce(max(touch), 0) + 1 FROM progress))
      ON CONFLICT (user, lesson) DO UPDATE SET
        current_step = coalesce(@step, current_step), updated = excluded.updated, touch = excluded.touch`),
    deleteSteps: db.prepare(`DELETE FROM steps WHERE user = ? AND lesson = ?`),
    deleteProgress: db.prepare(`DELETE FROM progress WHERE user = ? AND lesson = ?`),
    insertEvent: db.prepare(`INSERT INTO events (time, user, kind, lesson, detail) VALUES (?, ?, ?, ?, ?)`),
    lastPosition: db.prepare(`SELECT lesson, current_step FROM progress WHERE user = ? ORDER BY touch DESC LIMIT 1`),
    setting: db.prepare(`SELECT value FROM settings WHERE user = ? AND key = ?`),
    setSetting: db.prepare(`
      INSERT INTO settings (user, key, value) VALUES (?, ?, ?)
      ON CONFLICT (user, key) DO UPDATE SET value = excluded.value`),
  };
}

function toAttempt(row: AttemptRow): Attempt {
  return {
    id: row.id,
    time: row.time,
    user: row.user,
    lesson: row.lesson,
    question: row.question,
    answer: row.answer,
    correct: row.correct === null ? null : row.correct === 1,
    attemptNumber: row.attempt_number,
    secondsSpent: row.seconds_spent,
    seed: row.seed,
    version: row.version,
    uuid: row.uuid ?? null,
    grading: isGrading(row.grading) ? row.grading : null,
    detail: parseDetail(row.detail),
  };
}

/** Nesting depth of a JSON value, the object itself being 1 (iterative: the input is bounded in size, not in shape). */
function depthOf(value: unknown): number {
  let deepest = 0;
  const stack: Array<[unknown, number]> = [[value, 1]];
  while (stack.length > 0) {
    const [v, depth] = stack.pop()!;
    if (v === null || typeof v !== 'object') continue;
    deepest = Math.max(deepest, depth);
    for (const child of Object.values(v)) if (child !== null && typeof child === 'object') stack.push([child, depth + 1]);
  }
  return deepest;
}

function isGrading(v: string | null): v is AttemptGrading {
  return v === 'auto' || v === 'review' || v === 'predict';
}

/** The stored detail object, or null (only this store writes it; anything else is ignored, not trusted). */
function parseDetail(text: string | null): Record<string, unknown> | null {
  if (text === null) return null;
  try {
    const v: unknown = JSON.parse(text);
    return v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}

function toProgress(row: ProgressRow, steps: StepRow[]): LessonProgress {
  const states: Record<string, StepState> = {};
  for (const s of steps) {
    if (s.state !== null) states[s.step_id] = parseState(s.state);
  }
  return {
    lesson: row.lesson,
    currentStep: row.current_step,
    completed: steps.filter((s) => s.completed === 1).map((s) => s.step_id),
    states,
    updated: row.updated,
  };
}

function parseState(json: string): StepState {
  try {
    const value: unknown = JSON.parse(json);
    return value !== null && typeof value === 'object' ? (value as StepState) : {};
  } catch {
    // Only our own JSON.stringify writes this column; an unreadable state just starts the step afresh.
    return {};
  }
}

function checkId(what: string, value: unknown): void {
  if (typeof value !== 'string' || value === '') throw new TypeError(`${what} must be a non-empty string`);
}

// Wrong input here is a bug in the caller (the lesson engine), not something a student did.
function checkAttemptInput(input: AttemptInput): void {
  checkId('lesson', input.lesson);
  checkId('question id', input.question);
  if (typeof input.answer !== 'string') throw new TypeError('answer must be a string (the answer as given)');
  if (input.correct !== null && typeof input.correct !== 'boolean') throw new TypeError('correct must be true, false or null');
  if (!Number.isFinite(input.secondsSpent) || input.secondsSpent < 0) {
    throw new TypeError(`secondsSpent must be a finite number ≥ 0, got ${input.secondsSpent}`);
  }
  if (input.seed !== null && !Number.isSafeInteger(input.seed)) throw new TypeError(`seed must be an integer or null, got ${input.seed}`);
  if (input.grading !== undefined && !isGrading(input.grading)) throw new TypeError(`grading must be auto, review or predict, got ${String(input.grading)}`);
  if (input.detail !== undefined) {
    if (input.detail === null || typeof input.detail !== 'object' || Array.isArray(input.detail)) throw new TypeError('detail must be a plain object');
    if (depthOf(input.detail) > MAX_ATTEMPT_DETAIL_DEPTH)
      throw new TypeError(`detail must be nested at most ${MAX_ATTEMPT_DETAIL_DEPTH} deep (course records refuse deeper ones)`);
    const bytes = Buffer.byteLength(JSON.stringify(input.detail));
    if (bytes > MAX_ATTEMPT_DETAIL_BYTES) throw new TypeError(`detail must be at most ${MAX_ATTEMPT_DETAIL_BYTES} bytes of JSON, got ${bytes}`);
  }
}
