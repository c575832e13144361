// `eds lessons try`: one answer graded exactly as the tutor grades it, after running the experiments the question
// reads with a given seed and the options of the run it names. Nothing is recorded: no store, no course directory.
import { gradeAnswer } from '../lessons/grade.js';
import type { ExperimentRun, ExperimentStep, Grade, GradeContext, Lesson, QuestionStep } from '../lessons/types.js';
import type { TaskRunner } from '../experiments/registry.js';
import { initialUi, recordRun } from './step-ui.js';

/** How to run and grade. */
export interface TryOptions {
  /** The seed of the student's data. */
  seed: number;
  /** Options set on the question's experiment, as a student would set them (`model=huber`), after those its `run:` names. */
  options?: Record<string, string>;
  /** Which attempt this is (1-based): later ones may reveal the answer. */
  attempt?: number;
  /** Runs a task (the registry's `runTask`, bound to where the student's work is). */
  runTask: (task: string, options: Record<string, string>, seed: number) => ReturnType<TaskRunner>;
}

/** The verdict and the runs it was made on. */
export interface TryResult {
  /** The grade, as the tutor would show it. */
  grade: Grade;
  /** Each experiment run for it, with every option it ran with. */
  runs: Array<{ /** Experiment step id. */ step: string /** Options of the run. */; options: Record<string, string> }>;
}

/** The experiments a question reads a number from (its answer's and its anticipated mix-ups'), in lesson order. */
export function stepsRead(lesson: Lesson, q: QuestionStep): ExperimentStep[] {
  const ids = new Set<string>();
  if (q.answer?.kind === 'result') ids.add(q.answer.step);
  for (const w of q.wrong) if (w.kind === 'result') ids.add(w.step);
  return lesson.steps.filter((s): s is ExperimentStep => s.kind === 'experiment' && ids.has(s.id));
}

/** The options an experiment step runs with before the student changes any: as the tutor first shows them. */
export function startingOptions(step: ExperimentStep): Record<string, string> {
  const ui = initialUi(step, undefined, 0, 0);
  return ui.kind === 'experiment' ? { ...ui.values } : { ...step.defaults };
}

/**
 * Grades `answer` to `q`: runs every experiment it reads (the answer's with its `run:` options, then `options`
 * over them; the others as they start), then grades against those runs as the tutor would.
 */
export async function tryAnswer(lesson: Lesson, q: QuestionStep, answer: string, opts: TryOptions): Promise<TryResult> {
  const answerStep = q.answer?.kind === 'result' ? q.answer.step : undefined;
  const results: GradeContext['results'] = {};
  const runs: Record<string, ExperimentRun[]> = {};
  const made: TryResult['runs'] = [];
  for (const step of stepsRead(lesson, q)) {
    const options = { ...startingOptions(step), ...(step.id === answerStep ? { ...(q.run?.step === step.id ? q.run.options : {}), ...opts.options } : {}) };
    const result = await opts.runTask(step.task, options, opts.seed);
    runs[step.id] = recordRun([], options, result.json);
    results[step.id] = runs[step.id]![0]!.results;
    made.push({ step: step.id, options });
  }
  return { grade: gradeAnswer(q, answer, { results, runs, attempt: opts.attempt ?? 1 }), runs: made };
}
