// Helpers for lesson tests: right answers derived from the lesson itself, and the results a lesson's questions read.
import { expect } from 'vitest';
import { checkLessons } from '../../src/lessons/load.js';
import type { ExperimentStep, Lesson, QuestionStep } from '../../src/lessons/types.js';
import { runTask } from '../../src/experiments/registry.js';
import type { ExperimentResult } from '../../src/experiments/types.js';

/**
 * Checks a lesson file (no problems allowed) and runs each of its experiments through the task registry with its
 * defaults, overridden by `small(step)` (settings that keep a test fast); returns the lesson and the results by step id.
 */
export async function runLessonExperiments(file: string, seed: number, small: (step: ExperimentStep) => Record<string, string> = () => ({})): Promise<{ lesson: Lesson; results: Map<string, ExperimentResult> }> {
  const check = checkLessons(file);
  expect(check.problems).toEqual([]);
  const lesson = check.lessons[0]!;
  const results = new Map<string, ExperimentResult>();
  for (const step of lesson.steps) {
    if (step.kind === 'experiment') results.set(step.id, await runTask(step.task, { ...step.defaults, ...small(step) }, seed));
  }
  return { lesson, results };
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
  const found = candidates.find((c) => c !== '' && q.patterns.some((p) => new RegExp(p.source, p.flags.includes('i') ? p.flags : p.flags + 'i').test(c)));
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
