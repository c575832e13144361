// The exact multiscale features (tolerance 0, the default) against SciPy's cKDTree.query_ball_point and NumPy's
// eigvalsh on a georeferenced cloud (test/fixtures/scipy/lidar_features.json, made by make_lidar_features.py beside it).
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { FEATURES_PER_SCALE, multiscaleFeatures } from '../../src/lidar/features.js';
import { buildGridHash } from '../../src/lidar/neighbours.js';

const ROOT = path.resolve(import.meta.dirname, '../..');
const fixture = JSON.parse(readFileSync(path.join(ROOT, 'test/fixtures/scipy/lidar_features.json'), 'utf8')) as {
  radii: number[];
  x: number[];
  y: number[];
  z: number[];
  cores: number[];
  features: (number | null)[][];
};
const cloud = { x: Float64Array.from(fixture.x), y: Float64Array.from(fixture.y), z: Float64Array.from(fixture.z) };
const cores = Uint32Array.from(fixture.cores);
const width = FEATURES_PER_SCALE.length * fixture.radii.length;

/** Largest |eds − SciPy| over the shape columns, after checking counts and NaNs agree exactly. */
function largestDifference(values: Float64Array): number {
  let worst = 0;
  fixture.features.forEach((row, i) => {
    row.forEach((want, j) => {
      const got = values[i * width + j]!;
      if (want === null) {
        expect(got, `core ${i} column ${j}`).toBeNaN();
        return;
      }
      if (j % FEATURES_PER_SCALE.length === FEATURES_PER_SCALE.length - 1) expect(got, `count of core ${i} column ${j}`).toBe(want);
      else worst = Math.max(worst, Math.abs(got - want));
    });
  });
  return worst;
}

describe('exact multiscale features against SciPy', () => {
  it('has cores of every kind: sparse (NaN) at the small radius, over a thousand neighbours at the large one', () => {
    const counts = fixture.features.map((row) => row.filter((_, j) => j % 7 === 6) as number[]);
    expect(counts.some((c) => c[0]! < 4)).toBe(true);
    expect(Math.max(...counts.map((c) => c[2]!))).toBeGreaterThan(1000);
  });

  it('the k-d tree with the default tolerance gives SciPy’s counts exactly and its features within 1e-10', () => {
    const t = multiscaleFeatures(cloud, { radii: fixture.radii, cores });
    expect(largestDifference(t.values)).toBeLessThan(1e-10);
  });

  it('so does a neighbour-list index (the grid), and tolerance 0 given explicitly', () => {
    expect(largestDifference(multiscaleFeatures(cloud, { radii: fixture.radii, cores, tolerance: 0 }).values)).toBeLessThan(1e-10);
    expect(largestDifference(multiscaleFeatures(cloud, { radii: fixture.radii, cores, index: buildGridHash(cloud, 0.5) }).values)).toBeLessThan(1e-10);
  });
});
