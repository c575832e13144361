// `eds lessons try`: one answer graded as the tutor grades it, against the run the question names, for the seed the
// student would get (or --seed), with nothing recorded; every question kind; usage errors as one line, exit 2.
import { existsSync, mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../support/cli.js';
import { runTask } from '../../src/experiments/registry.js';
import { studentSeed } from '../../src/tutor/open-services.js';
import { checkLessons } from '../../src/lessons/load.js';

const root = join(import.meta.dirname, '../..');

const saved = { home: process.env.EDS_HOME, user: process.env.EDS_USER, lessons: process.env.EDS_LESSONS_DIR };
let home: string;

beforeAll(() => {
  home = mkdtempSync(join(tmpdir(), 'eds-try-'));
  process.env.EDS_HOME = home;
  process.env.EDS_USER = 'carol';
  delete process.env.EDS_LESSONS_DIR;
});
afterAll(() => {
  for (const [key, value] of [
    ['EDS_HOME', saved.home],
    ['EDS_USER', saved.user],
    ['EDS_LESSONS_DIR', saved.lessons],
  ] as const) {
    if (value === undefined) delete process.env[key];
    else process.env[key] = value;
  }
});

const tryJson = async (...args: string[]) => {
  const r = await runCli(['lessons', 'try', ...args, '--json']);
  expect(r.code, r.err).toBe(0);
  return JSON.parse(r.out) as {
    correct: boolean;
    invalid: boolean;
    feedback: string;
    expected?: number;
    run?: { step: string; options: Record<string, string> };
    seed: number;
    hint?: string;
    modelAnswer?: string;
  };
};

/** RANSAC's outliers in linear space, as the student's own run gives them. */
async function ransacOutliers(seed: number): Promise<number> {
  const r = await runTask('river', { stage: 'fit', scale: 'linear', model: 'ransac' }, seed);
  return r.json.n_outliers as number;
}

describe('eds lessons try', () => {
  it('grades against the run the question names, for the seed the student gets', async () => {
    const seed = studentSeed('carol', 'river');
    const right = await ransacOutliers(seed);
    const out = await tryJson('river', 'ransac-outliers', String(right));
    expect(out).toMatchObject({
      correct: true,
      invalid: false,
      expected: right,
      seed,
      run: { step: 'fit-linear', options: { stage: 'fit', scale: 'linear', model: 'ransac' } },
    });
    expect(out.feedback).toContain('Checked against your run of experiment 3a with model=ransac.');
    const wrong = await tryJson('river', 'ransac-outliers', String(right + 5));
    expect(wrong).toMatchObject({ correct: false, invalid: false, expected: right });
    expect(wrong.hint).toContain('model=ransac');
  }, 60_000);

  it('takes another seed, and another student’s seed', async () => {
    const right = await ransacOutliers(5);
    expect(await tryJson('river', 'ransac-outliers', `${right} samples`, '--seed', '5')).toMatchObject({ correct: true, seed: 5, expected: right });
    expect((await tryJson('river', 'ransac-outliers', '1', '--user', 'dave')).seed).toBe(studentSeed('dave', 'river'));
  }, 60_000);

  it('with the options set otherwise, says which run to make, as the tutor would', async () => {
    const out = await tryJson('river', 'ransac-outliers', '3', '--option', 'model=huber');
    expect(out).toMatchObject({ correct: false, invalid: true });
    expect(out.feedback).toBe(
      'Run experiment 3a with model=ransac first (there, Tab to the options, ←→ to change it, Enter to run): the expected value comes from your own run.',
    );
  }, 60_000);

  it('refuses a unit of the wrong kind without grading it', async () => {
    const out = await tryJson('river', 'ransac-outliers', '12 points');
    expect(out).toMatchObject({ correct: false, invalid: true });
    expect(out.feedback).toContain('asks for a number of samples');
  }, 60_000);

  it('grades a numeric prediction against the run its experiment makes', async () => {
    const out = await tryJson('river', 'predict-exponent', '1');
    expect(out.run).toMatchObject({ step: 'fit-log', options: { model: 'linear', scale: 'log' } });
    expect(typeof out.expected).toBe('number');
    expect(out.correct).toBe(Math.abs(out.expected! - 1) <= 0.25);
  }, 60_000);

  it('grades choices by letter and text through the same grader, with no experiment to run', async () => {
    expect(await tryJson('river', 'codes', 'a, b, c')).toMatchObject({ correct: true, invalid: false });
    const wrong = await tryJson('river', 'codes', 'D');
    expect(wrong).toMatchObject({ correct: false, invalid: false });
    expect(wrong.feedback).toContain('Clear water can read 0 NTU');
    const text = await tryJson(
      'river',
      'why-log',
      'Because SSC is a power law of turbidity, a straight line in log–log axes, and its errors are multiplicative.',
    );
    expect(typeof text.correct).toBe('boolean');
    expect(text.feedback.length).toBeGreaterThan(0);
    expect(text.run).toBeUndefined();
    // A right text answer shows the model answer beside it, as the tutor does: the question's own model answer is right.
    const whyLog = checkLessons(join(root, 'lessons/01-river.md')).lessons[0]?.steps.find((s) => s.id === 'why-log');
    const model = whyLog?.kind === 'question' ? whyLog.answerText : undefined;
    expect(model).toBeTruthy();
    expect(await tryJson('river', 'why-log', model!)).toMatchObject({ correct: true, modelAnswer: model });
    expect((await runCli(['lessons', 'try', 'river', 'why-log', model!])).out).toBe(`right: Correct!\nmodel answer: ${model!.replace(/\s+/g, ' ')}\n`);
    expect((await tryJson('river', 'why-log', 'because of the colour of the water')).modelAnswer).toBeUndefined();
    // A review-mode question shows what the student would see: the model answer, and what its match: lines say.
    const review = (await tryJson(
      'synthesis',
      'review-missed',
      'I thought shuffled folds were luckier; bottles of one flood are near copies on both sides.',
    )) as { review?: { modelAnswer: string; auto: boolean | null }; invalid: boolean };
    expect(review.invalid).toBe(false);
    expect(review.review?.modelAnswer).toMatch(/^Whichever question you chose, a good answer/);
    const plain = await runCli([
      'lessons',
      'try',
      'synthesis',
      'review-missed',
      'I thought shuffled folds were luckier; bottles of one flood are near copies.',
    ]);
    expect(plain.out).toMatch(/^for review \(match: lines say (nothing|right|wrong)\): .*\nmodel answer: Whichever question you chose/);
  }, 60_000);

  it('prints a line or two without --json', async () => {
    const right = await ransacOutliers(5);
    const r = await runCli(['lessons', 'try', 'river', 'ransac-outliers', String(right), '--seed', '5']);
    expect(r.code).toBe(0);
    const lines = r.out.trimEnd().split('\n');
    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatch(/^right: Correct! The expected value is \d+ samples\. Checked against your run of experiment 3a with model=ransac\.$/);
    expect(lines[1]).toBe(`expected ${right}, from fit-linear (stage=fit, scale=linear, model=ransac), seed 5`);
  }, 60_000);

  it('reads a lesson file, and records nothing', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'eds-try-lesson-'));
    const file = join(dir, '01-gauge.md');
    writeFileSync(
      file,
      '---\nid: gauge\nsession: 1\ntitle: G\nsummary: S.\n---\n:::experiment fit\ntask: tour\ndefaults: points=20 noise=5\nchoose: noise=5|1\n:::\n' +
        ':::question slope\ntype: numeric\nanswer: =fit.slope\nrun: fit noise=1\ntolerance: 0.001\n\nSlope with little noise?\n:::\n',
    );
    const slope = (await runTask('tour', { points: '20', noise: '1' }, studentSeed('carol', 'gauge'))).json.slope as number;
    expect(await tryJson(file, 'slope', String(slope))).toMatchObject({ correct: true, run: { step: 'fit', options: { noise: '1', points: '20' } } });
    expect(existsSync(join(home, 'eds.db'))).toBe(false);
    expect(readdirSync(home)).toEqual([]);
  }, 60_000);

  it('names an unknown lesson or question, or a step that is not a question, in one line with exit 2', async () => {
    const cases: Array<[string[], RegExp]> = [
      [['nope', 'q', '1'], /^eds: no lesson "nope" \(lessons: intro, river/],
      [['river', 'nope', '1'], /^eds: lesson river has no question "nope" \(questions: codes, /],
      [['river', 'fit-linear', '1'], /^eds: "fit-linear" is an experiment of lesson river, not a question/],
      [['river', 'kept', '1', '--option', 'max_gap'], /^eds: --option takes option=value/],
      [['river', 'kept', '1', '--seed', '-3'], /^eds: --seed must be a whole number/],
      [['/no/such/01-x.md', 'q', '1'], /^eds: \/no\/such\/01-x\.md: no such lesson file/],
    ];
    for (const [args, message] of cases) {
      const r = await runCli(['lessons', 'try', ...args]);
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.err.split('\n')[0]).toMatch(message);
      expect(r.err).not.toMatch(/at .*\.[jt]s:\d+/);
      expect(r.out).toBe('');
    }
  });
});
