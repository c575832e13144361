// The catalogue's regressors against scikit-learn and numpy (test/fixtures/sklearn/make_regressor_fixtures.py).
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { PolynomialRegression } from '../../src/ml/regression.js';
import { DecisionTreeRegressor } from '../../src/ml/tree.js';
import { createRegressor } from '../../src/ml/catalogue.js';
import { StandardScaler } from '../../src/ml/preprocess.js';
import { LinearSVR } from '../../src/ml/svm.js';
import { rmse } from '../../src/ml/metrics.js';
import { expectClose, fixedSplit, loadXy } from './helpers.js';

const REF = JSON.parse(readFileSync(new URL('../fixtures/sklearn/regressors.json', import.meta.url), 'utf8'));

describe('polynomial least squares on columns spanning many orders of magnitude', () => {
  it("reaches numpy's lstsq fit on standardised columns (scikit-learn on the raw columns misses it)", () => {
    const { X, y, pred_lstsq_scaled, rmse_train, rmse_train_sklearn_raw } = REF.poly3_wide;
    const model = new PolynomialRegression(3).fit(X, y);
    const pred = model.predict(X);
    expectClose(rmse(y, pred), rmse_train, 1e-6);
    expectClose(pred, pred_lstsq_scaled, 1e-6, 1e-6);
    expect(rmse_train_sklearn_raw).toBeGreaterThan(2 * rmse_train);
  });
});

describe('DecisionTreeRegressor', () => {
  const { X, y } = loadXy('diabetes');
  const Xs = fixedSplit(X);
  const ys = fixedSplit(y);
  it('grown until pure, it reproduces every training target as scikit-learn does', () => {
    const tree = new DecisionTreeRegressor().fit(Xs.train, ys.train);
    expectClose(tree.predict(Xs.train), REF.tree_diabetes.pred_train, 1e-9);
  });
  it("at depth 3, test predictions and importances within 1e-6 of scikit-learn's", () => {
    const tree = new DecisionTreeRegressor({ maxDepth: 3 }).fit(Xs.train, ys.train);
    expectClose(tree.predict(Xs.test), REF.tree_diabetes.depth3_pred_test, 1e-6);
    expectClose(tree.featureImportances, REF.tree_diabetes.depth3_feature_importances, 1e-6);
    expect(tree.depth).toBe(3);
  });
});

describe('k-NN regressor from the catalogue', () => {
  it("standardises the features and averages 5 neighbours, as scikit-learn's pipeline", () => {
    const { X, y } = loadXy('diabetes');
    const model = createRegressor('knn').fit(fixedSplit(X).train, fixedSplit(y).train);
    expectClose(model.predict(fixedSplit(X).test), REF.knn_diabetes.pred_test, 1e-6);
  });
});

describe('LinearSVR', () => {
  const { X, y } = loadXy('diabetes');
  const scaler = new StandardScaler();
  const Xtr = scaler.fitTransform(fixedSplit(X).train);
  const Xte = scaler.transform(fixedSplit(X).test);
  const ytr = fixedSplit(y).train;
  const ref = REF.svr_diabetes;
  it("converged, its weights, intercept and test predictions are scikit-learn's within 1e-5", () => {
    const svr = new LinearSVR({ tolerance: 1e-12, maxIterations: 1_000_000 }).fit(Xtr, ytr);
    expect(svr.converged).toBe(true);
    expectClose(svr.coef, ref.coef, 1e-5, 1e-5);
    expectClose(svr.intercept, ref.intercept, 1e-5);
    expectClose(svr.predict(Xte), ref.pred_test, 1e-5);
  });
  it('with an epsilon tube and a smaller C as well', () => {
    const svr = new LinearSVR({ C: 0.5, epsilon: 20, tolerance: 1e-12, maxIterations: 1_000_000 }).fit(Xtr, ytr);
    expectClose(svr.coef, ref.eps20_C05_coef, 1e-5, 1e-5);
    expectClose(svr.intercept, ref.eps20_C05_intercept, 1e-5);
  });
  it("at the catalogue's defaults (scikit-learn's: tolerance 1e-4, 1000 passes) it says whether it converged, and predicts close to the optimum", () => {
    const model = createRegressor('svr', {}, 0).fit(fixedSplit(X).train, ytr);
    const json = model.toJSON() as { model: { converged: boolean; n_iter: number } };
    expect(typeof json.model.converged).toBe('boolean');
    expect(json.model.n_iter).toBeGreaterThan(0);
    // Stopped at a relative tolerance of 1e-4, as scikit-learn's default fit is: near the optimum, not on it.
    expectClose(model.predict(fixedSplit(X).test), ref.pred_test, 5e-2);
  });
});
