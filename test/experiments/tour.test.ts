// The tour's line fit: numbers a student checks by hand, and the student's own data from their seed.
import { describe, expect, it } from 'vitest';
import { fitLine, runTour } from '../../src/experiments/tour.js';

describe('tour experiment', () => {
  it('fits the least-squares line the board derivation gives (slope Sxy/Sxx = 10.2/5, intercept ȳ − slope·x̄)', () => {
    const fit = fitLine([1, 2, 3, 4], [2, 4.1, 5.9, 8.2]);
    expect(fit.slope).toBeCloseTo(2.04, 12);
    expect(fit.intercept).toBeCloseTo(-0.05, 12);
    expect(fit.rmse).toBeCloseTo(Math.sqrt((0.01 ** 2 + 0.07 ** 2 + 0.17 ** 2 + 0.09 ** 2) / 4), 12);
  });
  it('gives each seed its own readings, and more noise a larger RMSE', () => {
    const a = runTour({ points: 50, noiseCm: 5, seed: 1 }).json;
    const b = runTour({ points: 50, noiseCm: 5, seed: 2 }).json;
    expect(a.slope).not.toBe(b.slope);
    const noisy = runTour({ points: 50, noiseCm: 20, seed: 1 }).json;
    expect(Number(noisy.rmse_cm)).toBeGreaterThan(Number(a.rmse_cm));
    expect(Math.abs(Number(a.slope) - 0.95)).toBeLessThan(0.05);
  });
});
