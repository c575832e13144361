// The `eds run` and `eds datasets` commands end to end through the yargs parser (stdout captured, no subprocess).
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { main } from '../../src/cli/main.js';
import { checkTaskOptions, runTask } from '../../src/experiments/registry.js';
import { REGRESSORS } from '../../src/ml/model-specs.js';
import { ROOT } from './helpers.js';

let out = '';
let err = '';
beforeEach(() => {
  out = '';
  err = '';
  vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
    out += String(chunk);
    return true;
  });
  vi.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => {
    err += String(chunk);
    return true;
  });
  process.exitCode = undefined;
});
afterEach(() => {
  vi.restoreAllMocks();
  process.exitCode = undefined;
});

const river = path.resolve(ROOT, '../shared/data/river/CE_DIG_OBSERA_RIVERS_2019-09-26.csv');

describe('eds run', () => {
  it('classify --json prints the metrics with snake_case keys', async () => {
    await main(['run', 'classify', '--dataset', 'iris', '--model', 'knn', '--neighbors', '7', '--seed', '2', '--json']);
    const json = JSON.parse(out);
    expect(json).toMatchObject({ task: 'classify', model: 'knn', seed: 2, n_train: 112, n_test: 38, n_dropped: 0 });
    expect(json.balanced_accuracy).toBeGreaterThan(0.8);
    expect(process.exitCode).toBeUndefined();
  });

  it('regression on the river file with a unit-bearing feature name and a time split', async () => {
    await main([
      'run',
      'regression',
      '--data',
      river,
      '--target',
      'Suspended Load',
      '--features',
      'Conductivity at 25°C',
      '--split',
      'time',
      '--time-column',
      'Date,Hour',
      '--json',
    ]);
    const json = JSON.parse(out);
    expect(json.features).toEqual(['Conductivity at 25°C']);
    expect(json.n_dropped).toBe(1121);
  });

  it("regression takes the catalogue's tree models and k-NN, with their options (the river lesson's forest by time)", async () => {
    await main(['run', 'regression', '--dataset', 'river', '--model', 'rf', '--split', 'time', '--trees', '20', '--json']);
    const forest = JSON.parse(out);
    expect(forest).toMatchObject({ model: 'rf', split: 'time', parameters: { model: 'rf', n_trees: 20 } });
    expect(forest.rmse_train).toBeLessThan(forest.rmse_test);
    for (const [flags, check] of [
      [['--model', 'tree', '--max-depth', '2'], (j: { parameters: { depth: number } }) => expect(j.parameters.depth).toBe(2)],
      [['--model', 'knn', '--neighbors', '3'], (j: { standardized?: boolean; parameters: { model: { k: number } } }) => expect(j.parameters.model.k).toBe(3)],
    ] as const) {
      out = '';
      await main(['run', 'regression', '--dataset', 'river', '--split', 'time', ...flags, '--json']);
      (check as (j: unknown) => void)(JSON.parse(out));
    }
    expect(process.exitCode).toBeUndefined();
  });

  it('classify says in --json and in its text when the solver stopped before converging', async () => {
    await main(['run', 'classify', '--dataset', 'wine', '--model', 'svm', '--no-standardize', '--json']);
    expect(JSON.parse(out)).toMatchObject({ converged: false, n_iter: 1000 });
    out = '';
    await main(['run', 'classify', '--dataset', 'wine', '--model', 'svm', '--no-standardize']);
    expect(out).toMatch(/Warning: the linear SVM did not converge in 1000 iterations/);
    out = '';
    await main(['run', 'classify', '--dataset', 'wine', '--model', 'svm', '--json']);
    expect(JSON.parse(out)).toMatchObject({ converged: true });
  });

  it('prints tables without --json, and one-line errors with exit codes', async () => {
    await main(['run', 'cluster', '--dataset', 'wine', '--k', '3']);
    expect(out).toContain('silhouette');
    await main(['run', 'classify', '--dataset', 'iris', '--neigbors', '3']);
    expect(err).toContain('eds: unknown option --neigbors for eds run classify; did you mean --neighbors?');
    expect(process.exitCode).toBe(2);
    err = '';
    // The British spelling is refused too (a lesson's `neighbours: 50` once ran k = 5 without a word).
    await main(['run', 'classify', '--dataset', 'iris', '--model', 'knn', '--neighbours', '50']);
    expect(err.split('\n')[0]).toBe('eds: unknown option --neighbours for eds run classify; did you mean --neighbors?');
    err = '';
    await main(['run', 'classify', '--dataset', 'iris', '--model', 'knn', '--neighbors', '0']);
    expect(err.split('\n')[0]).toBe('eds: --neighbors for eds run classify: expected an integer of at least 1, got "0"');
    err = '';
    await main(['run', 'regression', '--dataset', 'iris', '--model', 'cubic']);
    expect(err.split('\n')[0]).toBe(`eds: --model for eds run regression: expected one of ${REGRESSORS.join(', ')}, got "cubic"`);
    err = '';
    await main(['run', 'no-such-task']);
    expect(err.split('\n')[0]).toMatch(/^eds: unknown task "no-such-task"; choose one of regression, classify, cluster, train, pick/);
    expect(process.exitCode).toBe(2);
  });
});

describe('eds datasets', () => {
  it('list --json names the four scikit-learn built-ins first', async () => {
    await main(['datasets', 'list', '--json']);
    expect(
      JSON.parse(out)
        .datasets.map((d: { name: string }) => d.name)
        .slice(0, 4),
    ).toEqual(['iris', 'wine', 'breast-cancer', 'diabetes']);
  });

  it('export writes CSV to stdout, or to --out', async () => {
    await main(['datasets', 'export', 'iris']);
    expect(out.split('\n')[0]).toBe('sepal length (cm),sepal width (cm),petal length (cm),petal width (cm),species');
    expect(out.trim().split('\n')).toHaveLength(151);
    const file = path.join(mkdtempSync(path.join(tmpdir(), 'eds-cli-')), 'd.csv');
    await main(['datasets', 'export', 'diabetes', '--out', file]);
    expect(readFileSync(file, 'utf8').trim().split('\n')).toHaveLength(443);
    await main(['datasets', 'export', 'nope']);
    expect(err).toContain('unknown dataset "nope"');
    expect(process.exitCode).toBe(1);
  });
});

describe('lesson task adapters', () => {
  it('parse kebab-case string options and run the same experiment as the command', async () => {
    expect(checkTaskOptions('classify', { 'test-size': '0.3', features: 'a, b', standardize: 'false', 'time-column': 'Date,Hour' })).toEqual({
      testSize: 0.3,
      features: ['a', 'b'],
      standardize: false,
      timeColumn: ['Date', 'Hour'],
    });
    expect(() => checkTaskOptions('classify', { neighbors: 'many' })).toThrow('classify: option neighbors: expected an integer of at least 1, got "many"');
    // The British spelling once ran the default k = 5 without a word.
    expect(() => checkTaskOptions('classify', { neighbours: '50' })).toThrow(/^classify: unknown option "neighbours": did you mean neighbors\?/);
    const r = await runTask('classify', { dataset: 'iris', model: 'knn' }, 2);
    await main(['run', 'classify', '--dataset', 'iris', '--model', 'knn', '--seed', '2', '--json']);
    expect(r.json).toEqual(JSON.parse(out));
  });
});
