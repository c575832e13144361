// Workloads for `npm run bench`: a seeded synthetic table and the classical fits worth timing on it.
import { createRng } from '../util/rng.js';
import { kMeans, type KMeansResult } from '../ml/cluster.js';
import { RandomForestClassifier } from '../ml/tree.js';
import type { Matrix } from '../ml/types.js';

/** A labelled table of `n` rows: `k` Gaussian blobs in `d` dimensions (unit spread, centres 4 apart), labels = blob index. */
export function makeBlobTable(n: number, options: { d?: number; k?: number; seed?: number } = {}): { X: Matrix; y: number[] } {
  const { d = 4, k = 3, seed = 0 } = options;
  const rng = createRng(seed);
  const centres = Array.from({ length: k }, () => Array.from({ length: d }, () => (rng.next() - 0.5) * 8));
  const X: Matrix = [];
  const y: number[] = [];
  for (let i = 0; i < n; i++) {
    const c = i % k;
    X.push(centres[c]!.map((m) => m + rng.normal()));
    y.push(c);
  }
  return { X, y };
}

/** k-means as `eds run cluster` runs it (k-means++, best of `nInit`). */
export function benchKMeans(X: Matrix, k = 3, nInit = 10): KMeansResult {
  return kMeans(X, { k, nInit, seed: 0 });
}

/** A random forest as `eds run classify --model rf` fits it. Returns the training accuracy so the work cannot be skipped. */
export function benchRandomForest(X: Matrix, y: number[], nTrees = 100): number {
  const forest = new RandomForestClassifier({ trees: nTrees, seed: 0 }).fit(X, y);
  const pred = forest.predict(X.slice(0, 1000));
  return pred.filter((p, i) => p === y[i]).length / pred.length;
}
