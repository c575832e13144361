// Reading a lesson experiment's string options (`model=rf`, `k=4`): one checked reader per kind, one-line errors.
import { UserError } from '../errors.js';

/** String options as a lesson file or `eds run` gives them. */
export type TaskOptions = Record<string, string>;

/** One of the allowed words, the fallback when absent. */
export function choice<T extends string>(options: TaskOptions, key: string, allowed: readonly T[], fallback: T): T {
  const v = options[key];
  if (v === undefined) return fallback;
  if (!(allowed as readonly string[]).includes(v)) throw new UserError(`option ${key}: expected one of ${allowed.join(', ')}, got "${v}"`);
  return v as T;
}

/** An integer in [lo, hi], the fallback when absent. */
export function integer(options: TaskOptions, key: string, lo: number, hi: number, fallback: number): number {
  const raw = options[key];
  if (raw === undefined) return fallback;
  const v = Number(raw);
  if (raw.trim() === '' || !Number.isInteger(v) || v < lo || v > hi) throw new UserError(`option ${key}: expected an integer from ${lo} to ${hi}, got "${raw}"`);
  return v;
}

/** A finite number above zero, the fallback when absent. */
export function positive(options: TaskOptions, key: string, fallback: number): number {
  const raw = options[key];
  if (raw === undefined) return fallback;
  const v = Number(raw);
  if (raw.trim() === '' || !(v > 0) || !Number.isFinite(v)) throw new UserError(`option ${key}: expected a positive number, got "${raw}"`);
  return v;
}
