// Season prediction and sediment flux: SSC predicted from the probes by a fitted model, flux = Σ SSC·Q·Δt, and its uncertainty by a day-block bootstrap.
import { createRng } from '../util/rng.js';
import { mean, quantile } from '../util/stats.js';

/**
 * Sediment flux through the section, tonnes: Σ C·Q·Δt over the steps where both are known.
 * C in mg/L is g/m³, Q in m³/s and Δt in s, so each term is grams; ÷ 10⁶ gives tonnes. Each value
 * stands for the step that starts at it (a regular grid of `stepS` seconds). Missing steps are
 * skipped, not guessed, and `coverage` says how much of the period the total covers: outages often
 * happen during floods, so a low coverage means an underestimate, not a small river.
 */
export function sedimentFlux(sscMgL: ArrayLike<number>, dischargeM3s: ArrayLike<number>, stepS: number): FluxResult {
  if (sscMgL.length !== dischargeM3s.length) throw new Error(`flux: ${sscMgL.length} concentrations but ${dischargeM3s.length} discharges`);
  let grams = 0;
  let covered = 0;
  for (let i = 0; i < sscMgL.length; i++) {
    const c = sscMgL[i]!;
    const q = dischargeM3s[i]!;
    if (!Number.isFinite(c) || !Number.isFinite(q)) continue;
    grams += c * q * stepS;
    covered++;
  }
  return { tonnes: grams / 1e6, coveredSteps: covered, totalSteps: sscMgL.length, coverage: sscMgL.length ? covered / sscMgL.length : 0 };
}

/** A sediment flux total. */
export interface FluxResult {
  /** Sediment mass carried through the section over the covered steps, tonnes. */
  tonnes: number;
  /** Steps with both a concentration and a discharge. */
  coveredSteps: number;
  /** Steps in the period. */
  totalSteps: number;
  /** coveredSteps / totalSteps (0–1). */
  coverage: number;
}

/** Fits a model on rows X (model space) and targets y, and returns its prediction function. */
export type FitPredict = (X: number[][], y: number[]) => (X: number[][]) => number[];

/** What a season prediction needs. */
export interface SeasonInput {
  /** Features of the calibration samples, one row per sample, already in model space (e.g. log10 turbidity). */
  calibrationX: number[][];
  /** Lab SSC of the calibration samples, mg/L (> 0 when `logTarget`). */
  calibrationSscMgL: number[];
  /** Time of each calibration sample, epoch ms (for the day blocks of the bootstrap). */
  calibrationTimeMs: number[];
  /** The season's grid times, epoch ms. */
  seasonTimeMs: Float64Array;
  /** Features at each season step, in the same space as `calibrationX`; null where a probe is missing. */
  seasonX: (number[] | null)[];
  /** Discharge at each season step, m³/s (NaN where the level is missing). */
  seasonDischargeM3s: Float64Array;
  /** Grid step, s. */
  stepS: number;
  /** Fit log10 SSC rather than SSC (the power law), with Duan's smearing factor when transforming back. */
  logTarget: boolean;
  /** The model. */
  fit: FitPredict;
  /** Bootstrap replicates for the flux interval (default 200; 0 for none). */
  replicates?: number;
  /** Seed of the bootstrap. */
  seed: number;
  /** Length of the bootstrap blocks, ms (default one day). */
  blockMs?: number;
}

/** SSC over a season and the flux it implies. */
export interface SeasonPrediction {
  /** Predicted SSC at each step, mg/L (NaN where a probe is missing). */
  sscMgL: Float64Array;
  /** Lower edge of the 90 % band of a single step's SSC (5th percentile of the residuals), mg/L. */
  lowMgL: Float64Array;
  /** Upper edge of that band (95th percentile), mg/L. */
  highMgL: Float64Array;
  /** Flux of the point prediction, with its coverage. */
  flux: FluxResult;
  /** 5th percentile of the bootstrap fluxes, tonnes (NaN without replicates). */
  fluxLowT: number;
  /** 95th percentile of the bootstrap fluxes, tonnes (NaN without replicates). */
  fluxHighT: number;
  /** Duan's smearing factor: mean of 10^residual, multiplying back-transformed log predictions (1 when not in log space). */
  smearing: number;
  /** Standard deviation of the calibration residuals, in model space (log10 units when `logTarget`, else mg/L). */
  residualSd: number;
}

/**
 * Predicts SSC over a season from the probes alone and totals the flux.
 *
 * Back-transforming a log fit gives the median, not the mean: 10^E[log C] < E[C]. Duan's smearing
 * factor S = mean(10^rᵢ) over the calibration residuals corrects the bias (Ferguson 1986 shows
 * sediment loads underestimated by up to half without it).
 *
 * Uncertainty: residuals are not independent from one reading to the next — a flood carrying
 * coarser or more sediment stays off the curve for hours — so a ±RMSE per step would average away
 * over a season and look far too precise. Instead a block bootstrap by day: each replicate
 * refits the model on calibration days drawn with replacement (the calibration's own uncertainty),
 * then adds to every day of the season one residual drawn from that refit (errors persist within
 * a day). The 5th and 95th percentiles of the replicates' fluxes bound the flux.
 */
export function predictSeason(input: SeasonInput): SeasonPrediction {
  const { calibrationX, calibrationSscMgL, logTarget, fit } = input;
  const n = calibrationX.length;
  if (n < 3) throw new Error(`season prediction needs at least 3 calibration samples, got ${n}`);
  const y = calibrationSscMgL.map((c, i) => {
    if (!logTarget) return c;
    if (!(c > 0)) throw new Error(`log-space fit needs positive concentrations; calibration sample ${i} has ${c} mg/L`);
    return Math.log10(c);
  });
  const back = (v: number) => (logTarget ? 10 ** v : Math.max(0, v));

  // Season rows with all features: predicted in one call per model.
  const rows: number[] = [];
  const seasonRows: number[][] = [];
  input.seasonX.forEach((x, i) => {
    if (x) {
      rows.push(i);
      seasonRows.push(x);
    }
  });

  const predictor = fit(calibrationX, y);
  const residuals = predictor(calibrationX).map((p, i) => y[i]! - p);
  const smearing = logTarget ? mean(residuals.map((r) => 10 ** r)) : 1;
  const q05 = quantile(residuals, 0.05);
  const q95 = quantile(residuals, 0.95);
  const m = input.seasonTimeMs.length;
  const ssc = new Float64Array(m).fill(Number.NaN);
  const low = new Float64Array(m).fill(Number.NaN);
  const high = new Float64Array(m).fill(Number.NaN);
  if (seasonRows.length > 0) {
    const pred = predictor(seasonRows);
    rows.forEach((i, k) => {
      const p = pred[k]!;
      ssc[i] = logTarget ? 10 ** p * smearing : Math.max(0, p);
      low[i] = back(p + q05);
      high[i] = back(p + q95);
    });
  }
  const flux = sedimentFlux(ssc, input.seasonDischargeM3s, input.stepS);

  const replicates = input.replicates ?? 200;
  const fluxes: number[] = [];
  if (replicates > 0 && seasonRows.length > 0) {
    const rng = createRng(input.seed);
    const blockMs = input.blockMs ?? 24 * 3600 * 1000;
    const blockOf = (t: number) => Math.floor(t / blockMs);
    const calibBlocks = groupBy(input.calibrationTimeMs.map(blockOf));
    const seasonBlock = rows.map((i) => blockOf(input.seasonTimeMs[i]!));
    for (let b = 0; b < replicates; b++) {
      const pick: number[] = [];
      for (let k = 0; k < calibBlocks.length; k++) pick.push(...calibBlocks[rng.int(calibBlocks.length)]!);
      const Xb = pick.map((i) => calibrationX[i]!);
      const yb = pick.map((i) => y[i]!);
      const fb = fit(Xb, yb);
      const rb = fb(Xb).map((p, i) => yb[i]! - p);
      const pred = fb(seasonRows);
      const dayResidual = new Map<number, number>();
      const cb = new Float64Array(m).fill(Number.NaN);
      rows.forEach((i, k) => {
        const day = seasonBlock[k]!;
        let r = dayResidual.get(day);
        if (r === undefined) {
          r = rb[rng.int(rb.length)]!;
          dayResidual.set(day, r);
        }
        cb[i] = back(pred[k]! + r);
      });
      fluxes.push(sedimentFlux(cb, input.seasonDischargeM3s, input.stepS).tonnes);
    }
  }
  return {
    sscMgL: ssc,
    lowMgL: low,
    highMgL: high,
    flux,
    fluxLowT: fluxes.length ? quantile(fluxes, 0.05) : Number.NaN,
    fluxHighT: fluxes.length ? quantile(fluxes, 0.95) : Number.NaN,
    smearing,
    residualSd: Math.sqrt(mean(residuals.map((r) => r * r)) - mean(residuals) ** 2),
  };
}

/** Row indices grouped by key, groups in order of first appearance. */
function groupBy(keys: readonly number[]): number[][] {
  const groups = new Map<number, number[]>();
  keys.forEach((k, i) => {
    const g = groups.get(k);
    if (g) g.push(i);
    else groups.set(k, [i]);
  });
  return [...groups.values()];
}
