// The tour's experiment: fit a straight line to a few noisy gauge readings, small enough to read every number.
import type { ExperimentResult, Figure } from './types.js';
import type { TourTaskOptions } from '../tasks/options.js';
import type { RenderCaps } from '../render/caps.js';
import { createRng } from '../util/rng.js';
import { renderScatter } from '../render/scatter.js';
import { SimpleLinearRegression } from 'ml-regression';
import { roundTo } from '../util/stats.js';

/** Options of the tour experiment. */
export interface TourOptions {
  /** How many readings (5–200). */
  points: number;
  /** Standard deviation of the reading noise, in cm. */
  noiseCm: number;
  /** Seed of the student's data. */
  seed: number;
}

/** A fitted line y = slope·x + intercept and its error. */
export interface LineFit {
  /** cm of stage per cm of staff-gauge reading. */
  slope: number;
  /** cm. */
  intercept: number;
  /** Root mean squared error of the fit, cm. */
  rmse: number;
  /** Coefficient of determination. */
  r2: number;
}

/** Ordinary least squares (ml-regression's closed form, the formula the course derives on the board), with its errors. */
export function fitLine(x: readonly number[], y: readonly number[]): LineFit {
  const n = x.length;
  if (n < 2 || y.length !== n) throw new Error('fitLine needs at least two (x, y) pairs of equal length');
  const line = new SimpleLinearRegression(x as number[], y as number[]);
  const my = y.reduce((a, b) => a + b, 0) / n;
  let sse = 0;
  let syy = 0;
  for (let i = 0; i < n; i++) {
    sse += (y[i]! - line.predict(x[i]!)) ** 2;
    syy += (y[i]! - my) ** 2;
  }
  return { slope: line.slope, intercept: line.intercept, rmse: Math.sqrt(sse / n), r2: syy === 0 ? 1 : 1 - sse / syy };
}

/** The true relation between the staff gauge and the stage: stage = TRUE_SLOPE · (true reading) + TRUE_INTERCEPT_CM. */
export const TRUE_SLOPE = 0.95;
export const TRUE_INTERCEPT_CM = 12;
/** True gauge readings are uniform over 20–200 cm, so their variance is 180²/12 = 2700 cm². */
const READING_LO_CM = 20;
const READING_HI_CM = 200;

/**
 * A cheap staff gauge read by eye against a pressure sensor: the true relation is stage = 0.95·(true
 * reading) + 12 cm. The error is where the story puts it, in the reading (x), which is written down to
 * the millimetre with `noiseCm` of reading error; the pressure sensor's stage (y) is exact to its last
 * digit. Noise in x makes least squares flatten the line (regression dilution): see `attenuation`.
 * Each student's seed gives their own readings, so their numbers are their own.
 */
export function tourData(options: TourOptions): { reading: number[]; stage: number[] } {
  const rng = createRng(options.seed);
  const reading: number[] = [];
  const stage: number[] = [];
  for (let i = 0; i < options.points; i++) {
    const r = READING_LO_CM + rng.next() * (READING_HI_CM - READING_LO_CM);
    reading.push(roundTo(r + options.noiseCm * rng.normal(), 1));
    stage.push(roundTo(TRUE_SLOPE * r + TRUE_INTERCEPT_CM, 1));
  }
  return { reading, stage };
}

/**
 * The factor by which reading noise of standard deviation σ shrinks the least-squares slope:
 * λ = var(true x) / (var(true x) + σ²) (the reliability ratio), estimated from the readings themselves
 * as 1 − σ²/var(readings), since the readings' variance is var(true x) + σ². Never below 0.
 */
export function attenuation(reading: readonly number[], noiseCm: number): number {
  const n = reading.length;
  const mean = reading.reduce((a, b) => a + b, 0) / n;
  const variance = reading.reduce((a, b) => a + (b - mean) ** 2, 0) / n;
  return variance > 0 ? Math.max(0, 1 - (noiseCm * noiseCm) / variance) : 1;
}

/** Runs the tour experiment; the keys of `json` are what the tour's questions ask about. */
export function runTour(options: TourOptions): ExperimentResult {
  const { reading, stage } = tourData(options);
  const fit = fitLine(reading, stage);
  const lambda = attenuation(reading, options.noiseCm);
  const json = {
    task: 'tour',
    model: 'linear',
    seed: options.seed,
    n_points: options.points,
    noise_cm: options.noiseCm,
    slope: roundTo(fit.slope, 4),
    // What the noise alone does to the slope: 0.95 × λ, with λ from this run's readings.
    attenuation: roundTo(lambda, 4),
    expected_slope: roundTo(TRUE_SLOPE * lambda, 4),
    intercept_cm: roundTo(fit.intercept, 4),
    rmse_cm: roundTo(fit.rmse, 4),
    r2: roundTo(fit.r2, 4),
  };
  const lo = Math.min(...reading);
  const hi = Math.max(...reading);
  const figures: Figure[] = [
    {
      title: 'Stage against gauge reading, with the fitted line and the true relation',
      render: (caps: RenderCaps) =>
        renderScatter([{ name: 'readings', x: reading, y: stage }], caps, {
          xAxis: { label: 'gauge reading', unit: 'cm' },
          yAxis: { label: 'stage', unit: 'cm' },
          curves: [
            { name: 'least-squares line', x: [lo, hi], y: [fit.slope * lo + fit.intercept, fit.slope * hi + fit.intercept] },
            {
              name: `true: ${TRUE_SLOPE}·reading + ${TRUE_INTERCEPT_CM}`,
              x: [lo, hi],
              y: [TRUE_SLOPE * lo + TRUE_INTERCEPT_CM, TRUE_SLOPE * hi + TRUE_INTERCEPT_CM],
            },
          ],
        }),
    },
    {
      title: 'The first readings and their residuals',
      render: (caps: RenderCaps) => readingsTable(reading, stage, fit, caps),
    },
  ];
  return { json, figures };
}

/** The `tour` task: its checked options (src/tasks/declarations.ts) to `runTour`. */
export async function runTourTask(options: TourTaskOptions, seed: number): Promise<ExperimentResult> {
  return runTour({ points: options.points, noiseCm: options.noise, seed });
}

function readingsTable(reading: number[], stage: number[], fit: LineFit, caps: RenderCaps): string {
  const rows = Math.max(1, Math.min(reading.length, caps.height - 2));
  const lines = ['reading (cm)   stage (cm)   fitted (cm)   residual (cm)'];
  for (let i = 0; i < rows; i++) {
    const f = fit.slope * reading[i]! + fit.intercept;
    lines.push(`${fmt(reading[i]!, 12)}   ${fmt(stage[i]!, 10)}   ${fmt(f, 11)}   ${fmt(stage[i]! - f, 13)}`);
  }
  if (rows < reading.length) lines.push(`${caps.unicode ? '…' : '...'} ${reading.length - rows} more`);
  return lines.map((l) => l.slice(0, caps.width)).join('\n');
}

function fmt(v: number, width: number): string {
  return v.toFixed(1).padStart(width);
}
