// Session 1's key result, over 30 students' records with the lesson's defaults: shuffled folds flatter the models
// and time blocks do not, on every record for the random forest; a held-out quarter is one noisy draw, no more.
import { beforeAll, describe, expect, it } from 'vitest';
import { COMPARE_MODELS, FEATURE_SETS, compareScores, resolveRiverOptions, runRiver, type SplitScores } from '../../src/experiments/river.js';
import { checkTaskOptions } from '../../src/experiments/registry.js';
import type { RiverTaskInput } from '../../src/tasks/options.js';

import { PROBE_STEP_MS } from '../../src/hydrology/river-data.js';
import { riverRecord } from '../../src/hydrology/calibration.js';

/** The lesson's string options, checked by the declaration, with the stage's defaults. */
const parseRiverOptions = (options: Record<string, string>, seed: number) => resolveRiverOptions(checkTaskOptions('river', options) as RiverTaskInput, seed);

const SEEDS = Array.from({ length: 30 }, (_, i) => 1000 + i);
const [ALL, TWO, ONE] = FEATURE_SETS.slice().reverse() as [string, string, string];
const mean = (a: readonly number[]) => a.reduce((s, v) => s + v, 0) / a.length;

interface SeedRun {
  seed: number;
  /** Every model on the lesson's defaults (all three features, log space). */
  defaults: Record<string, SplitScores>;
  /** The forest on the two smaller feature sets. */
  forest: Record<string, SplitScores>;
  median: number;
  mean: number;
  fouledRoutine: number;
  fouledFlood: number;
}
const runs: SeedRun[] = [];

beforeAll(async () => {
  for (const seed of SEEDS) {
    // About 3 s a record (generation, Huber's optimiser and the forests): let the test runner breathe between them.
    await new Promise((resolve) => setImmediate(resolve));
    const opts = (features: string) => parseRiverOptions({ stage: 'compare', scale: 'log', features }, seed);
    const defaults = compareScores(opts(ALL), COMPARE_MODELS);
    const forest = Object.fromEntries([TWO, ONE].map((f) => [f, compareScores(opts(f), ['rf']).rf!]));
    const inspect = runRiver(parseRiverOptions({ stage: 'inspect' }, seed)).json as Record<string, number>;
    // Which lab bottles were read by a fouled probe (the generator's truth at each bottle's step).
    const data = riverRecord(seed);
    const t0 = data.truth.timeMs[0]!;
    let fouledRoutine = 0;
    let fouledFlood = 0;
    data.samples.timeMs.forEach((t, i) => {
      const k = Math.min(data.truth.fouled.length - 1, Math.round((t - t0) / PROBE_STEP_MS));
      if (data.truth.fouled[k]) data.samples.campaign[i] === 'routine' ? fouledRoutine++ : fouledFlood++;
    });
    runs.push({ seed, defaults, forest, median: inspect.ssc_median_mg_l!, mean: inspect.ssc_mean_mg_l!, fouledRoutine, fouledFlood });
  }
}, 300_000);

describe('random split against split by time, over 30 records', () => {
  it('time-block folds give the forest a larger error than shuffled folds on every record, for every feature set', () => {
    for (const r of runs) {
      const sets: [string, SplitScores][] = [
        [ALL, r.defaults.rf!],
        [TWO, r.forest[TWO]!],
        [ONE, r.forest[ONE]!],
      ];
      for (const [features, s] of sets) expect(s.cvTime, `seed ${r.seed}, ${features}`).toBeGreaterThan(s.cvRandom);
    }
  });

  it('does the same for every model on almost every record, and most of all for the forest', () => {
    const ratio: Record<string, number> = {};
    for (const model of COMPARE_MODELS) {
      const gaps = runs.map((r) => r.defaults[model]!.cvTime - r.defaults[model]!.cvRandom);
      expect(gaps.filter((g) => g > 0).length, model).toBeGreaterThanOrEqual(27);
      expect(mean(gaps), model).toBeGreaterThan(0.02);
      ratio[model] = mean(runs.map((r) => r.defaults[model]!.cvTime / r.defaults[model]!.cvRandom));
    }
    for (const model of COMPARE_MODELS) if (model !== 'rf') expect(ratio.rf, model).toBeGreaterThan(ratio[model]!);
  });

  it('shows the forest flattered on most single held-out quarters too, but not on all: one quarter is one draw', () => {
    const gaps = runs.map((r) => r.defaults.rf!.time.rmse - r.defaults.rf!.random.rmse);
    expect(gaps.filter((g) => g > 0).length).toBeGreaterThanOrEqual(22);
    expect(mean(gaps)).toBeGreaterThan(0.05);
  });

  it('keeps each held-out RMSE of the same order as the cross-validated one (no quarter at half of it for every model)', () => {
    for (const r of runs) {
      for (const model of COMPARE_MODELS) {
        const s = r.defaults[model]!;
        const ratio = s.random.rmse / s.cvRandom;
        expect(ratio, `seed ${r.seed}, ${model}`).toBeGreaterThan(0.55);
        expect(ratio, `seed ${r.seed}, ${model}`).toBeLessThan(2);
      }
      const halves = COMPARE_MODELS.filter((m) => r.defaults[m]!.random.rmse < 0.6 * r.defaults[m]!.cvRandom);
      expect(halves.length, `seed ${r.seed}`).toBeLessThan(COMPARE_MODELS.length);
    }
  });
});

describe('the river record behind it', () => {
  it('reads routine bottles with a clean probe (the technician wipes it first), while flood bottles can be fouled', () => {
    for (const r of runs) expect(r.fouledRoutine, `seed ${r.seed}`).toBe(0);
    expect(runs.reduce((s, r) => s + r.fouledFlood, 0)).toBeGreaterThan(0);
  });

  it('has a right-skewed SSC: the median below the mean on every record', () => {
    for (const r of runs) expect(r.median, `seed ${r.seed}`).toBeLessThan(r.mean);
  });
});
