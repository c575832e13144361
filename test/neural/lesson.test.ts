// The neural-network lesson end to end: it passes the checker, covers every question kind, and every experiment it
// names runs through the task registry with tiny settings and returns the keys its questions read.
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { gradeAnswer } from '../../src/lessons/grade.js';
import { EXPERIMENT_TASKS } from '../../src/lessons/validate.js';
import type { ExperimentStep, Lesson, QuestionStep } from '../../src/lessons/types.js';
import type { ExperimentResult } from '../../src/experiments/types.js';
import { displayWidth } from '../../src/render/text.js';
import { expectResultKeys, type LessonRuns, runLessonExperiments } from '../support/lessons.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const FILE = path.join(root, 'lessons/05-neural.md');
const SEED = 777;
/** Tiny settings so the whole lesson runs in seconds: few digits, one epoch, a handful of windows. */
const TINY: Record<string, Record<string, string>> = {
  train: { train_size: '300', test_size: '100', epochs: '1', backend: 'wasm' },
  pick: { windows: '4', backend: 'wasm' },
};

let lesson: Lesson;
let results = new Map<string, ExperimentResult>();
let runs: LessonRuns;
const questions = (): QuestionStep[] => lesson.steps.filter((s): s is QuestionStep => s.kind === 'question');
const experiments = (): ExperimentStep[] => lesson.steps.filter((s): s is ExperimentStep => s.kind === 'experiment');

beforeAll(async () => {
  runs = await runLessonExperiments(FILE, SEED, (exp) => TINY[exp.task] ?? {});
  ({ lesson, results } = runs);
}, 120_000);

describe('lessons/05-neural.md', () => {
  it('passes the checker as the lesson of session 5, using registered tasks', () => {
    expect(lesson.id).toBe('neural');
    expect(lesson.session).toBe(5);
    for (const exp of experiments()) expect(EXPERIMENT_TASKS).toContain(exp.task);
    expect(new Set(experiments().map((e) => e.task))).toEqual(new Set(['digits-look', 'train', 'leaderboard', 'pick-look', 'pick']));
  });

  it('asks at least 12 questions of every kind, with predictions, short texts and answers from the run', () => {
    const qs = questions();
    expect(qs.length).toBeGreaterThanOrEqual(12);
    for (const kind of ['single', 'multiple', 'numeric', 'text', 'predict'] as const) expect(qs.some((q) => q.type === kind)).toBe(true);
    expect(qs.filter((q) => q.type === 'predict').length).toBeGreaterThanOrEqual(2);
    expect(qs.filter((q) => q.type === 'text').length).toBeGreaterThanOrEqual(2);
    expect(qs.filter((q) => q.answer?.kind === 'result').length).toBeGreaterThanOrEqual(3);
    for (const q of qs) {
      expect(q.explain, q.id).not.toBe('');
      if (q.type !== 'predict') expect(q.hints.length, q.id).toBeGreaterThan(0);
    }
  });

  it('gets from each experiment every key its questions read, as a finite number', () => {
    expectResultKeys(questions(), results);
  });

  it('states numbers that are true of our networks', () => {
    const mlp = results.get('mlp')!.json;
    const cnn = results.get('cnn')!.json;
    expect(mlp.params).toBe(795 * 32 + 10);
    expect(mlp.params).toBe(25_450);
    expect(cnn.params).toBe(5_258);
    expect(results.get('look')!.json.inputs).toBe(784);
    const picker = results.get('picker')!.json;
    expect(picker.params).toBe(268_443);
    expect(picker.weights_total).toBe(269_675);
    expect(picker.tolerance_s).toBe(0.5);
    expect(results.get('picker-strict')!.json.threshold).toBe(0.7);
    // The published network runs first, on the real crops; our weights then pick the very same crops.
    const ids = experiments().map((e) => e.id);
    expect(ids.indexOf('published')).toBeLessThan(ids.indexOf('picker'));
    expect(ids.indexOf('shipped-real')).toBeGreaterThan(ids.indexOf('picker'));
    const published = results.get('published')!.json;
    const shipped = results.get('shipped-real')!.json;
    expect(published).toMatchObject({ dataset: 'phases-ncedc', weights: 'published', crop: 'shifted', window_samples: 3000, records: 22, params: 268_443 });
    expect(shipped).toMatchObject({ dataset: 'phases-ncedc', weights: 'shipped', crop: 'shifted', window_samples: 3001, records: 22, params: 268_443 });
    const crops = (j: Record<string, unknown>) => (j.picks as Array<{ crop_start: number }>).map((r) => r.crop_start);
    expect(crops(shipped)).toEqual(crops(published));
    // What the lesson's prediction and explanations say of the two on the student's crops.
    expect(shipped.s_recall as number).toBeLessThan(published.s_recall as number);
    expect(published.p_recall as number).toBeGreaterThanOrEqual(0.9);
    // The look step must not give away the picks the next question asks for.
    for (const key of Object.keys(results.get('look-wave')!.json)) expect(key).not.toMatch(/itp|its|pick|arrival|example/);
  });

  it('grades the value from the student’s own run as right and the anticipated mix-up as a mix-up', () => {
    // The tutor's context after one run of each step: questions with a `run:` line read the matching run.
    const ctx = runs.context();
    for (const q of questions().filter((x) => x.type === 'numeric' && x.answer?.kind === 'result')) {
      const a = q.answer as { step: string; key: string };
      expect(gradeAnswer(q, String(results.get(a.step)!.json[a.key]), ctx).correct, q.id).toBe(true);
    }
    const params = questions().find((q) => q.id === 'mlp-params')!;
    const grade = gradeAnswer(params, '32', ctx);
    expect(grade.correct).toBe(false);
    expect(grade.feedback).toMatch(/hidden neurons/);
  });

  it('draws every figure within 80 columns, in ASCII too', () => {
    for (const [id, r] of results) {
      expect(r.figures.length, id).toBeGreaterThan(0);
      for (const unicode of [true, false]) {
        for (const f of r.figures) {
          const text = f.render({ width: 80, height: 18, colors: 0, unicode });
          expect(text.length, `${id}: ${f.title}`).toBeGreaterThan(0);
          for (const line of text.split('\n')) expect(displayWidth(line), `${id}: ${f.title}`).toBeLessThanOrEqual(80);
          if (!unicode) expect(/^[\x20-\x7e\n]*$/.test(text), `${id}: ${f.title} is ASCII`).toBe(true);
        }
      }
    }
  });
});
