// Feature preprocessing: standardisation (fit on the training rows only) and polynomial features.
import type { Classifier, Matrix, Regressor } from './types.js';

/** Rescales each feature to zero mean and unit variance, using statistics of the rows it was fitted on. */
export class StandardScaler {
  /** Per-feature mean of the fitted rows. */
  mean: number[] = [];
  /** Per-feature population standard deviation (1 where it is 0, as scikit-learn does, so constant features stay finite). */
  scale: number[] = [];

  fit(X: Matrix): this {
    const n = X.length;
    const d = X[0]?.length ?? 0;
    this.mean = new Array<number>(d).fill(0);
    for (const row of X) for (let j = 0; j < d; j++) this.mean[j]! += row[j]! / n;
    const variance = new Array<number>(d).fill(0);
    for (const row of X) for (let j = 0; j < d; j++) variance[j]! += (row[j]! - this.mean[j]!) ** 2 / n;
    this.scale = variance.map((v) => (v > 0 ? Math.sqrt(v) : 1));
    return this;
  }

  transform(X: Matrix): Matrix {
    return X.map((row) => row.map((v, j) => (v - this.mean[j]!) / this.scale[j]!));
  }

  fitTransform(X: Matrix): Matrix {
    return this.fit(X).transform(X);
  }

  toJSON(): Record<string, unknown> {
    return { mean: this.mean, scale: this.scale };
  }
}

/**
 * Polynomial features of total degree 1..`degree` without the bias column, in scikit-learn's
 * PolynomialFeatures order (x0, x1, x0², x0·x1, x1², …), so coefficients line up with its output.
 */
export function polynomialFeatures(X: Matrix, degree: number): Matrix {
  if (!Number.isInteger(degree) || degree < 1) throw new Error(`polynomial degree must be an integer >= 1, got ${degree}`);
  const d = X[0]?.length ?? 0;
  // Combinations with replacement of feature indices, by degree then lexicographically.
  const terms: number[][] = [];
  const extend = (prefix: number[], start: number, left: number) => {
    if (left === 0) {
      terms.push(prefix);
      return;
    }
    for (let j = start; j < d; j++) extend([...prefix, j], j, left - 1);
  };
  for (let k = 1; k <= degree; k++) extend([], 0, k);
  return X.map((row) => terms.map((t) => t.reduce((p, j) => p * row[j]!, 1)));
}

/** A classifier preceded by a standard scaler fitted on the training rows only. */
export class ScaledClassifier implements Classifier {
  /** The scaler, fitted in `fit`. */
  readonly scaler = new StandardScaler();
  constructor(readonly model: Classifier) {}
  fit(X: Matrix, y: number[]): this {
    this.model.fit(this.scaler.fitTransform(X), y);
    return this;
  }
  predict(X: Matrix): number[] {
    return this.model.predict(this.scaler.transform(X));
  }
  predictProba(X: Matrix): number[][] {
    if (!this.model.predictProba) throw new Error('the wrapped model gives no probabilities');
    return this.model.predictProba(this.scaler.transform(X));
  }
  toJSON(): Record<string, unknown> {
    return { scaler: this.scaler.toJSON(), model: this.model.toJSON() };
  }
}

/** A regressor preceded by a standard scaler fitted on the training rows only. */
export class ScaledRegressor implements Regressor {
  /** The scaler, fitted in `fit`. */
  readonly scaler = new StandardScaler();
  constructor(readonly model: Regressor) {}
  fit(X: Matrix, y: number[]): this {
    this.model.fit(this.scaler.fitTransform(X), y);
    return this;
  }
  predict(X: Matrix): number[] {
    return this.model.predict(this.scaler.transform(X));
  }
  toJSON(): Record<string, unknown> {
    return { scaler: this.scaler.toJSON(), model: this.model.toJSON() };
  }
}
