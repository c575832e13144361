// The course's neural networks: a digits MLP and small CNN, and the PhaseNet 1-D U-Net for seismic phase picking.
import * as tf from './tf.js';
import { createRng } from '../util/rng.js';
import { cnnArchProblem, DEFAULT_CNN, type CnnArch } from './cnn-arch.js';

/** The digits models `eds run train --model` accepts. */
export type DigitsModelName = 'mlp' | 'cnn';

/** The digits models, in the order the CLI lists them. */
export const DIGITS_MODELS: readonly DigitsModelName[] = ['mlp', 'cnn'];

/** Options shared by the digits builders. */
export interface DigitsModelOptions {
  /** Seed for every initialiser: same seed and backend, same starting weights. */
  seed: number;
  /** MLP only: units in the hidden layer (default 128). */
  hiddenUnits?: number;
  /** CNN only: filters per conv layer and pooling after each (default `DEFAULT_CNN`, 5,258 parameters). */
  cnn?: CnnArch;
}

/**
 * Options for the PhaseNet builder; the defaults are the published architecture, with the 268,443 trainable
 * parameters of SeisBench's implementation of it.
 */
export interface PhaseNetOptions {
  /** Seed for every initialiser. */
  seed: number;
  /** Samples per window (default 3001: 30 s at 100 Hz). */
  length?: number;
  /** Components per sample (default 3: E, N, Z). */
  channels?: number;
  /** Output classes (default 3: noise, P, S). */
  classes?: number;
  /** Resolution levels of the U (default 5). */
  depth?: number;
  /** Filters at the top level; level d has filtersRoot·2^d (default 8, so 8…128). */
  filtersRoot?: number;
  /** Convolution kernel length in samples (default 7). */
  kernelSize?: number;
  /** Down/up-sampling stride between levels (default 4). */
  poolSize?: number;
}

/** A stream of distinct initialiser seeds derived from one run seed, so every layer differs but the run repeats. */
function seeds(seed: number): () => number {
  const rng = createRng(seed);
  return () => rng.int(2 ** 31 - 1);
}

/**
 * Builds a digits classifier.
 * Input [batch, 28, 28, 1] grey levels in [0, 1]; output [batch, 10] class probabilities (softmax).
 */
export function buildDigitsModel(name: DigitsModelName, options: DigitsModelOptions): tf.LayersModel {
  switch (name) {
    case 'mlp':
      return buildDigitsMlp(options);
    case 'cnn':
      return buildDigitsCnn(options);
    default: {
      const never: never = name;
      throw new Error(`unknown digits model ${String(never)}`);
    }
  }
}

/** 784 → hidden (ReLU) → 10 (softmax): 101,770 parameters with 128 hidden units. */
export function buildDigitsMlp(options: DigitsModelOptions): tf.LayersModel {
  const next = seeds(options.seed);
  const hidden = options.hiddenUnits ?? 128;
  return tf.sequential({
    name: 'digits_mlp',
    layers: [
      tf.layers.flatten({ inputShape: [28, 28, 1] }),
      tf.layers.dense({ units: hidden, activation: 'relu', kernelInitializer: tf.initializers.glorotUniform({ seed: next() }) }),
      tf.layers.dense({ units: 10, activation: 'softmax', kernelInitializer: tf.initializers.glorotUniform({ seed: next() }) }),
    ],
  });
}

/**
 * 3×3 conv layers (ReLU, no padding), each followed by max pooling of its size (1: none), then dense 10 (softmax).
 * The default, conv 8 → pool 2 → conv 16 → pool 2 → dense 10, has 5,258 parameters and is the network of
 * test/fixtures/torch/make_reference.py, so timings and accuracies compare. An architecture that cannot be built
 * throws an Error with a one-line reason (`runTrain` checks first and says it as a UserError).
 */
export function buildDigitsCnn(options: DigitsModelOptions): tf.LayersModel {
  const arch = options.cnn ?? DEFAULT_CNN;
  const why = cnnArchProblem(arch);
  if (why) throw new Error(why);
  const next = seeds(options.seed);
  const layers: tf.layers.Layer[] = [];
  arch.filters.forEach((filters, i) => {
    layers.push(
      tf.layers.conv2d({
        ...(i === 0 ? { inputShape: [28, 28, 1] } : {}),
        filters,
        kernelSize: 3,
        activation: 'relu',
        kernelInitializer: tf.initializers.glorotUniform({ seed: next() }),
      }),
    );
    if (arch.pool[i]! > 1) layers.push(tf.layers.maxPooling2d({ poolSize: arch.pool[i]! }));
  });
  layers.push(tf.layers.flatten(), tf.layers.dense({ units: 10, activation: 'softmax', kernelInitializer: tf.initializers.glorotUniform({ seed: next() }) }));
  return tf.sequential({ name: 'digits_cnn', layers });
}

/**
 * PhaseNet (Zhu & Beroza 2019): a 1-D U-Net over one window of three-component seismogram.
 * Built from 2-D layers of width 1 (tfjs has no Conv1DTranspose): kernels [k, 1], strides [pool, 1].
 * Each level: conv → BN → ReLU, then a strided conv down; on the way up a transposed conv (stride pool),
 * a centre crop to the skip's length (3001 → 751 → 188 → 47 → 12 does not divide by 4) and a concatenation
 * with the skip, then conv → BN → ReLU. Convolutions inside the U have no bias (batch norm follows).
 * Input [batch, length, channels], demeaned and scaled per channel; output [batch, length, classes]
 * probabilities (softmax over noise/P/S at each sample).
 * With `length: 3000` this is the published network exactly as its model.py builds it (3000 → 750 → 188 → 47 →
 * 12, TensorFlow's 'same' padding and crop offsets, batch-norm ε 0.001): 268,443 trainable parameters, 269,675
 * numbers with the moving statistics, checked against a NumPy run of model.py's graph. eds's own weights use 3001.
 */
export function buildPhaseNet(options: PhaseNetOptions): tf.LayersModel {
  const next = seeds(options.seed);
  const length = options.length ?? 3001;
  const channels = options.channels ?? 3;
  const classes = options.classes ?? 3;
  const depth = options.depth ?? 5;
  const root = options.filtersRoot ?? 8;
  const k = options.kernelSize ?? 7;
  const pool = options.poolSize ?? 4;
  const init = (): ReturnType<typeof tf.initializers.glorotUniform> => tf.initializers.glorotUniform({ seed: next() });
  const conv = (x: tf.SymbolicTensor, filters: number, stride = 1): tf.SymbolicTensor => {
    const y = tf.layers
      .conv2d({ filters, kernelSize: [k, 1], strides: [stride, 1], padding: 'same', useBias: false, kernelInitializer: init() })
      .apply(x) as tf.SymbolicTensor;
    return bnRelu(y);
  };
  const bnRelu = (x: tf.SymbolicTensor): tf.SymbolicTensor =>
    tf.layers.activation({ activation: 'relu' }).apply(tf.layers.batchNormalization({ axis: -1 }).apply(x)) as tf.SymbolicTensor;

  const input = tf.input({ shape: [length, channels], name: 'waveform' });
  let net = tf.layers.reshape({ targetShape: [length, 1, channels] }).apply(input) as tf.SymbolicTensor;
  net = bnRelu(
    tf.layers.conv2d({ filters: root, kernelSize: [k, 1], padding: 'same', kernelInitializer: init(), name: 'input_conv' }).apply(net) as tf.SymbolicTensor,
  );
  const skips: tf.SymbolicTensor[] = [];
  const lengths: number[] = [length];
  for (let d = 0; d < depth; d++) {
    const filters = root * 2 ** d;
    net = conv(net, filters);
    skips.push(net);
    if (d < depth - 1) {
      net = conv(net, filters, pool);
      lengths.push(Math.ceil(lengths[d]! / pool));
    }
  }
  for (let d = depth - 2; d >= 0; d--) {
    const filters = root * 2 ** d;
    let up = tf.layers
      .conv2dTranspose({ filters, kernelSize: [k, 1], strides: [pool, 1], padding: 'same', useBias: false, kernelInitializer: init() })
      .apply(net) as tf.SymbolicTensor;
    up = bnRelu(up);
    // 'same' transposed conv gives lengths[d+1]·pool samples, up to pool−1 more than the skip: crop the centre.
    const extra = lengths[d + 1]! * pool - lengths[d]!;
    if (extra > 0) {
      const before = Math.floor(extra / 2);
      up = tf.layers
        .cropping2D({
          cropping: [
            [before, extra - before],
            [0, 0],
          ],
        })
        .apply(up) as tf.SymbolicTensor;
    }
    net = tf.layers.concatenate({ axis: -1 }).apply([skips[d]!, up]) as tf.SymbolicTensor;
    net = conv(net, filters);
  }
  net = tf.layers
    .conv2d({ filters: classes, kernelSize: [1, 1], activation: 'softmax', kernelInitializer: init(), name: 'output_conv' })
    .apply(net) as tf.SymbolicTensor;
  const output = tf.layers.reshape({ targetShape: [length, classes], name: 'phase_probabilities' }).apply(net) as tf.SymbolicTensor;
  return tf.model({ inputs: input, outputs: output, name: 'phasenet' });
}

/** Trainable parameters (what the leaderboard counts and papers quote; batch-norm moving statistics excluded). */
export function countTrainableParams(model: tf.LayersModel): number {
  let total = 0;
  for (const w of model.trainableWeights) total += w.shape.reduce<number>((a, b) => a * (b ?? 1), 1);
  return total;
}
