// `eds project` step 1: what is in the data (sizes, balance, distributions, correlations) and what looks wrong (leakage suspects, imbalance, redundancy).
import { mean, pearson, std } from '../util/stats.js';
import type { ProjectData } from './data.js';

/** Summary of one feature column. */
export interface FeatureSummary {
  /** Feature name. */
  name: string;
  /** Mean, in the column's units. */
  mean: number;
  /** Population standard deviation, in the column's units. */
  std: number;
  /** Minimum. */
  min: number;
  /** Maximum. */
  max: number;
  /** Share of the target's variance explained by this feature's class means (correlation ratio η², 0–1): how much this one column alone separates the classes. */
  eta2: number;
  /** Distinct values in the column. */
  distinct: number;
}

/** A problem the student should look at before believing any score. */
export interface DataWarning {
  /** `leakage`, `imbalance`, `redundant`, `small`, `time` (a time series: shuffled folds flatter), or `notice` (a change made while reading). */
  kind: 'leakage' | 'imbalance' | 'redundant' | 'small' | 'time' | 'notice';
  /** One line saying what and why it matters. */
  message: string;
}

/** Step 1 of the project: the numbers a student reads before fitting anything. */
export interface Overview {
  /** Rows used (after dropping and sub-sampling). */
  rows: number;
  /** Rows in the file. */
  rowsRead: number;
  /** Feature columns used. */
  features: number;
  /** Rows per class, in `labels` order. */
  classCounts: number[];
  /** Accuracy of always answering the most frequent class (0–1): the floor every model must beat. */
  majorityBaseline: number;
  /** Largest class count divided by the smallest. */
  imbalanceRatio: number;
  /** Per-feature statistics. */
  summaries: FeatureSummary[];
  /** Pearson correlation between features (features × features); NaN where either is constant. */
  correlation: number[][];
  /** Things to look at. */
  warnings: DataWarning[];
}

/** Features whose class means explain more than this of their variance alone are suspiciously good. */
export const LEAKAGE_ETA2 = 0.95;
/** An id-like column (one distinct value per row, or in row order) that explains this much is a leakage suspect. */
export const ID_LEAKAGE_ETA2 = 0.5;
/** Largest/smallest class beyond this ratio is heavy imbalance. */
export const IMBALANCE_RATIO = 5;
/** |r| between two features above this makes one of them redundant. */
export const REDUNDANT_R = 0.98;

/** Computes the overview of prepared data. Pure. */
export function overview(data: ProjectData): Overview {
  const { X, y, labels, featureNames } = data;
  const n = X.length;
  const d = featureNames.length;
  const classCounts = labels.map((_, c) => y.filter((v) => v === c).length);
  const maxCount = Math.max(...classCounts);
  const minCount = Math.min(...classCounts);
  const columns = featureNames.map((_, j) => X.map((row) => row[j]!));
  const summaries: FeatureSummary[] = columns.map((col, j) => {
    return {
      name: featureNames[j]!,
      mean: mean(col),
      std: std(col),
      min: Math.min(...col),
      max: Math.max(...col),
      eta2: correlationRatio(col, y, labels.length),
      distinct: new Set(col).size,
    };
  });
  // NaN where a column is constant (r is undefined there): the table prints '-', the heatmap leaves the cell blank.
  const correlation = columns.map((a) => columns.map((b) => pearson(a, b)));
  const warnings: DataWarning[] = data.notices.map((message) => ({ kind: 'notice' as const, message }));
  summaries.forEach((s, j) => {
    const col = columns[j]!;
    const idLike = isIdLike(col, s, featureNames[j]!);
    if (idLike && s.eta2 > ID_LEAKAGE_ETA2) {
      warnings.push({
        kind: 'leakage',
        message: `"${s.name}" looks like a row id or a row counter, yet it explains ${pct(s.eta2)} of the class variance: the file is probably sorted by class; drop the column or the scores will be flattering`,
      });
    } else if (s.eta2 > LEAKAGE_ETA2) {
      warnings.push({
        kind: 'leakage',
        message: `"${s.name}" alone explains ${pct(s.eta2)} of the class variance: check it is not computed from the target or recorded after the fact`,
      });
    }
  });
  if (maxCount / minCount > IMBALANCE_RATIO) {
    const small = labels[classCounts.indexOf(minCount)]!;
    warnings.push({
      kind: 'imbalance',
      message: `classes are imbalanced (largest/smallest = ${(maxCount / minCount).toFixed(1)}, "${small}" has ${minCount} rows): always answering the majority class scores ${pct(maxCount / n)} accuracy; read balanced accuracy and macro-F1`,
    });
  }
  for (let a = 0; a < d; a++)
    for (let b = a + 1; b < d; b++) {
      const r = correlation[a]![b]!;
      if (Math.abs(r) > REDUNDANT_R)
        warnings.push({ kind: 'redundant', message: `"${featureNames[a]}" and "${featureNames[b]}" are almost the same information (r = ${r.toFixed(3)})` });
    }
  // First: it decides which scores can be believed at all.
  if (data.time) warnings.unshift({ kind: 'time', message: timeSeriesWarning(data.time.column) });
  if (minCount < 10)
    warnings.push({
      kind: 'small',
      message: `the smallest class has ${minCount} rows: per-fold scores for it rest on one or two rows each, so expect a large spread`,
    });
  return {
    rows: n,
    rowsRead: data.rowsRead,
    features: d,
    classCounts,
    majorityBaseline: maxCount / n,
    imbalanceRatio: maxCount / minCount,
    summaries,
    correlation,
    warnings,
  };
}

/**
 * What a date or time column means for the folds (session 1's lesson): rows close in time are near-copies, so
 * shuffled folds test on rows whose neighbours were trained on and flatter every model; blocks of time do not.
 */
export function timeSeriesWarning(column: string): string {
  return `"${column}" gives each row a time: if the rows are a time series, shuffled (stratified) folds put rows a moment apart on both sides of a fold and flatter every model (the river, session 1); folds that are blocks of time test on periods the models never saw: press t to switch (or run with --split time)`;
}

/**
 * Correlation ratio η² of a numeric column against classes: between-class sum of squares over total
 * sum of squares. It works for any number of classes, which a correlation with class codes does not
 * (codes have no order).
 */
export function correlationRatio(col: readonly number[], y: readonly number[], k: number): number {
  const n = col.length;
  const mean = col.reduce((s, v) => s + v, 0) / n;
  const sums = new Array<number>(k).fill(0);
  const counts = new Array<number>(k).fill(0);
  col.forEach((v, i) => {
    sums[y[i]!]! += v;
    counts[y[i]!]!++;
  });
  const total = col.reduce((s, v) => s + (v - mean) ** 2, 0);
  if (total === 0) return 0;
  const between = sums.reduce((s, sum, c) => (counts[c]! > 0 ? s + counts[c]! * (sum / counts[c]! - mean) ** 2 : s), 0);
  return between / total;
}

/**
 * A row id or counter: whole numbers, one per row, densely covering their range (1, 2, 3, … in some order),
 * or any name that says so. Continuous measurements are distinct too, but not dense integers.
 */
function isIdLike(col: readonly number[], s: FeatureSummary, name: string): boolean {
  if (/^(id|index|idx|row|rownum|row_?id|sample_?id|unnamed: ?0)$/i.test(name.trim())) return true;
  const n = col.length;
  return col.every(Number.isInteger) && s.distinct === n && s.max - s.min + 1 <= 2 * n && (isMonotonic(col) || n >= 20);
}

function isMonotonic(col: readonly number[]): boolean {
  let up = true;
  let down = true;
  for (let i = 1; i < col.length; i++) {
    if (col[i]! <= col[i - 1]!) up = false;
    if (col[i]! >= col[i - 1]!) down = false;
  }
  return col.length > 2 && (up || down);
}

function pct(x: number): string {
  return `${(100 * x).toFixed(0)}%`;
}
