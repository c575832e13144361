// Stage inspect: the probes and samples as recorded.
import type { RiverData } from '../../hydrology/river-data.js';
import { renderHistogram } from '../../render/histogram.js';
import { renderLineChart } from '../../render/line.js';
import { renderScatter, type ScatterGroup } from '../../render/scatter.js';
import { renderSummaryTable } from '../../render/summary.js';
import type { RiverCalibration } from '../../hydrology/calibration.js';
import { gridFigure } from '../common.js';
import { pearson, quantile, round } from '../../util/stats.js';
import type { ExperimentResult, Figure } from '../types.js';
import { DAY_MS, type Base, type RiverTaskOptions } from './types.js';
import { countNaN, log10OrNaN, windowOf } from './series.js';

/** The largest sampled flood: the time of the sample with the highest SSC. */
export function biggestSampledFlood(data: RiverData): number {
  let best = 0;
  data.samples.sscMgL.forEach((c, i) => {
    if (c > (data.samples.sscMgL[best]! || 0)) best = i;
  });
  return data.samples.timeMs[best]!;
}

export function inspect(cal: RiverCalibration, options: RiverTaskOptions, base: Base): ExperimentResult {
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
      render: (caps) =>
        renderLineChart([{ name: 'level', x: pt, y: p.levelM.subarray(a, b) }], caps, { xAxis: { time: true }, yAxis: { label: 'level', unit: 'm' } }),
    },
    {
      title: `Turbidity${options.window === 'flood' ? ' around the biggest sampled flood' : ''}`,
      render: (caps) =>
        renderLineChart([{ name: 'turbidity', x: pt, y: p.turbidityNtu.subarray(a, b) }], caps, {
          xAxis: { time: true },
          yAxis: { label: 'turbidity', unit: 'NTU' },
        }),
    },
    {
      title: `Water temperature${options.window === 'flood' ? ' around the biggest sampled flood' : ''}`,
      render: (caps) =>
        renderLineChart([{ name: 'temperature', x: pt, y: p.temperatureC.subarray(a, b) }], caps, {
          xAxis: { time: true },
          yAxis: { label: 'temperature', unit: '°C' },
        }),
    },
    {
      title: 'Lab samples over time: routine visits and the flood sampler',
      render: (caps) => renderScatter(campaignGroups(data, sa, sb), caps, { xAxis: { time: true }, yAxis: { label: 'SSC', unit: 'mg/L', log: true } }),
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
export function finiteMax(a: ArrayLike<number>): number {
  let m = Number.NEGATIVE_INFINITY;
  for (let i = 0; i < a.length; i++) if (a[i]! > m) m = a[i]!;
  return m;
}

export function campaignGroups(data: RiverData, from: number, to: number): ScatterGroup[] {
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
