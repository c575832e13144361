// The synthesis lesson's "Your results so far": every kept run of every lesson, with the options it ran with and
// the numbers it showed, lesson by lesson in course order. Pure; the review task (synthesis.ts) reads the store.
import type { RenderCaps } from '../render/caps.js';
import { wrapWords } from '../render/text.js';
import { safeLine } from '../util/safe-text.js';
import type { Lesson } from '../lessons/types.js';
import { fmt } from './common.js';
import type { Figure } from './types.js';

/** One kept run: the options it ran with and its scalar results. */
export interface ReviewRun {
  /** Option values, as the lesson's step gives them. */
  options: Record<string, string>;
  /** Numbers and short strings it returned. */
  results: Record<string, number | string>;
}

/** A lesson's experiments as the review shows them. */
export interface ReviewedLesson {
  /** Lesson id. */
  lesson: string;
  /** Steps finished. */
  completed: number;
  /** Runs kept per experiment step, oldest first. */
  runs: Record<string, ReviewRun[]>;
}

/** The numbers of a run most worth reading first: its scores and errors… */
const SCORES = /(^|_)(rmse|mae|r2|accuracy|f1|iou|ari|nmi|silhouette|precision|recall|auc|coverage|loss)(_|$)/;
/** …then what it fitted or measured (slopes, fluxes, sizes), before counts and the rest. */
const FITTED = /(^|_)(slope|exponent|flux|separation|inertia|params|parameters)(_|$)/;
/** Keys that say how a run was made, not what it found. */
const BOOKKEEPING = /^(seed|n_.*|count_.*|task|stage|source|model|scale)$/;
/** Results shown per run; the rest are counted, and `eds run … --json` prints them all. */
export const METRICS_PER_RUN = 6;

/**
 * The metrics of a run to show, best first: numbers only, not the seed, counts or the options it ran with; the
 * scores first, then what the run fitted, then the others (each in the task's own order). At most `max`, with how many were left out.
 */
export function runMetrics(run: ReviewRun, max = METRICS_PER_RUN): { shown: [string, number][]; more: number } {
  const numbers = Object.entries(run.results).filter(
    (e): e is [string, number] => typeof e[1] === 'number' && Number.isFinite(e[1]) && !BOOKKEEPING.test(e[0]) && !(e[0] in run.options),
  );
  const tier = (k: string) => (SCORES.test(k) ? 0 : FITTED.test(k) ? 1 : 2);
  const ordered = [0, 1, 2].flatMap((t) => numbers.filter(([k]) => tier(k) === t));
  return { shown: ordered.slice(0, max), more: Math.max(0, ordered.length - max) };
}

/** One run as a line: `step (model=ransac, scale=log): rmse 0.2131 · r2 0.8822`. */
export function runLine(step: string, run: ReviewRun): string {
  const options = Object.entries(run.options).map(([k, v]) => `${safeLine(k, 30)}=${safeLine(v, 40)}`);
  const { shown, more } = runMetrics(run);
  const metrics = shown.map(([k, v]) => `${safeLine(k, 40)} ${fmt(v)}`).join(' · ') || '(no numbers)';
  return `${safeLine(step, 40)}${options.length > 0 ? ` (${options.join(', ')})` : ''}: ${metrics}${more > 0 ? ` · +${more} more` : ''}`;
}

/**
 * The review's lines: each lesson (course order: the session number, then id), then each of its runs, wrapped to
 * `width` with continuation lines indented. Nothing is cut: the screen scrolls, and a pipe gets every run.
 */
export function reviewLines(reviewed: readonly ReviewedLesson[], lessons: readonly Lesson[], width: number): string[] {
  const info = new Map(lessons.map((l) => [l.id, l]));
  const order = (id: string) => info.get(id)?.session ?? Number.MAX_SAFE_INTEGER;
  const sorted = [...reviewed].sort((a, b) => order(a.lesson) - order(b.lesson) || a.lesson.localeCompare(b.lesson));
  const out: string[] = [];
  for (const l of sorted) {
    const lesson = info.get(l.lesson);
    const name = lesson ? `${safeLine(lesson.title, 60)} (${safeLine(l.lesson, 40)})` : safeLine(l.lesson, 40);
    out.push(...wrapWords(`${name}: ${l.completed} step${l.completed === 1 ? '' : 's'} finished`, width));
    // Steps in the lesson's order where the lesson is known, else as saved.
    const stepOrder = lesson ? lesson.steps.map((s) => s.id) : [];
    const steps = Object.keys(l.runs).sort((a, b) => rank(stepOrder, a) - rank(stepOrder, b));
    for (const step of steps) {
      for (const run of l.runs[step]!) {
        wrapWords(runLine(step, run), Math.max(10, width - 4)).forEach((line, i) => out.push(`${i === 0 ? '  ' : '    '}${line}`));
      }
    }
  }
  return out;
}

function rank(order: readonly string[], id: string): number {
  const i = order.indexOf(id);
  return i < 0 ? order.length : i;
}

/** The review as a figure (every line, whatever the height: it is a list to scroll, not a plot). */
export function reviewFigure(reviewed: readonly ReviewedLesson[], lessons: readonly Lesson[]): Figure {
  return {
    title: 'Your runs, lesson by lesson: the options of each and the numbers it showed',
    render: (caps: RenderCaps) => {
      const lines = reviewLines(
        reviewed.filter((l) => Object.keys(l.runs).length > 0),
        lessons,
        caps.width,
      );
      return lines.length > 0 ? lines.join('\n') : '(nothing yet: run the earlier lessons first)';
    },
  };
}

/**
 * The runs a saved experiment step holds: its kept runs, or (a step saved before eds kept runs) its last results as
 * one run with the saved options. Only numbers and short strings: the last results are the whole JSON of a run.
 */
export function stepRuns(state: { options?: unknown; results?: unknown; runs?: unknown }): ReviewRun[] {
  const strings = (x: unknown): Record<string, string> =>
    x !== null && typeof x === 'object' && !Array.isArray(x)
      ? Object.fromEntries(Object.entries(x).filter((e): e is [string, string] => typeof e[1] === 'string'))
      : {};
  const scalars = (x: unknown): Record<string, number | string> =>
    x !== null && typeof x === 'object' && !Array.isArray(x)
      ? Object.fromEntries(
          Object.entries(x).filter(
            (e): e is [string, number | string] => (typeof e[1] === 'number' && Number.isFinite(e[1])) || (typeof e[1] === 'string' && e[1].length <= 200),
          ),
        )
      : {};
  if (Array.isArray(state.runs) && state.runs.length > 0) {
    return state.runs
      .filter((r) => r !== null && typeof r === 'object')
      .map((r: { options?: unknown; results?: unknown }) => ({ options: strings(r.options), results: scalars(r.results) }));
  }
  const results = scalars(state.results);
  return Object.keys(results).length > 0 ? [{ options: strings(state.options), results }] : [];
}
