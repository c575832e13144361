// The tour's line fit: numbers a student checks by hand, and the student's own data from their seed.
import { describe, expect, it } from 'vitest';
import { TRUE_SLOPE, attenuation, fitLine, runTour, tourData } from '../../src/experiments/tour.js';

const SEEDS = Array.from({ length: 40 }, (_, i) => 1000 + i);
const mean = (a: readonly number[]) => a.reduce((s, v) => s + v, 0) / a.length;

describe('tour experiment', () => {
  it('fits the least-squares line the board derivation gives (slope Sxy/Sxx = 10.2/5, intercept ȳ − slope·x̄)', () => {
    const fit = fitLine([1, 2, 3, 4], [2, 4.1, 5.9, 8.2]);
    expect(fit.slope).toBeCloseTo(2.04, 12);
    expect(fit.intercept).toBeCloseTo(-0.05, 12);
    expect(fit.rmse).toBeCloseTo(Math.sqrt((0.01 ** 2 + 0.07 ** 2 + 0.17 ** 2 + 0.09 ** 2) / 4), 12);
  });

  it('gives each seed its own readings, and more noise a larger RMSE, on every seed at the lesson sizes', () => {
    const a = runTour({ points: 50, noiseCm: 5, seed: 1 }).json;
    const b = runTour({ points: 50, noiseCm: 5, seed: 2 }).json;
    expect(a.slope).not.toBe(b.slope);
    for (const seed of SEEDS) {
      const rmse = [1, 5, 20].map((noiseCm) => Number(runTour({ points: 20, noiseCm, seed }).json.rmse_cm));
      expect(rmse[1], `seed ${seed}`).toBeGreaterThan(rmse[0]!);
      expect(rmse[2], `seed ${seed}`).toBeGreaterThan(rmse[1]!);
    }
  });

  it('puts the noise where the story does: in the reading (x), the stage (y) exact on the true line', () => {
    const clean = tourData({ points: 30, noiseCm: 0, seed: 3 });
    const noisy = tourData({ points: 30, noiseCm: 20, seed: 3 });
    // Same true readings, so the same stages; only the readings moved.
    expect(noisy.stage).toEqual(clean.stage);
    expect(noisy.reading).not.toEqual(clean.reading);
    const exact = fitLine(clean.reading, clean.stage);
    expect(Math.abs(exact.slope - TRUE_SLOPE)).toBeLessThan(0.002);
  });

  it('flattens the slope by var(x)/(var(x)+σ²), as the lesson says, over 40 seeds', () => {
    // True readings uniform over 20–200 cm: var(x) = 180²/12 = 2700 cm².
    for (const noiseCm of [5, 20]) {
      const lambda = 2700 / (2700 + noiseCm ** 2);
      const runs = SEEDS.map((seed) => runTour({ points: 200, noiseCm, seed }).json);
      const slopes = runs.map((r) => Number(r.slope));
      // Standard error of one slope at 200 points is about 0.006 (σ = 5) and 0.022 (σ = 20); of the mean, ~0.001 and ~0.004.
      expect(Math.abs(mean(slopes) - TRUE_SLOPE * lambda), `σ = ${noiseCm}`).toBeLessThan(noiseCm === 5 ? 0.004 : 0.015);
      // The estimate from the student's own readings agrees with the design value.
      expect(Math.abs(mean(runs.map((r) => Number(r.attenuation))) - lambda)).toBeLessThan(0.01);
      expect(Math.abs(mean(runs.map((r) => Number(r.slope) / Number(r.attenuation))) - TRUE_SLOPE)).toBeLessThan(0.015);
      for (const r of runs) expect(Number(r.expected_slope)).toBeCloseTo(TRUE_SLOPE * Number(r.attenuation), 3);
    }
    // At σ = 20 every seed's slope is below the true one (0.95 − 0.83 is more than five standard errors).
    for (const seed of SEEDS) expect(Number(runTour({ points: 200, noiseCm: 20, seed }).json.slope), `seed ${seed}`).toBeLessThan(TRUE_SLOPE);
  });

  it('estimates the attenuation as 1 − σ²/var(readings), never below zero', () => {
    expect(attenuation([0, 10], 0)).toBe(1);
    expect(attenuation([0, 10], 4)).toBeCloseTo(1 - 16 / 25, 12);
    expect(attenuation([0, 10], 50)).toBe(0);
  });
});
