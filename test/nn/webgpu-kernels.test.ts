// Every kernel the course's models run while they train (digits MLP and CNN, the PhaseNet U-Net, the attention
// model) is registered on the WebGPU backend, so a student with a GPU never meets "Kernel … not registered".
// The kernels are recorded from a real training step here (WebAssembly) and looked up in tfjs-backend-webgpu's
// registry, which fills on import whether or not a GPU exists.
import { beforeAll, describe, expect, it } from 'vitest';
import { initBackend } from '../../src/nn/backend.js';
import { buildDigitsModel, buildPhaseNet } from '../../src/nn/models.js';
import { fitClassifier } from '../../src/nn/fit.js';
import { runAttention } from '../../src/experiments/attention.js';

type Tf = typeof import('../../src/nn/tf.js');
let tf: Tf;

beforeAll(async () => {
  tf = (await initBackend('auto')).tf;
  await import('@tensorflow/tfjs-backend-webgpu');
});

/** The kernel names one run of `f` dispatches. */
async function kernelsOf(f: () => Promise<unknown>): Promise<Set<string>> {
  const info = await tf.profile(async () => {
    await f();
    return tf.scalar(0);
  });
  // Names ending in __op are ops with a custom gradient (tf.customGrad), not kernels: what they run is listed too.
  return new Set(info.kernelNames.filter((k) => !k.endsWith('__op')));
}

function oneHot(n: number, classes: number, at: (i: number) => number): Float32Array {
  const y = new Float32Array(n * classes);
  for (let i = 0; i < n; i++) y[i * classes + at(i)] = 1;
  return y;
}

const train = { epochs: 1, batchSize: 4, learningRate: 1e-3, seed: 0 };

describe('training kernels on WebGPU', () => {
  it('registers every kernel the course models train with', async () => {
    const used = new Map<string, Set<string>>();
    for (const name of ['mlp', 'cnn'] as const) {
      const model = buildDigitsModel(name, { seed: 1 });
      const x = { values: new Float32Array(8 * 784).map((_, i) => (i % 7) / 7), shape: [8, 28, 28, 1] };
      const y = { values: oneHot(8, 10, (i) => i % 10), shape: [8, 10] };
      used.set(name, await kernelsOf(() => fitClassifier(model, x, y, train)));
      model.dispose();
    }
    const net = buildPhaseNet({ seed: 1 });
    const len = 3001;
    const px = { values: new Float32Array(4 * len * 3).map((_, i) => Math.sin(i / 13)), shape: [4, len, 3] };
    const py = { values: oneHot(4 * len, 3, (i) => (i % len > 1500 ? 1 : 0)), shape: [4, len, 3] };
    used.set('phasenet', await kernelsOf(() => fitClassifier(net, px, py, train)));
    net.dispose();
    // The published network (length 3000) as the neural lesson runs it: inference only.
    const published = buildPhaseNet({ seed: 1, length: 3000 });
    used.set(
      'published phasenet',
      await kernelsOf(async () => {
        const x = tf.zeros([1, 3000, 3]);
        (published.predict(x) as import('@tensorflow/tfjs-core').Tensor).dispose();
        x.dispose();
      }),
    );
    published.dispose();
    used.set('attention', await kernelsOf(() => runAttention({ traces: 16, epochs: 1, length: 16, width: 4, seed: 1 })));

    const onWebgpu = new Set(tf.getKernelsForBackend('webgpu').map((k) => k.kernelName));
    expect(onWebgpu.size).toBeGreaterThan(100);
    const missing: string[] = [];
    for (const [model, kernels] of used) {
      // Each model trained: gradients ran (a backprop kernel or the optimiser's update shows it).
      expect(kernels.size, model).toBeGreaterThan(8);
      for (const k of kernels) if (!onWebgpu.has(k)) missing.push(`${model}: ${k}`);
    }
    expect(used.get('cnn')).toContain('Conv2DBackpropFilter');
    expect(missing).toEqual([]);
  }, 120_000);
});
