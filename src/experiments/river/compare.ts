// Stage compare: five models scored on a random and a time split and by folds, fold by fold.
import { UserError } from '../../errors.js';
import { r2, rmse } from '../../ml/metrics.js';
import type { Matrix } from '../../ml/types.js';
import { kFold, randomSplit, take, timeSplit, type Split } from '../../ml/validation.js';
import type { RenderCaps } from '../../render/caps.js';
import { renderScatter } from '../../render/scatter.js';
import { calibrate, riverRecord, type RiverCalibration } from '../../hydrology/calibration.js';
import { fmt, gridFigure } from '../common.js';
import { round } from '../../util/stats.js';
import type { ExperimentResult, Figure } from '../types.js';
import { COMPARE_MODELS, MINUTE_MS, finish, type Base, type RiverStep, type RiverTaskOptions } from './types.js';
import { makeModel } from './models.js';
import { featureColumns, rowsFor } from './rows.js';

/** Errors of one model on one test set, with its predictions. */
export interface Scores {
  rmse: number;
  r2: number;
  pred: number[];
  measured: number[];
}

export function score(name: string, X: Matrix, y: number[], split: Split, seed: number): Scores {
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
export function cvRmse(name: string, X: Matrix, y: number[], folds: readonly Split[], seed: number): number {
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
export function* scoreSplits(
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

export function* compare(cal: RiverCalibration, options: RiverTaskOptions, base: Base): Generator<RiverStep, ExperimentResult> {
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
  const label: Record<string, string> = {
    linear: log ? 'power law (linear in log)' : 'linear',
    huber: 'Huber',
    ransac: 'RANSAC',
    poly: 'polynomial (degree 2)',
    rf: 'random forest',
  };
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
