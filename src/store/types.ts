// The store's public shape: per-student progress and the append-only attempt log.

/** One quiz attempt, as logged (append-only; never updated or deleted). */
export interface Attempt {
  /** Row id in the log. */
  id: number;
  /** ISO 8601 time the answer was committed. */
  time: string;
  /** Student login (from $EDS_USER, else the OS user name). */
  user: string;
  /** Lesson id. */
  lesson: string;
  /** Question id (unique within the lesson). */
  question: string;
  /** The answer exactly as the student gave it. */
  answer: string;
  /** Whether it was graded correct. Predict questions committed before the run are logged as correct=null. */
  correct: boolean | null;
  /** 1 for the first attempt at this question, 2 for the second, … (counted since the last reset too). */
  attemptNumber: number;
  /** Seconds between showing the question and this answer. */
  secondsSpent: number;
  /** Seed of the student's dataset, if the lesson uses one. */
  seed: number | null;
  /** Tutor version that graded it. */
  version: string;
  /** Globally unique id (random UUID made when the attempt is recorded); null for attempts logged before eds had them. */
  uuid: string | null;
  /**
   * How `correct` was decided: `auto` (the tutor graded it), `review` (free text left for an instructor;
   * `correct` is then the student's own assessment against the model answer), `predict` (a prediction
   * graded against the run). Null for attempts logged before eds recorded it.
   */
  grading: AttemptGrading | null;
  /**
   * What the grade was checked against, as a small JSON object: e.g. `{ run: { step, options }, expected }`
   * for a numeric question, `{ self_assessment: true }` for a reviewed text answer. Null when there is nothing.
   */
  detail: Record<string, unknown> | null;
}

/** How an attempt was graded (see `Attempt.grading`). */
export type AttemptGrading = 'auto' | 'review' | 'predict';

/** Longest `detail` JSON the store accepts (bytes): it travels in a course record line under 4 KB. */
export const MAX_ATTEMPT_DETAIL_BYTES = 1024;

/** Deepest `detail` the store accepts, the object itself being level 1 (`{ run: { options: { … } } }` is 3): what readers take. */
export const MAX_ATTEMPT_DETAIL_DEPTH = 3;

/** What the caller supplies for a new attempt; the store fills in id, uuid, time, user, attempt number and version. */
export type AttemptInput = Omit<Attempt, 'id' | 'time' | 'user' | 'attemptNumber' | 'version' | 'uuid' | 'grading' | 'detail'> & {
  /** How `correct` was decided (default `auto`). */
  grading?: AttemptGrading;
  /** What it was graded against (at most `MAX_ATTEMPT_DETAIL_BYTES` of JSON). */
  detail?: Record<string, unknown>;
};

/** What a step holds when the student leaves it: enough to show it again as it was. */
export interface StepState {
  /** Options the student chose in an experiment (option name → value). */
  options?: Record<string, string>;
  /** The last results shown (metric name → value), as returned by the experiment. */
  results?: Record<string, number | string>;
  /** An experiment's kept runs, oldest first: the options of each and its scalar results (numeric answers name one). */
  runs?: Array<{ /** Options it ran with. */ options: Record<string, string> /** Its numbers and short strings. */; results: Record<string, number | string> }>;
  /** Scroll position in a page, if any. */
  scroll?: number;
  /** Anything else a step needs to restore (e.g. a predict question's committed guess). */
  extra?: Record<string, unknown>;
}

/** A student's progress in one lesson. */
export interface LessonProgress {
  /** Lesson id. */
  lesson: string;
  /** The step the student is on (0-based). */
  currentStep: number;
  /** Ids of finished steps. */
  completed: string[];
  /** Saved state per step id. */
  states: Record<string, StepState>;
  /** ISO time of the last change. */
  updated: string;
}

/** Which attempts `Store.attempts` returns; omitted fields match everything. */
export interface AttemptFilter {
  /** Only this lesson. */
  lesson?: string;
  /** Only this question id (within `lesson`, if given). */
  question?: string;
}

/** Where `eds` with no argument picks up. */
export interface LastPosition {
  /** Lesson id the student touched last. */
  lesson: string;
  /** The step the student was on in it (0-based). */
  step: number;
}

/** How to open a store; every field has a sensible default for a student's shell. */
export interface StoreOptions {
  /** Directory holding `eds.db` (default: `dataHome(env)`). */
  home?: string;
  /** Student login recorded with every row (default: `currentUser(env)`). */
  user?: string;
  /** Environment read for `EDS_HOME`, `EDS_USER`, `EDS_JOURNAL` (default: `process.env`). */
  env?: NodeJS.ProcessEnv;
}

/** One student's progress and attempt log. Synchronous: every call has finished its I/O when it returns. */
export interface Store {
  /** Absolute path of the database file. */
  readonly path: string;
  /** The student these rows belong to. */
  readonly user: string;
  /** The journal mode in use: 'wal' on local disks, 'delete' (rollback journal) on network filesystems. */
  readonly journalMode: 'wal' | 'delete';
  /** Things the student should be told once (network filesystem, a damaged database set aside, …). */
  readonly warnings: string[];
  /** Appends an attempt; it is committed to disk before this returns, so feedback can follow. */
  recordAttempt(input: AttemptInput): Attempt;
  /** This student's attempts, oldest first. */
  attempts(filter?: AttemptFilter): Attempt[];
  /** How many attempts this student has made at a question (resets do not clear it). */
  attemptCount(lesson: string, question: string): number;
  /** Progress in one lesson, or null if never started (or reset). */
  progress(lesson: string): LessonProgress | null;
  /** Progress in every started lesson, most recently touched first. */
  allProgress(): LessonProgress[];
  /** Saves a step's state and makes `stepIndex` the lesson's current step. */
  saveStep(lesson: string, stepId: string, stepIndex: number, state: StepState): void;
  /** Marks a step finished (its saved state is kept). */
  completeStep(lesson: string, stepId: string): void;
  /** Forgets a lesson's progress; its attempts stay in the log and a 'reset' event is logged. */
  resetLesson(lesson: string): void;
  /** The lesson and step touched last, or null for a new student. */
  lastPosition(): LastPosition | null;
  /** A small per-student setting (e.g. a lesson's dataset seed), or null if unset. */
  setting(key: string): string | null;
  /** Sets a per-student setting, replacing any earlier value. */
  setSetting(key: string, value: string): void;
  /** Closes the database; safe to call twice. */
  close(): void;
}
