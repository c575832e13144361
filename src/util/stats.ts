// Descriptive statistics and rounding: the one copy for the whole code base (test/architecture/numeric-helpers.test.ts
// fails on a second definition). Definitions follow NumPy/SciPy, whose numbers the lessons check against.
//
// NaN policy, the same for every function here:
// - A value that is not finite (NaN, ±Infinity) is missing and is left out; for two samples (pearson), pairs
//   where either is missing are left out (pandas' skipna, NumPy's nan* functions). Readers turn missing-value
//   codes into NaN first (src/data/missing.ts).
// - A statistic that is undefined for what is left is NaN, never a made-up number: an empty sample, a
//   correlation, skewness or kurtosis of a constant sample, a sample standard deviation of one value.
// - The caller that shows or learns from it decides what NaN becomes (a '-' in a table, 0 for a model
//   feature), where a reader of that code sees the decision.

/** The finite values of a sample, in order. */
export function finite(x: ArrayLike<number>): number[] {
  const out: number[] = [];
  for (let i = 0; i < x.length; i++) if (Number.isFinite(x[i]!)) out.push(x[i]!);
  return out;
}

/** Arithmetic mean of the finite values (NaN when none). */
export function mean(x: ArrayLike<number>): number {
  let s = 0;
  let n = 0;
  for (let i = 0; i < x.length; i++) {
    const v = x[i]!;
    if (Number.isFinite(v)) {
      s += v;
      n++;
    }
  }
  return n ? s / n : NaN;
}

/** Variance of the finite values with `ddof` degrees of freedom taken off (NumPy's `var`; 0: population, 1: sample); NaN when n ≤ ddof. */
export function variance(x: ArrayLike<number>, ddof = 0): number {
  const m = mean(x);
  let ss = 0;
  let n = 0;
  for (let i = 0; i < x.length; i++) {
    const v = x[i]!;
    if (Number.isFinite(v)) {
      ss += (v - m) ** 2;
      n++;
    }
  }
  return n > ddof ? ss / (n - ddof) : NaN;
}

/** Standard deviation of the finite values (NumPy's `std`: ddof 0 by default, the ± of cross-validation folds; 1 for pandas' sample std). */
export function std(x: ArrayLike<number>, ddof = 0): number {
  return Math.sqrt(variance(x, ddof));
}

function centralMoments(x: ArrayLike<number>): { m2: number; m3: number; m4: number } {
  const mu = mean(x);
  let m2 = 0;
  let m3 = 0;
  let m4 = 0;
  let n = 0;
  for (let i = 0; i < x.length; i++) {
    if (!Number.isFinite(x[i]!)) continue;
    const d = x[i]! - mu;
    const d2 = d * d;
    m2 += d2;
    m3 += d2 * d;
    m4 += d2 * d2;
    n++;
  }
  return { m2: m2 / n, m3: m3 / n, m4: m4 / n };
}

/** Biased sample skewness m3 / m2^1.5 (`scipy.stats.skew(x)`); NaN for a constant or empty sample (as SciPy). */
export function skewness(x: ArrayLike<number>): number {
  const { m2, m3 } = centralMoments(x);
  return m2 > 0 ? m3 / m2 ** 1.5 : NaN;
}

/** Biased Fisher (excess) kurtosis m4 / m2² − 3 (`scipy.stats.kurtosis(x)`): 0 for Gaussian noise, −1.5 for a sine, large for spikes; NaN for a constant or empty sample. */
export function kurtosis(x: ArrayLike<number>): number {
  const { m2, m4 } = centralMoments(x);
  return m2 > 0 ? m4 / (m2 * m2) - 3 : NaN;
}

/**
 * How a quantile falls between two order statistics, as NumPy's `method`: `linear` (NumPy's default, pandas',
 * and every lesson's), `lower`, `higher`, `nearest` (ties to the even index, as NumPy) or `midpoint`.
 */
export type QuantileMethod = 'linear' | 'lower' | 'higher' | 'nearest' | 'midpoint';

/** Quantile `q` ∈ [0, 1] (clamped) of values already sorted ascending and all finite; NaN when empty. */
export function quantileSorted(sorted: ArrayLike<number>, q: number, method: QuantileMethod = 'linear'): number {
  const n = sorted.length;
  if (n === 0) return NaN;
  const pos = (n - 1) * Math.min(1, Math.max(0, q));
  const lo = Math.floor(pos);
  const hi = Math.min(n - 1, lo + 1);
  const frac = pos - lo;
  switch (method) {
    case 'lower':
      return sorted[lo]!;
    case 'higher':
      return frac > 0 ? sorted[hi]! : sorted[lo]!;
    case 'nearest':
      return frac > 0.5 || (frac === 0.5 && lo % 2 === 1) ? sorted[hi]! : sorted[lo]!;
    case 'midpoint':
      return frac > 0 ? (sorted[lo]! + sorted[hi]!) / 2 : sorted[lo]!;
    default:
      return sorted[lo]! + (sorted[hi]! - sorted[lo]!) * frac;
  }
}

/** The finite values sorted ascending. */
export function sortedFinite(x: ArrayLike<number>): Float64Array {
  return Float64Array.from(finite(x)).sort();
}

/** Quantile `q` ∈ [0, 1] of the finite values of an unsorted sample (`numpy.nanquantile(x, q, method=…)`); NaN when none. */
export function quantile(x: ArrayLike<number>, q: number, method: QuantileMethod = 'linear'): number {
  return quantileSorted(sortedFinite(x), q, method);
}

/** Median of the finite values: the mean of the two middle values for an even count (the 0.5 quantile); NaN when none. */
export function median(x: ArrayLike<number>, method: QuantileMethod = 'linear'): number {
  return quantile(x, 0.5, method);
}

/** Pearson correlation of the pairs where both values are finite; NaN for fewer than two such pairs or a constant side (as NumPy and pandas). */
export function pearson(x: ArrayLike<number>, y: ArrayLike<number>): number {
  const xs: number[] = [];
  const ys: number[] = [];
  for (let i = 0; i < Math.min(x.length, y.length); i++) {
    if (Number.isFinite(x[i]!) && Number.isFinite(y[i]!)) {
      xs.push(x[i]!);
      ys.push(y[i]!);
    }
  }
  const n = xs.length;
  if (n < 2) return NaN;
  const mx = xs.reduce((a, b) => a + b, 0) / n;
  const my = ys.reduce((a, b) => a + b, 0) / n;
  let sxy = 0;
  let sxx = 0;
  let syy = 0;
  for (let i = 0; i < n; i++) {
    sxy += (xs[i]! - mx) * (ys[i]! - my);
    sxx += (xs[i]! - mx) ** 2;
    syy += (ys[i]! - my) ** 2;
  }
  return sxx > 0 && syy > 0 ? sxy / Math.sqrt(sxx * syy) : NaN;
}

/** What a student reads first about a variable (the histogram's and the summary table's numbers). */
export interface SummaryStats {
  /** Finite values counted. */
  n: number;
  /** NaN and infinite values left out. */
  missing: number;
  /** Arithmetic mean (NaN when n = 0). */
  mean: number;
  /** Sample standard deviation, n − 1 in the denominator, as pandas' `describe` (NaN when n < 2). */
  std: number;
  /** Smallest value. */
  min: number;
  /** First quartile (linear interpolation, as numpy's default). */
  q1: number;
  /** Median. */
  median: number;
  /** Third quartile. */
  q3: number;
  /** Largest value. */
  max: number;
}

/** Count, missing, mean, standard deviation and quartiles of the finite values (pandas' `describe`). */
export function summarize(values: ArrayLike<number>): SummaryStats {
  const sorted = sortedFinite(values);
  const n = sorted.length;
  return {
    n,
    missing: values.length - n,
    mean: mean(sorted),
    std: std(sorted, 1),
    min: n ? sorted[0]! : NaN,
    q1: quantileSorted(sorted, 0.25),
    median: quantileSorted(sorted, 0.5),
    q3: quantileSorted(sorted, 0.75),
    max: n ? sorted[n - 1]! : NaN,
  };
}

/**
 * Rounds to `significant` digits (12 by default: hides float noise in JSON and tables, keeps every meaningful digit);
 * non-finite values unchanged. Write `xs.map((v) => round(v))`: `xs.map(round)` would pass each index as the digits.
 */
export function round(value: number, significant = 12): number {
  return Number.isFinite(value) ? Number(value.toPrecision(significant)) : value;
}

/** Rounds to `decimals` digits after the point (halves up, as `Math.round`), e.g. roundTo(2.345, 1) = 2.3. */
export function roundTo(value: number, decimals: number): number {
  const f = 10 ** decimals;
  return Math.round(value * f) / f;
}
