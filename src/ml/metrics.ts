// Evaluation metrics for regression, classification and clustering, with scikit-learn's definitions.
import { createRng } from '../util/rng.js';
import type { Matrix } from './types.js';

function checkLengths(a: ArrayLike<unknown>, b: ArrayLike<unknown>, what: string): void {
  if (a.length !== b.length) throw new Error(`${what}: ${a.length} true values but ${b.length} predictions`);
  if (a.length === 0) throw new Error(`${what}: no values`);
}

/** Root mean squared error, in the target's unit. */
export function rmse(yTrue: readonly number[], yPred: readonly number[]): number {
  checkLengths(yTrue, yPred, 'rmse');
  let s = 0;
  for (let i = 0; i < yTrue.length; i++) s += (yTrue[i]! - yPred[i]!) ** 2;
  return Math.sqrt(s / yTrue.length);
}

/** Mean absolute error, in the target's unit. */
export function mae(yTrue: readonly number[], yPred: readonly number[]): number {
  checkLengths(yTrue, yPred, 'mae');
  let s = 0;
  for (let i = 0; i < yTrue.length; i++) s += Math.abs(yTrue[i]! - yPred[i]!);
  return s / yTrue.length;
}

/** Coefficient of determination R² = 1 − SS_res/SS_tot (1 for perfect, 0 for predicting the mean, negative for worse; 0 when y is constant and predictions are not exact, as scikit-learn). */
export function r2(yTrue: readonly number[], yPred: readonly number[]): number {
  checkLengths(yTrue, yPred, 'r2');
  const mean = yTrue.reduce((a, b) => a + b, 0) / yTrue.length;
  let res = 0;
  let tot = 0;
  for (let i = 0; i < yTrue.length; i++) {
    res += (yTrue[i]! - yPred[i]!) ** 2;
    tot += (yTrue[i]! - mean) ** 2;
  }
  if (tot === 0) return res === 0 ? 1 : 0;
  return 1 - res / tot;
}

/** Fraction of predictions equal to the truth. */
export function accuracy(yTrue: readonly number[], yPred: readonly number[]): number {
  checkLengths(yTrue, yPred, 'accuracy');
  let ok = 0;
  for (let i = 0; i < yTrue.length; i++) if (yTrue[i] === yPred[i]) ok++;
  return ok / yTrue.length;
}

/** Confusion matrix: entry [t][p] counts rows of true class t predicted as p, classes 0..k-1. */
export function confusionMatrix(yTrue: readonly number[], yPred: readonly number[], k?: number): number[][] {
  checkLengths(yTrue, yPred, 'confusion matrix');
  const n = k ?? Math.max(...yTrue, ...yPred) + 1;
  const m = Array.from({ length: n }, () => new Array<number>(n).fill(0));
  for (let i = 0; i < yTrue.length; i++) m[yTrue[i]!]![yPred[i]!]!++;
  return m;
}

/** Per-class scores of a classification. */
export interface ClassReport {
  /** Of the rows predicted as this class, the fraction that are (0 when none predicted). */
  precision: number[];
  /** Of the rows of this class, the fraction found (0 when none present). */
  recall: number[];
  /** Harmonic mean of precision and recall (0 when both are 0). */
  f1: number[];
  /** Number of true rows of each class. */
  support: number[];
}

/** Precision, recall, F1 and support per class from a confusion matrix (zero_division = 0, as scikit-learn with that option). */
export function classReport(confusion: readonly (readonly number[])[]): ClassReport {
  const k = confusion.length;
  const precision: number[] = [];
  const recall: number[] = [];
  const f1: number[] = [];
  const support: number[] = [];
  for (let c = 0; c < k; c++) {
    const tp = confusion[c]![c]!;
    let predicted = 0;
    let actual = 0;
    for (let j = 0; j < k; j++) {
      predicted += confusion[j]![c]!;
      actual += confusion[c]![j]!;
    }
    const p = predicted ? tp / predicted : 0;
    const r = actual ? tp / actual : 0;
    precision.push(p);
    recall.push(r);
    f1.push(p + r > 0 ? (2 * p * r) / (p + r) : 0);
    support.push(actual);
  }
  return { precision, recall, f1, support };
}

/** Unweighted mean of per-class F1 over classes present in truth or predictions. */
export function macroF1(yTrue: readonly number[], yPred: readonly number[]): number {
  return macroF1OfConfusion(confusionMatrix(yTrue, yPred));
}

/** {@link macroF1} from a confusion matrix (what a figure of the matrix prints beside `--json`'s `macro_f1`); NaN when it holds no sample. */
export function macroF1OfConfusion(cm: readonly (readonly number[])[]): number {
  const { f1, support } = classReport(cm);
  const present = f1.filter((_, c) => support[c]! > 0 || cm.some((row) => row[c]! > 0));
  return present.reduce((a, b) => a + b, 0) / present.length;
}

/** Mean of per-class recall over the classes present in the truth (robust to class imbalance). */
export function balancedAccuracy(yTrue: readonly number[], yPred: readonly number[]): number {
  const { recall, support } = classReport(confusionMatrix(yTrue, yPred));
  const present = recall.filter((_, c) => support[c]! > 0);
  return present.reduce((a, b) => a + b, 0) / present.length;
}

/** Area under the ROC curve for two classes (1 = positive) given scores; ties count one half (Mann–Whitney U). */
export function rocAuc(yTrue: readonly number[], score: readonly number[]): number {
  checkLengths(yTrue, score, 'ROC AUC');
  const idx = Array.from(score.keys()).sort((a, b) => score[a]! - score[b]!);
  // Average ranks over tied scores.
  const ranks = new Float64Array(score.length);
  for (let i = 0; i < idx.length; ) {
    let j = i;
    while (j + 1 < idx.length && score[idx[j + 1]!] === score[idx[i]!]) j++;
    for (let t = i; t <= j; t++) ranks[idx[t]!] = (i + j) / 2 + 1;
    i = j + 1;
  }
  let nPos = 0;
  let rankSum = 0;
  for (let i = 0; i < yTrue.length; i++) {
    if (yTrue[i] === 1) {
      nPos++;
      rankSum += ranks[i]!;
    } else if (yTrue[i] !== 0) throw new Error(`ROC AUC needs labels 0 and 1, got ${yTrue[i]}`);
  }
  const nNeg = yTrue.length - nPos;
  if (nPos === 0 || nNeg === 0) throw new Error('ROC AUC needs both classes in the true labels');
  return (rankSum - (nPos * (nPos + 1)) / 2) / (nPos * nNeg);
}

/** Contingency table between two labelings (labels may be any integers, e.g. −1 for noise). */
function contingency(a: readonly number[], b: readonly number[]): number[][] {
  checkLengths(a, b, 'contingency');
  const ia = new Map<number, number>();
  const ib = new Map<number, number>();
  for (const v of a) if (!ia.has(v)) ia.set(v, ia.size);
  for (const v of b) if (!ib.has(v)) ib.set(v, ib.size);
  const m = Array.from({ length: ia.size }, () => new Array<number>(ib.size).fill(0));
  for (let i = 0; i < a.length; i++) m[ia.get(a[i]!)!]![ib.get(b[i]!)!]!++;
  return m;
}

/** Adjusted Rand index (Hubert & Arabie 1985): 1 for identical partitions, about 0 for random ones. */
export function adjustedRandIndex(a: readonly number[], b: readonly number[]): number {
  const m = contingency(a, b);
  const c2 = (x: number) => (x * (x - 1)) / 2;
  const n = a.length;
  let sumCells = 0;
  for (const row of m) for (const v of row) sumCells += c2(v);
  const rowSums = m.map((row) => row.reduce((s, v) => s + v, 0));
  const colSums = m[0]!.map((_, j) => m.reduce((s, row) => s + row[j]!, 0));
  const sumA = rowSums.reduce((s, v) => s + c2(v), 0);
  const sumB = colSums.reduce((s, v) => s + c2(v), 0);
  const expected = (sumA * sumB) / c2(n);
  const max = (sumA + sumB) / 2;
  // Both partitions trivial (one cluster, or all singletons): scikit-learn returns 1.
  if (max === expected) return 1;
  return (sumCells - expected) / (max - expected);
}

/** Normalised mutual information with the arithmetic-mean normalisation (scikit-learn's default). */
export function normalizedMutualInfo(a: readonly number[], b: readonly number[]): number {
  const m = contingency(a, b);
  const n = a.length;
  const rowSums = m.map((row) => row.reduce((s, v) => s + v, 0));
  const colSums = m[0]!.map((_, j) => m.reduce((s, row) => s + row[j]!, 0));
  if (rowSums.length === 1 && colSums.length === 1) return 1;
  if (rowSums.length === 1 || colSums.length === 1) return 0;
  let mi = 0;
  for (let i = 0; i < m.length; i++)
    for (let j = 0; j < m[i]!.length; j++) {
      const v = m[i]![j]!;
      if (v > 0) mi += (v / n) * Math.log((v * n) / (rowSums[i]! * colSums[j]!));
    }
  const entropy = (sums: number[]) => -sums.reduce((s, v) => s + (v > 0 ? (v / n) * Math.log(v / n) : 0), 0);
  const denom = (entropy(rowSums) + entropy(colSums)) / 2;
  return denom > 0 ? Math.max(0, mi) / denom : 0;
}

/**
 * Mean silhouette coefficient (Euclidean): for each row, (b − a)/max(a, b) with a the mean distance
 * to its own cluster and b to the nearest other cluster; rows alone in their cluster score 0.
 * Noise labels (−1) are treated as a cluster, as scikit-learn does. O(n²): for more than
 * `maxRows` rows a seeded subsample of rows is scored (against all rows).
 */
export function silhouetteScore(X: Matrix, labels: readonly number[], options: { maxRows?: number; seed?: number } = {}): number {
  checkLengths(X, labels, 'silhouette');
  const ids = [...new Set(labels)];
  if (ids.length < 2 || ids.length > X.length - 1) throw new Error(`silhouette needs 2 to n−1 clusters, got ${ids.length}`);
  const index = new Map(ids.map((v, i) => [v, i]));
  const lab = labels.map((v) => index.get(v)!);
  const counts = new Array<number>(ids.length).fill(0);
  for (const l of lab) counts[l]!++;
  const n = X.length;
  const d = X[0]!.length;
  const maxRows = options.maxRows ?? 5000;
  let rows = Array.from({ length: n }, (_, i) => i);
  if (n > maxRows) {
    rows = createRng(options.seed ?? 0)
      .shuffle(rows)
      .slice(0, maxRows);
  }
  const sums = new Float64Array(ids.length);
  let total = 0;
  for (const i of rows) {
    sums.fill(0);
    const xi = X[i]!;
    for (let j = 0; j < n; j++) {
      if (j === i) continue;
      const xj = X[j]!;
      let s = 0;
      for (let t = 0; t < d; t++) s += (xi[t]! - xj[t]!) ** 2;
      sums[lab[j]!]! += Math.sqrt(s);
    }
    const own = lab[i]!;
    if (counts[own]! <= 1) continue;
    const a = sums[own]! / (counts[own]! - 1);
    let b = Number.POSITIVE_INFINITY;
    for (let c = 0; c < ids.length; c++) if (c !== own) b = Math.min(b, sums[c]! / counts[c]!);
    total += (b - a) / Math.max(a, b);
  }
  return total / rows.length;
}

/** Sum of squared distances of rows to the mean of their cluster. */
export function inertia(X: Matrix, labels: readonly number[]): number {
  const groups = new Map<number, number[]>();
  labels.forEach((l, i) => (groups.get(l) ?? groups.set(l, []).get(l)!).push(i));
  let total = 0;
  for (const idx of groups.values()) {
    const d = X[0]!.length;
    const mean = new Array<number>(d).fill(0);
    for (const i of idx) for (let t = 0; t < d; t++) mean[t]! += X[i]![t]! / idx.length;
    for (const i of idx) for (let t = 0; t < d; t++) total += (X[i]![t]! - mean[t]!) ** 2;
  }
  return total;
}
