// Training kernels for the WebAssembly backend: adds the missing Conv2DBackpropFilter and replaces slow stock ones,
// so CNNs and U-Nets train there at a usable speed. Every kernel here is checked against the plain-JS backend.
import type { KernelBackend, KernelConfig, KernelFunc, NamedAttrMap, NamedTensorInfoMap, TensorInfo } from './tf.js';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';

type Tf = typeof import('./tf.js');

/**
 * How the filter gradient of a 2-D convolution is computed on wasm.
 * - `conv2d`: as a convolution of the input with the output gradient (batch becomes the reduced axis, the
 *   stride becomes a dilation), so XNNPACK's optimised Conv2D does the work. The default: 2–25× faster
 *   than `conv3d` on the digits CNN and U-Net shapes (measured by `npm run bench`).
 * - `conv3d`: through the registered Conv3DBackpropFilterV2 with a depth of 1 (zero-copy reshapes;
 *   a plain C++ loop). Only for 'same'/'valid' padding and stride 1: in tfjs-backend-wasm 4.22 that kernel
 *   returns wrong filter gradients whenever a stride exceeds 1 (checked against the plain-JS backend in
 *   test/nn/kernels.test.ts), so strided convolutions always take the `conv2d` route.
 */
export type FilterGradStrategy = 'conv2d' | 'conv3d';

let strategy: FilterGradStrategy = 'conv2d';
let replacementsOn = true;

/** Chooses how Conv2DBackpropFilter runs on wasm (for benchmarks and tests; the default is `conv2d`). */
export function setFilterGradStrategy(next: FilterGradStrategy): void {
  strategy = next;
}

/** The strategy in use. */
export function getFilterGradStrategy(): FilterGradStrategy {
  return strategy;
}

/** Turns the replacements of slow stock kernels on (default) or off, so benchmarks and tests can compare both. */
export function setWasmReplacements(on: boolean): void {
  replacementsOn = on;
}

/** Kernel names this module adds to the wasm backend (stock tfjs-backend-wasm 4.22 has none of them). */
export const ADDED_WASM_KERNELS: readonly string[] = ['Conv2DBackpropFilter'];

/**
 * Stock wasm kernels this module replaces, and why (measured on the digits CNN's shapes, one thread):
 * - BatchMatMul with a transposed operand walks memory with a stride: about 20× slower than transposing first;
 *   the dense layers' backward pass asks for exactly that.
 * - MaxPoolGrad: the stock loop is about 100× slower than MaxPool; a JavaScript loop over the heap is not.
 * - Conv2DBackpropInput: a plain C++ loop; as a stride-1 XNNPACK convolution of the (zero-inserted) output
 *   gradient with the flipped filter it is several times faster (it is also the forward pass of conv2dTranspose).
 */
export const REPLACED_WASM_KERNELS: readonly string[] = ['BatchMatMul', 'MaxPoolGrad', 'Conv2DBackpropInput'];

const stock = new Map<string, KernelFunc>();

/**
 * Registers the added and replacing kernels for the 'wasm' backend (idempotent). Call before training;
 * the wasm backend need not be initialised yet.
 */
export function registerWasmTrainingKernels(tf: Tf): void {
  if (stock.size > 0) return;
  for (const name of REPLACED_WASM_KERNELS) {
    const original = tf.getKernel(name, 'wasm');
    if (!original) throw new Error(`tfjs-backend-wasm has no ${name} kernel to replace`);
    stock.set(name, original.kernelFunc);
    tf.unregisterKernel(name, 'wasm');
    const replacement = REPLACEMENTS[name]!;
    tf.registerKernel({
      kernelName: name,
      backendName: 'wasm',
      // The stock setup (which binds the C++ entry point) must still run: the fallback path calls it.
      setupFunc: original.setupFunc,
      disposeFunc: original.disposeFunc,
      kernelFunc: (args) => (replacementsOn ? replacement(tf, args.inputs, args.backend as BackendWasm, args.attrs ?? {}) : original.kernelFunc(args)),
    } as KernelConfig);
  }
  if (!tf.getKernel('Conv2DBackpropFilter', 'wasm')) {
    tf.registerKernel({
      kernelName: 'Conv2DBackpropFilter',
      backendName: 'wasm',
      kernelFunc: ({ inputs, backend, attrs }) => conv2DBackpropFilter(tf, inputs, backend as KernelBackend, attrs),
    });
  }
}

type Replacement = (tf: Tf, inputs: NamedTensorInfoMap, backend: BackendWasm, attrs: NamedAttrMap) => TensorInfo | TensorInfo[];

const REPLACEMENTS: Record<string, Replacement> = {
  BatchMatMul: batchMatMul,
  MaxPoolGrad: maxPoolGrad,
  Conv2DBackpropInput: conv2DBackpropInput,
};

function callStock(name: string, backend: KernelBackend, inputs: NamedTensorInfoMap, attrs: NamedAttrMap): TensorInfo {
  return stock.get(name)!({ inputs, backend, attrs }) as TensorInfo;
}

/** A float32 view of a tensor's bytes on the wasm heap. Take it after any allocation: growth detaches views. */
function heap(backend: BackendWasm, info: TensorInfo): Float32Array {
  return backend.typedArrayFromHeap(info) as Float32Array;
}

/** a @ b with either operand transposed: transpose first (a fast copy), then the stock untransposed product. */
function batchMatMul(tf: Tf, inputs: NamedTensorInfoMap, backend: BackendWasm, attrs: NamedAttrMap): TensorInfo {
  const { transposeA, transposeB } = attrs as unknown as { transposeA: boolean; transposeB: boolean };
  const a = inputs.a!;
  const b = inputs.b!;
  if (!transposeA && !transposeB) return callStock('BatchMatMul', backend, inputs, attrs);
  const swapLast = (rank: number): number[] => [...Array.from({ length: rank - 2 }, (_, i) => i), rank - 1, rank - 2];
  const temps: TensorInfo[] = [];
  try {
    const a2 = transposeA ? callKernel(tf, backend, 'Transpose', { x: a }, { perm: swapLast(a.shape.length) }) : a;
    if (transposeA) temps.push(a2);
    const b2 = transposeB ? callKernel(tf, backend, 'Transpose', { x: b }, { perm: swapLast(b.shape.length) }) : b;
    if (transposeB) temps.push(b2);
    return callStock('BatchMatMul', backend, { a: a2, b: b2 }, { ...attrs, transposeA: false, transposeB: false });
  } finally {
    for (const t of temps) backend.disposeData(t.dataId);
  }
}

/**
 * The gradient of max pooling: each window's output gradient goes to the first position holding its maximum
 * (row-major scan, strict comparison: the plain-JS backend's rule), summed where windows overlap.
 * @param inputs.input [batch, height, width, channels]; inputs.dy [batch, outHeight, outWidth, channels]
 */
function maxPoolGrad(tf: Tf, inputs: NamedTensorInfoMap, backend: BackendWasm, attrs: NamedAttrMap): TensorInfo {
  const input = inputs.input!;
  const dy = inputs.dy!;
  const { filterSize, strides, pad, dimRoundingMode } = attrs as unknown as {
    filterSize: [number, number] | number;
    strides: [number, number] | number;
    pad: 'valid' | 'same' | number;
    dimRoundingMode?: 'floor' | 'round' | 'ceil';
  };
  const info = tf.backend_util.computePool2DInfo(input.shape as [number, number, number, number], filterSize, strides, 1, pad, dimRoundingMode);
  const dx = backend.makeOutput(input.shape, 'float32');
  const X = heap(backend, input);
  const DY = heap(backend, dy);
  const DX = heap(backend, dx);
  DX.fill(0);
  const { batchSize, inHeight: H, inWidth: W, inChannels: C, outHeight, outWidth } = info;
  const { strideHeight: sh, strideWidth: sw, dilationHeight: dh, dilationWidth: dw } = info;
  const { effectiveFilterHeight: fh, effectiveFilterWidth: fw } = info;
  const { top, left } = info.padInfo;
  if (fh === 2 && fw === 2 && sh === 2 && sw === 2 && dh === 1 && dw === 1 && top === 0 && left === 0 && outHeight * 2 <= H && outWidth * 2 <= W) {
    maxPoolGrad2x2(X, DY, DX, batchSize, H, W, C, outHeight, outWidth);
    return dx;
  }
  const best = new Float32Array(C);
  const where = new Int32Array(C);
  for (let b = 0; b < batchSize; b++) {
    for (let oy = 0; oy < outHeight; oy++) {
      for (let ox = 0; ox < outWidth; ox++) {
        best.fill(-Infinity);
        where.fill(-1);
        for (let fy = 0; fy < fh; fy += dh) {
          const y = oy * sh - top + fy;
          if (y < 0 || y >= H) continue;
          for (let fx = 0; fx < fw; fx += dw) {
            const x = ox * sw - left + fx;
            if (x < 0 || x >= W) continue;
            const base = ((b * H + y) * W + x) * C;
            for (let c = 0; c < C; c++) {
              const v = X[base + c]!;
              if (v > best[c]!) {
                best[c] = v;
                where[c] = base + c;
              }
            }
          }
        }
        const dyBase = ((b * outHeight + oy) * outWidth + ox) * C;
        for (let c = 0; c < C; c++) if (where[c]! >= 0) DX[where[c]!]! += DY[dyBase + c]!;
      }
    }
  }
  return dx;
}

/**
 * The 2×2, stride-2, unpadded case (what most CNNs use), unrolled: same rule as the general loop (first maximum
 * in row-major order wins, -Infinity or NaN windows pass nothing), about 3× fewer operations per element.
 */
function maxPoolGrad2x2(X: Float32Array, DY: Float32Array, DX: Float32Array, n: number, H: number, W: number, C: number, oh: number, ow: number): void {
  const rowStride = W * C;
  for (let b = 0; b < n; b++) {
    for (let oy = 0; oy < oh; oy++) {
      for (let ox = 0; ox < ow; ox++) {
        const p00 = ((b * H + 2 * oy) * W + 2 * ox) * C;
        const p01 = p00 + C;
        const p10 = p00 + rowStride;
        const p11 = p10 + C;
        const d = ((b * oh + oy) * ow + ox) * C;
        for (let c = 0; c < C; c++) {
          let best = -Infinity;
          let at = -1;
          let v = X[p00 + c]!;
          if (v > best) {
            best = v;
            at = p00 + c;
          }
          v = X[p01 + c]!;
          if (v > best) {
            best = v;
            at = p01 + c;
          }
          v = X[p10 + c]!;
          if (v > best) {
            best = v;
            at = p10 + c;
          }
          v = X[p11 + c]!;
          if (v > best) at = p11 + c;
          if (at >= 0) DX[at]! += DY[d + c]!;
        }
      }
    }
  }
}

/**
 * dx of a convolution (also the forward pass of conv2dTranspose): insert stride−1 zeros between the output
 * gradient's samples, then a stride-1 XNNPACK convolution with the spatially flipped, channel-swapped filter.
 * @param inputs.dy [batch, outHeight, outWidth, outChannels]; inputs.filter [fh, fw, inChannels, outChannels]
 * @returns [batch, inHeight, inWidth, inChannels] (attrs.inputShape)
 */
function conv2DBackpropInput(tf: Tf, inputs: NamedTensorInfoMap, backend: BackendWasm, attrs: NamedAttrMap): TensorInfo {
  const dy = inputs.dy!;
  const filter = inputs.filter!;
  const a = attrs as unknown as {
    strides: number | [number, number];
    pad: 'valid' | 'same' | number | number[][];
    dataFormat?: 'NHWC' | 'NCHW';
    dimRoundingMode?: 'floor' | 'round' | 'ceil';
    inputShape: [number, number, number, number];
  };
  if (a.dataFormat === 'NCHW' || dy.dtype !== 'float32' || filter.dtype !== 'float32') {
    return callStock('Conv2DBackpropInput', backend, inputs, attrs);
  }
  const info = tf.backend_util.computeConv2DInfo(
    a.inputShape,
    filter.shape as [number, number, number, number],
    a.strides,
    1,
    a.pad as 'same',
    a.dimRoundingMode,
  );
  const { batchSize: n, inHeight: H, inWidth: W, inChannels: ci, outHeight: oh, outWidth: ow, outChannels: co } = info;
  const { filterHeight: kh, filterWidth: kw, strideHeight: sh, strideWidth: sw } = info;
  const dH = (oh - 1) * sh + 1;
  const dW = (ow - 1) * sw + 1;
  const padTop = kh - 1 - info.padInfo.top;
  const padLeft = kw - 1 - info.padInfo.left;
  const padBottom = H + kh - 1 - dH - padTop;
  const padRight = W + kw - 1 - dW - padLeft;
  if (padTop < 0 || padLeft < 0 || padBottom < 0 || padRight < 0) return callStock('Conv2DBackpropInput', backend, inputs, attrs);
  const temps: TensorInfo[] = [];
  try {
    let spread = dy;
    if (sh > 1 || sw > 1) {
      spread = backend.makeOutput([n, dH, dW, co], 'float32');
      temps.push(spread);
      const out = heap(backend, spread);
      const src = heap(backend, dy);
      out.fill(0);
      for (let b = 0; b < n; b++) {
        for (let y = 0; y < oh; y++) {
          for (let x = 0; x < ow; x++) {
            const from = ((b * oh + y) * ow + x) * co;
            out.set(src.subarray(from, from + co), ((b * dH + y * sh) * dW + x * sw) * co);
          }
        }
      }
    }
    // flipped[p, q, o, c] = filter[kh−1−p, kw−1−q, c, o]
    const flipped = backend.makeOutput([kh, kw, co, ci], 'float32');
    temps.push(flipped);
    const F = heap(backend, flipped);
    const src = heap(backend, filter);
    for (let p = 0; p < kh; p++) {
      for (let q = 0; q < kw; q++) {
        const fromBase = ((kh - 1 - p) * kw + (kw - 1 - q)) * ci * co;
        const toBase = (p * kw + q) * co * ci;
        for (let c = 0; c < ci; c++) for (let o = 0; o < co; o++) F[toBase + o * ci + c] = src[fromBase + c * co + o]!;
      }
    }
    const dx = callKernel(tf, backend, 'Conv2D', { x: spread, filter: flipped }, {
      strides: [1, 1],
      pad: [
        [0, 0],
        [padTop, padBottom],
        [padLeft, padRight],
        [0, 0],
      ],
      dataFormat: 'NHWC',
      dilations: [1, 1],
      dimRoundingMode: undefined,
    } as unknown as NamedAttrMap);
    if (dx.shape[1] !== H || dx.shape[2] !== W) throw new Error(`Conv2DBackpropInput on wasm: got ${dx.shape.join('x')}, expected ${a.inputShape.join('x')}`);
    return dx;
  } finally {
    for (const t of temps) if (t !== dy) backend.disposeData(t.dataId);
  }
}

/** Calls a built-in wasm kernel directly (we are already inside a kernel, so not through the engine). */
function callKernel(tf: Tf, backend: KernelBackend, name: string, inputs: NamedTensorInfoMap, attrs: NamedAttrMap): TensorInfo {
  const kernel = tf.getKernel(name, 'wasm');
  if (!kernel) throw new Error(`the wasm backend has no ${name} kernel, needed for Conv2DBackpropFilter`);
  return kernel.kernelFunc({ inputs, backend, attrs }) as TensorInfo;
}

/**
 * dW[i, j, c, o] = Σ_{n, y, x} xPadded[n, y·sh + i, x·sw + j, c] · dy[n, y, x, o].
 * @param inputs.x [batch, inHeight, inWidth, inChannels]
 * @param inputs.dy [batch, outHeight, outWidth, outChannels]
 * @returns [filterHeight, filterWidth, inChannels, outChannels]
 */
function conv2DBackpropFilter(tf: Tf, inputs: NamedTensorInfoMap, backend: KernelBackend, attrs: NamedAttrMap | undefined): TensorInfo {
  const x = inputs.x!;
  const dy = inputs.dy!;
  const a = (attrs ?? {}) as unknown as {
    strides: number | [number, number];
    pad: 'valid' | 'same' | number | [[number, number], [number, number], [number, number], [number, number]];
    dataFormat?: 'NHWC' | 'NCHW';
    dimRoundingMode?: 'floor' | 'round' | 'ceil';
    filterShape: [number, number, number, number];
  };
  if (a.dataFormat === 'NCHW') throw new Error('Conv2DBackpropFilter on wasm supports only channels-last (NHWC) data');
  if (x.dtype !== 'float32' || dy.dtype !== 'float32') throw new Error('Conv2DBackpropFilter on wasm needs float32 tensors');
  const info = tf.backend_util.computeConv2DInfo(x.shape as [number, number, number, number], a.filterShape, a.strides, 1, a.pad, a.dimRoundingMode);
  const unitStride = info.strideHeight === 1 && info.strideWidth === 1;
  if (strategy === 'conv3d' && unitStride && (a.pad === 'same' || a.pad === 'valid')) return viaConv3d(tf, backend, x, dy, info, a.pad);
  return viaConv2d(tf, backend, x, dy, info);
}

type ConvInfo = ReturnType<Tf['backend_util']['computeConv2DInfo']>;

function viaConv2d(tf: Tf, backend: KernelBackend, x: TensorInfo, dy: TensorInfo, info: ConvInfo): TensorInfo {
  const { batchSize: n, inHeight, inWidth, inChannels: c, outHeight, outWidth, outChannels: co } = info;
  const { filterHeight: kh, filterWidth: kw, strideHeight: sh, strideWidth: sw } = info;
  const { top, left } = info.padInfo;
  // Rows and columns the convolution actually reads; anything past them (valid padding with a stride) is cut.
  const needH = (outHeight - 1) * sh + kh;
  const needW = (outWidth - 1) * sw + kw;
  const bottom = needH - inHeight - top;
  const right = needW - inWidth - left;
  const temps: TensorInfo[] = [];
  try {
    let xUsed = x;
    if (bottom < 0 || right < 0) {
      xUsed = callKernel(
        tf,
        backend,
        'Slice',
        { x },
        {
          begin: [0, 0, 0, 0],
          size: [n, inHeight + Math.min(0, bottom), inWidth + Math.min(0, right), c],
        },
      );
      temps.push(xUsed);
    }
    // Input as a batch of channels: [c, H, W, n]; output gradient as a filter: [outH, outW, n, co].
    const xT = callKernel(tf, backend, 'Transpose', { x: xUsed }, { perm: [3, 1, 2, 0] });
    temps.push(xT);
    const dyT = callKernel(tf, backend, 'Transpose', { x: dy }, { perm: [1, 2, 0, 3] });
    temps.push(dyT);
    const padding = [
      [0, 0],
      [top, Math.max(0, bottom)],
      [left, Math.max(0, right)],
      [0, 0],
    ];
    const grad = callKernel(tf, backend, 'Conv2D', { x: xT, filter: dyT }, {
      strides: [1, 1],
      pad: padding,
      dataFormat: 'NHWC',
      dilations: [sh, sw],
      dimRoundingMode: undefined,
    } as unknown as NamedAttrMap);
    temps.push(grad);
    if (grad.shape[1] !== kh || grad.shape[2] !== kw || grad.shape[0] !== c || grad.shape[3] !== co) {
      throw new Error(`Conv2DBackpropFilter on wasm: internal shape ${grad.shape.join('x')} is not ${c}x${kh}x${kw}x${co}`);
    }
    return callKernel(tf, backend, 'Transpose', { x: grad }, { perm: [1, 2, 0, 3] });
  } finally {
    for (const t of temps) if (t !== x) backend.disposeData(t.dataId);
  }
}

function viaConv3d(tf: Tf, backend: KernelBackend, x: TensorInfo, dy: TensorInfo, info: ConvInfo, pad: 'same' | 'valid'): TensorInfo {
  const { batchSize: n, inHeight, inWidth, inChannels: c, outHeight, outWidth, outChannels: co } = info;
  const { filterHeight: kh, filterWidth: kw, strideHeight: sh, strideWidth: sw } = info;
  // A depth of 1 turns NHWC into NDHWC without copying: the wasm kernels read only the data id and the shape.
  const x5: TensorInfo = { dataId: x.dataId, shape: [n, 1, inHeight, inWidth, c], dtype: 'float32' };
  const dy5: TensorInfo = { dataId: dy.dataId, shape: [n, 1, outHeight, outWidth, co], dtype: 'float32' };
  const out = callKernel(
    tf,
    backend,
    'Conv3DBackpropFilterV2',
    { x: x5, dy: dy5 },
    {
      strides: [1, sh, sw],
      pad,
      filterShape: [1, kh, kw, c, co],
    },
  );
  return { dataId: out.dataId, shape: [kh, kw, c, co], dtype: 'float32' };
}
