// A worker of the data-parallel trainer (data-parallel.ts): its own WebAssembly backend, its share of every batch.
// Forward and backward run as direct calls of the wasm kernels (XNNPACK convolutions and products, the kernels of
// kernels.ts), without tfjs's engine: no tape, no tidy, none of the ~150 small ops per batch that cost more than the
// arithmetic on these small networks. Gradients go to shared memory; after a barrier each worker applies Adam to its
// slice of the weights, and after a second one every worker reads the new weights.
import { createRequire } from 'node:module';
import { dirname } from 'node:path';
import { parentPort } from 'node:worker_threads';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import type { NamedAttrMap, NamedTensorInfoMap, TensorInfo } from '@tensorflow/tfjs-core';
import { registerWasmTrainingKernels } from './kernels.js';
import { adamSlice, BATCHES_DONE, barrier, type FromWorker, type ToWorker, type WorkerSetup } from './parallel-protocol.js';

type Tf = Parameters<typeof registerWasmTrainingKernels>[0];

/** Smallest probability the loss takes the log of (fit.ts's EPSILON): below it the gradient is 0, as through tfjs's clip. */
const EPSILON = 1e-7;

let tf: typeof import('@tensorflow/tfjs-core');
let backend: BackendWasm;

async function initWasm(): Promise<void> {
  tf = await import('@tensorflow/tfjs-core');
  const wasm = await import('@tensorflow/tfjs-backend-wasm');
  const require = createRequire(import.meta.url);
  wasm.setWasmPaths(`${dirname(require.resolve('@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm.wasm'))}/`);
  tf.enableProdMode();
  registerWasmTrainingKernels(tf as unknown as Tf);
  if (!(await tf.setBackend('wasm'))) throw new Error('the WebAssembly backend failed to start in a training worker');
  backend = tf.backend() as BackendWasm;
}

function call(name: string, inputs: NamedTensorInfoMap, attrs: object = {}): TensorInfo {
  const kernel = tf.getKernel(name, 'wasm');
  if (!kernel) throw new Error(`the wasm backend has no ${name} kernel`);
  return kernel.kernelFunc({ inputs, backend, attrs: attrs as NamedAttrMap }) as TensorInfo;
}

function heap(info: TensorInfo): Float32Array {
  return backend.typedArrayFromHeap(info) as Float32Array;
}

/** The same data under another shape (the wasm kernels read only the id and the shape). */
function view(info: TensorInfo, shape: number[]): TensorInfo {
  return { dataId: info.dataId, shape, dtype: 'float32' };
}

function alloc(shape: number[]): TensorInfo {
  return backend.makeOutput(shape, 'float32');
}

function free(info: TensorInfo): void {
  backend.disposeData(info.dataId);
}

class Trainer {
  private readonly s: WorkerSetup;
  private readonly x: Float32Array;
  private readonly y: Float32Array;
  private readonly perm: Int32Array;
  private readonly weights: Float32Array;
  private readonly m: Float32Array;
  private readonly v: Float32Array;
  private readonly grads: Float32Array;
  private readonly control: Int32Array;
  /** The weights as wasm tensors: new ones after every step (XNNPACK caches packed weights by tensor id). */
  private w: TensorInfo[] = [];
  private step = 0;

  constructor(setup: WorkerSetup) {
    this.s = setup;
    this.x = new Float32Array(setup.x);
    this.y = new Float32Array(setup.y);
    this.perm = new Int32Array(setup.perm);
    this.weights = new Float32Array(setup.weights);
    this.m = new Float32Array(setup.m);
    this.v = new Float32Array(setup.v);
    this.grads = new Float32Array(setup.grads);
    this.control = new Int32Array(setup.control);
    this.loadWeights();
  }

  dispose(): void {
    for (const t of this.w) free(t);
  }

  private loadWeights(): void {
    for (const t of this.w) free(t);
    this.w = this.s.params.map((p) => {
      const t = alloc(p.shape);
      heap(t).set(this.weights.subarray(p.offset, p.offset + p.size));
      return t;
    });
  }

  epoch(batches: number, batchSize: number, n: number): { lossSum: number; correct: number; seen: number } {
    const { workers, rank, total } = this.s;
    let lossSum = 0,
      correct = 0,
      seen = 0;
    const lo = Math.floor((rank * total) / workers);
    const hi = Math.floor(((rank + 1) * total) / workers);
    for (let b = 0; b < batches; b++) {
      const start = b * batchSize;
      const size = Math.min(batchSize, n - start);
      const from = start + Math.floor((rank * size) / workers);
      const to = start + Math.floor(((rank + 1) * size) / workers);
      const mine = this.grads.subarray(rank * total, (rank + 1) * total);
      if (to > from) {
        const r = this.forwardBackward(from, to, size, mine);
        lossSum += r.loss;
        correct += r.correct;
        seen += to - from;
      } else {
        mine.fill(0);
      }
      barrier(this.control, workers);
      this.step++;
      adamSlice(this.weights, this.m, this.v, this.grads, total, workers, lo, hi, this.s.learningRate, this.step);
      barrier(this.control, workers);
      this.loadWeights();
      if (rank === 0) Atomics.store(this.control, BATCHES_DONE, b + 1);
    }
    return { lossSum, correct, seen };
  }

  /** Rows perm[from, to) of the batch: loss summed over them, gradients of (that sum / batchSize) into `out`. */
  private forwardBackward(from: number, to: number, batchSize: number, out: Float32Array): { loss: number; correct: number } {
    const { xSize, ySize, xShape, layers, params } = this.s;
    const rows = to - from;
    const temps: TensorInfo[] = [];
    const keep = (t: TensorInfo): TensorInfo => {
      temps.push(t);
      return t;
    };
    // A new input tensor every batch: XNNPACK caches a packed operand by tensor id, so a reused one would go stale.
    const input = keep(alloc([rows, ...xShape]));
    const xb = heap(input);
    for (let r = 0; r < rows; r++) {
      const i = this.perm[from + r]!;
      xb.set(this.x.subarray(i * xSize, (i + 1) * xSize), r * xSize);
    }
    try {
      // Forward: acts[i] is the input of layer i, acts[layers.length] the logits. Dense layers work feature-major,
      // on [units, rows]: every product then packs (XNNPACK's costly step) a batch-sized operand, never the weights.
      const acts: TensorInfo[] = [input];
      for (const layer of layers) {
        const a = acts[acts.length - 1]!;
        switch (layer.kind) {
          case 'conv':
            acts.push(
              keep(
                call(
                  'FusedConv2D',
                  { x: a, filter: this.w[layer.param]!, bias: this.w[layer.param + 1]! },
                  {
                    strides: [1, 1],
                    pad: layer.pad,
                    dataFormat: 'NHWC',
                    dilations: [1, 1],
                    dimRoundingMode: undefined,
                    activation: layer.relu ? 'relu' : 'linear',
                    leakyreluAlpha: 0,
                  },
                ),
              ),
            );
            break;
          case 'pool':
            acts.push(
              keep(
                call(
                  'MaxPool',
                  { x: a },
                  { filterSize: [layer.size, layer.size], strides: [layer.size, layer.size], pad: 'valid', dimRoundingMode: undefined },
                ),
              ),
            );
            break;
          case 'flatten':
            // Rows-major [rows, features] here; the next dense layer transposes it.
            acts.push(keep(transposeHeap(view(a, [rows, layer.outShape[0]]))));
            break;
          case 'dense': {
            // zT [units, rows] = Wt [units, in] · aT [in, rows]; then bias and activation, here.
            const z = keep(
              call(
                'BatchMatMul',
                { a: view(this.w[layer.param]!, [1, layer.units, layer.inUnits]), b: view(a, [1, layer.inUnits, rows]) },
                { transposeA: false, transposeB: false },
              ),
            );
            biasActivation(heap(z), heap(this.w[layer.param + 1]!), layer.units, rows, layer.activation === 'relu');
            acts.push(view(z, [layer.units, rows]));
            break;
          }
        }
      }

      // Softmax cross-entropy on the host (10 values a row), and its gradient with respect to the logits.
      const classes = ySize;
      const logits = heap(acts[acts.length - 1]!); // [classes, rows]
      const grad0 = keep(alloc([classes, rows]));
      const dz = heap(grad0);
      const p = new Float64Array(classes);
      let loss = 0,
        correct = 0;
      for (let r = 0; r < rows; r++) {
        const yRow = this.perm[from + r]! * classes;
        let max = -Infinity,
          arg = 0,
          yArg = 0,
          yMax = -Infinity;
        for (let c = 0; c < classes; c++) {
          const z = logits[c * rows + r]!;
          if (z > max) {
            max = z;
            arg = c;
          }
          const t = this.y[yRow + c]!;
          if (t > yMax) {
            yMax = t;
            yArg = c;
          }
        }
        if (arg === yArg) correct++;
        let sum = 0;
        for (let c = 0; c < classes; c++) sum += p[c] = Math.exp(logits[c * rows + r]! - max);
        // g_c = dLoss/dp_c (through the clip), then dz_j = p_j (g_j − Σ_c g_c p_c).
        let gp = 0;
        for (let c = 0; c < classes; c++) {
          p[c] = p[c]! / sum;
          const t = this.y[yRow + c]!;
          const clipped = Math.min(1, Math.max(EPSILON, p[c]!));
          loss -= t * Math.log(clipped);
          const g = p[c]! >= EPSILON ? -t / (clipped * batchSize) : 0;
          gp += g * p[c]!;
          dz[c * rows + r] = g;
        }
        for (let c = 0; c < classes; c++) dz[c * rows + r] = p[c]! * (dz[c * rows + r]! - gp);
      }

      // Backward, last layer first. `grad` is the gradient with respect to the current layer's output (feature-major
      // after a dense layer, as its output); no layer before the first one with weights needs its input's gradient.
      const first = layers.findIndex((l) => l.kind === 'conv' || l.kind === 'dense');
      let grad = grad0;
      // Set when a pool's backward already applied the ReLU below it and summed its bias gradient.
      let convDone = false;
      for (let li = layers.length - 1; li >= first; li--) {
        const layer = layers[li]!;
        const input = acts[li]!;
        const output = acts[li + 1]!;
        switch (layer.kind) {
          case 'dense': {
            if (layer.activation === 'relu') reluMask(heap(grad), heap(output));
            // Softmax's own Jacobian is already in dz; 'linear' passes through. dWt = dzT · a: after a flatten, a is
            // the flatten's own input; after a dense layer, aT is transposed on the way.
            const rowsMajor = layers[li - 1]?.kind === 'flatten';
            const dW = keep(
              call(
                'BatchMatMul',
                { a: view(grad, [1, layer.units, rows]), b: rowsMajor ? view(acts[li - 1]!, [1, rows, layer.inUnits]) : view(input, [1, layer.inUnits, rows]) },
                { transposeA: false, transposeB: !rowsMajor },
              ),
            );
            copyParam(out, params[layer.param]!, heap(dW));
            rowSums(heap(grad), layer.units, rows, out, params[layer.param + 1]!.offset);
            if (li > first) {
              // dxT [in, rows] = W · dzT, W = Wt transposed.
              const dx = keep(
                call(
                  'BatchMatMul',
                  { a: view(this.w[layer.param]!, [1, layer.units, layer.inUnits]), b: view(grad, [1, layer.units, rows]) },
                  { transposeA: true, transposeB: false },
                ),
              );
              grad = view(dx, [layer.inUnits, rows]);
            }
            break;
          }
          case 'flatten':
            grad = view(keep(transposeHeap(grad)), [rows, ...layer.inShape]);
            break;
          case 'pool': {
            const dx = keep(alloc([rows, ...layer.inShape]));
            const below = layers[li - 1];
            if (below?.kind === 'conv' && below.relu) {
              poolReluBackward(heap(input), heap(grad), heap(dx), rows, layer.inShape, layer.outShape, layer.size, out, params[below.param + 1]!.offset);
              convDone = true;
            } else {
              poolReluBackward(heap(input), heap(grad), heap(dx), rows, layer.inShape, layer.outShape, layer.size);
            }
            grad = dx;
            break;
          }
          case 'conv': {
            const [H, W, C] = layer.inShape;
            const co = layer.outShape[2];
            if (!convDone) {
              const g = heap(grad);
              if (layer.relu) reluMask(g, heap(output));
              columnSums(g, g.length / co, co, out, params[layer.param + 1]!.offset);
            }
            convDone = false;
            const dW = keep(
              call(
                'Conv2DBackpropFilter',
                { x: input, dy: grad },
                { strides: [1, 1], pad: layer.pad, dataFormat: 'NHWC', dimRoundingMode: undefined, filterShape: [layer.kh, layer.kw, C, co] },
              ),
            );
            copyParam(out, params[layer.param]!, heap(dW));
            if (li > first) {
              grad = keep(
                call(
                  'Conv2DBackpropInput',
                  { dy: grad, filter: this.w[layer.param]! },
                  { strides: [1, 1], pad: layer.pad, dataFormat: 'NHWC', dimRoundingMode: undefined, inputShape: [rows, H, W, C] },
                ),
              );
            }
            break;
          }
        }
      }
      return { loss, correct };
    } finally {
      for (const t of temps) free(t);
    }
  }
}

/** A new [cols, rows] tensor holding the [rows, cols] one transposed. */
function transposeHeap(info: TensorInfo): TensorInfo {
  const [rows, cols] = info.shape as [number, number];
  const outInfo = alloc([cols, rows]);
  const src = heap(info);
  const dst = heap(outInfo);
  for (let r = 0; r < rows; r++) for (let c = 0, k = r * cols; c < cols; c++, k++) dst[c * rows + r] = src[k]!;
  return outInfo;
}

/** zT[u, r] += bias[u], then ReLU if asked (feature-major output of a dense layer). */
function biasActivation(z: Float32Array, bias: Float32Array, units: number, rows: number, relu: boolean): void {
  for (let u = 0, k = 0; u < units; u++) {
    const b = bias[u]!;
    for (let r = 0; r < rows; r++, k++) {
      const v = z[k]! + b;
      z[k] = relu && !(v > 0) ? 0 : v;
    }
  }
}

/** out[offset + u] = Σ_r g[u, r]: a dense bias gradient, feature-major. */
function rowSums(g: Float32Array, units: number, rows: number, out: Float32Array, offset: number): void {
  for (let u = 0, k = 0; u < units; u++) {
    let acc = 0;
    for (let r = 0; r < rows; r++, k++) acc += g[k]!;
    out[offset + u] = acc;
  }
}

function copyParam(out: Float32Array, p: { offset: number; size: number }, values: Float32Array): void {
  if (values.length !== p.size) throw new Error(`gradient of ${values.length} values for a parameter of ${p.size}`);
  out.set(values, p.offset);
}

/** grad *= (output > 0): ReLU's derivative, read off its output (0 where the input was ≤ 0, as tfjs's Step). */
function reluMask(grad: Float32Array, output: Float32Array): void {
  for (let i = 0; i < grad.length; i++) if (!(output[i]! > 0)) grad[i] = 0;
}

/** out[offset + c] = Σ_r g[r, c]: a bias gradient. */
function columnSums(g: Float32Array, rows: number, cols: number, out: Float32Array, offset: number): void {
  const acc = new Float64Array(cols);
  for (let r = 0, k = 0; r < rows; r++) for (let c = 0; c < cols; c++, k++) acc[c]! += g[k]!;
  for (let c = 0; c < cols; c++) out[offset + c] = acc[c]!;
}

/**
 * Max pooling's gradient for non-overlapping size × size windows (valid padding): each window's gradient goes to
 * its first maximum in row-major order, the rule of kernels.ts's MaxPoolGrad; rows and columns past the last whole
 * window get none. With `biasOut`, the pool's input is a ReLU's output and its derivative is applied too (the
 * maximum passes only if > 0), and the ReLU layer's bias gradient is summed into biasOut[biasOffset + c].
 */
function poolReluBackward(
  x: Float32Array,
  dy: Float32Array,
  dx: Float32Array,
  n: number,
  inShape: [number, number, number],
  outShape: [number, number, number],
  size: number,
  biasOut?: Float32Array,
  biasOffset = 0,
): void {
  const [H, W, C] = inShape;
  const [oh, ow] = outShape;
  const relu = biasOut !== undefined;
  const bias = new Float64Array(C);
  dx.fill(0);
  const rowStride = W * C;
  for (let b = 0; b < n; b++) {
    for (let oy = 0; oy < oh; oy++) {
      for (let ox = 0; ox < ow; ox++) {
        const d = ((b * oh + oy) * ow + ox) * C;
        const corner = ((b * H + oy * size) * W + ox * size) * C;
        for (let c = 0; c < C; c++) {
          let best: number, at: number;
          if (size === 2) {
            const k0 = corner + c,
              k1 = k0 + C,
              k2 = k0 + rowStride,
              k3 = k2 + C;
            best = -Infinity;
            at = -1;
            let v = x[k0]!;
            if (v > best) {
              best = v;
              at = k0;
            }
            v = x[k1]!;
            if (v > best) {
              best = v;
              at = k1;
            }
            v = x[k2]!;
            if (v > best) {
              best = v;
              at = k2;
            }
            v = x[k3]!;
            if (v > best) {
              best = v;
              at = k3;
            }
          } else {
            best = -Infinity;
            at = -1;
            for (let fy = 0; fy < size; fy++) {
              let k = corner + fy * rowStride + c;
              for (let fx = 0; fx < size; fx++, k += C) {
                const v = x[k]!;
                if (v > best) {
                  best = v;
                  at = k;
                }
              }
            }
          }
          if (at < 0 || (relu && !(best > 0))) continue;
          const g = dy[d + c]!;
          dx[at] = g;
          bias[c]! += g;
        }
      }
    }
  }
  if (biasOut) for (let c = 0; c < C; c++) biasOut[biasOffset + c] = bias[c]!;
}

let trainer: Trainer | undefined;

function send(message: FromWorker): void {
  parentPort!.postMessage(message);
}

const ready = initWasm();
parentPort!.on('message', (message: ToWorker) => {
  ready
    .then(() => {
      if (message.type === 'setup') {
        trainer?.dispose();
        trainer = new Trainer(message.setup);
        send({ type: 'ready' });
      } else {
        if (!trainer) throw new Error('epoch before setup');
        send({ type: 'epoch', ...trainer.epoch(message.batches, message.batchSize, message.n) });
      }
    })
    .catch((err: unknown) => send({ type: 'error', message: err instanceof Error ? (err.stack ?? err.message) : String(err) }));
});
