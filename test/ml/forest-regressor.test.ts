// The random forest regressor (the river lesson's): learns a step exactly, is reproducible by seed, and beats the mean on a smooth curve.
import { describe, expect, it } from 'vitest';
import { RandomForestRegressor } from '../../src/ml/tree.js';
import { rmse } from '../../src/ml/metrics.js';
import { createRng } from '../../src/util/rng.js';

describe('RandomForestRegressor', () => {
  it('fits a step function exactly away from the step (every tree splits somewhere inside it)', () => {
    const X = Array.from({ length: 40 }, (_, i) => [i]);
    const y = X.map(([x]) => (x! < 20 ? 1 : 5));
    const model = new RandomForestRegressor({ trees: 20, seed: 1 }).fit(X, y);
    // Near the step a bootstrap sample may miss the closest points and split a little off; far from it, never.
    expect(model.predict([[0], [5], [34], [39]])).toEqual([1, 1, 5, 5]);
  });

  it('gives the same predictions for the same seed, different ones for another', () => {
    const rng = createRng(3);
    const X = Array.from({ length: 80 }, () => [rng.next(), rng.next()]);
    const y = X.map(([a, b]) => Math.sin(6 * a!) + b! + 0.1 * rng.normal());
    const a = new RandomForestRegressor({ trees: 10, seed: 5 }).fit(X, y).predict(X.slice(0, 5));
    const b = new RandomForestRegressor({ trees: 10, seed: 5 }).fit(X, y).predict(X.slice(0, 5));
    const c = new RandomForestRegressor({ trees: 10, seed: 6 }).fit(X, y).predict(X.slice(0, 5));
    expect(a).toEqual(b);
    expect(a).not.toEqual(c);
  });

  it('predicts a noisy curve on new points far better than its mean', () => {
    const rng = createRng(9);
    const make = (n: number) => {
      const X = Array.from({ length: n }, () => [rng.next()]);
      return { X, y: X.map(([x]) => Math.sin(6 * x!) + 0.1 * rng.normal()) };
    };
    const train = make(300);
    const test = make(100);
    const pred = new RandomForestRegressor({ trees: 30, seed: 2 }).fit(train.X, train.y).predict(test.X);
    const mean = train.y.reduce((s, v) => s + v, 0) / train.y.length;
    expect(rmse(test.y, pred)).toBeLessThan(0.2);
    expect(
      rmse(
        test.y,
        test.y.map(() => mean),
      ),
    ).toBeGreaterThan(0.6);
  });

  it('refuses to predict before fitting', () => {
    expect(() => new RandomForestRegressor().predict([[1]])).toThrow(/before fit/);
  });
});
