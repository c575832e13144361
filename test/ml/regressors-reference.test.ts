// The catalogue's regressors against scikit-learn and numpy (test/fixtures/sklearn/make_regressor_fixtures.py).
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { PolynomialRegression } from '../../src/ml/regression.js';
import { DecisionTreeRegressor } from '../../src/ml/tree.js';
import { createRegressor } from '../../src/ml/catalogue.js';
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
