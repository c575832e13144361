// The `river` task of session 1: inspect the probes and samples, align them, fit SSC from turbidity, compare models on two splits, predict a season's flux.
import { UserError } from '../errors.js';
import { PROBE_STEP_MS, dischargeFromLevel, type RiverData } from '../hydrology/river-data.js';
import { r2, rmse } from '../ml/metrics.js';
import { HuberRegressor, RansacRegressor } from '../ml/regression.js';
import type { Matrix, Regressor } from '../ml/types.js';
import { kFold, randomSplit, take, timeSplit, type Split } from '../ml/validation.js';
import type { RenderCaps } from '../render/caps.js';
import { renderHistogram } from '../render/histogram.js';
import { renderLineChart } from '../render/line.js';
import { renderScatter, type ScatterGroup } from '../render/scatter.js';
import { renderSummaryTable } from '../render/summary.js';
import { resample } from '../hydrology/align.js';
import { calibrate, riverRecord, type ProbeColumn, type RiverCalibration } from '../hydrology/calibration.js';
import { predictSeason, type FitPredict } from '../hydrology/flux.js';
import { createRegressor, type RegressorName } from '../ml/catalogue.js';
import { fmt, gridFigure, keyValueFigure } from './common.js';
import { pearson, quantile, round } from '../util/stats.js';
import type { ExperimentCallbacks, ExperimentResult, Figure } from './types.js';
import type { RiverTaskInput } from './task-options.js';

/** The parts of the practical, in order. */
export const RIVER_STAGES = ['inspect', 'align', 'fit', 'compare', 'season'] as const;
/** One of `RIVER_STAGES`. */
export type RiverStage = (typeof RIVER_STAGES)[number];
/** Single-feature fits of stage `fit`. */
export const FIT_MODELS = ['linear', 'huber', 'ransac'] as const;
/** Models compared in stage `compare`. */
export const COMPARE_MODELS = ['linear', 'huber', 'ransac', 'poly', 'forest'] as const;
/** Feature sets, as lessons write them. */
export const FEATURE_SETS = ['turbidity', 'turbidity+level', 'turbidity+level+temperature'] as const;

const MINUTE_MS = 60_000;
const DAY_MS = 86_400_000;

/** Options of the river task (all optional; strings as a lesson or command line gives them). */
export interface RiverTaskOptions {
  /** Which part: inspect | align | fit | compare | season (default inspect). */
  stage: RiverStage;
  /** inspect: the whole record, or the week around the biggest sampled flood. */
  window: 'all' | 'flood';
  /** inspect: linear or log10 values in the histogram and correlation table; fit/compare: the space the model is fitted in. */
  scale: 'linear' | 'log';
  /** align: how to read the probes at a sample's time. */
  method: 'linear' | 'nearest';
  /** align: longest probe gap filled by interpolation, minutes. */
  maxGapMin: number;
  /** fit: the single-feature model; compare: the model drawn in the scatter; season: linear or robust (huber) fit. */
  model: string;
  /** compare/season: the probe features. */
  features: (typeof FEATURE_SETS)[number];
  /** season: which year's wet season (July–December) to predict: 1 or 2. */
  season: number;
  /** Seed of the student's data, the splits and the models. */
  seed: number;
}

/** The stage's defaults for the options a lesson left out (its declaration, src/experiments/tasks.ts, checked the rest). */
export function resolveRiverOptions(options: RiverTaskInput, seed: number): RiverTaskOptions {
  const { stage } = options;
  return {
    stage,
    window: options.window,
    scale: options.scale ?? (stage === 'fit' || stage === 'inspect' ? 'linear' : 'log'),
    method: options.method,
    maxGapMin: options.maxGap,
    model: options.model ?? (stage === 'compare' ? 'forest' : 'linear'),
    features: options.features ?? (stage === 'compare' ? 'turbidity+level+temperature' : 'turbidity'),
    season: options.season,
    seed,
  };
}

/** Adapter for the experiment registry. */
export async function runRiverTask(options: RiverTaskInput, seed: number, callbacks?: ExperimentCallbacks): Promise<ExperimentResult> {
  const opts = resolveRiverOptions(options, seed);
  callbacks?.onStatus?.('generating your river record…');
  // The compare stage fits five models four ways (seconds): hand the event loop back between models so the
  // lesson's spinner and elapsed time keep moving, and say which model is being scored.
  const steps = riverSteps(opts);
  for (let step = steps.next(); ; step = steps.next()) {
    if (step.done) return step.value;
    callbacks?.onProgress?.(step.value.fraction, step.value.label);
    await new Promise<void>((resolve) => setImmediate(resolve));
  }
}

/** Runs one stage of the practical. Pure: the same options give the same result. */
export function runRiver(options: RiverTaskOptions): ExperimentResult {
  return finish(riverSteps(options));
}

/** Runs steps to their end without pausing. */
function finish<R>(steps: Generator<RiverStep, R>): R {
  for (let step = steps.next(); ; step = steps.next()) if (step.done) return step.value;
}

/** A point where a long stage may pause: how far it is, and what it does next. */
interface RiverStep {
  fraction: number;
  label: string;
}

/** One stage of the practical, pausing (yielding) between units of work; its return value is the result. */
function* riverSteps(options: RiverTaskOptions): Generator<RiverStep, ExperimentResult> {
  const data = riverRecord(options.seed);
  const cal = calibrate(data, { maxGapMs: options.maxGapMin * MINUTE_MS, method: options.method });
  const base = { task: 'river', stage: options.stage, seed: options.seed };
  switch (options.stage) {
    case 'inspect':
      return inspect(cal, options, base);
    case 'align':
      return align(cal, options, base);
    case 'fit':
      return fit(cal, options, base);
    case 'compare':
      return yield* compare(cal, options, base);
    case 'season':
      return season(cal, options, base);
    default: {
      const never: never = options.stage;
      throw new UserError(`river: unknown stage ${String(never)}`);
    }
  }
}

type Base = { task: string; stage: RiverStage; seed: number };

// ---------------------------------------------------------------- inspect

function countNaN(a: ArrayLike<number>): number {
  let k = 0;
  for (let i = 0; i < a.length; i++) if (Number.isNaN(a[i]!)) k++;
  return k;
}

/** log10 for positive values, NaN otherwise (a zero turbidity has no logarithm; it is left out, and counted). */
function log10OrNaN(v: number): number {
  return v > 0 ? Math.log10(v) : Number.NaN;
}

/** The largest sampled flood: the time of the sample with the highest SSC. */
function biggestSampledFlood(data: RiverData): number {
  let best = 0;
  data.samples.sscMgL.forEach((c, i) => {
    if (c > (data.samples.sscMgL[best]! || 0)) best = i;
  });
  return data.samples.timeMs[best]!;
}

/** Indices of a sorted time array within [from, to). */
function windowOf(timeMs: ArrayLike<number>, from: number, to: number): [number, number] {
  let a = 0;
  while (a < timeMs.length && timeMs[a]! < from) a++;
  let b = a;
  while (b < timeMs.length && timeMs[b]! < to) b++;
  return [a, b];
}

function inspect(cal: RiverCalibration, options: RiverTaskOptions, base: Base): ExperimentResult {
  const { data, aligned } = cal;
  const p = data.probes;
  const s = data.samples;
  const ssc = s.sscMgL.filter((v) => Number.isFinite(v));
  const sorted = ssc.slice().sort((a, b) => a - b);
  const log = options.scale === 'log';
  const tf = (v: number) => (log ? log10OrNaN(v) : v);
  const vars: [string, number[]][] = [
    ['ssc_mg_l', aligned.target.map(tf)],
    ['turbidity_ntu', aligned.columns.turbidity_ntu!.map(tf)],
    ['level_m', aligned.columns.level_m!.map(tf)],
    // Temperature is not a positive quantity with a multiplicative spread: it stays linear.
    ['temperature_c', aligned.columns.temperature_c!.slice()],
  ];
  const corr = vars.map(([, a]) => vars.map(([, b]) => pearson(a, b)));
  const json = {
    ...base,
    window: options.window,
    scale: options.scale,
    n_probe_rows: p.timeMs.length,
    n_grid_steps: data.truth.timeMs.length,
    n_missing_rows: data.truth.timeMs.length - p.timeMs.length,
    missing_level: countNaN(p.levelM),
    missing_turbidity: countNaN(p.turbidityNtu),
    missing_temperature: countNaN(p.temperatureC),
    n_samples: s.timeMs.length,
    n_samples_missing_ssc: s.timeMs.length - ssc.length,
    ssc_min_mg_l: round(sorted[0]!),
    ssc_median_mg_l: round(quantile(sorted, 0.5)),
    ssc_mean_mg_l: round(ssc.reduce((a, b) => a + b, 0) / ssc.length),
    ssc_max_mg_l: round(sorted[sorted.length - 1]!),
    turbidity_max_ntu: round(finiteMax(p.turbidityNtu)),
    corr_ssc_turbidity: round(corr[0]![1]!),
    corr_ssc_level: round(corr[0]![2]!),
    corr_ssc_temperature: round(corr[0]![3]!),
  };

  const [from, to] =
    options.window === 'flood'
      ? (() => {
          const t = biggestSampledFlood(data);
          return [t - DAY_MS, t + 3 * DAY_MS];
        })()
      : [p.timeMs[0]!, p.timeMs[p.timeMs.length - 1]! + 1];
  const [a, b] = windowOf(p.timeMs, from, to);
  const pt = p.timeMs.subarray(a, b);
  const [sa, sb] = windowOf(s.timeMs, from, to);
  const scale = log ? 'log' : 'linear';
  const figures: Figure[] = [
    {
      title: 'Summary of the probe record (every 5 min) and of the lab samples',
      render: (caps) =>
        renderSummaryTable(
          [
            { name: 'level', unit: 'm', values: p.levelM },
            { name: 'turbidity', unit: 'NTU', values: p.turbidityNtu },
            { name: 'temperature', unit: '°C', values: p.temperatureC },
            { name: 'SSC (lab)', unit: 'mg/L', values: s.sscMgL },
          ],
          caps,
        ),
    },
    {
      title: `Water level${options.window === 'flood' ? ' around the biggest sampled flood' : ''}`,
      render: (caps) => renderLineChart([{ name: 'level', x: pt, y: p.levelM.subarray(a, b) }], caps, { xAxis: { time: true }, yAxis: { label: 'level', unit: 'm' } }),
    },
    {
      title: `Turbidity${options.window === 'flood' ? ' around the biggest sampled flood' : ''}`,
      render: (caps) => renderLineChart([{ name: 'turbidity', x: pt, y: p.turbidityNtu.subarray(a, b) }], caps, { xAxis: { time: true }, yAxis: { label: 'turbidity', unit: 'NTU' } }),
    },
    {
      title: `Water temperature${options.window === 'flood' ? ' around the biggest sampled flood' : ''}`,
      render: (caps) => renderLineChart([{ name: 'temperature', x: pt, y: p.temperatureC.subarray(a, b) }], caps, { xAxis: { time: true }, yAxis: { label: 'temperature', unit: '°C' } }),
    },
    {
      title: 'Lab samples over time: routine visits and the flood sampler',
      render: (caps) =>
        renderScatter(campaignGroups(data, sa, sb), caps, { xAxis: { time: true }, yAxis: { label: 'SSC', unit: 'mg/L', log: true } }),
    },
    {
      title: `Histogram of the lab SSC (${scale} bins)`,
      render: (caps) => renderHistogram(ssc, caps, { axis: { label: 'SSC', unit: 'mg/L', log } }),
    },
    gridFigure(
      `Correlation (Pearson r) between the variables at the ${aligned.report.kept} aligned samples${log ? ' (log10 of SSC, turbidity, level)' : ''}`,
      ['', ...vars.map(([n]) => n)],
      vars.map(([n], i) => [n, ...corr[i]!.map((r) => r.toFixed(2))]),
    ),
  ];
  return { json, figures };
}

/** Largest finite value (a loop: spreading 200,000 values into Math.max overflows the stack). */
function finiteMax(a: ArrayLike<number>): number {
  let m = Number.NEGATIVE_INFINITY;
  for (let i = 0; i < a.length; i++) if (a[i]! > m) m = a[i]!;
  return m;
}

function campaignGroups(data: RiverData, from: number, to: number): ScatterGroup[] {
  const s = data.samples;
  const groups: ScatterGroup[] = [];
  for (const campaign of ['routine', 'flood'] as const) {
    const x: number[] = [];
    const y: number[] = [];
    for (let i = from; i < to; i++) {
      if (s.campaign[i] === campaign) {
        x.push(s.timeMs[i]!);
        y.push(s.sscMgL[i]!);
      }
    }
    groups.push({ name: campaign === 'routine' ? 'routine visit' : 'flood sampler', x, y });
  }
  return groups;
}

// ---------------------------------------------------------------- align

function align(cal: RiverCalibration, options: RiverTaskOptions, base: Base): ExperimentResult {
  const { data, probes, aligned } = cal;
  const r = aligned.report;
  const json = {
    ...base,
    method: options.method,
    max_gap_min: options.maxGapMin,
    samples_total: r.total,
    samples_kept: r.kept,
    dropped_missing_ssc: r.missingTarget,
    dropped_outside_record: r.outsideRecord,
    dropped_probe_gap: r.probeGap,
    gaps_level: r.gapsPerColumn.level_m ?? 0,
    gaps_turbidity: r.gapsPerColumn.turbidity_ntu ?? 0,
    gaps_temperature: r.gapsPerColumn.temperature_c ?? 0,
    grid_steps: probes.timeMs.length,
    grid_missing_turbidity: countNaN(probes.columns.turbidity_ntu!),
  };
  const s = data.samples;
  const kept: ScatterGroup = { name: 'kept', x: [], y: [] };
  const gap: ScatterGroup = { name: 'dropped: probe gap', x: [], y: [] };
  const xs = { kept: kept.x as number[], gap: gap.x as number[] };
  const ys = { kept: kept.y as number[], gap: gap.y as number[] };
  aligned.dropped.forEach((why, i) => {
    if (why === null) {
      xs.kept.push(s.timeMs[i]!);
      ys.kept.push(s.sscMgL[i]!);
    } else if (why === 'probe_gap') {
      xs.gap.push(s.timeMs[i]!);
      ys.gap.push(s.sscMgL[i]!);
    }
  });
  // The first sample lost to a turbidity outage, and that outage: the figure is centred on the hole, with as much
  // record either side, so the gap the title names is on screen, not a window that lies wholly inside it.
  const outage = firstTurbidityOutage(probes.timeMs, probes.columns.turbidity_ntu!, aligned.dropped, s.timeMs);
  const figures: Figure[] = [
    keyValueFigure('What became of the lab samples', [
      ['lab samples', String(r.total)],
      ['kept (SSC and every probe value)', String(r.kept)],
      ['dropped: SSC missing (lost bottle)', String(r.missingTarget)],
      ['dropped: outside the probe record', String(r.outsideRecord)],
      ['dropped: probe gap longer than the limit', String(r.probeGap)],
      ['  of which level missing', String(json.gaps_level)],
      ['  of which turbidity missing', String(json.gaps_turbidity)],
      ['  of which temperature missing', String(json.gaps_temperature)],
      ['interpolation across gaps up to', `${options.maxGapMin} min`],
      ['reading the probes at a sample', options.method === 'linear' ? 'linear between neighbours' : 'nearest reading'],
    ]),
    {
      title: 'Samples kept and dropped, over time',
      render: (caps) => renderScatter([kept, gap], caps, { xAxis: { time: true }, yAxis: { label: 'SSC', unit: 'mg/L', log: true } }),
    },
  ];
  if (outage) {
    const { sampleMs, fromMs, toMs } = outage;
    const pad = Math.max(toMs - fromMs, DAY_MS / 2);
    const [a, b] = windowOf(probes.timeMs, fromMs - pad, toMs + pad);
    const utc = (t: number) => new Date(t).toISOString().slice(0, 16).replace('T', ' ');
    const hours = (toMs - fromMs + PROBE_STEP_MS) / 3_600_000;
    figures.push({
      title: `Turbidity on the grid around a dropped sample (${utc(sampleMs)} UTC): no reading from ${utc(fromMs)} to ${utc(toMs)} UTC (${hours.toFixed(1)} h), an outage`,
      render: (caps) =>
        renderLineChart([{ name: 'turbidity', x: probes.timeMs.subarray(a, b), y: probes.columns.turbidity_ntu!.subarray(a, b) }], caps, {
          xAxis: { time: true },
          yAxis: { label: 'turbidity', unit: 'NTU' },
          spans: [{ name: 'outage', from: fromMs, to: toMs }],
        }),
    });
  }
  return { json, figures };
}

/**
 * The first sample dropped for a probe gap whose time lies in (or next to) a run of missing turbidity on the grid,
 * with that run's first and last missing step; null when no dropped sample is near a turbidity hole.
 */
export function firstTurbidityOutage(gridMs: ArrayLike<number>, turbidity: ArrayLike<number>, dropped: readonly (string | null)[], sampleMs: ArrayLike<number>): { sampleMs: number; fromMs: number; toMs: number } | null {
  const n = gridMs.length;
  for (let i = 0; i < dropped.length; i++) {
    if (dropped[i] !== 'probe_gap') continue;
    const t = sampleMs[i]!;
    // The grid step at or after the sample, then the nearest missing value a step either side.
    let k = 0;
    while (k < n - 1 && gridMs[k]! < t) k++;
    const hole = [k, k - 1, k + 1].find((j) => j >= 0 && j < n && !Number.isFinite(turbidity[j]!));
    if (hole === undefined) continue;
    let g0 = hole;
    let g1 = hole;
    while (g0 > 0 && !Number.isFinite(turbidity[g0 - 1]!)) g0--;
    while (g1 < n - 1 && !Number.isFinite(turbidity[g1 + 1]!)) g1++;
    return { sampleMs: t, fromMs: gridMs[g0]!, toMs: gridMs[g1]! };
  }
  return null;
}

// ---------------------------------------------------------------- fit

/** The lesson's models, as catalogue entries with the lesson's settings (a 50-tree forest: the compare stage fits it twenty times). */
const RIVER_MODELS: Record<string, { name: RegressorName; options: Record<string, number> }> = {
  linear: { name: 'linear', options: {} },
  huber: { name: 'huber', options: {} },
  ransac: { name: 'ransac', options: {} },
  poly: { name: 'poly', options: { degree: 2 } },
  forest: { name: 'rf', options: { trees: 50 } },
};

/** Builds an unfitted single- or multi-feature model from the catalogue. */
function makeModel(name: string, seed: number): Regressor {
  const model = RIVER_MODELS[name];
  if (!model) throw new UserError(`river: unknown model "${name}"`);
  return createRegressor(model.name, model.options, seed);
}

/** Rows of the aligned samples usable in a space: in log space, rows with a non-positive value are left out (and counted). */
function rowsFor(cal: RiverCalibration, features: readonly ProbeColumn[], log: boolean): { X: number[][]; y: number[]; t: number[]; temp: number[]; excluded: number } {
  const a = cal.aligned;
  const X: number[][] = [];
  const y: number[] = [];
  const t: number[] = [];
  const temp: number[] = [];
  let excluded = 0;
  for (let k = 0; k < a.target.length; k++) {
    const raw = features.map((f) => a.columns[f]![k]!);
    // Temperature is never log-transformed: °C has an arbitrary zero.
    const row = raw.map((v, j) => (log && features[j] !== 'temperature_c' ? log10OrNaN(v) : v));
    const target = log ? log10OrNaN(a.target[k]!) : a.target[k]!;
    if (!row.every(Number.isFinite) || !Number.isFinite(target)) {
      excluded++;
      continue;
    }
    X.push(row);
    y.push(target);
    t.push(a.timeMs[k]!);
    temp.push(a.columns.temperature_c![k]!);
  }
  return { X, y, t, temp, excluded };
}

/** Rows a robust model treats apart: RANSAC's non-inliers (set aside, not in its final fit), Huber's |r| > ε·σ (down-weighted: still in its fit, counted linearly); least squares treats none apart. */
function setAside(model: Regressor): boolean[] | null {
  if (model instanceof RansacRegressor) return model.inliers.map((v) => !v);
  if (model instanceof HuberRegressor) return model.outliers;
  return null;
}

function fit(cal: RiverCalibration, options: RiverTaskOptions, base: Base): ExperimentResult {
  const log = options.scale === 'log';
  const { X, y, temp, excluded } = rowsFor(cal, ['turbidity_ntu'], log);
  if (X.length < 5) throw new UserError(`river: only ${X.length} aligned samples to fit`);
  const model = makeModel(options.model, options.seed).fit(X, y);
  const pred = model.predict(X);
  const residuals = y.map((v, i) => v - pred[i]!);
  const aside = setAside(model);
  const coef = (model.toJSON().coef as number[] | undefined)?.[0] ?? Number.NaN;
  const intercept = (model.toJSON().intercept as number | undefined) ?? Number.NaN;
  // The same predictions in mg/L, so linear and log fits can be compared on one scale.
  const measured = log ? y.map((v) => 10 ** v) : y;
  const predMgL = log ? pred.map((v) => 10 ** v) : pred;
  const json = {
    ...base,
    model: options.model,
    scale: options.scale,
    n_samples: X.length,
    n_excluded_nonpositive: excluded,
    slope: round(coef),
    intercept: round(intercept),
    ...(log ? { exponent: round(coef), prefactor_mg_l: round(10 ** intercept) } : {}),
    n_outliers: aside ? aside.filter(Boolean).length : 0,
    rmse: round(rmse(y, pred)),
    r2: round(r2(y, pred)),
    rmse_mg_l: round(rmse(measured, predMgL)),
    r2_mg_l: round(r2(measured, predMgL)),
  };
  const xs = X.map((r) => r[0]!);
  const unitY = log ? 'log10 mg/L' : 'mg/L';
  // Draw in measured units on log axes rather than log10 numbers: students read "100 NTU", not "2".
  const shownX = log ? xs.map((v) => 10 ** v) : xs;
  const groups: ScatterGroup[] = aside
    ? [
        { name: 'inliers', x: shownX.filter((_, i) => !aside[i]), y: measured.filter((_, i) => !aside[i]) },
        { name: options.model === 'ransac' ? 'outliers (RANSAC)' : 'down-weighted (Huber: |r| > ε·σ)', x: shownX.filter((_, i) => aside[i]), y: measured.filter((_, i) => aside[i]) },
      ]
    : [{ name: 'aligned samples', x: shownX, y: measured }];
  const lo = Math.min(...xs);
  const hi = Math.max(...xs);
  const grid = Array.from({ length: 80 }, (_, i) => lo + ((hi - lo) * i) / 79);
  const curve = model.predict(grid.map((v) => [v]));
  const figures: Figure[] = [
    keyValueFigure(`Fit: ${options.model} in ${options.scale} space`, [
      ['samples', `${X.length}${excluded ? ` (${excluded} left out: turbidity or SSC ≤ 0 has no log)` : ''}`],
      [log ? 'exponent (slope in log–log)' : 'slope (mg/L per NTU)', fmt(json.slope)],
      [log ? 'log10 prefactor' : 'intercept (mg/L)', fmt(json.intercept)],
      [options.model === 'huber' ? 'down-weighted (|r| > ε·σ, still in the fit)' : 'set aside as outliers', String(json.n_outliers)],
      [`RMSE (${unitY})`, fmt(json.rmse)],
      [`R² (${options.scale} space)`, fmt(json.r2)],
      ['RMSE back in mg/L', fmt(json.rmse_mg_l)],
      ['R² back in mg/L', fmt(json.r2_mg_l)],
    ]),
    {
      title: `SSC against turbidity, with the ${options.model} fit${log ? ' (log–log axes)' : ''}`,
      render: (caps) =>
        renderScatter(groups, caps, {
          xAxis: { label: 'turbidity', unit: 'NTU', log },
          yAxis: { label: 'SSC', unit: 'mg/L', log },
          curves: [{ name: `${options.model} fit`, x: log ? grid.map((v) => 10 ** v) : grid, y: log ? curve.map((v) => 10 ** v) : curve }],
        }),
    },
    {
      title: `Residuals against fitted values (${unitY}): a fan means the spread grows with the level`,
      render: (caps) =>
        renderScatter([{ name: 'residual', x: pred, y: residuals }], caps, {
          xAxis: { label: 'fitted', unit: unitY },
          yAxis: { label: 'residual', unit: unitY },
          curves: [{ name: 'zero', x: [Math.min(...pred), Math.max(...pred)], y: [0, 0] }],
        }),
    },
    {
      title: `Residuals against water temperature (${unitY}): a trend would be information the fit misses`,
      render: (caps) =>
        renderScatter([{ name: 'residual', x: temp, y: residuals }], caps, {
          xAxis: { label: 'temperature', unit: '°C' },
          yAxis: { label: 'residual', unit: unitY },
          curves: [{ name: 'zero', x: [Math.min(...temp), Math.max(...temp)], y: [0, 0] }],
        }),
    },
  ];
  return { json, figures };
}

// ---------------------------------------------------------------- compare

function featureColumns(set: RiverTaskOptions['features']): ProbeColumn[] {
  const names: Record<string, ProbeColumn> = { turbidity: 'turbidity_ntu', level: 'level_m', temperature: 'temperature_c' };
  return set.split('+').map((n) => names[n]!);
}

/** Errors of one model on one test set, with its predictions. */
export interface Scores {
  rmse: number;
  r2: number;
  pred: number[];
  measured: number[];
}

function score(name: string, X: Matrix, y: number[], split: Split, seed: number): Scores {
  const model = makeModel(name, seed).fit(take(X, split.train), take(y, split.train));
  const measured = take(y, split.test);
  const pred = model.predict(take(X, split.test));
  return { rmse: rmse(measured, pred), r2: r2(measured, pred), pred, measured };
}

/**
 * k folds of consecutive rows in time order (rows must be sorted by time): each fold is a stretch of
 * the record, so a test sample's flood-mates are in the same fold, not in the training set.
 */
export function blockedFolds(n: number, k: number): Split[] {
  return Array.from({ length: k }, (_, f) => {
    const lo = Math.floor((f * n) / k);
    const hi = Math.floor(((f + 1) * n) / k);
    const test = Array.from({ length: hi - lo }, (_, i) => lo + i);
    const train = Array.from({ length: n }, (_, i) => i).filter((i) => i < lo || i >= hi);
    return { train, test };
  });
}

/** Cross-validated RMSE: every row predicted once by a model that did not see it, pooled over folds. */
function cvRmse(name: string, X: Matrix, y: number[], folds: readonly Split[], seed: number): number {
  let se = 0;
  let n = 0;
  for (const split of folds) {
    const s = score(name, X, y, split, seed);
    s.pred.forEach((p, i) => {
      se += (p - s.measured[i]!) ** 2;
      n++;
    });
  }
  return Math.sqrt(se / n);
}

/** One model's errors on the two held-out quarters and in the two kinds of 5-fold cross-validation. */
export interface SplitScores {
  random: Scores;
  time: Scores;
  cvRandom: number;
  cvTime: number;
}

/**
 * Scores each model on a random and a by-time held-out quarter, and by shuffled and time-block 5-fold CV (rows in
 * time order), pausing before each model.
 */
function* scoreSplits(
  X: Matrix,
  y: number[],
  t: number[],
  models: readonly string[],
  seed: number,
): Generator<RiverStep, { splits: { random: Split; time: Split }; results: Record<string, SplitScores> }> {
  const testSize = 0.25;
  const splits = { random: randomSplit(X.length, testSize, seed), time: timeSplit(X.length, testSize, t) };
  const folds = { random: kFold(X.length, 5, seed), time: blockedFolds(X.length, 5) };
  const results: Record<string, SplitScores> = {};
  for (const [i, name] of models.entries()) {
    const label = `scoring ${name} (${i + 1}/${models.length})`;
    yield { fraction: i / models.length, label };
    const random = score(name, X, y, splits.random, seed);
    yield { fraction: (i + 0.25) / models.length, label };
    const time = score(name, X, y, splits.time, seed);
    yield { fraction: (i + 0.5) / models.length, label };
    const cvRandom = cvRmse(name, X, y, folds.random, seed);
    yield { fraction: (i + 0.75) / models.length, label };
    results[name] = { random, time, cvRandom, cvTime: cvRmse(name, X, y, folds.time, seed) };
  }
  return { splits, results };
}

/** The compare stage's scores for some of its models only (what the tests check over many seeds, without the figures). */
export function compareScores(options: RiverTaskOptions, models: readonly (typeof COMPARE_MODELS)[number][]): Record<string, SplitScores> {
  const cal = calibrate(riverRecord(options.seed), { maxGapMs: options.maxGapMin * MINUTE_MS, method: options.method });
  const { X, y, t } = rowsFor(cal, featureColumns(options.features), options.scale === 'log');
  return finish(scoreSplits(X, y, t, models, options.seed)).results;
}

function* compare(cal: RiverCalibration, options: RiverTaskOptions, base: Base): Generator<RiverStep, ExperimentResult> {
  const log = options.scale === 'log';
  const features = featureColumns(options.features);
  const { X, y, t, excluded } = rowsFor(cal, features, log);
  if (X.length < 20) throw new UserError(`river: only ${X.length} aligned samples to compare models on`);
  const K = 5;
  const { splits, results } = yield* scoreSplits(X, y, t, COMPARE_MODELS, options.seed);
  const unit = log ? 'log10 mg/L' : 'mg/L';
  const json: Record<string, unknown> = {
    ...base,
    scale: options.scale,
    features,
    n_samples: X.length,
    n_excluded_nonpositive: excluded,
    n_test: splits.random.test.length,
    test_start: new Date(t[splits.time.test[0]!]!).toISOString().slice(0, 10),
    rmse_unit: unit,
  };
  for (const name of COMPARE_MODELS) {
    const r = results[name]!;
    json[`rmse_random_${name}`] = round(r.random.rmse);
    json[`r2_random_${name}`] = round(r.random.r2);
    json[`rmse_time_${name}`] = round(r.time.rmse);
    json[`r2_time_${name}`] = round(r.time.r2);
    json[`cv_rmse_random_${name}`] = round(r.cvRandom);
    json[`cv_rmse_time_${name}`] = round(r.cvTime);
  }
  const best = (split: 'random' | 'time') => COMPARE_MODELS.reduce((a, b) => (results[b]![split].rmse < results[a]![split].rmse ? b : a));
  json.best_random = best('random');
  json.best_time = best('time');
  const shown = results[options.model]!;
  const toShown = (v: number) => (log ? 10 ** v : v);
  const all = [...shown.random.measured, ...shown.random.pred, ...shown.time.measured, ...shown.time.pred].map(toShown);
  const lo = Math.min(...all);
  const hi = Math.max(...all);
  const label: Record<string, string> = { linear: log ? 'power law (linear in log)' : 'linear', huber: 'Huber', ransac: 'RANSAC', poly: 'polynomial (degree 2)', forest: 'random forest' };
  const figures: Figure[] = [
    gridFigure(
      `Held-out test: ${json.n_test} samples drawn at random vs the last ${json.n_test} in time (from ${json.test_start}); RMSE in ${unit}`,
      ['model', 'RMSE random', 'R² random', 'RMSE time', 'R² time'],
      COMPARE_MODELS.map((name) => {
        const r = results[name]!;
        return [label[name]!, fmt(round(r.random.rmse)), fmt(round(r.random.r2)), fmt(round(r.time.rmse)), fmt(round(r.time.r2))];
      }),
    ),
    gridFigure(
      `${K}-fold cross-validation RMSE (${unit}): shuffled folds vs folds that are blocks of time`,
      ['model', 'CV shuffled', 'CV time blocks', 'ratio'],
      COMPARE_MODELS.map((name) => {
        const r = results[name]!;
        return [label[name]!, fmt(round(r.cvRandom)), fmt(round(r.cvTime)), (r.cvTime / r.cvRandom).toFixed(2)];
      }),
    ),
    {
      title: `${label[options.model]}: predicted against measured SSC on each test set (1:1 line when perfect)`,
      render: (caps: RenderCaps) =>
        renderScatter(
          [
            { name: 'random split', x: shown.random.measured.map(toShown), y: shown.random.pred.map(toShown) },
            { name: 'split by time', x: shown.time.measured.map(toShown), y: shown.time.pred.map(toShown) },
          ],
          caps,
          {
            xAxis: { label: 'measured SSC', unit: 'mg/L', log },
            yAxis: { label: 'predicted SSC', unit: 'mg/L', log },
            curves: [{ name: '1:1', x: [lo, hi], y: [lo, hi] }],
          },
        ),
    },
  ];
  return { json, figures };
}

// ---------------------------------------------------------------- season

/** Wet season of year k (1 or 2) of the record: 1 July to 31 December. */
function seasonWindow(data: RiverData, k: number): [number, number] {
  const year = new Date(data.truth.timeMs[0]!).getUTCFullYear() + k - 1;
  return [Date.UTC(year, 6, 1), Date.UTC(year + 1, 0, 1)];
}

function season(cal: RiverCalibration, options: RiverTaskOptions, base: Base): ExperimentResult {
  const { data, probes } = cal;
  const features = featureColumns(options.features);
  const [from, to] = seasonWindow(data, options.season);
  // Calibrate on every sample outside the season: the season is predicted from its probes alone,
  // and its own samples are kept aside to check the prediction.
  const rows = rowsFor(cal, features, true);
  const calib = rows.t.map((t, i) => i).filter((i) => rows.t[i]! < from || rows.t[i]! >= to);
  const inSeason = rows.t.map((t, i) => i).filter((i) => rows.t[i]! >= from && rows.t[i]! < to);
  if (calib.length < 10) throw new UserError(`river: only ${calib.length} calibration samples outside the season`);
  const [a, b] = windowOf(probes.timeMs, from, to);
  const seasonTime = probes.timeMs.slice(a, b);
  const seasonX = Array.from(seasonTime, (_, k) => {
    const row = features.map((f) => {
      const v = probes.columns[f]![a + k]!;
      return f === 'temperature_c' ? v : log10OrNaN(v);
    });
    return row.every(Number.isFinite) ? row : null;
  });
  const discharge = Float64Array.from(probes.columns.level_m!.subarray(a, b), (h) => (Number.isFinite(h) ? dischargeFromLevel(h, data.params) : Number.NaN));
  const fitter: FitPredict = (X, y) => {
    const m = makeModel(options.model, options.seed).fit(X, y);
    return (Z) => m.predict(Z);
  };
  const result = predictSeason({
    calibrationX: calib.map((i) => rows.X[i]!),
    calibrationSscMgL: calib.map((i) => 10 ** rows.y[i]!),
    calibrationTimeMs: calib.map((i) => rows.t[i]!),
    seasonTimeMs: seasonTime,
    seasonX,
    seasonDischargeM3s: discharge,
    stepS: (probes.timeMs[1]! - probes.timeMs[0]!) / 1000,
    logTarget: true,
    fit: fitter,
    replicates: 200,
    seed: options.seed,
  });
  // What the river really carried (the generator's truth), over the whole season and over the covered steps.
  const [ta, tb] = windowOf(data.truth.timeMs, from, to);
  let trueAll = 0;
  let trueCovered = 0;
  for (let i = ta; i < tb; i++) {
    const g = data.truth.sscMgL[i]! * data.truth.dischargeM3s[i]! * (PROBE_STEP_MS / 1000);
    trueAll += g;
    const k = Math.round((data.truth.timeMs[i]! - seasonTime[0]!) / PROBE_STEP_MS);
    if (k >= 0 && k < seasonTime.length && Number.isFinite(result.sscMgL[k]!) && Number.isFinite(discharge[k]!)) trueCovered += g;
  }
  // Check against the season's own samples (never used in the fit): error of log10 SSC at their times.
  const checkPred = inSeason.map((i) => {
    const k = Math.round((rows.t[i]! - seasonTime[0]!) / PROBE_STEP_MS);
    return log10OrNaN(result.sscMgL[k]!);
  });
  const okCheck = inSeason.map((i, j) => [rows.y[i]!, checkPred[j]!] as const).filter(([, p]) => Number.isFinite(p));
  const json = {
    ...base,
    model: options.model,
    features,
    season: options.season,
    season_start: new Date(from).toISOString().slice(0, 10),
    season_end: new Date(to - 1).toISOString().slice(0, 10),
    n_calibration: calib.length,
    n_season_samples: inSeason.length,
    flux_t: round(result.flux.tonnes),
    flux_low_t: round(result.fluxLowT),
    flux_high_t: round(result.fluxHighT),
    coverage: round(result.flux.coverage),
    smearing: round(result.smearing),
    flux_unsmeared_t: round(result.flux.tonnes / result.smearing),
    residual_sd_log10: round(result.residualSd),
    rmse_season_log10: okCheck.length ? round(rmse(okCheck.map(([m]) => m), okCheck.map(([, p]) => p))) : null,
    flux_true_t: round(trueAll / 1e6),
    flux_true_covered_t: round(trueCovered / 1e6),
  };
  // Hourly means for the picture: 50,000 five-minute steps would only blur into the same line.
  const hourly = (v: Float64Array) => resample({ timeMs: seasonTime, values: v }, { stepMs: 3_600_000 });
  const mid = hourly(result.sscMgL);
  const lowH = hourly(result.lowMgL);
  const highH = hourly(result.highMgL);
  const qH = hourly(discharge);
  const sampleGroup: ScatterGroup = { name: 'lab samples (not used in the fit)', x: inSeason.map((i) => rows.t[i]!), y: inSeason.map((i) => 10 ** rows.y[i]!) };
  const figures: Figure[] = [
    keyValueFigure(`Season ${json.season_start} to ${json.season_end}: sediment flux`, [
      ['flux (predicted)', `${fmt(json.flux_t)} t`],
      ['90 % interval (day-block bootstrap)', `${fmt(json.flux_low_t)} – ${fmt(json.flux_high_t)} t`],
      ['without the smearing correction', `${fmt(json.flux_unsmeared_t)} t (factor ${fmt(json.smearing)})`],
      ['steps covered by the probes', `${(100 * json.coverage).toFixed(1)} %`],
      ['what the river really carried, those steps', `${fmt(json.flux_true_covered_t)} t`],
      ['… and over the whole season', `${fmt(json.flux_true_t)} t`],
      ['calibration samples (outside the season)', String(json.n_calibration)],
      ['season samples used to check', String(json.n_season_samples)],
      ['check: RMSE of log10 SSC at those samples', json.rmse_season_log10 === null ? '—' : fmt(json.rmse_season_log10)],
    ]),
    {
      // Three things to tell apart at 80 columns: the band shaded behind, the prediction as a line, the samples as
      // markers over both. Each column shows the mean of its hours, so the line is a line, not a blob of peaks.
      title: 'Predicted SSC over the season (line: mean of the hours in each column; shaded: the 5–95 % band over those hours) and the lab samples',
      render: (caps) =>
        renderLineChart([{ name: 'predicted SSC', x: mid.timeMs, y: mid.values }], caps, {
          xAxis: { time: true, min: from, max: to },
          yAxis: { label: 'SSC', unit: 'mg/L', log: true },
          aggregate: 'mean',
          bands: [{ name: caps.unicode ? '5–95 % band' : '5-95 % band', x: lowH.timeMs, low: lowH.values, high: highH.values }],
          points: [{ name: 'lab samples (not in the fit)', x: sampleGroup.x, y: sampleGroup.y }],
        }),
    },
    {
      title: 'Discharge over the season, from the level through the rating curve Q = a(h − h0)^b',
      render: (caps) => renderLineChart([{ name: 'discharge', x: qH.timeMs, y: qH.values }], caps, { xAxis: { time: true }, yAxis: { label: 'Q', unit: 'm³/s' } }),
    },
  ];
  return { json, figures };
}
