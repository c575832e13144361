// Session 1's lesson: it passes the checker, and every experiment runs through the registry and returns the keys its questions reference.
// Each experiment runs once at full size (test/support/lesson-runs.ts) for all the checks here: its numbers, its figures at
// 80 columns, and its layout on the lesson screen at 80 and 40 columns.
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseLesson } from '../../src/lessons/parse.js';
import type { ExperimentStep, QuestionStep } from '../../src/lessons/types.js';
import { runTask } from '../../src/experiments/registry.js';
import type { RenderCaps } from '../../src/render/caps.js';
import { symbolsFor } from '../../src/render/symbols.js';
import { initialUi, type ExperimentUi } from '../../src/tutor/step-ui.js';
import { viewStep, type Line } from '../../src/tutor/step-view.js';
import { displayWidth, stripAnsi } from '../../src/util/text.js';
import { lessonRun } from '../support/lesson-runs.js';
import { numbers } from '../support/results.js';
import { loadDataset } from '../../src/experiments/datasets.js';
import { blockedFolds } from '../../src/experiments/river.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const file = path.join(root, 'lessons', '01-river.md');
const { lesson, problems } = parseLesson(readFileSync(file, 'utf8'), file);
const experiments = (lesson?.steps ?? []).filter((s): s is ExperimentStep => s.kind === 'experiment');
/** The one seed every full-size run here uses, so each experiment runs once for all the checks. */
const SEED = 7;
/** The lesson's experiment `id`, run once at full size with the lesson's options. */
const run = (id: string) => {
  const exp = experiments.find((e) => e.id === id);
  if (!exp) throw new Error(`lessons/01-river.md has no experiment ${id}`);
  // The generated record's steps run on the lesson's dataset; the real file's (river-lab) name their own.
  return lessonRun(exp, SEED, exp.task === 'river' ? { dataset: 'river' } : {});
};

describe('lessons/01-river.md', () => {
  it('passes the lesson checker', () => {
    expect(problems).toEqual([]);
    expect(lesson).not.toBeNull();
  });

  it('has at least 12 questions of every kind, 3 numeric from the run, 2 predict, 2 text', () => {
    const qs = lesson!.steps.filter((s): s is QuestionStep => s.kind === 'question');
    expect(qs.length).toBeGreaterThanOrEqual(12);
    for (const kind of ['single', 'multiple', 'numeric', 'text', 'predict'] as const) expect(qs.some((q) => q.type === kind)).toBe(true);
    expect(qs.filter((q) => q.type === 'numeric' && q.answer?.kind === 'result').length).toBeGreaterThanOrEqual(3);
    expect(qs.filter((q) => q.type === 'predict').length).toBeGreaterThanOrEqual(2);
    expect(qs.filter((q) => q.type === 'text').length).toBeGreaterThanOrEqual(2);
    // Explanations that teach and hints where they apply.
    for (const q of qs) {
      expect(q.explain.length, q.id).toBeGreaterThan(40);
      if (q.type !== 'predict') expect(q.hints.length, q.id).toBeGreaterThan(0);
    }
  });

  it('runs every experiment through the registry, and each returns the numbers its questions ask for', { timeout: 120_000 }, async () => {
    const steps = lesson!.steps;
    const wanted = new Map<string, Set<string>>();
    for (const q of steps.filter((s): s is QuestionStep => s.kind === 'question')) {
      const refs = [q.answer, ...q.wrong].filter((r): r is { kind: 'result'; step: string; key: string } => r?.kind === 'result');
      for (const r of refs) (wanted.get(r.step) ?? wanted.set(r.step, new Set()).get(r.step)!).add(r.key);
    }
    expect(wanted.size).toBeGreaterThanOrEqual(5);
    for (const exp of experiments) {
      expect(['river', 'river-lab']).toContain(exp.task);
      const result = await run(exp.id);
      expect(result.figures.length, exp.id).toBeGreaterThan(0);
      for (const figure of result.figures) {
        const text = figure.render({ width: 80, height: 20, colors: 0, unicode: true });
        const widest = Math.max(...text.split('\n').map((l) => [...l].length));
        expect(widest, `${exp.id}: ${figure.title}`).toBeLessThanOrEqual(80);
      }
      for (const key of wanted.get(exp.id) ?? []) {
        const v = result.json[key];
        expect(typeof v, `${exp.id}.${key}`).toBe('number');
        expect(Number.isFinite(v as number), `${exp.id}.${key}`).toBe(true);
      }
    }
  });
});

describe('the river task', () => {
  it('answers the predict questions the way the lesson says: a 3-day gap limit keeps more samples', async () => {
    // The lesson's own two runs: a 30-minute and a 3-day gap limit.
    const short = await run('align');
    const long = await run('align-long');
    expect([short.json.max_gap_min, long.json.max_gap_min]).toEqual([30, 4320]);
    expect(long.json.samples_kept as number).toBeGreaterThan(short.json.samples_kept as number);
    const r = numbers(short.json, ['samples_kept', 'dropped_missing_ssc', 'dropped_outside_record', 'dropped_probe_gap', 'samples_total']);
    expect(r.samples_kept + r.dropped_missing_ssc + r.dropped_outside_record + r.dropped_probe_gap).toBe(r.samples_total);
  });

  it("the log–log fit finds the exponent near the generator's γ, and smearing is above 1", async () => {
    const { riverRecord } = await import('../../src/hydrology/calibration.js');
    const fit = await runTask('river', { stage: 'fit', scale: 'log', model: 'ransac' }, 7);
    expect(Math.abs((fit.json.exponent as number) - riverRecord(7).params.calibrationExponent)).toBeLessThan(0.25);
    const season = await run('season');
    const s = numbers(season.json, ['smearing', 'flux_low_t', 'flux_t', 'flux_high_t', 'coverage']);
    expect(s.smearing).toBeGreaterThan(1);
    expect(s.flux_low_t).toBeLessThan(s.flux_t);
    expect(s.flux_high_t).toBeGreaterThan(s.flux_t);
    expect(s.coverage).toBeGreaterThan(0.5);
    expect(s.coverage).toBeLessThanOrEqual(1);
  });

  it('rejects an option value outside its list in one line', async () => {
    await expect(runTask('river', { stage: 'fit', model: 'rf' }, 1)).rejects.toThrow(
      'river: option model: expected one of linear, huber, ransac for stage fit, got "rf"',
    );
    await expect(runTask('river', { stage: 'nope' }, 1)).rejects.toThrow(
      /river: option stage: expected one of inspect, align, fit, compare, season, got "nope"/,
    );
    await expect(runTask('river', { max_gap: '-5' }, 1)).rejects.toThrow(/river: option max_gap: expected a number from 0 to 10080, got "-5"/);
    await expect(runTask('river', { colour: 'red' }, 1)).rejects.toThrow(/unknown option "colour"/);
  });

  it('time-block folds are consecutive stretches that cover every row once', () => {
    const folds = blockedFolds(10, 3);
    expect(folds.map((f) => f.test)).toEqual([
      [0, 1, 2],
      [3, 4, 5],
      [6, 7, 8, 9],
    ]);
    expect(folds[1]!.train).toEqual([0, 1, 2, 6, 7, 8, 9]);
  });

  it('serves the river dataset to eds run regression: aligned samples, target ssc_mg_l, a time column', async () => {
    const d = await loadDataset('river', { seed: 7 });
    expect(d.target).toBe('ssc_mg_l');
    expect(d.timeColumns).toEqual(['timestamp']);
    expect(d.columns).toEqual(['timestamp', 'sample_id', 'campaign', 'ssc_mg_l', 'level_m', 'turbidity_ntu', 'temperature_c']);
    expect(d.rows.length).toBeGreaterThan(100);
    for (const row of d.rows) for (const v of row.slice(3)) expect(Number.isFinite(v as number)).toBe(true);
  });
});

// The same runs laid out by the pure step view at 80 and 40 columns: figure titles (the test split names its dates),
// option rows, results, tables and plots fit the body, and every title, option value and result name is shown whole.
const plain = (line: Line) => (typeof line === 'string' ? stripAnsi(line) : line.map((s) => s.text).join(''));
const flat = (s: string) => s.replace(/\s+/g, ' ').trim();

describe('the river experiments on the lesson screen', () => {
  it('has a figure title wider than an 80-column body', async () => {
    const compare = experiments.find((e) => e.defaults.stage === 'compare')!;
    const result = await run(compare.id);
    expect(result.figures.some((f) => displayWidth(f.title) > 78)).toBe(true);
  }, 120_000);

  for (const caps of [
    { width: 78, height: 19, colors: 256, unicode: true },
    { width: 38, height: 7, colors: 0, unicode: false },
  ] satisfies RenderCaps[]) {
    it(`at ${caps.width + 2} columns every line fits and every figure title is whole`, async () => {
      const problems: string[] = [];
      for (const exp of experiments) {
        const result = await run(exp.id);
        const ui: ExperimentUi = { ...(initialUi(exp, undefined, 0, 0) as ExperimentUi), results: result.json, figures: result.figures, restored: false };
        const view = viewStep(exp, ui, caps, symbolsFor(caps.unicode), 'page');
        for (const line of view.lines) {
          const w = displayWidth(plain(line));
          if (w > caps.width) problems.push(`${exp.id}: ${w} columns: ${plain(line)}`);
        }
        const text = flat(view.lines.map(plain).join('\n'));
        for (const f of result.figures) if (caps.unicode && !text.includes(flat(f.title))) problems.push(`${exp.id}: title not whole: ${f.title}`);
        // Every option value can be read, and every result's name.
        for (const values of Object.values(exp.choices)) for (const v of values) if (!text.includes(v)) problems.push(`${exp.id}: option value ${v} not shown`);
        for (const [k, v] of Object.entries(result.json))
          if (typeof v === 'number' && !text.includes(k)) problems.push(`${exp.id}: result ${k} not shown whole`);
      }
      expect(problems).toEqual([]);
    }, 240_000);
  }
});
