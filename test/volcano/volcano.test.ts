// The volcano generator: reproducibility, class shares, and features landing where each source model puts them.
import { describe, expect, it } from 'vitest';
import {
  generateVolcano,
  VOLCANO_CLASSES,
  VOLCANO_SAMPLES,
  VOLCANO_STATIONS,
  volcanoFeatures,
  volcanoFeatureTable,
  volcanoTable,
  type VolcanoClass,
  type VolcanoFeatureTable,
} from '../../src/seismology/volcano-data.js';
import { FEATURE_NAMES } from '../../src/seismology/features.js';
import { createRng } from '../../src/util/rng.js';
import { gaussianNoise } from '../../src/seismology/noise.js';
import { kurtosis, mean, median, skewness } from '../../src/util/stats.js';

const events = generateVolcano({ seed: 42, nEvents: 300 });
const flank = volcanoFeatures(events, 'FLK');
const glacier = volcanoFeatures(events, 'GLA');

/** Median of one feature over the events of one class. */
function classMedian(table: VolcanoFeatureTable, label: VolcanoClass, column: string): number {
  const j = table.columns.indexOf(column);
  expect(j).toBeGreaterThanOrEqual(0);
  return median(table.rows.filter((_, i) => table.labels[i] === label).map((r) => r[j]!));
}

describe('generateVolcano', () => {
  it('gives every event four 80 s traces at 100 Hz, finite', () => {
    expect(events.length).toBe(300);
    for (const e of events) {
      expect(e.fs).toBe(100);
      expect(e.stations.length).toBe(VOLCANO_STATIONS.length);
      for (const tr of e.stations) {
        expect(tr).toBeInstanceOf(Float32Array);
        expect(tr.length).toBe(VOLCANO_SAMPLES);
      }
      expect(e.stations.every((tr) => tr.every(Number.isFinite))).toBe(true);
    }
    expect(events.map((e) => e.id)).toEqual(events.map((_, i) => i));
  });

  it('keeps the documented imbalance exactly and shuffles the classes', () => {
    const counts = Object.fromEntries(VOLCANO_CLASSES.map((c) => [c, events.filter((e) => e.label === c).length]));
    expect(counts).toEqual({ VT: 105, LP: 75, TR: 30, AV: 30, IC: 24, NOISE: 36 });
    expect(events.slice(0, 20).map((e) => e.label)).not.toEqual(new Array(20).fill(events[0]!.label));
    const small = generateVolcano({ seed: 1, nEvents: 6 });
    expect(new Set(small.map((e) => e.label)).size).toBe(6);
    for (const n of [1, 5, 11, 37]) expect(generateVolcano({ seed: n, nEvents: n }).length).toBe(n);
    const noNoise = generateVolcano({ seed: 2, nEvents: 20, shares: { NOISE: 0 } });
    expect(noNoise.some((e) => e.label === 'NOISE')).toBe(false);
  });

  it('same seed, same data; another seed, other data', () => {
    const again = generateVolcano({ seed: 42, nEvents: 12 });
    const first12 = generateVolcano({ seed: 42, nEvents: 12 });
    expect(again.map((e) => e.label)).toEqual(first12.map((e) => e.label));
    again.forEach((e, i) => e.stations.forEach((tr, k) => expect(tr).toEqual(first12[i]!.stations[k])));
    const other = generateVolcano({ seed: 43, nEvents: 12 });
    expect(other[0]!.stations[0]).not.toEqual(again[0]!.stations[0]);
  });

  it('refuses impossible options in one line', () => {
    expect(() => generateVolcano({ seed: 1, nEvents: 0 })).toThrow('volcano: nEvents must be an integer from 1 to 100000, got 0');
    expect(() => generateVolcano({ seed: 1, shares: { VT: -1 } })).toThrow(/shares must be non-negative/);
    expect(() => volcanoFeatures(events, 'XYZ')).toThrow("volcano: unknown station 'XYZ' (expected one of SUM, FLK, BAS, GLA)");
  });

  it('records the truth: noise-free SNR falls with distance, icequakes are loud only near the glacier', () => {
    const ic = events.filter((e) => e.label === 'IC');
    const snrAt = (k: number): number => median(ic.map((e) => e.meta.true_snr_db[k]!));
    expect(snrAt(3)).toBeGreaterThan(snrAt(1) + 15); // GLA vs FLK
    expect(snrAt(3)).toBeGreaterThan(snrAt(2) + 15); // GLA vs BAS
    for (const e of events.filter((x) => x.label !== 'NOISE' && x.label !== 'TR')) {
      expect(e.origin_s).toBeGreaterThanOrEqual(5);
      expect(e.origin_s).toBeLessThanOrEqual(30);
    }
  });
});

describe('features land where the source models put them', () => {
  it('dominant frequency: IC > VT > LP, and LP and TR share the 0.5–5 Hz band', () => {
    const dom = (t: VolcanoFeatureTable, c: VolcanoClass): number => classMedian(t, c, 'dominant_frequency_hz');
    expect(dom(glacier, 'IC')).toBeGreaterThan(15);
    expect(dom(flank, 'IC')).toBeGreaterThan(dom(flank, 'VT'));
    expect(dom(flank, 'VT')).toBeGreaterThan(4);
    expect(dom(flank, 'VT')).toBeLessThan(15);
    expect(dom(flank, 'VT')).toBeGreaterThan(dom(flank, 'LP'));
    for (const c of ['LP', 'TR'] as const) {
      expect(dom(flank, c)).toBeGreaterThan(0.5);
      expect(dom(flank, c)).toBeLessThan(5);
    }
    expect(classMedian(flank, 'AV', 'spectral_spread_hz')).toBeGreaterThan(classMedian(flank, 'LP', 'spectral_spread_hz') * 0.9);
    expect(classMedian(flank, 'TR', 'spectral_entropy')).toBeLessThan(classMedian(flank, 'NOISE', 'spectral_entropy') - 0.3);
  });

  it('durations: TR > AV > LP > VT, icequakes under 1.5 s at the glacier', () => {
    const dur = (c: VolcanoClass): number => classMedian(flank, c, 'duration_s');
    expect(dur('TR')).toBeGreaterThan(dur('AV'));
    expect(dur('AV')).toBeGreaterThan(dur('LP'));
    expect(dur('LP')).toBeGreaterThan(dur('VT'));
    expect(classMedian(glacier, 'IC', 'duration_s')).toBeLessThan(1.5);
    // Emergent avalanches take seconds to peak; impulsive icequakes a fraction of one.
    expect(classMedian(flank, 'AV', 'rise_time_s')).toBeGreaterThan(3);
    expect(classMedian(glacier, 'IC', 'rise_time_s')).toBeLessThan(0.5);
  });

  it('impulsiveness and SNR: VT kurtosis ≫ tremor and noise; noise has a low SNR', () => {
    expect(classMedian(flank, 'VT', 'kurtosis')).toBeGreaterThan(10);
    expect(Math.abs(classMedian(flank, 'NOISE', 'kurtosis'))).toBeLessThan(0.5);
    expect(classMedian(flank, 'TR', 'kurtosis')).toBeLessThan(2);
    expect(classMedian(flank, 'NOISE', 'snr_db')).toBeLessThan(6);
    expect(classMedian(flank, 'VT', 'snr_db')).toBeGreaterThan(15);
  });

  it('classes overlap: some VTs are buried in noise, some LPs last as long as tremor', () => {
    const j = flank.columns.indexOf('snr_db');
    const weakVT = flank.rows.filter((r, i) => flank.labels[i] === 'VT' && r[j]! < 10).length;
    expect(weakVT).toBeGreaterThan(3);
    const d = flank.columns.indexOf('duration_s');
    const longLP = flank.rows.filter((r, i) => flank.labels[i] === 'LP' && r[d]! > 30).length;
    expect(longLP).toBeGreaterThan(0);
  });

  it('volcanoFeatureTable: named columns, one row per event, at the chosen station', () => {
    const t = volcanoFeatureTable({ seed: 5, nEvents: 12, station: 'gla' });
    expect(t.columns).toEqual(FEATURE_NAMES);
    expect(t.station).toBe('GLA');
    expect(t.rows.length).toBe(12);
    expect(t.labels.length).toBe(12);
    expect(t.rows.every((r) => r.length === FEATURE_NAMES.length && r.every(Number.isFinite))).toBe(true);
    expect(volcanoFeatureTable({ seed: 5, nEvents: 12 }).station).toBe('FLK');
  });
});

describe('gaussianNoise (ziggurat)', () => {
  it('has the moments of a standard normal', () => {
    const x = gaussianNoise(createRng(3), 200_000);
    expect(Math.abs(mean(x))).toBeLessThan(0.01);
    expect(Math.abs(mean(x.map((v) => v * v)) - 1)).toBeLessThan(0.015);
    expect(Math.abs(skewness(x))).toBeLessThan(0.03);
    expect(Math.abs(kurtosis(x))).toBeLessThan(0.06);
    expect(x.filter((v) => Math.abs(v) > 3.442619855899).length / x.length).toBeCloseTo(5.76e-4, 3); // the tail beyond R
  });
});

describe('volcanoTable', () => {
  it('is the feature table with the label as the last column', () => {
    const t = volcanoTable({ seed: 9, nEvents: 8, station: 'BAS' });
    expect(t.columns).toEqual([...FEATURE_NAMES, 'label']);
    expect(t.rows.length).toBe(8);
    expect(t.rows.every((r) => VOLCANO_CLASSES.includes(r[r.length - 1] as VolcanoClass))).toBe(true);
    expect(t.source).toBe('volcano (seed 9, station BAS)');
  });
});
