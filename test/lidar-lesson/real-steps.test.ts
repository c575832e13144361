// Issue 16, lidar: the real-data steps of lessons 3 and 4 played on a student's own runs (every run their questions
// name, as the tutor keeps them), each question graded on right answers, the same answers written another way,
// the anticipated mistakes with their own feedback, and nonsense.
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { checkLessons } from '../../src/lessons/load.js';
import { gradeAnswer } from '../../src/lessons/grade.js';
import type { ExperimentRun, GradeContext, Lesson, QuestionStep } from '../../src/lessons/types.js';
import { runTask } from '../../src/experiments/registry.js';
import { recordRun } from '../../src/tutor/step-ui.js';
import { startingOptions } from '../../src/tutor/try-answer.js';
import { ROOT } from '../ml/helpers.js';

const SEED = 5;
const REAL_STEPS: Record<string, string[]> = {
  'lidar-supervised': ['real-scales', 'real-classify', 'real-spatial', 'scales', 'classify'],
  'lidar-unsupervised': ['real-kmeans'],
};

interface Played {
  lesson: Lesson;
  runs: Record<string, ExperimentRun[]>;
  ctx: GradeContext;
}
const played = new Map<string, Played>();

/** Runs each experiment with its starting options, then every other combination a question's `run:` names. */
async function play(file: string): Promise<Played> {
  const { lessons, problems } = checkLessons(path.join(ROOT, 'lessons', file));
  expect(problems).toEqual([]);
  const lesson = lessons[0]!;
  const runs: Record<string, ExperimentRun[]> = {};
  const results: GradeContext['results'] = {};
  for (const id of REAL_STEPS[lesson.id]!) {
    const step = lesson.steps.find((s) => s.id === id);
    if (step?.kind !== 'experiment') throw new Error(`no experiment ${id}`);
    const start = startingOptions(step);
    const variants = [{}, ...lesson.steps.flatMap((q) => (q.kind === 'question' && q.run?.step === id ? [q.run.options] : []))];
    for (const v of variants) {
      const options = { ...start, ...v };
      // Trees and the map change nothing the questions read on the generated steps; fewer keep this test short.
      const fast = id === 'classify' ? { size: '60000', map: '0', trees: '40' } : id === 'scales' ? { size: '60000' } : {};
      const r = await runTask(step.task, { ...options, ...fast }, SEED);
      runs[id] = recordRun(runs[id] ?? [], options, r.json);
      results[id] = runs[id].at(-1)!.results;
    }
  }
  return { lesson, runs, ctx: { results, runs, attempt: 1 } };
}

beforeAll(async () => {
  for (const f of ['03-lidar-supervised.md', '04-lidar-unsupervised.md']) {
    const p = await play(f);
    played.set(p.lesson.id, p);
  }
}, 240_000);

const question = (lesson: string, id: string): QuestionStep => {
  const q = played.get(lesson)!.lesson.steps.find((s) => s.id === id);
  if (q?.kind !== 'question') throw new Error(`no question ${id}`);
  return q;
};
/** The value a run with `options` gave for `key`. */
const runValue = (lesson: string, step: string, options: Record<string, string>, key: string): number => {
  const run = [...played.get(lesson)!.runs[step]!].reverse().find((r) => Object.entries(options).every(([k, v]) => r.options[k] === v));
  return run!.results[key] as number;
};
const grade = (lesson: string, id: string, answer: string | number[]) => gradeAnswer(question(lesson, id), answer, played.get(lesson)!.ctx);
const choice = (lesson: string, id: string, text: RegExp) => question(lesson, id).options.findIndex((o) => text.test(o.text));

describe('lesson 3, the real scan: numbers from the student’s own runs', () => {
  const L = 'lidar-supervised';
  const ALL = { scales: '0.05,0.1,0.25,0.5' };

  it('the best radius (a prediction): 0.05 m, in metres or centimetres; 0.25 m gets the generated scan’s feedback', () => {
    expect(runValue(L, 'real-scales', ALL, 'best_scale_m')).toBe(0.05);
    expect(grade(L, 'predict-real-scale', '0.05').correct).toBe(true);
    expect(grade(L, 'predict-real-scale', '5 cm').correct).toBe(true);
    const wrong = grade(L, 'predict-real-scale', '0.25');
    expect(wrong.correct).toBe(false);
    expect(wrong.feedback).toMatch(/best radius on the generated scan/);
    expect(grade(L, 'predict-real-scale', 'the smallest').invalid).toBe(true);
  });

  it('the mean neighbours within 5 cm: right within 2 %, the generated scan’s count flagged', () => {
    const mine = runValue(L, 'real-scales', ALL, 'mean_neighbours');
    expect(mine).toBeGreaterThan(300);
    expect(grade(L, 'real-neighbours', String(mine)).correct).toBe(true);
    expect(grade(L, 'real-neighbours', `${Math.round(mine)} neighbours`).correct).toBe(true);
    const generated = runValue(L, 'scales', ALL, 'mean_neighbours');
    const g = grade(L, 'real-neighbours', String(generated));
    expect(g.correct).toBe(false);
    expect(g.feedback).toMatch(/generated scan/);
    expect(grade(L, 'real-neighbours', 'lots').invalid).toBe(true);
  });

  it('the forest’s balanced accuracy on four radii, the SVM’s on 0.5 m, and the spatial split’s, each from its own run', () => {
    const rf = runValue(L, 'real-classify', { model: 'rf', ...ALL }, 'balanced_accuracy');
    const acc = runValue(L, 'real-classify', { model: 'rf', ...ALL }, 'accuracy');
    const svm = runValue(L, 'real-classify', { model: 'svm', scales: '0.5' }, 'balanced_accuracy');
    const spatial = runValue(L, 'real-spatial', { model: 'rf', ...ALL }, 'balanced_accuracy');
    expect(rf).toBeGreaterThan(0.95);
    expect(svm).toBeLessThan(0.8);
    expect(grade(L, 'real-balanced', String(rf)).correct).toBe(true);
    expect(grade(L, 'real-balanced', `${(100 * rf).toFixed(1)}%`).correct).toBe(true);
    if (Math.abs(acc - rf) > 0.01) expect(grade(L, 'real-balanced', String(acc)).feedback).toMatch(/overall accuracy/);
    const gen = grade(L, 'real-balanced', String(runValue(L, 'classify', {}, 'balanced_accuracy')));
    expect(gen.correct).toBe(false);
    expect(gen.feedback).toMatch(/generated scan/);
    expect(grade(L, 'real-svm-coarse', String(svm)).correct).toBe(true);
    expect(grade(L, 'real-svm-coarse', String(rf)).correct).toBe(false);
    expect(grade(L, 'real-svm-coarse', String(runValue(L, 'real-classify', { model: 'svm', scales: '0.5' }, 'accuracy'))).feedback).toMatch(/overall accuracy/);
    expect(grade(L, 'real-spatial-balanced', String(spatial)).correct).toBe(true);
    // Another experiment's value comes from its latest run, whatever its options: a random split in every case.
    const latestRandom = played.get(L)!.ctx.results['real-classify']!.balanced_accuracy as number;
    if (Math.abs(spatial - latestRandom) > 0.01) expect(grade(L, 'real-spatial-balanced', String(latestRandom)).feedback).toMatch(/random split/);
    expect(grade(L, 'real-spatial-balanced', 'high').invalid).toBe(true);
  });

  it('the choice questions: the right choice, and each wrong one with its feedback', () => {
    for (const [id, right] of [
      ['real-why-fine', /dense everywhere/],
      ['real-forest-coarse', /Near-copies/],
      ['predict-spatial', /Lower it on most scans/],
      ['real-conclusion', /another tuft or another scan/],
    ] as const) {
      const q = question(L, id);
      const r = choice(L, id, right);
      expect(r, id).toBeGreaterThanOrEqual(0);
      expect(grade(L, id, [r]).correct, id).toBe(true);
      q.options.forEach((o, i) => {
        if (i === r) return;
        const g = grade(L, id, [i]);
        expect(g.correct, `${id} ${i}`).toBe(false);
        expect(g.feedback.startsWith(o.feedback!), `${id} ${i}`).toBe(true);
      });
    }
  });

  it('why a random split flatters: paraphrases accepted, wrong ideas and nonsense refused', () => {
    const right = [
      'the test points are right next to training points, so they share almost the same neighbours',
      'Spatial autocorrelation: test and training core points overlap at 50 cm.',
      'there is only one tuft and the model has already seen it in training',
      'information leaks from the training set to the test set',
      'near points have nearly identical features, so the test is not new data',
    ];
    for (const a of right) expect(grade(L, 'real-leak', a).correct, a).toBe(true);
    const wrong = [
      'because the vegetation is only ten percent of the points',
      'the random forest has too many trees',
      'the points are independent so the split is fair',
      'banana leak tuft',
      'the test points are far away from the training points',
    ];
    for (const a of wrong) expect(grade(L, 'real-leak', a).correct, a).toBe(false);
    expect(grade(L, 'real-leak', 'because the classes are imbalanced').feedback).toMatch(/Imbalance lowers/);
  });
});

describe('lesson 4, the real scan: clusters against the files', () => {
  const L = 'lidar-unsupervised';

  it('the vegetation’s cluster at k = 2 and k = 3, each from its own run; the other share and the purity flagged', () => {
    const p2 = runValue(L, 'real-kmeans', { k: '2' }, 'minority_cluster_precision');
    const r2 = runValue(L, 'real-kmeans', { k: '2' }, 'minority_cluster_recall');
    const p3 = runValue(L, 'real-kmeans', { k: '3' }, 'minority_cluster_precision');
    expect(p2).toBeLessThan(0.5);
    expect(r2).toBeGreaterThan(0.95);
    expect(p3).toBeGreaterThan(0.8);
    expect(grade(L, 'real-veg-cluster', String(p2)).correct).toBe(true);
    expect(grade(L, 'real-veg-cluster', `${(100 * p2).toFixed(1)} %`).correct).toBe(true);
    const swapped = grade(L, 'real-veg-cluster', String(r2));
    expect(swapped.correct).toBe(false);
    expect(swapped.feedback).toMatch(/other way round/);
    expect(grade(L, 'real-veg-cluster', String(runValue(L, 'real-kmeans', { k: '2' }, 'purity'))).feedback).toMatch(/purity/);
    expect(grade(L, 'real-k3', String(p3)).correct).toBe(true);
    expect(grade(L, 'real-k3', String(p2)).correct).toBe(false);
    expect(grade(L, 'real-k3', 'most of it').invalid).toBe(true);
  });

  it('the choice questions: the right choice, and each wrong one with its feedback', () => {
    for (const [id, right] of [
      ['predict-real-kmeans', /Poorly/],
      ['real-edges', /edges of the patch/],
      ['real-purity', /Little/],
      ['real-third-cluster', /edges of the patch/],
    ] as const) {
      const q = question(L, id);
      const r = choice(L, id, right);
      expect(r, id).toBeGreaterThanOrEqual(0);
      expect(grade(L, id, [r]).correct, id).toBe(true);
      q.options.forEach((o, i) => {
        if (i === r || !o.feedback) return;
        const g = grade(L, id, [i]);
        expect(g.correct, `${id} ${i}`).toBe(false);
        expect(g.feedback.startsWith(o.feedback), `${id} ${i}`).toBe(true);
      });
    }
    // The prediction is right on this run too: ARI below 0.5.
    expect(runValue(L, 'real-kmeans', { k: '2' }, 'ari')).toBeLessThan(0.5);
  });
});
