// The k-d tree against brute-force neighbour lists on the same multiscale features, for `npm run bench`. The exact
// features on the 10⁶-point scan against SciPy, and against the former tolerance, are lidar-exact.ts's rows.

import { generateLidarScene } from '../lidar/scene.js';
import { multiscaleFeatures } from '../lidar/features.js';
import { bruteForceSearch } from '../lidar/neighbours.js';

/** What {@link benchTreeAgainstBrute} measured. */
export interface TreeAgainstBrute {
  points: number;
  cores: number;
  radii: number[];
  /** Features through the k-d tree (the default, exact; build included), seconds. */
  treeSeconds: number;
  /** The same features through brute-force neighbour lists, seconds. */
  bruteSeconds: number;
  /** Whether both gave the same values, NaN for NaN. */
  same: boolean;
}

/** Times the features of 1,000 cores at 0.1/0.5/1 m in a 200,000-point dune (brute force is O(n) per core). */
export function benchTreeAgainstBrute(points = 200_000, cores = 1_000): TreeAgainstBrute {
  const radii = [0.1, 0.5, 1];
  const scene = generateLidarScene({ scene: 'dunes', seed: 1, nPoints: points });
  const cloud = { x: scene.x, y: scene.y, z: scene.z };
  let t0 = performance.now();
  const tree = multiscaleFeatures(cloud, { radii, nCores: cores, seed: 1 });
  const treeSeconds = (performance.now() - t0) / 1000;
  t0 = performance.now();
  const brute = multiscaleFeatures(cloud, { radii, nCores: cores, seed: 1, index: bruteForceSearch(cloud) });
  const bruteSeconds = (performance.now() - t0) / 1000;
  // Sums taken in another order differ in the last bits: "same" is to 1e-9.
  const same = tree.values.every((v, i) =>
    Number.isNaN(v) ? Number.isNaN(brute.values[i]!) : Math.abs(v - brute.values[i]!) <= 1e-9 * Math.max(1, Math.abs(v)),
  );
  return { points, cores, radii, treeSeconds, bruteSeconds, same };
}
