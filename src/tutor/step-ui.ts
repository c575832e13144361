// What a step shows while the student works on it (cursor, typed text, last feedback, last run), and how it is saved.
import type { ExperimentRun, ExperimentStep, Grade, QuestionStep, Step } from '../lessons/types.js';
import type { StepState } from '../store/types.js';
import type { Figure } from '../render/figure.js';
import type { RunLive } from './run-view.js';
import type { JobInfo } from '../runner/types.js';

/** The feedback shown under a question after an answer. */
export interface Feedback {
  /** Whether the answer was right. */
  correct: boolean;
  /** The specific feedback, or a generic one. */
  text: string;
  /** The next hint, after a wrong attempt. */
  hint?: string;
  /** The explanation (after a right answer, or when revealed). */
  explain?: string;
  /** The right answer, when revealed after the last allowed attempt (choice and numeric questions). */
  answer?: string;
  /** Text questions: the model answer, shown once graded (right, revealed, or reviewed); saved, so a restart shows it again. */
  modelAnswer?: string;
  /** A text answer left for the instructor's review: `correct` is then the student's own y/n, not a verdict. */
  selfAssessed?: boolean;
}

/** A text answer waiting for the student's y/n against the model answer (review mode). */
export interface PendingReview {
  /** The model answer shown. */
  modelAnswer: string;
  /** The verdict of the question's `match:` lines, or null when it has none (kept for the instructor). */
  auto: boolean | null;
}

/** A question's live state. */
export interface QuestionUi {
  kind: 'question';
  /** Highlighted choice. */
  cursor: number;
  /** Picked choices (multiple choice). */
  picked: number[];
  /** Text typed so far (numeric and text questions). */
  input: string;
  /** Attempts so far (including earlier sessions). */
  attempts: number;
  /** Answered right. */
  solved: boolean;
  /** Answer revealed after too many attempts. */
  revealed: boolean;
  /** Last feedback shown. */
  feedback: Feedback | null;
  /** Predict questions: the committed guess, before the run. */
  guess: string | null;
  /**
   * Where the student is: `answer` (answering), `committed` (a prediction saved, not graded yet: the next run
   * grades it), `running` (its experiment runs), `review` (a text answer saved, waiting for the y/n against the
   * model answer), `graded`.
   */
  phase: 'answer' | 'committed' | 'running' | 'review' | 'graded';
  /** Review mode: the model answer and the automatic verdict, while `phase` is `review`. */
  review: PendingReview | null;
  /** Seconds spent until the prediction was committed or the reviewed answer given (logged with the attempt later). */
  pendingSeconds: number | null;
  /** When the question was shown (ms since epoch), to log the seconds spent. */
  shownAt: number;
  /** While `phase` is `running`: its experiment's run as it goes (spinner, progress, curves); not saved. */
  live?: RunLive | null;
}

/** An experiment's live state. */
export interface ExperimentUi {
  kind: 'experiment';
  /** Highlighted option row. */
  cursor: number;
  /** Current value of each option. */
  values: Record<string, string>;
  /** A run in progress. */
  running: boolean;
  /** Progress text while running ("epoch 3/10 loss 0.21"). */
  status: string;
  /** While running: the spinner's frame, the status, the whole run's progress and the curves so far; not saved. */
  live?: RunLive | null;
  /** Metrics of the last run (restored from the store after a restart). */
  results: Record<string, unknown> | null;
  /** Every option combination run so far (its latest run each, oldest first, at most MAX_RUNS_PER_STEP): numeric answers name one. */
  runs: ExperimentRun[];
  /** Figures of the last run in this process (not stored: drawn again by running again). */
  figures: Figure[];
  /** Whether the results came from an earlier session (figures need a re-run). */
  restored: boolean;
  /** Why the last run failed, if it did. */
  error: string | null;
  /** While a run is a Slurm job: the job as Slurm last reported it (id, state, node); not saved. */
  job?: JobInfo | null;
}

/** A page has nothing live but its scroll position. */
export interface PageUi {
  kind: 'page';
}

export type StepUi = QuestionUi | ExperimentUi | PageUi;

/** The option names of an experiment, in the order shown. */
export function optionNames(step: ExperimentStep): string[] {
  return Object.keys(step.choices);
}

/** The initial state of a step, from what the store saved (if anything). */
export function initialUi(step: Step, saved: StepState | undefined, attempts: number, now: number): StepUi {
  switch (step.kind) {
    case 'page':
      return { kind: 'page' };
    case 'experiment': {
      const values: Record<string, string> = { ...step.defaults };
      for (const [name, allowed] of Object.entries(step.choices)) {
        if (values[name] === undefined || !allowed.includes(values[name]!)) values[name] = allowed[0]!;
      }
      for (const [name, value] of Object.entries(saved?.options ?? {})) {
        if (step.choices[name]?.includes(value)) values[name] = value;
      }
      const results = saved?.results ?? null;
      return {
        kind: 'experiment',
        cursor: 0,
        values,
        running: false,
        status: '',
        results,
        runs: savedRuns(saved, values),
        figures: [],
        restored: results !== null,
        error: null,
      };
    }
    case 'question': {
      const extra = (saved?.extra ?? {}) as Partial<
        Pick<QuestionUi, 'solved' | 'revealed' | 'feedback' | 'guess' | 'input' | 'picked' | 'phase' | 'review' | 'pendingSeconds'>
      >;
      const solved = extra.solved === true;
      const guess = typeof extra.guess === 'string' ? extra.guess : null;
      const review = isPendingReview(extra.review) ? extra.review : null;
      return {
        kind: 'question',
        cursor: 0,
        picked: Array.isArray(extra.picked) ? extra.picked : [],
        input: typeof extra.input === 'string' ? extra.input : '',
        attempts,
        solved,
        revealed: extra.revealed === true,
        feedback: extra.feedback ?? null,
        guess,
        phase: restoredPhase(step, extra.phase, solved || extra.revealed === true, guess, review),
        review,
        pendingSeconds: typeof extra.pendingSeconds === 'number' ? extra.pendingSeconds : null,
        shownAt: now,
      };
    }
    default:
      return assertNever(step);
  }
}

/**
 * The phase a saved question reopens in. A prediction saved but not graded (the process ended during its run)
 * reopens committed, so the saved guess is graded by the next run; older eds saved such a guess with phase
 * `answer`, which reads the same. A review waiting for its y/n reopens there.
 */
function restoredPhase(step: QuestionStep, phase: unknown, done: boolean, guess: string | null, review: PendingReview | null): QuestionUi['phase'] {
  if (phase === 'graded' || done) return done ? 'graded' : 'answer';
  if (step.type === 'predict' && guess !== null) return 'committed';
  if (phase === 'review' && review !== null) return 'review';
  return 'answer';
}

function isPendingReview(x: unknown): x is PendingReview {
  const r = x as PendingReview | null | undefined;
  return typeof r === 'object' && r !== null && typeof r.modelAnswer === 'string' && (r.auto === null || typeof r.auto === 'boolean');
}

/** What to save so that the next `eds` shows the step as it was. */
export function toSaved(ui: StepUi): StepState {
  switch (ui.kind) {
    case 'page':
      return {};
    case 'experiment':
      return { options: ui.values, results: (ui.results ?? undefined) as StepState['results'], runs: ui.runs };
    case 'question':
      return {
        extra: {
          solved: ui.solved,
          revealed: ui.revealed,
          feedback: ui.feedback,
          guess: ui.guess,
          input: ui.input,
          picked: ui.picked,
          // A run in progress is not saved as such: the next eds grades the saved guess with a new run.
          phase: ui.phase === 'running' ? 'committed' : ui.phase,
          review: ui.review,
          pendingSeconds: ui.pendingSeconds,
        },
      };
    default:
      return assertNever(ui);
  }
}

/** Runs kept per experiment step: every option combination of most lesson experiments, bounded for the ones with hundreds. */
export const MAX_RUNS_PER_STEP = 64;

/** The longest answer an answer field takes (characters): more is not typed, and the field says so. */
export const MAX_ANSWER_CHARS = 500;

/** Longest string result kept with a run (labels such as a class name; long texts are for the screen only). */
const MAX_RUN_STRING = 200;

/**
 * The runs after one more with `options`: it replaces an earlier run with the same options (the latest counts) and
 * goes last; the oldest runs go once there are MAX_RUNS_PER_STEP. Only scalar results are kept: numbers and short
 * strings are what questions read, and the step state is saved at every key press.
 */
export function recordRun(runs: readonly ExperimentRun[], options: Record<string, string>, json: Record<string, unknown>): ExperimentRun[] {
  const results: Record<string, number | string> = {};
  for (const [key, value] of Object.entries(json)) {
    if (typeof value === 'number' && Number.isFinite(value)) results[key] = value;
    else if (typeof value === 'string' && value.length <= MAX_RUN_STRING) results[key] = value;
  }
  const same = (run: ExperimentRun) => sameOptions(run.options, options);
  return [...runs.filter((r) => !same(r)), { options: { ...options }, results }].slice(-MAX_RUNS_PER_STEP);
}

function sameOptions(a: Record<string, string>, b: Record<string, string>): boolean {
  const keys = Object.keys(a);
  return keys.length === Object.keys(b).length && keys.every((k) => a[k] === b[k]);
}

/**
 * The runs saved with a step. A state saved before eds kept runs has only the last `results`: it counts as one run
 * made with the saved options.
 */
function savedRuns(saved: StepState | undefined, values: Record<string, string>): ExperimentRun[] {
  if (Array.isArray(saved?.runs)) {
    return saved.runs
      .filter((r): r is ExperimentRun => isStringRecord(r?.options) && r?.results !== null && typeof r?.results === 'object')
      .slice(-MAX_RUNS_PER_STEP)
      .map((r) => ({ options: { ...r.options }, results: { ...r.results } }));
  }
  if (saved?.results) return recordRun([], isStringRecord(saved.options) ? saved.options : values, saved.results);
  return [];
}

function isStringRecord(x: unknown): x is Record<string, string> {
  return x !== null && typeof x === 'object' && !Array.isArray(x) && Object.values(x).every((v) => typeof v === 'string');
}

/** Whether the student may move on: pages always; experiments once run; questions once solved or revealed. */
export function isFinished(step: Step, ui: StepUi): boolean {
  if (step.kind === 'page') return true;
  if (ui.kind === 'experiment') return ui.results !== null;
  if (ui.kind === 'question') return ui.solved || ui.revealed;
  return false;
}

/** Does the step show an answer field right now (a typed answer not yet given)? Keys type into it while it has the focus. */
export function isTyping(step: Step, ui: StepUi): boolean {
  return (
    step.kind === 'question' &&
    ui.kind === 'question' &&
    !ui.solved &&
    !ui.revealed &&
    ui.phase === 'answer' &&
    (step.type === 'numeric' || step.type === 'text' || (step.type === 'predict' && step.options.length === 0))
  );
}

/**
 * What the student is shown after a graded answer, and whether the answer is now revealed: the grade's feedback,
 * hint and explanation, the right answer once revealed, and for a text question its model answer once graded
 * (after a right answer and when revealed).
 */
export function feedbackFor(step: QuestionStep, grade: Grade): { feedback: Feedback; revealed: boolean } {
  const revealed = !grade.correct && grade.revealed !== undefined;
  const modelAnswer = step.type !== 'text' ? undefined : grade.correct ? grade.modelAnswer : revealed ? step.answerText || undefined : undefined;
  return {
    revealed,
    feedback: {
      correct: grade.correct,
      text: grade.feedback,
      hint: grade.correct ? undefined : grade.hint,
      explain: grade.correct ? (grade.explain ?? step.explain) : grade.revealed?.explain,
      answer: revealed && modelAnswer === undefined ? grade.revealed?.answer : undefined,
      ...(modelAnswer !== undefined ? { modelAnswer } : {}),
    },
  };
}

/** The label of a choice answer for the log: the texts of the picked choices. */
export function choiceAnswerText(step: QuestionStep, indices: readonly number[]): string {
  return indices.map((i) => step.options[i]?.text ?? `#${i + 1}`).join(' | ');
}

export function assertNever(x: never): never {
  throw new Error(`unexpected value: ${JSON.stringify(x)}`);
}
