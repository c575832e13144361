// The neural-network lesson's digits steps: look at the digits, train an MLP or CNN from string options, and check a run against the course leaderboard.
import { UserError } from '../errors.js';
import type { RenderCaps } from '../render/caps.js';
import { renderImage, renderImageStrip } from '../render/image.js';
import { wrapWords } from '../render/text.js';
import type { TrainOptions } from './train.js';
import { checkLeaderboard, LEADERBOARD_RULES } from '../leaderboard/rules.js';
import { gridFigure } from './common.js';
import { cnnLabel } from '../nn/cnn-arch.js';
import type { ExperimentCallbacks, ExperimentResult, Figure } from './types.js';

/** The options a lesson may set on the train step, as `key=value` strings. */
const TRAIN_KEYS = ['dataset', 'model', 'hidden', 'filters', 'pool', 'lr', 'batch', 'epochs', 'train_size', 'test_size', 'backend'] as const;

function parseNumber(options: Record<string, string>, key: string): number | undefined {
  const raw = options[key];
  if (raw === undefined) return undefined;
  const v = Number(raw);
  if (raw.trim() === '' || !Number.isFinite(v)) throw new UserError(`train: option ${key} must be a number, got "${raw}"`);
  return v;
}

/** Lesson adapter: string options (`model=mlp hidden=32 lr=0.001 batch=64 epochs=5`, `model=cnn filters=4,8 pool=2`) to `TrainOptions`. */
export function trainOptionsFrom(options: Record<string, string>, seed: number): TrainOptions {
  for (const key of Object.keys(options)) {
    if (!(TRAIN_KEYS as readonly string[]).includes(key)) throw new UserError(`train: unknown option "${key}" (known: ${TRAIN_KEYS.join(', ')})`);
  }
  const hidden = parseNumber(options, 'hidden');
  // The lesson promises "from 5 units up": fewer cannot separate ten classes usefully.
  if (hidden !== undefined && hidden < 5) throw new UserError(`train: option hidden must be at least 5 units, got ${hidden}`);
  return {
    dataset: options.dataset as 'digits' | undefined,
    model: options.model as TrainOptions['model'],
    hiddenUnits: hidden,
    // Checked, with the shape as a whole, by runTrain.
    filters: options.filters,
    pool: options.pool,
    learningRate: parseNumber(options, 'lr'),
    batchSize: parseNumber(options, 'batch'),
    epochs: parseNumber(options, 'epochs'),
    trainSize: parseNumber(options, 'train_size'),
    testSize: parseNumber(options, 'test_size'),
    backend: options.backend as TrainOptions['backend'],
    seed,
  };
}

/** The last run of each model in this process, for the side-by-side table (the TUI runs a lesson in one process). */
const lastRuns = new Map<string, Record<string, unknown>>();

/** `train` in a lesson: `runTrain`, plus the leaderboard check and, once both models have run, a comparison. */
export async function runDigitsTrainTask(options: Record<string, string>, seed: number, callbacks?: ExperimentCallbacks): Promise<ExperimentResult> {
  const { runTrain } = await import('./train.js');
  const typed = trainOptionsFrom(options, seed);
  const result = await runTrain(typed, callbacks);
  const json: Record<string, unknown> = { ...result.json };
  if (json.model === 'mlp') json.hidden_units = typed.hiddenUnits ?? 128;
  const check = checkLeaderboard(json);
  json.training_seconds = check.entry.trainingSeconds;
  json.leaderboard = { eligible: check.eligible, reasons: check.reasons, min_accuracy: LEADERBOARD_RULES.minAccuracy, max_training_seconds: LEADERBOARD_RULES.maxTrainingSeconds };
  lastRuns.set(String(json.model), json);
  const figures: Figure[] = [
    ...result.figures,
    {
      title: 'Course leaderboard check',
      render: (caps: RenderCaps) =>
        wrapWords(
          check.eligible
            ? `Eligible: ${(check.entry.accuracy * 100).toFixed(1)} % test accuracy in ${check.entry.trainingSeconds.toFixed(1)} s with ${check.entry.params.toLocaleString('en-US')} parameters. Fewest parameters wins.`
            : `Not eligible yet: ${check.reasons.join('; ')}. (Rules: at least ${LEADERBOARD_RULES.minAccuracy * 100} % test accuracy, training under ${LEADERBOARD_RULES.maxTrainingSeconds / 60} minutes; fewest parameters wins.)`,
          caps.width,
        ).join('\n'),
    },
  ];
  const runs = ['mlp', 'cnn'].map((m) => lastRuns.get(m)).filter((r): r is Record<string, unknown> => r !== undefined);
  if (runs.length === 2) {
    figures.push(
      gridFigure(
        'Your last MLP and CNN runs',
        ['model', 'parameters', 'test accuracy', 's / epoch', 'epochs', 'backend'],
        runs.map((r) => [
          String(r.model) + (r.model === 'mlp' ? ` (${String(r.hidden_units)} hidden)` : Array.isArray(r.filters) && Array.isArray(r.pool) ? ` ${cnnLabel({ filters: r.filters as number[], pool: r.pool as number[] })}` : ''),
          Number(r.params).toLocaleString('en-US'),
          `${(Number(r.accuracy) * 100).toFixed(1)} %`,
          Number(r.seconds_per_epoch).toFixed(2),
          String(r.epochs),
          String(r.backend),
        ]),
      ),
    );
  }
  return { json, figures };
}

/** `digits-look`: a strip of training digits with their labels, one digit large, and how many of each class there are. */
export async function runDigitsLook(options: Record<string, string>, seed: number): Promise<ExperimentResult> {
  for (const key of Object.keys(options)) if (!(key === 'dataset' && options[key] === 'digits')) throw new UserError(`digits-look: unknown option "${key}"`);
  const { loadPackagedDigits, splitDigits, DIGIT_PIXELS } = await import('../data/digits.js');
  const { train, test } = splitDigits(loadPackagedDigits(), 8000, 2000, seed);
  const counts = new Array<number>(10).fill(0);
  for (const l of train.labels) counts[l]!++;
  const items = Array.from({ length: 24 }, (_, i) => ({
    image: { pixels: train.pixels.subarray(i * DIGIT_PIXELS, (i + 1) * DIGIT_PIXELS), width: 28, height: 28 },
    label: String(train.labels[i]),
    predicted: String(train.labels[i]),
  }));
  let ink = 0;
  for (let i = 0; i < DIGIT_PIXELS; i++) if (train.pixels[i]! > 0) ink++;
  const json = {
    task: 'digits-look',
    dataset: 'digits',
    seed,
    n_train: train.count,
    n_test: test.count,
    width: 28,
    height: 28,
    inputs: DIGIT_PIXELS,
    classes: 10,
    class_counts: counts,
    first_label: train.labels[0],
    first_ink_pixels: ink,
  };
  const figures: Figure[] = [
    {
      title: `Your first training digit (a ${train.labels[0]})`,
      render: (caps: RenderCaps) => renderImage({ pixels: train.pixels.subarray(0, DIGIT_PIXELS), width: 28, height: 28 }, caps, { title: `label ${train.labels[0]}: 28 × 28 grey levels` }),
    },
    { title: 'The first 24 training digits', render: (caps: RenderCaps) => renderImageStrip(items, caps, { title: 'First training digits and their labels' }) },
    gridFigure('Training digits per class', ['digit', ...counts.map((_, d) => String(d))], [['count', ...counts.map(String)]]),
  ];
  return { json, figures };
}
