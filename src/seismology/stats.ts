// Moment statistics of a sample (as scipy.stats computes them by default) and quantiles.

/** Arithmetic mean (NaN for an empty sample). */
export function mean(x: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < x.length; i++) s += x[i]!;
  return s / x.length;
}

function centralMoments(x: ArrayLike<number>): { m2: number; m3: number; m4: number } {
  const mu = mean(x);
  let m2 = 0;
  let m3 = 0;
  let m4 = 0;
  for (let i = 0; i < x.length; i++) {
    const d = x[i]! - mu;
    const d2 = d * d;
    m2 += d2;
    m3 += d2 * d;
    m4 += d2 * d2;
  }
  const n = x.length;
  return { m2: m2 / n, m3: m3 / n, m4: m4 / n };
}

/** Biased sample skewness m3 / m2^1.5 (`scipy.stats.skew(x)`); 0 for a constant sample. */
export function skewness(x: ArrayLike<number>): number {
  const { m2, m3 } = centralMoments(x);
  return m2 > 0 ? m3 / m2 ** 1.5 : 0;
}

/** Biased Fisher (excess) kurtosis m4 / m2² − 3 (`scipy.stats.kurtosis(x)`): 0 for Gaussian noise, −1.5 for a sine, large for spikes. */
export function kurtosis(x: ArrayLike<number>): number {
  const { m2, m4 } = centralMoments(x);
  return m2 > 0 ? m4 / (m2 * m2) - 3 : 0;
}

/** Linear-interpolated quantile q ∈ [0, 1] (NumPy's default method) of an unsorted sample. */
export function quantile(x: ArrayLike<number>, q: number): number {
  const s = Float64Array.from(x as ArrayLike<number>).sort();
  if (s.length === 0) return NaN;
  const pos = (s.length - 1) * Math.min(1, Math.max(0, q));
  const lo = Math.floor(pos);
  const hi = Math.min(s.length - 1, lo + 1);
  return s[lo]! + (s[hi]! - s[lo]!) * (pos - lo);
}

/** Median (the 0.5 quantile). */
export function median(x: ArrayLike<number>): number {
  return quantile(x, 0.5);
}
