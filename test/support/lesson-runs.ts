// One run per lesson experiment at full size, shared by every check in a test file that needs it: the river lesson's
// experiments take seconds each, and the checks on their numbers, their figures and their layout on the lesson
// screen all read the same run instead of running it again (they used to run each three times).
import { runTask } from '../../src/experiments/registry.js';
import type { ExperimentResult } from '../../src/experiments/types.js';
import type { ExperimentStep } from '../../src/lessons/types.js';

const runs = new Map<string, Promise<ExperimentResult>>();

/** The options a step runs with here: the lesson's defaults, with `extra` on top. */
export function stepOptions(step: ExperimentStep, extra: Readonly<Record<string, string>> = {}): Record<string, string> {
  return { ...step.defaults, ...extra };
}

/** The step's experiment run once per (task, options, seed) in this worker; later calls get the same result. */
export function lessonRun(step: ExperimentStep, seed: number, extra: Readonly<Record<string, string>> = {}): Promise<ExperimentResult> {
  const options = stepOptions(step, extra);
  const key = JSON.stringify([step.task, seed, Object.entries(options).sort(([a], [b]) => a.localeCompare(b))]);
  let run = runs.get(key);
  if (!run) {
    run = runTask(step.task, options, seed);
    // A failed run is not kept: the next check runs it again and reports its own failure.
    run.catch(() => runs.delete(key));
    runs.set(key, run);
  }
  return run;
}
