// Regression models against scikit-learn: least squares to 1e-6, Huber to 1e-4, RANSAC by its consensus set.
import { describe, expect, it } from 'vitest';
import { HuberRegressor, LinearRegression, LogLogRegression, PolynomialRegression, RansacRegressor, medianAbsoluteDeviation } from '../../src/ml/regression.js';
import { median } from '../../src/util/stats.js';
import { polynomialFeatures } from '../../src/ml/preprocess.js';
import { mae, r2, rmse } from '../../src/ml/metrics.js';
import { REF, expectClose, fixedSplit, loadXy } from './helpers.js';

describe('least squares', () => {
  it('linear regression on diabetes: coefficients, predictions and test metrics within 1e-6 of scikit-learn', () => {
    const { X, y } = loadXy('diabetes');
    const Xs = fixedSplit(X);
    const ys = fixedSplit(y);
    const model = new LinearRegression().fit(Xs.train, ys.train);
    const ref = REF.linear_diabetes;
    expectClose(model.coef, ref.coef, 1e-6);
    expectClose(model.intercept, ref.intercept, 1e-6);
    const pred = model.predict(Xs.test);
    expectClose(pred, ref.pred_test, 1e-6);
    expectClose(rmse(ys.test, pred), ref.rmse_test, 1e-6);
    expectClose(mae(ys.test, pred), ref.mae_test, 1e-6);
    expectClose(r2(ys.test, pred), ref.r2_test, 1e-6);
  });

  it('degree-2 polynomial on diabetes bmi and s5: test predictions within 1e-6 of scikit-learn', () => {
    const { X, y, columns } = loadXy('diabetes');
    const cols = [columns.indexOf('bmi'), columns.indexOf('s5')];
    const X2 = X.map((r) => cols.map((c) => r[c]!));
    const model = new PolynomialRegression(2).fit(fixedSplit(X2).train, fixedSplit(y).train);
    expectClose(model.predict(fixedSplit(X2).test), REF.poly2_diabetes_bmi_s5.pred_test, 1e-6);
  });

  it('degree-3 polynomial on a synthetic cubic: coefficients within 1e-6 of scikit-learn', () => {
    const { x, y, coef, intercept } = REF.poly3_synthetic;
    const model = new PolynomialRegression(3).fit(
      x.map((v: number) => [v]),
      y,
    );
    expectClose(model.linear.coef, coef, 1e-6);
    expectClose(model.linear.intercept, intercept, 1e-6, 1e-8);
  });

  it('polynomial features come in scikit-learn order (x0, x1, x0², x0·x1, x1²)', () => {
    expect(polynomialFeatures([[2, 3]], 2)).toEqual([[2, 3, 4, 6, 9]]);
    expect(polynomialFeatures([[2, 3]], 3)[0]).toHaveLength(9);
  });

  it('collinear columns give the minimum-norm solution instead of failing', () => {
    const X = [
      [1, 2],
      [2, 4],
      [3, 6],
      [4, 8],
    ];
    const model = new LinearRegression().fit(X, [3, 5, 7, 9]);
    // y = 1 + 2x = 1 + 0.4·x + 0.8·(2x): minimum-norm split of the slope between the two copies.
    expectClose(model.coef, [0.4, 0.8], 1e-9);
    expectClose(model.predict([[5, 10]]), [11], 1e-9);
  });

  it('log–log regression recovers a power law y = 3·x^1.5 exactly', () => {
    const X = [1, 2, 5, 10, 50].map((v) => [v]);
    const y = X.map(([v]) => 3 * v! ** 1.5);
    const model = new LogLogRegression().fit(X, y);
    expectClose(model.linear.coef, [1.5], 1e-10);
    expectClose(model.predict([[20]]), [3 * 20 ** 1.5], 1e-10);
    expect(() => new LogLogRegression().fit([[1], [0]], [1, 2])).toThrow(/positive values/);
  });
});

describe('robust regression on a line with fouled-probe outliers', () => {
  const { x, y } = REF.robust_synthetic;
  const X = x.map((v: number) => [v]);

  it('Huber: slope, intercept and scale within 1e-4 relative of scikit-learn (same objective, both converged)', () => {
    const model = new HuberRegressor().fit(X, y);
    expectClose(model.coef, [REF.robust_synthetic.huber_coef], 1e-4);
    expectClose(model.intercept, REF.robust_synthetic.huber_intercept, 1e-4);
    expectClose(model.scale, REF.robust_synthetic.huber_scale, 1e-4);
  });

  it('RANSAC: slope within 0.05 of scikit-learn and closer to the true 3 than least squares', () => {
    const model = new RansacRegressor({ seed: 0 }).fit(X, y);
    expect(Math.abs(model.linear.coef[0]! - REF.robust_synthetic.ransac_coef)).toBeLessThan(0.05);
    expect(Math.abs(model.linear.coef[0]! - 3)).toBeLessThan(Math.abs(REF.robust_synthetic.ols_coef - 3));
    // The 8 shifted rows are the outliers; a few noisy inliers may fall outside the MAD threshold too.
    expect(model.inliers.slice(0, 8).some(Boolean)).toBe(false);
    expect(Math.abs(model.inliers.filter(Boolean).length - REF.robust_synthetic.ransac_n_inliers)).toBeLessThanOrEqual(3);
  });

  it('RANSAC with the same seed gives the same fit', () => {
    const a = new RansacRegressor({ seed: 5 }).fit(X, y).toJSON();
    const b = new RansacRegressor({ seed: 5 }).fit(X, y).toJSON();
    expect(a).toEqual(b);
  });

  it('median and MAD', () => {
    expect(median([3, 1, 2])).toBe(2);
    expect(median([4, 1, 2, 3])).toBe(2.5);
    expect(medianAbsoluteDeviation([1, 1, 2, 2, 4, 6, 9])).toBe(1);
  });
});
