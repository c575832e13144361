// Timings of the multiscale features for `npm run bench`: a dense 10⁶-point scan, the exact path, and the ratio against brute force.

import { generateLidarScene } from '../lidar/scene.js';
import { multiscaleFeatures } from '../lidar/features.js';
import { bruteForceSearch, buildKdTree } from '../lidar/neighbours.js';

/** What {@link benchMultiscale} measured. */
export interface MultiscaleBench {
  /** Points in the big scene. */
  points: number;
  /** Core points in the big run. */
  cores: number;
  /** Radii, metres. */
  radii: number[];
  /** Building the k-d tree over the big scene, seconds. */
  buildSeconds: number;
  /** Features with tolerance 0.1 (the former default), seconds (tree already built). */
  seconds: number;
  /** Features with tolerance 0 (exact), seconds; NaN when not run. */
  exactSeconds: number;
  /** Largest |tolerance 0.1 − exact| over the feature columns (n excluded), dimensionless; NaN when not run. */
  maxDeviation: number;
  /** Largest relative difference in the neighbour count n between tolerance 0.1 and exact; NaN when not run. */
  maxCountDeviation: number;
  /** Points and cores of the small cloud used for the brute-force ratio. */
  smallPoints: number;
  smallCores: number;
  /** Features on the small cloud through the k-d tree (default tolerance, build included), seconds. */
  smallTreeSeconds: number;
  /** The same features through brute-force neighbour lists, seconds. */
  smallBruteSeconds: number;
}

/** Times the features on the dune scene (10⁶ points, 10⁵ cores at 0.1/0.5/1 m by default), optionally also exactly. */
export function benchMultiscale(options: { points?: number; cores?: number; exact?: boolean } = {}): MultiscaleBench {
  const points = options.points ?? 1_000_000;
  const cores = options.cores ?? 100_000;
  const radii = [0.1, 0.5, 1];
  const scene = generateLidarScene({ scene: 'dunes', seed: 1, nPoints: points });
  const cloud = { x: scene.x, y: scene.y, z: scene.z };
  let t0 = performance.now();
  const index = buildKdTree(cloud);
  const buildSeconds = (performance.now() - t0) / 1000;
  t0 = performance.now();
  const fast = multiscaleFeatures(cloud, { radii, nCores: cores, seed: 1, index, tolerance: 0.1 });
  const seconds = (performance.now() - t0) / 1000;
  let exactSeconds = NaN,
    maxDeviation = NaN,
    maxCountDeviation = NaN;
  if (options.exact) {
    t0 = performance.now();
    const exact = multiscaleFeatures(cloud, { radii, nCores: cores, seed: 1, index, tolerance: 0 });
    exactSeconds = (performance.now() - t0) / 1000;
    maxDeviation = 0;
    maxCountDeviation = 0;
    const w = exact.columns.length;
    for (let i = 0; i < exact.values.length; i++) {
      const a = exact.values[i]!,
        b = fast.values[i]!;
      if (Number.isNaN(a) || Number.isNaN(b)) continue;
      if ((i % w) % 7 === 6) maxCountDeviation = Math.max(maxCountDeviation, Math.abs(b - a) / a);
      else maxDeviation = Math.max(maxDeviation, Math.abs(b - a));
    }
  }

  // Brute force is O(n) per core: a smaller cloud and fewer cores keep it to a second or two.
  const smallPoints = 200_000,
    smallCores = 1_000;
  const small = generateLidarScene({ scene: 'dunes', seed: 1, nPoints: smallPoints });
  const smallCloud = { x: small.x, y: small.y, z: small.z };
  t0 = performance.now();
  multiscaleFeatures(smallCloud, { radii, nCores: smallCores, seed: 1 });
  const smallTreeSeconds = (performance.now() - t0) / 1000;
  t0 = performance.now();
  multiscaleFeatures(smallCloud, { radii, nCores: smallCores, seed: 1, index: bruteForceSearch(smallCloud) });
  const smallBruteSeconds = (performance.now() - t0) / 1000;

  return {
    points,
    cores,
    radii,
    buildSeconds,
    seconds,
    exactSeconds,
    maxDeviation,
    maxCountDeviation,
    smallPoints,
    smallCores,
    smallTreeSeconds,
    smallBruteSeconds,
  };
}
