// Training kernels the WebAssembly backend lacks (Conv2DBackpropFilter), built from kernels it has, so CNNs and U-Nets train there.
import type { KernelBackend, KernelConfig, NamedAttrMap, NamedTensorInfoMap, TensorInfo } from '@tensorflow/tfjs';

type Tf = typeof import('@tensorflow/tfjs');

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

/** Chooses how Conv2DBackpropFilter runs on wasm (for benchmarks and tests; the default is `conv2d`). */
export function setFilterGradStrategy(next: FilterGradStrategy): void {
  strategy = next;
}

/** The strategy in use. */
export function getFilterGradStrategy(): FilterGradStrategy {
  return strategy;
}

/** Kernel names this module adds to the wasm backend. */
export const ADDED_WASM_KERNELS: readonly string[] = ['Conv2DBackpropFilter'];

/**
 * Registers the missing training kernels for the 'wasm' backend (idempotent). Call before training;
 * the wasm backend need not be initialised yet.
 */
export function registerWasmTrainingKernels(tf: Tf): void {
  if (tf.getKernel('Conv2DBackpropFilter', 'wasm')) return;
  const config: KernelConfig = {
    kernelName: 'Conv2DBackpropFilter',
    backendName: 'wasm',
    kernelFunc: ({ inputs, backend, attrs }) => conv2DBackpropFilter(tf, inputs, backend as KernelBackend, attrs),
  };
  tf.registerKernel(config);
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
  const info = tf.backend_util.computeConv2DInfo(
    x.shape as [number, number, number, number],
    a.filterShape,
    a.strides,
    1,
    a.pad,
    a.dimRoundingMode,
  );
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
      xUsed = callKernel(tf, backend, 'Slice', { x }, {
        begin: [0, 0, 0, 0],
        size: [n, inHeight + Math.min(0, bottom), inWidth + Math.min(0, right), c],
      });
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
  const out = callKernel(tf, backend, 'Conv3DBackpropFilterV2', { x: x5, dy: dy5 }, {
    strides: [1, sh, sw],
    pad,
    filterShape: [1, kh, kw, c, co],
  });
  return { dataId: out.dataId, shape: [kh, kw, c, co], dtype: 'float32' };
}
