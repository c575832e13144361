// What a dataset is: a typed table plus what to predict by default. Readers in data/ and each field's
// generators produce one; the registry (experiments/datasets.ts) names them.
import type { Table } from './csv.js';

/** What a dataset is for by default. */
export type DatasetTask = 'regression' | 'classification' | 'clustering';

/** A loaded dataset: a table plus what to predict by default. */
export interface Dataset extends Table {
  /** Registry name, e.g. "iris". */
  name: string;
  /** Default target column (null when there is none, e.g. unlabelled point clouds). */
  target: string | null;
  /** Default task. */
  task: DatasetTask;
  /** Default feature columns; absent means every column except the target (and `timeColumn`). */
  features?: string[];
  /** Column(s) giving each row's time, for `--split time` (joined with a space when several, e.g. Date and Hour). */
  timeColumns?: string[];
}

/** Options every loader accepts. */
export interface LoadOptions {
  /** Seed for generated datasets (each student gets their own numbers); shipped files ignore it. */
  seed: number;
}

/** One registry entry. The loader is only imported when the dataset is used. */
export interface DatasetEntry {
  /** Name used on the command line (`--dataset NAME`). */
  name: string;
  /** One line for `eds datasets list`. */
  description: string;
  /** Default task. */
  task: DatasetTask;
  /** Loads (or generates) the data. */
  load: (options: LoadOptions) => Promise<Dataset>;
  /** Where the rows come from: a real file shipped with the package, or a model run per seed. */
  origin: DatasetOrigin;
}

/** A real file says whose it is and under which licence; a generated dataset names the model that draws it. */
export type DatasetOrigin = { kind: 'real'; licence: string; source: string; citation?: string } | { kind: 'generated'; model: string };
