// What the TUI needs from the layers below, passed in so tests can give real ones on a temporary home. The tutor
// defines and builds it (tutor/open-services.ts); the TUI, one layer up, only consumes it.
import type { Lesson, LessonProblem, QuestionStep } from '../lessons/types.js';
import type { Attempt, AttemptInput, LessonProgress, StepState } from '../store/types.js';
import type { ExperimentCallbacks, ExperimentResult } from '../experiments/types.js';
import type { Grade, GradeContext } from '../lessons/types.js';
import type { RenderCaps } from '../render/caps.js';
import type { JobInfo } from '../runner/types.js';

/** How one experiment is to run, besides its options. */
export interface TaskRunOptions {
  /** Here, or as a Slurm job (only when `TutorServices.slurm` offers it). */
  where?: 'here' | 'slurm';
  /** Aborting cancels a Slurm job (the run then rejects, and nothing is recorded). */
  signal?: AbortSignal;
  /** Told of the job's state as it waits and runs. */
  onJob?: (job: JobInfo) => void;
  /** The size figures are drawn at, for a job that draws them on its node (and the height of a tall one). */
  caps?: RenderCaps;
  tallHeight?: number;
}

/** The part of the store the TUI uses. */
export interface TutorStore {
  recordAttempt(input: AttemptInput): Attempt;
  attemptCount(lesson: string, question: string): number;
  progress(lesson: string): LessonProgress | null;
  allProgress(): LessonProgress[];
  saveStep(lesson: string, stepId: string, stepIndex: number, state: StepState): void;
  completeStep(lesson: string, stepId: string): void;
  lastPosition(): { lesson: string; step: number } | null;
}

/** Everything the TUI calls. */
export interface TutorServices {
  /** The student's store. */
  store: TutorStore;
  /** Lessons that parsed and validated. */
  lessons: Lesson[];
  /** Problems found in lesson files (broken lessons are refused with these). */
  problems: LessonProblem[];
  /** Student login, for the status line. */
  user: string;
  /** Seed of a lesson's dataset for this student. */
  seedFor(lessonId: string): number;
  /** Runs an experiment task, here or (with `run.where` 'slurm') as a Slurm job. */
  runTask(task: string, options: Record<string, string>, seed: number, callbacks?: ExperimentCallbacks, run?: TaskRunOptions): Promise<ExperimentResult>;
  /** Where experiments may run besides here ("Slurm, partition gpu"), when the course or the student's config enables Slurm. */
  slurm?: { label: string };
  /** Grades an answer. */
  grade(question: QuestionStep, answer: string | number[], context: GradeContext): Grade;
  /** The neural-network backend in use, or why none is loaded yet. */
  backendLabel(): string;
  /** Clock, in ms (tests pass a fake one). */
  now(): number;
  /** Warnings that arose since the last call (answers that could not reach the course directory), each returned once. */
  takeWarnings?(): string[];
}
