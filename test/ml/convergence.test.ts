// Iterative solvers say when they stopped before their tolerance: `converged` and `n_iter` in the JSON, a warning first on screen.
import { describe, expect, it } from 'vitest';
import { runClassify } from '../../src/experiments/classify.js';
import { LinearSVC } from '../../src/ml/svm.js';
import { LogisticRegression } from '../../src/ml/logistic.js';

describe('convergence of logistic regression and the linear SVM', () => {
  for (const model of ['svm', 'logreg'] as const) {
    it(`${model} on wine's unscaled features stops at max_iter, says so, and converges once standardised`, async () => {
      const raw = await runClassify({ dataset: 'wine', model, standardize: false });
      expect(raw.json.converged).toBe(false);
      expect(raw.json.n_iter).toBe(1000);
      expect(raw.figures[0]!.title).toMatch(/^Warning: .* did not converge in 1000 iterations$/);
      expect(raw.figures[0]!.render({ width: 80, height: 24 } as never)).toMatch(/standardise the features/);
      const scaled = await runClassify({ dataset: 'wine', model });
      expect(scaled.json.converged).toBe(true);
      expect(scaled.json.n_iter).toBeGreaterThan(1);
      expect(scaled.json.n_iter).toBeLessThan(1000);
      expect(scaled.figures.map((f) => f.title).some((t) => t.startsWith('Warning'))).toBe(false);
      expect(scaled.json.accuracy as number).toBeGreaterThan(raw.json.accuracy as number);
    });
  }

  it('counts passes of the slowest binary problem (SVM) and L-BFGS iterations (logistic regression)', () => {
    const X = [[0], [1], [2], [3], [4], [5]];
    const y = [0, 0, 0, 1, 1, 1];
    const svm = new LinearSVC({ maxIterations: 1 }).fit(X, y);
    expect([svm.converged, svm.nIter]).toEqual([false, 1]);
    const svmDone = new LinearSVC().fit(X, y);
    expect(svmDone.converged).toBe(true);
    expect(svmDone.toJSON()).toMatchObject({ converged: true, n_iter: svmDone.nIter });
    const lr = new LogisticRegression({ maxIterations: 2 }).fit(X, y);
    expect([lr.converged, lr.nIter]).toEqual([false, 2]);
    const lrDone = new LogisticRegression().fit(X, y);
    expect(lrDone.converged).toBe(true);
    expect(lrDone.nIter).toBeGreaterThan(2);
  });
});

describe('every declared model option reaches the model', () => {
  // max-iter was declared and accepted, then dropped on the way to the classifier: 50 ran 1000 iterations.
  it.each(['svm', 'logreg'])('%s: max-iter from a lesson or eds run sets the limit the fit stops at', async (model) => {
    const { runTask } = await import('../../src/experiments/registry.js');
    const result = await runTask('classify', { dataset: 'wine', model, standardize: 'false', 'max-iter': '50' }, 0);
    expect(result.json.converged).toBe(false);
    expect(result.json.n_iter).toBe(50);
  });

  it('regression and cluster pass their model options on too', async () => {
    const { runTask } = await import('../../src/experiments/registry.js');
    const shallow = await runTask('regression', { dataset: 'river', model: 'tree', 'max-depth': '1' }, 0);
    const deep = await runTask('regression', { dataset: 'river', model: 'tree', 'max-depth': '8' }, 0);
    expect(shallow.json.rmse_train).not.toBe(deep.json.rmse_train);
    const two = await runTask('cluster', { dataset: 'wine', k: '2' }, 0);
    expect(two.json.n_clusters).toBe(2);
  });
});
