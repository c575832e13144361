// The one statistics module: NumPy/SciPy's numbers, and its NaN policy (missing values left out, undefined
// statistics NaN). Reference values from NumPy 2 (np.quantile(..., method=...), np.std, np.corrcoef, np.nanmean).
import { describe, expect, it } from 'vitest';
import { kurtosis, mean, median, pearson, quantile, round, roundTo, skewness, std, summarize, variance, type QuantileMethod } from '../../src/util/stats.js';

const METHODS: QuantileMethod[] = ['linear', 'lower', 'higher', 'nearest', 'midpoint'];

describe('quantile', () => {
  it("matches NumPy's methods, ties of 'nearest' to the even index included", () => {
    const cases: Array<[number[], number, number[]]> = [
      [[4, 1, 3, 2], 0.4, [2.2, 2, 3, 2, 2.5]],
      [[4, 1, 3, 2], 0.5, [2.5, 2, 3, 3, 2.5]],
      [[4, 1, 3, 2], 1 / 6, [1.5, 1, 2, 1, 1.5]],
      [[5, 1, 4, 2, 3], 0.125, [1.5, 1, 2, 1, 1.5]],
      [[5, 1, 4, 2, 3], 0.375, [2.5, 2, 3, 3, 2.5]],
      [[5, 1, 4, 2, 3], 0.625, [3.5, 3, 4, 3, 3.5]],
    ];
    for (const [x, q, want] of cases) {
      METHODS.forEach((m, i) => expect(quantile(x, q, m), `${m} q=${q} of ${x}`).toBeCloseTo(want[i]!, 12));
    }
  });
  it('leaves missing values out, and is NaN when none is left', () => {
    expect(quantile([NaN, 4, Infinity, 1, 3, -Infinity, 2], 0.5)).toBe(2.5);
    expect(median([NaN, NaN])).toBeNaN();
    expect(quantile([], 0.5)).toBeNaN();
    // The benchmark's upper median of an even count.
    expect(median([3, 1, 2, 4], 'higher')).toBe(3);
  });
});

describe('moments', () => {
  it('mean, variance and std as NumPy (ddof 0 by default, 1 for the sample std), missing values left out', () => {
    expect(std([1, 2, 3, 4])).toBeCloseTo(1.118033988749895, 14);
    expect(std([1, 2, 3, 4], 1)).toBeCloseTo(1.2909944487358056, 14);
    expect(mean([1, NaN, 3])).toBe(2);
    expect(variance([5])).toBe(0);
    expect(std([5], 1)).toBeNaN();
    expect(mean([])).toBeNaN();
  });
  it('skewness and kurtosis of a constant sample are undefined (NaN, as SciPy)', () => {
    expect(skewness([2, 2, 2])).toBeNaN();
    expect(kurtosis([2, 2, 2])).toBeNaN();
  });
});

describe('pearson', () => {
  it('is ±1 on a line, pairs with a missing side left out', () => {
    expect(pearson([1, 2, 3, 4], [2, 4, 6, 8])).toBeCloseTo(1, 14);
    expect(pearson([1, 2, NaN, 4, 5], [5, 4, 100, Infinity, 1])).toBeCloseTo(-1, 14);
  });
  it('is NaN where undefined: a constant side, fewer than two pairs (np.corrcoef says nan too)', () => {
    expect(pearson([1, 2, 3], [5, 5, 5])).toBeNaN();
    expect(pearson([7, 7], [7, 7])).toBeNaN();
    expect(pearson([1], [2])).toBeNaN();
  });
});

describe('summarize', () => {
  it("gives pandas' describe of the finite values", () => {
    const s = summarize([1, 2, NaN, 3, 4, 10, Infinity]);
    expect([s.n, s.missing, s.min, s.q1, s.median, s.q3, s.max]).toEqual([5, 2, 1, 2, 3, 4, 10]);
    expect(s.mean).toBe(4);
    expect(s.std).toBeCloseTo(3.5355339059327378, 14);
  });
});

describe('rounding', () => {
  it('round keeps significant digits (12 by default), roundTo decimals; non-finite values pass', () => {
    expect(round(0.1 + 0.2)).toBe(0.3);
    expect(round(123.456789, 4)).toBe(123.5);
    expect(round(NaN)).toBeNaN();
    expect(roundTo(2.345, 1)).toBe(2.3);
    expect(roundTo(-1.25, 1)).toBe(-1.2);
    expect(roundTo(1234.5678, 2)).toBe(1234.57);
  });
});
