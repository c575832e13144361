// Classifiers against scikit-learn on iris, wine and breast cancer (fixed i % 4 split, standardised where sklearn's pipeline was).
import { describe, expect, it } from 'vitest';
import { KNeighborsClassifier } from '../../src/ml/knn.js';
import { GaussianNB } from '../../src/ml/naive-bayes.js';
import { LogisticRegression } from '../../src/ml/logistic.js';
import { LinearSVC } from '../../src/ml/svm.js';
import { DecisionTreeClassifier, RandomForestClassifier } from '../../src/ml/tree.js';
import { ScaledClassifier, StandardScaler } from '../../src/ml/preprocess.js';
import { pca } from '../../src/ml/pca.js';
import { accuracy } from '../../src/ml/metrics.js';
import { REF, expectClose, fixedSplit, loadXy } from './helpers.js';

const DATA = [
  ['iris', 'iris'],
  ['wine', 'wine'],
  ['breast-cancer', 'breast_cancer'],
] as const;

function prepared(name: string) {
  const { X, y } = loadXy(name);
  const Xs = fixedSplit(X);
  const ys = fixedSplit(y);
  const scaler = new StandardScaler().fit(Xs.train);
  return { Xtr: Xs.train, Xte: Xs.test, ytr: ys.train, yte: ys.test, Ztr: scaler.transform(Xs.train), Zte: scaler.transform(Xs.test) };
}

describe.each(DATA)('%s', (name, key) => {
  const d = prepared(name);
  const ref = REF[key];

  it(`k-NN (k = 5, standardised) on ${name}: predictions and probabilities equal scikit-learn's (1e-6)`, () => {
    const model = new KNeighborsClassifier(5).fit(d.Ztr, d.ytr);
    expect(model.predict(d.Zte)).toEqual(ref.knn5_pred);
    expectClose(model.predictProba(d.Zte).flat(), ref.knn5_proba.flat(), 1e-6);
  });

  it(`Gaussian naive Bayes on ${name}: predictions equal and probabilities within 1e-6 (abs) of scikit-learn`, () => {
    const model = new GaussianNB().fit(d.Xtr, d.ytr);
    expect(model.predict(d.Xte)).toEqual(ref.nb_pred);
    expectClose(model.predictProba(d.Xte).flat(), ref.nb_proba.flat(), 1e-6, 1e-6);
  });

  it(`logistic regression (multinomial, C = 1) on ${name}: test accuracy within 0.01 of scikit-learn and probabilities within 1e-3`, () => {
    const model = new LogisticRegression().fit(d.Ztr, d.ytr);
    expect(Math.abs(accuracy(d.yte, model.predict(d.Zte)) - ref.logreg_accuracy)).toBeLessThanOrEqual(0.01);
    expectClose(model.predictProba(d.Zte).flat(), ref.logreg_proba.flat(), 0, 1e-3);
    if (ref.logreg_coef.length > 1) expectClose(model.coef.flat(), ref.logreg_coef.flat(), 1e-3, 1e-3);
    // Two classes: scikit-learn's single weight vector is the difference of our two.
    else
      expectClose(
        model.coef[1]!.map((w, j) => w - model.coef[0]![j]!),
        ref.logreg_coef[0],
        1e-3,
        1e-3,
      );
  });

  it(`linear SVM (squared hinge, C = 1, one-vs-rest) on ${name}: test accuracy within 0.02 of scikit-learn's LinearSVC, weights within 1e-4`, () => {
    const model = new LinearSVC({ tolerance: 1e-6, maxIterations: 5000 }).fit(d.Ztr, d.ytr);
    expect(Math.abs(accuracy(d.yte, model.predict(d.Zte)) - ref.svm_accuracy)).toBeLessThanOrEqual(0.02);
    expectClose(model.coef.flat(), ref.svm_coef.flat(), 1e-4, 1e-4);
    expectClose(model.intercept, ref.svm_intercept, 1e-4, 1e-4);
  });

  it(`random forest (100 trees) on ${name}: mean test accuracy over 3 seeds within 0.05 of scikit-learn's mean over 5`, () => {
    const accs = [0, 1, 2].map((seed) => accuracy(d.yte, new RandomForestClassifier({ trees: 100, seed }).fit(d.Xtr, d.ytr).predict(d.Xte)));
    expect(Math.abs(accs.reduce((a, b) => a + b, 0) / 3 - ref.rf_accuracy_mean)).toBeLessThanOrEqual(0.05);
  });

  it(`decision tree on ${name}: test accuracy within 0.08 of scikit-learn's mean over seeds; fits the training rows exactly`, () => {
    const model = new DecisionTreeClassifier({ seed: 0 }).fit(d.Xtr, d.ytr);
    expect(accuracy(d.ytr, model.predict(d.Xtr))).toBe(1);
    expect(Math.abs(accuracy(d.yte, model.predict(d.Xte)) - ref.tree_accuracy_mean)).toBeLessThanOrEqual(0.08);
    expectClose(
      model.featureImportances.reduce((a, b) => a + b, 0),
      1,
      1e-12,
    );
  });

  it(`PCA of standardised ${name}: explained variance and ratios within 1e-6 of scikit-learn`, () => {
    const res = pca(d.Ztr);
    expectClose(res.explainedVariance, ref.pca_explained_variance, 1e-6, 1e-9);
    expectClose(res.explainedVarianceRatio, ref.pca_explained_variance_ratio, 1e-6, 1e-9);
    expect(res.scores[0]).toHaveLength(ref.pca_explained_variance.length);
  });
});

describe('model behaviour', () => {
  it('random forests with the same seed agree exactly; different seeds differ somewhere', () => {
    const d = prepared('wine');
    const a = new RandomForestClassifier({ trees: 10, seed: 3 }).fit(d.Xtr, d.ytr).predictProba(d.Xte);
    const b = new RandomForestClassifier({ trees: 10, seed: 3 }).fit(d.Xtr, d.ytr).predictProba(d.Xte);
    const c = new RandomForestClassifier({ trees: 10, seed: 4 }).fit(d.Xtr, d.ytr).predictProba(d.Xte);
    expect(a).toEqual(b);
    expect(a).not.toEqual(c);
  });

  it('a depth-1 tree on a 1-D step finds the midpoint threshold', () => {
    const tree = new DecisionTreeClassifier({ maxDepth: 1 }).fit([[0], [1], [2], [10], [11]], [0, 0, 0, 1, 1]);
    expect(tree.predict([[5.9], [6.1]])).toEqual([0, 1]);
    expect(tree.depth).toBe(1);
  });

  it('ScaledClassifier fits the scaler on the training rows only', () => {
    const model = new ScaledClassifier(new KNeighborsClassifier(1)).fit([[0], [10]], [0, 1]);
    expect(model.scaler.mean).toEqual([5]);
    expect(model.predict([[1000]])).toEqual([1]);
  });

  it('rejects bad input with specific messages', () => {
    expect(() => new KNeighborsClassifier(0)).toThrow('number of neighbours must be an integer >= 1, got 0');
    expect(() => new KNeighborsClassifier(5).fit([[1], [2]], [0, 1])).toThrow(/needs at least 5 training rows/);
    expect(() => new GaussianNB().fit([[1], [Number.NaN]], [0, 1])).toThrow('X row 1 has a non-finite value NaN');
    expect(() => new LinearSVC().fit([[1], [2]], [0, 0])).toThrow(/at least two classes/);
  });
});
