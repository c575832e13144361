// Helpers for lesson tests: right answers derived from the lesson itself, and the results a lesson's questions read.
import { expect } from 'vitest';
import { checkLessons } from '../../src/lessons/load.js';
import { gradeAnswer } from '../../src/lessons/grade.js';
import type { ExperimentStep, GradeContext, Lesson, QuestionStep } from '../../src/lessons/types.js';
import { startingOptions } from '../../src/tutor/try-answer.js';
import { recordRun } from '../../src/tutor/step-ui.js';
import { runTask } from '../../src/experiments/registry.js';
import type { ExperimentResult } from '../../src/experiments/types.js';

/** A lesson's experiments run once each, and what grading reads from those runs. */
export interface LessonRuns {
  /** The lesson, checked. */
  lesson: Lesson;
  /** Each experiment's result, by step id. */
  results: Map<string, ExperimentResult>;
  /** The options each experiment ran with, by step id. */
  options: Map<string, Record<string, string>>;
  /** The grade context the tutor would build after these runs (each one the student's only run of its step). */
  context(attempt?: number): GradeContext;
}

/**
 * Checks a lesson file (no problems allowed) and runs each of its experiments through the task registry with the
 * options the tutor starts it with, overridden by `small(step)` (settings that keep a test fast).
 */
export async function runLessonExperiments(
  file: string,
  seed: number,
  small: (step: ExperimentStep) => Record<string, string> = () => ({}),
): Promise<LessonRuns> {
  const check = checkLessons(file);
  expect(check.problems).toEqual([]);
  const lesson = check.lessons[0]!;
  const results = new Map<string, ExperimentResult>();
  const options = new Map<string, Record<string, string>>();
  for (const step of lesson.steps) {
    if (step.kind !== 'experiment') continue;
    const o = { ...startingOptions(step), ...small(step) };
    options.set(step.id, o);
    results.set(step.id, await runTask(step.task, o, seed));
  }
  return { lesson, results, options, context: (attempt = 1) => gradeContextOf(results, options, attempt) };
}

/** What the tutor grades against after one run of each experiment with `options`. */
export function gradeContextOf(
  results: ReadonlyMap<string, ExperimentResult>,
  options: ReadonlyMap<string, Record<string, string>>,
  attempt = 1,
): GradeContext {
  const ctx: GradeContext = { results: {}, runs: {}, attempt };
  for (const [id, r] of results) {
    const runs = recordRun([], options.get(id) ?? {}, r.json);
    ctx.runs![id] = runs;
    ctx.results[id] = runs[0]!.results;
  }
  return ctx;
}

/** A string the question's patterns accept: its model answer, or a word read off the first pattern. */
export function textAnswer(q: QuestionStep): string {
  // A model answer may span lines in the lesson file; typed, a newline would submit it early.
  const candidates = [(q.answerText ?? '').replace(/\s+/g, ' ').trim()];
  for (const p of q.patterns) {
    const plain = p.source
      .replace(/\\b|\^|\$/g, '')
      .replace(/\[([^\]])[^\]]*\]/g, '$1')
      .replace(/[?*+]/g, '')
      .replace(/\\s/g, ' ')
      .replace(/\./g, ' ');
    for (const alt of plain.replace(/[()]/g, '|').split('|')) candidates.push(alt.trim());
    candidates.push(plain.replace(/[()|]/g, ' '));
  }
  // A review question takes any answer with content (the student then assesses it): its model answer will do.
  if (q.grading === 'review' && candidates[0] !== '') return candidates[0]!;
  // Graded as the tutor grades it (match: lines, patterns, the no-content rule), not by re-running the patterns here.
  const found = candidates.find((c) => c !== '' && gradeAnswer(q, c, { results: {}, attempt: 1 }).correct);
  if (!found) throw new Error(`no sample answer for text question ${q.id}: give it a model answer`);
  return found;
}

/** Every `=experiment.key` a question reads: its answer and its anticipated wrong answers. */
export function resultReferences(q: QuestionStep): Array<{ step: string; key: string }> {
  const refs: Array<{ step: string; key: string }> = [];
  if (q.answer?.kind === 'result') refs.push({ step: q.answer.step, key: q.answer.key });
  for (const w of q.wrong) if (w.kind === 'result') refs.push({ step: w.step, key: w.key });
  return refs;
}

/** Asserts that every result key a question reads came back from its experiment as a finite number. */
export function expectResultKeys(questions: readonly QuestionStep[], results: ReadonlyMap<string, { json: Record<string, unknown> }>): void {
  for (const q of questions) {
    for (const { step, key } of resultReferences(q)) {
      const json = results.get(step)?.json;
      expect(json, `${q.id}: experiment ${step}`).toBeDefined();
      expect(Number.isFinite(json![key]), `${q.id}: ${step}.${key} = ${String(json![key])}`).toBe(true);
    }
  }
}
