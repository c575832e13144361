// The lidar experiments' helpers on hand-made inputs (filling sparse scales, IoU, triangle separation, density,
// option parsing) and `eds run classify|cluster --points FILE:LABEL` on the real dune scan, with one-line errors.
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { UserError } from '../../src/errors.js';
import { densityInBand, dominantDimension, iouPerClass, parsePointsArg, parseScales, triangleSeparation } from '../../src/experiments/lidar.js';
import { fillSparseScales } from '../../src/lidar/table.js';
import { featureColumns, type FeatureTable } from '../../src/lidar/features.js';
import { runCli } from '../support/cli.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const data = (f: string) => path.resolve(root, '../shared/data/lidar', f);

afterEach(() => {
  process.exitCode = undefined;
});

describe('lidar helpers', () => {
  it('fills a sparse scale from the next larger one, keeps counts, and leaves a row sparse at every scale NaN', () => {
    const radii = [0.05, 0.1, 0.5];
    const columns = featureColumns(radii); // 7 per scale: l1 l2 l3 a1d a2d a3d n
    const row = (scales: (number[] | null)[]) => scales.flatMap((v, s) => (v ? [...v, 10 * (s + 1)] : [NaN, NaN, NaN, NaN, NaN, NaN, 2]));
    const a = [0.5, 0.3, 0.2, 0.4, 0.2, 0.4];
    const b = [0.6, 0.3, 0.1, 0.5, 0.33, 0.17];
    const values = Float64Array.from([...row([null, null, b]), ...row([a, a, b]), ...row([null, null, null])]);
    const table: FeatureTable = { columns, values, rows: 3, radii, core: Uint32Array.from([0, 1, 2]), sparse: Uint8Array.from([1, 0, 1]) };
    expect(fillSparseScales(table)).toBe(1);
    const w = columns.length;
    expect(Array.from(values.slice(0, 6))).toEqual(b); // 0.05 m borrowed through 0.1 m from 0.5 m
    expect(Array.from(values.slice(7, 13))).toEqual(b);
    expect(values[6]).toBe(2); // the measured neighbour count stays
    expect(Array.from(values.slice(w, w + 6))).toEqual(a); // a complete row is untouched
    expect(Number.isNaN(values[2 * w]!)).toBe(true);
  });

  it('computes IoU = TP / (TP + FP + FN) per class', () => {
    // Class 0: TP 40, FN 10, FP 10 -> 40/60. Class 1: TP 50, FN 10, FP 10 -> 50/70. Class 2 absent: NaN.
    const iou = iouPerClass([
      [40, 10, 0],
      [10, 50, 0],
      [0, 0, 0],
    ]);
    expect(iou[0]).toBeCloseTo(40 / 60, 12);
    expect(iou[1]).toBeCloseTo(50 / 70, 12);
    expect(Number.isNaN(iou[2]!)).toBe(true);
  });

  it('scores separation in the triangle: 1 for apart classes, chance for identical ones', () => {
    const plane: [number, number, number] = [0.05, 0.9, 0.05];
    const ball: [number, number, number] = [0.1, 0.1, 0.8];
    expect(triangleSeparation([plane, plane, ball, ball], [0, 0, 1, 1], 2)).toBe(1);
    // Identical points: every one goes to the first class, recalls 1 and 0.
    expect(triangleSeparation([plane, plane, plane, plane], [0, 0, 1, 1], 2)).toBe(0.5);
    expect(dominantDimension(plane)).toBe('2-D');
    expect(dominantDimension(ball)).toBe('3-D');
    expect(dominantDimension([0.7, 0.2, 0.1])).toBe('1-D');
  });

  it('measures density per m² of occupied cells in a range band', () => {
    // A 20 m × 20 m square around the scanner, 4 points per m² (a 0.5 m grid).
    const xs: number[] = [],
      ys: number[] = [];
    for (let i = 0; i < 80; i++)
      for (let j = 0; j < 80; j++) {
        xs.push(-20 + 0.25 + 0.5 * i);
        ys.push(-20 + 0.25 + 0.5 * j);
      }
    const cloud = { x: Float64Array.from(xs), y: Float64Array.from(ys), z: new Float64Array(xs.length) };
    // Whole cells inside a band have 4 points; cells cut by the band edges have fewer, so the mean is at most 4.
    const d = densityInBand(cloud, [0, 0, 1.5], [3, 6]);
    expect(d).toBeGreaterThan(2.5);
    expect(d).toBeLessThanOrEqual(4);
    expect(Number.isNaN(densityInBand(cloud, [0, 0, 0], [100, 200]))).toBe(true);
  });

  it('reads scales and FILE:LABEL, and says in one line what is wrong', () => {
    expect(parseScales('0.5, 0.05,0.1,0.1')).toEqual([0.05, 0.1, 0.5]);
    expect(() => parseScales('0.1,abc')).toThrow(UserError);
    expect(() => parseScales('-1')).toThrow(/radii in metres/);
    expect(() => parseScales('10')).toThrow(/above 5 m/);
    expect(parsePointsArg('dir/floor.xyz:floor')).toEqual({ path: 'dir/floor.xyz', label: 'floor' });
    expect(parsePointsArg('cloud.xyz')).toEqual({ path: 'cloud.xyz' });
    expect(() => parsePointsArg('floor.xyz:')).toThrow(/FILE:LABEL/);
  });
});

describe('eds run classify|cluster --points on the real dune scan', () => {
  const points = ['--points', `${data('dunes-floor.xyz')}:floor`, '--points', `${data('dunes-vegetation.xyz')}:vegetation`];

  it('classifies floor and vegetation with a sensible balanced accuracy, forest and SVM, and reports IoU', async () => {
    for (const model of ['rf', 'svm']) {
      const { out, err, code } = await runCli([
        'run',
        'classify',
        ...points,
        '--model',
        model,
        '--core-points',
        '800',
        '--scales',
        '0.1,0.25,0.5',
        '--trees',
        '30',
        '--json',
      ]);
      expect(err).toBe('');
      expect(code).toBe(0);
      const json = JSON.parse(out) as Record<string, unknown>;
      expect(json.source).toBe('dunes-floor.xyz + dunes-vegetation.xyz');
      expect(json.features).toHaveLength(9);
      expect((json.n_train as number) + (json.n_test as number)).toBe(800);
      expect(json.balanced_accuracy as number, model).toBeGreaterThan(0.8);
      const iou = json.iou as Record<string, number>;
      expect(Object.keys(iou)).toEqual(['floor', 'vegetation']);
      for (const v of Object.values(iou)) expect(v).toBeGreaterThan(0.5);
      expect(json.mean_iou).toBeCloseTo((iou.floor! + iou.vegetation!) / 2, 9);
    }
  }, 60_000);

  it('clusters the same features and scores them against the labels', async () => {
    const { out, err, code } = await runCli(['run', 'cluster', ...points, '--k', '2', '--core-points', '600', '--scales', '0.1,0.5', '--json']);
    expect(err).toBe('');
    expect(code).toBe(0);
    const json = JSON.parse(out) as Record<string, unknown>;
    for (const key of ['ari', 'nmi', 'silhouette', 'inertia']) expect(Number.isFinite(json[key]), key).toBe(true);
    const sizes = json.cluster_sizes as Record<string, number>;
    expect(Object.values(sizes).reduce((a, b) => a + b, 0)).toBe(600);
    expect(json.target).toBe('label');
  }, 60_000);

  it('runs the generated scene as a dataset with other scales', async () => {
    const { out, code } = await runCli([
      'run',
      'classify',
      '--dataset',
      'lidar-dunes',
      '--scales',
      '0.25,0.5',
      '--core-points',
      '400',
      '--trees',
      '20',
      '--seed',
      '3',
      '--json',
    ]);
    expect(code).toBe(0);
    const json = JSON.parse(out) as Record<string, unknown>;
    expect(json.features).toEqual(['r0.25_a1d', 'r0.25_a2d', 'r0.25_a3d', 'r0.5_a1d', 'r0.5_a2d', 'r0.5_a3d']);
    expect(json.source).toBe('lidar-dunes');
  }, 60_000);

  it('reports a missing file, a bad radius and lidar options on a table in one line', async () => {
    const missing = await runCli(['run', 'classify', '--points', 'no-such-file.xyz:floor', '--json']);
    expect(missing.code).not.toBe(0);
    expect(missing.err.trim().split('\n')).toHaveLength(1);
    expect(missing.err).toMatch(/no-such-file\.xyz/);
    const bad = await runCli(['run', 'classify', ...points, '--scales', '0.1,x']);
    expect(bad.code).not.toBe(0);
    expect(bad.err).toMatch(/--scales for eds run classify: expected a comma-separated list, each a number above 0, got "0\.1,x"/);
    expect(bad.err).not.toMatch(/\n\s+at /);
    const table = await runCli(['run', 'classify', '--dataset', 'iris', '--scales', '0.1']);
    expect(table.code).toBe(2);
    expect(table.err).toMatch(/apply to lidar data/);
  });
});
