// The experiment functions behind `eds run`: JSON contract, seeding, dropped rows, user files, and one-line errors.
import { describe, expect, it } from 'vitest';
import { mkdtempSync, writeFileSync, readFileSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { runRegression } from '../../src/experiments/regression.js';
import { runClassify } from '../../src/experiments/classify.js';
import { runCluster } from '../../src/experiments/cluster.js';
import { listDatasets, loadDataset } from '../../src/experiments/datasets.js';
import { writeFileAtomic } from '../../src/data/write.js';
import { formatCsv, parseCsv } from '../../src/data/csv.js';
import { UserError } from '../../src/errors.js';
import { ROOT } from './helpers.js';

const river = path.resolve(ROOT, '../shared/data/river/CE_DIG_OBSERA_RIVERS_2019-09-26.csv');
const caps = { width: 80, height: 24, colors: 0 as const, unicode: false };

describe('runClassify', () => {
  it('returns the documented keys, and the same numbers for the same seed', async () => {
    const a = await runClassify({ dataset: 'iris', model: 'knn', seed: 3 });
    const b = await runClassify({ dataset: 'iris', model: 'knn', seed: 3 });
    expect(a.json).toEqual(b.json);
    for (const key of ['task', 'model', 'seed', 'n_train', 'n_test', 'n_dropped', 'accuracy', 'balanced_accuracy', 'macro_f1', 'per_class', 'confusion']) {
      expect(a.json).toHaveProperty(key);
    }
    expect(a.json.n_train).toBe(112);
    expect(a.json.n_test).toBe(38);
    expect(a.json.standardized).toBe(true);
    const confusion = a.json.confusion as { labels: string[]; matrix: number[][] };
    expect(confusion.labels).toEqual(['setosa', 'versicolor', 'virginica']);
    expect(confusion.matrix.flat().reduce((s, v) => s + v, 0)).toBe(38);
    // Stratified by default: 38 test rows of 3 balanced classes.
    expect(confusion.matrix.map((r) => r.reduce((s, v) => s + v, 0)).sort()).toEqual([12, 13, 13]);
    expect(a.json.accuracy as number).toBeGreaterThan(0.85);
  });

  it('gives ROC AUC for two classes, cross-validation mean ± std, and forest importances', async () => {
    const r = await runClassify({ dataset: 'breast-cancer', model: 'rf', trees: 20, cv: 3, seed: 1 });
    expect(r.json.roc_auc as number).toBeGreaterThan(0.9);
    const cv = r.json.cv as { metric: string; mean: number; std: number; folds: number[] };
    expect(cv.metric).toBe('accuracy');
    expect(cv.folds).toHaveLength(3);
    expect(cv.mean).toBeCloseTo(cv.folds.reduce((s, v) => s + v, 0) / 3, 9);
    const imp = (r.json.feature_importance as { values: Record<string, number> }).values;
    expect(Object.keys(imp)).toHaveLength(30);
    expect(Object.values(imp).reduce((s, v) => s + v, 0)).toBeCloseTo(1, 6);
    for (const f of r.figures)
      expect(
        f
          .render(caps)
          .split('\n')
          .every((l) => l.length <= 80),
      ).toBe(true);
  });

  it('reads a user CSV with --train/--test and string labels', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'eds-cls-'));
    const rows = (offset: number) => Array.from({ length: 20 }, (_, i) => `${i + offset};${i % 2 ? 'quake' : 'noise'};${(i % 2) * 10 + (i % 3)}`).join('\n');
    writeFileSync(path.join(dir, 'tr.csv'), `id;kind;snr (dB)\n${rows(0)}\n`);
    writeFileSync(path.join(dir, 'te.csv'), `id;kind;snr (dB)\n${rows(100)}\n`);
    const r = await runClassify({ train: path.join(dir, 'tr.csv'), test: path.join(dir, 'te.csv'), target: 'kind', features: ['snr (dB)'], model: 'tree' });
    expect(r.json.split).toBe('files');
    expect(r.json.n_train).toBe(20);
    expect(r.json.accuracy).toBe(1);
  });
});

describe('runRegression', () => {
  it('on diabetes: R² on test in a sensible range and train RMSE reported; poly overfits more than linear', async () => {
    const lin = await runRegression({ dataset: 'diabetes', seed: 0 });
    expect(lin.json.r2_test as number).toBeGreaterThan(0.3);
    expect(lin.json.r2_test as number).toBeLessThan(0.7);
    const poly = await runRegression({ dataset: 'diabetes', model: 'poly', degree: 2, seed: 0 });
    expect(poly.json.rmse_train as number).toBeLessThan(lin.json.rmse_train as number);
  });

  it('on the real river file: features with units, missing values dropped and counted, split by Date + Hour', async () => {
    const r = await runRegression({
      data: river,
      target: 'Suspended Load',
      features: ['Conductivity at 25°C'],
      model: 'loglog',
      split: 'time',
      timeColumns: ['Date', 'Hour'],
      cv: 3,
    });
    // 197 rows have both values (checked with Python's csv module); the rest are dropped.
    expect((r.json.n_train as number) + (r.json.n_test as number)).toBe(197);
    expect(r.json.n_dropped).toBe(1318 - 197);
    expect(r.json.n_test).toBe(50);
    expect(r.json.split).toBe('time');
    expect((r.json.cv as { folds: number[] }).folds).toHaveLength(3);
    const text = r.figures.map((f) => f.render(caps)).join('\n');
    expect(text).toContain('RMSE test');
  });

  it('counts rows dropped for a missing value and rows with too many fields separately', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'eds-reg-'));
    const file = path.join(dir, 'probe.csv');
    const lines = Array.from({ length: 40 }, (_, i) => `${i};${2 * i + 1}`);
    lines[5] = '5;NAN';
    lines[6] = '-30000.0;13';
    lines[7] = '7;15;extra';
    writeFileSync(file, `Turbidity (NTU);SSC (mg/L)\n${lines.join('\n')}\n`);
    const r = await runRegression({ data: file, target: 'SSC (mg/L)' });
    expect(r.json.n_dropped).toBe(3);
    expect(r.json.dropped).toEqual({ missing_value: 2, too_many_fields: 1 });
    expect((r.json.n_train as number) + (r.json.n_test as number)).toBe(37);
    expect(r.json.r2_test).toBeCloseTo(1, 9);
  });

  it('robust fits run with a seed; RANSAC is reproducible', async () => {
    const a = await runRegression({ dataset: 'diabetes', model: 'ransac', features: ['bmi'], seed: 4 });
    const b = await runRegression({ dataset: 'diabetes', model: 'ransac', features: ['bmi'], seed: 4 });
    expect(a.json).toEqual(b.json);
    const h = await runRegression({ dataset: 'diabetes', model: 'huber', features: ['bmi', 's5'], importance: true });
    expect(Object.keys((h.json.feature_importance as { values: object }).values)).toEqual(['bmi', 's5']);
  });

  it('fails in one line naming file, line and column on a non-numeric cell, and on a missing column', async () => {
    await expect(runRegression({ data: river, target: 'Suspended Load', features: ['Comment'] })).rejects.toThrow(
      'CE_DIG_OBSERA_RIVERS_2019-09-26.csv:3: column "Comment": expected a number, got "P24"',
    );
    await expect(runRegression({ data: river, target: 'SSC' })).rejects.toThrow(/no column "SSC"; columns are "Date", "Hour"/);
    await expect(runRegression({ dataset: 'iris' })).rejects.toThrow('iris.csv:2: column "species": expected a number, got "setosa"');
    await expect(runRegression({})).rejects.toBeInstanceOf(UserError);
    await expect(runRegression({ dataset: 'nope' })).rejects.toThrow(/unknown dataset "nope"; known datasets: iris, wine/);
  });
});

describe('runCluster', () => {
  it('k-means on wine: sizes add up, ARI/NMI against the cultivars, silhouette in (0, 1), seeded', async () => {
    const r = await runCluster({ dataset: 'wine', k: 3, seed: 2 });
    const sizes = Object.values(r.json.cluster_sizes as Record<string, number>);
    expect(sizes.reduce((a, b) => a + b, 0)).toBe(178);
    expect(r.json.ari as number).toBeGreaterThan(0.8);
    expect(r.json.nmi as number).toBeGreaterThan(0.8);
    expect(r.json.silhouette as number).toBeGreaterThan(0);
    expect(r.json).toEqual((await runCluster({ dataset: 'wine', k: 3, seed: 2 })).json);
  });

  it('DBSCAN reports noise separately; agglomerative runs', async () => {
    const d = await runCluster({ dataset: 'iris', model: 'dbscan', eps: 0.5, minSamples: 5 });
    expect(Object.keys(d.json.cluster_sizes as object)).toContain('noise');
    const a = await runCluster({ dataset: 'iris', model: 'agglomerative', k: 3 });
    expect(a.json.n_clusters).toBe(3);
  });
});

describe('dataset registry and export', () => {
  it('lists the four scikit-learn built-ins first and loads each with its default target', async () => {
    expect(
      listDatasets()
        .map((d) => d.name)
        .slice(0, 4),
    ).toEqual(['iris', 'wine', 'breast-cancer', 'diabetes']);
    const expected: Record<string, [number, number, string]> = {
      iris: [150, 5, 'species'],
      wine: [178, 14, 'cultivar'],
      'breast-cancer': [569, 31, 'diagnosis'],
      diabetes: [442, 11, 'progression'],
    };
    for (const [name, [rows, cols, target]] of Object.entries(expected)) {
      const d = await loadDataset(name, { seed: 0 });
      expect([d.rows.length, d.columns.length, d.target]).toEqual([rows, cols, target]);
    }
  });

  it('exports CSV that reads back identically, written atomically (no temp file left)', async () => {
    const d = await loadDataset('wine', { seed: 0 });
    const dir = mkdtempSync(path.join(tmpdir(), 'eds-export-'));
    const out = path.join(dir, 'wine.csv');
    await writeFileAtomic(out, formatCsv(d));
    expect(readdirSync(dir)).toEqual(['wine.csv']);
    const back = parseCsv(readFileSync(out, 'utf8')).table;
    expect(back.columns).toEqual(d.columns);
    expect(back.rows).toEqual(d.rows);
    await expect(writeFileAtomic(path.join(dir, 'missing', 'x.csv'), 'a')).rejects.toThrow(/x\.csv: cannot write: no such directory/);
  });
});
