// Rank statistics and fold summaries of the volcano lesson: how a feature separates the classes, mean ± std
// over folds, paired fold differences, ordering by value.

/** Ranks 1..n with ties given their average rank (as scipy.stats.rankdata). */
export function averageRanks(values: readonly number[]): number[] {
  const order = values.map((v, i) => [v, i] as const).sort((a, b) => a[0] - b[0]);
  const ranks = new Array<number>(values.length);
  for (let i = 0; i < order.length; ) {
    let j = i;
    while (j + 1 < order.length && order[j + 1]![0] === order[i]![0]) j++;
    const r = (i + j) / 2 + 1;
    for (let k = i; k <= j; k++) ranks[order[k]![1]] = r;
    i = j + 1;
  }
  return ranks;
}

/**
 * How well one feature separates the classes: the one-way ANOVA F statistic computed on ranks,
 * (between-class variance of the ranks / (K−1)) / (within-class variance / (N−K)). Ranks make it blind
 * to units and to the heavy tails of amplitudes and durations; it orders features as Kruskal–Wallis H does.
 * 0 when the classes are indistinguishable; Infinity when each class is a single value.
 */
export function rankSeparation(values: readonly number[], classes: readonly number[]): number {
  const r = averageRanks(values);
  const n = r.length;
  const groups = new Map<number, number[]>();
  r.forEach((v, i) => {
    const c = classes[i]!;
    if (!groups.has(c)) groups.set(c, []);
    groups.get(c)!.push(v);
  });
  const k = groups.size;
  if (k < 2 || n <= k) return NaN;
  const grand = (n + 1) / 2;
  let between = 0;
  let within = 0;
  for (const g of groups.values()) {
    const m = g.reduce((a, b) => a + b, 0) / g.length;
    between += g.length * (m - grand) ** 2;
    for (const v of g) within += (v - m) ** 2;
  }
  return within === 0 ? Infinity : between / (k - 1) / (within / (n - k));
}

/** Mean and population standard deviation (the ± scikit-learn users report for folds). */
export function meanStd(values: readonly number[]): { mean: number; std: number } {
  const mean = values.reduce((a, b) => a + b, 0) / values.length;
  return { mean, std: Math.sqrt(values.reduce((s, v) => s + (v - mean) ** 2, 0) / values.length) };
}

/**
 * A paired comparison of two models scored on the same folds: mean and population std of the per-fold
 * differences a − b, and on how many folds a scored higher. What a fold's events do to both models cancels in
 * the difference, which comparing each model's own ± cannot do.
 */
export function pairedFoldDifference(a: readonly number[], b: readonly number[]): { mean: number; std: number; wins: number; folds: number } {
  if (a.length !== b.length || a.length === 0) throw new Error('paired fold difference: both models need a score on the same folds');
  const d = a.map((v, i) => v - b[i]!);
  const { mean, std } = meanStd(d);
  return { mean, std, wins: d.filter((v) => v > 0).length, folds: d.length };
}

/** Feature indices ordered by value, largest first (ties by index): signed, so a negative importance ranks last. */
export function orderByValue(values: readonly number[]): number[] {
  return values.map((_, j) => j).sort((p, q) => values[q]! - values[p]! || p - q);
}
