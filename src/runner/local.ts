// The local runner: the experiment runs in this process, as it always has. A Slurm job runs it through this too, on
// its node, so a job and a local run are the same code with the same seed and options.
import type { ExperimentCallbacks, ExperimentResult } from '../experiments/types.js';
import type { RunRequest, Runner } from './types.js';

/** Runs `request` here. `eds run train` is runTrain itself; a lesson's `train` adds the leaderboard check. */
export async function runHere(request: RunRequest, callbacks: ExperimentCallbacks = {}): Promise<ExperimentResult> {
  const { runTask, checkTaskOptions } = await import('../experiments/registry.js');
  const style = request.surface === 'cli' ? 'cli' : 'lesson';
  if (request.surface === 'cli' && request.task === 'train') {
    const typed = checkTaskOptions('train', request.options, 'cli');
    const { runTrain } = await import('../experiments/train.js');
    return runTrain({ ...typed, seed: request.seed }, callbacks);
  }
  return runTask(request.task, request.options, request.seed, callbacks, request.context, style);
}

/** The local runner. It cannot stop a task midway (the task computes on this thread), so it ignores `signal`. */
export const localRunner: Runner = {
  kind: 'local',
  label: 'here',
  run: (request, callbacks) => runHere(request, callbacks),
};
