// The volcano lesson's experiment helpers and tasks: resampling, feature separation, confusion summaries, splits, scaling,
// option errors, and `eds run classify --dataset volcano` through the dataset registry.
import { describe, expect, it } from 'vitest';
import { UserError } from '../../src/errors.js';
import { lowestRecall, mostConfusedPair } from '../../src/experiments/volcano/metrics.js';
import { balanceRows } from '../../src/experiments/volcano/resampling.js';
import { averageRanks, rankSeparation } from '../../src/experiments/volcano/statistics.js';
import { runTask } from '../../src/experiments/registry.js';
import { runClassify } from '../../src/experiments/classify.js';
import { loadDataset } from '../../src/experiments/datasets.js';
import { FEATURE_NAMES } from '../../src/seismology/features.js';

const SEED = 4242;
const EVENTS = '120';

describe('balanceRows', () => {
  // Classes 0 (6 rows), 1 (3 rows), 2 (1 row); rows 10 and 11 are "test" rows and must never appear.
  const y = [0, 0, 0, 0, 0, 0, 1, 1, 1, 2, 0, 2];
  const train = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9];
  const count = (rows: number[], c: number) => rows.filter((r) => y[r] === c).length;

  it('oversamples every class to the largest, keeping every original row', () => {
    const rows = balanceRows(y, train, 'oversample', 1);
    expect([0, 1, 2].map((c) => count(rows, c))).toEqual([6, 6, 6]);
    for (const r of train) expect(rows).toContain(r);
    expect(rows.every((r) => train.includes(r))).toBe(true);
  });

  it('undersamples every class to the smallest, without repeats', () => {
    const rows = balanceRows(y, train, 'undersample', 1);
    expect([0, 1, 2].map((c) => count(rows, c))).toEqual([1, 1, 1]);
    expect(new Set(rows).size).toBe(rows.length);
    expect(rows.every((r) => train.includes(r))).toBe(true);
  });

  it('leaves the natural distribution alone and is seeded', () => {
    expect(balanceRows(y, train, 'natural', 1)).toEqual(train);
    expect(balanceRows(y, train, 'oversample', 7)).toEqual(balanceRows(y, train, 'oversample', 7));
  });
});

describe('feature separation and confusion summaries', () => {
  it('ranks ties by their average rank, as scipy.stats.rankdata', () => {
    expect(averageRanks([10, 20, 20, 5, 30])).toEqual([2, 3.5, 3.5, 1, 5]);
  });

  it('scores a perfectly separating feature far above a useless one', () => {
    const classes = [0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2];
    const separating = [1, 2, 3, 4, 11, 12, 13, 14, 21, 22, 23, 24];
    const useless = [1, 2, 3, 4, 1, 2, 3, 4, 1, 2, 3, 4];
    // Hand-computed: between = 4·(16 + 0 + 16) = 128 over 2 df; within = 3·5 = 15 over 9 df: F = 64 / (15/9) = 38.4.
    expect(rankSeparation(separating, classes)).toBeCloseTo(38.4, 10);
    expect(rankSeparation(useless, classes)).toBeCloseTo(0, 10);
    // Ranks make it blind to units and outliers: a monotone transform changes nothing.
    expect(
      rankSeparation(
        separating.map((v) => Math.exp(v)),
        classes,
      ),
    ).toBeCloseTo(38.4, 10);
  });

  it('finds the most confused pair (both directions) and the class with the lowest recall', () => {
    const labels = ['A', 'B', 'C'];
    const m = [
      [8, 1, 1],
      [2, 5, 0],
      [3, 0, 1],
    ];
    // A/B: 1 + 2 = 3; A/C: 1 + 3 = 4; B/C: 0. Recalls: A 0.8, B 5/7, C 0.25.
    expect(mostConfusedPair(m, labels)).toEqual({ pair: 'A/C', count: 4 });
    expect(lowestRecall(m, labels)).toEqual({ label: 'C', recall: 0.25 });
    expect(
      mostConfusedPair(
        [
          [3, 0],
          [0, 2],
        ],
        ['A', 'B'],
      ),
    ).toEqual({ pair: 'none', count: 0 });
    // A class absent from the truth has no recall to be lowest.
    expect(
      lowestRecall(
        [
          [3, 1],
          [0, 0],
        ],
        ['A', 'B'],
      ),
    ).toEqual({ label: 'A', recall: 0.75 });
  });
});

describe('volcano tasks', () => {
  it('keeps class shares in a stratified test set and counts resampled training rows', async () => {
    const strat = (await runTask('volcano-split', { events: EVENTS }, SEED)).json;
    const over = (await runTask('volcano-split', { events: EVENTS, sampling: 'oversample' }, SEED)).json;
    expect(strat.n_train).toBe(90);
    expect(strat.n_test).toBe(30);
    // 30 test events of 120: every class share within one event of exact.
    expect(strat.test_share_deviation as number).toBeLessThanOrEqual(1 / 30);
    // VT is 35 % of 120 = 42 events, 31 or 32 of them in training: oversampled, six classes of that size.
    const counts = over.class_counts as Record<string, { train: number; train_resampled: number; test: number }>;
    const largest = Math.max(...Object.values(counts).map((c) => c.train));
    expect(over.n_train_resampled).toBe(6 * largest);
    for (const c of Object.values(counts)) expect(c.train_resampled).toBe(largest);
    // The test set is never resampled.
    expect(over.n_test).toBe(strat.n_test);
  });

  it('shows k-NN losing most of its balanced accuracy without scaling', async () => {
    const scaled = (await runTask('volcano-split', { events: EVENTS }, SEED)).json;
    const raw = (await runTask('volcano-split', { events: EVENTS, scaling: 'none' }, SEED)).json;
    expect(raw.balanced_accuracy as number).toBeLessThan((scaled.balanced_accuracy as number) - 0.15);
  });

  it('is reproducible: same seed, same numbers', async () => {
    const a = await runTask('volcano-classify', { events: EVENTS, features: 'spectral_entropy,snr_db,duration_s' }, SEED);
    const b = await runTask('volcano-classify', { events: EVENTS, features: 'spectral_entropy,snr_db,duration_s' }, SEED);
    expect(a.json).toEqual(b.json);
    expect(a.json.features).toEqual(['spectral_entropy', 'snr_db', 'duration_s']);
    const matrix = (a.json.confusion as { matrix: number[][] }).matrix;
    expect(matrix.flat().reduce((s, v) => s + v, 0)).toBe(a.json.n_test);
  });

  it('rejects a misspelt option, value or feature in one line', async () => {
    await expect(runTask('volcano-split', { events: EVENTS, scalling: 'none' }, SEED)).rejects.toThrow(UserError);
    await expect(runTask('volcano-split', { events: EVENTS, sampling: 'smote' }, SEED)).rejects.toThrow(
      /sampling: expected one of natural, oversample, undersample/,
    );
    await expect(runTask('volcano-classify', { events: EVENTS, features: 'colour' }, SEED)).rejects.toThrow(/unknown feature "colour"/);
    await expect(runTask('volcano-look', { station: 'XYZ' }, SEED)).rejects.toThrow(/unknown station/);
  });
});

describe('volcano in the dataset registry', () => {
  it('loads the feature table with its label, and eds run classify picks columns with --features', async () => {
    const ds = await loadDataset('volcano', { seed: 3 });
    expect(ds.target).toBe('label');
    expect(ds.columns).toEqual([...FEATURE_NAMES, 'label']);
    expect(ds.rows.length).toBe(300);
    const r = await runClassify({ dataset: 'volcano', seed: 3, model: 'nb', features: ['spectral_entropy', 'snr_db'] });
    expect(r.json.features).toEqual(['spectral_entropy', 'snr_db']);
    expect((r.json.confusion as { labels: string[] }).labels.sort()).toEqual(['AV', 'IC', 'LP', 'NOISE', 'TR', 'VT']);
    expect(r.json.macro_f1 as number).toBeGreaterThan(0.3);
  }, 60_000);
});
