// Model builders and the training loop: parameter counts, PhaseNet shapes and a training step on wasm,
// the same tiny CNN training on wasm and plain JS, reproducibility, and no tensor leaks across epochs.
import { beforeAll, describe, expect, it } from 'vitest';
import * as tf from '../../src/nn/tf.js';
import { initBackend } from '../../src/nn/backend.js';
import { buildDigitsCnn, buildDigitsMlp, buildPhaseNet, countTrainableParams } from '../../src/nn/models.js';
import { crossEntropy, fitClassifier, type HostTensor } from '../../src/nn/fit.js';
import { loadPackagedDigits, splitDigits } from '../../src/data/digits.js';

function digits(n: number, seed: number): { x: HostTensor; y: HostTensor } {
  const { train } = splitDigits(loadPackagedDigits(), n, 10, seed);
  const x = Float32Array.from(train.pixels, (v) => v / 255);
  const y = new Float32Array(n * 10);
  train.labels.forEach((label, i) => (y[i * 10 + label] = 1));
  return { x: { values: x, shape: [n, 28, 28, 1] }, y: { values: y, shape: [n, 10] } };
}

beforeAll(async () => {
  await initBackend('wasm');
});

describe('model builders', () => {
  it('count the parameters the course quotes', () => {
    expect(countTrainableParams(buildDigitsMlp({ seed: 1 }))).toBe(101_770);
    expect(countTrainableParams(buildDigitsCnn({ seed: 1 }))).toBe(5_258);
    // PhaseNet as published: 268,443 trainable parameters (batch-norm moving statistics excluded).
    const phasenet = buildPhaseNet({ seed: 1 });
    expect(countTrainableParams(phasenet)).toBe(268_443);
    expect(phasenet.inputs[0]!.shape).toEqual([null, 3001, 3]);
    expect(phasenet.outputs[0]!.shape).toEqual([null, 3001, 3]);
    phasenet.dispose();
  });

  it('seeded initialisers: same seed same weights, other seed other weights', () => {
    const first = (seed: number): Float32Array => {
      const m = buildDigitsCnn({ seed });
      const w = m.getWeights()[0]!.dataSync() as Float32Array;
      m.dispose();
      return w;
    };
    expect(first(3)).toEqual(first(3));
    expect(first(3)).not.toEqual(first(4));
  });

  it('PhaseNet runs forward to per-sample probabilities and trains one step on wasm', async () => {
    await tf.setBackend('wasm');
    const model = buildPhaseNet({ seed: 2 });
    const optimizer = tf.train.adam(1e-3);
    const x = tf.randomNormal([2, 3001, 3], 0, 1, 'float32', 5);
    // Targets: noise everywhere except a P at sample 1000 and an S at sample 1500 (one-hot for the test).
    const labels = new Int32Array(2 * 3001);
    labels[1000] = 1;
    labels[3001 + 1500] = 2;
    const y = tf.oneHot(tf.tensor2d(labels, [2, 3001]), 3);
    const before = model.getWeights().map((w) => w.dataSync().slice());
    const probs = model.predict(x) as tf.Tensor;
    expect(probs.shape).toEqual([2, 3001, 3]);
    const sums = tf.sum(probs, -1).dataSync();
    for (const s of sums) expect(s).toBeCloseTo(1, 5);
    const loss = optimizer.minimize(() => crossEntropy(model.apply(x, { training: true }) as tf.Tensor, y), true)!;
    expect(Number.isFinite(loss.dataSync()[0])).toBe(true);
    const after = model.getWeights();
    const changed = after.filter((w, i) => w.dataSync().some((v, j) => v !== before[i]![j])).length;
    // Every kernel, bias, gamma and beta moves, and the batch-norm moving statistics too.
    expect(changed).toBe(after.length);
    tf.dispose([x, y, probs, loss]);
    optimizer.dispose();
    model.dispose();
  });
});

describe('fitClassifier', () => {
  it('a tiny CNN trains to the same loss on wasm and on plain JS', async () => {
    const data = digits(96, 7);
    const run = async (backend: 'wasm' | 'cpu') => {
      await tf.setBackend(backend);
      const model = buildDigitsCnn({ seed: 11 });
      const history = await fitClassifier(model, data.x, data.y, { epochs: 2, batchSize: 32, learningRate: 3e-3, seed: 5 });
      model.dispose();
      return history;
    };
    const wasm = await run('wasm');
    const js = await run('cpu');
    await tf.setBackend('wasm');
    // 6 Adam steps in float32: the backends sum in different orders, so allow a little drift.
    for (let e = 0; e < 2; e++) {
      expect(wasm.loss[e]).toBeCloseTo(js.loss[e]!, 3);
      expect(Math.abs(wasm.accuracy[e]! - js.accuracy[e]!)).toBeLessThanOrEqual(1 / 96);
    }
    expect(wasm.loss[1]).toBeLessThan(wasm.loss[0]!);
  });

  it('is reproducible on one backend and does not leak tensors across epochs', async () => {
    await tf.setBackend('wasm');
    const data = digits(320, 8);
    const counts: number[] = [];
    const run = async () => {
      const model = buildDigitsMlp({ seed: 1, hiddenUnits: 32 });
      const history = await fitClassifier(model, data.x, data.y, {
        epochs: 4,
        batchSize: 64,
        learningRate: 1e-2,
        seed: 2,
        validation: { x: data.x, y: data.y },
        onEpochEnd: () => {
          counts.push(tf.memory().numTensors);
        },
      });
      model.dispose();
      return history;
    };
    const baseline = tf.memory().numTensors;
    const a = await run();
    expect(new Set(counts.slice(1)).size).toBe(1);
    expect(counts[0]).toBe(counts[3]);
    const b = await run();
    expect(b.loss).toEqual(a.loss);
    expect(b.val_accuracy).toEqual(a.val_accuracy);
    expect(a.loss[3]).toBeLessThan(a.loss[0]!);
    expect(tf.memory().numTensors).toBe(baseline);
  });
});
