// Clustering against scikit-learn: k-means inertia (best of 10 starts), DBSCAN and Ward labels (exact, up to renaming).
import { describe, expect, it } from 'vitest';
import { agglomerativeWard, dbscan, kMeans } from '../../src/ml/cluster.js';
import { adjustedRandIndex, inertia } from '../../src/ml/metrics.js';
import { StandardScaler } from '../../src/ml/preprocess.js';
import { REF, expectClose, loadXy } from './helpers.js';

describe('k-means', () => {
  it('iris, k = 3, best of 10 k-means++ starts: inertia within 0.5 % of scikit-learn', () => {
    const { X } = loadXy('iris');
    const res = kMeans(X, { k: 3, nInit: 10, seed: 0 });
    expect(Math.abs(res.inertia / REF.kmeans.iris_k3_inertia - 1)).toBeLessThan(0.005);
    expect(new Set(res.labels).size).toBe(3);
    // The reported inertia is the one of the reported labels.
    expectClose(inertia(X, res.labels), res.inertia, 1e-9);
  });

  it('standardised wine, k = 3, best of 10 starts: inertia within 0.5 % of scikit-learn', () => {
    const X = new StandardScaler().fitTransform(loadXy('wine').X);
    const res = kMeans(X, { k: 3, nInit: 10, seed: 1 });
    expect(Math.abs(res.inertia / REF.kmeans.wine_std_k3_inertia - 1)).toBeLessThan(0.005);
  });

  it('same seed, same clustering; more starts never increase the inertia found from the same seeds', () => {
    const { X } = loadXy('iris');
    expect(kMeans(X, { k: 4, nInit: 3, seed: 7 })).toEqual(kMeans(X, { k: 4, nInit: 3, seed: 7 }));
    expect(kMeans(X, { k: 4, nInit: 6, seed: 7 }).inertia).toBeLessThanOrEqual(kMeans(X, { k: 4, nInit: 3, seed: 7 }).inertia);
    expect(() => kMeans([[1], [2]], { k: 3 })).toThrow('k = 3 clusters needs at least 3 rows, got 2');
  });
});

describe('DBSCAN', () => {
  it('three blobs and three far points: labels identical to scikit-learn (eps 0.8, min_samples 5), noise = -1', () => {
    const { X, labels } = REF.dbscan_blobs;
    const ours = dbscan(X, { eps: 0.8, minSamples: 5 });
    expect(ours).toEqual(labels);
    expect(ours.slice(-3)).toEqual([-1, -1, -1]);
  });
});

describe('agglomerative clustering (Ward)', () => {
  it('standardised iris cut at 3 clusters: the same partition as scikit-learn (ARI = 1)', () => {
    const X = new StandardScaler().fitTransform(loadXy('iris').X);
    const ours = agglomerativeWard(X, 3);
    expect(adjustedRandIndex(ours, REF.agglomerative_ward_iris_std_k3)).toBeCloseTo(1, 12);
  });

  it('merges the two obvious pairs first', () => {
    expect(agglomerativeWard([[0], [0.1], [5], [5.2], [20]], 3)).toEqual([0, 0, 1, 1, 2]);
  });
});
