// Session 6 "attention, made visible": a one-head self-attention model (tfjs) learns to point at the arrival of an impulsive signal in a noisy trace; its attention weights are the picture.
import { createRng } from '../util/rng.js';
import { renderHeatmap } from '../render/heatmap.js';
import { renderLineChart } from '../render/line.js';
import { UserError } from '../errors.js';
import type { BackendChoice } from '../nn/backend.js';
import type { ExperimentCallbacks, ExperimentResult } from './types.js';

/** Options of the attention experiment. */
export interface AttentionOptions {
  /** Samples per trace (default 32). */
  length?: number;
  /** Width of the embedding, queries, keys and values (default 16). */
  width?: number;
  /** Training traces (default 256; 128 more are held out for the test). */
  traces?: number;
  /** Passes over the training traces, full batch (default 40). */
  epochs?: number;
  /** Peak signal-to-noise amplitude ratio of the arrival (default 4). */
  snr?: number;
  /** Seeds the traces and the initial weights. */
  seed?: number;
  /** tfjs backend (default auto). */
  backend?: BackendChoice;
}

/** Toy traces: noise, then a decaying impulsive burst from `onset` on. */
export interface ToyTraces {
  /** Samples, traces × length (noise standard deviation 1). */
  x: number[][];
  /** Arrival sample of each trace. */
  onset: number[];
}

/** Makes `n` noisy traces with one impulsive arrival each (onset uniform over the middle of the window). Pure and seeded. */
export function makeArrivalTraces(n: number, length: number, snr: number, seed: number): ToyTraces {
  const rng = createRng(seed);
  const x: number[][] = [];
  const onset: number[] = [];
  for (let i = 0; i < n; i++) {
    const t0 = 3 + rng.int(length - 8);
    const period = 3 + rng.next() * 2;
    const trace = Array.from({ length }, (_, t) => {
      const noise = rng.normal();
      if (t < t0) return noise;
      // Impulsive: full amplitude at once, then an exponential decay over a few samples.
      const k = t - t0;
      return noise + snr * Math.exp(-k / 4) * Math.cos((2 * Math.PI * k) / period);
    });
    x.push(trace);
    onset.push(t0);
  }
  return { x, onset };
}

/** Runs the experiment: train, test, and draw one test trace's attention matrix. */
export async function runAttention(options: AttentionOptions = {}, callbacks: ExperimentCallbacks = {}): Promise<ExperimentResult> {
  const T = options.length ?? 32;
  const d = options.width ?? 16;
  const nTrain = options.traces ?? 256;
  const epochs = options.epochs ?? 40;
  const snr = options.snr ?? 4;
  const seed = options.seed ?? 0;
  if (!(Number.isInteger(T) && T >= 12 && T <= 256)) throw new UserError(`length must be an integer from 12 to 256, got ${T}`);
  if (!(Number.isInteger(d) && d >= 2 && d <= 64)) throw new UserError(`width must be an integer from 2 to 64, got ${d}`);
  if (!(Number.isInteger(nTrain) && nTrain >= 16)) throw new UserError(`traces must be an integer >= 16, got ${nTrain}`);
  if (!(Number.isInteger(epochs) && epochs >= 1)) throw new UserError(`epochs must be an integer >= 1, got ${epochs}`);
  if (!(snr > 0)) throw new UserError(`snr must be > 0, got ${snr}`);
  callbacks.onStatus?.('loading tfjs…');
  const { initBackend } = await import('../nn/backend.js');
  const { tf, info } = await initBackend(options.backend ?? 'auto');
  const train = makeArrivalTraces(nTrain, T, snr, seed);
  const test = makeArrivalTraces(128, T, snr, seed + 1);

  // Seeded weights (tfjs's own initialisers draw from an unseeded generator).
  const rng = createRng(seed + 2);
  const init = (rows: number, cols: number, scale = Math.sqrt(2 / (rows + cols))) =>
    tf.variable(
      tf.tensor2d(
        Float32Array.from({ length: rows * cols }, () => rng.normal() * scale),
        [rows, cols],
      ),
    );
  const F = 2; // per-sample features: the amplitude and its magnitude
  const vars = {
    embed: init(F, d),
    position: init(T, d, 0.1),
    wq: init(d, d),
    wk: init(d, d),
    wv: init(d, d),
    w1: init(d, d),
    w2: init(d, 1),
  };
  const varList = Object.values(vars);
  const parameters = varList.reduce((s, v) => s + v.size, 0);
  const features = (x: number[][]) => tf.tensor3d(x.map((tr) => tr.map((v) => [v, Math.abs(v)])));

  /** Logits over arrival positions [n, T] and the attention weights [n, T(query), T(key)]. */
  const forward = (input: ReturnType<typeof features>) => {
    const n = input.shape[0];
    const h = tf.add(tf.reshape(tf.matMul(tf.reshape(input, [n * T, F]), vars.embed), [n, T, d]), vars.position);
    const flat = tf.reshape(h, [n * T, d]);
    const q = tf.reshape(tf.matMul(flat, vars.wq), [n, T, d]);
    const k = tf.reshape(tf.matMul(flat, vars.wk), [n, T, d]);
    const v = tf.reshape(tf.matMul(flat, vars.wv), [n, T, d]);
    const attention = tf.softmax(tf.div(tf.matMul(q, k, false, true), Math.sqrt(d)));
    const z = tf.add(tf.matMul(attention, v), h);
    const logits = tf.reshape(tf.matMul(tf.relu(tf.matMul(tf.reshape(z, [n * T, d]), vars.w1)), vars.w2), [n, T]);
    return { logits, attention };
  };

  const xTrain = features(train.x);
  const yTrain = tf.oneHot(tf.tensor1d(train.onset, 'int32'), T);
  const optimizer = tf.train.adam(0.01);
  const losses: number[] = [];
  const started = performance.now();
  callbacks.onStatus?.(`training on ${info.description}`);
  for (let epoch = 0; epoch < epochs; epoch++) {
    const loss = optimizer.minimize(() => tf.losses.softmaxCrossEntropy(yTrain, forward(xTrain).logits) as tfScalar, true, varList);
    const value = (await loss!.data())[0]!;
    loss!.dispose();
    losses.push(value);
    callbacks.onEpochEnd?.(epoch, { loss: value }, epochs);
    callbacks.onProgress?.((epoch + 1) / epochs, `epoch ${epoch + 1}/${epochs}`);
    // A turn for the event loop after each epoch (\`await data()\` queues only microtasks): the lesson redraws its
    // spinner and curve, and hears Ctrl-C, instead of freezing for the whole training.
    await new Promise((resolve) => setImmediate(resolve));
  }
  const seconds = (performance.now() - started) / 1000;
  const xTest = features(test.x);
  const { logits, attention } = tf.tidy(() => forward(xTest));
  const predicted = Array.from(await tf.argMax(logits, 1).data());
  const att = (await attention.array()) as number[][][];
  tf.dispose([xTrain, yTrain, xTest, logits, attention, ...varList]);
  optimizer.dispose();

  const errors = predicted.map((p, i) => Math.abs(p - test.onset[i]!));
  const within1 = errors.filter((e) => e <= 1).length / errors.length;
  // Attention received by each key, averaged over queries: where in the trace the model looks.
  const received = att.map((m) => Array.from({ length: T }, (_, key) => m.reduce((s, row) => s + row[key]!, 0) / T));
  const nearOnset = received.map((r, i) => r.slice(test.onset[i]!, test.onset[i]! + 3).reduce((s, v) => s + v, 0));
  const meanNearOnset = nearOnset.reduce((s, v) => s + v, 0) / nearOnset.length;
  const show = 0;
  const json = {
    task: 'attention',
    seed,
    backend: info.kind,
    length: T,
    width: d,
    n_train: nTrain,
    n_test: test.x.length,
    epochs,
    snr,
    parameters,
    seconds_train: Number(seconds.toFixed(3)),
    final_loss: Number(losses.at(-1)!.toFixed(4)),
    accuracy_within_1: Number(within1.toFixed(4)),
    mean_abs_error_samples: Number((errors.reduce((s, v) => s + v, 0) / errors.length).toFixed(3)),
    chance_within_1: Number((3 / (T - 8)).toFixed(4)),
    attention_near_onset: Number(meanNearOnset.toFixed(4)),
    attention_uniform: Number((3 / T).toFixed(4)),
    example_onset: test.onset[show],
    example_predicted: predicted[show],
  };
  return {
    json,
    figures: [
      {
        title: `Test trace ${show}: arrival at sample ${test.onset[show]}, predicted ${predicted[show]}; attention each key receives (×${T})`,
        render: (caps) =>
          renderLineChart(
            [
              { name: 'trace', y: test.x[show]! },
              { name: 'attention received × T', y: received[show]!.map((v) => v * T) },
            ],
            caps,
            { xAxis: { label: 'sample' } },
          ),
      },
      {
        title: `Attention weights of test trace ${show} (row: query sample, column: key sample it looks at)`,
        render: (caps) =>
          renderHeatmap({ values: att[show]!, origin: 'upper' }, caps, {
            xAxis: { label: 'key sample', min: -0.5, max: T - 0.5 },
            yAxis: { label: 'query sample', min: -0.5, max: T - 0.5 },
            valueLabel: 'weight',
          }),
      },
      {
        title: 'Training loss (cross-entropy over arrival positions)',
        render: (caps) => renderLineChart([{ name: 'loss', y: losses }], caps, { xAxis: { label: 'epoch' } }),
      },
    ],
  };
}

type tfScalar = import('../nn/tf.js').Scalar;
