// Issue 21, lidar: what the lessons say about their scores holds. IoU is never above F1 (IoU = F1 / (2 − F1), equal
// only at 0 and 1), on random confusion matrices; NMI is not corrected for chance and hardly penalises cutting a
// class into many clusters, so unlike ARI it cannot be compared across k. Over 30 and 20 seeds.
import { describe, expect, it } from 'vitest';
import { clusterPurity, iouPerClass } from '../../src/experiments/lidar.js';
import { adjustedRandIndex, classReport, normalizedMutualInfo } from '../../src/ml/metrics.js';
import { createRng } from '../../src/util/rng.js';

describe('IoU against F1 (lesson 3)', () => {
  it('is F1 / (2 − F1): never above F1, equal to it only at 0 and 1', () => {
    let below = 0;
    for (let seed = 1; seed <= 30; seed++) {
      const rng = createRng(seed);
      const K = 2 + (seed % 3);
      // Random counts, with some classes never predicted or never right, so 0 and 1 occur too.
      const m = Array.from({ length: K }, (_, i) => Array.from({ length: K }, (_, j) => (rng.next() < 0.25 ? 0 : rng.int(i === j ? 60 : 15))));
      const iou = iouPerClass(m);
      const f1 = classReport(m).f1;
      for (let c = 0; c < K; c++) {
        if (!Number.isFinite(iou[c]!)) continue;
        expect(iou[c]!).toBeCloseTo(f1[c]! / (2 - f1[c]!), 12);
        expect(iou[c]!).toBeLessThanOrEqual(f1[c]! + 1e-12);
        if (f1[c]! > 0 && f1[c]! < 1) {
          expect(iou[c]!).toBeLessThan(f1[c]!);
          below++;
        }
      }
    }
    expect(below).toBeGreaterThan(30);
    // The two ends: a class never found, and a class found perfectly.
    expect(
      iouPerClass([
        [0, 5],
        [5, 10],
      ])[0],
    ).toBe(0);
    expect(
      classReport([
        [0, 5],
        [5, 10],
      ]).f1[0],
    ).toBe(0);
    expect(
      iouPerClass([
        [7, 0],
        [0, 3],
      ]),
    ).toEqual([1, 1]);
    expect(
      classReport([
        [7, 0],
        [0, 3],
      ]).f1,
    ).toEqual([1, 1]);
  });
});

describe('NMI against ARI across k (lesson 4)', () => {
  const N = 200;
  const mean = (v: readonly number[]): number => v.reduce((a, b) => a + b, 0) / v.length;

  it('NMI of random clusters is above 0 and grows with k; ARI of random clusters stays at 0 (20 seeds)', () => {
    const nmi: Record<number, number[]> = { 2: [], 8: [] };
    const ari: Record<number, number[]> = { 2: [], 8: [] };
    for (let seed = 1; seed <= 20; seed++) {
      const rng = createRng(seed);
      const labels = Array.from({ length: N }, () => rng.int(2));
      // Five random clusterings per k and seed: the chance level is small, and one draw is noisy.
      for (let draw = 0; draw < 5; draw++) {
        for (const k of [2, 8]) {
          const clusters = Array.from({ length: N }, () => rng.int(k));
          nmi[k]!.push(normalizedMutualInfo(labels, clusters));
          ari[k]!.push(adjustedRandIndex(labels, clusters));
        }
      }
    }
    // scikit-learn on the same design (numpy's generator, 20 draws each) gives mean NMI 0.0024 and 0.0160 and
    // mean ARI −0.0014 and 0.0014 for k = 2 and 8.
    expect(nmi[2]!.every((v) => v >= 0)).toBe(true);
    expect(mean(nmi[2]!)).toBeGreaterThan(0);
    expect(mean(nmi[8]!)).toBeGreaterThan(2 * mean(nmi[2]!));
    expect(mean(nmi[8]!)).toBeGreaterThan(0.01);
    for (const k of [2, 8]) expect(Math.abs(mean(ari[k]!))).toBeLessThan(0.005);
  });

  it('cutting each class into k clusters: ARI falls much faster than NMI as k grows (20 seeds)', () => {
    for (let seed = 1; seed <= 20; seed++) {
      const rng = createRng(100 + seed);
      const labels = Array.from({ length: N }, () => rng.int(2));
      const cut = (k: number) => labels.map((c) => c * k + rng.int(k));
      const [n2, n8] = [normalizedMutualInfo(labels, cut(2)), normalizedMutualInfo(labels, cut(8))];
      const [a2, a8] = [adjustedRandIndex(labels, cut(2)), adjustedRandIndex(labels, cut(8))];
      // Every cluster is pure, yet ARI loses most of its value while NMI keeps well over half.
      expect(a8 / a2, `seed ${seed}`).toBeLessThan(0.4);
      expect(n8 / n2, `seed ${seed}`).toBeGreaterThan(0.5);
    }
  });
});

describe("purity and the minority class's cluster (lesson 4)", () => {
  it('counts each cluster as its main class, noise as one group, and finds the cluster holding most of the smallest class', () => {
    // 8 floor, 2 vegetation; cluster 1 holds both vegetation points and one floor point.
    const y = [0, 0, 0, 0, 0, 0, 0, 0, 1, 1];
    const c = [0, 0, 0, 0, 0, 0, 0, 1, 1, 1];
    expect(clusterPurity(y, c, ['floor', 'vegetation'])).toEqual({
      purity: 0.9,
      minority_class: 'vegetation',
      minority_cluster: 1,
      minority_cluster_recall: 1,
      minority_cluster_precision: 0.666666666667,
    });
    // DBSCAN noise (-1) is a group of its own.
    expect(clusterPurity(y, [-1, -1, 0, 0, 0, 0, 0, 0, -1, -1], ['floor', 'vegetation'])).toMatchObject({ purity: 0.8, minority_cluster: -1 });
  });

  it('never falls below the majority class share, whatever the clusters (random labels and clusters, 20 seeds)', () => {
    for (let seed = 1; seed <= 20; seed++) {
      const rng = createRng(seed);
      const n = 200;
      const y = Array.from({ length: n }, () => (rng.next() < 0.1 ? 1 : 0));
      const c = Array.from({ length: n }, () => rng.int(1 + (seed % 5)));
      const majority = Math.max(y.filter((v) => v === 0).length, y.filter((v) => v === 1).length) / n;
      expect(clusterPurity(y, c, ['floor', 'vegetation']).purity).toBeGreaterThanOrEqual(majority - 1e-12);
    }
  });
});
