// Where an experiment runs: one interface, whose adapters run it here (local) or as a batch job (Slurm). Lessons,
// `eds run` and the tutor ask a runner for a result and get the same ExperimentResult either way.
import type { RenderCaps } from '../render/caps.js';
import type { ExperimentCallbacks, ExperimentResult, TaskContext } from '../experiments/types.js';

/** Who asked for the run: `eds run` (flags spelt as flags; `train` is the bare training run) or a lesson step. */
export type RunSurface = 'cli' | 'lesson';

/** One experiment to run: everything a job on another node needs to run it the same way. */
export interface RunRequest {
  /** The task's declared name (`train`, `classify`, `volcano-features`…). */
  task: string;
  /** Its options as given (strings from a lesson, typed values from the command line); checked by the task's schema. */
  options: Readonly<Record<string, unknown>>;
  /** The seed: same seed, same numbers, wherever it runs. */
  seed: number;
  /** Who asked, which decides the option spelling in messages and what `train` means. */
  surface: RunSurface;
  /** The student's store, for tasks that read it. */
  context?: TaskContext;
  /** The size figures are drawn at when they must be drawn elsewhere (a job's figures come back as text); none: no figures. */
  caps?: RenderCaps;
  /** The height of a tall figure (a map that grows with the window), when it differs from `caps.height`. */
  tallHeight?: number;
}

/** A batch job as the scheduler reports it while it waits and runs. */
export interface JobInfo {
  /** The scheduler's job id. */
  id: string;
  /** Its state in the scheduler's words (PENDING, RUNNING, COMPLETING…). */
  state: string;
  /** Why it waits (Priority, Resources…), when it does. */
  reason?: string;
  /** The node it runs on, once it runs. */
  node?: string;
}

/** What a caller can do about a run besides waiting for it. */
export interface RunControl {
  /** Aborting it cancels the run where the runner can (a Slurm job is cancelled); the result then rejects with RunCancelled. */
  signal?: AbortSignal;
  /** Told of the job whenever its state changes (Slurm runs only). */
  onJob?: (job: JobInfo) => void;
}

/** An adapter that runs experiments somewhere. */
export interface Runner {
  /** 'local' or 'slurm'. */
  kind: 'local' | 'slurm';
  /** Where, in a few words for a status line ("here", "Slurm, partition gpu"). */
  label: string;
  /** Runs one experiment; rejects with a one-line UserError when it fails, RunCancelled when cancelled. */
  run(request: RunRequest, callbacks?: ExperimentCallbacks, control?: RunControl): Promise<ExperimentResult>;
}
