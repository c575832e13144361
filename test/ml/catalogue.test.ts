// The model catalogue: every name builds a model that fits, an option means one thing under one name, and options are checked.
import { describe, expect, it } from 'vitest';
import {
  CLASSIFIERS,
  CLUSTERERS,
  REGRESSORS,
  checkModelOptions,
  createClassifier,
  createClusterer,
  createRegressor,
  optionsOfKind,
} from '../../src/ml/catalogue.js';
import { CLASSIFIER_OPTIONS, CLUSTERER_OPTIONS, REGRESSOR_OPTIONS } from '../../src/ml/model-specs.js';
import { ScaledClassifier, ScaledRegressor } from '../../src/ml/preprocess.js';
import { RandomForestRegressor } from '../../src/ml/tree.js';
import { createRng } from '../../src/util/rng.js';

const rng = createRng(4);
const X = Array.from({ length: 60 }, () => [rng.next() * 10, 1 + rng.next() * 100]);
const y = X.map(([a, b]) => a! + 0.05 * b! + 0.1 * rng.normal());
const classes = y.map((v) => (v > 7 ? 1 : 0));

describe('model catalogue', () => {
  it('builds every classifier, which fits and predicts class codes', () => {
    for (const name of CLASSIFIERS) {
      const pred = createClassifier(name, name === 'mlp' ? { epochs: 5 } : {}, 1)
        .fit(X, classes)
        .predict(X);
      expect(
        pred.every((c) => c === 0 || c === 1),
        name,
      ).toBe(true);
    }
  });

  it('builds every regressor, which fits and predicts a finite number per row', () => {
    for (const name of REGRESSORS) {
      const pred = createRegressor(name, {}, 1).fit(X, y).predict(X);
      expect(pred.length, name).toBe(X.length);
      expect(pred.every(Number.isFinite), name).toBe(true);
    }
  });

  it('builds every clustering method, one label per row', () => {
    for (const name of CLUSTERERS) expect(createClusterer(name, {}, 1).fitPredict(X).labels.length, name).toBe(X.length);
  });

  it('gives an option name one declaration across models and kinds (trees, neighbors, maxDepth mean the same everywhere)', () => {
    const seen = new Map<string, string>();
    for (const catalogue of [CLASSIFIER_OPTIONS, REGRESSOR_OPTIONS, CLUSTERER_OPTIONS]) {
      for (const options of Object.values(catalogue)) {
        for (const [key, spec] of Object.entries(options)) {
          const text = JSON.stringify(spec);
          if (seen.has(key)) expect(text, key).toBe(seen.get(key));
          seen.set(key, text);
        }
      }
    }
    expect(Object.keys(optionsOfKind('regressor'))).toEqual(expect.arrayContaining(['trees', 'neighbors', 'maxDepth', 'degree']));
    expect(Object.keys(optionsOfKind('classifier'))).not.toContain('nTrees');
  });

  it('refuses an option the model does not take, a non-integer count and a value out of range, naming the option', () => {
    expect(() => createClassifier('knn', { neighbours: 50 } as never)).toThrow(/knn takes no option "neighbours" \(it takes: neighbors\)/);
    expect(() => createRegressor('rf', { trees: 2.5 })).toThrow(/trees must be an integer >= 1, got 2.5/);
    expect(() => createRegressor('poly', { degree: 11 })).toThrow(/degree must be an integer from 1 to 10, got 11/);
    expect(() => createClassifier('svm', { C: 0 })).toThrow(/C must be > 0/);
    expect(checkModelOptions('rf', REGRESSOR_OPTIONS.rf, {})).toEqual({ trees: 100, maxDepth: undefined, minSamplesLeaf: 1 });
  });

  it('standardises the models that need it unless told otherwise, and passes options and seed through', () => {
    expect(createClassifier('knn')).toBeInstanceOf(ScaledClassifier);
    expect(createClassifier('knn', {}, 0, false)).not.toBeInstanceOf(ScaledClassifier);
    expect(createClassifier('rf')).not.toBeInstanceOf(ScaledClassifier);
    expect(createRegressor('knn')).toBeInstanceOf(ScaledRegressor);
    const forest = createRegressor('rf', { trees: 7 }, 3);
    expect(forest).toBeInstanceOf(RandomForestRegressor);
    expect((forest as RandomForestRegressor).options).toMatchObject({ trees: 7, seed: 3 });
    expect(forest.fit(X, y).toJSON().n_trees).toBe(7);
  });
});
