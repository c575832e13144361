// Small helpers over the probe series: missing counts, log10 with NaN, the index window of a time range.

/** How many values are NaN (missing). */
export function countNaN(a: ArrayLike<number>): number {
  let k = 0;
  for (let i = 0; i < a.length; i++) if (Number.isNaN(a[i]!)) k++;
  return k;
}

/** log10 for positive values, NaN otherwise (a zero turbidity has no logarithm; it is left out, and counted). */
export function log10OrNaN(v: number): number {
  return v > 0 ? Math.log10(v) : Number.NaN;
}

/** Indices of a sorted time array within [from, to). */
export function windowOf(timeMs: ArrayLike<number>, from: number, to: number): [number, number] {
  let a = 0;
  while (a < timeMs.length && timeMs[a]! < from) a++;
  let b = a;
  while (b < timeMs.length && timeMs[b]! < to) b++;
  return [a, b];
}
