// Summary statistics of one variable (finite values only), shared by the histogram and the summary table.

/** What a student reads first about a variable. */
export interface SummaryStats {
  /** Finite values counted. */
  n: number;
  /** NaN and infinite values left out. */
  missing: number;
  /** Arithmetic mean (NaN when n = 0). */
  mean: number;
  /** Sample standard deviation, n − 1 in the denominator (NaN when n < 2). */
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

/** Quantile `q` in [0, 1] of ascending sorted values (numpy's "linear" method). */
export function quantileSorted(sorted: ArrayLike<number>, q: number): number {
  const n = sorted.length;
  if (n === 0) return NaN;
  const pos = (n - 1) * q;
  const lo = Math.floor(pos);
  const hi = Math.min(n - 1, lo + 1);
  return sorted[lo]! + (sorted[hi]! - sorted[lo]!) * (pos - lo);
}

/** Count, missing, mean, standard deviation and quartiles of the finite values. */
export function summarize(values: ArrayLike<number>): SummaryStats {
  const finite: number[] = [];
  for (let i = 0; i < values.length; i++) if (Number.isFinite(values[i]!)) finite.push(values[i]!);
  const sorted = Float64Array.from(finite).sort();
  const n = sorted.length;
  let sum = 0;
  for (const v of sorted) sum += v;
  const mean = n ? sum / n : NaN;
  let ss = 0;
  for (const v of sorted) ss += (v - mean) ** 2;
  return {
    n,
    missing: values.length - n,
    mean,
    std: n > 1 ? Math.sqrt(ss / (n - 1)) : NaN,
    min: n ? sorted[0]! : NaN,
    q1: quantileSorted(sorted, 0.25),
    median: quantileSorted(sorted, 0.5),
    q3: quantileSorted(sorted, 0.75),
    max: n ? sorted[n - 1]! : NaN,
  };
}
