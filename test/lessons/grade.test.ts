// Grading: tolerances, the many ways of writing a number, patterns, anticipated mistakes, hints and reveals.
import { describe, expect, it } from 'vitest';
import { gradeAnswer, parseLesson, readNumber } from '../../src/lessons/index.js';
import type { GradeContext, QuestionStep } from '../../src/lessons/index.js';

/** Parses one question block (after an experiment `fit`) from a small lesson. */
function question(block: string): QuestionStep {
  const text = `---\nid: t\nsession: 1\ntitle: T\nsummary: S.\n---\n:::experiment fit\ntask: regression\n:::\n${block}\n`;
  const { lesson, problems } = parseLesson(text, 't.md');
  expect(problems).toEqual([]);
  return lesson!.steps[1] as QuestionStep;
}

const ctx = (attempt = 1, results: GradeContext['results'] = {}): GradeContext => ({ attempt, results });

describe('reading numbers', () => {
  it.each(['0.5', '.5', '+0.5', '5e-1', '5E-1', '1/2', ' 1 / 2 ', '50%', '50 %', '0,5', '  0.5  ', '5x10^-1', '5×10^-1', '5 * 10^-1'])('%s is 0.5', (s) => {
    expect(readNumber(s)?.value).toBeCloseTo(0.5, 12);
  });
  it.each(['', 'half', '0.5 mg/L', '1/0', '1,5,6', '1.5.6', '--1', '1e', 'NaN', 'Infinity'])('%j is not a number', (s) => {
    expect(readNumber(s)).toBeNull();
  });
  it('reads the Unicode minus and marks percentages', () => {
    expect(readNumber('−0.25')).toEqual({ value: -0.25, percent: false });
    expect(readNumber('42%')).toEqual({ value: 0.42, percent: true });
    expect(readNumber('1,500')?.value).toBe(1.5);
  });
  it('reads a comma before exactly three digits both ways, and several such commas as thousands separators', () => {
    expect(readNumber('1,500')).toEqual({ value: 1.5, percent: false, thousands: 1500 });
    expect(readNumber('-12,345')).toEqual({ value: -12.345, percent: false, thousands: -12345 });
    expect(readNumber('1,234,567')).toEqual({ value: 1234567, percent: false });
    expect(readNumber('1,5')).toEqual({ value: 1.5, percent: false });
    expect(readNumber('1234,567')).toEqual({ value: 1234.567, percent: false });
    expect(readNumber('12,500%')).toEqual({ value: 0.125, percent: true, thousands: 125 });
    expect(readNumber('1,23,456')).toBeNull();
  });
});

describe('numeric questions', () => {
  const abs = question(':::question q\ntype: numeric\nanswer: 0.42\ntolerance: 0.01\n\nHow much?\n:::');
  const rel = question(':::question q\ntype: numeric\nanswer: 200\ntolerance: 5%\n\nHow much?\n:::');
  it('absolute tolerance, inclusive at its edge', () => {
    expect(gradeAnswer(abs, '0.43', ctx()).correct).toBe(true);
    expect(gradeAnswer(abs, '0.41', ctx()).correct).toBe(true);
    expect(gradeAnswer(abs, '0.4311', ctx()).correct).toBe(false);
    expect(gradeAnswer(abs, '42%', ctx()).correct).toBe(true);
    expect(gradeAnswer(abs, '0,42', ctx()).correct).toBe(true);
  });
  it('relative tolerance scales with the expected value', () => {
    expect(gradeAnswer(rel, '210', ctx()).correct).toBe(true);
    expect(gradeAnswer(rel, '189.9', ctx()).correct).toBe(false);
    expect(gradeAnswer(rel, '2e2', ctx()).expected).toBe(200);
  });
  it('tolerance 0 is exact but forgives floating-point noise', () => {
    const exact = question(':::question q\ntype: numeric\nanswer: 0.3\ntolerance: 0\n\nHow much?\n:::');
    expect(gradeAnswer(exact, '0.30000000000000004', ctx()).correct).toBe(true);
    expect(gradeAnswer(exact, '0.3001', ctx()).correct).toBe(false);
  });
  it('a percentage may be the quantity itself', () => {
    const pct = question(':::question q\ntype: numeric\nanswer: 42\ntolerance: 1\n\nWhat percentage?\n:::');
    const g = gradeAnswer(pct, '42%', ctx());
    expect([g.correct, g.normalized]).toEqual([true, '42']);
  });
  it('feedback on a right answer shows the expected value; a wrong one does not', () => {
    expect(gradeAnswer(abs, '0.42', ctx()).feedback).toBe('Correct! The expected value is 0.42 (± 0.01).');
    expect(gradeAnswer(abs, '0.9', ctx()).feedback).toBe('Not quite.');
    expect(gradeAnswer(abs, '0,9', ctx()).feedback).toBe('Not quite. (read as 0.9)');
  });
  it('an ambiguous comma is right when either reading is, and a wrong one says both readings', () => {
    const params = question(':::question q\ntype: numeric\nanswer: 1500\ntolerance: 0\n\nHow many?\n:::');
    const small = question(':::question q\ntype: numeric\nanswer: 1.5\ntolerance: 0\n\nHow much?\n:::');
    expect(gradeAnswer(params, '1,500', ctx())).toMatchObject({ correct: true, normalized: '1500' });
    expect(gradeAnswer(small, '1,500', ctx())).toMatchObject({ correct: true, normalized: '1.5' });
    expect(gradeAnswer(params, '1,600', ctx()).feedback).toBe('Not quite. (read as 1.6 or 1600)');
    expect(gradeAnswer(params, '1,500,000', ctx()).correct).toBe(false);
  });
  it('unreadable answers are invalid: no hint, no reveal, not an attempt', () => {
    const g = gradeAnswer(abs, '0.42 mg/L', ctx(3));
    expect(g).toEqual({
      correct: false,
      invalid: true,
      feedback: '"0.42 mg/L" is not a number I can read: type a number such as 0.42, 4.2e-1, 42% or 1/2 (no units).',
      normalized: '0.42 mg/L',
    });
    expect(gradeAnswer(abs, [1], ctx()).invalid).toBe(true);
  });
  it('normalizes equivalent forms for the log', () => {
    expect(gradeAnswer(abs, ' 21/50 ', ctx()).normalized).toBe('0.42');
  });
});

describe('anticipated wrong answers, hints and reveal', () => {
  const q = question(
    ':::question q\ntype: numeric\nanswer: 0.42\ntolerance: 0.01\nwrong: 0.24 -> You swapped the digits.\nwrong: /mg/i -> Just the number, please.\n' +
      'hint: first\nhint: second\nexplain: Because.\n\nHow much?\n:::',
  );
  it('specific feedback for an anticipated value, within the tolerance', () => {
    expect(gradeAnswer(q, '0.245', ctx()).feedback).toBe('You swapped the digits.');
    expect(gradeAnswer(q, '0.3', ctx()).feedback).toBe('Not quite.');
  });
  it('an anticipated pattern catches a non-number without counting an attempt', () => {
    expect(gradeAnswer(q, '0.42 mg', ctx())).toMatchObject({ correct: false, invalid: true, feedback: 'Just the number, please.' });
  });
  it('hints in order, then the reveal after the last attempt', () => {
    const g1 = gradeAnswer(q, '0.3', ctx(1));
    const g2 = gradeAnswer(q, '0.3', ctx(2));
    const g3 = gradeAnswer(q, '0.3', ctx(3));
    expect([g1.hint, g2.hint, g3.hint]).toEqual(['first', 'second', undefined]);
    expect([g1.revealed, g2.revealed]).toEqual([undefined, undefined]);
    expect(g3.revealed).toEqual({ answer: '0.42 (± 0.01)', explain: 'Because.' });
  });
  it('attempts: 1 reveals at the first wrong answer; the explanation comes with a right one', () => {
    const once = question(':::question q\ntype: numeric\nanswer: 1\ntolerance: 0\nattempts: 1\nhint: h\nexplain: E.\n\nHow much?\n:::');
    expect(gradeAnswer(once, '2', ctx(1))).toMatchObject({ revealed: { answer: '1', explain: 'E.' } });
    expect(gradeAnswer(once, '2', ctx(1)).hint).toBeUndefined();
    expect(gradeAnswer(once, '1', ctx(1))).toMatchObject({ correct: true, explain: 'E.' });
  });
});

describe("answers from the student's own run", () => {
  const q = question(
    ':::question q\ntype: numeric\nanswer: =fit.rmse_test\ntolerance: 2%\nwrong: =fit.rmse_train -> That is the training error.\n\nTest RMSE?\n:::',
  );
  const results = { fit: { rmse_test: 12.5, rmse_train: 8 } };
  it('uses the result of the run', () => {
    expect(gradeAnswer(q, '12.6', ctx(1, results))).toMatchObject({ correct: true, expected: 12.5 });
    expect(gradeAnswer(q, '12.6', ctx(1, { fit: { rmse_test: 20, rmse_train: 8 } })).correct).toBe(false);
    expect(gradeAnswer(q, '12.5', ctx(1, { fit: { rmse_test: '12.5' } })).correct).toBe(true);
  });
  it('recognizes the other result as an anticipated mistake', () => {
    expect(gradeAnswer(q, '8', ctx(1, results)).feedback).toBe('That is the training error.');
  });
  it('reads an answer within the tolerance but nearer a mix-up the tolerance tells apart as that mix-up', () => {
    // As the spatial split's score asked with the random split's 0.016 above it, ± 0.01 (a tester typed 0.977).
    const spatial = question(
      ':::question q\ntype: numeric\nanswer: =fit.rmse_test\ntolerance: 0.01\nwrong: =fit.rmse_train -> That is the random split.\n\nSpatial score?\n:::',
    );
    const apart = { fit: { rmse_test: 0.9681, rmse_train: 0.9838 } };
    for (const right of ['0.9681', '0.968', '0.97', '0.975', '0.96', '96.8%']) expect(gradeAnswer(spatial, right, ctx(1, apart)).correct, right).toBe(true);
    for (const mixedUp of ['0.977', '0.978', '0.9838', '0.98'])
      expect(gradeAnswer(spatial, mixedUp, ctx(1, apart)).feedback, mixedUp).toBe('That is the random split.');
    // A mix-up within the tolerance of the answer cannot be told from it: the answer stays right.
    const close = { fit: { rmse_test: 0.9681, rmse_train: 0.972 } };
    for (const answer of ['0.97', '0.972', '0.975']) expect(gradeAnswer(spatial, answer, ctx(1, close)).correct, answer).toBe(true);
  });
  it('asks to run the experiment first instead of failing', () => {
    expect(gradeAnswer(q, '12.5', ctx(1, {}))).toEqual({
      correct: false,
      invalid: true,
      feedback: 'Run the experiment "fit" first: the expected value comes from your own run.',
      normalized: '12.5',
    });
    expect(gradeAnswer(q, '12.5', ctx(1, { fit: { r2: 0.9 } }))).toMatchObject({ invalid: true, feedback: expect.stringContaining('gave no "rmse_test"') });
  });
});

describe('text questions', () => {
  const q = question(
    [
      ':::question q\ntype: text\npattern: /^log/\npattern: /power\\s*law/\nwrong: /linear/ -> Linear axes are what fails.\nanswer: Log–log axes.\nattempts: 2',
      ...['log axes, both', 'Log–log, as the relation is a power law', 'a power law', 'it is a power law', 'logarithmic axes'].map((a) => `accept: ${a}`),
      ...['linear axes', 'use log axes', 'cubic axes', 'semi-log plot', 'no idea'].map((r) => `refuse: ${r}`),
      '\nWhich axes?\n:::',
    ].join('\n'),
  );
  it('case- and whitespace-insensitive, anchored as written', () => {
    expect(gradeAnswer(q, '  LOG-log axes ', ctx()).correct).toBe(true);
    expect(gradeAnswer(q, 'it is a Power   Law', ctx()).correct).toBe(true);
    expect(gradeAnswer(q, 'use log axes', ctx()).correct).toBe(false);
  });
  it('anticipated wrong patterns before the generic message; acceptance first', () => {
    expect(gradeAnswer(q, 'linear ones', ctx()).feedback).toBe('Linear axes are what fails.');
    expect(gradeAnswer(q, 'cubic axes, surely', ctx()).feedback).toBe('Not quite.');
    expect(gradeAnswer(q, 'log, not linear', ctx()).correct).toBe(true);
  });
  it('normalized form and reveal with the model answer', () => {
    expect(gradeAnswer(q, '  Power \n Law ', ctx()).normalized).toBe('power law');
    expect(gradeAnswer(q, 'cubic axes, surely', ctx(2)).revealed).toEqual({ answer: 'Log–log axes.', explain: '' });
    expect(gradeAnswer(q, 'no idea', ctx(2))).toMatchObject({ invalid: true, correct: false });
    expect(gradeAnswer(q, '   ', ctx()).invalid).toBe(true);
  });
});

describe('choice questions', () => {
  const single = question(':::question q\ntype: single\n\nWhich?\n- [ ] a -> Not a.\n- [x] b -> Yes, b.\n- [ ] c\n:::');
  const multi = question(':::question q\ntype: multiple\n\nWhich?\n- [x] a\n- [x] b -> b was needed.\n- [ ] c -> Not c.\n- [ ] d\n:::');
  it("single: the picked choice's feedback", () => {
    expect(gradeAnswer(single, [1], ctx())).toMatchObject({ correct: true, feedback: 'Yes, b.', normalized: 'B' });
    expect(gradeAnswer(single, [0], ctx())).toMatchObject({ correct: false, feedback: 'Not a.' });
    expect(gradeAnswer(single, [2], ctx()).feedback).toBe('Not quite.');
    expect(gradeAnswer(single, [0, 1], ctx())).toMatchObject({ invalid: true, feedback: 'Pick exactly one choice.' });
    expect(gradeAnswer(single, [5], ctx()).invalid).toBe(true);
    expect(gradeAnswer(single, [0], ctx(3)).revealed).toEqual({ answer: 'b', explain: '' });
  });
  it('single: typed letters or 1-based numbers', () => {
    expect(gradeAnswer(single, ' b ', ctx()).correct).toBe(true);
    expect(gradeAnswer(single, '2', ctx()).correct).toBe(true);
    expect(gradeAnswer(single, 'z', ctx()).invalid).toBe(true);
  });
  it('multiple: exactly the set of right choices, in any order', () => {
    expect(gradeAnswer(multi, [1, 0], ctx())).toMatchObject({ correct: true, normalized: 'A,B' });
    expect(gradeAnswer(multi, 'b, a', ctx()).correct).toBe(true);
    expect(gradeAnswer(multi, [0, 1, 3], ctx())).toMatchObject({ correct: false, feedback: 'Not quite. "d" is not right.' });
  });
  it('multiple: feedback per wrongly picked and per missed choice', () => {
    expect(gradeAnswer(multi, [0, 2], ctx()).feedback).toBe('Not quite. Not c. b was needed.');
    expect(gradeAnswer(multi, [1], ctx()).feedback).toBe('Not quite. You missed a right choice.');
    expect(gradeAnswer(multi, [], ctx()).invalid).toBe(true);
    expect(gradeAnswer(multi, [3], ctx(3)).revealed?.answer).toBe('a; b');
  });
});

describe('predict questions', () => {
  const text = `---\nid: t\nsession: 1\ntitle: T\nsummary: S.\n---\n:::question p\ntype: predict\nexperiment: fit\nanswer: =fit.rmse_test\ntolerance: 10%\nexplain: E.\n\nGuess the RMSE.\n- [x] Up\n- [ ] Down -> It went up.\n:::\n:::experiment fit\ntask: regression\n:::\n`;
  const p = parseLesson(text, 't.md').lesson!.steps[0] as QuestionStep;
  it('a wrong prediction reveals the answer at once', () => {
    expect(gradeAnswer(p, [1], ctx(1))).toMatchObject({ correct: false, feedback: 'It went up.', revealed: { answer: 'Up', explain: 'E.' } });
    expect(gradeAnswer(p, [0], ctx(1))).toMatchObject({ correct: true, explain: 'E.' });
  });
  it('a numeric guess is graded against the run', () => {
    const g = gradeAnswer(p, '11', ctx(1, { fit: { rmse_test: 15 } }));
    expect(g).toMatchObject({ correct: false, feedback: 'Your prediction was off: the run gave 15 (± 10%).', revealed: { answer: '15 (± 10%)' } });
    expect(gradeAnswer(p, '14', ctx(1, { fit: { rmse_test: 15 } })).correct).toBe(true);
  });
});
