// Aligning sparse lab samples with continuous probe series: clean missing codes, resample, fill short gaps only, match in time, count who survives.
import { UserError } from '../errors.js';
import type { Cell, Table } from '../data/csv.js';
import { MISSING_SENTINELS } from '../data/missing.js';

/**
 * Turns raw cells into numbers with NaN for every missing value: null, empty or non-numeric text,
 * NaN, ±Infinity and the sentinels (-30000, 1e+10, and any in `extraSentinels`). A sentinel left in
 * place would be the largest (or smallest) value of the series and wreck any fit or mean.
 */
export function cleanMissing(values: ArrayLike<Cell | number | undefined>, extraSentinels: readonly number[] = []): Float64Array {
  const sentinels = new Set([...MISSING_SENTINELS, ...extraSentinels]);
  const out = new Float64Array(values.length);
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    const x = typeof v === 'number' ? v : typeof v === 'string' && v.trim() !== '' ? Number(v) : Number.NaN;
    out[i] = Number.isFinite(x) && !sentinels.has(x) ? x : Number.NaN;
  }
  return out;
}

/** A series of values at increasing times. */
export interface TimeSeries {
  /** Times, epoch ms, strictly increasing. */
  timeMs: Float64Array;
  /** One value per time (unit of the quantity); NaN = missing. */
  values: Float64Array;
}

/** How to resample onto a regular grid. */
export interface ResampleOptions {
  /** Grid step, ms (e.g. 5 min = 300000). */
  stepMs: number;
  /** First grid time, epoch ms (default: the first time of the series, so a series already on the grid is unchanged). */
  startMs?: number;
  /** Last grid time, epoch ms, inclusive (default: the last time of the series). */
  endMs?: number;
}

/**
 * Resamples onto a regular grid by averaging the valid values in each bin. Bin k is centred on its
 * label startMs + k·step (it covers [label − step/2, label + step/2)): a bin mean estimates the value
 * at the bin's middle, so labelling it at its start (pandas' default) would shift the series by
 * half a step. Bins with no valid value are NaN, which is how rows a logger never wrote become visible.
 */
export function resample(series: TimeSeries, options: ResampleOptions): TimeSeries {
  const { stepMs } = options;
  if (!(stepMs > 0)) throw new Error(`resample step must be positive, got ${stepMs} ms`);
  const n = series.timeMs.length;
  if (n === 0) return { timeMs: new Float64Array(0), values: new Float64Array(0) };
  const start = options.startMs ?? series.timeMs[0]!;
  const end = options.endMs ?? series.timeMs[n - 1]!;
  const bins = Math.max(0, Math.floor((end - start) / stepMs + 1e-9) + 1);
  const sum = new Float64Array(bins);
  const count = new Uint32Array(bins);
  for (let i = 0; i < n; i++) {
    const v = series.values[i]!;
    if (Number.isNaN(v)) continue;
    const k = Math.floor((series.timeMs[i]! - start) / stepMs + 0.5);
    if (k < 0 || k >= bins) continue;
    sum[k] = sum[k]! + v;
    count[k] = count[k]! + 1;
  }
  const timeMs = new Float64Array(bins);
  const values = new Float64Array(bins);
  for (let k = 0; k < bins; k++) {
    timeMs[k] = start + k * stepMs;
    values[k] = count[k]! > 0 ? sum[k]! / count[k]! : Number.NaN;
  }
  return { timeMs, values };
}

/**
 * Linear interpolation across gaps, but only across gaps short enough to trust: a run of missing
 * values is filled when the two valid values around it are at most `maxGapMs` apart, and left
 * missing otherwise — entirely, not its first few steps (unlike pandas' `limit`, which would
 * invent the start of a three-day outage). Leading and trailing gaps are never filled.
 */
export function fillGaps(series: TimeSeries, maxGapMs: number): TimeSeries {
  const { timeMs } = series;
  const values = Float64Array.from(series.values);
  let last = -1;
  for (let i = 0; i < values.length; i++) {
    if (Number.isNaN(values[i]!)) continue;
    if (last >= 0 && i - last > 1 && timeMs[i]! - timeMs[last]! <= maxGapMs) {
      const t0 = timeMs[last]!;
      const span = timeMs[i]! - t0;
      for (let j = last + 1; j < i; j++) {
        const w = (timeMs[j]! - t0) / span;
        values[j] = (1 - w) * values[last]! + w * values[i]!;
      }
    }
    last = i;
  }
  return { timeMs: Float64Array.from(timeMs), values };
}

/** How to read a probe value at a sample's time. */
export type MatchMethod = 'nearest' | 'linear';

/** Options for matching samples to a probe series. */
export interface MatchOptions {
  /** 'nearest': the closest valid reading; 'linear': interpolated between the valid readings just before and after. */
  method: MatchMethod;
  /** The farthest a used reading may be from the sample, ms: beyond it the probe did not see that water. */
  toleranceMs: number;
}

/**
 * The probe value at each sample time, NaN where no valid reading is close enough. Binary search:
 * O(m log n) for m samples in n readings.
 */
export function valuesAt(series: TimeSeries, sampleTimesMs: ArrayLike<number>, options: MatchOptions): Float64Array {
  const { timeMs, values } = series;
  const n = timeMs.length;
  const out = new Float64Array(sampleTimesMs.length).fill(Number.NaN);
  for (let s = 0; s < sampleTimesMs.length; s++) {
    const t = sampleTimesMs[s]!;
    // First index with time >= t.
    let lo = 0;
    let hi = n;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (timeMs[mid]! < t) lo = mid + 1;
      else hi = mid;
    }
    // Nearest valid reading at or after t, and at or before t, within the tolerance.
    let after = lo;
    while (after < n && Number.isNaN(values[after]!) && timeMs[after]! - t <= options.toleranceMs) after++;
    const afterOk = after < n && !Number.isNaN(values[after]!) && timeMs[after]! - t <= options.toleranceMs;
    let before = lo < n && timeMs[lo] === t ? lo : lo - 1;
    while (before >= 0 && Number.isNaN(values[before]!) && t - timeMs[before]! <= options.toleranceMs) before--;
    const beforeOk = before >= 0 && !Number.isNaN(values[before]!) && t - timeMs[before]! <= options.toleranceMs;
    if (options.method === 'nearest') {
      if (afterOk && beforeOk) out[s] = timeMs[after]! - t < t - timeMs[before]! ? values[after]! : values[before]!;
      else if (afterOk) out[s] = values[after]!;
      else if (beforeOk) out[s] = values[before]!;
    } else if (beforeOk && afterOk) {
      const span = timeMs[after]! - timeMs[before]!;
      const w = span === 0 ? 0 : (t - timeMs[before]!) / span;
      out[s] = (1 - w) * values[before]! + w * values[after]!;
    }
  }
  return out;
}

/** Why a lab sample could not be used. */
export type DropReason = 'missing_target' | 'outside_record' | 'probe_gap';

/** The cleaned probe record: one regular grid shared by all probe columns. */
export interface ProbeSeries {
  /** Grid times, epoch ms. */
  timeMs: Float64Array;
  /** Probe columns by name (e.g. level_m), on the grid, NaN = missing. */
  columns: Record<string, Float64Array>;
}

/** The alignment pipeline's options. */
export interface AlignOptions {
  /** Resampling step, ms (default 5 min: the probes' own step). */
  stepMs?: number;
  /** Longest gap filled by interpolation, ms (default 30 min); longer outages stay missing. */
  maxGapMs?: number;
  /** How to read the probes at a sample's time (default 'linear'). */
  method?: MatchMethod;
  /** Farthest usable reading from a sample, ms (default: half the step for 'nearest', one step for 'linear'). */
  toleranceMs?: number;
}

/** What became of the samples. */
export interface AlignReport {
  /** Lab samples in the input. */
  total: number;
  /** Samples with a target and every probe value: the rows a model can learn from. */
  kept: number;
  /** Dropped because the lab value itself is missing (lost bottle, missing code). */
  missingTarget: number;
  /** Dropped because they were taken before the first or after the last probe reading. */
  outsideRecord: number;
  /** Dropped because at least one probe had no valid reading close enough (an outage longer than the gap limit). */
  probeGap: number;
  /** Per probe column: samples for which that column had no value (a sample may count in several). */
  gapsPerColumn: Record<string, number>;
}

/** Samples matched with probe values: one entry per kept sample, in time order. */
export interface AlignedSamples {
  /** Sample times, epoch ms. */
  timeMs: number[];
  /** The lab value (e.g. SSC, mg/L). */
  target: number[];
  /** Probe values at each sample's time, by column name, in the column's unit. */
  columns: Record<string, number[]>;
  /** Index of each kept sample in the input arrays. */
  sourceIndex: number[];
  /** For every input sample, why it was dropped, or null if kept. */
  dropped: (DropReason | null)[];
  /** The counts. */
  report: AlignReport;
}

/** Puts every probe column on one regular grid (resampled), then fills gaps no longer than the limit. */
export function prepareProbes(timeMs: Float64Array, columns: Record<string, Float64Array>, options: AlignOptions = {}): ProbeSeries {
  const stepMs = options.stepMs ?? 5 * 60 * 1000;
  const maxGapMs = options.maxGapMs ?? 30 * 60 * 1000;
  if (timeMs.length === 0) throw new UserError('the probe record is empty: nothing to align the samples with');
  // Snap the grid to whole steps, so a 1 h grid sits on the hour whatever the first reading.
  const startMs = Math.floor(timeMs[0]! / stepMs) * stepMs;
  const endMs = timeMs[timeMs.length - 1]!;
  const out: Record<string, Float64Array> = {};
  let grid: Float64Array | null = null;
  for (const [name, values] of Object.entries(columns)) {
    const r = fillGaps(resample({ timeMs, values }, { stepMs, startMs, endMs }), maxGapMs);
    grid ??= r.timeMs;
    out[name] = r.values;
  }
  return { timeMs: grid ?? new Float64Array(0), columns: out };
}

/** Matches each sample to the prepared probes, and counts who survives and why the others are dropped. */
export function matchSamples(probes: ProbeSeries, sampleTimesMs: readonly number[], target: ArrayLike<number>, options: AlignOptions = {}): AlignedSamples {
  const stepMs = options.stepMs ?? 5 * 60 * 1000;
  const method = options.method ?? 'linear';
  const toleranceMs = options.toleranceMs ?? (method === 'nearest' ? stepMs / 2 : stepMs);
  const names = Object.keys(probes.columns);
  const at: Record<string, Float64Array> = {};
  for (const name of names) at[name] = valuesAt({ timeMs: probes.timeMs, values: probes.columns[name]! }, sampleTimesMs, { method, toleranceMs });
  const first = probes.timeMs[0] ?? Number.POSITIVE_INFINITY;
  const last = probes.timeMs[probes.timeMs.length - 1] ?? Number.NEGATIVE_INFINITY;
  const report: AlignReport = {
    total: sampleTimesMs.length,
    kept: 0,
    missingTarget: 0,
    outsideRecord: 0,
    probeGap: 0,
    gapsPerColumn: Object.fromEntries(names.map((c) => [c, 0])),
  };
  const result: AlignedSamples = {
    timeMs: [],
    target: [],
    columns: Object.fromEntries(names.map((c) => [c, [] as number[]])),
    sourceIndex: [],
    dropped: [],
    report,
  };
  for (let s = 0; s < sampleTimesMs.length; s++) {
    const t = sampleTimesMs[s]!;
    let reason: DropReason | null = null;
    if (!Number.isFinite(target[s]!)) reason = 'missing_target';
    else if (t < first - toleranceMs || t > last + toleranceMs) reason = 'outside_record';
    else {
      for (const name of names) {
        if (Number.isNaN(at[name]![s]!)) {
          report.gapsPerColumn[name]!++;
          reason = 'probe_gap';
        }
      }
    }
    result.dropped.push(reason);
    if (reason === 'missing_target') report.missingTarget++;
    else if (reason === 'outside_record') report.outsideRecord++;
    else if (reason === 'probe_gap') report.probeGap++;
    else {
      report.kept++;
      result.timeMs.push(t);
      result.target.push(target[s]!);
      result.sourceIndex.push(s);
      for (const name of names) result.columns[name]!.push(at[name]![s]!);
    }
  }
  return result;
}

/** Epoch ms from an ISO 8601 timestamp cell; a timestamp without a zone is read as UTC, as observatory files mean it. */
export function parseTimestamp(cell: Cell, where: string): number {
  if (typeof cell !== 'string' || cell.trim() === '') throw new UserError(`${where}: missing timestamp`);
  let text = cell.trim();
  if (/^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?$/.test(text)) text = text.replace(' ', 'T') + 'Z';
  const ms = Date.parse(text);
  if (Number.isNaN(ms)) throw new UserError(`${where}: expected an ISO 8601 timestamp such as 2022-03-05T10:53:00Z, got "${cell}"`);
  return ms;
}

/** Reads the time column and numeric columns of a table (e.g. from the CSV reader), rows sorted by time. */
export function tableSeries(
  table: Table,
  timeColumn: string,
  valueColumns: readonly string[],
): { timeMs: Float64Array; columns: Record<string, Float64Array> } {
  const source = table.source ?? 'table';
  const index = (name: string) => {
    const i = table.columns.indexOf(name);
    if (i < 0) throw new UserError(`${source}: no column "${name}" (columns: ${table.columns.join(', ')})`);
    return i;
  };
  const ti = index(timeColumn);
  const vi = valueColumns.map(index);
  const times = table.rows.map((row, r) => parseTimestamp(row[ti]!, `${source}:${table.lines?.[r] ?? r + 2}`));
  const order = times.map((_, i) => i).sort((a, b) => times[a]! - times[b]!);
  const timeMs = Float64Array.from(order, (i) => times[i]!);
  const columns: Record<string, Float64Array> = {};
  valueColumns.forEach((name, c) => {
    columns[name] = cleanMissing(order.map((i) => table.rows[i]![vi[c]!]!));
  });
  return { timeMs, columns };
}
