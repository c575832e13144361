// Issue 16, lidar: what lessons 3 and 4 and the card datasets/lidar-real/README.md say about the real dune scan,
// checked with the lessons' settings on 20 seeds (only the core points change with the seed): 5 cm separates best
// and 25 cm worst; the forest on four radii nears 1 with the random split; the SVM on 0.5 m alone stays low and the
// forest beats it there on every seed; the spatial split lowers the four-radii forest on most seeds, by about 0.12,
// and hardly moves 0.05 m alone; k-means at k = 2 puts the whole tuft in one cluster that is mostly the patch's
// edges, and at k = 3 the edges get a cluster of their own. A few generated seeds check the comparisons the lessons
// draw with the generated dune.
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { runTask } from '../../src/experiments/registry.js';
import { prepareLidarTable } from '../../src/lidar/table.js';
import { StandardScaler } from '../../src/ml/preprocess.js';
import { createClusterer } from '../../src/ml/catalogue.js';
import { boundingBox } from '../../src/data/point-cloud.js';

const SEEDS = Array.from({ length: 20 }, (_, i) => i + 1);
const ALL = '0.05,0.1,0.25,0.5';
const ba = async (options: Record<string, string>, seed: number): Promise<number> =>
  (await runTask('lidar-classify', { scene: 'real-dunes', map: '0', ...options }, seed)).json.balanced_accuracy as number;

/** Per seed, what the aggregate claims are checked on after the loop. */
const drops: number[] = [];
const forestLead: number[] = [];
const spatialLead: number[] = [];
const fine: { random: number; spatial: number }[] = [];

/** Share of the given core rows within `d` m of the patch's bounding box, horizontally. */
function nearEdge(rows: number[], at: (r: number) => [number, number], box: ReturnType<typeof boundingBox>, d = 0.1): number {
  const near = rows.filter((r) => {
    const [x, y] = at(r);
    return Math.min(x - box.min[0], box.max[0] - x, y - box.min[1], box.max[1] - y) < d;
  }).length;
  return near / Math.max(1, rows.length);
}

describe('the real dune scan in lessons 3 and 4, on 20 seeds', () => {
  beforeEach(() => new Promise<void>((resolve) => setImmediate(resolve)));

  it.each(SEEDS)(
    'seed %i',
    async (seed) => {
      const f = (await runTask('lidar-features', { scene: 'real-dunes', scales: ALL, cores: '2000' }, seed)).json;
      expect(f.best_scale_m).toBe(0.05);
      expect(f.worst_scale_m).toBe(0.25);
      expect(f.n_sparse).toBe(0);
      // "About 340 neighbours within 5 cm."
      expect(f.mean_neighbours as number).toBeGreaterThan(320);
      expect(f.mean_neighbours as number).toBeLessThan(360);

      const rfAll = await ba({ model: 'rf', scales: ALL }, seed);
      expect(rfAll).toBeGreaterThan(0.95);
      const svmCoarse = await ba({ model: 'svm', scales: '0.5' }, seed);
      expect(svmCoarse).toBeLessThan(0.8);
      const rfCoarse = await ba({ model: 'rf', scales: '0.5' }, seed);
      // "The forest on 0.5 m alone beats the SVM on every seed, by 0.09 to 0.27."
      expect(rfCoarse - svmCoarse).toBeGreaterThan(0.085);
      forestLead.push(rfCoarse - svmCoarse);
      const spatialCoarse = { model: 'rf', scales: '0.5', split: 'spatial' };
      spatialLead.push((await ba(spatialCoarse, seed)) - (await ba({ ...spatialCoarse, model: 'svm' }, seed)));
      const rfAllSpatial = await ba({ model: 'rf', scales: ALL, split: 'spatial' }, seed);
      drops.push(rfAll - rfAllSpatial);
      fine.push({ random: await ba({ model: 'rf', scales: '0.05' }, seed), spatial: await ba({ model: 'rf', scales: '0.05', split: 'spatial' }, seed) });

      for (const k of [2, 3]) {
        const c = (await runTask('lidar-cluster', { scene: 'real-dunes', model: 'kmeans', k: String(k), cores: '1000', 'max-k': '2' }, seed)).json;
        expect(c.minority_class).toBe('vegetation');
        expect(c.minority_cluster_recall as number).toBeGreaterThan(0.95);
        if (k === 2) {
          expect(c.ari as number).toBeLessThan(0.5);
          expect(c.minority_cluster_precision as number).toBeLessThan(0.5);
          expect(c.purity as number).toBeGreaterThan(0.87);
          expect(c.purity as number).toBeLessThan(0.92);
        } else expect(c.minority_cluster_precision as number).toBeGreaterThan(0.8);
      }
    },
    60_000,
  );

  afterAll(() => {
    const mean = (v: number[]) => v.reduce((a, b) => a + b, 0) / v.length;
    const median = (v: number[]) => [...v].sort((a, b) => a - b)[Math.floor(v.length / 2)]!;
    // "Lower on 16 of 20 seeds, by 0.12 on average."
    expect(drops.filter((d) => d > 0).length).toBe(16);
    expect(mean(drops)).toBeGreaterThan(0.09);
    expect(mean(drops)).toBeLessThan(0.15);
    // "(median 0.19); with the spatial split below, more than half of that lead went on 15 of the 20 (median 0.04),
    // though on a few seeds it stayed."
    expect(median(forestLead)).toBeGreaterThan(0.18);
    expect(median(forestLead)).toBeLessThan(0.195);
    expect(median(spatialLead)).toBeGreaterThan(0.035);
    expect(median(spatialLead)).toBeLessThan(0.05);
    expect(spatialLead.filter((d, i) => d < forestLead[i]! / 2).length).toBe(15);
    expect(spatialLead.filter((d, i) => d > 0.75 * forestLead[i]!).length).toBeGreaterThanOrEqual(3);
    expect(Math.max(...forestLead)).toBeGreaterThan(0.265);
    expect(Math.max(...forestLead)).toBeLessThan(0.275);
    // "0.05 m alone hardly moves (median 0.98 random, 0.97 spatial)."
    expect(median(fine.map((f) => f.random))).toBeGreaterThan(0.97);
    expect(median(fine.map((f) => f.spatial))).toBeGreaterThan(0.96);
  });
});

describe('where k-means puts the floor of the tuft’s cluster (lesson 4), on 20 seeds', () => {
  beforeEach(() => new Promise<void>((resolve) => setImmediate(resolve)));

  it.each(SEEDS)('seed %i: along the edges of the patch, and at k = 3 in a cluster of their own', async (seed) => {
    const p = await prepareLidarTable({ source: { kind: 'real', scan: 'real-dunes' }, scales: [0.05, 0.1, 0.25, 0.5], cores: 1000 }, seed);
    const X = new StandardScaler().fitTransform(p.X);
    const { cloud } = p.loaded;
    const box = boundingBox(cloud);
    const at = (i: number): [number, number] => {
      const c = p.table.core[p.rows[i]!]!;
      return [cloud.x[c]!, cloud.y[c]!];
    };
    const y = p.y!;
    const idx = y.map((_, i) => i);
    const k2 = createClusterer('kmeans', { k: 2, nInit: 10 }, seed).fitPredict(X).labels;
    const tuft = [0, 1].reduce(
      (best, c) => (idx.filter((i) => y[i] === 1 && k2[i] === c).length > idx.filter((i) => y[i] === 1 && k2[i] === best).length ? c : best),
      0,
    );
    const mixed = idx.filter((i) => y[i] === 0 && k2[i] === tuft);
    const rest = idx.filter((i) => y[i] === 0 && k2[i] !== tuft);
    // "63 to 76 % of them within 10 cm of the patch's edge, against 14 to 18 % of the other floor points."
    expect(nearEdge(mixed, at, box)).toBeGreaterThan(0.6);
    expect(nearEdge(rest, at, box)).toBeLessThan(0.2);

    const k3 = createClusterer('kmeans', { k: 3, nInit: 10 }, seed).fitPredict(X).labels;
    const members = (c: number) => idx.filter((i) => k3[i] === c);
    const vegOf = (c: number) => members(c).filter((i) => y[i] === 1).length;
    const tuft3 = [0, 1, 2].reduce((best, c) => (vegOf(c) > vegOf(best) ? c : best), 0);
    const others = [0, 1, 2].filter((c) => c !== tuft3).sort((a, b) => members(a).length - members(b).length);
    const edge = others[0]!; // the smaller of the two sand clusters
    expect(vegOf(edge)).toBeLessThanOrEqual(2);
    expect(nearEdge(members(edge), at, box)).toBeGreaterThan(0.65);
    expect(nearEdge(members(others[1]!), at, box)).toBeLessThan(0.2);
  });
});

describe('the comparisons with the generated dune (lessons 3 and 4), on 5 seeds', () => {
  beforeEach(() => new Promise<void>((resolve) => setImmediate(resolve)));
  const generatedDrops: number[] = [];

  it.each([1, 2, 3, 4, 5])(
    'seed %i',
    async (seed) => {
      const gen = async (o: Record<string, string>) =>
        (await runTask('lidar-classify', { scene: 'dunes', map: '0', ...o }, seed)).json.balanced_accuracy as number;
      const random = await gen({ model: 'rf', scales: ALL });
      // "The generated scan gave about 0.9."
      expect(random).toBeGreaterThan(0.85);
      expect(random).toBeLessThan(0.98);
      generatedDrops.push(random - (await gen({ model: 'rf', scales: ALL, split: 'spatial' })));
      const c = (await runTask('lidar-cluster', { scene: 'dunes', model: 'kmeans', k: '3', cores: '1000', 'max-k': '2' }, seed)).json;
      // "k = 3 spreads the vegetation over several clusters (the one holding most of it holds 51 to 87 %)."
      expect(c.minority_cluster_recall as number).toBeLessThan(0.9);
    },
    60_000,
  );

  afterAll(() => {
    // "On the generated dune it lost 0.03": far less than the real scan's 0.12.
    expect(generatedDrops.reduce((a, b) => a + b, 0) / generatedDrops.length).toBeLessThan(0.07);
  });
});
