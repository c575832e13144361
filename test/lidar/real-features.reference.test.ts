// The multiscale features of the real lidar scans against SciPy/NumPy (test/fixtures/lidar/make_reference.py:
// cKDTree neighbours, eigvalsh of the covariance), on a fixed subset of core points of each scan, exact and with the
// tolerance the lessons run with.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { FEATURES_PER_SCALE, multiscaleFeatures } from '../../src/lidar/features.js';
import { loadRealScan, REAL_SCAN_SCALES, type RealLidarScan } from '../../src/lidar/real.js';
import { ROOT } from '../ml/helpers.js';

interface RefScan {
  radii: number[];
  cores: number[];
  points: number;
  /** Per core, per radius: l1, l2, l3, a1d, a2d, a3d (null below 4 points), n. */
  values: (number | null)[][][];
}
const REF = JSON.parse(readFileSync(path.join(ROOT, 'test/fixtures/lidar/real-features.json'), 'utf8')) as { scans: Record<RealLidarScan, RefScan> };

/** The largest |eds − reference| over the fixture's cores, per feature name, and whether the NaNs sit in the same places. */
async function compare(scan: RealLidarScan, tolerance: number): Promise<{ maxDiff: number; diffs: number[]; nanAgree: boolean; countsAgree: boolean }> {
  const ref = REF.scans[scan];
  const cloud = await loadRealScan(scan);
  expect(cloud.x.length).toBe(ref.points);
  const table = multiscaleFeatures(cloud, { radii: ref.radii, cores: Uint32Array.from(ref.cores), tolerance });
  const w = table.columns.length;
  const F = FEATURES_PER_SCALE.length;
  const diffs: number[] = [];
  let nanAgree = true;
  let countsAgree = true;
  ref.values.forEach((perRadius, row) => {
    perRadius.forEach((vals, s) => {
      const got = Array.from(table.values.subarray(row * w + s * F, row * w + (s + 1) * F));
      if (got[F - 1] !== vals[F - 1]) countsAgree = false;
      for (let j = 0; j < F - 1; j++) {
        const want = vals[j];
        if (want === null || want === undefined) nanAgree &&= Number.isNaN(got[j]!);
        else diffs.push(Math.abs(got[j]! - want));
      }
    });
  });
  return { maxDiff: Math.max(...diffs), diffs, nanAgree, countsAgree };
}

describe('features of the real scans against SciPy and NumPy', () => {
  it('uses the radii the datasets use', () => {
    for (const scan of ['real-dunes', 'real-ski-tree'] as const) expect(REF.scans[scan].radii).toEqual([...REAL_SCAN_SCALES[scan]]);
  });

  it.each(['real-dunes', 'real-ski-tree'] as const)('%s, exact (tolerance 0): every feature within 1e-9, the same counts and sparse cores', async (scan) => {
    const r = await compare(scan, 0);
    expect(r.countsAgree).toBe(true);
    expect(r.nanAgree).toBe(true);
    expect(r.maxDiff).toBeLessThan(1e-9);
  });

  it.each(['real-dunes', 'real-ski-tree'] as const)('%s, with the default tolerance the lessons use: features within a few hundredths', async (scan) => {
    const r = await compare(scan, 0.1);
    const sorted = [...r.diffs].sort((a, b) => a - b);
    // features.ts DEFAULT_TOLERANCE: median 0.002, 99.9th percentile 0.02 on the generated dune.
    expect(sorted[Math.floor(sorted.length / 2)]!).toBeLessThan(0.005);
    expect(r.maxDiff).toBeLessThan(0.05);
  });
});
