// Section 6 of the river lesson, the real ObsEra file: its steps run the river-lab task, its questions grade the run's
// numbers right in the forms students type them and the anticipated mix-ups with their own feedback, and every number
// its prompts, choices and explanations state is the run's (the file is the same for everyone; the record is not).
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { runTask } from '../../src/experiments/registry.js';
import type { ExperimentResult } from '../../src/experiments/types.js';
import { gradeAnswer } from '../../src/lessons/grade.js';
import { parseLesson } from '../../src/lessons/parse.js';
import type { ExperimentStep, GradeContext, QuestionStep } from '../../src/lessons/types.js';
import { recordRun } from '../../src/tutor/step-ui.js';
import { startingOptions } from '../../src/tutor/try-answer.js';
import { ROOT } from '../ml/helpers.js';
import { textAnswer } from '../support/lessons.js';

const file = path.join(ROOT, 'lessons', '01-river.md');
const { lesson } = parseLesson(readFileSync(file, 'utf8'), file);
const steps = lesson!.steps;
const first = steps.findIndex((s) => s.kind === 'experiment' && s.task === 'river-lab') - 1;
const section = steps.slice(first);
const questions = section.filter((s): s is QuestionStep => s.kind === 'question');
const q = (id: string) => questions.find((x) => x.id === id)!;
const SEED = 12;

let inspect: ExperimentResult;
let fitLog: ExperimentResult;
let fitLinear: ExperimentResult;
let ctx: GradeContext;

beforeAll(async () => {
  const step = (id: string) => steps.find((s): s is ExperimentStep => s.kind === 'experiment' && s.id === id)!;
  const inspectOptions = startingOptions(step('lab-inspect'));
  const logOptions = startingOptions(step('lab-fit'));
  const linearOptions = { ...logOptions, scale: 'linear' };
  inspect = await runTask('river-lab', inspectOptions, SEED);
  fitLinear = await runTask('river-lab', linearOptions, SEED);
  fitLog = await runTask('river-lab', logOptions, SEED);
  // The student ran 6b in mg/L, then back in log–log: each question reads the run its `run:` names.
  const fitRuns = recordRun(recordRun([], linearOptions, fitLinear.json), logOptions, fitLog.json);
  const inspectRuns = recordRun([], inspectOptions, inspect.json);
  ctx = {
    attempt: 1,
    results: { 'lab-inspect': inspectRuns[0]!.results, 'lab-fit': fitRuns.find((r) => r.options.scale === 'log')!.results },
    runs: { 'lab-inspect': inspectRuns, 'lab-fit': fitRuns },
  };
}, 60_000);

const n = (r: ExperimentResult, key: string) => r.json[key] as number;

describe('section 6 of lessons/01-river.md: the real ObsEra file', () => {
  it('comes last, opens with a page, and runs the river-lab task on the shipped file', () => {
    expect(section[0]!.kind).toBe('page');
    const experiments = section.filter((s): s is ExperimentStep => s.kind === 'experiment');
    expect(experiments.map((e) => [e.id, e.task, e.defaults.dataset, e.defaults.stage])).toEqual([
      ['lab-inspect', 'river-lab', 'river-obsera', 'inspect'],
      ['lab-fit', 'river-lab', 'river-obsera', 'fit'],
    ]);
    expect(steps.slice(0, first).some((s) => s.kind === 'experiment' && s.task === 'river-lab')).toBe(false);
    expect(questions.map((x) => x.type).sort()).toEqual([
      'multiple',
      'numeric',
      'numeric',
      'numeric',
      'numeric',
      'numeric',
      'predict',
      'single',
      'single',
      'text',
    ]);
  });

  it('grades each numeric answer from the run right, in the forms students type it', () => {
    for (const x of questions.filter((y) => y.type === 'numeric')) {
      const a = x.answer as { step: string; key: string };
      const v = (a.step === 'lab-inspect' ? inspect : fitLog).json[a.key] as number;
      const shown = Number.isInteger(v) ? String(v) : v.toFixed(3);
      expect(gradeAnswer(x, shown, ctx).correct, `${x.id}: ${shown}`).toBe(true);
      // A decimal comma, a name before the number, a unit where there is one.
      if (!Number.isInteger(v)) expect(gradeAnswer(x, `value = ${shown.replace('.', ',')}`, ctx).correct, x.id).toBe(true);
      else expect(gradeAnswer(x, `${v} samples`, ctx).correct, x.id).toBe(true);
      // Nonsense is not graded (no try counted); a number far off is wrong.
      expect(gradeAnswer(x, 'banana', ctx).invalid, x.id).toBe(true);
      expect(gradeAnswer(x, String(v * 3 + 7), ctx).correct, x.id).toBe(false);
    }
  });

  it('answers the anticipated mix-ups with their own feedback', () => {
    for (const x of questions.filter((y) => y.type === 'numeric')) {
      const a = x.answer as { step: string; key: string };
      const expected = (a.step === 'lab-inspect' ? inspect : fitLog).json[a.key] as number;
      for (const w of x.wrong) {
        const value = w.kind === 'result' ? ((w.step === 'lab-inspect' ? inspect : fitLog).json[w.key] as number) : (w as { value: number }).value;
        if (Math.abs(value - expected) <= 0.02 * Math.abs(expected)) continue; // equal on this seed: not a mix-up to flag
        const g = gradeAnswer(x, String(value), ctx);
        expect(g.correct, `${x.id} with ${String(value)}`).toBe(false);
        expect(g.feedback.startsWith(w.feedback), `${x.id}: ${g.feedback}`).toBe(true);
      }
    }
    // The literal mix-up of lab-r2 is the file's R² in mg/L, as the linear run gives it.
    const literal = q('lab-r2').wrong.find((w) => w.kind !== 'result') as { value: number };
    expect(literal.value).toBe(Number(n(fitLinear, 'r2').toFixed(3)));
  });

  it('grades the choices: the right ones right, each wrong one with its feedback', () => {
    for (const x of questions.filter((y) => y.type === 'single' || y.type === 'multiple')) {
      const right = x.options.flatMap((o, i) => (o.correct ? [i] : []));
      expect(gradeAnswer(x, right, ctx).correct, x.id).toBe(true);
      x.options.forEach((o, i) => {
        if (o.correct) return;
        const g = gradeAnswer(x, x.type === 'single' ? [i] : [...right, i], ctx);
        expect(g.correct, `${x.id}: ${o.text}`).toBe(false);
      });
    }
    // The prediction's right range holds the file's R², and its wrong one the generated record's over seeds.
    const predict = q('predict-lab-r2');
    expect(predict.options.find((o) => o.correct)!.text).toBe('Between 0.2 and 0.6');
    expect(n(fitLog, 'r2')).toBeGreaterThan(0.2);
    expect(n(fitLog, 'r2')).toBeLessThan(0.6);
  });

  it('grades the text question on what the file lacks: the turbidity at the bottles', () => {
    const x = q('lab-missing');
    expect(gradeAnswer(x, textAnswer(x), ctx).correct).toBe(true);
    for (const a of ['the turbidity probe readings at the bottle times', 'we would need the NTU of the sensor for every sample', 'a turbidty time series'])
      expect(gradeAnswer(x, a, ctx).correct, a).toBe(true);
    for (const a of ['the level is already enough, no need for turbidity', 'more samples in more years', 'turbidity banana'])
      expect(gradeAnswer(x, a, ctx).correct, a).toBe(false);
    expect(gradeAnswer(x, 'more bottles in the floods', ctx).feedback).toMatch(/^More bottles give more lab values/);
    expect(gradeAnswer(x, 'idk', ctx).invalid).toBe(true);
  });
});

describe('what section 6 says about the file is what the runs show', () => {
  it('the inspect run: counts, gaps and quirks the questions lean on', () => {
    const j = inspect.json;
    // "About three rows in four have no suspended load."
    expect(1 - n(inspect, 'n_ssc') / n(inspect, 'n_rows')).toBeGreaterThan(0.7);
    expect(1 - n(inspect, 'n_ssc') / n(inspect, 'n_rows')).toBeLessThan(0.8);
    // The quirks of lab-quirks: every row short, two years without a load, a few hundred temperatures.
    expect(j.n_short_rows).toBe(j.n_rows);
    expect(j.n_years_without_ssc).toBe(2);
    expect(n(inspect, 'n_temperature')).toBeLessThan(500);
    // Far fewer events than samples with both values.
    expect(n(inspect, 'n_pair_events')).toBeLessThan(n(inspect, 'n_pairs') / 4);
    expect(inspect.figures[0]!.render({ width: 80, height: 20, colors: 0, unicode: true })).toMatch(/turbidity +none: no probe series here/);
  });

  it('the fit runs: exponent, R², the event gap, and the three largest samples in mg/L', () => {
    // "doubling h multiplies the fitted SSC by 2^b, about 5"
    expect(2 ** n(fitLog, 'exponent')).toBeGreaterThan(4.5);
    expect(2 ** n(fitLog, 'exponent')).toBeLessThan(5.5);
    // "about a third of the variance"
    expect(n(fitLog, 'r2')).toBeGreaterThan(0.3);
    expect(n(fitLog, 'r2')).toBeLessThan(0.4);
    // "a factor of about 10^0.58 ≈ 3.8"; leave-one-out a little less; in mg/L 167 against 216.
    expect(n(fitLog, 'cv_rmse_event').toFixed(2)).toBe('0.58');
    expect(n(fitLog, 'cv_rmse_loo')).toBeLessThan(n(fitLog, 'cv_rmse_event'));
    expect([Math.round(n(fitLinear, 'cv_rmse_loo')), Math.round(n(fitLinear, 'cv_rmse_event'))]).toEqual([167, 216]);
    // "R² rises to 0.56 … three samples carry 90 %".
    expect(n(fitLinear, 'r2').toFixed(2)).toBe('0.56');
    expect(Math.round(100 * n(fitLinear, 'top3_share'))).toBe(90);
    expect(n(fitLinear, 'r2')).toBeGreaterThan(n(fitLog, 'r2'));
  });

  it('the generated record: the level explains most of log SSC there, on every seed tried', async () => {
    for (const seed of [0, 1, 2, SEED]) {
      const j = seed === SEED ? fitLog.json : (await runTask('river-lab', { stage: 'fit', scale: 'log' }, seed)).json;
      expect(j.gen_r2 as number, `seed ${seed}`).toBeGreaterThan(0.7);
      expect(j.gen_rmse as number, `seed ${seed}`).toBeLessThan((j.rmse as number) / 2);
    }
  }, 60_000);
});
