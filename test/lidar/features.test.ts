// Tests of the multiscale dimensionality features on shapes whose answer is known: a line, a plane, a ball.
import { describe, expect, it } from 'vitest';
import { column, featureColumns, MIN_NEIGHBOURS, multiscaleFeatures, multiscaleFeaturesAsync, selectCorePoints } from '../../src/lidar/features.js';
import { bruteForceSearch, buildGridHash } from '../../src/lidar/neighbours.js';
import type { PointCloud } from '../../src/data/point-cloud.js';
import { createRng } from '../../src/util/rng.js';

type Shape = 'line' | 'plane' | 'ball';
function shape(kind: Shape, n: number, seed: number, offset = 0): PointCloud {
  const rng = createRng(seed);
  const x = new Float64Array(n),
    y = new Float64Array(n),
    z = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const u = rng.next() * 4,
      v = rng.next() * 4,
      w = rng.next() * 4;
    const noise = () => 0.002 * rng.normal();
    // A tilted line and plane, so no axis alignment helps the solver.
    if (kind === 'line') {
      x[i] = u + noise();
      y[i] = 0.5 * u + noise();
      z[i] = 0.3 * u + noise();
    } else if (kind === 'plane') {
      x[i] = u;
      y[i] = v;
      z[i] = 0.4 * u - 0.2 * v + noise();
    } else {
      x[i] = u;
      y[i] = v;
      z[i] = w;
    }
    x[i]! += offset;
    y[i]! += offset;
  }
  return { x, y, z };
}

const mean = (v: Float64Array): number => v.reduce((a, b) => a + b, 0) / v.length;

describe('multiscaleFeatures', () => {
  it('names columns r{radius}_{feature}, radii ascending', () => {
    expect(featureColumns([0.5, 0.1]).slice(0, 8)).toEqual(['r0.1_l1', 'r0.1_l2', 'r0.1_l3', 'r0.1_a1d', 'r0.1_a2d', 'r0.1_a3d', 'r0.1_n', 'r0.5_l1']);
    expect(featureColumns([0.1 + 0.2])[0]).toBe('r0.3_l1');
  });

  const expected: [Shape, string][] = [
    ['line', 'a1d'],
    ['plane', 'a2d'],
    ['ball', 'a3d'],
  ];
  for (const [kind, dominant] of expected) {
    it(`finds a ${kind} ${dominant.slice(1)}-dominant at every scale`, () => {
      const cloud = shape(kind, kind === 'line' ? 4000 : kind === 'plane' ? 20000 : 60000, 1);
      // Interior cores only: at the shape's edge a neighbourhood is a half-disc or a cut ball.
      const interior: number[] = [];
      for (let i = 0; i < cloud.x.length && interior.length < 300; i++) {
        const inside = (v: number) => v > 0.7 && v < 3.3;
        if (inside(cloud.x[i]!) && (kind === 'line' || inside(cloud.y[i]!)) && (kind !== 'ball' || inside(cloud.z[i]!))) interior.push(i);
      }
      const t = multiscaleFeatures(cloud, { radii: [0.3, 0.6], cores: Uint32Array.from(interior) });
      expect(t.rows).toBe(300);
      expect(t.sparse.every((f) => f === 0)).toBe(true);
      for (const r of ['0.3', '0.6']) {
        const dom = column(t, `r${r}_${dominant}`);
        expect(mean(dom)).toBeGreaterThan(kind === 'ball' ? 0.6 : 0.85);
        // The dominant proportion is the largest of the three for nearly every core.
        const a = ['a1d', 'a2d', 'a3d'].map((f) => column(t, `r${r}_${f}`));
        const wins = dom.filter((d, i) => d >= Math.max(a[0]![i]!, a[1]![i]!, a[2]![i]!)).length;
        expect(wins).toBeGreaterThanOrEqual(kind === 'ball' ? 270 : 295);
        const sum = column(t, `r${r}_a1d`).map((a, i) => a + column(t, `r${r}_a2d`)[i]! + column(t, `r${r}_a3d`)[i]!);
        for (const s of sum) expect(s).toBeCloseTo(1, 12);
        const l = [1, 2, 3].map((k) => mean(column(t, `r${r}_l${k}`)));
        expect(l[0]! + l[1]! + l[2]!).toBeCloseTo(1, 12);
        if (kind === 'ball') for (const v of l) expect(Math.abs(v - 1 / 3)).toBeLessThan(0.08);
        if (kind === 'plane') expect(l[2]).toBeLessThan(1e-3);
      }
    });
  }

  it('needs four points for a shape: three in a sphere are always a plane, so they count as sparse', () => {
    expect(MIN_NEIGHBOURS).toBe(4);
    // A tetrahedron's corners plus far-away filler: the core at the origin has itself and 2 or 3 others within 1.2 m.
    const x = Float64Array.of(0, 1, 0, 0, 50, 60),
      y = Float64Array.of(0, 0, 1, 0, 50, 60),
      z = Float64Array.of(0, 0, 0, 1, 50, 60);
    const four = multiscaleFeatures({ x, y, z }, { radii: [1.2], cores: Uint32Array.of(0) });
    expect(column(four, 'r1.2_n')[0]).toBe(4);
    expect(column(four, 'r1.2_a3d')[0]!).toBeGreaterThan(0.1); // four points off one plane: a volume
    const three = multiscaleFeatures({ x: x.subarray(0, 3), y: y.subarray(0, 3), z: z.subarray(0, 3) }, { radii: [1.2], cores: Uint32Array.of(0) });
    expect(column(three, 'r1.2_n')[0]).toBe(3);
    expect(three.sparse[0]).toBe(1);
    expect(Number.isNaN(column(three, 'r1.2_a3d')[0])).toBe(true);
    // Why: the covariance of any three points has λ3 = 0 (they span a plane), whatever their positions.
    const rng = createRng(2);
    for (let k = 0; k < 20; k++) {
      const px = Float64Array.from({ length: 3 }, () => rng.normal()),
        py = Float64Array.from({ length: 3 }, () => rng.normal()),
        pz = Float64Array.from({ length: 3 }, () => rng.normal());
      const mx = (a: Float64Array) => (a[0]! + a[1]! + a[2]!) / 3;
      const c = (a: Float64Array, b: Float64Array) => [0, 1, 2].reduce((s, i) => s + (a[i]! - mx(a)) * (b[i]! - mx(b)), 0) / 3;
      const det =
        c(px, px) * (c(py, py) * c(pz, pz) - c(py, pz) ** 2) -
        c(px, py) * (c(px, py) * c(pz, pz) - c(py, pz) * c(px, pz)) +
        c(px, pz) * (c(px, py) * c(py, pz) - c(py, py) * c(px, pz));
      expect(Math.abs(det)).toBeLessThan(1e-12);
    }
  });

  it('counts neighbours growing with the radius, and flags cores with fewer than MIN_NEIGHBOURS as NaN', () => {
    const cloud = shape('plane', 2000, 3);
    // One lonely point far away.
    const x = Float64Array.of(...cloud.x, 100),
      y = Float64Array.of(...cloud.y, 100),
      z = Float64Array.of(...cloud.z, 100);
    const t = multiscaleFeatures({ x, y, z }, { radii: [0.02, 0.5], cores: Uint32Array.of(0, 5, 2000) });
    const n0 = column(t, 'r0.02_n'),
      n1 = column(t, 'r0.5_n');
    expect(n1[0]!).toBeGreaterThan(n0[0]!);
    expect(n1[2]).toBe(1);
    expect(t.sparse[2]).toBe(1);
    expect(Number.isNaN(column(t, 'r0.5_a3d')[2])).toBe(true);
    expect(Number.isNaN(column(t, 'r0.5_n')[2])).toBe(false);
    expect(t.sparse[0]).toBe(n0[0]! < MIN_NEIGHBOURS ? 1 : 0);
  });

  it('gives the same numbers through the k-d tree moments, a grid hash and brute force', () => {
    const cloud = shape('ball', 3000, 4);
    const opts = { radii: [0.3, 0.7, 1.1], nCores: 60, seed: 5 };
    const kd = multiscaleFeatures(cloud, opts);
    for (const index of [bruteForceSearch(cloud), buildGridHash(cloud, 0.5)]) {
      const other = multiscaleFeatures(cloud, { ...opts, index });
      expect(Array.from(other.core)).toEqual(Array.from(kd.core));
      for (let i = 0; i < kd.values.length; i++) {
        if (Number.isNaN(kd.values[i])) expect(other.values[i]).toBeNaN();
        else expect(other.values[i]).toBeCloseTo(kd.values[i]!, 9);
      }
      expect(Array.from(other.sparse)).toEqual(Array.from(kd.sparse));
    }
    expect(kd.sparse.some((f) => f === 1)).toBe(true); // the NaN path was compared too
  });

  it('with a tolerance of 0.1 stays within 0.03 of the exact features and 2 % of the exact counts on a dense scan', () => {
    // A wavy sheet at ≈ 12,000 points/m² (the dune scene next to its scanner): 1 m spheres hold ≈ 38,000 points.
    const rng = createRng(12);
    const n = 150_000;
    const x = new Float64Array(n),
      y = new Float64Array(n),
      z = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      x[i] = rng.next() * 3.5;
      y[i] = rng.next() * 3.5;
      z[i] = 0.15 * Math.sin(2 * x[i]!) * Math.cos(3 * y[i]!) + (i % 4 === 0 ? 0.05 * rng.next() : 0.002 * rng.normal());
    }
    const cloud = { x, y, z };
    const opts = { radii: [0.1, 0.5, 1], nCores: 150, seed: 3 };
    const exact = multiscaleFeatures(cloud, opts);
    const approx = multiscaleFeatures(cloud, { ...opts, tolerance: 0.1 });
    // The exact path is exact: it matches a grid hash's neighbour lists.
    const grid = multiscaleFeatures(cloud, { ...opts, index: buildGridHash(cloud, 0.5) });
    for (let i = 0; i < exact.values.length; i++) expect(grid.values[i]).toBeCloseTo(exact.values[i]!, 9);
    const w = exact.columns.length;
    let differs = 0;
    for (let i = 0; i < exact.values.length; i++) {
      const a = exact.values[i]!,
        b = approx.values[i]!;
      if (a !== b) differs++;
      if ((i % w) % 7 === 6) expect(Math.abs(b - a)).toBeLessThanOrEqual(0.02 * a);
      else expect(Math.abs(b - a)).toBeLessThanOrEqual(0.03);
    }
    expect(differs).toBeGreaterThan(exact.values.length / 10); // the approximation was really used
    expect(Array.from(approx.sparse)).toEqual(Array.from(exact.sparse));
  });

  it('is unaffected by georeferenced coordinates (a 600 km offset)', () => {
    const near = multiscaleFeatures(shape('plane', 5000, 6), { radii: [0.2], nCores: 100, seed: 1 });
    const far = multiscaleFeatures(shape('plane', 5000, 6, 600_000), { radii: [0.2], nCores: 100, seed: 1 });
    for (let i = 0; i < near.values.length; i++) expect(far.values[i]).toBeCloseTo(near.values[i]!, 9);
  });

  it('reports progress up to the total, and the async version matches the sync one', async () => {
    const cloud = shape('plane', 3000, 7);
    const calls: [number, number][] = [];
    const sync = multiscaleFeatures(cloud, { radii: [0.3], nCores: 500, seed: 1, onProgress: (d, t) => calls.push([d, t]) });
    expect(calls.length).toBeGreaterThan(10);
    expect(calls.at(-1)).toEqual([500, 500]);
    for (let i = 1; i < calls.length; i++) expect(calls[i]![0]).toBeGreaterThan(calls[i - 1]![0]);
    const asyncCalls: number[] = [];
    const viaAsync = await multiscaleFeaturesAsync(cloud, { radii: [0.3], nCores: 500, seed: 1, onProgress: (d) => asyncCalls.push(d) });
    expect(asyncCalls.at(-1)).toBe(500);
    expect(Array.from(viaAsync.values)).toEqual(Array.from(sync.values));
  });

  it('carries the cores’ labels', () => {
    const cloud: PointCloud = { ...shape('plane', 100, 8), label: new Uint8Array(100).map((_, i) => i % 2), classes: ['a', 'b'] };
    const t = multiscaleFeatures(cloud, { radii: [1], cores: Uint32Array.of(3, 4) });
    expect(Array.from(t.label!)).toEqual([1, 0]);
    expect(t.classes).toEqual(['a', 'b']);
  });
});

describe('selectCorePoints', () => {
  it('draws distinct sorted indices, the same for the same seed', () => {
    const a = selectCorePoints(1000, 100, 9);
    expect(new Set(a).size).toBe(100);
    expect(Array.from(a)).toEqual(Array.from(a).sort((p, q) => p - q));
    expect(Array.from(selectCorePoints(1000, 100, 9))).toEqual(Array.from(a));
    expect(Array.from(selectCorePoints(1000, 100, 10))).not.toEqual(Array.from(a));
    expect(selectCorePoints(10, 50, 1).length).toBe(10);
  });
});
