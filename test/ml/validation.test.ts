// Splits, cross-validation and permutation importance: sizes, disjointness, stratification, seeding.
import { describe, expect, it } from 'vitest';
import {
  crossValidate,
  kFold,
  permutationImportance,
  randomSplit,
  spatialSplit,
  stratifiedKFold,
  stratifiedSplit,
  testCount,
  timeSplit,
} from '../../src/ml/validation.js';

const sorted = (a: number[]) => a.slice().sort((x, y) => x - y);
const range = (n: number) => Array.from({ length: n }, (_, i) => i);

describe('train/test splits', () => {
  it('random split: ceil(0.25·n) test rows, disjoint, covering, same seed same split', () => {
    const s = randomSplit(10, 0.25, 1);
    expect(s.test).toHaveLength(3);
    expect(sorted([...s.train, ...s.test])).toEqual(range(10));
    expect(randomSplit(10, 0.25, 1)).toEqual(s);
    expect(randomSplit(10, 0.25, 2)).not.toEqual(s);
    expect(() => testCount(10, 1.5)).toThrow(/between 0 and 1/);
  });

  it('stratified split keeps each class share (40/10 rows → 10 test rows: 8 and 2)', () => {
    const labels = [...new Array(40).fill(0), ...new Array(10).fill(1)];
    const s = stratifiedSplit(labels, 0.2, 0);
    expect(s.test).toHaveLength(10);
    expect(s.test.filter((i) => labels[i] === 1)).toHaveLength(2);
    expect(sorted([...s.train, ...s.test])).toEqual(range(50));
  });

  it('spatial split: the class shares of the stratified split, each class tested on its block farthest along the drawn direction', () => {
    // Two classes on a 10 × 10 grid: class 1 the 20 points with x >= 8.
    const x = range(100).map((i) => i % 10);
    const y = range(100).map((i) => Math.floor(i / 10));
    const labels = x.map((v) => (v >= 8 ? 1 : 0));
    for (const seed of [0, 1, 2, 3]) {
      const s = spatialSplit(labels, x, y, 0.25, seed);
      expect(sorted([...s.train, ...s.test])).toEqual(range(100));
      const strat = stratifiedSplit(labels, 0.25, seed);
      for (const c of [0, 1]) expect(s.test.filter((i) => labels[i] === c).length).toBe(strat.test.filter((i) => labels[i] === c).length);
      // Within each class, every test point lies at least as far along the direction as every training point.
      const u = [Math.cos((s.azimuthDeg * Math.PI) / 180), Math.sin((s.azimuthDeg * Math.PI) / 180)];
      const along = (i: number) => x[i]! * u[0]! + y[i]! * u[1]!;
      for (const c of [0, 1]) {
        const lowestTest = Math.min(...s.test.filter((i) => labels[i] === c).map(along));
        const highestTrain = Math.max(...s.train.filter((i) => labels[i] === c).map(along));
        expect(lowestTest).toBeGreaterThanOrEqual(highestTrain - 1e-12);
      }
      expect(s.azimuthDeg).toBeGreaterThanOrEqual(0);
      expect(s.azimuthDeg).toBeLessThan(360);
      expect(spatialSplit(labels, x, y, 0.25, seed)).toEqual(s);
    }
    expect(spatialSplit(labels, x, y, 0.25, 1).azimuthDeg).not.toBe(spatialSplit(labels, x, y, 0.25, 2).azimuthDeg);
    expect(() => spatialSplit(labels, x.slice(1), y, 0.25, 0)).toThrow(/same length/);
  });

  it('time split puts the latest rows in the test set, by a time column when given', () => {
    expect(timeSplit(8, 0.25)).toEqual({ train: [0, 1, 2, 3, 4, 5], test: [6, 7] });
    // Rows stored newest first, as in the observatory file.
    expect(timeSplit(4, 0.5, [40, 30, 20, 10])).toEqual({ train: [3, 2], test: [1, 0] });
  });
});

describe('cross-validation', () => {
  it('k-fold: folds of 4,3,3 for n = 10, k = 3, each row tested once', () => {
    const folds = kFold(10, 3, 0);
    expect(folds.map((f) => f.test.length)).toEqual([4, 3, 3]);
    expect(sorted(folds.flatMap((f) => f.test))).toEqual(range(10));
    for (const f of folds) expect(f.train.length + f.test.length).toBe(10);
    expect(() => kFold(3, 5, 0)).toThrow('cannot make 5 folds from 3 rows');
  });

  it('stratified k-fold gives every fold the class balance', () => {
    const labels = [...new Array(30).fill(0), ...new Array(15).fill(1)];
    for (const f of stratifiedKFold(labels, 5, 2)) {
      expect(f.test.filter((i) => labels[i] === 0)).toHaveLength(6);
      expect(f.test.filter((i) => labels[i] === 1)).toHaveLength(3);
    }
  });

  it('crossValidate reports mean and population std', () => {
    const folds = kFold(4, 2, 0);
    let k = 0;
    const cv = crossValidate(folds, 'r2', () => [0.5, 0.7][k++]!);
    expect(cv.mean).toBeCloseTo(0.6, 12);
    expect(cv.std).toBeCloseTo(0.1, 12);
    expect(cv.folds).toEqual([0.5, 0.7]);
  });
});

describe('permutation importance', () => {
  it('a score that uses only feature 0 gives importance only to feature 0', () => {
    const X = range(50).map((i) => [i, (i * 7) % 13]);
    const y = X.map((r) => r[0]!);
    const score = (Z: number[][]) => -Z.reduce((s, r, i) => s + Math.abs(r[0]! - y[i]!), 0);
    const imp = permutationImportance(X, score, { repeats: 3, seed: 1 });
    expect(imp.mean[0]).toBeGreaterThan(100);
    expect(imp.mean[1]).toBe(0);
    expect(permutationImportance(X, score, { repeats: 3, seed: 1 })).toEqual(imp);
  });
});
