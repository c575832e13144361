// Tests of the lidar scene generator: reproducibility, class shares, range fall-off, shadows, and that the features can (but not trivially) learn it.
import { describe, expect, it } from 'vitest';
import { UserError } from '../../src/cli/errors.js';
import { generateLidarScene, LIDAR_CLASSES, LIDAR_SCENES, type LidarScene } from '../../src/data/lidar.js';
import { column, multiscaleFeatures } from '../../src/lidar/features.js';

const shares = (s: LidarScene): number[] => s.classes.map((_, k) => s.label.filter((l) => l === k).length / s.label.length);

/** Best balanced accuracy of one threshold on `values` separating class 0 from the rest (either direction). */
function bestThresholdBalancedAccuracy(values: Float64Array, label: Uint8Array): number {
  const rows = Array.from(values, (v, i) => [v, label[i] === 0 ? 0 : 1] as const).filter(([v]) => !Number.isNaN(v)).sort((a, b) => a[0] - b[0]);
  const n1 = rows.filter(([, c]) => c === 1).length, n0 = rows.length - n1;
  let below0 = 0, below1 = 0, best = 0;
  for (const [, c] of rows) {
    if (c === 0) below0++; else below1++;
    const ba = (below0 / n0 + (n1 - below1) / n1) / 2;
    best = Math.max(best, ba, 1 - ba);
  }
  return best;
}

describe('generateLidarScene', () => {
  it('gives the same scene for the same seed, another for another seed; geometry does not depend on size', () => {
    const a = generateLidarScene({ scene: 'dunes', seed: 7, nPoints: 5000 });
    const b = generateLidarScene({ scene: 'dunes', seed: 7, nPoints: 5000 });
    const c = generateLidarScene({ scene: 'dunes', seed: 8, nPoints: 5000 });
    expect(Array.from(b.x)).toEqual(Array.from(a.x));
    expect(Array.from(b.z)).toEqual(Array.from(a.z));
    expect(Array.from(b.label)).toEqual(Array.from(a.label));
    expect(Array.from(c.x)).not.toEqual(Array.from(a.x));
    expect(generateLidarScene({ scene: 'dunes', seed: 7, nPoints: 9000 }).scanner).toEqual(a.scanner);
  });

  it('draws each scene with its classes, the size asked, finite coordinates and the scanner above the ground', () => {
    for (const scene of LIDAR_SCENES) {
      const s = generateLidarScene({ scene, seed: 1, nPoints: 3000 });
      expect(s.scene).toBe(scene);
      expect(s.classes).toEqual(LIDAR_CLASSES[scene]);
      expect(s.x.length).toBe(3000);
      expect(s.label.length).toBe(3000);
      expect(s.x.every(Number.isFinite) && s.y.every(Number.isFinite) && s.z.every(Number.isFinite)).toBe(true);
      expect(Math.max(...s.label)).toBe(s.classes.length - 1);
    }
  });

  it('keeps class shares in realistic ranges over several seeds', () => {
    const ranges: Record<string, [number, number][]> = {
      dunes: [[0.7, 0.95], [0.05, 0.3]],
      ski: [[0.55, 0.95], [0.05, 0.45]], // tree stands fall in or out of view: wide
      '4class': [[0.1, 0.4], [0.35, 0.75], [0.05, 0.3], [0.02, 0.15]],
    };
    for (const scene of LIDAR_SCENES) {
      for (const seed of [1, 2, 3]) {
        const got = shares(generateLidarScene({ scene, seed, nPoints: 20_000 }));
        got.forEach((share, k) => {
          expect(share, `${scene} seed ${seed} class ${k}`).toBeGreaterThanOrEqual(ranges[scene]![k]![0]);
          expect(share, `${scene} seed ${seed} class ${k}`).toBeLessThanOrEqual(ranges[scene]![k]![1]);
        });
      }
    }
  });

  it('thins the ground with range roughly as 1/r² (dune floor, two annuli)', () => {
    const s = generateLidarScene({ scene: 'dunes', seed: 3, nPoints: 100_000 });
    let near = 0, far = 0;
    for (let i = 0; i < s.x.length; i++) {
      if (s.label[i] !== 0) continue;
      const r = Math.hypot(s.x[i]! - s.scanner[0], s.y[i]! - s.scanner[1]);
      if (r >= 4 && r < 5) near++;
      else if (r >= 16 && r < 20) far++;
    }
    // Per m²: near annulus area ∝ 5² − 4² = 9, far ∝ 20² − 16² = 144; 1/r² predicts a ratio of ln(5/4)/ln(20/16) · 144/9 = 16.
    const ratio = near / 9 / (far / 144);
    expect(ratio).toBeGreaterThan(10);
    expect(ratio).toBeLessThan(30); // occlusion thins the far annulus a little more
  });

  it('casts shadows: behind trees some azimuths get almost no far snow points', () => {
    const s = generateLidarScene({ scene: 'ski', seed: 1, nPoints: 200_000 });
    const bins = new Array(160).fill(0);
    for (let i = 0; i < s.x.length; i++) {
      if (s.label[i] !== 0) continue;
      const dx = s.x[i]! - s.scanner[0], dy = s.y[i]! - s.scanner[1];
      if (Math.hypot(dx, dy) < 35) continue;
      const b = Math.floor(((Math.atan2(dy, dx) * 180) / Math.PI + 40) * 2); // 0.5° bins over ±40°
      if (b >= 0 && b < 160) bins[b]++;
    }
    const sorted = [...bins].sort((a, b) => a - b);
    const median = sorted[80]!;
    expect(median).toBeGreaterThan(30); // enough points for the comparison to mean something
    expect(sorted[0]!).toBeLessThan(0.3 * median); // an unshadowed scan would be ~Poisson around the median
  });

  it('is learnable from a3d at 0.5 m but not trivially, and scale matters (dunes)', () => {
    const s = generateLidarScene({ scene: 'dunes', seed: 11, nPoints: 200_000 });
    const f = multiscaleFeatures(s, { radii: [0.05, 0.5], nCores: 4000, seed: 1 });
    const atHalfMetre = bestThresholdBalancedAccuracy(column(f, 'r0.5_a3d'), f.label!);
    const atFiveCm = bestThresholdBalancedAccuracy(column(f, 'r0.05_a3d'), f.label!);
    // Balanced accuracy, since a majority guess already scores ~87 % plain accuracy here.
    expect(atHalfMetre).toBeGreaterThan(0.8);
    expect(atHalfMetre).toBeLessThan(0.98);
    expect(atFiveCm).toBeLessThan(atHalfMetre - 0.1);
  });

  it('refuses an unknown scene or a silly size with a user error', () => {
    expect(() => generateLidarScene({ scene: 'moon' as never, seed: 1 })).toThrow(UserError);
    expect(() => generateLidarScene({ scene: 'ski', seed: 1, nPoints: 10 })).toThrow(/from 1000 to 5000000, got 10/);
    expect(() => generateLidarScene({ scene: 'ski', seed: 1, nPoints: 1.5e3 + 0.5 })).toThrow(UserError);
  });
});
