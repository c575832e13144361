// Stage season: a wet season's sediment flux predicted from the probes, with its uncertainty.
import { UserError } from '../../errors.js';
import { PROBE_STEP_MS, dischargeFromLevel, type RiverData } from '../../hydrology/river-data.js';
import { rmse } from '../../ml/metrics.js';
import { renderLineChart } from '../../render/line.js';
import type { ScatterGroup } from '../../render/scatter.js';
import { resample } from '../../hydrology/align.js';
import type { RiverCalibration } from '../../hydrology/calibration.js';
import { predictSeason, type FitPredict } from '../../hydrology/flux.js';
import { fmt, keyValueFigure } from '../common.js';
import { round } from '../../util/stats.js';
import type { ExperimentResult, Figure } from '../types.js';
import type { Base, RiverTaskOptions } from './types.js';
import { log10OrNaN, windowOf } from './series.js';
import { makeModel } from './models.js';
import { featureColumns, rowsFor } from './rows.js';

/** Wet season of year k (1 or 2) of the record: 1 July to 31 December. */
export function seasonWindow(data: RiverData, k: number): [number, number] {
  const year = new Date(data.truth.timeMs[0]!).getUTCFullYear() + k - 1;
  return [Date.UTC(year, 6, 1), Date.UTC(year + 1, 0, 1)];
}

export function season(cal: RiverCalibration, options: RiverTaskOptions, base: Base): ExperimentResult {
  const { data, probes } = cal;
  const features = featureColumns(options.features);
  const [from, to] = seasonWindow(data, options.season);
  // Calibrate on every sample outside the season: the season is predicted from its probes alone,
  // and its own samples are kept aside to check the prediction.
  const rows = rowsFor(cal, features, true);
  const calib = rows.t.map((_t, i) => i).filter((i) => rows.t[i]! < from || rows.t[i]! >= to);
  const inSeason = rows.t.map((_t, i) => i).filter((i) => rows.t[i]! >= from && rows.t[i]! < to);
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
    rmse_season_log10: okCheck.length
      ? round(
          rmse(
            okCheck.map(([m]) => m),
            okCheck.map(([, p]) => p),
          ),
        )
      : null,
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
      render: (caps) =>
        renderLineChart([{ name: 'discharge', x: qH.timeMs, y: qH.values }], caps, { xAxis: { time: true }, yAxis: { label: 'Q', unit: 'm³/s' } }),
    },
  ];
  return { json, figures };
}
