// The common shape of every classical model in eds: fit on rows of features, predict, serialise.
//
// Data convention (one for the whole of src/ml): a feature matrix is `number[][]`, one inner array
// per sample (row), all of the same length (n_features). Class labels are integer codes 0..K-1
// (`number[]`); the experiment layer maps label names to codes and back.

/** Feature matrix: one row per sample, one column per feature. */
export type Matrix = number[][];

/** A model that predicts a number per sample. */
export interface Regressor {
  /** Learns from `X` (n × d) and targets `y` (n); returns the model itself. */
  fit(X: Matrix, y: number[]): this;
  /** One prediction per row of `X`. */
  predict(X: Matrix): number[];
  /** Plain JSON with the fitted parameters (for saving and for `--json`). */
  toJSON(): Record<string, unknown>;
}

/** A model that predicts a class code 0..K-1 per sample. */
export interface Classifier {
  /** Learns from `X` (n × d) and class codes `y` (n, integers 0..K-1); returns the model itself. */
  fit(X: Matrix, y: number[]): this;
  /** One class code per row of `X`. */
  predict(X: Matrix): number[];
  /** Class probabilities per row (n × K), columns in class-code order; absent where the model has none. */
  predictProba?(X: Matrix): number[][];
  /** Plain JSON with the fitted parameters. */
  toJSON(): Record<string, unknown>;
}

/** Number of classes implied by codes 0..K-1 (max + 1). */
export function countClasses(y: readonly number[]): number {
  let k = 0;
  for (const v of y) {
    if (!Number.isInteger(v) || v < 0) throw new Error(`class codes must be integers >= 0, got ${v}`);
    if (v + 1 > k) k = v + 1;
  }
  return k;
}

/** Throws a specific error unless `X` is a non-empty rectangular matrix of finite numbers matching `y`. */
export function checkXy(X: Matrix, y?: readonly number[]): number {
  if (X.length === 0) throw new Error('X has no rows');
  const d = X[0]!.length;
  for (let i = 0; i < X.length; i++) {
    const row = X[i]!;
    if (row.length !== d) throw new Error(`X row ${i} has ${row.length} features, expected ${d}`);
    for (const v of row) if (!Number.isFinite(v)) throw new Error(`X row ${i} has a non-finite value ${v}`);
  }
  if (y && y.length !== X.length) throw new Error(`y has ${y.length} values but X has ${X.length} rows`);
  return d;
}

/** Index of the largest value (first one on ties, as numpy's argmax). */
export function argmax(values: ArrayLike<number>): number {
  let best = 0;
  for (let i = 1; i < values.length; i++) if (values[i]! > values[best]!) best = i;
  return best;
}
