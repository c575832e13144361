// lidar-cluster's scan over k and its own run agree at the student's k: the summary's silhouette and inertia are the
// scan's for that k (a tester saw silhouette 0.3909 beside best_silhouette 0.3905 at best_k 2: the scan had re-run
// k-means with fewer starts).
import { describe, expect, it } from 'vitest';
import { runTask } from '../../src/experiments/registry.js';

describe('lidar-cluster with k-means', () => {
  it.each([
    [2, 19121],
    [3, 1],
  ])(
    'k = %i, seed %i: one silhouette and one inertia for the k that was run',
    async (k, seed) => {
      const json = (await runTask('lidar-cluster', { scene: 'real-dunes', model: 'kmeans', k: String(k), cores: '1000', 'max-k': '4' }, seed)).json;
      const byK = json.silhouette_by_k as Record<string, number>;
      const elbow = json.elbow as Record<string, number>;
      expect(byK[String(k)]).toBe(json.silhouette);
      expect(elbow[String(k)]).toBe(json.inertia);
      if (json.best_k_silhouette === k) expect(json.best_silhouette).toBe(json.silhouette);
    },
    60_000,
  );
});
