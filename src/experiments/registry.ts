// Runs experiment tasks by name from their declarations (src/experiments/tasks.ts): options are checked against the
// task's schema here, once, for lessons, `eds run` and the project alike. The run functions load lazily: the TUI's
// first frame must not wait for ML code.
import { UserError } from '../errors.js';
import { declaredResultKeys, parseOptions, type OptionStyle, type TaskDeclaration } from './task.js';
import { TASKS } from './tasks.js';
import type { ExperimentCallbacks, ExperimentResult, TaskContext } from './types.js';

/** Runs one task with string options (as a lesson file or the command line gives them). */
export type TaskRunner = (options: Record<string, string>, seed: number, callbacks?: ExperimentCallbacks, context?: TaskContext) => Promise<ExperimentResult>;

/** The task names lessons may use. */
export function knownTasks(): string[] {
  return Object.keys(TASKS);
}

/** The declaration of a task, or undefined for an unknown name. */
export function taskDeclaration(task: string): TaskDeclaration | undefined {
  return Object.hasOwn(TASKS, task) ? TASKS[task] : undefined;
}

function declared(task: string): TaskDeclaration {
  const d = taskDeclaration(task);
  if (!d) throw new UserError(`unknown experiment task "${task}" (known: ${knownTasks().join(', ')})`);
  return d;
}

/** A task's options checked and typed by its schema (defaults filled in); a one-line `UserError` when wrong. */
export function checkTaskOptions(task: string, options: Readonly<Record<string, unknown>>, style: OptionStyle = 'lesson'): Record<string, unknown> {
  return parseOptions(declared(task), options, style);
}

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
  const run = await declaration.load();
  return run(typed, seed, callbacks, context);
}

/** A declared key: its name, and whether it may be missing (null) when it cannot be computed. */
export interface ResultKey {
  /** Key in the result JSON. */
  key: string;
  /** True when the task gives null (or leaves it out) when it cannot compute it. */
  optional: boolean;
}

/**
 * The numeric keys `task` produces with `options` (as a lesson gives them), or null when the task is unknown or the
 * options do not parse (the option check reports those).
 */
export function resultKeys(task: string, options: Readonly<Record<string, unknown>>): ResultKey[] | null {
  const d = taskDeclaration(task);
  if (!d) return null;
  let typed: Record<string, unknown>;
  try {
    typed = parseOptions(d, options);
  } catch {
    return null;
  }
  return declaredResultKeys(d, typed);
}
