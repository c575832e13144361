// The one training loop: seeded mini-batch Adam on a softmax classifier, one host sync per epoch, callbacks for the UI;
// on wasm the digits models run it split between worker threads (data-parallel.ts), the same batches and Adam.
import * as tf from './tf.js';
import { createRng } from '../util/rng.js';
import { defaultTrainingWorkers, type ParallelSession, parallelPlan, startParallelSession, trainingWorkersBusy, trainWorkerFile } from './data-parallel.js';

/** An array kept in JavaScript memory; batches are copied from it, which is faster than gathering on the backend. */
export interface HostTensor {
  /** Values in row-major order. */
  values: Float32Array;
  /** Shape, examples first: [n, ...]. */
  shape: number[];
}

/** Options for `fitClassifier`. */
export interface FitOptions {
  /** Passes over the training set. */
  epochs: number;
  /** Examples per gradient step. */
  batchSize: number;
  /** Adam step size. */
  learningRate: number;
  /** Seed of the per-epoch shuffles (the weights are seeded by the model builder). */
  seed: number;
  /** Held-out data evaluated after every epoch (not trained on). */
  validation?: { x: HostTensor; y: HostTensor };
  /** Called after every epoch with loss, accuracy, val_loss, val_accuracy and seconds (training time of that epoch), and the epochs planned. */
  onEpochEnd?: (epoch: number, logs: Record<string, number>, epochs: number) => void | Promise<void>;
  /** Stop after this many batches per epoch (benchmarks time a subset on slow backends); default all. */
  maxBatchesPerEpoch?: number;
  /**
   * Called at most every ~100 ms during an epoch with the batches done, so a UI can show progress, and once more
   * when each epoch ends (batchesDone = batches): `runFraction` turns it into the fraction of the whole run.
   */
  onProgress?: (epoch: number, batchesDone: number, batches: number) => void;
}

/**
 * The fraction of a whole training run done after `batchesDone` of `batches` in epoch `epoch` (0-based) of
 * `epochs`: one bar for the run, which never starts over at an epoch and reaches 1 with the last batch.
 */
export function runFraction(epoch: number, batchesDone: number, batches: number, epochs: number): number {
  if (!(epochs > 0)) return 0;
  const within = batches > 0 ? Math.min(1, Math.max(0, batchesDone / batches)) : 1;
  return Math.min(1, Math.max(0, (epoch + within) / epochs));
}

/** How often training gives the event loop a turn (ms): the TUI must redraw and hear Ctrl-C while a model trains. */
const YIELD_EVERY_MS = 100;

/** Lets timers and input run: wasm work and `await tensor.data()` only ever queue microtasks. */
function yieldToEventLoop(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

/** Per-epoch curves, the keys `eds run train --json` prints under `history`. */
export interface FitHistory {
  /** Mean training cross-entropy per epoch (nats). */
  loss: number[];
  /** Training accuracy per epoch, fraction in [0, 1] (measured during the epoch, as Keras does). */
  accuracy: number[];
  /** Validation cross-entropy per epoch (empty without validation data). */
  val_loss: number[];
  /** Validation accuracy per epoch (empty without validation data). */
  val_accuracy: number[];
  /** Wall seconds spent training in each epoch (validation excluded). */
  seconds: number[];
}

/** Smallest probability the loss takes the log of, so a confident wrong answer costs a finite amount. */
const EPSILON = 1e-7;

/**
 * Mean categorical cross-entropy between one-hot (or soft) targets and predicted probabilities.
 * @param probs [..., classes] probabilities (softmax output)
 * @param targets same shape, rows summing to 1
 * @returns scalar, nats per example (per sample for sequence outputs)
 */
export function crossEntropy(probs: tf.Tensor, targets: tf.Tensor): tf.Scalar {
  return tf.tidy(() => tf.neg(tf.mean(tf.sum(tf.mul(targets, tf.log(tf.clipByValue(probs, EPSILON, 1))), -1))) as tf.Scalar);
}

/** Number of positions where the arg-max of `probs` equals that of `targets` (float32 scalar). */
function correctCount(probs: tf.Tensor, targets: tf.Tensor): tf.Scalar {
  return tf.tidy(() => tf.sum(tf.cast(tf.equal(tf.argMax(probs, -1), tf.argMax(targets, -1)), 'float32')) as tf.Scalar);
}

/** Positions per example over which accuracy is counted: 1 for digits, `length` for PhaseNet's per-sample output. */
function positionsPerExample(targets: HostTensor): number {
  return targets.shape.slice(1, -1).reduce((a, b) => a * b, 1);
}

/** Values per example. */
function rowSize(t: HostTensor): number {
  return t.shape.slice(1).reduce((a, b) => a * b, 1);
}

/** The rows `indices` of `t`, copied into a new tensor [indices.length, ...]. */
function gatherRows(t: HostTensor, indices: ArrayLike<number>): tf.Tensor {
  const size = rowSize(t);
  const out = new Float32Array(indices.length * size);
  for (let k = 0; k < indices.length; k++) {
    const i = indices[k]!;
    out.set(t.values.subarray(i * size, (i + 1) * size), k * size);
  }
  return tf.tensor(out, [indices.length, ...t.shape.slice(1)]);
}

/** Rows start … start+count of `t` as a tensor (no copy on the host side). */
function sliceRows(t: HostTensor, start: number, count: number): tf.Tensor {
  const size = rowSize(t);
  return tf.tensor(t.values.subarray(start * size, (start + count) * size), [count, ...t.shape.slice(1)]);
}

function checkData(x: HostTensor, y: HostTensor): number {
  const n = x.shape[0] ?? 0;
  if (y.shape[0] !== n) throw new Error(`inputs hold ${n} examples but targets ${y.shape[0]}`);
  if (x.values.length !== n * rowSize(x) || y.values.length !== n * rowSize(y)) throw new Error('host tensor values do not match their shape');
  return n;
}

/**
 * How `fitClassifier` trains: `plain` through tfjs's engine on this thread; `parallel` split between worker threads
 * (data-parallel.ts; wasm backend and the digits models only); `auto` (default) takes `parallel` when it applies
 * and the run has at least {@link PARALLEL_MIN_SAMPLES} samples, so a tiny run does not wait for workers to start.
 */
export type TrainingPath = 'auto' | 'plain' | 'parallel';

/** Samples (batches × batch size × epochs) from which `auto` trains in parallel. */
export const PARALLEL_MIN_SAMPLES = 4096;

let pathChoice: TrainingPath = 'auto';
let workersChoice: number | undefined;
/** The path one `fitClassifier` call took, its workers, and why not parallel when it was plain. */
export interface TrainingPathTaken {
  path: 'plain' | 'parallel';
  workers: number;
  why?: string;
}
/** Per run, not per process: two trainings at once (a lesson and its background run) must not overwrite each other's. */
const pathTaken = new WeakMap<FitHistory, TrainingPathTaken>();

/** Chooses the training path (benchmarks, tests), and optionally the number of workers (default one per core, at most 2). */
export function setTrainingPath(path: TrainingPath, workers?: number): void {
  pathChoice = path;
  workersChoice = workers;
}

/** The path the `fitClassifier` call that returned `history` took. */
export function trainingPathOf(history: FitHistory): TrainingPathTaken | undefined {
  return pathTaken.get(history);
}

/** Why `model` cannot train in parallel here, or undefined when it can. */
function parallelObstacle(model: tf.LayersModel, y: HostTensor, samples: number): string | undefined {
  if (pathChoice === 'plain') return 'plain path chosen';
  if (tf.getBackend() !== 'wasm') return `backend ${tf.getBackend()}`;
  if (y.shape.length !== 2) return 'targets are not one row per example';
  if (pathChoice === 'auto' && samples < PARALLEL_MIN_SAMPLES) return `${samples} samples, under ${PARALLEL_MIN_SAMPLES}`;
  if (!trainWorkerFile()) return 'train-worker.js not built';
  if (trainingWorkersBusy()) return 'the training workers are busy with another training';
  const plan = parallelPlan(model);
  return typeof plan === 'string' ? plan : undefined;
}

/**
 * Trains `model` in place with Adam, shuffling with the seeded RNG each epoch (tfjs's own shuffle uses
 * Math.random, which would make runs unrepeatable).
 * @param x [n, ...inputShape]
 * @param y [n, ..., classes] one-hot (or soft) targets
 */
export async function fitClassifier(model: tf.LayersModel, x: HostTensor, y: HostTensor, options: FitOptions): Promise<FitHistory> {
  const n = checkData(x, y);
  if (n === 0) throw new Error('cannot train on an empty data set');
  const rng = createRng(options.seed);
  const history: FitHistory = { loss: [], accuracy: [], val_loss: [], val_accuracy: [], seconds: [] };
  const positions = positionsPerExample(y);
  const order = Array.from({ length: n }, (_, i) => i);
  const batchesPerEpoch = Math.min(Math.ceil(n / options.batchSize), options.maxBatchesPerEpoch ?? Infinity);
  const obstacle = parallelObstacle(model, y, batchesPerEpoch * options.batchSize * options.epochs);
  let session: ParallelSession | undefined;
  let why = obstacle;
  if (obstacle === undefined) {
    const plan = parallelPlan(model);
    try {
      if (typeof plan !== 'string') session = await startParallelSession(tf, plan, x, y, options.learningRate, workersChoice ?? defaultTrainingWorkers());
    } catch (err) {
      // Workers that cannot start (a thread limit, a crash while loading wasm) cost speed, never the run.
      why = `the training workers failed to start: ${(err instanceof Error ? err.message : String(err)).split('\n')[0]}`;
      if (pathChoice === 'parallel') throw new Error(`cannot train in parallel: ${why}`);
    }
  }
  pathTaken.set(history, session ? { path: 'parallel', workers: session.workers } : { path: 'plain', workers: 1, ...(why ? { why } : {}) });
  if (pathChoice === 'parallel' && !session) throw new Error(`cannot train in parallel: ${why}`);
  const optimizer = tf.train.adam(options.learningRate);
  let lastYield = performance.now();
  try {
    for (let epoch = 0; epoch < options.epochs; epoch++) {
      const started = performance.now();
      const perm = Int32Array.from(rng.shuffle(order));
      if (session) {
        const sums = await session.epoch(perm, batchesPerEpoch, options.batchSize, (done) => options.onProgress?.(epoch, done, batchesPerEpoch));
        session.syncModel();
        const seconds = (performance.now() - started) / 1000;
        await endEpoch(epoch, sums.lossSum / sums.seen, sums.correct / (sums.seen * positions), seconds, batchesPerEpoch);
        continue;
      }
      // Running sums stay on the backend; reading them once per epoch avoids a host round trip per batch.
      let lossSum: tf.Scalar = tf.scalar(0);
      let correct: tf.Scalar = tf.scalar(0);
      let seen = 0;
      const batches = batchesPerEpoch;
      for (let b = 0; b < batches; b++) {
        const start = b * options.batchSize;
        const size = Math.min(options.batchSize, n - start);
        let batchCorrect: tf.Scalar | undefined;
        const cost = tf.tidy(() => {
          const rows = perm.subarray(start, start + size);
          const xb = gatherRows(x, rows);
          const yb = gatherRows(y, rows);
          return optimizer.minimize(() => {
            const probs = model.apply(xb, { training: true }) as tf.Tensor;
            batchCorrect = tf.keep(correctCount(probs, yb));
            return crossEntropy(probs, yb);
          }, true) as tf.Scalar;
        });
        const nextLoss = tf.tidy(() => tf.add(lossSum, tf.mul(cost, size)) as tf.Scalar);
        const nextCorrect = tf.tidy(() => tf.add(correct, batchCorrect!) as tf.Scalar);
        tf.dispose([lossSum, correct, cost, batchCorrect!]);
        lossSum = nextLoss;
        correct = nextCorrect;
        seen += size;
        if (performance.now() - lastYield > YIELD_EVERY_MS) {
          options.onProgress?.(epoch, b + 1, batches);
          await yieldToEventLoop();
          lastYield = performance.now();
        }
      }
      const loss = (await lossSum.data())[0]! / seen;
      const accuracy = (await correct.data())[0]! / (seen * positions);
      tf.dispose([lossSum, correct]);
      await endEpoch(epoch, loss, accuracy, (performance.now() - started) / 1000, batches);
      lastYield = performance.now();
    }
  } finally {
    optimizer.dispose();
    session?.close();
  }
  return history;

  async function endEpoch(epoch: number, loss: number, accuracy: number, seconds: number, batches: number): Promise<void> {
    history.loss.push(loss);
    history.accuracy.push(accuracy);
    history.seconds.push(seconds);
    const logs: Record<string, number> = { loss, accuracy, seconds };
    if (options.validation) {
      const val = await evaluateClassifier(model, options.validation.x, options.validation.y);
      history.val_loss.push(val.loss);
      history.val_accuracy.push(val.accuracy);
      logs.val_loss = val.loss;
      logs.val_accuracy = val.accuracy;
    }
    options.onProgress?.(epoch, batches, batches);
    await options.onEpochEnd?.(epoch, logs, options.epochs);
    await yieldToEventLoop();
  }
}

/**
 * Loss and accuracy of `model` on a data set, in inference mode, a chunk at a time.
 * @param x [n, ...inputShape]
 * @param y [n, ..., classes] one-hot targets
 */
export async function evaluateClassifier(model: tf.LayersModel, x: HostTensor, y: HostTensor, chunk = 500): Promise<{ loss: number; accuracy: number }> {
  const n = checkData(x, y);
  let lossSum: tf.Scalar = tf.scalar(0);
  let correct: tf.Scalar = tf.scalar(0);
  for (let start = 0; start < n; start += chunk) {
    const size = Math.min(chunk, n - start);
    const [nextLoss, nextCorrect] = tf.tidy(() => {
      const xb = sliceRows(x, start, size);
      const yb = sliceRows(y, start, size);
      const probs = model.apply(xb, { training: false }) as tf.Tensor;
      return [tf.add(lossSum, tf.mul(crossEntropy(probs, yb), size)) as tf.Scalar, tf.add(correct, correctCount(probs, yb)) as tf.Scalar];
    });
    tf.dispose([lossSum, correct]);
    lossSum = nextLoss!;
    correct = nextCorrect!;
  }
  const loss = n > 0 ? (await lossSum.data())[0]! / n : NaN;
  const accuracy = n > 0 ? (await correct.data())[0]! / (n * positionsPerExample(y)) : NaN;
  tf.dispose([lossSum, correct]);
  return { loss, accuracy };
}

/**
 * Predicted class of every example, a chunk at a time.
 * @param x [n, ...inputShape]
 * @returns n class indices
 */
export async function predictClasses(model: tf.LayersModel, x: HostTensor, chunk = 500): Promise<Int32Array> {
  const n = x.shape[0] ?? 0;
  const out = new Int32Array(n);
  for (let start = 0; start < n; start += chunk) {
    const size = Math.min(chunk, n - start);
    const classes = tf.tidy(() => tf.argMax(model.apply(sliceRows(x, start, size), { training: false }) as tf.Tensor, -1));
    out.set(await classes.data(), start);
    classes.dispose();
  }
  return out;
}
