// Workloads for `npm run bench`: a seeded synthetic table and the classical fits worth timing on it.
import { createRng } from '../util/rng.js';
import { kMeans, type KMeansResult } from '../ml/cluster.js';
import { RandomForestClassifier } from '../ml/tree.js';
import type { Matrix } from '../ml/types.js';
import { benchTreeAgainstBrute } from './lidar-features.js';
import type { BenchRow } from './row.js';
import type { BenchOptions } from './workload.js';

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

/** Rows for `npm run bench`: k-means and a random forest on 100,000 rows, lidar radius search and multiscale features. */
export async function classicalRows(options: BenchOptions): Promise<BenchRow[]> {
  const rows: BenchRow[] = [];
  const none = { reference: null, referenceName: 'none in this workload', ratio: null, goal: '', met: null } as const;
  // A table the size of a season of 5-minute river probe readings.
  options.progress('classical: k-means and a random forest on 100,000 × 8');
  const { X, y } = makeBlobTable(100_000, { d: 8, k: 5, seed: 1 });
  let t0 = performance.now();
  const km = benchKMeans(X, 5, 1);
  rows.push({
    workload: 'k-means, 100,000 × 8, k = 5, 1 start',
    eds: (performance.now() - t0) / 1000,
    unit: 's',
    ...none,
    how: `one run (inertia ${km.inertia.toExponential(3)})`,
  });
  t0 = performance.now();
  benchRandomForest(X, y, 10);
  rows.push({ workload: 'random forest, 100,000 × 8, 10 trees (fit)', eds: (performance.now() - t0) / 1000, unit: 's', ...none, how: 'one run' });

  // Lidar neighbourhoods: the k-d tree against a brute-force search on the same queries.
  options.progress('lidar: radius search and multiscale features');
  const { generateLidarScene } = await import('../lidar/scene.js');
  const { buildKdTree, bruteForceSearch, NeighbourBuffer } = await import('../lidar/neighbours.js');
  const scene = generateLidarScene({ scene: 'dunes', seed: 1, nPoints: 50_000 });
  const cloud = { x: scene.x, y: scene.y, z: scene.z };
  const queries = 2_000;
  const time = (search: { radius(qx: number, qy: number, qz: number, r: number, buf: InstanceType<typeof NeighbourBuffer>): number }) => {
    const buf = new NeighbourBuffer();
    const start = performance.now();
    let found = 0;
    for (let q = 0; q < queries; q++) {
      const i = (q * 7919) % scene.x.length;
      found += search.radius(scene.x[i]!, scene.y[i]!, scene.z[i]!, 0.5, buf);
    }
    return { seconds: (performance.now() - start) / 1000, found };
  };
  const tree = time(buildKdTree(cloud));
  const brute = time(bruteForceSearch(cloud));
  rows.push({
    workload: 'lidar radius search, 2,000 queries of 0.5 m in 50,000 points',
    eds: tree.seconds,
    reference: brute.seconds,
    referenceName: 'brute-force search over the same queries',
    unit: 's',
    ratio: tree.seconds / brute.seconds,
    goal: '',
    met: null,
    how: `k-d tree, one run${tree.found === brute.found ? '' : ' (NEIGHBOUR COUNTS DIFFER from brute force)'}`,
  });

  // Multiscale features through the tree and through brute force, the same values.
  const tb = benchTreeAgainstBrute();
  rows.push({
    workload: `lidar features, ${tb.cores.toLocaleString('en-US')} cores at ${tb.radii.join('/')} m in ${tb.points.toLocaleString('en-US')} points`,
    eds: tb.treeSeconds,
    reference: tb.bruteSeconds,
    referenceName: 'brute-force neighbour lists, same features',
    unit: 's',
    ratio: tb.treeSeconds / tb.bruteSeconds,
    goal: '',
    met: null,
    how: `k-d tree, exact (the default), build included, one run${tb.same ? '' : ' (FEATURES DIFFER from brute force)'}`,
  });
  return rows;
}
