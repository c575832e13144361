// The digits CNN trained here reaches PyTorch's accuracy on the same data and schedule
// (test/fixtures/torch/reference.json, made by make_reference.py beside it). No timing is asserted.
import { describe, expect, it } from 'vitest';
import path from 'node:path';
import { readFileSync } from 'node:fs';
import { initBackend } from '../../src/nn/backend.js';
import { buildDigitsCnn, countTrainableParams } from '../../src/nn/models.js';
import { evaluateClassifier, fitClassifier, type HostTensor } from '../../src/nn/fit.js';
import { loadIdxDigits, subsetDigits, type DigitSet } from '../../src/data/digits.js';

const ROOT = path.resolve(import.meta.dirname, '../..');
const DIGITS = path.resolve(ROOT, '../shared/data/digits');
const reference = JSON.parse(readFileSync(path.join(ROOT, 'test/fixtures/torch/reference.json'), 'utf8')) as {
  n_params: number;
  n_train: number;
  n_test: number;
  batch_size: number;
  learning_rate: number;
  epochs: number;
  test_accuracy: number;
};

function host(set: DigitSet): { x: HostTensor; y: HostTensor } {
  const y = new Float32Array(set.count * 10);
  set.labels.forEach((label, i) => (y[i * 10 + label] = 1));
  return { x: { values: Float32Array.from(set.pixels, (v) => v / 255), shape: [set.count, 28, 28, 1] }, y: { values: y, shape: [set.count, 10] } };
}

describe('digits CNN against the PyTorch reference', () => {
  it('has the same parameter count and reaches the same test accuracy within 2.5 points', async () => {
    await initBackend('wasm');
    const all = loadIdxDigits(path.join(DIGITS, 't10k-images-idx3-ubyte.gz'), path.join(DIGITS, 't10k-labels-idx1-ubyte.gz'));
    const range = (from: number, count: number) => Array.from({ length: count }, (_, i) => from + i);
    // The split the script uses: the first 8,000 t10k digits train, the next 2,000 test.
    const train = host(subsetDigits(all, range(0, reference.n_train)));
    const test = host(subsetDigits(all, range(reference.n_train, reference.n_test)));
    const model = buildDigitsCnn({ seed: 0 });
    expect(countTrainableParams(model)).toBe(reference.n_params);
    await fitClassifier(model, train.x, train.y, {
      epochs: reference.epochs,
      batchSize: reference.batch_size,
      learningRate: reference.learning_rate,
      seed: 0,
    });
    const { accuracy } = await evaluateClassifier(model, test.x, test.y);
    model.dispose();
    // Different initialisers (Glorot here, Kaiming there) and shuffles: the runs differ by about a point.
    expect(Math.abs(accuracy - reference.test_accuracy)).toBeLessThanOrEqual(0.025);
  });
});
