// What a step shows while the student works on it (cursor, typed text, last feedback, last run), and how it is saved.
import type { ExperimentRun, ExperimentStep, QuestionStep, Step } from '../lessons/types.js';
import type { StepState } from '../store/types.js';
import type { Figure } from '../experiments/types.js';

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
  /** The right answer, when revealed after the last allowed attempt. */
  answer?: string;
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
  /** Predict questions: where the student is. */
  phase: 'answer' | 'running' | 'graded';
  /** When the question was shown (ms since epoch), to log the seconds spent. */
  shownAt: number;
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
      return { kind: 'experiment', cursor: 0, values, running: false, status: '', results, runs: savedRuns(saved, values), figures: [], restored: results !== null, error: null };
    }
    case 'question': {
      const extra = (saved?.extra ?? {}) as Partial<Pick<QuestionUi, 'solved' | 'revealed' | 'feedback' | 'guess' | 'input' | 'picked' | 'phase'>>;
      return {
        kind: 'question',
        cursor: 0,
        picked: Array.isArray(extra.picked) ? extra.picked : [],
        input: typeof extra.input === 'string' ? extra.input : '',
        attempts,
        solved: extra.solved === true,
        revealed: extra.revealed === true,
        feedback: extra.feedback ?? null,
        guess: typeof extra.guess === 'string' ? extra.guess : null,
        phase: extra.phase === 'graded' ? 'graded' : 'answer',
        shownAt: now,
      };
    }
    default:
      return assertNever(step);
  }
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
          phase: ui.phase === 'running' ? 'answer' : ui.phase,
        },
      };
    default:
      return assertNever(ui);
  }
}

/** Runs kept per experiment step: every option combination of most lesson experiments, bounded for the ones with hundreds. */
export const MAX_RUNS_PER_STEP = 64;

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

/** Is the question one where keys type text? */
export function isTyping(step: Step, ui: StepUi): boolean {
  return (
    step.kind === 'question' &&
    ui.kind === 'question' &&
    !ui.solved &&
    !ui.revealed &&
    ui.phase !== 'running' &&
    (step.type === 'numeric' || step.type === 'text' || (step.type === 'predict' && step.options.length === 0 && ui.phase === 'answer'))
  );
}

/** The label of a choice answer for the log: the texts of the picked choices. */
export function choiceAnswerText(step: QuestionStep, indices: readonly number[]): string {
  return indices.map((i) => step.options[i]?.text ?? `#${i + 1}`).join(' | ');
}

export function assertNever(x: never): never {
  throw new Error(`unexpected value: ${JSON.stringify(x)}`);
}
