// Stage fit: SSC from turbidity with one model, and the samples a robust fit sets aside.
import { UserError } from '../../errors.js';
import { r2, rmse } from '../../ml/metrics.js';
import { HuberRegressor, RansacRegressor } from '../../ml/regression.js';
import type { Regressor } from '../../ml/types.js';
import { renderScatter, type ScatterGroup } from '../../render/scatter.js';
import type { RiverCalibration } from '../../hydrology/calibration.js';
import { fmt, keyValueFigure } from '../common.js';
import { round } from '../../util/stats.js';
import type { ExperimentResult, Figure } from '../types.js';
import type { Base, RiverTaskOptions } from './types.js';
import { makeModel } from './models.js';
import { rowsFor } from './rows.js';

/** Rows a robust model treats apart: RANSAC's non-inliers (set aside, not in its final fit), Huber's |r| > ε·σ (down-weighted: still in its fit, counted linearly); least squares treats none apart. */
export function setAside(model: Regressor): boolean[] | null {
  if (model instanceof RansacRegressor) return model.inliers.map((v) => !v);
  if (model instanceof HuberRegressor) return model.outliers;
  return null;
}

export function fit(cal: RiverCalibration, options: RiverTaskOptions, base: Base): ExperimentResult {
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
        {
          name: options.model === 'ransac' ? 'outliers (RANSAC)' : 'down-weighted (Huber: |r| > ε·σ)',
          x: shownX.filter((_, i) => aside[i]),
          y: measured.filter((_, i) => aside[i]),
        },
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
