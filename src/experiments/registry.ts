// Which function runs each experiment task. Loaded lazily: the TUI's first frame must not wait for ML code.
import type { ExperimentCallbacks, ExperimentResult, TaskContext } from './types.js';

/** Runs one task with string options (as a lesson file or the command line gives them). */
export type TaskRunner = (options: Record<string, string>, seed: number, callbacks?: ExperimentCallbacks, context?: TaskContext) => Promise<ExperimentResult>;

const loaders: Record<string, () => Promise<TaskRunner>> = {
  tour: async () => (await import('./tour.js')).runTourTask,
  regression: async () => (await import('./classical-tasks.js')).runRegressionTask,
  classify: async () => (await import('./classical-tasks.js')).runClassifyTask,
  cluster: async () => (await import('./classical-tasks.js')).runClusterTask,
  'volcano-look': async () => (await import('./volcano.js')).runVolcanoLook,
  'volcano-features': async () => (await import('./volcano.js')).runVolcanoFeatures,
  'volcano-split': async () => (await import('./volcano.js')).runVolcanoSplit,
  'volcano-classify': async () => (await import('./volcano.js')).runVolcanoClassify,
  'volcano-importance': async () => (await import('./volcano.js')).runVolcanoImportance,
  river: async () => (await import('./river.js')).runRiverTask,
  review: async () => (await import('./synthesis.js')).runReviewTask,
  frugal: async () => (await import('./synthesis.js')).runFrugalTask,
  attention: async () => (await import('./synthesis.js')).runAttentionTask,
  'digits-look': async () => (await import('./digits-lesson.js')).runDigitsLook,
  train: async () => (await import('./digits-lesson.js')).runDigitsTrainTask,
  leaderboard: async () => (await import('./leaderboard.js')).runLeaderboardTask,
  'pick-look': async () => (await import('./pick.js')).runPickLookTask,
  pick: async () => (await import('./pick.js')).runPickTask,
  finetune: async () => (await import('./finetune.js')).runFinetuneTask,
  'lidar-look': async () => (await import('./lidar.js')).runLidarLook,
  'lidar-features': async () => (await import('./lidar.js')).runLidarFeatures,
  'lidar-classify': async () => (await import('./lidar.js')).runLidarClassify,
  'lidar-cluster': async () => (await import('./lidar.js')).runLidarCluster,
};

/** The task names lessons may use. */
export function knownTasks(): string[] {
  return Object.keys(loaders);
}

/** Runs a task by name; unknown names are a lesson-author error, reported in one line. */
export async function runTask(
  task: string,
  options: Record<string, string>,
  seed: number,
  callbacks?: ExperimentCallbacks,
  context?: TaskContext,
): Promise<ExperimentResult> {
  const load = loaders[task];
  if (!load) throw new Error(`unknown experiment task "${task}" (known: ${knownTasks().join(', ')})`);
  const run = await load();
  return run(options, seed, callbacks, context);
}
