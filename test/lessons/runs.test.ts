// A numeric question names the run its number comes from: the `run:` field, what `eds lessons check` says about it,
// grading against the student's latest matching run (and saying which run to make when there is none), and the runs
// the tutor keeps per step, saved so they survive a restart.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { formatProblem, gradeAnswer, parseLesson, plainLesson } from '../../src/lessons/index.js';
import { gradeDetail } from '../../src/lessons/grade.js';
import type { ExperimentRun, ExperimentStep, GradeContext, QuestionStep } from '../../src/lessons/index.js';
import { initialUi, MAX_RUNS_PER_STEP, recordRun, toSaved, type ExperimentUi } from '../../src/tutor/step-ui.js';
import { openStore } from '../../src/store/index.js';

const FM = '---\nid: t\nsession: 1\ntitle: T\nsummary: S.\n---\n';
// Lines 7-12: a river fit the student can run with three models and two scales.
const FIT =
  ':::experiment fit\ntitle: 3a. SSC against turbidity\ntask: river\ndefaults: stage=fit scale=linear model=linear\nchoose: model=linear|huber|ransac\nchoose: scale=linear|log\n:::\n';

function problems(body: string): string[] {
  return parseLesson(FM + FIT + body, 't.md').problems.map(formatProblem);
}

function question(fields: string): QuestionStep {
  const { lesson, problems: found } = parseLesson(`${FM}${FIT}:::question q\ntype: numeric\n${fields}\n\nHow many?\n:::\n`, 't.md');
  expect(found.map(formatProblem)).toEqual([]);
  return lesson!.steps[1] as QuestionStep;
}

const run = (model: string, n: number, extra: Record<string, number> = {}): ExperimentRun => ({
  options: { stage: 'fit', scale: 'linear', model },
  results: { n_outliers: n, rmse: 10 + n, ...extra },
});
const ctxOf = (runs: ExperimentRun[], attempt = 1): GradeContext => ({
  results: runs.length ? { fit: runs.at(-1)!.results } : {},
  runs: { fit: runs },
  attempt,
});

describe('the run: field', () => {
  it('parses an experiment id and option values, and labels the run as the student knows the experiment', () => {
    const q = question('answer: =fit.n_outliers\nrun: fit model=ransac scale=linear\ntolerance: 0');
    expect(q.run).toEqual({ step: 'fit', options: { model: 'ransac', scale: 'linear' }, label: 'experiment 3a', choices: ['model', 'scale'] });
    expect(question('answer: =fit.n_outliers\nrun: fit\ntolerance: 0').run).toEqual({
      step: 'fit',
      options: {},
      label: 'experiment 3a',
      choices: ['model', 'scale'],
    });
  });

  it('reports malformed run: lines at their line', () => {
    const q = (run: string) => problems(`:::question q\ntype: numeric\nanswer: =fit.n_outliers\nrun: ${run}\ntolerance: 0\n\nHow many?\n:::\n`);
    expect(q('model=ransac')).toEqual(['t.md:17: `run:` names an experiment, then the options of the run: `run: fit-linear model=ransac`']);
    expect(q('fit model')).toEqual(['t.md:17: `run:` takes `option=value` pairs after the experiment id, got `model`']);
    expect(q('fit model=ransac model=huber')).toEqual(['t.md:17: `run:` gives option `model` twice']);
  });
});

describe('eds lessons check on runs and result keys', () => {
  const block = (fields: string, type = 'numeric') => `:::question q\ntype: ${type}\n${fields}\n\nHow many?\n:::\n`;

  it('passes a run naming offered options and values, and a key the task gives', () => {
    expect(problems(block('answer: =fit.n_outliers\nrun: fit model=ransac\ntolerance: 0'))).toEqual([]);
    expect(problems(block('answer: =fit.exponent\nrun: fit scale=log\ntolerance: 0.1'))).toEqual([]);
    // An option fixed by the experiment may be named with its value.
    expect(problems(block('answer: =fit.n_outliers\nrun: fit stage=fit model=ransac\ntolerance: 0'))).toEqual([]);
  });

  it('requires a run: when the experiment offers choices', () => {
    expect(problems(block('answer: =fit.n_outliers\ntolerance: 0'))).toEqual([
      't.md:16: `=fit.n_outliers` comes from an experiment the student can run with other options (model, scale): say which run, e.g. `run: fit model=linear`, or `run: fit` for the latest run whatever its options',
    ]);
  });

  it('reports an unknown experiment, an option it lacks, a value not among its choices, a fixed option set otherwise', () => {
    expect(problems(block('answer: =fit.n_outliers\nrun: fit model=ransack\ntolerance: 0'))).toEqual([
      't.md:17: `run: … model=ransack`: experiment `fit` offers model=linear|huber|ransac',
    ]);
    expect(problems(block('answer: =fit.n_outliers\nrun: fit modle=ransac\ntolerance: 0'))).toEqual([
      't.md:17: `run: … modle=ransac`: experiment `fit` has no option `modle` (it offers model, scale)',
    ]);
    expect(problems(block('answer: =fit.n_outliers\nrun: fit stage=compare\ntolerance: 0'))).toEqual([
      't.md:17: `run: … stage=compare`: experiment `fit` always runs with stage=fit',
    ]);
    expect(problems(block('answer: =fit.n_outliers\nrun: fitt model=ransac\ntolerance: 0'))).toEqual([
      't.md:17: `run: fitt` names another experiment than the answer `=fit.n_outliers`',
    ]);
    expect(problems(block('answer: 3\nrun: fit model=ransac\ntolerance: 0'))).toEqual([
      't.md:17: `run:` says which run a computed answer (`answer: =experiment.key`) comes from; the answer of `q` is a fixed number',
    ]);
  });

  it('reports a =step.key the task does not give, with the options it lacks it under, and a near key', () => {
    expect(problems(block('answer: =fit.n_outlier\nrun: fit model=ransac\ntolerance: 0'))).toEqual([
      't.md:16: `=fit.n_outlier`: task `river` of experiment `fit` gives no number `n_outlier` (did you mean `n_outliers`?)',
    ]);
    // The exponent of a power law exists only in log–log space: a run that may be linear does not have it.
    expect(problems(block('answer: =fit.exponent\nrun: fit\ntolerance: 0.1'))).toEqual([
      't.md:16: `=fit.exponent`: task `river` of experiment `fit` gives no number `exponent` when run with model=linear scale=linear',
    ]);
    expect(problems(block('answer: =fit.n_outliers\nrun: fit\nwrong: =fit.rmse_tset -> That is the error.\ntolerance: 0'))).toEqual([
      't.md:18: `=fit.rmse_tset`: task `river` of experiment `fit` gives no number `rmse_tset`',
    ]);
  });
});

describe('grading against the run the question names', () => {
  const q = question('answer: =fit.n_outliers\nrun: fit model=ransac\ntolerance: 0\nwrong: =fit.rmse -> That is the RMSE.');

  it('reads the latest run with the options, not the latest run', () => {
    const ctx = ctxOf([run('ransac', 17), run('huber', 4)]);
    expect(gradeAnswer(q, '4', ctx)).toMatchObject({ correct: false, expected: 17 });
    const g = gradeAnswer(q, '17', ctx);
    expect(g).toMatchObject({ correct: true, expected: 17, run: { step: 'fit', options: { stage: 'fit', scale: 'linear', model: 'ransac' } } });
    // The run's other options the student sets are named too: ransac could have been run on either scale.
    expect(g.feedback).toBe('Correct! The expected value is 17. Checked against your run of experiment 3a with model=ransac (scale=linear).');
    // A newer ransac run replaces the older one.
    expect(gradeAnswer(q, '21', ctxOf([run('ransac', 17), run('huber', 4), run('ransac', 21)])).correct).toBe(true);
  });

  it('reads the anticipated mix-ups from the same run', () => {
    const g = gradeAnswer(q, '27', ctxOf([run('ransac', 17), run('huber', 4)]));
    expect(g.feedback).toBe('That is the RMSE. Checked against your run of experiment 3a with model=ransac (scale=linear).');
    expect(gradeAnswer(q, '14', ctxOf([run('ransac', 17), run('huber', 4)])).feedback).toBe(
      'Not quite. Checked against your run of experiment 3a with model=ransac (scale=linear).',
    );
  });

  it('without a matching run, says which run to make and counts nothing', () => {
    const g = gradeAnswer(q, '4', ctxOf([run('linear', 0), run('huber', 4)]));
    expect(g).toEqual({
      correct: false,
      invalid: true,
      feedback:
        'Run experiment 3a with model=ransac first (there, Tab to the options, ←→ to change it, Enter to run): the expected value comes from your own run.',
      normalized: '4',
    });
    expect(gradeAnswer(q, '4', { results: {}, attempt: 1 }).invalid).toBe(true);
  });

  it('run: with no options reads the latest run whatever its options', () => {
    const latest = question('answer: =fit.n_outliers\nrun: fit\ntolerance: 0');
    const g = gradeAnswer(latest, '4', ctxOf([run('ransac', 17), run('huber', 4)]));
    expect(g).toMatchObject({ correct: true, run: { options: { model: 'huber' } } });
    // The latest run is named by its options, not only its experiment: the student may have run it three ways.
    expect(g.feedback).toBe('Correct! The expected value is 4. Checked against your latest run of experiment 3a: model=huber scale=linear.');
    const log = { options: { stage: 'fit', scale: 'log', model: 'ransac' }, results: { n_outliers: 9, rmse: 0.2 } };
    expect(gradeAnswer(latest, '8', ctxOf([run('huber', 4), log])).feedback).toBe(
      'Not quite. Checked against your latest run of experiment 3a: model=ransac scale=log.',
    );
    // Results kept without their options (an older eds) are named by the experiment alone.
    expect(gradeAnswer(latest, '4', { results: { fit: { n_outliers: 4 } }, attempt: 1 }).feedback).toBe(
      'Correct! The expected value is 4. Checked against your latest run of experiment 3a.',
    );
    expect(gradeAnswer(latest, '4', ctxOf([]))).toMatchObject({
      invalid: true,
      feedback: 'Run experiment 3a first: the expected value comes from your own run.',
    });
  });

  it('a context with only the latest results (no runs) still answers a run: without options, never one with options', () => {
    const latest = question('answer: =fit.n_outliers\nrun: fit\ntolerance: 0');
    expect(gradeAnswer(latest, '4', { results: { fit: { n_outliers: 4 } }, attempt: 1 }).correct).toBe(true);
    expect(gradeAnswer(q, '4', { results: { fit: { n_outliers: 4 } }, attempt: 1 }).invalid).toBe(true);
  });

  it('gives the attempt’s detail: the run checked against and the expected value', () => {
    const g = gradeAnswer(q, '17', ctxOf([run('ransac', 17)]));
    expect(gradeDetail(g)).toEqual({ run: { step: 'fit', options: { stage: 'fit', scale: 'linear', model: 'ransac' } }, expected: 17 });
    const literal = question('answer: 0.5\ntolerance: 0.1');
    expect(gradeDetail(gradeAnswer(literal, '0.5', ctxOf([])))).toEqual({ expected: 0.5 });
    expect(gradeDetail({ correct: true, feedback: 'Correct!', normalized: 'B' })).toBeUndefined();
  });

  it('a predict question with a numeric answer reads the run its experiment made', () => {
    const { lesson, problems: found } = parseLesson(
      `${FM}:::question guess\ntype: predict\nexperiment: fit\nanswer: =fit.exponent\nrun: fit model=linear\ntolerance: 0.2\n\nSlope?\n:::\n:::experiment fit\ntitle: 3b. Log–log\ntask: river\ndefaults: stage=fit scale=log model=linear\nchoose: model=linear|huber|ransac\n:::\n`,
      't.md',
    );
    expect(found.map(formatProblem)).toEqual([]);
    const p = lesson!.steps[0] as QuestionStep;
    const ctx: GradeContext = {
      results: {},
      runs: { fit: [{ options: { stage: 'fit', scale: 'log', model: 'linear' }, results: { exponent: 1.1 } }] },
      attempt: 1,
    };
    expect(gradeAnswer(p, '1', ctx)).toMatchObject({ correct: true, expected: 1.1, run: { step: 'fit' } });
    expect(gradeAnswer(p, '2', ctx).feedback).toBe(
      'Your prediction was off: the run gave 1.1 (± 0.2). Checked against your run of experiment 3b with model=linear.',
    );
  });
});

describe('plain mode', () => {
  it('prints which run a number comes from, as eds run options, and its unit', () => {
    const { lesson } = parseLesson(
      `${FM}${FIT}:::question q\ntype: numeric\nanswer: =fit.n_outliers\nrun: fit model=ransac\nunit: samples\ntolerance: 0\n\nHow many?\n:::\n`,
      't.md',
    );
    const text = plainLesson(lesson!, 100);
    expect(text).toContain('Run it: `eds run river --stage fit --scale linear --model linear`');
    expect(text).toContain('Answer from your own run of `fit` with `--model ransac`. Answer in samples.');
  });
});

describe('the runs the tutor keeps per step', () => {
  const exp = parseLesson(FM + FIT, 't.md').lesson!.steps[0] as ExperimentStep;

  it('keeps one run per option combination, the latest last, with scalar results only', () => {
    let runs = recordRun(
      [],
      { model: 'ransac' },
      { n_outliers: 17, model: 'ransac', per_class: { a: 1 }, series: [1, 2], bad: Number.NaN, long: 'x'.repeat(500) },
    );
    expect(runs).toEqual([{ options: { model: 'ransac' }, results: { n_outliers: 17, model: 'ransac' } }]);
    runs = recordRun(runs, { model: 'huber' }, { n_outliers: 4 });
    runs = recordRun(runs, { model: 'ransac' }, { n_outliers: 21 });
    expect(runs.map((r) => [r.options.model, r.results.n_outliers])).toEqual([
      ['huber', 4],
      ['ransac', 21],
    ]);
  });

  it('keeps at most MAX_RUNS_PER_STEP, dropping the oldest', () => {
    let runs: ExperimentRun[] = [];
    for (let i = 0; i < MAX_RUNS_PER_STEP + 10; i++) runs = recordRun(runs, { hidden: String(i) }, { params: i });
    expect(runs).toHaveLength(MAX_RUNS_PER_STEP);
    expect(runs[0]!.options.hidden).toBe('10');
    expect(runs.at(-1)!.options.hidden).toBe(String(MAX_RUNS_PER_STEP + 9));
  });

  it('saves the runs with the step and restores them, through the real store', () => {
    const home = mkdtempSync(join(tmpdir(), 'eds-runs-'));
    const store = openStore({ home, user: 'alice', env: { ...process.env, EDS_JOURNAL: 'wal' } });
    try {
      const ui = initialUi(exp, undefined, 0, 0) as ExperimentUi;
      const runs = recordRun(recordRun([], { ...ui.values, model: 'ransac' }, { n_outliers: 17 }), { ...ui.values, model: 'huber' }, { n_outliers: 4 });
      store.saveStep('t', 'fit', 0, toSaved({ ...ui, values: { ...ui.values, model: 'huber' }, results: { n_outliers: 4 }, runs }));
    } finally {
      store.close();
    }
    const again = openStore({ home, user: 'alice', env: { ...process.env, EDS_JOURNAL: 'wal' } });
    try {
      const restored = initialUi(exp, again.progress('t')!.states.fit, 0, 0) as ExperimentUi;
      expect(restored.runs.map((r) => [r.options.model, r.results.n_outliers])).toEqual([
        ['ransac', 17],
        ['huber', 4],
      ]);
      expect(restored.values.model).toBe('huber');
      expect(restored.results).toEqual({ n_outliers: 4 });
    } finally {
      again.close();
    }
  });

  it('an old saved state with only results is one run with the saved options', () => {
    const restored = initialUi(
      exp,
      { options: { stage: 'fit', scale: 'linear', model: 'ransac' }, results: { n_outliers: 17, rmse: 3 } },
      0,
      0,
    ) as ExperimentUi;
    expect(restored.runs).toEqual([{ options: { stage: 'fit', scale: 'linear', model: 'ransac' }, results: { n_outliers: 17, rmse: 3 } }]);
    const q = question('answer: =fit.n_outliers\nrun: fit model=ransac\ntolerance: 0');
    expect(gradeAnswer(q, '17', { results: {}, runs: { fit: restored.runs }, attempt: 1 }).correct).toBe(true);
    // Without saved options, the step's own values stand in.
    expect((initialUi(exp, { results: { n_outliers: 2 } }, 0, 0) as ExperimentUi).runs[0]!.options).toEqual({ stage: 'fit', scale: 'linear', model: 'linear' });
    expect((initialUi(exp, undefined, 0, 0) as ExperimentUi).runs).toEqual([]);
  });

  it('ignores malformed saved runs rather than failing to open the lesson', () => {
    const restored = initialUi(
      exp,
      { runs: [null, { options: { model: 3 }, results: {} }, { options: { model: 'huber' }, results: { n_outliers: 4 } }] as never },
      0,
      0,
    ) as ExperimentUi;
    expect(restored.runs).toEqual([{ options: { model: 'huber' }, results: { n_outliers: 4 } }]);
  });
});
