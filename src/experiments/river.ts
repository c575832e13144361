// The `river` task of session 1: inspect the probes and samples, align them, fit SSC from turbidity, compare models on two splits, predict a season's flux.
// This module resolves the options and runs a stage; each stage is a module in river/.
import { UserError } from '../errors.js';
import { calibrate, riverRecord } from '../hydrology/calibration.js';
import type { ExperimentCallbacks, ExperimentResult } from './types.js';
import type { RiverTaskInput } from '../tasks/options.js';
import { finish, MINUTE_MS, type RiverStep, type RiverTaskOptions } from './river/types.js';
import { inspect } from './river/inspect.js';
import { align } from './river/align.js';
import { fit } from './river/fit.js';
import { compare } from './river/compare.js';
import { season } from './river/season.js';

// The stages' shared names and the helpers tests and lessons use, from the modules that define them.
export { COMPARE_MODELS, FEATURE_SETS, FIT_MODELS, RIVER_STAGES, type RiverStage, type RiverTaskOptions } from './river/types.js';
export { blockedFolds, compareScores, type Scores, type SplitScores } from './river/compare.js';
export { firstTurbidityOutage } from './river/align.js';

/** The stage's defaults for the options a lesson left out (its declaration, src/tasks/declarations.ts, checked the rest). */
export function resolveRiverOptions(options: RiverTaskInput, seed: number): RiverTaskOptions {
  const { stage } = options;
  return {
    stage,
    window: options.window,
    scale: options.scale ?? (stage === 'fit' || stage === 'inspect' ? 'linear' : 'log'),
    method: options.method,
    maxGapMin: options.maxGap,
    model: options.model ?? (stage === 'compare' ? 'rf' : 'linear'),
    features: options.features ?? (stage === 'compare' ? 'turbidity+level+temperature' : 'turbidity'),
    season: options.season,
    seed,
  };
}

/** Adapter for the experiment registry. */
export async function runRiverTask(options: RiverTaskInput, seed: number, callbacks?: ExperimentCallbacks): Promise<ExperimentResult> {
  const opts = resolveRiverOptions(options, seed);
  callbacks?.onStatus?.('generating your river record…');
  // The compare stage fits five models four ways (seconds): hand the event loop back between models so the
  // lesson's spinner and elapsed time keep moving, and say which model is being scored.
  const steps = riverSteps(opts);
  for (let step = steps.next(); ; step = steps.next()) {
    if (step.done) return step.value;
    callbacks?.onProgress?.(step.value.fraction, step.value.label);
    await new Promise<void>((resolve) => setImmediate(resolve));
  }
}

/** Runs one stage of the practical. Pure: the same options give the same result. */
export function runRiver(options: RiverTaskOptions): ExperimentResult {
  return finish(riverSteps(options));
}

/** One stage of the practical, pausing (yielding) between units of work; its return value is the result. */
function* riverSteps(options: RiverTaskOptions): Generator<RiverStep, ExperimentResult> {
  const data = riverRecord(options.seed);
  const cal = calibrate(data, { maxGapMs: options.maxGapMin * MINUTE_MS, method: options.method });
  const base = { task: 'river', stage: options.stage, seed: options.seed };
  switch (options.stage) {
    case 'inspect':
      return inspect(cal, options, base);
    case 'align':
      return align(cal, options, base);
    case 'fit':
      return fit(cal, options, base);
    case 'compare':
      return yield* compare(cal, options, base);
    case 'season':
      return season(cal, options, base);
    default: {
      const never: never = options.stage;
      throw new UserError(`river: unknown stage ${String(never)}`);
    }
  }
}
