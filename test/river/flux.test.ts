// Sediment flux on series with known answers, and the season prediction's smearing and bootstrap.
import { describe, expect, it } from 'vitest';
import { predictSeason, sedimentFlux, type FitPredict } from '../../src/hydrology/flux.js';
import { quantile } from '../../src/util/stats.js';
import { dischargeFromLevel, levelFromDischarge } from '../../src/hydrology/river-data.js';
import { createRng } from '../../src/util/rng.js';

describe('sedimentFlux', () => {
  it('a constant 100 mg/L at 2 m³/s for one day of 5-min steps carries 17.28 t', () => {
    const n = 288;
    const f = sedimentFlux(new Float64Array(n).fill(100), new Float64Array(n).fill(2), 300);
    // 100 g/m³ × 2 m³/s × 86 400 s = 17 280 000 g.
    expect(f.tonnes).toBeCloseTo(17.28, 10);
    expect(f.coverage).toBe(1);
  });
  it('skips missing steps and reports the coverage', () => {
    const c = Float64Array.from([100, Number.NaN, 100, 100]);
    const q = Float64Array.from([1, 1, Number.NaN, 1]);
    const f = sedimentFlux(c, q, 1000);
    expect(f.tonnes).toBeCloseTo(0.2, 12);
    expect(f.coveredSteps).toBe(2);
    expect(f.coverage).toBe(0.5);
  });
});

describe('rating curve', () => {
  const rating = { ratingA: 20, ratingB: 1.6, ratingH0: 0.1 };
  it('Q = a(h − h0)^b, zero below h0, and the inverse round-trips', () => {
    expect(dischargeFromLevel(1.1, rating)).toBeCloseTo(20, 12);
    expect(dischargeFromLevel(0.05, rating)).toBe(0);
    for (const q of [0.3, 1, 17, 250]) expect(dischargeFromLevel(levelFromDischarge(q, rating), rating)).toBeCloseTo(q, 9);
  });
});

/** Least squares of y on one feature, enough to test the season machinery without src/ml. */
const line: FitPredict = (X, y) => {
  const n = X.length;
  const mx = X.reduce((s, r) => s + r[0]!, 0) / n;
  const my = y.reduce((s, v) => s + v, 0) / n;
  let sxy = 0;
  let sxx = 0;
  X.forEach((r, i) => {
    sxy += (r[0]! - mx) * (y[i]! - my);
    sxx += (r[0]! - mx) ** 2;
  });
  const b = sxx ? sxy / sxx : 0;
  return (Z) => Z.map((r) => my + b * (r[0]! - mx));
};

describe('predictSeason', () => {
  const day = 86_400_000;
  it('recovers a noiseless power law exactly, with a smearing factor of 1 and a flux interval of zero width', () => {
    // C = 2·T^1.1 exactly; season: constant T = 100 NTU, Q = 3 m³/s, for 2 days at 1-h steps.
    const T = [1, 3, 10, 30, 100, 300, 1000];
    const calibrationX = T.map((t) => [Math.log10(t)]);
    const ssc = T.map((t) => 2 * t ** 1.1);
    const m = 48;
    const seasonTimeMs = Float64Array.from({ length: m }, (_, i) => i * 3_600_000);
    const result = predictSeason({
      calibrationX,
      calibrationSscMgL: ssc,
      calibrationTimeMs: T.map((_, i) => i * day),
      seasonTimeMs,
      seasonX: Array.from({ length: m }, () => [2]),
      seasonDischargeM3s: new Float64Array(m).fill(3),
      stepS: 3600,
      logTarget: true,
      fit: line,
      replicates: 20,
      seed: 1,
    });
    const c = 2 * 100 ** 1.1;
    expect(result.smearing).toBeCloseTo(1, 10);
    expect(result.sscMgL[0]).toBeCloseTo(c, 6);
    expect(result.flux.tonnes).toBeCloseTo((c * 3 * 3600 * m) / 1e6, 6);
    expect(result.fluxLowT).toBeCloseTo(result.flux.tonnes, 6);
    expect(result.fluxHighT).toBeCloseTo(result.flux.tonnes, 6);
  });

  it('with log-normal scatter the smearing factor undoes the back-transform bias, and the interval brackets the truth', () => {
    const rng = createRng(7);
    const sigma = 0.2; // log10 units
    const calibrationX: number[][] = [];
    const ssc: number[] = [];
    const times: number[] = [];
    for (let i = 0; i < 400; i++) {
      const lt = 3 * rng.next();
      calibrationX.push([lt]);
      ssc.push(10 ** (0.3 + lt + sigma * rng.normal()));
      times.push(i * day);
    }
    const m = 24 * 60;
    const result = predictSeason({
      calibrationX,
      calibrationSscMgL: ssc,
      calibrationTimeMs: times,
      seasonTimeMs: Float64Array.from({ length: m }, (_, i) => i * 3_600_000),
      seasonX: Array.from({ length: m }, () => [2]),
      seasonDischargeM3s: new Float64Array(m).fill(1),
      stepS: 3600,
      logTarget: true,
      fit: line,
      replicates: 100,
      seed: 3,
    });
    // E[10^(σZ)] = exp((σ ln 10)² / 2) ≈ 1.112 for σ = 0.2.
    const expected = Math.exp((sigma * Math.LN10) ** 2 / 2);
    expect(result.smearing).toBeGreaterThan(expected - 0.04);
    expect(result.smearing).toBeLessThan(expected + 0.04);
    expect(result.residualSd).toBeCloseTo(sigma, 1);
    const trueMeanC = 10 ** 2.3 * expected;
    expect(result.sscMgL[0]! / trueMeanC).toBeGreaterThan(0.93);
    expect(result.sscMgL[0]! / trueMeanC).toBeLessThan(1.07);
    expect(result.fluxLowT).toBeLessThan(result.flux.tonnes);
    expect(result.fluxHighT).toBeGreaterThan(result.flux.tonnes);
    // The 90 % band of one step holds the median prediction.
    expect(result.lowMgL[0]!).toBeLessThan(10 ** 2.3);
    expect(result.highMgL[0]!).toBeGreaterThan(10 ** 2.3);
  });

  it('leaves steps without features out of the flux, and says so in the coverage', () => {
    const result = predictSeason({
      calibrationX: [[0], [1], [2]],
      calibrationSscMgL: [1, 2, 3],
      calibrationTimeMs: [0, 1, 2],
      seasonTimeMs: Float64Array.from([0, 1, 2, 3]),
      seasonX: [[1], null, [1], [1]],
      seasonDischargeM3s: Float64Array.from([1, 1, 1, Number.NaN]),
      stepS: 1e6,
      logTarget: false,
      fit: line,
      replicates: 0,
      seed: 1,
    });
    expect(result.flux.coverage).toBe(0.5);
    expect(result.flux.tonnes).toBeCloseTo(4, 10); // 2 mg/L × 1 m³/s × 10⁶ s × 2 steps = 4·10⁶ g
    expect(Number.isNaN(result.sscMgL[1]!)).toBe(true);
    expect(Number.isNaN(result.fluxLowT)).toBe(true);
  });
});

describe('quantile', () => {
  it('interpolates between order statistics like numpy', () => {
    expect(quantile([4, 1, 3, 2], 0.5)).toBe(2.5);
    expect(quantile([1, 2, 3, 4, 5], 0.05)).toBeCloseTo(1.2, 12);
  });
});
