// What the data-parallel trainer's main thread and its workers share: the network as plain data, the layout of the
// shared buffers, the barrier and the Adam step. No tfjs here: both sides import it.

/** One layer of a supported Sequential network; shapes are per example, channels last. */
export type LayerSpec =
  | {
      kind: 'conv';
      kh: number;
      kw: number;
      pad: 'valid' | 'same';
      relu: boolean;
      inShape: [number, number, number];
      outShape: [number, number, number];
      /** Index of the kernel in the parameter list; the bias is the next one. */
      param: number;
    }
  | { kind: 'pool'; size: number; inShape: [number, number, number]; outShape: [number, number, number] }
  | { kind: 'flatten'; inShape: number[]; outShape: [number] }
  | { kind: 'dense'; units: number; inUnits: number; activation: 'relu' | 'linear' | 'softmax'; param: number };

/** One trainable array: where it sits in the flat parameter vector, and its tfjs shape. */
export interface ParamSpec {
  offset: number;
  size: number;
  /** Shape as the workers hold it. */
  shape: number[];
  /** A dense kernel, held transposed ([units, inputs]) by the workers and [inputs, units] by tfjs. */
  transposed?: boolean;
}

/** Everything a worker needs to train its share of every batch. */
export interface WorkerSetup {
  layers: LayerSpec[];
  params: ParamSpec[];
  /** Length of the flat parameter vector. */
  total: number;
  /** Workers, and this one's rank. */
  workers: number;
  rank: number;
  learningRate: number;
  /** Values per example of x and of y. */
  xSize: number;
  ySize: number;
  /** Shape of one example of x (e.g. [28, 28, 1]). */
  xShape: number[];
  /** Shared buffers: data, epoch order, weights, Adam moments, per-worker gradients, control words. */
  x: SharedArrayBuffer;
  y: SharedArrayBuffer;
  perm: SharedArrayBuffer;
  weights: SharedArrayBuffer;
  m: SharedArrayBuffer;
  v: SharedArrayBuffer;
  grads: SharedArrayBuffer;
  control: SharedArrayBuffer;
}

/** Control words (Int32): barrier arrivals, barrier generation, batches done in the current epoch. */
export const CONTROL_WORDS = 3;
export const ARRIVED = 0;
export const GENERATION = 1;
export const BATCHES_DONE = 2;

/** Main → worker. */
export type ToWorker = { type: 'setup'; setup: WorkerSetup } | { type: 'epoch'; batches: number; batchSize: number; n: number };

/** Worker → main. */
export type FromWorker = { type: 'ready' } | { type: 'epoch'; lossSum: number; correct: number; seen: number } | { type: 'error'; message: string };

/** Blocks until all `parties` callers arrived (generation-counting barrier over the control words). */
export function barrier(control: Int32Array, parties: number): void {
  const generation = Atomics.load(control, GENERATION);
  if (Atomics.add(control, ARRIVED, 1) === parties - 1) {
    Atomics.store(control, ARRIVED, 0);
    Atomics.add(control, GENERATION, 1);
    Atomics.notify(control, GENERATION);
    return;
  }
  // A short spin first: a batch takes about a millisecond, and waking from Atomics.wait costs tens of microseconds.
  for (let spin = 0; spin < 2000; spin++) if (Atomics.load(control, GENERATION) !== generation) return;
  while (Atomics.load(control, GENERATION) === generation) Atomics.wait(control, GENERATION, generation);
}

/** tfjs's Adam defaults (β1, β2) and its float32 epsilon. */
export const ADAM = { beta1: 0.9, beta2: 0.999, epsilon: 1e-7 } as const;

/**
 * One Adam step on weights[lo, hi), with the gradient summed over the workers' slots in rank order (so every
 * worker would get the same sum), in the order of operations of tfjs's AdamOptimizer.applyGradients.
 * @param step 1 for the first update
 */
export function adamSlice(
  weights: Float32Array,
  m: Float32Array,
  v: Float32Array,
  grads: Float32Array,
  total: number,
  workers: number,
  lo: number,
  hi: number,
  learningRate: number,
  step: number,
): void {
  const { beta1, beta2, epsilon } = ADAM;
  const c1 = 1 - beta1 ** step;
  const c2 = 1 - beta2 ** step;
  const a1 = 1 - beta1,
    a2 = 1 - beta2,
    rate = learningRate / c1,
    inv2 = 1 / c2;
  // The sum over workers first, into the first slot's range of a scratch view: two workers get a loop of their own.
  const second = workers > 1 ? grads.subarray(total, 2 * total) : undefined;
  for (let i = lo; i < hi; i++) {
    let g = grads[i]!;
    if (second) {
      g += second[i]!;
      for (let k = 2; k < workers; k++) g += grads[k * total + i]!;
    }
    const mi = m[i]! * beta1 + g * a1;
    const vi = v[i]! * beta2 + g * g * a2;
    m[i] = mi;
    v[i] = vi;
    weights[i] = weights[i]! - (rate * mi) / (Math.sqrt(vi * inv2) + epsilon);
  }
}
