// The neural-network lesson's digits steps: look at the digits, train an MLP or CNN from its declared options, and check a run against the course leaderboard.
import type { RenderCaps } from '../render/caps.js';
import { renderImage, renderImageStrip } from '../render/image.js';
import { wrapWords } from '../render/text.js';
import type { TrainTaskOptions } from '../tasks/options.js';
import { checkLeaderboard, LEADERBOARD_RULES } from '../leaderboard/rules.js';
import { gridFigure } from './common.js';
import { cnnLabel } from '../nn/cnn-arch.js';
import type { ExperimentCallbacks, ExperimentResult, Figure } from './types.js';

/** The last run of each model in this process, for the side-by-side table (the TUI runs a lesson in one process). */
const lastRuns = new Map<string, Record<string, unknown>>();

/** `train` in a lesson: `runTrain`, plus the leaderboard check and, once both models have run, a comparison. */
export async function runDigitsTrainTask(options: TrainTaskOptions, seed: number, callbacks?: ExperimentCallbacks): Promise<ExperimentResult> {
  const { runTrain } = await import('./train.js');
  const typed = { ...options, seed };
  const result = await runTrain(typed, callbacks);
  const json: Record<string, unknown> = { ...result.json };
  if (json.model === 'mlp') json.hidden_units = typed.hiddenUnits ?? 128;
  const check = checkLeaderboard(json);
  json.training_seconds = check.entry.trainingSeconds;
  json.leaderboard = {
    eligible: check.eligible,
    reasons: check.reasons,
    min_accuracy: LEADERBOARD_RULES.minAccuracy,
    max_training_seconds: LEADERBOARD_RULES.maxTrainingSeconds,
  };
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
          String(r.model) +
            (r.model === 'mlp'
              ? ` (${String(r.hidden_units)} hidden)`
              : Array.isArray(r.filters) && Array.isArray(r.pool)
                ? ` ${cnnLabel({ filters: r.filters as number[], pool: r.pool as number[] })}`
                : ''),
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
export async function runDigitsLook(_options: unknown, seed: number): Promise<ExperimentResult> {
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
      render: (caps: RenderCaps) =>
        renderImage({ pixels: train.pixels.subarray(0, DIGIT_PIXELS), width: 28, height: 28 }, caps, {
          title: `label ${train.labels[0]}: 28 × 28 grey levels`,
        }),
    },
    { title: 'The first 24 training digits', render: (caps: RenderCaps) => renderImageStrip(items, caps, { title: 'First training digits and their labels' }) },
    gridFigure('Training digits per class', ['digit', ...counts.map((_, d) => String(d))], [['count', ...counts.map(String)]]),
  ];
  return { json, figures };
}
