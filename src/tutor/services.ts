// What the TUI needs from the layers below, passed in so tests can give real ones on a temporary home. The tutor
// defines and builds it (tutor/open-services.ts); the TUI, one layer up, only consumes it.
import type { Lesson, LessonProblem, QuestionStep } from '../lessons/types.js';
import type { Attempt, AttemptInput, LessonProgress, StepState } from '../store/types.js';
import type { ExperimentCallbacks, ExperimentResult } from '../experiments/types.js';
import type { Grade, GradeContext } from '../lessons/types.js';

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
  /** Runs an experiment task. */
  runTask(task: string, options: Record<string, string>, seed: number, callbacks?: ExperimentCallbacks): Promise<ExperimentResult>;
  /** Grades an answer. */
  grade(question: QuestionStep, answer: string | number[], context: GradeContext): Grade;
  /** The neural-network backend in use, or why none is loaded yet. */
  backendLabel(): string;
  /** Clock, in ms (tests pass a fake one). */
  now(): number;
  /** Warnings that arose since the last call (answers that could not reach the course directory), each returned once. */
  takeWarnings?(): string[];
}
