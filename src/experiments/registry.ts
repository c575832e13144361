// Runs experiment tasks by name from their declarations (src/tasks/declarations.ts): options are checked against the
// task's schema here, once, for lessons, `eds run` and the project alike. The run functions load lazily: the TUI's
// first frame must not wait for ML code.
import { parseOptions, type OptionStyle } from '../tasks/declare.js';
import { declared, TASKS } from '../tasks/index.js';
import type { ExperimentCallbacks, ExperimentResult, TaskContext } from './types.js';

export { checkTaskOptions, knownTasks, type ResultKey, resultKeys, taskDeclaration } from '../tasks/index.js';

/** Runs a task with its checked, typed options. */
// biome-ignore lint/suspicious/noExplicitAny: each run function takes its own task's typed options, checked by its schema first.
export type TaskRun<O = any> = (options: O, seed: number, callbacks?: ExperimentCallbacks, context?: TaskContext) => Promise<ExperimentResult>;

/** Each declared task's run function, loaded only when the task runs (the ML code stays off the first frame). */
const LOADERS: Readonly<Record<string, () => Promise<TaskRun>>> = {
  regression: async () => (await import('./classical-tasks.js')).runRegressionTask,
  classify: async () => (await import('./classical-tasks.js')).runClassifyTask,
  cluster: async () => (await import('./classical-tasks.js')).runClusterTask,
  tour: async () => (await import('./tour.js')).runTourTask,
  river: async () => (await import('./river.js')).runRiverTask,
  'river-lab': async () => (await import('./river-lab.js')).runRiverLabTask,
  'volcano-look': async () => (await import('./volcano.js')).runVolcanoLook,
  'volcano-features': async () => (await import('./volcano.js')).runVolcanoFeatures,
  'volcano-split': async () => (await import('./volcano.js')).runVolcanoSplit,
  'volcano-classify': async () => (await import('./volcano.js')).runVolcanoClassify,
  'volcano-importance': async () => (await import('./volcano.js')).runVolcanoImportance,
  'lidar-look': async () => (await import('./lidar.js')).runLidarLook,
  'lidar-features': async () => (await import('./lidar.js')).runLidarFeatures,
  'lidar-classify': async () => (await import('./lidar.js')).runLidarClassify,
  'lidar-cluster': async () => (await import('./lidar.js')).runLidarCluster,
  'digits-look': async () => (await import('./digits-lesson.js')).runDigitsLook,
  train: async () => (await import('./digits-lesson.js')).runDigitsTrainTask,
  leaderboard: async () => (await import('./leaderboard.js')).runLeaderboardTask,
  'pick-look': async () => (await import('./pick.js')).runPickLookTask,
  pick: async () => (await import('./pick.js')).runPickTask,
  finetune: async () => (await import('./finetune.js')).runFinetuneTask,
  attention: async () => (await import('./synthesis.js')).runAttentionTask,
  review: async () => (await import('./synthesis.js')).runReviewTask,
  frugal: async () => (await import('./synthesis.js')).runFrugalTask,
};

/** Declared tasks without a run function, and run functions without a declaration (both empty; a test holds it). */
export function unpairedTasks(): { undeclared: string[]; unrunnable: string[] } {
  return {
    undeclared: Object.keys(LOADERS).filter((t) => !Object.hasOwn(TASKS, t)),
    unrunnable: Object.keys(TASKS).filter((t) => !Object.hasOwn(LOADERS, t)),
  };
}

/** Runs one task with string options (as a lesson file or the command line gives them). */
export type TaskRunner = (options: Record<string, string>, seed: number, callbacks?: ExperimentCallbacks, context?: TaskContext) => Promise<ExperimentResult>;

/** Runs a task by name; unknown names and bad options are one-line errors. */
export async function runTask(
  task: string,
  options: Readonly<Record<string, unknown>>,
  seed: number,
  callbacks?: ExperimentCallbacks,
  context?: TaskContext,
  style: OptionStyle = 'lesson',
): Promise<ExperimentResult> {
  const declaration = declared(task);
  const typed = parseOptions(declaration, options, style);
  const load = LOADERS[declaration.name];
  if (!load) throw new Error(`task "${task}" is declared but has no run function`);
  const run = await load();
  return run(typed, seed, callbacks, context);
}
