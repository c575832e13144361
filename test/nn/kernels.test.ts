// The wasm Conv2DBackpropFilter we register must give the plain-JS backend's gradients, for both strategies and
// through the ops that need it (conv2d, conv1d, conv2dTranspose), without leaking backend buffers.
import { beforeAll, describe, expect, it } from 'vitest';
import * as tf from '../../src/nn/tf.js';
import { initBackend } from '../../src/nn/backend.js';
import { ADDED_WASM_KERNELS, setFilterGradStrategy, setWasmReplacements, type FilterGradStrategy } from '../../src/nn/kernels.js';
import { createRng } from '../../src/util/rng.js';

type Pad = 'same' | 'valid';
interface Case {
  x: [number, number, number, number];
  filter: [number, number, number, number];
  strides: [number, number];
  pad: Pad;
}

const CASES: Case[] = [
  { x: [2, 9, 9, 2], filter: [3, 3, 2, 3], strides: [1, 1], pad: 'valid' },
  { x: [2, 9, 9, 2], filter: [3, 3, 2, 3], strides: [2, 2], pad: 'same' },
  { x: [3, 10, 10, 1], filter: [3, 3, 1, 4], strides: [2, 2], pad: 'same' },
  { x: [3, 10, 11, 3], filter: [3, 2, 3, 2], strides: [2, 3], pad: 'valid' },
  { x: [4, 28, 28, 1], filter: [3, 3, 1, 8], strides: [1, 1], pad: 'valid' },
  { x: [2, 13, 13, 8], filter: [5, 5, 8, 16], strides: [1, 1], pad: 'same' },
  // PhaseNet-like 1-D shapes: width 1, kernel 7, stride 4, lengths that do not divide.
  { x: [2, 751, 1, 4], filter: [7, 1, 4, 8], strides: [4, 1], pad: 'same' },
  { x: [2, 47, 1, 8], filter: [7, 1, 8, 8], strides: [1, 1], pad: 'same' },
];

function randomArray(size: number, seed: number): Float32Array {
  const rng = createRng(seed);
  const out = new Float32Array(size);
  for (let i = 0; i < size; i++) out[i] = rng.normal();
  return out;
}

function outSize(n: number, k: number, s: number, pad: Pad): number {
  return pad === 'same' ? Math.ceil(n / s) : Math.floor((n - k) / s) + 1;
}

/** The filter gradient of one case, computed on the current backend. */
function filterGrad(c: Case, seed: number): Float32Array {
  const dyShape = [c.x[0], outSize(c.x[1], c.filter[0], c.strides[0], c.pad), outSize(c.x[2], c.filter[1], c.strides[1], c.pad), c.filter[3]];
  return tf.tidy(() => {
    const x = tf.tensor4d(
      randomArray(
        c.x.reduce((p, q) => p * q),
        seed,
      ),
      c.x,
    );
    const dy = tf.tensor(
      randomArray(
        dyShape.reduce((p, q) => p * q),
        seed + 1,
      ),
      dyShape,
    );
    const dw = tf.engine().runKernel('Conv2DBackpropFilter', { x, dy }, {
      strides: c.strides,
      pad: c.pad,
      dataFormat: 'NHWC',
      dimRoundingMode: undefined,
      filterShape: c.filter,
    } as unknown as tf.NamedAttrMap) as tf.Tensor;
    return dw.dataSync() as Float32Array;
  });
}

function expectClose(actual: Float32Array, expected: Float32Array, rtol = 1e-4): void {
  expect(actual.length).toBe(expected.length);
  let scale = 0;
  for (const v of expected) scale = Math.max(scale, Math.abs(v));
  let worst = 0;
  for (let i = 0; i < expected.length; i++) worst = Math.max(worst, Math.abs(actual[i]! - expected[i]!));
  expect(worst).toBeLessThanOrEqual(rtol * Math.max(1, scale));
}

async function on<T>(backend: 'cpu' | 'wasm', fn: () => T): Promise<T> {
  await tf.setBackend(backend);
  return fn();
}

beforeAll(async () => {
  await initBackend('wasm');
});

describe('wasm training kernels', () => {
  it('adds Conv2DBackpropFilter, which stock tfjs-backend-wasm lacks', () => {
    const names = tf.getKernelsForBackend('wasm').map((k) => k.kernelName);
    for (const k of ADDED_WASM_KERNELS) expect(names).toContain(k);
  });

  for (const strategy of ['conv2d', 'conv3d'] as FilterGradStrategy[]) {
    it(`Conv2DBackpropFilter (${strategy}) matches the plain-JS backend on ${CASES.length} shapes`, async () => {
      setFilterGradStrategy(strategy);
      try {
        for (const [i, c] of CASES.entries()) {
          const expected = await on('cpu', () => filterGrad(c, 100 + i));
          const actual = await on('wasm', () => filterGrad(c, 100 + i));
          try {
            expectClose(actual, expected);
          } catch (e) {
            throw new Error(`case ${i} ${JSON.stringify(c)}: ${(e as Error).message}`);
          }
        }
      } finally {
        setFilterGradStrategy('conv2d');
      }
    });
  }

  it('gradients of conv2d, conv1d and conv2dTranspose through autodiff match the plain-JS backend', async () => {
    const grads = (): Float32Array[] =>
      tf.tidy(() => {
        const x = tf.tensor4d(randomArray(2 * 12 * 12 * 3, 1), [2, 12, 12, 3]);
        const w = tf.tensor4d(randomArray(3 * 3 * 3 * 5, 2), [3, 3, 3, 5]);
        const x1 = tf.tensor3d(randomArray(2 * 50 * 3, 3), [2, 50, 3]);
        const w1 = tf.tensor3d(randomArray(7 * 3 * 4, 4), [7, 3, 4]);
        // conv2dTranspose filter: [h, w, outChannels, inChannels].
        const xt = tf.tensor4d(randomArray(2 * 13 * 1 * 4, 5), [2, 13, 1, 4]);
        const wt = tf.tensor4d(randomArray(7 * 1 * 6 * 4, 6), [7, 1, 6, 4]);
        const g2 = tf.grads((a: tf.Tensor, b: tf.Tensor) => tf.sum(tf.square(tf.conv2d(a as tf.Tensor4D, b as tf.Tensor4D, [2, 2], 'same'))))([x, w]);
        const g1 = tf.grads((a: tf.Tensor, b: tf.Tensor) => tf.sum(tf.square(tf.conv1d(a as tf.Tensor3D, b as tf.Tensor3D, 4, 'same'))))([x1, w1]);
        const gt = tf.grads((a: tf.Tensor, b: tf.Tensor) =>
          tf.sum(tf.square(tf.conv2dTranspose(a as tf.Tensor4D, b as tf.Tensor4D, [2, 52, 1, 6], [4, 1], 'same'))),
        )([xt, wt]);
        return [...g2, ...g1, ...gt].map((g) => g.dataSync() as Float32Array);
      });
    const expected = await on('cpu', grads);
    const actual = await on('wasm', grads);
    expect(actual).toHaveLength(6);
    actual.forEach((a, i) => expectClose(a, expected[i]!));
  });

  it('Conv2DBackpropInput (XNNPACK route) matches the plain-JS backend, also as conv2dTranspose', async () => {
    const dx = (c: Case, seed: number): Float32Array => {
      const dyShape = [c.x[0], outSize(c.x[1], c.filter[0], c.strides[0], c.pad), outSize(c.x[2], c.filter[1], c.strides[1], c.pad), c.filter[3]];
      return tf.tidy(() => {
        const dy = tf.tensor(
          randomArray(
            dyShape.reduce((p, q) => p * q),
            seed,
          ),
          dyShape,
        );
        const w = tf.tensor(
          randomArray(
            c.filter.reduce((p, q) => p * q),
            seed + 1,
          ),
          c.filter,
        );
        const out = tf.engine().runKernel('Conv2DBackpropInput', { dy, filter: w }, {
          strides: c.strides,
          pad: c.pad,
          dataFormat: 'NHWC',
          dimRoundingMode: undefined,
          inputShape: c.x,
        } as unknown as tf.NamedAttrMap) as tf.Tensor;
        expect(out.shape).toEqual(c.x);
        return out.dataSync() as Float32Array;
      });
    };
    for (const [i, c] of CASES.entries()) {
      const expected = await on('cpu', () => dx(c, 200 + i));
      const actual = await on('wasm', () => dx(c, 200 + i));
      expectClose(actual, expected);
    }
  });

  it('MaxPoolGrad (heap loop) matches the plain-JS backend, ties and overlapping windows included', async () => {
    const pools: Array<{ x: [number, number, number, number]; size: number; stride: number; pad: Pad }> = [
      { x: [2, 8, 8, 3], size: 2, stride: 2, pad: 'valid' },
      { x: [3, 13, 11, 5], size: 2, stride: 2, pad: 'valid' },
      { x: [1, 9, 9, 2], size: 2, stride: 2, pad: 'same' },
      { x: [2, 9, 9, 3], size: 3, stride: 2, pad: 'same' },
      { x: [1, 7, 5, 2], size: 3, stride: 1, pad: 'valid' },
      { x: [2, 751, 1, 4], size: 4, stride: 4, pad: 'same' },
    ];
    const grad = (p: (typeof pools)[number], seed: number): Float32Array =>
      tf.tidy(() => {
        // Rounded values make ties, and ReLU-like zeros make whole windows tie: the first maximum must win.
        const x = tf.relu(
          tf.round(
            tf.tensor4d(
              randomArray(
                p.x.reduce((a, b) => a * b),
                seed,
              ),
              p.x,
            ),
          ),
        );
        const g = tf.grad((v: tf.Tensor) =>
          tf.sum(
            tf.mul(
              tf.maxPool(v as tf.Tensor4D, p.size, p.stride, p.pad),
              tf.reshape(tf.range(1, 1 + tf.maxPool(x, p.size, p.stride, p.pad).size), tf.maxPool(x, p.size, p.stride, p.pad).shape),
            ),
          ),
        )(x);
        return g.dataSync() as Float32Array;
      });
    for (const [i, p] of pools.entries()) {
      const expected = await on('cpu', () => grad(p, 300 + i));
      const actual = await on('wasm', () => grad(p, 300 + i));
      expectClose(actual, expected, 0);
    }
  });

  it('BatchMatMul with transposed operands matches the stock kernel and the plain-JS backend', async () => {
    const products = (): Float32Array[] =>
      tf.tidy(() => {
        const a = tf.tensor3d(randomArray(2 * 7 * 5, 11), [2, 7, 5]);
        const b = tf.tensor3d(randomArray(2 * 7 * 4, 12), [2, 7, 4]);
        const c = tf.tensor2d(randomArray(6 * 5, 13), [6, 5]);
        return [
          tf.matMul(a, b, true, false),
          tf.matMul(b, a, true, false),
          tf.matMul(a, c, false, true),
          tf.matMul(tf.transpose(b, [0, 2, 1]), a, false, false),
        ].map((t) => t.dataSync() as Float32Array);
      });
    const expected = await on('cpu', products);
    const actual = await on('wasm', products);
    setWasmReplacements(false);
    const stockWasm = products();
    setWasmReplacements(true);
    actual.forEach((v, i) => {
      expectClose(v, expected[i]!);
      expectClose(v, stockWasm[i]!);
    });
  });

  it('frees every intermediate buffer', async () => {
    await tf.setBackend('wasm');
    const c = CASES[2]!;
    filterGrad(c, 7);
    const before = tf.memory();
    for (let i = 0; i < 5; i++) filterGrad(c, 7);
    const step = () =>
      tf.tidy(() => {
        const x = tf.randomNormal([2, 12, 1, 3]);
        const w = tf.randomNormal([7, 1, 4, 3]);
        return tf
          .grads((p: tf.Tensor, q: tf.Tensor) =>
            tf.sum(
              tf.matMul(
                tf.reshape(tf.maxPool(tf.conv2dTranspose(p as tf.Tensor4D, q as tf.Tensor4D, [2, 47, 1, 4], [4, 1], 'same'), 2, 2, 'same'), [2, 96]),
                tf.ones([5, 96]),
                false,
                true,
              ),
            ),
          )([x, w])
          .map((g) => g.dataSync());
      });
    step();
    const mid = tf.memory();
    for (let i = 0; i < 3; i++) step();
    expect(tf.memory().numDataBuffers).toBe(mid.numDataBuffers);
    const after = tf.memory();
    expect(after.numTensors).toBe(before.numTensors);
    expect(after.numDataBuffers).toBe(before.numDataBuffers);
  });
});
