// Stage align: the probes read at each sample's time, and what the alignment drops.
import { PROBE_STEP_MS } from '../../hydrology/river-data.js';
import { renderLineChart } from '../../render/line.js';
import { renderScatter, type ScatterGroup } from '../../render/scatter.js';
import type { RiverCalibration } from '../../hydrology/calibration.js';
import { keyValueFigure } from '../common.js';
import type { ExperimentResult, Figure } from '../types.js';
import { DAY_MS, type Base, type RiverTaskOptions } from './types.js';
import { countNaN, windowOf } from './series.js';

export function align(cal: RiverCalibration, options: RiverTaskOptions, base: Base): ExperimentResult {
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
export function firstTurbidityOutage(
  gridMs: ArrayLike<number>,
  turbidity: ArrayLike<number>,
  dropped: readonly (string | null)[],
  sampleMs: ArrayLike<number>,
): { sampleMs: number; fromMs: number; toMs: number } | null {
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
