// `eds run train`: trains a digits MLP or CNN on real MNIST and reports curves, test accuracy, macro F1 and the confusion matrix.
import type { RenderCaps } from '../render/caps.js';
import { UserError } from '../errors.js';
import type { BackendChoice } from '../nn/backend.js';
import type { DigitsModelName } from '../nn/models.js';
import { cnnDescription, parseCnnArch } from '../nn/cnn-arch.js';
import type { DigitSet } from '../data/digits.js';
import type { ExperimentCallbacks, ExperimentResult, Figure } from './types.js';
import { roundTo } from '../util/stats.js';

/** Options of one training run; every field has a default (see `TRAIN_DEFAULTS`). */
export interface TrainOptions {
  /** Data set; only 'digits' (real MNIST from the `mnist` package) for now. */
  dataset?: 'digits';
  /** 'mlp' (784→128→10) or 'cnn' (3×3 conv layers with pooling, by default two: 5,258 parameters). */
  model?: DigitsModelName;
  /** Passes over the training set. */
  epochs?: number;
  /** Digits per gradient step. */
  batchSize?: number;
  /** Adam step size. */
  learningRate?: number;
  /** Seeds the split, the initial weights and the shuffles: same seed and backend, same numbers. */
  seed?: number;
  /** 'auto' (gpu → webgpu → native → wasm → js), or one forced. */
  backend?: BackendChoice;
  /** Digits to train on (of the 10,000 shipped). */
  trainSize?: number;
  /** Held-out digits to test on (disjoint from the training digits). */
  testSize?: number;
  /** MLP only: hidden units. */
  hiddenUnits?: number;
  /** CNN only: filters per conv layer, a list or `"4,8"` (its length is the number of conv layers). */
  filters?: number[] | string | number;
  /** CNN only: max-pool size after every conv layer (one number) or after each (a list or `"2,1"`); 1 is none. */
  pool?: number[] | string | number;
}

/** The defaults `runTrain` fills in. */
export const TRAIN_DEFAULTS: Required<TrainOptions> = {
  dataset: 'digits',
  model: 'cnn',
  epochs: 5,
  batchSize: 64,
  learningRate: 1e-3,
  seed: 0,
  backend: 'auto',
  trainSize: 8000,
  testSize: 2000,
  hiddenUnits: 128,
  filters: [8, 16],
  pool: [2, 2],
};

const DIGIT_LABELS = ['0', '1', '2', '3', '4', '5', '6', '7', '8', '9'];

/** Checks and completes the options; a bad value is a one-line `UserError` naming the command-line option. */
export function resolveTrainOptions(options: TrainOptions): Required<TrainOptions> {
  const o: Required<TrainOptions> = { ...TRAIN_DEFAULTS };
  for (const [key, value] of Object.entries(options)) if (value !== undefined) (o as Record<string, unknown>)[key] = value;
  if (o.dataset !== 'digits') throw new UserError(`--dataset: unknown data set "${String(o.dataset)}" for train (expected: digits)`, { exitCode: 2 });
  if (o.model !== 'mlp' && o.model !== 'cnn') throw new UserError(`--model: unknown model "${String(o.model)}" (expected: mlp, cnn)`, { exitCode: 2 });
  const whole = (flag: string, value: number, min: number, max: number): void => {
    if (!Number.isInteger(value) || value < min || value > max)
      throw new UserError(`${flag} must be a whole number from ${min} to ${max}, got ${value}`, { exitCode: 2 });
  };
  whole('--epochs', o.epochs, 1, 1000);
  whole('--train-size', o.trainSize, 10, 10_000);
  whole('--test-size', o.testSize, 10, 10_000);
  whole('--batch-size', o.batchSize, 1, o.trainSize);
  whole('--hidden-units', o.hiddenUnits, 1, 4096);
  whole('--seed', o.seed, 0, 2 ** 32 - 1);
  if (!Number.isFinite(o.learningRate) || o.learningRate <= 0 || o.learningRate > 1) {
    throw new UserError(`--learning-rate must be a number in (0, 1], got ${o.learningRate}`, { exitCode: 2 });
  }
  if (o.model === 'mlp' && (options.filters !== undefined || options.pool !== undefined)) {
    throw new UserError('--filters and --pool shape the CNN: use them with --model cnn', { exitCode: 2 });
  }
  const arch = parseCnnArch(options.filters, options.pool);
  // 'filters: …' and 'pool: …' name their option; the others are about the whole shape.
  if ('problem' in arch)
    throw new UserError(/^(filters|pool):/.test(arch.problem) ? `--${arch.problem}` : `--filters/--pool: ${arch.problem}`, { exitCode: 2 });
  o.filters = arch.arch.filters;
  o.pool = arch.arch.pool;
  if (o.trainSize + o.testSize > 10_000) {
    throw new UserError(`--train-size ${o.trainSize} + --test-size ${o.testSize} exceeds the 10,000 digits shipped`, { exitCode: 2 });
  }
  return o;
}

/** Images as [n, 28, 28, 1] grey levels in [0, 1] and labels as one-hot [n, 10], in host memory. */
function toHost(set: DigitSet): { x: { values: Float32Array; shape: number[] }; y: { values: Float32Array; shape: number[] } } {
  const x = new Float32Array(set.pixels.length);
  for (let i = 0; i < x.length; i++) x[i] = set.pixels[i]! / 255;
  const y = new Float32Array(set.count * 10);
  for (let i = 0; i < set.count; i++) y[i * 10 + set.labels[i]!] = 1;
  return { x: { values: x, shape: [set.count, 28, 28, 1] }, y: { values: y, shape: [set.count, 10] } };
}

/**
 * Trains a digits classifier and evaluates it on held-out digits.
 * `callbacks.onEpochEnd(epoch, logs)` fires after every epoch (0-based) with loss, accuracy, val_loss,
 * val_accuracy (measured on the test digits; nothing is tuned on them) and seconds.
 */
export async function runTrain(options: TrainOptions = {}, callbacks: ExperimentCallbacks = {}): Promise<ExperimentResult> {
  const o = resolveTrainOptions(options);
  callbacks.onStatus?.('loading digits…');
  const { loadPackagedDigits, splitDigits } = await import('../data/digits.js');
  const { train, test } = splitDigits(loadPackagedDigits(), o.trainSize, o.testSize, o.seed);

  callbacks.onStatus?.('starting the neural-network backend…');
  const { initBackend } = await import('../nn/backend.js');
  const { info } = await initBackend(o.backend);
  if (info.warning) callbacks.onStatus?.(`warning: ${info.warning}`);
  const { buildDigitsModel, countTrainableParams } = await import('../nn/models.js');
  const { fitClassifier, predictClasses, runFraction } = await import('../nn/fit.js');
  const { confusionMatrix, macroF1 } = await import('../ml/metrics.js');

  const trainData = toHost(train);
  const testData = toHost(test);
  const cnn = { filters: o.filters as number[], pool: o.pool as number[] };
  const model = buildDigitsModel(o.model, { seed: o.seed, hiddenUnits: o.hiddenUnits, cnn });
  try {
    const nParams = countTrainableParams(model);
    const shape = o.model === 'cnn' ? `: ${cnnDescription(cnn)}` : '';
    callbacks.onStatus?.(`training ${o.model} (${nParams.toLocaleString('en-US')} parameters${shape}) on ${info.description}…`);
    const history = await fitClassifier(model, trainData.x, trainData.y, {
      epochs: o.epochs,
      batchSize: o.batchSize,
      learningRate: o.learningRate,
      seed: o.seed,
      validation: { x: testData.x, y: testData.y },
      onEpochEnd: (epoch, logs, epochs) => callbacks.onEpochEnd?.(epoch, logs, epochs),
      // One bar for the whole run (epochs × batches), not one that starts over at each epoch.
      onProgress: (epoch, done, total) => callbacks.onProgress?.(runFraction(epoch, done, total, o.epochs), `epoch ${epoch + 1}/${o.epochs}`),
    });
    const predicted = Array.from(await predictClasses(model, testData.x));
    const truth = Array.from(test.labels);
    const matrix = confusionMatrix(truth, predicted, 10);
    let correct = 0;
    for (let i = 0; i < truth.length; i++) if (truth[i] === predicted[i]) correct++;
    const secondsPerEpoch = history.seconds.reduce((a, b) => a + b, 0) / history.seconds.length;
    const json: Record<string, unknown> = {
      task: 'train',
      dataset: 'digits',
      model: o.model,
      seed: o.seed,
      n_train: train.count,
      n_test: test.count,
      params: nParams,
      // The CNN's shape, so a leaderboard entry can be counted and trained again.
      ...(o.model === 'cnn' ? { filters: cnn.filters, pool: cnn.pool } : {}),
      backend: info.kind,
      backend_detail: info.description,
      ...(info.warning ? { backend_warning: info.warning } : {}),
      epochs: o.epochs,
      batch_size: o.batchSize,
      learning_rate: o.learningRate,
      seconds_per_epoch: roundTo(secondsPerEpoch, 3),
      history: {
        loss: history.loss.map((v) => roundTo(v, 5)),
        accuracy: history.accuracy.map((v) => roundTo(v, 5)),
        val_loss: history.val_loss.map((v) => roundTo(v, 5)),
        val_accuracy: history.val_accuracy.map((v) => roundTo(v, 5)),
      },
      accuracy: roundTo(correct / truth.length, 5),
      macro_f1: roundTo(macroF1(truth, predicted), 5),
      confusion: { labels: DIGIT_LABELS, matrix },
    };
    const figures = await trainFigures(history, matrix, test, predicted);
    return { json, figures };
  } finally {
    // Frees the weights: the TUI trains many times in one process. (The optimiser frees its own state.)
    model.dispose();
  }
}

/** Training curves, the confusion matrix and a strip of misclassified test digits. */
async function trainFigures(
  history: { loss: number[]; accuracy: number[]; val_loss: number[]; val_accuracy: number[] },
  matrix: number[][],
  test: DigitSet,
  predicted: number[],
): Promise<Figure[]> {
  const { renderLineChart } = await import('../render/line.js');
  const { renderConfusionMatrix } = await import('../render/confusion.js');
  const { renderImageStrip } = await import('../render/image.js');
  const epochs = history.loss.map((_, i) => i + 1);
  const mistakes: Array<{ image: { pixels: Uint8Array; width: number; height: number }; label: string; predicted: string }> = [];
  for (let i = 0; i < test.count && mistakes.length < 24; i++) {
    if (predicted[i] !== test.labels[i]) {
      mistakes.push({
        image: { pixels: test.pixels.subarray(i * 784, (i + 1) * 784), width: 28, height: 28 },
        label: String(test.labels[i]),
        predicted: String(predicted[i]),
      });
    }
  }
  return [
    {
      title: 'Loss per epoch (training and test digits)',
      render: (caps: RenderCaps) =>
        renderLineChart(
          [
            { name: 'loss', x: epochs, y: history.loss },
            { name: 'val_loss', x: epochs, y: history.val_loss },
          ],
          caps,
          { xAxis: { label: 'epoch' }, yAxis: { label: 'loss' }, showLast: true },
        ),
    },
    {
      title: 'Accuracy per epoch (training and test digits)',
      render: (caps: RenderCaps) =>
        renderLineChart(
          [
            { name: 'accuracy', x: epochs, y: history.accuracy },
            { name: 'val_accuracy', x: epochs, y: history.val_accuracy },
          ],
          caps,
          { xAxis: { label: 'epoch' }, yAxis: { label: 'accuracy' }, showLast: true },
        ),
    },
    {
      title: 'Test digits: true class (rows) against predicted (columns)',
      render: (caps: RenderCaps) => renderConfusionMatrix(DIGIT_LABELS, matrix, caps),
    },
    {
      title: 'Misclassified test digits (true→predicted)',
      render: (caps: RenderCaps) => renderImageStrip(mistakes, caps),
    },
  ];
}
