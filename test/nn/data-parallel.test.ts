// The data-parallel trainer (src/nn/data-parallel.ts, train-worker.ts) against tfjs's own training loop: the same
// batches, the same Adam, so the same losses, accuracies and model up to float rounding. The workers run the built
// dist/nn/train-worker.js (npx tsc -p tsconfig.json first). No timing is asserted.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { initBackend } from '../../src/nn/backend.js';
import { stopTrainingWorkers, parallelPlan } from '../../src/nn/data-parallel.js';
import { evaluateClassifier, fitClassifier, type FitHistory, type HostTensor, setTrainingPath, trainingPathOf } from '../../src/nn/fit.js';
import { buildDigitsCnn, buildDigitsModel, buildPhaseNet, type DigitsModelName } from '../../src/nn/models.js';
import { loadPackagedDigits, splitDigits } from '../../src/data/digits.js';

const N = 640;
let data: { x: HostTensor; y: HostTensor; vx: HostTensor; vy: HostTensor };

function host(pixels: Uint8Array, labels: ArrayLike<number>, n: number): { x: HostTensor; y: HostTensor } {
  const y = new Float32Array(n * 10);
  for (let i = 0; i < n; i++) y[i * 10 + labels[i]!] = 1;
  return { x: { values: Float32Array.from(pixels, (v) => v / 255), shape: [n, 28, 28, 1] }, y: { values: y, shape: [n, 10] } };
}

beforeAll(async () => {
  await initBackend('wasm');
  const { train, test } = splitDigits(loadPackagedDigits(), N, 300, 0);
  const t = host(train.pixels, train.labels, N);
  const v = host(test.pixels, test.labels, 300);
  data = { x: t.x, y: t.y, vx: v.x, vy: v.y };
});

afterAll(async () => {
  setTrainingPath('auto');
  await stopTrainingWorkers();
});

async function train(model: DigitsModelName, path: 'plain' | 'parallel', workers?: number, cnn?: { filters: number[]; pool: number[] }) {
  setTrainingPath(path, workers);
  const net = buildDigitsModel(model, { seed: 4, ...(cnn ? { cnn } : {}) });
  try {
    const history = await fitClassifier(net, data.x, data.y, { epochs: 2, batchSize: 64, learningRate: 2e-3, seed: 5, validation: { x: data.vx, y: data.vy } });
    const taken = trainingPathOf(history);
    const held = await evaluateClassifier(net, data.vx, data.vy);
    return { history, taken, held };
  } finally {
    net.dispose();
  }
}

function expectClose(a: FitHistory, b: FitHistory): void {
  for (let e = 0; e < a.loss.length; e++) {
    expect(Math.abs(a.loss[e]! - b.loss[e]!)).toBeLessThan(1e-3 * a.loss[e]!);
    expect(Math.abs(a.val_loss[e]! - b.val_loss[e]!)).toBeLessThan(2e-3 * a.val_loss[e]!);
    expect(Math.abs(a.accuracy[e]! - b.accuracy[e]!)).toBeLessThanOrEqual(3 / N);
    expect(Math.abs(a.val_accuracy[e]! - b.val_accuracy[e]!)).toBeLessThanOrEqual(3 / 300);
  }
}

describe('data-parallel training', () => {
  it('plans the digits models and refuses what it cannot train (batch norm, strides)', () => {
    for (const name of ['mlp', 'cnn'] as const) {
      const net = buildDigitsModel(name, { seed: 0 });
      const plan = parallelPlan(net);
      net.dispose();
      expect(typeof plan).not.toBe('string');
    }
    const unet = buildPhaseNet({ seed: 0, length: 64, depth: 2 });
    expect(parallelPlan(unet)).toMatch(/not supported|stride|bias/);
    unet.dispose();
  });

  for (const model of ['mlp', 'cnn'] as const) {
    it(`${model}: two workers give tfjs's losses and accuracies, training and held out, within float rounding`, async () => {
      const plain = await train(model, 'plain');
      expect(plain.taken?.path).toBe('plain');
      const parallel = await train(model, 'parallel', 2);
      expect(parallel.taken).toEqual({ path: 'parallel', workers: 2 });
      // It learnt something, so the comparison is not of two untrained nets.
      expect(plain.history.loss[1]!).toBeLessThan(plain.history.loss[0]!);
      expectClose(plain.history, parallel.history);
      expect(Math.abs(plain.held.loss - parallel.held.loss)).toBeLessThan(2e-3 * plain.held.loss);
    });
  }

  it('one worker and two agree, and a run repeats exactly', async () => {
    const one = await train('cnn', 'parallel', 1);
    const two = await train('cnn', 'parallel', 2);
    const again = await train('cnn', 'parallel', 2);
    expectClose(one.history, two.history);
    expect(again.history.loss).toEqual(two.history.loss);
    expect(again.held).toEqual(two.held);
  });

  it('a second training while one runs takes the plain path, and both finish', async () => {
    setTrainingPath('auto');
    const a = buildDigitsModel('mlp', { seed: 1 });
    const b = buildDigitsModel('mlp', { seed: 2 });
    const options = { epochs: 7, batchSize: 64, learningRate: 1e-3, seed: 1 }; // 4,480 samples: auto goes parallel
    // Both are awaited together, so a failed assertion never leaves the first holding the workers for the next test.
    const [h, second] = await Promise.all([fitClassifier(a, data.x, data.y, options), fitClassifier(b, data.x, data.y, options)]);
    a.dispose();
    b.dispose();
    expect(trainingPathOf(h)).toEqual({ path: 'parallel', workers: 2 });
    expect(trainingPathOf(second)).toMatchObject({ path: 'plain', why: expect.stringMatching(/busy/) });
    expect(h.loss).toHaveLength(7);
    expect(second.loss).toHaveLength(7);
  });

  it('trains other CNN shapes: no pooling after a layer, pooling by 3', async () => {
    const arch = { filters: [4, 6], pool: [1, 3] };
    const net = buildDigitsCnn({ seed: 0, cnn: arch });
    expect(typeof parallelPlan(net)).not.toBe('string');
    net.dispose();
    const plain = await train('cnn', 'plain', undefined, arch);
    const parallel = await train('cnn', 'parallel', 2, arch);
    expectClose(plain.history, parallel.history);
  });
});
