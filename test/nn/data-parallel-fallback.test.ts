// Training workers that cannot start (a thread limit, a crash while loading wasm) cost speed, never the run: auto
// falls back to tfjs's own loop and says why; a forced parallel path fails in one line. Worker threads are replaced
// by ones that fail as they start.
import { beforeAll, describe, expect, it, vi } from 'vitest';

vi.mock('node:worker_threads', async (importOriginal) => {
  const real = await importOriginal<typeof import('node:worker_threads')>();
  // vi.mock runs before the file's imports: what the factory needs it imports itself.
  const { EventEmitter } = await import('node:events');
  class FailingWorker extends EventEmitter {
    constructor() {
      super();
      setImmediate(() => this.emit('error', new Error('ERR_WORKER_INIT_FAILED: no more threads')));
    }
    postMessage(): void {}
    ref(): void {}
    unref(): void {}
    terminate(): Promise<number> {
      return Promise.resolve(1);
    }
  }
  return { ...real, Worker: FailingWorker };
});

const { initBackend } = await import('../../src/nn/backend.js');
const { fitClassifier, setTrainingPath, trainingPathOf } = await import('../../src/nn/fit.js');
const { buildDigitsModel } = await import('../../src/nn/models.js');
const { loadPackagedDigits, splitDigits } = await import('../../src/data/digits.js');

const N = 640;
let x: { values: Float32Array; shape: number[] };
let y: { values: Float32Array; shape: number[] };

beforeAll(async () => {
  await initBackend('wasm');
  const { train } = splitDigits(loadPackagedDigits(), N, 1, 0);
  x = { values: Float32Array.from(train.pixels, (v) => v / 255), shape: [N, 28, 28, 1] };
  const oneHot = new Float32Array(N * 10);
  for (let i = 0; i < N; i++) oneHot[i * 10 + train.labels[i]!] = 1;
  y = { values: oneHot, shape: [N, 10] };
});

describe('training workers that fail to start', () => {
  const options = { epochs: 7, batchSize: 64, learningRate: 1e-3, seed: 1 }; // 4,480 samples: auto would go parallel

  it('auto trains on the plain path, says why, and the next training is not refused as busy', async () => {
    setTrainingPath('auto');
    for (let round = 0; round < 2; round++) {
      const net = buildDigitsModel('mlp', { seed: round });
      const h = await fitClassifier(net, x, y, options);
      net.dispose();
      expect(trainingPathOf(h)).toEqual({ path: 'plain', workers: 1, why: 'the training workers failed to start: ERR_WORKER_INIT_FAILED: no more threads' });
      expect(h.loss).toHaveLength(7);
      expect(h.loss[6]!).toBeLessThan(h.loss[0]!);
    }
  });

  it('a forced parallel path fails in one line', async () => {
    setTrainingPath('parallel', 2);
    const net = buildDigitsModel('mlp', { seed: 0 });
    try {
      await expect(fitClassifier(net, x, y, options)).rejects.toThrow(
        /^cannot train in parallel: the training workers failed to start: ERR_WORKER_INIT_FAILED: no more threads$/,
      );
    } finally {
      net.dispose();
      setTrainingPath('auto');
    }
  });
});
