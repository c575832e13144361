// Metrics on fixed predictions, compared with scikit-learn to 1e-6 relative.
import { describe, expect, it } from 'vitest';
import {
  accuracy,
  adjustedRandIndex,
  balancedAccuracy,
  classReport,
  confusionMatrix,
  inertia,
  macroF1,
  mae,
  normalizedMutualInfo,
  r2,
  rmse,
  rocAuc,
  silhouetteScore,
} from '../../src/ml/metrics.js';
import { REF, expectClose, loadXy } from './helpers.js';

const M = REF.metrics;

describe('classification metrics against scikit-learn', () => {
  it('accuracy, balanced accuracy, macro-F1 within 1e-6', () => {
    expectClose(accuracy(M.y_true, M.y_pred), M.accuracy);
    expectClose(balancedAccuracy(M.y_true, M.y_pred), M.balanced_accuracy);
    expectClose(macroF1(M.y_true, M.y_pred), M.macro_f1);
  });

  it('confusion matrix equal; per-class precision, recall, F1, support within 1e-6', () => {
    const cm = confusionMatrix(M.y_true, M.y_pred);
    expect(cm).toEqual(M.confusion);
    const rep = classReport(cm);
    expectClose(rep.precision, M.precision);
    expectClose(rep.recall, M.recall);
    expectClose(rep.f1, M.f1);
    expect(rep.support).toEqual(M.support);
  });

  it('ROC AUC with tied scores within 1e-6', () => {
    expectClose(rocAuc(M.binary_true, M.binary_score), M.roc_auc);
    expect(rocAuc([0, 0, 1, 1], [0.1, 0.2, 0.3, 0.4])).toBe(1);
    expect(rocAuc([0, 1], [0.5, 0.5])).toBe(0.5);
    expect(() => rocAuc([1, 1], [0.1, 0.2])).toThrow(/both classes/);
  });

  it('a class never predicted scores precision 0, not NaN', () => {
    const rep = classReport(confusionMatrix([0, 1, 2], [0, 0, 0]));
    expect(rep.precision).toEqual([1 / 3, 0, 0]);
    expect(rep.f1[1]).toBe(0);
  });
});

describe('regression metrics against scikit-learn', () => {
  it('RMSE, MAE, R² within 1e-6', () => {
    expectClose(rmse(M.reg_true, M.reg_pred), M.rmse);
    expectClose(mae(M.reg_true, M.reg_pred), M.mae);
    expectClose(r2(M.reg_true, M.reg_pred), M.r2);
    expect(r2([1, 2, 3], [2, 2, 2])).toBe(0);
    expect(() => rmse([1, 2], [1])).toThrow('rmse: 2 true values but 1 predictions');
  });
});

describe('clustering metrics against scikit-learn', () => {
  it('adjusted Rand index and NMI within 1e-6; both 1 for a renamed partition', () => {
    expectClose(adjustedRandIndex(M.y_true, M.y_pred), M.ari);
    expectClose(normalizedMutualInfo(M.y_true, M.y_pred), M.nmi);
    expect(adjustedRandIndex([0, 0, 1, 1, 2], [5, 5, -1, -1, 3])).toBeCloseTo(1, 12);
    expect(normalizedMutualInfo([0, 0, 1, 1], [1, 1, 0, 0])).toBeCloseTo(1, 12);
  });

  it('silhouette and inertia of scikit-learn’s k-means labels on iris within 1e-6', () => {
    const { X } = loadXy('iris');
    expectClose(silhouetteScore(X, M.iris_kmeans_labels), M.iris_kmeans_silhouette);
    expectClose(inertia(X, M.iris_kmeans_labels), M.iris_kmeans_inertia);
  });

  it('silhouette on a seeded subsample stays close to the full value and is reproducible', () => {
    const { X } = loadXy('iris');
    const a = silhouetteScore(X, M.iris_kmeans_labels, { maxRows: 100, seed: 3 });
    expect(a).toBe(silhouetteScore(X, M.iris_kmeans_labels, { maxRows: 100, seed: 3 }));
    expect(Math.abs(a - M.iris_kmeans_silhouette)).toBeLessThan(0.05);
  });
});
