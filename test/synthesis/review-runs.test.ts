// "Your results so far" (synthesis): every kept run of every lesson with its numbers, the lidar lessons included,
// in course order, nothing cut at the screen's height.
import path from 'node:path';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { describe, expect, it } from 'vitest';
import { openStore } from '../../src/store/index.js';
import { runReviewTask } from '../../src/experiments/synthesis.js';
import { runMetrics, stepRuns } from '../../src/experiments/review-view.js';

const caps = { width: 80, height: 18, colors: 0 as const, unicode: true };

describe('your results so far', () => {
  it('lists each run with its metrics, the lidar runs among them, at 80×24', async () => {
    const home = mkdtempSync(path.join(tmpdir(), 'eds-review-runs-'));
    const store = openStore({ home, user: 'erin', env: {} });
    // A river run saved the way the tutor saves it: the last results (the whole JSON) and the kept runs.
    const fitRun = (model: string, rmse: number) => ({
      options: { stage: 'fit', model, scale: 'log' },
      results: { task: 'river', stage: 'fit', seed: 7, model, n_samples: 380, slope: 1.41, rmse, r2: 0.88 },
    });
    store.saveStep('river', 'fit-log', 5, {
      options: fitRun('ransac', 0.21).options,
      results: fitRun('ransac', 0.21).results,
      runs: [fitRun('linear', 0.25), fitRun('ransac', 0.21)],
    });
    // Many river steps first, so a list cut at the figure's height would lose the later lessons.
    for (let i = 0; i < 20; i++) store.saveStep('river', `extra-${i}`, 6 + i, { options: {}, results: { task: 'river', rmse: 0.3 + i / 100 } });
    const lidar = {
      task: 'lidar-classify',
      source: 'dunes',
      model: 'rf',
      seed: 7,
      n_cores: 2000,
      accuracy: 0.962,
      balanced_accuracy: 0.8977,
      macro_f1: 0.9067,
      per_class: { floor: { f1: 0.97 } },
    };
    store.saveStep('lidar-supervised', 'classify-rf', 4, { options: { model: 'rf' }, results: lidar as never });
    store.saveStep('lidar-unsupervised', 'cluster-kmeans', 2, {
      options: { model: 'kmeans', k: '3' },
      results: { task: 'lidar-cluster', k: 3, silhouette: 0.3081, ari: 0.0963, nmi: 0.156 },
    });
    store.close();

    const result = await runReviewTask({}, 0, undefined, { home, user: 'erin' });
    const figure = result.figures[0]!;
    const drawn = figure.render(caps);
    const lines = drawn.split('\n');
    // A run wraps onto indented continuation lines: read it as one.
    const text = drawn.replace(/\n {4}/g, ' ');
    for (const line of lines) expect(line.length, line).toBeLessThanOrEqual(80);
    // Metrics, not only options: the river runs' errors and the lidar scores are there.
    expect(text, drawn).toMatch(/fit-log \(stage=fit, model=linear, scale=log\): rmse 0\.25/);
    expect(text).toMatch(/fit-log \(stage=fit, model=ransac, scale=log\): rmse 0\.21/);
    expect(text).toMatch(/classify-rf \(model=rf\): accuracy 0\.962 · balanced_accuracy 0\.8977 · macro_f1 0\.9067/);
    expect(text).toMatch(/cluster-kmeans \(model=kmeans, k=3\): silhouette 0\.3081 · ari 0\.09630? · nmi 0\.156/);
    expect(text).not.toMatch(/task=|seed=|\[object Object\]/);
    // Lessons in course order, each named by its title where the lesson is known.
    const at = (s: string) => lines.findIndex((l) => l.includes(s));
    expect(at('(river)')).toBeGreaterThanOrEqual(0);
    expect(at('(river)')).toBeLessThan(at('(lidar-supervised)'));
    expect(at('(lidar-supervised)')).toBeLessThan(at('(lidar-unsupervised)'));
    expect(lines.length).toBeGreaterThan(caps.height);
  });

  it('picks scores before counts and settings, and reads a step saved before runs were kept', () => {
    const run = { options: { k: '3' }, results: { seed: 1, n_cores: 500, k: 3, inertia: 12.5, silhouette: 0.31, best_k_silhouette: 5 } };
    const run2 = { options: {}, results: { seed: 1, n_train: 10, windows_per_second: 40, p_f1: 0.9, params: 5258 } };
    // The seed, counts and the options it ran with (k) are how the run was made, not what it found.
    expect(runMetrics(run).shown.map(([k]) => k)).toEqual(['silhouette', 'best_k_silhouette', 'inertia']);
    expect(runMetrics(run2).shown.map(([k]) => k)).toEqual(['p_f1', 'params', 'windows_per_second']);
    expect(runMetrics(run2, 1)).toEqual({ shown: [['p_f1', 0.9]], more: 2 });
    expect(stepRuns({ options: { model: 'rf' }, results: { accuracy: 0.9, confusion: { matrix: [[1]] } } })).toEqual([
      { options: { model: 'rf' }, results: { accuracy: 0.9 } },
    ]);
    expect(stepRuns({})).toEqual([]);
  });
});
