// The hand-assembled SIMD kernels (src/nn/simd-kernels.ts) against plain loops: Adam against adamSlice (the
// JavaScript step the workers fall back to), the sparse dense layer against a dense product over the same rows.
import { describe, expect, it } from 'vitest';
import { adamSlice } from '../../src/nn/parallel-protocol.js';
import { convFilterGradFor, type SimdKernels, sharedMemory, simdKernels, simdKernelsAvailable } from '../../src/nn/simd-kernels.js';
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

  // Every pass width (4, 8 and 16 filters at a time), odd shapes, non-square kernels.
  for (const [n, H, W, C, KH, KW, co] of [
    [2, 6, 7, 1, 3, 3, 8],
    [3, 5, 5, 3, 2, 3, 4],
    [2, 7, 6, 2, 3, 2, 16],
    [1, 4, 9, 5, 1, 4, 12],
  ] as const) {
    it(`convFilterGrad: x [${n}, ${H}, ${W}, ${C}], ${KH}×${KW} kernel, ${co} filters`, () => {
      const rng = createRng(n * 100 + co);
      const [OH, OW] = [H - KH + 1, W - KW + 1];
      const x = Array.from({ length: n * H * W * C }, () => (rng.next() < 0.4 ? 0 : rng.normal()));
      const dy = Array.from({ length: n * OH * OW * co }, () => rng.normal());
      const { k, f } = setUp(1 << 16);
      const dyAt = 4 * x.length;
      const dWAt = dyAt + 4 * dy.length;
      f.set(x, 0);
      f.set(dy, dyAt / 4);
      f.fill(NaN, dWAt / 4, dWAt / 4 + KH * KW * C * co + 4); // overwritten, not added to; nothing past the end
      convFilterGradFor(k, co)(0, dyAt, dWAt, n, H, W, C, OH, OW, KH, KW * C, 4 * co);
      for (let ky = 0; ky < KH; ky++)
        for (let kx = 0; kx < KW; kx++)
          for (let c = 0; c < C; c++)
            for (let o = 0; o < co; o++) {
              let sum = 0;
              for (let b = 0; b < n; b++)
                for (let y = 0; y < OH; y++)
                  for (let xx = 0; xx < OW; xx++) sum += x[((b * H + y + ky) * W + xx + kx) * C + c]! * dy[((b * OH + y) * OW + xx) * co + o]!;
              expect(f[dWAt / 4 + ((ky * KW + kx) * C + c) * co + o]).toBeCloseTo(sum, 4);
            }
      expect(f[dWAt / 4 + KH * KW * C * co]).toBeNaN();
    });
  }

  it('convFilterGradFor refuses filters not a multiple of 4', () => {
    const { k } = setUp(1 << 16);
    expect(() => convFilterGradFor(k, 6)).toThrow(/multiple of 4/);
  });

  /** train-worker.ts's rule: first strict maximum in row-major order, none past −∞, passed only if > 0 under a ReLU. */
  function poolReference(x: number[], dy: number[], n: number, H: number, W: number, C: number, size: number, relu: boolean) {
    const [OH, OW] = [Math.floor(H / size), Math.floor(W / size)];
    const dx = new Float32Array(n * H * W * C);
    const bias = new Float64Array(C);
    for (let b = 0; b < n; b++)
      for (let oy = 0; oy < OH; oy++)
        for (let ox = 0; ox < OW; ox++)
          for (let c = 0; c < C; c++) {
            let best = -Infinity;
            let at = -1;
            for (let fy = 0; fy < size; fy++)
              for (let fx = 0; fx < size; fx++) {
                const k = ((b * H + oy * size + fy) * W + ox * size + fx) * C + c;
                if (x[k]! > best) {
                  best = x[k]!;
                  at = k;
                }
              }
            if (at < 0 || (relu && !(best > 0))) continue;
            const g = dy[((b * OH + oy) * OW + ox) * C + c]!;
            dx[at] = g;
            bias[c]! += g;
          }
    return { dx, bias };
  }

  for (const [n, H, W, C, size, relu] of [
    [2, 6, 6, 4, 2, true],
    [2, 7, 5, 8, 2, false],
    [3, 9, 10, 4, 3, true],
  ] as const) {
    it(`poolBackward: x [${n}, ${H}, ${W}, ${C}], pool ${size}${relu ? ', ReLU below' : ''}: ties, NaN and −∞ as the JavaScript rule`, () => {
      const rng = createRng(H * 10 + C);
      // Repeated values make ties; NaN and −∞ windows must pass no gradient.
      const x = Array.from({ length: n * H * W * C }, () => [0, 0.5, -0.25, rng.normal()][rng.int(4)]!);
      x[0] = NaN;
      x[C] = -Infinity;
      const [OH, OW] = [Math.floor(H / size), Math.floor(W / size)];
      const dy = Array.from({ length: n * OH * OW * C }, () => rng.normal());
      const { k, f } = setUp(1 << 16);
      const [dyAt, dxAt] = [4 * x.length, 4 * (x.length + dy.length)];
      const biasAt = dxAt + 4 * x.length;
      f.set(x, 0);
      f.set(dy, dyAt / 4);
      f.fill(0, dxAt / 4, biasAt / 4 + C);
      k.poolBackward(0, dyAt, dxAt, biasAt, n, H, W, 4 * C, OH, OW, size, relu ? 1 : 0);
      const want = poolReference(x, dy, n, H, W, C, size, relu);
      expect(f.slice(dxAt / 4, dxAt / 4 + x.length)).toEqual(want.dx);
      expect(want.dx.some((v) => v !== 0)).toBe(true);
      for (let c = 0; c < C; c++) expect(f[biasAt / 4 + c]).toBeCloseTo(want.bias[c]!, 5);
    });
  }
});
