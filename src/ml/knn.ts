// k-nearest neighbours (brute force, Euclidean): a classifier and a regressor, matching scikit-learn's uniform-weight rules.
import { argmax, checkXy, countClasses, type Classifier, type Matrix, type Regressor } from './types.js';

/**
 * Indices of the k nearest training rows for each query row (squared Euclidean distance; equal
 * distances are broken by the lower training index, so results do not depend on the sort).
 */
export function nearestNeighbours(train: Matrix, queries: Matrix, k: number): number[][] {
  const n = train.length;
  const d = train[0]!.length;
  const flat = new Float64Array(n * d);
  train.forEach((row, i) => flat.set(row, i * d));
  const dist = new Float64Array(n);
  return queries.map((q) => {
    for (let i = 0; i < n; i++) {
      let s = 0;
      for (let j = 0; j < d; j++) {
        const t = flat[i * d + j]! - q[j]!;
        s += t * t;
      }
      dist[i] = s;
    }
    // Partial selection of the k smallest: k is small, so insertion into a sorted list is cheap.
    const best: number[] = [];
    for (let i = 0; i < n; i++) {
      if (best.length === k && dist[i]! >= dist[best[k - 1]!]!) continue;
      let pos = best.length;
      while (pos > 0 && dist[best[pos - 1]!]! > dist[i]!) pos--;
      best.splice(pos, 0, i);
      if (best.length > k) best.pop();
    }
    return best;
  });
}

/** k-NN classifier with uniform weights: the most frequent class among the k neighbours (ties: lowest class code, as scikit-learn). */
export class KNeighborsClassifier implements Classifier {
  private X: Matrix = [];
  private y: number[] = [];
  private nClasses = 0;
  constructor(readonly k = 5) {
    if (!Number.isInteger(k) || k < 1) throw new Error(`number of neighbours must be an integer >= 1, got ${k}`);
  }
  fit(X: Matrix, y: number[]): this {
    checkXy(X, y);
    if (this.k > X.length) throw new Error(`k-NN with ${this.k} neighbours needs at least ${this.k} training rows, got ${X.length}`);
    this.X = X.map((r) => r.slice());
    this.y = y.slice();
    this.nClasses = countClasses(y);
    return this;
  }
  predictProba(X: Matrix): number[][] {
    return nearestNeighbours(this.X, X, this.k).map((nb) => {
      const p = new Array<number>(this.nClasses).fill(0);
      for (const i of nb) p[this.y[i]!]! += 1 / this.k;
      return p;
    });
  }
  predict(X: Matrix): number[] {
    return this.predictProba(X).map(argmax);
  }
  toJSON(): Record<string, unknown> {
    return { model: 'knn', k: this.k, n_train: this.X.length };
  }
}

/** k-NN regressor: the mean target of the k neighbours. */
export class KNeighborsRegressor implements Regressor {
  private X: Matrix = [];
  private y: number[] = [];
  constructor(readonly k = 5) {}
  fit(X: Matrix, y: number[]): this {
    checkXy(X, y);
    if (this.k > X.length) throw new Error(`k-NN with ${this.k} neighbours needs at least ${this.k} training rows, got ${X.length}`);
    this.X = X.map((r) => r.slice());
    this.y = y.slice();
    return this;
  }
  predict(X: Matrix): number[] {
    return nearestNeighbours(this.X, X, this.k).map((nb) => nb.reduce((s, i) => s + this.y[i]!, 0) / this.k);
  }
  toJSON(): Record<string, unknown> {
    return { model: 'knn', k: this.k, n_train: this.X.length };
  }
}
