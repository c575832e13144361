// Tests that the k-d tree and the grid hash find exactly the neighbours a brute-force search finds.
import { describe, expect, it } from 'vitest';
import { bruteForceSearch, buildGridHash, buildKdTree, NeighbourBuffer, type RadiusSearch } from '../../src/lidar/neighbours.js';
import type { PointCloud } from '../../src/data/point-cloud.js';
import { createRng } from '../../src/util/rng.js';

function randomCloud(n: number, seed: number): PointCloud {
  const rng = createRng(seed);
  const x = new Float64Array(n),
    y = new Float64Array(n),
    z = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    // A mix of a thin sheet and a clump, with exact duplicates: the shapes a scan has.
    x[i] = rng.next() * 10;
    y[i] = rng.next() * 10;
    z[i] = i % 3 === 0 ? rng.next() * 2 : 0.01 * rng.normal();
    if (i % 50 === 1) {
      x[i] = x[i - 1]!;
      y[i] = y[i - 1]!;
      z[i] = z[i - 1]!;
    }
  }
  return { x, y, z };
}

const sortedHits = (s: RadiusSearch, q: [number, number, number], r: number, buf: NeighbourBuffer): number[] => {
  const n = s.radius(q[0], q[1], q[2], r, buf);
  return Array.from(buf.index.subarray(0, n)).sort((a, b) => a - b);
};

describe('radius search', () => {
  const cloud = randomCloud(5000, 1);
  const brute = bruteForceSearch(cloud);
  const indexes: [string, RadiusSearch][] = [
    ['k-d tree', buildKdTree(cloud)],
    ['grid hash (cell = 0.5 m)', buildGridHash(cloud, 0.5)],
    ['grid hash (cell = 0.3 m)', buildGridHash(cloud, 0.3)],
  ];

  for (const [name, index] of indexes) {
    it(`${name}: same neighbour sets as brute force at several radii, for cloud points and outside queries`, () => {
      const rng = createRng(2);
      const a = new NeighbourBuffer(4),
        b = new NeighbourBuffer(4); // tiny: forces growth
      let total = 0;
      for (let t = 0; t < 300; t++) {
        const i = rng.int(5000);
        const q: [number, number, number] =
          t % 4 === 0 ? [rng.next() * 12 - 1, rng.next() * 12 - 1, rng.next() * 3 - 0.5] : [cloud.x[i]!, cloud.y[i]!, cloud.z[i]!];
        for (const r of [0.05, 0.3, 1.2, 4]) {
          const want = sortedHits(brute, q, r, a);
          expect(sortedHits(index, q, r, b)).toEqual(want);
          total += want.length;
        }
      }
      expect(total).toBeGreaterThan(10_000); // the comparison exercised non-trivial neighbourhoods
    });
  }

  it('reports squared distances that match the points', () => {
    const kd = buildKdTree(cloud);
    const buf = new NeighbourBuffer();
    const n = kd.radius(5, 5, 0, 1, buf);
    expect(n).toBeGreaterThan(0);
    for (let k = 0; k < n; k++) {
      const i = buf.index[k]!;
      expect(buf.dist2[k]).toBeCloseTo((cloud.x[i]! - 5) ** 2 + (cloud.y[i]! - 5) ** 2 + cloud.z[i]! ** 2, 12);
    }
  });

  it('handles an empty cloud and a one-point cloud', () => {
    const buf = new NeighbourBuffer();
    const empty = { x: new Float64Array(0), y: new Float64Array(0), z: new Float64Array(0) };
    expect(buildKdTree(empty).radius(0, 0, 0, 1, buf)).toBe(0);
    expect(buildGridHash(empty, 1).radius(0, 0, 0, 1, buf)).toBe(0);
    const one = { x: Float64Array.of(1), y: Float64Array.of(1), z: Float64Array.of(1) };
    expect(buildKdTree(one).radius(1, 1, 1.5, 0.5, buf)).toBe(1);
    expect(buildKdTree(one).radius(1, 1, 1.6, 0.5, buf)).toBe(0);
  });

  it('k-d tree shell moments equal sums over the brute-force neighbour list', () => {
    const kd = buildKdTree(cloud);
    const radii2 = Float64Array.of(0.2 ** 2, 0.8 ** 2, 2 ** 2);
    const buf = new NeighbourBuffer();
    for (const i of [0, 17, 2500, 4999]) {
      const q = [cloud.x[i]!, cloud.y[i]!, cloud.z[i]!] as const;
      const got = new Float64Array(30);
      kd.radiusMoments(q[0], q[1], q[2], radii2, got);
      const want = new Float64Array(30);
      const n = brute.radius(q[0], q[1], q[2], 2, buf);
      for (let k = 0; k < n; k++) {
        const j = buf.index[k]!;
        const d = [cloud.x[j]! - q[0], cloud.y[j]! - q[1], cloud.z[j]! - q[2]] as const;
        const s = buf.dist2[k]! <= radii2[0]! ? 0 : buf.dist2[k]! <= radii2[1]! ? 1 : 2;
        const v = [1, d[0], d[1], d[2], d[0] * d[0], d[1] * d[1], d[2] * d[2], d[0] * d[1], d[0] * d[2], d[1] * d[2]];
        for (let m = 0; m < 10; m++) want[s * 10 + m]! += v[m]!;
      }
      for (let m = 0; m < 30; m++) expect(got[m]).toBeCloseTo(want[m]!, 8);
      expect(want[20]).toBeGreaterThan(0);
    }
  });

  it('with a tolerance t, each cumulative count lies between the exact counts at r(1 − t) and r(1 + t), and differs from exact somewhere', () => {
    // A dense sheet (≈ 12,000 points/m², a scan near its scanner): clumps smaller than t·r exist.
    const rng = createRng(11);
    const n = 60_000;
    const x = new Float64Array(n),
      y = new Float64Array(n),
      z = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      x[i] = rng.next() * 2.2;
      y[i] = rng.next() * 2.2;
      z[i] = 0.1 * Math.sin(3 * x[i]!) + 0.003 * rng.normal();
    }
    const dense = { x, y, z };
    const kd = buildKdTree(dense);
    const radii = [0.1, 0.5, 1];
    const radii2 = Float64Array.from(radii, (r) => r * r);
    const count = (q: number, r: number): number => {
      let c = 0;
      for (let j = 0; j < n; j++) if ((x[j]! - x[q]!) ** 2 + (y[j]! - y[q]!) ** 2 + (z[j]! - z[q]!) ** 2 <= r * r) c++;
      return c;
    };
    let differs = 0;
    for (const t of [0.1, 0.3]) {
      for (let q = 0; q < 40; q++) {
        const got = new Float64Array(30);
        kd.radiusMoments(x[q]!, y[q]!, z[q]!, radii2, got, t);
        let cumulative = 0;
        for (let s = 0; s < 3; s++) {
          cumulative += got[s * 10]!;
          expect(cumulative).toBeGreaterThanOrEqual(count(q, radii[s]! * (1 - t)));
          expect(cumulative).toBeLessThanOrEqual(count(q, radii[s]! * (1 + t)));
          if (cumulative !== count(q, radii[s]!)) differs++;
        }
      }
    }
    expect(differs).toBeGreaterThan(0); // the approximation was really exercised
  });
});
