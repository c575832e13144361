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
}

/** What the caller supplies for a new attempt; the store fills in id, time, user, attempt number and version. */
export type AttemptInput = Omit<Attempt, 'id' | 'time' | 'user' | 'attemptNumber' | 'version'>;

/** What a step holds when the student leaves it: enough to show it again as it was. */
export interface StepState {
  /** Options the student chose in an experiment (option name → value). */
  options?: Record<string, string>;
  /** The last results shown (metric name → value), as returned by the experiment. */
  results?: Record<string, number | string>;
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
