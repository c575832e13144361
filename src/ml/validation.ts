// Validation: train/test splits (random, stratified, spatial, by time), k-fold cross-validation and permutation importance, all seeded.
import { createRng } from '../util/rng.js';
import type { Matrix } from './types.js';

/** Row indices of a train/test split. */
export interface Split {
  /** Rows to fit on. */
  train: number[];
  /** Rows to evaluate on. */
  test: number[];
}

/** Number of test rows for a fraction, as scikit-learn: ceil(testSize · n), at least 1 and leaving at least 1 for training. */
export function testCount(n: number, testSize: number): number {
  if (!(testSize > 0 && testSize < 1)) throw new Error(`test size must be a fraction between 0 and 1, got ${testSize}`);
  if (n < 2) throw new Error(`cannot split ${n} row(s) into a training and a test set`);
  return Math.min(n - 1, Math.max(1, Math.ceil(testSize * n)));
}

/** Random split: a seeded shuffle, the first part is the test set. Indices come back sorted. */
export function randomSplit(n: number, testSize: number, seed: number): Split {
  const nTest = testCount(n, testSize);
  const perm = createRng(seed).shuffle(Array.from({ length: n }, (_, i) => i));
  return { test: perm.slice(0, nTest).sort((a, b) => a - b), train: perm.slice(nTest).sort((a, b) => a - b) };
}

/**
 * Stratified split: each class keeps (about) its share in both sets. Test counts per class are
 * allocated by largest remainder so the total is exactly the requested size.
 */
export function stratifiedSplit(labels: readonly number[], testSize: number, seed: number): Split {
  const n = labels.length;
  const nTest = testCount(n, testSize);
  const rng = createRng(seed);
  const byClass = groupByClass(labels);
  const counts = testCountsByClass(byClass, n, nTest);
  const test: number[] = [];
  const train: number[] = [];
  byClass.forEach((rows, c) => {
    const shuffled = rng.shuffle(rows);
    test.push(...shuffled.slice(0, counts[c]));
    train.push(...shuffled.slice(counts[c]));
  });
  return { test: test.sort((a, b) => a - b), train: train.sort((a, b) => a - b) };
}

/** Test rows per class, in proportion to the class sizes, by largest remainder so they add up to `nTest`. */
function testCountsByClass(byClass: readonly number[][], n: number, nTest: number): number[] {
  const exact = byClass.map((rows) => (rows.length * nTest) / n);
  const counts = exact.map(Math.floor);
  let missing = nTest - counts.reduce((a, b) => a + b, 0);
  const order = exact.map((v, c) => [v - Math.floor(v), c] as const).sort((a, b) => b[0] - a[0] || a[1] - b[1]);
  for (const [, c] of order) {
    if (missing === 0) break;
    counts[c]!++;
    missing--;
  }
  return counts;
}

/** A spatial split and the direction it cut along. */
export interface SpatialSplit extends Split {
  /** Direction of the cut, degrees anticlockwise from +x: each class's test rows lie farthest along it. */
  azimuthDeg: number;
}

/**
 * Spatial split, stratified: each class keeps the test share {@link stratifiedSplit} gives it, and within a class
 * the test rows are those farthest along one horizontal direction, drawn from the seed. So each class's test
 * rows form one block that meets its training rows along a single line. Why: neighbouring points of a scan
 * share most of their neighbourhood, so a random split puts near-copies of training rows in the test set and
 * flatters the score; here only the rows along the cut have such twins.
 */
export function spatialSplit(labels: readonly number[], x: readonly number[], y: readonly number[], testSize: number, seed: number): SpatialSplit {
  const n = labels.length;
  if (x.length !== n || y.length !== n) throw new Error('spatialSplit: labels, x and y must have the same length');
  const nTest = testCount(n, testSize);
  const azimuth = createRng(seed).next() * 2 * Math.PI;
  const ux = Math.cos(azimuth),
    uy = Math.sin(azimuth);
  const along = labels.map((_, i) => x[i]! * ux + y[i]! * uy);
  const byClass = groupByClass(labels);
  const counts = testCountsByClass(byClass, n, nTest);
  const test: number[] = [];
  const train: number[] = [];
  byClass.forEach((rows, c) => {
    // Farthest first; ties broken by row so the split does not depend on sort stability.
    const sorted = [...rows].sort((a, b) => along[b]! - along[a]! || a - b);
    test.push(...sorted.slice(0, counts[c]));
    train.push(...sorted.slice(counts[c]));
  });
  return { test: test.sort((a, b) => a - b), train: train.sort((a, b) => a - b), azimuthDeg: (azimuth * 180) / Math.PI };
}

/**
 * Split by time: the last `testSize` fraction of rows in time order is the test set. With `times`
 * (e.g. epoch milliseconds per row) rows are ordered by it, otherwise by row order. This is the
 * honest split for autocorrelated series: the model never sees the future.
 */
export function timeSplit(n: number, testSize: number, times?: readonly number[]): Split {
  const nTest = testCount(n, testSize);
  const order = Array.from({ length: n }, (_, i) => i);
  if (times) order.sort((a, b) => times[a]! - times[b]! || a - b);
  return { train: order.slice(0, n - nTest), test: order.slice(n - nTest) };
}

function groupByClass(labels: readonly number[]): number[][] {
  const byClass: number[][] = [];
  labels.forEach((c, i) => (byClass[c] ??= []).push(i));
  return byClass.map((rows) => rows ?? []);
}

/** k-fold split: rows shuffled with the seed, then cut into k nearly equal folds (the first n mod k folds one row larger, as scikit-learn). */
export function kFold(n: number, k: number, seed: number): Split[] {
  checkK(n, k);
  const perm = createRng(seed).shuffle(Array.from({ length: n }, (_, i) => i));
  const folds: number[][] = [];
  let start = 0;
  for (let f = 0; f < k; f++) {
    const size = Math.floor(n / k) + (f < n % k ? 1 : 0);
    folds.push(perm.slice(start, start + size));
    start += size;
  }
  return foldsToSplits(folds);
}

/** Stratified k-fold: each class's rows are shuffled and dealt round-robin into the folds, so every fold has each class's share. */
export function stratifiedKFold(labels: readonly number[], k: number, seed: number): Split[] {
  checkK(labels.length, k);
  const rng = createRng(seed);
  const folds: number[][] = Array.from({ length: k }, () => []);
  let next = 0;
  for (const rows of groupByClass(labels)) {
    for (const i of rng.shuffle(rows)) {
      folds[next]!.push(i);
      next = (next + 1) % k;
    }
  }
  return foldsToSplits(folds);
}

function checkK(n: number, k: number): void {
  if (!Number.isInteger(k) || k < 2) throw new Error(`cross-validation needs an integer number of folds >= 2, got ${k}`);
  if (k > n) throw new Error(`cannot make ${k} folds from ${n} rows`);
}

function foldsToSplits(folds: number[][]): Split[] {
  return folds.map((test, f) => ({
    test: test.slice().sort((a, b) => a - b),
    train: folds.flatMap((rows, g) => (g === f ? [] : rows)).sort((a, b) => a - b),
  }));
}

/** Cross-validated score summary. */
export interface CvSummary {
  /** Name of the score (e.g. "accuracy", "r2"). */
  metric: string;
  /** Mean over folds. */
  mean: number;
  /** Population standard deviation over folds (numpy's default, as scikit-learn users report it). */
  std: number;
  /** Score of each fold. */
  folds: number[];
}

/** Runs `score(split)` on every split and summarises mean ± std. */
export function crossValidate(splits: readonly Split[], metric: string, score: (split: Split) => number): CvSummary {
  const folds = splits.map(score);
  const mean = folds.reduce((a, b) => a + b, 0) / folds.length;
  const std = Math.sqrt(folds.reduce((s, v) => s + (v - mean) ** 2, 0) / folds.length);
  return { metric, mean, std, folds };
}

/** Takes rows by index. */
export function take<T>(items: readonly T[], indices: readonly number[]): T[] {
  return indices.map((i) => items[i]!);
}

/** Permutation importance of each feature. */
export interface PermutationImportance {
  /** Mean drop in score when the feature's column is shuffled (higher = more important). */
  mean: number[];
  /** Standard deviation of that drop over repeats. */
  std: number[];
}

/**
 * Permutation importance (Breiman 2001): the drop of `score(X)` when one column is shuffled,
 * averaged over `repeats` seeded shuffles. Computed on held-out rows, it measures what the
 * fitted model relies on, not what the training algorithm liked.
 */
export function permutationImportance(X: Matrix, score: (X: Matrix) => number, options: { repeats?: number; seed?: number } = {}): PermutationImportance {
  const repeats = options.repeats ?? 5;
  const rng = createRng(options.seed ?? 0);
  const base = score(X);
  const d = X[0]?.length ?? 0;
  const mean: number[] = [];
  const std: number[] = [];
  for (let j = 0; j < d; j++) {
    const drops: number[] = [];
    for (let r = 0; r < repeats; r++) {
      const column = rng.shuffle(X.map((row) => row[j]!));
      const permuted = X.map((row, i) => {
        const copy = row.slice();
        copy[j] = column[i]!;
        return copy;
      });
      drops.push(base - score(permuted));
    }
    const m = drops.reduce((a, b) => a + b, 0) / repeats;
    mean.push(m);
    std.push(Math.sqrt(drops.reduce((s, v) => s + (v - m) ** 2, 0) / repeats));
  }
  return { mean, std };
}
