// The two lidar lessons end to end: they pass the checker, cover every question kind between them, and every experiment
// they name runs through the task registry on a small seeded scan and returns the keys its questions read.
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { gradeAnswer } from '../../src/lessons/grade.js';
import { EXPERIMENT_TASKS } from '../../src/lessons/validate.js';
import type { ExperimentStep, Lesson, QuestionStep } from '../../src/lessons/types.js';
import { knownTasks } from '../../src/experiments/registry.js';
import type { ExperimentResult } from '../../src/experiments/types.js';
import { LIDAR_TASKS } from '../../src/experiments/lidar.js';
import { displayWidth } from '../../src/render/text.js';
import { resultReferences, runLessonExperiments } from '../support/lessons.js';
import type { ExperimentRun } from '../../src/lessons/types.js';
import { runTask } from '../../src/experiments/registry.js';
import { recordRun } from '../../src/tutor/step-ui.js';
import { startingOptions } from '../../src/tutor/try-answer.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const FILES = ['lessons/03-lidar-supervised.md', 'lessons/04-lidar-unsupervised.md'].map((f) => path.join(root, f));
const SEED = 31;
// A small scan and few core points: the whole of both lessons runs in seconds.
const SMALL: Record<string, string> = { size: '30000', cores: '1000' };
const small = (exp: ExperimentStep) => ({ ...SMALL, ...(exp.task === 'lidar-classify' ? { map: '2000', trees: '30' } : {}) });

const lessons: Lesson[] = [];
const results = new Map<string, Map<string, ExperimentResult>>();
/** Per lesson, the runs of each experiment: its starting options, then every other combination a question's `run:` names. */
const allRuns = new Map<string, Record<string, ExperimentRun[]>>();

/** The latest run of `step` whose options include every pair of `options` (as a question's `run:` selects). */
function runFor(lessonId: string, step: string, options: Record<string, string>): ExperimentRun | undefined {
  return [...(allRuns.get(lessonId)![step] ?? [])].reverse().find((r) => Object.entries(options).every(([k, v]) => r.options[k] === v));
}

const questionsOf = (l: Lesson): QuestionStep[] => l.steps.filter((s): s is QuestionStep => s.kind === 'question');
const experimentsOf = (l: Lesson): ExperimentStep[] => l.steps.filter((s): s is ExperimentStep => s.kind === 'experiment');
const allQuestions = (): QuestionStep[] => lessons.flatMap(questionsOf);

beforeAll(async () => {
  for (const file of FILES) {
    const { lesson, results: mine } = await runLessonExperiments(file, SEED, small);
    lessons.push(lesson);
    results.set(lesson.id, mine);
    const runs: Record<string, ExperimentRun[]> = {};
    for (const exp of experimentsOf(lesson)) {
      const start = startingOptions(exp);
      runs[exp.id] = recordRun([], start, mine.get(exp.id)!.json);
      for (const q of questionsOf(lesson)) {
        if (q.run?.step !== exp.id || Object.entries(q.run.options).every(([k, v]) => start[k] === v)) continue;
        const options = { ...start, ...q.run.options };
        const r = await runTask(exp.task, { ...options, ...small(exp) }, SEED);
        runs[exp.id] = recordRun(runs[exp.id]!, options, r.json);
      }
    }
    allRuns.set(lesson.id, runs);
  }
}, 120_000);

describe('lessons/03-lidar-supervised.md and 04-lidar-unsupervised.md', () => {
  it('are the lidar lessons of sessions 3 and 4, on the dune scan', () => {
    expect(lessons.map((l) => [l.id, l.session, l.dataset])).toEqual([
      ['lidar-supervised', 3, 'lidar-dunes'],
      ['lidar-unsupervised', 4, 'lidar-dunes'],
    ]);
  });

  it('ask at least 12 questions of every kind between them, with predictions, short texts and answers from the run', () => {
    const qs = allQuestions();
    expect(qs.length).toBeGreaterThanOrEqual(12);
    for (const kind of ['single', 'multiple', 'numeric', 'text', 'predict'] as const)
      expect(
        qs.some((q) => q.type === kind),
        kind,
      ).toBe(true);
    expect(qs.filter((q) => q.type === 'predict').length).toBeGreaterThanOrEqual(2);
    expect(qs.filter((q) => q.type === 'text').length).toBeGreaterThanOrEqual(2);
    expect(qs.filter((q) => q.answer?.kind === 'result').length).toBeGreaterThanOrEqual(3);
    for (const q of qs) {
      expect(q.explain, q.id).not.toBe('');
      if (q.type !== 'predict') expect(q.hints.length, q.id).toBeGreaterThan(0);
    }
    // Each lesson on its own still asks from the student's own run.
    for (const l of lessons) expect(questionsOf(l).filter((q) => q.answer?.kind === 'result').length, l.id).toBeGreaterThanOrEqual(3);
  });

  it('use only the lidar tasks, all registered and allowed by the checker', () => {
    for (const task of LIDAR_TASKS) {
      expect(knownTasks()).toContain(task);
      expect(EXPERIMENT_TASKS).toContain(task);
    }
    for (const l of lessons) for (const exp of experimentsOf(l)) expect(LIDAR_TASKS as readonly string[]).toContain(exp.task);
  });

  it('get from each experiment every key their questions read, as a finite number', () => {
    for (const l of lessons) {
      for (const q of questionsOf(l)) {
        for (const { step, key } of resultReferences(q)) {
          const json = results.get(l.id)!.get(step)?.json;
          expect(json, `${q.id}: experiment ${step}`).toBeDefined();
          expect(Number.isFinite(json![key]), `${q.id}: ${step}.${key} = ${String(json![key])}`).toBe(true);
        }
      }
    }
  });

  it('grade the value from the student’s own run as right, and the anticipated mix-ups with their own feedback', () => {
    for (const l of lessons) {
      const runs = allRuns.get(l.id)!;
      // As the tutor keeps them: every run of each step, and each step's latest result.
      const ctx = { runs, results: Object.fromEntries(Object.entries(runs).map(([id, r]) => [id, r.at(-1)!.results])), attempt: 1 };
      for (const q of questionsOf(l).filter((x) => x.type === 'numeric' && x.answer?.kind === 'result')) {
        const a = q.answer as { step: string; key: string };
        const run = runFor(l.id, a.step, q.run?.step === a.step ? q.run.options : {})!;
        const expected = run.results[a.key] as number;
        expect(gradeAnswer(q, String(expected), ctx).correct, q.id).toBe(true);
        for (const w of q.wrong) {
          if (w.kind !== 'result') continue;
          // The same experiment's wrong value from the same run; another experiment's from its latest run.
          const value = (w.step === a.step ? run : runs[w.step]!.at(-1)!).results[w.key] as number;
          if (Math.abs(value - expected) <= 0.02) continue; // equal on this seed: not a mistake to flag
          const grade = gradeAnswer(q, String(value), ctx);
          expect(grade.correct, `${q.id} with ${w.key}`).toBe(false);
          expect(grade.feedback.startsWith(w.feedback), grade.feedback).toBe(true);
        }
      }
    }
  });

  it('grade the hand-computed IoU question against TP / (TP + FP + FN)', () => {
    const q = allQuestions().find((x) => x.id === 'iou-by-hand')!;
    const ctx = { results: {}, attempt: 1 };
    expect(gradeAnswer(q, String(40 / 60), ctx).correct).toBe(true);
    expect(gradeAnswer(q, '0.8', ctx).correct).toBe(false);
  });

  it('show the numbers the prompts and explanations lean on', () => {
    const sup = results.get('lidar-supervised')!;
    const look = sup.get('look')!.json;
    // Vegetation is the minority, and the scan is far denser near the scanner.
    expect(look.minority_class).toBe('vegetation');
    expect(look.density_ratio as number).toBeGreaterThan(5);
    const scales = sup.get('scales')!.json;
    expect(scales.scales_m).toEqual([0.05, 0.1, 0.25, 0.5]);
    expect(scales.best_separation as number).toBeGreaterThan(scales.worst_separation as number);
    const classify = sup.get('classify')!.json;
    // Imbalance: the overall accuracy sits above the balanced one, and a learnt model beats chance by far.
    expect(classify.accuracy as number).toBeGreaterThanOrEqual(classify.balanced_accuracy as number);
    expect(classify.balanced_accuracy as number).toBeGreaterThan(0.7);
    expect(classify.minority_iou as number).toBeLessThanOrEqual(classify.minority_f1 as number);
    const park = sup.get('classify-park')!.json;
    expect(park.confusion).toMatchObject({ labels: ['path', 'grass', 'tree', 'wall'] });
    const uns = results.get('lidar-unsupervised')!;
    const km = uns.get('kmeans')!.json;
    // Inertia never rises with k (best of several starts), which the lesson's first question teaches.
    const elbow = Object.values(km.elbow as Record<string, number>);
    for (let i = 1; i < elbow.length; i++) expect(elbow[i]!).toBeLessThanOrEqual(elbow[i - 1]! * (1 + 1e-9));
    expect(km.ari as number).toBeLessThan(0.9);
    expect(uns.get('dbscan')!.json.noise_share as number).toBeGreaterThan(0.5);
  });

  it('draw every figure of every experiment within 80 columns, in colour-less ASCII too', () => {
    for (const [lessonId, mine] of results) {
      for (const [id, r] of mine) {
        expect(r.figures.length, id).toBeGreaterThan(0);
        for (const unicode of [true, false]) {
          for (const f of r.figures) {
            const text = f.render({ width: 80, height: 18, colors: 0, unicode });
            expect(text.length, `${lessonId}/${id}: ${f.title}`).toBeGreaterThan(0);
            expect(text, `${id}: ${f.title}`).not.toMatch(/NaN/);
            for (const line of text.split('\n')) expect(displayWidth(line), `${id}: ${f.title}`).toBeLessThanOrEqual(80);
            if (!unicode) expect(/^[\x20-\x7e\n]*$/.test(text), `${id}: ${f.title} is ASCII`).toBe(true);
          }
        }
      }
    }
  });
});
