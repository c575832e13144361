// The hand-assembled SIMD kernels (src/nn/simd-kernels.ts) against plain loops: Adam against adamSlice (the
// JavaScript step the workers fall back to), the sparse dense layer against a dense product over the same rows.
import { describe, expect, it } from 'vitest';
import { adamSlice } from '../../src/nn/parallel-protocol.js';
import { type SimdKernels, sharedMemory, simdKernels, simdKernelsAvailable } from '../../src/nn/simd-kernels.js';
import { createRng } from '../../src/util/rng.js';

function setUp(bytes: number): { k: SimdKernels; f: Float32Array; i: Int32Array } {
  const memory = sharedMemory(bytes)!;
  const k = simdKernels(memory);
  if (!k) throw new Error('no SIMD kernels');
  return { k, f: new Float32Array(memory.buffer), i: new Int32Array(memory.buffer) };
}

describe('SIMD kernels', () => {
  it('validate on this Node (the workers would fall back to JavaScript otherwise)', () => {
    expect(simdKernelsAvailable()).toBe(true);
  });

  it('adam: the step of adamSlice on a slice, gradients summed over three workers', () => {
    const rng = createRng(3);
    const n = 64;
    const { k, f } = setUp(1 << 16);
    // w at 0, m at n, v at 2n, gradients of 3 workers from 3n (stride n).
    for (let j = 0; j < 6 * n; j++) f[j] = rng.normal() * (j >= n && j < 3 * n ? 0.01 : 1);
    for (let j = 2 * n; j < 3 * n; j++) f[j] = Math.abs(f[j]!);
    const w = f.slice(0, n);
    const m = f.slice(n, 2 * n);
    const v = f.slice(2 * n, 3 * n);
    const g = f.slice(3 * n, 6 * n);
    const [lo, hi, step, lr] = [8, 40, 7, 2e-3];
    const initial = f.slice(0, n);
    const c1 = 1 - 0.9 ** step;
    const c2 = 1 - 0.999 ** step;
    k.adam(4 * lo, 4 * (n + lo), 4 * (2 * n + lo), 4 * (3 * n + lo), 4 * (hi - lo), 3, 4 * n, lr / c1, 0.9, 0.1, 0.999, 0.001, 1 / c2, 1e-7);
    adamSlice(w, m, v, g, n, 3, lo, hi, lr, step);
    for (let j = 0; j < n; j++) {
      expect(Math.abs(f[j]! - w[j]!)).toBeLessThanOrEqual(1e-6 * Math.abs(w[j]!) + 1e-9);
      expect(Math.abs(f[n + j]! - m[j]!)).toBeLessThanOrEqual(1e-6 * Math.abs(m[j]!) + 1e-12);
      expect(Math.abs(f[2 * n + j]! - v[j]!)).toBeLessThanOrEqual(1e-6 * Math.abs(v[j]!) + 1e-12);
      // Outside the slice nothing moves; inside, every weight does.
      if (j < lo || j >= hi) expect(f[j]).toBe(initial[j]);
      else expect(f[j]).not.toBe(initial[j]);
    }
  });

  it('sparseForward and sparseGrad: x·W + b (ReLU) and xᵀ·dz over the chosen rows, zeros skipped', () => {
    const rng = createRng(11);
    const [n, inputs, units] = [6, 23, 12];
    const x = Array.from({ length: n * inputs }, () => (rng.next() < 0.7 ? 0 : rng.normal()));
    const W = Array.from({ length: inputs * units }, () => rng.normal());
    const bias = Array.from({ length: units }, () => rng.normal());
    const rows = [4, 0, 5, 2];
    const { k, f, i } = setUp(1 << 16);
    let end = 0;
    const put = (values: number[], ints = false): number => {
      const at = end;
      (ints ? i : f).set(values, at / 4);
      end += 16 * Math.ceil((4 * values.length) / 16);
      return at;
    };
    const rowStart: number[] = [];
    const idx: number[] = [];
    const val: number[] = [];
    for (let r = 0; r < n; r++) {
      rowStart.push(idx.length);
      for (let c = 0; c < inputs; c++) {
        if (x[r * inputs + c] === 0) continue;
        idx.push(4 * c * units);
        val.push(x[r * inputs + c]!);
      }
    }
    rowStart.push(idx.length);
    const at = { rows: put(rows, true), rowStart: put(rowStart, true), idx: put(idx, true), val: put(val), W: put(W), bias: put(bias) };
    const out = put(new Array(rows.length * units).fill(0));
    const outLinear = put(new Array(rows.length * units).fill(0));
    k.sparseForward(at.rows, rows.length, at.rowStart, at.idx, at.val, at.W, at.bias, out, 4 * units, 1);
    k.sparseForward(at.rows, rows.length, at.rowStart, at.idx, at.val, at.W, at.bias, outLinear, 4 * units, 0);
    let negatives = 0;
    rows.forEach((row, r) => {
      for (let u = 0; u < units; u++) {
        let z = bias[u]!;
        for (let c = 0; c < inputs; c++) z += x[row * inputs + c]! * W[c * units + u]!;
        if (z < 0) negatives++;
        expect(f[outLinear / 4 + r * units + u]).toBeCloseTo(z, 5);
        expect(f[out / 4 + r * units + u]).toBeCloseTo(Math.max(0, z), 5);
      }
    });
    expect(negatives).toBeGreaterThan(0);
    const dz = Array.from({ length: rows.length * units }, () => rng.normal());
    const dzAt = put(dz);
    const dW = put(new Array(inputs * units).fill(0));
    k.sparseGrad(at.rows, rows.length, at.rowStart, at.idx, at.val, dzAt, dW, 4 * units);
    for (let c = 0; c < inputs; c++) {
      for (let u = 0; u < units; u++) {
        let sum = 0;
        rows.forEach((row, r) => (sum += x[row * inputs + c]! * dz[r * units + u]!));
        expect(f[dW / 4 + c * units + u]).toBeCloseTo(sum, 5);
      }
    }
  });
});
