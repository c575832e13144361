// Looking tasks up by name in their declarations: names, option checks and result keys, for lessons (checked from
// below experiments), `eds run` and the tutor. Running them is experiments/registry.ts's job.
import { UserError } from '../errors.js';
import { declaredResultKeys, parseOptions, type OptionStyle, type TaskDeclaration } from './declare.js';
import { TASKS } from './declarations.js';

export { TASKS };

/** The task names lessons may use. */
export function knownTasks(): string[] {
  return Object.keys(TASKS);
}

/** The declaration of a task, or undefined for an unknown name. */
export function taskDeclaration(task: string): TaskDeclaration | undefined {
  return Object.hasOwn(TASKS, task) ? TASKS[task] : undefined;
}

export function declared(task: string): TaskDeclaration {
  const d = taskDeclaration(task);
  if (!d) throw new UserError(`unknown experiment task "${task}" (known: ${knownTasks().join(', ')})`);
  return d;
}

/** A task's options checked and typed by its schema (defaults filled in); a one-line `UserError` when wrong. */
export function checkTaskOptions(task: string, options: Readonly<Record<string, unknown>>, style: OptionStyle = 'lesson'): Record<string, unknown> {
  return parseOptions(declared(task), options, style);
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
