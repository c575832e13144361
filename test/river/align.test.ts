// Alignment of sparse samples with probe series, on crafted series whose answers are known by hand.
import { describe, expect, it } from 'vitest';
import { cleanMissing, fillGaps, matchSamples, parseTimestamp, prepareProbes, resample, tableSeries, valuesAt } from '../../src/hydrology/align.js';
import { parseCsv } from '../../src/data/csv.js';

const MIN = 60_000;
const f64 = (xs: number[]) => Float64Array.from(xs);
const arr = (a: Float64Array) => Array.from(a);

describe('cleanMissing', () => {
  it('turns every observatory missing code into NaN and keeps real values, zero and negatives included', () => {
    const out = cleanMissing([1.5, null, '', 'NAN', -30000, '-30000.0', 1e10, '1e+10', Number.POSITIVE_INFINITY, 0, -2.5, '3.25', 'probe off']);
    expect(arr(out).map((v) => (Number.isNaN(v) ? 'x' : v))).toEqual([1.5, 'x', 'x', 'x', 'x', 'x', 'x', 'x', 'x', 0, -2.5, 3.25, 'x']);
  });
  it('accepts extra sentinels', () => {
    expect(Number.isNaN(cleanMissing([-9999], [-9999])[0]!)).toBe(true);
  });
});

describe('resample', () => {
  it('leaves a series already on the grid unchanged, and exposes absent rows as NaN', () => {
    const r = resample({ timeMs: f64([0, 5 * MIN, 15 * MIN]), values: f64([1, 2, 4]) }, { stepMs: 5 * MIN });
    expect(arr(r.timeMs)).toEqual([0, 5 * MIN, 10 * MIN, 15 * MIN]);
    expect(arr(r.values).map((v) => (Number.isNaN(v) ? null : v))).toEqual([1, 2, null, 4]);
  });
  it('averages the valid readings of each bin, the bin centred on its label', () => {
    // 5-min readings 0..55 min; hourly bins centred on 0 and 60 min: [−30, 30) and [30, 90).
    const t = f64(Array.from({ length: 12 }, (_, i) => i * 5 * MIN));
    const v = f64(Array.from({ length: 12 }, (_, i) => i));
    v[1] = Number.NaN; // a missing reading is ignored, not counted as zero
    const r = resample({ timeMs: t, values: v }, { stepMs: 60 * MIN, startMs: 0, endMs: 60 * MIN });
    expect(arr(r.timeMs)).toEqual([0, 60 * MIN]);
    expect(r.values[0]).toBeCloseTo((0 + 2 + 3 + 4 + 5) / 5, 12);
    expect(r.values[1]).toBeCloseTo((6 + 7 + 8 + 9 + 10 + 11) / 6, 12);
  });
});

describe('fillGaps', () => {
  const t = f64([0, 1, 2, 3, 4, 5, 6, 7, 8, 9].map((i) => i * 5 * MIN));
  const N = Number.NaN;
  it('fills a gap no longer than the limit linearly, and leaves a longer one entirely empty', () => {
    const v = f64([0, N, 20, 30, N, N, N, N, 80, N]);
    const out = fillGaps({ timeMs: t, values: v }, 15 * MIN);
    // 0 → 20 across 10 min: filled with 10. 30 → 80 across 25 min > 15: left missing, not partly filled. Trailing NaN stays.
    expect(arr(out.values).map((x) => (Number.isNaN(x) ? null : x))).toEqual([0, 10, 20, 30, null, null, null, null, 80, null]);
    const wider = fillGaps({ timeMs: t, values: v }, 25 * MIN);
    expect(arr(wider.values).slice(4, 8)).toEqual([40, 50, 60, 70]);
  });
  it('does not change its input', () => {
    const v = f64([0, N, 2]);
    fillGaps({ timeMs: t.slice(0, 3), values: v }, 60 * MIN);
    expect(Number.isNaN(v[1]!)).toBe(true);
  });
});

describe('valuesAt', () => {
  const series = { timeMs: f64([0, 5, 10, 15, 20].map((m) => m * MIN)), values: f64([10, 20, Number.NaN, 40, 50]) };
  it('nearest: the closest valid reading within the tolerance, skipping missing ones', () => {
    const out = valuesAt(series, [1 * MIN, 4 * MIN, 11 * MIN, 30 * MIN], { method: 'nearest', toleranceMs: 5 * MIN });
    // 1 min → 0 min (10); 4 min → 5 min (20); 11 min: 10 min is NaN, 15 min is 4 min away (40); 30 min: 10 min from 20.
    expect(arr(out).map((v) => (Number.isNaN(v) ? null : v))).toEqual([10, 20, 40, null]);
  });
  it('linear: interpolated between the valid neighbours, only if both are within the tolerance', () => {
    const out = valuesAt(series, [2 * MIN, 5 * MIN, 12 * MIN, 16 * MIN, -1 * MIN], { method: 'linear', toleranceMs: 5 * MIN });
    // 2 min: 10 + 2/5·10 = 14; exactly on a reading: 20; 12 min: neighbours 5 min (7 min away) → dropped; 16: 40 + 1/5·10 = 42; before start: dropped.
    expect(out[0]).toBeCloseTo(14, 12);
    expect(out[1]).toBe(20);
    expect(Number.isNaN(out[2]!)).toBe(true);
    expect(out[3]).toBeCloseTo(42, 12);
    expect(Number.isNaN(out[4]!)).toBe(true);
    const wide = valuesAt(series, [12 * MIN], { method: 'linear', toleranceMs: 10 * MIN });
    expect(wide[0]).toBeCloseTo(20 + (7 / 10) * 20, 12);
  });
});

describe('prepareProbes and matchSamples', () => {
  // One hour of 5-min readings with a 20-min outage of turbidity (10:20–10:35 missing) and a missing row at 10:50.
  const t0 = Date.UTC(2022, 5, 1, 10, 0);
  const minutes = [0, 5, 10, 15, 20, 25, 30, 35, 40, 45, 55, 60];
  const timeMs = f64(minutes.map((m) => t0 + m * MIN));
  const level = f64(minutes.map((m) => 1 + m / 100));
  const turbidity = f64(minutes.map((m) => (m >= 20 && m <= 35 ? Number.NaN : 10 * m)));
  const probes = prepareProbes(timeMs, { level_m: level, turbidity_ntu: turbidity }, { stepMs: 5 * MIN, maxGapMs: 10 * MIN });

  it('puts the absent row back on the grid and fills only the short gap', () => {
    expect(probes.timeMs.length).toBe(13);
    expect(probes.columns.level_m![10]).toBeCloseTo(1.5, 12); // 10:50 filled from 10:45 and 10:55
    expect(probes.columns.turbidity_ntu![10]).toBeCloseTo(500, 12);
    expect(Number.isNaN(probes.columns.turbidity_ntu![5]!)).toBe(true); // 15 → 40 min is 25 min > 10 min
  });

  it('keeps samples with every probe value, and says why each other one was dropped', () => {
    const sampleTimes = [t0 + 7 * MIN, t0 + 27 * MIN, t0 + 52 * MIN, t0 - 60 * MIN, t0 + 13 * MIN];
    const ssc = [5, 6, 7, 8, Number.NaN];
    const m = matchSamples(probes, sampleTimes, ssc, { stepMs: 5 * MIN, method: 'linear' });
    expect(m.dropped).toEqual([null, 'probe_gap', null, 'outside_record', 'missing_target']);
    expect(m.report).toEqual({ total: 5, kept: 2, missingTarget: 1, outsideRecord: 1, probeGap: 1, gapsPerColumn: { level_m: 0, turbidity_ntu: 1 } });
    expect(m.target).toEqual([5, 7]);
    expect(m.sourceIndex).toEqual([0, 2]);
    expect(m.columns.turbidity_ntu![0]).toBeCloseTo(70, 12);
    expect(m.columns.level_m![1]).toBeCloseTo(1.52, 12);
  });
});

describe('reading a probe table', () => {
  it('parses ISO timestamps (with or without a zone), sorts by time and cleans the codes the CSV reader let through', () => {
    const { table } = parseCsv('timestamp,level_m\n2022-01-01T00:10:00Z,0.5\n2022-01-01 00:05,-30000.0\n2022-01-01T00:00:00Z,0.4\n', {
      missingValues: [''],
      source: 'probes.csv',
    });
    const s = tableSeries(table, 'timestamp', ['level_m']);
    expect(arr(s.timeMs)).toEqual([0, 5, 10].map((m) => Date.UTC(2022, 0, 1, 0, m)));
    expect(arr(s.columns.level_m!).map((v) => (Number.isNaN(v) ? null : v))).toEqual([0.4, null, 0.5]);
  });
  it('names the file and line of a bad timestamp and of a missing column', () => {
    const { table } = parseCsv('timestamp,level_m\nyesterday,1\n', { source: 'probes.csv' });
    expect(() => tableSeries(table, 'timestamp', ['level_m'])).toThrow(/probes\.csv:2: expected an ISO 8601 timestamp/);
    expect(() => tableSeries(table, 'timestamp', ['turbidity_ntu'])).toThrow(/no column "turbidity_ntu"/);
    expect(() => parseTimestamp(null, 'x')).toThrow(/missing timestamp/);
  });
});
