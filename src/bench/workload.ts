// What a workload of `npm run bench` is: an async function giving rows of the one table (row.ts). main.ts runs a
// list of them in turn; a module of workloads exports such functions and is one line of that list.
import type { BenchRow } from './row.js';

/** What the command line asked of the bench. */
export interface BenchOptions {
  /** Flags given after `npm run bench --` (`--json`, `--no-torch`, `--big-class`…). */
  flags: ReadonlySet<string>;
  /** A line of progress for the person waiting (stderr: stdout carries only the table or the JSON). */
  progress(line: string): void;
}

/** One workload: measures, then gives its rows (each with its reference, ratio and goal). */
export type Workload = (options: BenchOptions) => Promise<BenchRow[]>;

/** A row's ratio (eds / reference, lower is better for times): null without a reference. */
export function timeRatio(eds: number, reference: number | null): number | null {
  return reference === null || !(reference > 0) ? null : eds / reference;
}
