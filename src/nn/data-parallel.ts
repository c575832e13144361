// Data-parallel training on the WebAssembly backend: every batch split between worker threads (one per core), each
// with its own wasm backend (train-worker.ts), gradients summed in shared memory, one Adam step. The same mathematics
// as one batch on one thread up to float rounding; it exists because tfjs's wasm kernels use one thread, and because
// on these small networks the engine's per-op bookkeeping, which the workers skip, costs as much as the arithmetic.
import { existsSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { PACKAGE_ROOT } from '../version.js';
import { BATCHES_DONE, CONTROL_WORDS, type FromWorker, type LayerSpec, type ParamSpec, type ToWorker, type WorkerSetup } from './parallel-protocol.js';
import type * as tfTypes from './tf.js';

type Tf = typeof import('./tf.js');

/** A network the workers can train: its layers as plain data and its trainable arrays in order. */
export interface ParallelPlan {
  layers: LayerSpec[];
  params: ParamSpec[];
  total: number;
  /** The tfjs layers holding each parameter pair (kernel, bias), in parameter order. */
  owners: tfTypes.layers.Layer[];
}

/**
 * The plan for `model`, or why it has none. Supported: a Sequential stack of Flatten, Conv2D (stride 1, no dilation,
 * bias, ReLU or linear), MaxPooling2D (square, non-overlapping, valid) and Dense (bias, ReLU or linear), ending in a
 * Dense softmax; channels last, float32. That is every digits model `eds run train` builds.
 */
export function parallelPlan(model: tfTypes.LayersModel): ParallelPlan | string {
  const layers: LayerSpec[] = [];
  const params: ParamSpec[] = [];
  const owners: tfTypes.layers.Layer[] = [];
  let total = 0;
  const addParams = (layer: tfTypes.layers.Layer, transposeKernel = false): number => {
    const index = params.length;
    for (const [j, w] of layer.getWeights().entries()) {
      const size = w.size;
      const t = transposeKernel && j === 0;
      params.push({ offset: total, size, shape: t ? [w.shape[1]!, w.shape[0]!] : [...w.shape], ...(t ? { transposed: true } : {}) });
      total += size;
    }
    owners.push(layer);
    return index;
  };
  if (model.inputs.length !== 1 || model.outputs.length !== 1) return 'not a single-input, single-output model';
  let shape = model.inputs[0]!.shape.slice(1) as number[];
  for (const layer of model.layers) {
    const c = layer.getConfig() as Record<string, unknown>;
    const name = layer.getClassName();
    if (c.dtype !== undefined && c.dtype !== 'float32') return `${layer.name}: dtype ${String(c.dtype)}`;
    const out = (layer.outputShape as number[]).slice(1);
    if (name === 'Flatten') {
      layers.push({ kind: 'flatten', inShape: shape, outShape: [out[0]!] });
    } else if (name === 'Conv2D') {
      const stride = c.strides as number[];
      const dilation = c.dilationRate as number[] | number;
      const kernel = c.kernelSize as number[];
      if (stride.some((s) => s !== 1) || (Array.isArray(dilation) ? dilation.some((d) => d !== 1) : dilation !== 1)) return `${layer.name}: stride or dilation`;
      if (c.dataFormat !== 'channelsLast' || !c.useBias || (c.activation !== 'relu' && c.activation !== 'linear'))
        return `${layer.name}: format, bias or activation`;
      if (c.padding !== 'valid' && c.padding !== 'same') return `${layer.name}: padding`;
      layers.push({
        kind: 'conv',
        kh: kernel[0]!,
        kw: kernel[1]!,
        pad: c.padding,
        relu: c.activation === 'relu',
        inShape: shape as [number, number, number],
        outShape: out as [number, number, number],
        param: addParams(layer),
      });
    } else if (name === 'MaxPooling2D') {
      const pool = c.poolSize as number[];
      const stride = c.strides as number[];
      if (pool[0] !== pool[1] || stride[0] !== pool[0] || stride[1] !== pool[0] || c.padding !== 'valid' || c.dataFormat !== 'channelsLast') {
        return `${layer.name}: only square, non-overlapping, valid pooling`;
      }
      layers.push({ kind: 'pool', size: pool[0]!, inShape: shape as [number, number, number], outShape: out as [number, number, number] });
    } else if (name === 'Dense') {
      if (!c.useBias || shape.length !== 1) return `${layer.name}: no bias, or not on a flat input`;
      const activation = c.activation;
      if (activation !== 'relu' && activation !== 'linear' && activation !== 'softmax') return `${layer.name}: activation ${String(activation)}`;
      // The workers' dense layers take a feature-major input, which a flatten (or a dense layer) makes.
      const previous = layers[layers.length - 1];
      if (previous?.kind !== 'flatten' && previous?.kind !== 'dense') layers.push({ kind: 'flatten', inShape: shape, outShape: [shape[0]!] });
      layers.push({ kind: 'dense', units: out[0]!, inUnits: shape[0]!, activation, param: addParams(layer, true) });
    } else {
      return `layer ${name} is not supported`;
    }
    shape = out;
  }
  const last = layers[layers.length - 1];
  if (last?.kind !== 'dense' || last.activation !== 'softmax') return 'the last layer is not a dense softmax';
  if (layers.some((l, i) => l.kind === 'dense' && l.activation === 'softmax' && i !== layers.length - 1)) return 'a softmax before the last layer';
  if (model.trainableWeights.length !== params.length || model.weights.length !== params.length) return 'weights outside the supported layers';
  return { layers, params, total, owners };
}

/** The [cols, rows] transpose of a row-major [rows, cols] matrix. */
function transpose2d(values: Float32Array, rows: number, cols: number): Float32Array {
  const out = new Float32Array(values.length);
  for (let r = 0; r < rows; r++) for (let c = 0; c < cols; c++) out[c * rows + r] = values[r * cols + c]!;
  return out;
}

/** Where train-worker.js is: beside this module once built; from the sources (tests), the built copy. */
export function trainWorkerFile(): string | undefined {
  const here = fileURLToPath(new URL('./train-worker.js', import.meta.url));
  if (existsSync(here)) return here;
  const built = join(PACKAGE_ROOT, 'dist', 'nn', 'train-worker.js');
  return existsSync(built) ? built : undefined;
}

/** Worker threads to use: one per core, at most 2 (a batch of 64 has too little work for more). */
export function defaultTrainingWorkers(): number {
  return Math.max(1, Math.min(2, availableParallelism()));
}

interface Pool {
  workers: Worker[];
  /** Resolvers of the message each worker owes. */
  pending: ({ resolve: (m: FromWorker) => void; reject: (e: Error) => void } | undefined)[];
}

let pool: Pool | undefined;
/** Set while a session owns the pool: a second training in the same process meanwhile takes the plain path. */
let busy = false;

/** Whether a data-parallel training is running in this process (its workers are taken). */
export function trainingWorkersBusy(): boolean {
  return busy;
}

function startPool(file: string, count: number): Pool {
  const p: Pool = { workers: [], pending: [] };
  for (let k = 0; k < count; k++) {
    const worker = new Worker(file);
    worker.unref();
    const fail = (err: Error): void => {
      const waiting = p.pending[k];
      p.pending[k] = undefined;
      if (pool === p) pool = undefined;
      for (const w of p.workers) void w.terminate();
      waiting?.reject(err);
      for (const other of p.pending) other?.reject(new Error(`training worker ${k} failed: ${err.message}`));
    };
    worker.on('message', (m: FromWorker) => {
      const waiting = p.pending[k];
      p.pending[k] = undefined;
      if (m.type === 'error') fail(new Error(m.message));
      else waiting?.resolve(m);
    });
    worker.on('error', fail);
    worker.on('exit', (code) => {
      if (p.pending[k]) fail(new Error(`training worker exited with code ${code}`));
    });
    p.workers.push(worker);
    p.pending.push(undefined);
  }
  return p;
}

function ask(p: Pool, message: (k: number) => ToWorker): Promise<FromWorker[]> {
  return Promise.all(
    p.workers.map((worker, k) =>
      new Promise<FromWorker>((resolve, reject) => {
        p.pending[k] = { resolve, reject };
        worker.ref();
        worker.postMessage(message(k));
      }).finally(() => worker.unref()),
    ),
  );
}

/** Stops the worker threads (they are also unref'd, so they never keep a finished process alive). */
export async function stopTrainingWorkers(): Promise<void> {
  const p = pool;
  pool = undefined;
  if (p) await Promise.all(p.workers.map((w) => w.terminate()));
}

/** One epoch's sums from all workers. */
export interface EpochSums {
  lossSum: number;
  correct: number;
  seen: number;
}

/** A running data-parallel training: the shared buffers and the workers set up for one `fitClassifier` call. */
export interface ParallelSession {
  /** Trains one epoch in the given order; `onBatches` hears the batches done about every 100 ms. */
  epoch(perm: Int32Array, batches: number, batchSize: number, onBatches?: (done: number) => void): Promise<EpochSums>;
  /** Copies the current weights into the tfjs model (for validation, callbacks and the caller). */
  syncModel(): void;
  /** Frees the workers for the next training (idempotent). */
  close(): void;
  workers: number;
}

/** Sets the workers up for the planned model on data x, y (copied once into shared memory). */
export async function startParallelSession(
  tf: Tf,
  plan: ParallelPlan,
  x: { values: Float32Array; shape: number[] },
  y: { values: Float32Array; shape: number[] },
  learningRate: number,
  workers: number,
): Promise<ParallelSession> {
  const file = trainWorkerFile();
  if (!file) throw new Error('train-worker.js not found (run npx tsc -p tsconfig.json)');
  if (busy) throw new Error('the training workers are busy with another training');
  busy = true;
  try {
    if (!pool || pool.workers.length !== workers) {
      await stopTrainingWorkers();
      pool = startPool(file, workers);
    }
    return await setUp(tf, pool, plan, x, y, learningRate, workers);
  } catch (err) {
    busy = false;
    throw err;
  }
}

async function setUp(
  tf: Tf,
  p: Pool,
  plan: ParallelPlan,
  x: { values: Float32Array; shape: number[] },
  y: { values: Float32Array; shape: number[] },
  learningRate: number,
  workers: number,
): Promise<ParallelSession> {
  const n = x.shape[0]!;
  const shared = (values: ArrayLike<number>, length = values.length): SharedArrayBuffer => {
    const buffer = new SharedArrayBuffer(4 * length);
    new Float32Array(buffer).set(values);
    return buffer;
  };
  const initial = new Float32Array(plan.total);
  // Every owner holds a kernel and a bias (parallelPlan requires both): parameters 2i and 2i + 1.
  plan.owners.forEach((owner, i) => {
    owner.getWeights().forEach((w, j) => {
      const spec = plan.params[2 * i + j]!;
      initial.set(spec.transposed ? transpose2d(w.dataSync() as Float32Array, w.shape[0]!, w.shape[1]!) : w.dataSync(), spec.offset);
    });
  });
  const weights = shared(initial);
  const control = new SharedArrayBuffer(4 * CONTROL_WORDS);
  const perm = new SharedArrayBuffer(4 * n);
  const base: Omit<WorkerSetup, 'rank'> = {
    layers: plan.layers,
    params: plan.params,
    total: plan.total,
    workers,
    learningRate,
    xSize: x.values.length / n,
    ySize: y.values.length / n,
    xShape: x.shape.slice(1),
    x: shared(x.values),
    y: shared(y.values),
    perm,
    weights,
    m: new SharedArrayBuffer(4 * plan.total),
    v: new SharedArrayBuffer(4 * plan.total),
    grads: new SharedArrayBuffer(4 * plan.total * workers),
    control,
  };
  await ask(p, (rank) => ({ type: 'setup', setup: { ...base, rank } }));
  const controlView = new Int32Array(control);
  const weightView = new Float32Array(weights);
  let open = true;
  return {
    workers,
    close() {
      if (open) busy = false;
      open = false;
    },
    async epoch(order, batches, batchSize, onBatches) {
      new Int32Array(perm).set(order);
      Atomics.store(controlView, BATCHES_DONE, 0);
      const timer = onBatches ? setInterval(() => onBatches(Atomics.load(controlView, BATCHES_DONE)), 100) : undefined;
      try {
        const replies = await ask(p, () => ({ type: 'epoch', batches, batchSize, n }));
        const sums: EpochSums = { lossSum: 0, correct: 0, seen: 0 };
        for (const r of replies) {
          if (r.type !== 'epoch') throw new Error(`training worker replied ${r.type} to an epoch`);
          sums.lossSum += r.lossSum;
          sums.correct += r.correct;
          sums.seen += r.seen;
        }
        return sums;
      } finally {
        if (timer) clearInterval(timer);
      }
    },
    syncModel() {
      plan.owners.forEach((owner, i) => {
        const tensors = [plan.params[2 * i]!, plan.params[2 * i + 1]!].map((ps) => {
          const values = weightView.slice(ps.offset, ps.offset + ps.size);
          return ps.transposed ? tf.tensor(transpose2d(values, ps.shape[0]!, ps.shape[1]!), [ps.shape[1]!, ps.shape[0]!]) : tf.tensor(values, ps.shape);
        });
        owner.setWeights(tensors);
        tf.dispose(tensors);
      });
    },
  };
}
