// Answers as a teacher would take them, on the shipped lessons: a count given with the word the question uses for
// what it counts ("48 outliers"), a value after its name ("γ = 1.27", "k=3"); a wrong unit still hinted and not
// counted; and a non-answer ("idk random") asked for a sentence, never told it is "partly" right.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { gradeAnswer, parseLesson } from '../../src/lessons/index.js';
import type { ExperimentRun, GradeContext, Lesson, QuestionStep } from '../../src/lessons/index.js';
import { withoutName } from '../../src/lessons/numbers.js';
import { countedWords, findUnit, readQuantity } from '../../src/lessons/units.js';

function lesson(file: string): Lesson {
  const { lesson: l, problems } = parseLesson(readFileSync(file, 'utf8'), file);
  expect(problems).toEqual([]);
  return l!;
}
const river = lesson('lessons/01-river.md');
const question = (id: string): QuestionStep => river.steps.find((s) => s.id === id) as QuestionStep;
const ctxOf = (step: string, runs: ExperimentRun[]): GradeContext => ({ results: { [step]: runs.at(-1)!.results }, runs: { [step]: runs }, attempt: 1 });

describe('a count answered with the word the question counts', () => {
  const q = question('ransac-outliers');
  const ctx = ctxOf('fit-linear', [{ options: { stage: 'fit', scale: 'linear', model: 'ransac' }, results: { n_outliers: 48 } }]);

  it.each(['48 outliers', '48 outlier', '48 Outliers', '48 samples', '48', 'n = 48 outliers', '48 outliers.'])('right: %j', (answer) => {
    const g = gradeAnswer(q, answer, ctx);
    expect(g.invalid).toBeUndefined();
    expect(g.correct).toBe(true);
  });

  it.each(['47 outliers', '50 samples'])('wrong, and counted: %j', (answer) => {
    const g = gradeAnswer(q, answer, ctx);
    expect(g).toMatchObject({ correct: false });
    expect(g.invalid).toBeUndefined();
  });

  it('a unit of another kind, or another thing counted, gets the hint and no attempt', () => {
    expect(gradeAnswer(q, '48 s', ctx)).toMatchObject({ invalid: true, feedback: expect.stringContaining('this question asks for a number of samples') });
    expect(gradeAnswer(q, '48 points', ctx)).toMatchObject({ invalid: true, feedback: expect.stringContaining('"48 points" is a number of points') });
    expect(gradeAnswer(q, '48 %', ctx)).toMatchObject({ invalid: true });
  });

  it('a word the question does not use is not read as the unit', () => {
    expect(gradeAnswer(q, '48 bananas', ctx)).toMatchObject({ invalid: true, feedback: expect.stringContaining('is not a number I can read') });
    expect(gradeAnswer(q, 'many outliers', ctx)).toMatchObject({ invalid: true });
  });

  it('the words taken from the prompt are its content words, without units of another kind', () => {
    const words = countedWords('How many samples were kept in the first hour?');
    expect(words.has('samples')).toBe(true);
    expect(words.has('sample')).toBe(true);
    expect(words.has('hour')).toBe(false);
    expect(words.has('the')).toBe(false);
    const unit = findUnit('samples')!;
    expect(readQuantity('12 hours', unit, words)).toMatchObject({ kind: 'wrong-dimension' });
    expect(readQuantity('12 kept', unit, words)).toMatchObject({ kind: 'number', read: { value: 12 } });
    // Without the prompt's words, only the unit's own aliases.
    expect(readQuantity('12 kept', unit)).toEqual({ kind: 'unreadable' });
  });

  it('the volcano count accepts the icequakes by their code', () => {
    const volcano = lesson('lessons/02-volcano.md');
    const ic = volcano.steps.find((s) => s.kind === 'question' && s.unit === 'events') as QuestionStep;
    expect(ic.prompt).toMatch(/icequakes \(`IC`\)/);
    const words = countedWords(ic.prompt);
    const unit = findUnit('events')!;
    for (const a of ['10 IC', '10 icequakes', '10 IC events']) expect(readQuantity(a, unit, words)).toMatchObject({ kind: 'number', read: { value: 10 } });
  });
});

describe('a value after its name', () => {
  it.each([
    ['γ = 1.27', '1.27'],
    ['slope = 0.98', '0.98'],
    ['k=3', '3'],
    ['the slope = 0.98', '0.98'],
    ['R² = 0.91', '0.91'],
    ['flux: 120 t', '120 t'],
    ['gamma ≈ 1.27', '1.27'],
    ['slope=-0.5', '-0.5'],
  ])('%j is read as %j', (typed, rest) => {
    expect(withoutName(typed)).toBe(rest);
  });

  it.each(['1.27', 'ratio 1:2', '= 5', 'slope =', '3 = 4'])('%j is left as it is', (typed) => {
    expect(withoutName(typed)).toBe(typed);
  });

  it('grades the number after the name, right and wrong, and still refuses words', () => {
    const q = question('exponent');
    const ctx = ctxOf('fit-log', [{ options: { stage: 'fit', scale: 'log', model: 'linear' }, results: { exponent: 1.27, prefactor_mg_l: 3.1 } }]);
    expect(gradeAnswer(q, 'γ = 1.27', ctx).correct).toBe(true);
    expect(gradeAnswer(q, 'slope = 1.268', ctx).correct).toBe(true);
    expect(gradeAnswer(q, 'γ = 0.98', ctx)).toMatchObject({ correct: false });
    expect(gradeAnswer(q, 'γ = 0.98', ctx).invalid).toBeUndefined();
    // The anticipated mix-up is recognised with a name too.
    expect(gradeAnswer(q, 'α = 3.1', ctx).feedback).toContain('That is the prefactor α');
    expect(gradeAnswer(q, 'gamma = about one', ctx)).toMatchObject({ invalid: true });
    // A name before a value with a unit of the wrong kind is still hinted.
    expect(gradeAnswer(question('kept'), 'n = 12 s', ctxOf('align', [{ options: {}, results: { samples_kept: 12 } }]))).toMatchObject({ invalid: true });
  });
});

describe('a non-answer is asked for a sentence, even when a short wrong: line would match it', () => {
  const q = question('why-split');
  const ctx: GradeContext = { results: {}, attempt: 1 };

  it.each(['idk random', 'random idk', "I don't know, random", 'no idea, luck', 'dunno chance'])('%j: asked for a sentence, not counted', (answer) => {
    const g = gradeAnswer(q, answer, ctx);
    expect(g.invalid).toBe(true);
    expect(g.feedback).toMatch(/^Answer in a sentence/);
    expect(g.feedback).not.toContain('Partly');
  });

  it.each(['idk', 'asdf', '???'])('%j: asked for a sentence', (answer) => {
    expect(gradeAnswer(q, answer, ctx)).toMatchObject({ invalid: true, feedback: expect.stringMatching(/^Answer in a sentence/) });
  });

  it('a short anticipated mistake that is a real guess still gets its feedback, and is not counted', () => {
    const g = gradeAnswer(q, 'luck', ctx);
    expect(g.invalid).toBe(true);
    expect(g.feedback).toMatch(/^Partly, but there is a systematic reason/);
    expect(g.feedback).toContain('not counted as a try');
  });

  it('a paraphrased wrong idea in a sentence is graded wrong with the feedback; a right one right', () => {
    expect(gradeAnswer(q, 'the shuffled folds were just luckier by chance', ctx)).toMatchObject({ correct: false, feedback: expect.stringMatching(/^Partly/) });
    expect(gradeAnswer(q, 'samples of the same flood are near copies, so shuffled folds put twins in the training and the test set', ctx).correct).toBe(true);
  });
});
