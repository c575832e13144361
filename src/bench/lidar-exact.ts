// `npm run bench`: exact multiscale lidar features (tolerance 0, the default) against SciPy's cKDTree.query_ball_point
// and NumPy's eigvalsh on the same cores of the same 10⁶-point scan, both on one thread, in the same run.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { multiscaleFeatures, selectCorePoints } from '../lidar/features.js';
import { buildKdTree } from '../lidar/neighbours.js';
import { generateLidarScene } from '../lidar/scene.js';
import { runReference } from './python.js';
import type { BenchRow } from './row.js';

const POINTS = 1_000_000;
const CORES = 100_000;
const RADII = [0.1, 0.5, 1];
/** SciPy lists every neighbour (≈ 77,000 per 1 m sphere here, about 26 ms a core): it runs on every 100th core. */
const SCIPY_EVERY = 100;

interface ScipyTiming {
  scipy_version: string;
  build_seconds: number;
  seconds: number;
  cores: number;
}

function fmt(s: number): string {
  return s >= 10 ? s.toFixed(1) : s.toFixed(2);
}

/** Exact against SciPy on the same subset of cores; the full 10⁵ cores exact against the approximate tolerance 0.1. */
export async function lidarExactRows(): Promise<BenchRow[]> {
  const scene = generateLidarScene({ scene: 'dunes', seed: 1, nPoints: POINTS });
  const cloud = { x: scene.x, y: scene.y, z: scene.z };
  let t0 = performance.now();
  const index = buildKdTree(cloud);
  const buildSeconds = (performance.now() - t0) / 1000;
  const cores = selectCorePoints(POINTS, CORES, 1);
  const subset = cores.filter((_, i) => i % SCIPY_EVERY === 0);

  t0 = performance.now();
  const edsSubset = multiscaleFeatures(cloud, { radii: RADII, cores: subset, index });
  const edsSubsetSeconds = (performance.now() - t0) / 1000;

  const dir = mkdtempSync(join(tmpdir(), 'eds-bench-lidar-'));
  let scipy: ReturnType<typeof runReference<ScipyTiming>>;
  let agreement = '';
  try {
    const xyz = new Float64Array(3 * POINTS);
    for (let i = 0; i < POINTS; i++) {
      xyz[3 * i] = scene.x[i]!;
      xyz[3 * i + 1] = scene.y[i]!;
      xyz[3 * i + 2] = scene.z[i]!;
    }
    writeFileSync(join(dir, 'xyz.f8'), xyz);
    writeFileSync(join(dir, 'cores.u4'), subset);
    writeFileSync(join(dir, 'radii.f8'), Float64Array.from(RADII));
    scipy = runReference<ScipyTiming>('test/fixtures/scipy/make_lidar_features.py', ['--time', dir, '1'], 'scipy');
    if (scipy.ok) {
      // Same layout both sides: per core, per radius l1 l2 l3 a1d a2d a3d n.
      const theirs = new Float64Array(readFileSync(join(dir, 'features.f8')).buffer.slice(0));
      let worst = 0,
        countsDiffer = 0;
      for (let i = 0; i < theirs.length; i++) {
        const a = edsSubset.values[i]!,
          b = theirs[i]!;
        if (Number.isNaN(a) || Number.isNaN(b)) {
          if (Number.isNaN(a) !== Number.isNaN(b)) countsDiffer++;
        } else if (i % 7 === 6) countsDiffer += a === b ? 0 : 1;
        else worst = Math.max(worst, Math.abs(a - b));
      }
      agreement = `, largest feature difference ${worst.toExponential(1)}, ${countsDiffer} counts differ`;
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }

  t0 = performance.now();
  multiscaleFeatures(cloud, { radii: RADII, cores, index });
  const exactSeconds = (performance.now() - t0) / 1000;
  t0 = performance.now();
  multiscaleFeatures(cloud, { radii: RADII, cores, index, tolerance: 0.1 });
  const approxSeconds = (performance.now() - t0) / 1000;

  const scene10 = `${RADII.join('/')} m, ${POINTS.toLocaleString('en-US')}-point dunes`;
  const subsetRow: BenchRow = {
    workload: `lidar features exact, ${subset.length.toLocaleString('en-US')} cores × ${RADII.length} radii (every ${SCIPY_EVERY}th of the 10⁵), ${scene10}`,
    eds: edsSubsetSeconds,
    reference: scipy.ok ? scipy.value.seconds : null,
    referenceName: scipy.ok ? `SciPy ${scipy.value.scipy_version} cKDTree.query_ball_point + eigvalsh, 1 worker` : scipy.why,
    unit: 's',
    ratio: scipy.ok ? edsSubsetSeconds / scipy.value.seconds : null,
    goal: '≤ 2× SciPy',
    met: scipy.ok ? edsSubsetSeconds / scipy.value.seconds <= 2 : null,
    how: `k-d tree moments, tolerance 0, 1 thread, tree built once before (eds ${fmt(buildSeconds)} s, SciPy ${scipy.ok ? fmt(scipy.value.build_seconds) : '?'} s)${agreement}`,
  };
  const fullRow: BenchRow = {
    workload: `lidar features exact, ${CORES.toLocaleString('en-US')} cores × ${RADII.length} radii, ${scene10}`,
    eds: exactSeconds,
    reference: approxSeconds,
    referenceName: 'eds with tolerance 0.1 (the former default)',
    unit: 's',
    ratio: exactSeconds / approxSeconds,
    goal: 'exact is the default',
    met: null,
    how: `k-d tree moments, 1 thread, tree built once before (${fmt(buildSeconds)} s)`,
  };
  return [subsetRow, fullRow];
}
