// Numbers with units as students write them: converted into the question's unit, refused (not counted) in another
// dimension, read bare in the question's unit; and the `unit:` field of a lesson.
import { describe, expect, it } from 'vitest';
import { gradeAnswer, parseLesson } from '../../src/lessons/index.js';
import type { GradeContext, QuestionStep } from '../../src/lessons/index.js';
import { findUnit, knownUnits, readQuantity } from '../../src/lessons/units.js';

const FM = '---\nid: t\nsession: 1\ntitle: T\nsummary: S.\n---\n';
const ctx: GradeContext = { results: {}, attempt: 1 };

function question(fields: string): QuestionStep {
  const { lesson, problems } = parseLesson(`${FM}:::question q\ntype: numeric\n${fields}\n\nHow much?\n:::\n`, 't.md');
  expect(problems).toEqual([]);
  return lesson!.steps[0] as QuestionStep;
}

const value = (text: string, unit: string): number | string => {
  const q = readQuantity(text, findUnit(unit)!);
  return q.kind === 'number' ? q.read.value : q.kind;
};

describe('reading a quantity in a unit', () => {
  it.each([
    ['50 cm', 'm', 0.5],
    ['50cm', 'm', 0.5],
    ['0.5 km', 'm', 500],
    ['500 m', 'km', 0.5],
    ['0.5', 'm', 0.5],
    ['1.2 Hz', 'Hz', 1.2],
    ['1,2 hz', 'Hz', 1.2],
    ['1.2 hertz', 'Hz', 1.2],
    ['0.0012 kHz', 'Hz', 1.2],
    ['282 samples', 'samples', 282],
    ['1 sample', 'samples', 1],
    ['30000 ms', 's', 30],
    ['0.5 min', 's', 30],
    ['5e-1 s', 's', 0.5],
    ['5x10^-1 s', 's', 0.5],
    ['−3 s', 's', -3],
    ['0.07 g/L', 'mg/L', 70],
    ['70 mg/l', 'mg/L', 70],
    ['70 g/m³', 'mg/L', 70],
    ['41000 m', 'km', 41],
    ['2.5 t', 't', 2.5],
    ['2500 kg', 't', 2.5],
    ['42%', '%', 42],
    ['42 percent', '%', 42],
    ['42', '%', 42],
    ['10 icequakes', 'events', 10],
  ])('%s in %s is %s', (text, unit, expected) => {
    expect(value(text, unit)).toBeCloseTo(expected as number, 9);
  });

  it('reports a unit of another dimension instead of guessing', () => {
    expect(readQuantity('1.2 s', findUnit('Hz')!)).toEqual({ kind: 'wrong-dimension', unit: expect.objectContaining({ symbol: 's', dimension: 'a time' }) });
    expect(value('282 points', 'samples')).toBe('wrong-dimension');
    expect(value('42%', 'samples')).toBe('wrong-dimension');
    expect(value('3 kg', 'm')).toBe('wrong-dimension');
  });

  it('leaves words and unknown units unread', () => {
    for (const text of ['about five metres', '5 bananas', 'm', '', '5 5 m', 'x'.repeat(100) + ' 5 m']) expect(value(text, 'm')).toBe('unreadable');
  });

  it('keeps both readings of an ambiguous comma, each converted', () => {
    const q = readQuantity('1,500 cm', findUnit('m')!);
    expect(q).toMatchObject({ kind: 'number', read: { value: 0.015, thousands: 15 } });
  });

  it('knows the units a lesson may name, by symbol or alias', () => {
    for (const u of ['m', 'Hz', 's', 'mg/L', 'samples', 'points', '%', 't', 'km', 'parameters']) expect(knownUnits()).toContain(u);
    expect(findUnit('metres')?.symbol).toBe('m');
    expect(findUnit(' MG/L ')?.symbol).toBe('mg/L');
    expect(findUnit('furlong')).toBeNull();
  });
});

describe('grading a numeric question with a unit', () => {
  const metres = question('answer: 0.5\ntolerance: 0.01\nunit: m');
  const hertz = question('answer: 1.2\ntolerance: 5%\nunit: Hz');
  const samples = question('answer: 282\ntolerance: 0\nunit: samples');

  it('accepts the unit, a convertible one, or a bare number in the question’s unit', () => {
    for (const a of ['0.5', '0.5 m', '50 cm', '500 mm', '0.0005 km', '0,5 m']) expect(gradeAnswer(metres, a, ctx).correct, a).toBe(true);
    for (const a of ['1.2 Hz', '1.2', '1.25 hz']) expect(gradeAnswer(hertz, a, ctx).correct, a).toBe(true);
    for (const a of ['282 samples', '282']) expect(gradeAnswer(samples, a, ctx).correct, a).toBe(true);
  });

  it('shows the expected value with its unit', () => {
    expect(gradeAnswer(metres, '50 cm', ctx).feedback).toBe('Correct! The expected value is 0.5 m (± 0.01 m).');
    expect(gradeAnswer(hertz, '1.2', ctx).feedback).toBe('Correct! The expected value is 1.2 Hz (± 5%).');
  });

  it('a wrong dimension is not graded and names the unit expected; no attempt is used', () => {
    const g = gradeAnswer(hertz, '1.2 s', ctx);
    expect(g.invalid).toBe(true);
    expect(g.correct).toBe(false);
    expect(g.feedback).toBe('"1.2 s" is a time (s); this question asks for a frequency in Hz: type the number, with or without "Hz".');
    expect(g.hint).toBeUndefined();
    expect(g.revealed).toBeUndefined();
    expect(gradeAnswer(samples, '282 points', ctx)).toMatchObject({ invalid: true, feedback: expect.stringContaining('asks for a number of samples') });
  });

  it('an unreadable answer is asked again with the unit in the hint', () => {
    expect(gradeAnswer(metres, 'half a metre', ctx)).toMatchObject({ invalid: true, feedback: expect.stringContaining('type a number in m') });
  });

  it('says how a converted answer was read when it is wrong', () => {
    const g = gradeAnswer(metres, '70 cm', ctx);
    expect(g).toMatchObject({ correct: false, feedback: 'Not quite. (read as 0.7 m)' });
    expect(g.invalid).toBeUndefined();
  });

  it('a question in % reads 42% as 42', () => {
    const pct = question('answer: 42\ntolerance: 0.5\nunit: %');
    expect(gradeAnswer(pct, '42%', ctx).correct).toBe(true);
    expect(gradeAnswer(pct, '42', ctx).correct).toBe(true);
    expect(gradeAnswer(pct, '0.42', ctx).correct).toBe(false);
  });

  it('an unknown unit in the lesson is a problem at its line', () => {
    const { problems } = parseLesson(`${FM}:::question q\ntype: numeric\nanswer: 1\ntolerance: 0\nunit: furlongs\n\nHow far?\n:::\n`, 't.md');
    expect(problems.map((p) => [p.line, p.message.split(' (')[0]])).toEqual([[11, 'unknown unit `furlongs`']]);
  });
});
