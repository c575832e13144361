// Tests of the closed-form symmetric 3×3 eigenvalue solver against known spectra and rotated diagonals.
import { describe, expect, it } from 'vitest';
import { symmetricEigenvalues3 } from '../../src/lidar/eigen.js';
import { createRng } from '../../src/util/rng.js';

const eig = (a: number, b: number, c: number, d: number, e: number, f: number): number[] => {
  const out = [0, 0, 0];
  symmetricEigenvalues3(a, b, c, d, e, f, out);
  return out;
};

/** R·diag(l)·Rᵀ for a random rotation R (from a random unit quaternion). */
function rotated(l: [number, number, number], seed: number): [number, number, number, number, number, number] {
  const rng = createRng(seed);
  let [w, x, y, z] = [rng.normal(), rng.normal(), rng.normal(), rng.normal()];
  const norm = Math.hypot(w, x, y, z);
  [w, x, y, z] = [w / norm, x / norm, y / norm, z / norm];
  const R = [
    [1 - 2 * (y * y + z * z), 2 * (x * y - z * w), 2 * (x * z + y * w)],
    [2 * (x * y + z * w), 1 - 2 * (x * x + z * z), 2 * (y * z - x * w)],
    [2 * (x * z - y * w), 2 * (y * z + x * w), 1 - 2 * (x * x + y * y)],
  ];
  const M = (i: number, j: number): number => R[i]![0]! * l[0] * R[j]![0]! + R[i]![1]! * l[1] * R[j]![1]! + R[i]![2]! * l[2] * R[j]![2]!;
  return [M(0, 0), M(1, 1), M(2, 2), M(0, 1), M(0, 2), M(1, 2)];
}

describe('symmetricEigenvalues3', () => {
  it('returns a diagonal matrix’s entries sorted descending', () => {
    expect(eig(2, 5, 3, 0, 0, 0)).toEqual([5, 3, 2]);
  });

  it('solves a textbook case: [[2,1,0],[1,2,0],[0,0,3]] has 3, 3, 1', () => {
    const [a, b, c] = eig(2, 2, 3, 1, 0, 0);
    expect(a).toBeCloseTo(3, 12);
    expect(b).toBeCloseTo(3, 12);
    expect(c).toBeCloseTo(1, 12);
  });

  it('handles the degenerate shapes of point clouds: a line, a plane, a ball, all zero', () => {
    expect(eig(0, 0, 0, 0, 0, 0)).toEqual([0, 0, 0]);
    expect(eig(4, 4, 4, 0, 0, 0)).toEqual([4, 4, 4]);
    for (const l of [
      [1, 0, 0],
      [1, 1, 0],
      [1, 1, 1],
      [1e-6, 1e-9, 0],
    ] as [number, number, number][]) {
      const got = eig(...rotated(l, 7));
      for (let i = 0; i < 3; i++) expect(Math.abs(got[i]! - l[i]!)).toBeLessThan(1e-7 * l[0]!);
    }
  });

  // Repeated eigenvalues put the arccos near ±1, where it keeps only half the digits: ~1e-8 relative.
  it('recovers random spectra (including negative and repeated) after random rotations, at any scale', () => {
    const rng = createRng(42);
    for (let t = 0; t < 500; t++) {
      const scale = 10 ** (rng.int(16) - 8);
      const l = [rng.normal(), rng.normal(), rng.normal()].map((v) => v * scale);
      if (t % 5 === 0) l[1] = l[0]!; // repeated eigenvalues are where the arccos argument hits ±1
      const sorted = [...l].sort((a, b) => b - a) as [number, number, number];
      const got = eig(...rotated(sorted, t));
      const tol = 1e-7 * Math.max(...sorted.map(Math.abs));
      for (let i = 0; i < 3; i++) expect(Math.abs(got[i]! - sorted[i]!)).toBeLessThanOrEqual(tol);
      expect(got[0]!).toBeGreaterThanOrEqual(got[1]!);
      expect(got[1]!).toBeGreaterThanOrEqual(got[2]!);
    }
  });
});
