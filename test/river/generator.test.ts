// The river generator: reproducible, physically plausible ranges, the traps it promises, and a power law a student can recover.
import { describe, expect, it } from 'vitest';
import { PROBE_STEP_MS, generateRiver, riverProbesCsv, riverSamplesCsv, saturate } from '../../src/hydrology/river-data.js';
import { parseCsv } from '../../src/data/csv.js';
import { LOGGER_MISSING_CODES } from '../../src/data/missing.js';
import { matchSamples, prepareProbes, tableSeries } from '../../src/hydrology/align.js';

const data = generateRiver({ seed: 11 });

function finite(a: ArrayLike<number>): number[] {
  return Array.from(a).filter((v) => Number.isFinite(v));
}
// min(xs) overflows the stack on 200k values.
const min = (xs: number[]) => xs.reduce((a, b) => Math.min(a, b), Number.POSITIVE_INFINITY);
const max = (xs: number[]) => xs.reduce((a, b) => Math.max(a, b), Number.NEGATIVE_INFINITY);

describe('generateRiver', () => {
  it('gives the same data for the same seed and different data for another', () => {
    const again = generateRiver({ seed: 11, years: 0.2 });
    const first = generateRiver({ seed: 11, years: 0.2 });
    const other = generateRiver({ seed: 12, years: 0.2 });
    expect(riverProbesCsv(again)).toBe(riverProbesCsv(first));
    expect(riverSamplesCsv(again)).toBe(riverSamplesCsv(first));
    expect(riverProbesCsv(other)).not.toBe(riverProbesCsv(first));
  });

  it('covers two years of 5-minute steps, with some rows absent where the logger was down', () => {
    const n = 2 * 365 * 288;
    expect(data.truth.timeMs.length).toBe(n);
    const rows = data.probes.timeMs.length;
    expect(rows).toBeLessThan(n);
    expect(rows).toBeGreaterThan(0.9 * n);
    for (let i = 1; i < rows; i++) {
      const dt = data.probes.timeMs[i]! - data.probes.timeMs[i - 1]!;
      if (dt % PROBE_STEP_MS !== 0 || dt <= 0) throw new Error(`row ${i}: step ${dt} ms`);
    }
  });

  it('has a few hundred lab samples, SSC heavy-tailed from about 1 to the thousands of mg/L, floods over-sampled', () => {
    const s = data.samples;
    expect(s.timeMs.length).toBeGreaterThan(150);
    expect(s.timeMs.length).toBeLessThan(700);
    const ssc = finite(s.sscMgL).sort((a, b) => a - b);
    expect(ssc[0]!).toBeGreaterThanOrEqual(0.5);
    expect(ssc[0]!).toBeLessThan(10);
    expect(ssc[ssc.length - 1]!).toBeGreaterThan(500);
    // Heavy tail: the mean is well above the median.
    const mean = ssc.reduce((a, b) => a + b, 0) / ssc.length;
    expect(mean).toBeGreaterThan(1.5 * ssc[Math.floor(ssc.length / 2)]!);
    const flood = s.campaign.filter((c) => c === 'flood').length;
    expect(flood).toBeGreaterThan(s.campaign.length / 2);
    expect(s.campaign).toContain('routine');
    for (let i = 1; i < s.timeMs.length; i++) expect(s.timeMs[i]!).toBeGreaterThanOrEqual(s.timeMs[i - 1]!);
  });

  it('keeps probe values in physical ranges, turbidity capped near the saturation level apart from spikes', () => {
    const level = finite(data.probes.levelM);
    expect(min(level)).toBeGreaterThan(0);
    expect(max(level)).toBeLessThan(10);
    const temp = finite(data.probes.temperatureC);
    expect(min(temp)).toBeGreaterThan(0);
    expect(max(temp)).toBeLessThan(35);
    const turb = finite(data.probes.turbidityNtu);
    expect(min(turb)).toBeGreaterThanOrEqual(0);
    const tsat = data.params.turbiditySaturationNtu;
    expect(tsat).toBeGreaterThanOrEqual(1000);
    expect(tsat).toBeLessThanOrEqual(4000);
    // At most a handful of readings (debris spikes) above 1.2 × the saturation level.
    expect(turb.filter((t) => t > 1.2 * tsat).length).toBeLessThan(0.002 * turb.length);
    expect(saturate(10, tsat)).toBeCloseTo(10, 3);
    expect(saturate(100 * tsat, tsat)).toBeLessThan(tsat);
  });

  it('includes fouled-probe episodes, and every missing-value code in the exported file', () => {
    const fouled = data.truth.fouled.reduce((a, b) => a + b, 0);
    expect(fouled).toBeGreaterThan(0);
    const csv = riverProbesCsv(data);
    // Every code appears somewhere (the seed is fixed, so this is not luck that could change run to run).
    for (const code of LOGGER_MISSING_CODES.slice(1)) expect(csv).toContain(`,${code}`);
    expect(csv).toMatch(/,,|,\n/); // empty cells
    expect(csv.split('\n', 2)[1]).toMatch(/^2022-01-01T00:00:00Z,\d+\.\d{3},\d+\.\d,\d+\.\d{2}$/);
  });

  it('round-trips the probe file through the CSV reader: the codes read as missing, the values as written', () => {
    const short = generateRiver({ seed: 5, years: 0.2 });
    const { table } = parseCsv(riverProbesCsv(short), { source: 'probes.csv' });
    const series = tableSeries(table, 'timestamp', ['level_m', 'turbidity_ntu', 'temperature_c']);
    expect(Array.from(series.timeMs)).toEqual(Array.from(short.probes.timeMs));
    const same = (a: Float64Array, b: Float64Array) => Array.from(a).every((v, i) => (Number.isNaN(v) ? Number.isNaN(b[i]!) : v === b[i]));
    expect(same(series.columns.level_m!, short.probes.levelM)).toBe(true);
    expect(same(series.columns.turbidity_ntu!, short.probes.turbidityNtu)).toBe(true);
    expect(same(series.columns.temperature_c!, short.probes.temperatureC)).toBe(true);
    expect(Array.from(short.probes.turbidityNtu).some(Number.isNaN)).toBe(true);
  });

  it('round-trips the lab file through the CSV reader: every code read as missing, every value as written', () => {
    const { table, report } = parseCsv(riverSamplesCsv(data), { source: 'samples.csv' });
    expect(table.columns).toEqual(['timestamp', 'sample_id', 'campaign', 'ssc_mg_l']);
    expect(table.rows.length).toBe(data.samples.timeMs.length);
    const lost = data.samples.sscMgL.filter((v) => Number.isNaN(v)).length;
    expect(report.missingPerColumn.ssc_mg_l).toBe(lost);
    const col = table.columns.indexOf('ssc_mg_l');
    table.rows.forEach((row, i) => {
      const v = data.samples.sscMgL[i]!;
      expect(row[col]).toBe(Number.isNaN(v) ? null : v);
    });
  });

  it('rejects an impossible length', () => {
    expect(() => generateRiver({ seed: 1, years: 0 })).toThrow(/years/);
  });
});

describe('the power law is there to be found', () => {
  it.each([1, 2, 3])('seed %i: log–log slope of SSC against the probe turbidity on clean samples is near the exponent γ', (seed) => {
    const d = generateRiver({ seed });
    const p = d.probes;
    const probes = prepareProbes(p.timeMs, { level_m: p.levelM, turbidity_ntu: p.turbidityNtu, temperature_c: p.temperatureC });
    const aligned = matchSamples(probes, d.samples.timeMs, d.samples.sscMgL);
    expect(aligned.report.kept).toBeGreaterThan(0.6 * aligned.report.total);
    // Clean: not during a fouling episode, well below saturation, and corrected for the probe's known
    // sensitivity loss (as an analyst would with the maintenance log and a reference standard).
    const t0 = d.truth.timeMs[0]!;
    const n = d.truth.timeMs.length;
    const xs: number[] = [];
    const ys: number[] = [];
    aligned.timeMs.forEach((t, k) => {
      const i = Math.round((t - t0) / PROBE_STEP_MS);
      const turb = aligned.columns.turbidity_ntu![k]! / (1 - (d.params.sensitivityLoss * i) / n);
      if (d.truth.fouled[i] || turb < 2 || turb > 0.5 * d.params.turbiditySaturationNtu) return;
      xs.push(Math.log10(turb));
      ys.push(Math.log10(aligned.target[k]!));
    });
    expect(xs.length).toBeGreaterThan(100);
    const mx = xs.reduce((a, b) => a + b, 0) / xs.length;
    const my = ys.reduce((a, b) => a + b, 0) / ys.length;
    let sxy = 0;
    let sxx = 0;
    xs.forEach((x, i) => {
      sxy += (x - mx) * (ys[i]! - my);
      sxx += (x - mx) ** 2;
    });
    expect(Math.abs(sxy / sxx - d.params.calibrationExponent)).toBeLessThan(0.12);
  });
});
