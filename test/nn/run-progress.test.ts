// One progress bar for a whole training run: the fraction across epochs only grows and reaches 1 with the last batch.
import { describe, expect, it } from 'vitest';
import { runFraction } from '../../src/nn/fit.js';
import { runTrain } from '../../src/experiments/train.js';

describe('runFraction', () => {
  it('grows across epochs and batches and ends at 1', () => {
    const epochs = 4;
    const batches = 7;
    const seen: number[] = [];
    for (let e = 0; e < epochs; e++) for (let b = 1; b <= batches; b++) seen.push(runFraction(e, b, batches, epochs));
    for (let i = 1; i < seen.length; i++) expect(seen[i]!).toBeGreaterThan(seen[i - 1]!);
    expect(seen[0]).toBeCloseTo(1 / 28, 10);
    expect(seen[seen.length - 1]).toBe(1);
    // The first batch of epoch 2 is past the end of epoch 1: no restart.
    expect(runFraction(1, 1, batches, epochs)).toBeGreaterThan(runFraction(0, batches, batches, epochs));
  });

  it('stays in [0, 1] for odd input', () => {
    expect(runFraction(0, 5, 0, 3)).toBeCloseTo(1 / 3, 10);
    expect(runFraction(5, 9, 3, 2)).toBe(1);
    expect(runFraction(0, -1, 3, 2)).toBe(0);
    expect(runFraction(0, 1, 1, 0)).toBe(0);
  });
});

describe('runTrain progress', () => {
  it('reports one fraction for the whole run: never back, 1 at the end, and the epochs planned', async () => {
    const fractions: Array<[number, string]> = [];
    const planned: Array<number | undefined> = [];
    await runTrain(
      { model: 'mlp', hiddenUnits: 8, epochs: 3, trainSize: 600, testSize: 100, batchSize: 8, seed: 1, backend: 'wasm' },
      { onProgress: (f, label) => fractions.push([f, label]), onEpochEnd: (_e, _logs, epochs) => planned.push(epochs) },
    );
    expect(planned).toEqual([3, 3, 3]);
    // At least each epoch's end is reported, with the epoch's label.
    expect(fractions.length).toBeGreaterThanOrEqual(3);
    for (let i = 1; i < fractions.length; i++) expect(fractions[i]![0]).toBeGreaterThanOrEqual(fractions[i - 1]![0]);
    expect(fractions[fractions.length - 1]).toEqual([1, 'epoch 3/3']);
    for (const e of [1, 2]) expect(fractions.find(([, l]) => l === `epoch ${e}/3`)?.[0]).toBeLessThanOrEqual(e / 3);
    expect(fractions.filter(([, l]) => l === 'epoch 2/3').every(([f]) => f > 1 / 3 - 1e-9)).toBe(true);
  }, 60_000);
});
