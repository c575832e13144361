// Session 6: the lesson files pass the checker, every result key their questions read exists, and the review,
// frugal and attention tasks compute what the lesson says they do (on small, fast settings).
import path from 'node:path';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { beforeAll, describe, expect, it } from 'vitest';
import { checkLessons } from '../../src/lessons/load.js';
import type { Lesson, QuestionStep } from '../../src/lessons/types.js';
import { openStore } from '../../src/store/index.js';
import { frugalFromReview, reviewStore, FRUGAL_WIDTHS } from '../../src/experiments/synthesis.js';
import { makeArrivalTraces, runAttention } from '../../src/experiments/attention.js';
import { runTask } from '../../src/experiments/registry.js';
import type { ExperimentResult } from '../../src/experiments/types.js';

const root = path.resolve(import.meta.dirname, '../..');

describe('lesson files', () => {
  let lesson: Lesson;
  beforeAll(() => {
    const check = checkLessons(path.join(root, 'lessons/06-synthesis.md'));
    expect(check.problems).toEqual([]);
    lesson = check.lessons[0]!;
  });
  it('06 has at least 15 questions of every kind, and a 10-question cross-session quiz', () => {
    const qs = lesson.steps.filter((s): s is QuestionStep => s.kind === 'question');
    expect(qs.length).toBeGreaterThanOrEqual(15);
    expect(new Set(qs.map((q) => q.type))).toEqual(new Set(['single', 'multiple', 'numeric', 'text', 'predict']));
    expect(qs.filter((q) => q.id.startsWith('quiz-')).length).toBeGreaterThanOrEqual(9);
    expect(qs.filter((q) => q.id.startsWith('read-') && q.type === 'text')).toHaveLength(7);
  });
  it('07 passes the checker', () => {
    const check = checkLessons(path.join(root, 'lessons/07-project.md'));
    expect(check.problems).toEqual([]);
    expect(check.lessons[0]!.session).toBe(7);
  });
  it('every =experiment.key of 06 is a key its task returns', async () => {
    const home = mkdtempSync(path.join(tmpdir(), 'eds-synth-'));
    const previous = process.env.EDS_HOME;
    process.env.EDS_HOME = home;
    try {
      const results = new Map<string, ExperimentResult>();
      const fast: Record<string, Record<string, string>> = { attention: { traces: '32', epochs: '2', backend: 'wasm' }, frugal: { epochs: '2' } };
      for (const step of lesson.steps) {
        if (step.kind !== 'experiment') continue;
        results.set(step.id, await runTask(step.task, { ...step.defaults, ...fast[step.task] }, 5));
      }
      for (const step of lesson.steps) {
        if (step.kind !== 'question' || step.answer?.kind !== 'result') continue;
        const value = results.get(step.answer.step)!.json[step.answer.key];
        expect(typeof value, `${step.id} reads ${step.answer.step}.${step.answer.key}`).toBe('number');
      }
    } finally {
      if (previous === undefined) delete process.env.EDS_HOME;
      else process.env.EDS_HOME = previous;
    }
  }, 120_000);
});

describe('review', () => {
  it('finds the saved results, the most-missed questions and the first-try share', () => {
    const store = openStore({ home: mkdtempSync(path.join(tmpdir(), 'eds-review-')), user: 'erin', env: {} });
    store.saveStep('volcano', 'classify-rf', 3, { results: { accuracy: 0.91, balanced_accuracy: 0.84 } });
    store.saveStep('neural', 'train-cnn', 2, { results: { parameters: 5258, seconds_per_epoch: 4, epochs: 5, accuracy: 0.97, backend: 'wasm' } });
    const answer = (lesson: string, question: string, correct: boolean | null) =>
      store.recordAttempt({ lesson, question, answer: 'x', correct, secondsSpent: 3, seed: 1 });
    answer('river', 'split-kind', false);
    answer('river', 'split-kind', false);
    answer('river', 'split-kind', true);
    answer('volcano', 'imbalance', false);
    answer('volcano', 'imbalance', true);
    answer('volcano', 'scaling', true);
    answer('project', 'choice', null); // ungraded text: not a question to review
    answer('neural', 'leaderboard-digits', true); // a leaderboard entry, logged like an answer: not one either
    // A reflection the student self-assessed as not covering the model answer awaits the instructor: not a miss.
    store.recordAttempt({
      lesson: 'synthesis',
      question: 'review-missed',
      answer: 'my thoughts',
      correct: false,
      secondsSpent: 9,
      seed: 1,
      grading: 'review',
      detail: { self_assessment: false, auto: null },
    });
    const review = reviewStore(store);
    store.close();
    expect(review.lessons.map((l) => l.lesson).sort()).toEqual(['neural', 'volcano']);
    expect(review.lessons.find((l) => l.lesson === 'volcano')!.results['classify-rf']).toEqual({ accuracy: 0.91, balanced_accuracy: 0.84 });
    expect(review.mostMissed.map((q) => [q.lesson, q.question, q.wrong, q.attempts])).toEqual([
      ['river', 'split-kind', 2, 3],
      ['volcano', 'imbalance', 1, 2],
    ]);
    expect(review.firstTryShare).toBeCloseTo(1 / 3, 12);
    // The CNN run reports parameters, time per epoch × epochs and accuracy: it joins the frugality chart at 15 W.
    expect(frugalFromReview(review)).toEqual([
      { name: 'neural/train-cnn', origin: 'yours', dataset: 'lesson neural', parameters: 5258, seconds: 20, energyJ: 300, accuracy: 0.97 },
    ]);
  });

  it('reads predictions an older eds logged with correct = NULL as the screen showed them', () => {
    const q = (id: string, extra: Partial<QuestionStep>): QuestionStep => ({
      kind: 'question',
      id,
      line: 1,
      type: 'predict',
      prompt: '?',
      options: [],
      patterns: [],
      wrong: [],
      hints: [],
      explain: '',
      attempts: 1,
      experiment: 'fit',
      ...extra,
    });
    const lesson: Lesson = {
      id: 'river',
      session: 1,
      title: 'River',
      summary: '',
      file: '/dev/null',
      steps: [
        { kind: 'experiment', id: 'fit', line: 1, title: 'Fit', body: '', task: 'regression', defaults: {}, choices: {} },
        q('grows', {
          options: [
            { text: 'It grows.', correct: true },
            { text: 'It shrinks.', correct: false },
          ],
        }),
        q('slope', { answer: { kind: 'result', step: 'fit', key: 'exponent' }, tolerance: { kind: 'absolute', value: 0.25 } }),
        q('slope-unrun', { answer: { kind: 'result', step: 'other', key: 'exponent' }, tolerance: { kind: 'absolute', value: 0.25 } }),
      ],
    };
    const store = openStore({ home: mkdtempSync(path.join(tmpdir(), 'eds-review-')), user: 'erin', env: {} });
    store.saveStep('river', 'fit', 0, { results: { exponent: 1.1 } });
    const answer = (question: string, text: string) =>
      store.recordAttempt({ lesson: 'river', question, answer: text, correct: null, secondsSpent: 3, seed: 1 });
    answer('grows', 'It grows.'); // right as shown
    answer('slope', '2'); // wrong against the saved run (1.1 ± 0.25)
    answer('slope', '1'); // right
    answer('slope-unrun', '1'); // its experiment was never run: cannot be told, left out
    answer('project', 'essay'); // not a lesson question: left out
    const withLessons = reviewStore(store, [lesson]);
    const without = reviewStore(store);
    store.close();
    expect(withLessons.questions.map((r) => [r.question, r.attempts, r.wrong, r.firstTry])).toEqual([
      ['grows', 1, 0, true],
      ['slope', 2, 1, false],
    ]);
    expect(withLessons.mostMissed.map((r) => r.question)).toEqual(['slope']);
    expect(withLessons.firstTryShare).toBeCloseTo(0.5, 12);
    // Without the lessons nothing can be told: none is counted, and none counted wrong.
    expect(without.questions).toEqual([]);
  });
});

describe('frugal', () => {
  it('measures every reference model and names the smallest within one point of the best', async () => {
    const r = await runTask('frugal', { epochs: '3', mine: 'no' }, 1);
    const ref = r.json.reference as { name: string; parameters: number; energy_j: number; accuracy: number; seconds: number }[];
    // 30 features, 2 classes: logistic regression 31 numbers, an MLP with h hidden units 30h + h + 2h + 2.
    expect(ref.map((x) => x.parameters)).toEqual([31, ...FRUGAL_WIDTHS.map((h) => 33 * h + 2)]);
    for (const x of ref) expect(x.energy_j).toBeCloseTo(x.seconds * 15, 2);
    const best = Math.max(...ref.map((x) => x.accuracy));
    const enough = ref.find((x) => x.name === r.json.good_enough_model)!;
    expect(enough.accuracy).toBeGreaterThanOrEqual(best - 0.01 - 1e-9);
    expect(ref.filter((x) => x.accuracy >= best - 0.01 && x.parameters < enough.parameters)).toEqual([]);
    expect(r.json.parameter_ratio).toBeCloseTo(8450 / enough.parameters, 1);
    expect(r.figures[0]!.render({ width: 60, height: 14, colors: 0, unicode: false })).toMatch(/energy/);
  }, 60_000);
});

describe('attention', () => {
  it('toy traces: an arrival well inside the window, seeded', () => {
    const a = makeArrivalTraces(50, 32, 4, 9);
    expect(a).toEqual(makeArrivalTraces(50, 32, 4, 9));
    for (const [i, t0] of a.onset.entries()) {
      expect(t0).toBeGreaterThanOrEqual(3);
      expect(t0).toBeLessThan(27);
      // The first arrival sample carries the full amplitude on top of unit noise.
      expect(Math.abs(a.x[i]![t0]!)).toBeGreaterThan(0);
    }
  });
  it('learns to find the arrival, and looks there', async () => {
    const r = await runAttention({ seed: 3, traces: 128, epochs: 40, snr: 8, backend: 'wasm' });
    const j = r.json as Record<string, number>;
    expect(j.parameters).toBe(2 * 16 + 32 * 16 + 4 * 16 * 16 + 16);
    expect(j.accuracy_within_1).toBeGreaterThan(3 * j.chance_within_1!);
    expect(j.attention_near_onset).toBeGreaterThan(2 * j.attention_uniform!);
    const heat = r.figures[1]!.render({ width: 70, height: 20, colors: 0, unicode: true });
    expect(heat).toContain('key sample');
  }, 120_000);
});
