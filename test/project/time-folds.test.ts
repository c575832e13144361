// eds project on a time series (issue 21, screens 6): a date column is found, the overview says shuffled folds
// flatter the models, folds in blocks of time are offered (--split time), and the exported notebook rebuilds those
// folds with scikit-learn's KFold on the time order and still runs.
import { describe, expect, it } from 'vitest';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadProjectData } from '../../src/project/data.js';
import { overview } from '../../src/project/overview.js';
import { compareModels, foldsLabel, timeBlockFolds, timeOrder } from '../../src/project/compare.js';
import { exportTexts, runProject } from '../../src/project/run.js';
import type { Notebook } from '../../src/project/notebook.js';
import { runNotebook } from '../support/notebook.js';
import { runCli } from '../support/cli.js';
import { stationCsv } from '../support/station.js';

function station(): string {
  const dir = mkdtempSync(join(tmpdir(), 'eds-time-'));
  const file = join(dir, 'station.csv');
  writeFileSync(file, stationCsv());
  return file;
}

describe('a date column', () => {
  it('is found, kept out of the features, and the overview says why shuffled folds flatter', async () => {
    const data = await loadProjectData(station(), { target: 'regime' });
    expect(data.time?.column).toBe('date');
    expect(data.featureNames).toEqual(['sensor_a', 'sensor_b']);
    expect(data.columns.find((c) => c.name === 'date')).toMatchObject({ kind: 'dropped' });
    expect(data.time!.values).toHaveLength(data.X.length);
    expect(data.time!.values.every(Number.isFinite)).toBe(true);
    const warning = overview(data).warnings.find((w) => w.kind === 'time');
    expect(warning?.message).toMatch(/shuffled .*flatter.*blocks of time.*--split time/);
  });

  it('is not claimed where there is none', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'eds-time-'));
    writeFileSync(
      join(dir, 'plain.csv'),
      'x,y,label\n' + Array.from({ length: 40 }, (_, i) => `${i % 7},${(i * 3) % 11},${i % 2 ? 'a' : 'b'}`).join('\n') + '\n',
    );
    const data = await loadProjectData(join(dir, 'plain.csv'), { target: 'label' });
    expect(data.time).toBeNull();
    expect(overview(data).warnings.some((w) => w.kind === 'time')).toBe(false);
    await expect(runProject(join(dir, 'plain.csv'), { target: 'label', split: 'time', models: ['nb'] })).rejects.toThrow(
      /--split time needs a date or time column/,
    );
  });
});

describe('folds in blocks of time', () => {
  it('are consecutive periods, sized as KFold without shuffling sizes them', () => {
    const times = [50, 10, 40, 20, 30, 60, 0];
    const order = timeOrder(times);
    expect(order).toEqual([6, 1, 3, 4, 2, 0, 5]);
    const folds = timeBlockFolds(order, 3);
    expect(folds.map((f) => f.test)).toEqual([
      [1, 3, 6],
      [2, 4],
      [0, 5],
    ]);
    for (const f of folds) expect([...f.train, ...f.test].sort()).toEqual([0, 1, 2, 3, 4, 5, 6]);
  });

  it('score lower than shuffled folds on a time series: the shuffled ones flatter', async () => {
    const data = await loadProjectData(station(), { target: 'regime' });
    const run = (split: 'stratified' | 'time') =>
      compareModels(data.X, data.y, data.labels.length, { seed: 2, models: ['knn'], split, times: data.time!.values, timeColumn: 'date' });
    const shuffled = run('stratified');
    const blocks = run('time');
    expect(blocks.time?.column).toBe('date');
    expect(foldsLabel(blocks)).toBe('5 folds in blocks of time ("date")');
    // Every test fold is one stretch of time: no other fold's row falls inside it.
    const t = data.time!.values;
    const spans = blocks.testFolds.map((f) => [Math.min(...f.map((i) => t[i]!)), Math.max(...f.map((i) => t[i]!))] as const);
    for (const [a, [lo, hi]] of spans.entries()) {
      for (const [b, fold] of blocks.testFolds.entries()) if (a !== b) expect(fold.some((i) => t[i]! >= lo && t[i]! <= hi)).toBe(false);
    }
    expect(shuffled.results[0]!.balancedAccuracy.mean).toBeGreaterThan(blocks.results[0]!.balancedAccuracy.mean + 0.05);
  });
});

describe('the exported notebook', () => {
  it('rebuilds the blocks of time with KFold on the time order, runs with scikit-learn, and shows what shuffling would say', async () => {
    const file = station();
    const run = await runProject(file, { target: 'regime', seed: 1, split: 'time', models: ['knn', 'nb', 'logreg'] });
    expect(run.comparison.split).toBe('time');
    const { notebook, report } = exportTexts(run, { user: 'carol', version: 'test', time: '2026-01-01T00:00:00Z', file, answers: [] });
    expect(report).toContain('5 folds in blocks of time ("date")');
    const nb = JSON.parse(notebook) as Notebook;
    const source = nb.cells.map((c) => c.source.join('')).join('\n');
    expect(source).toContain('KFold(n_splits=5, shuffle=False).split(time_order)');
    expect(source).toContain('StratifiedKFold(n_splits=n_splits, shuffle=True');
    expect(nb.metadata.eds).toMatchObject({ split: 'time', time_column: 'date' });
    const path = join(mkdtempSync(join(tmpdir(), 'eds-time-nb-')), 'station.ipynb');
    writeFileSync(path, notebook);
    const result = runNotebook(path);
    expect(result.stderr, result.stderr).toBe('');
    expect(result.status).toBe(0);
    expect(result.foldSizes).toEqual(run.comparison.testFolds.map((f) => f.length));
    expect(result.printed).toMatch(/knn +balanced accuracy: blocks of time \d\.\d{3} +shuffled \d\.\d{3}/);
    // k-NN has no randomness: scikit-learn on these folds gives the tutor's fold accuracies (to one row).
    const sizes = result.foldSizes;
    result.folds.knn!.forEach((acc, f) => expect(Math.round(Math.abs(acc - result.edsFolds.knn![f]!) * sizes[f]!)).toBeLessThanOrEqual(1));
  }, 120_000);

  it('eds project --split time, without a terminal, writes it; an unknown split is a usage error', async () => {
    const file = station();
    const dir = mkdtempSync(join(tmpdir(), 'eds-time-cli-'));
    const home = mkdtempSync(join(tmpdir(), 'eds-time-home-'));
    process.env.EDS_HOME = home;
    try {
      const r = await runCli(['project', file, '--target', 'regime', '--split', 'time', '--models', 'nb', '--json', '--export', join(dir, 'p.ipynb')]);
      expect(r.code).toBe(0);
      const json = JSON.parse(r.out) as { split: string; time_column: string };
      expect(json).toMatchObject({ split: 'time', time_column: 'date' });
      const bad = await runCli(['project', file, '--target', 'regime', '--split', 'weekly']);
      expect(bad.code).toBe(2);
    } finally {
      delete process.env.EDS_HOME;
    }
  }, 60_000);
});
