// What the regression, classification and clustering experiments share: where the data comes from, the split, and text figures.
import { UserError } from '../errors.js';
import { columnIndex, readCsvFile, type Cell, type CsvReport, type Table } from '../data/csv.js';
import type { Dataset } from '../data/types.js';
import type { LidarTableSpec } from '../lidar/table.js';
import type { RenderCaps } from '../render/caps.js';
import { truncate, padEnd, displayWidth } from '../render/text.js';
import { randomSplit, stratifiedSplit, timeSplit, type Split } from '../ml/validation.js';
import type { Figure } from './types.js';

/** Where the rows come from and how they are split; shared by every `eds run` task. */
export interface DataOptions {
  /** A registered dataset name (`eds datasets list`). */
  dataset?: string;
  /** A user CSV/TSV file, split inside. */
  data?: string;
  /** Training file (with `test`: no split). */
  train?: string;
  /** Test file (with `train`). */
  test?: string;
  /** Target column; defaults to the dataset's own. */
  target?: string;
  /** Feature columns; default every numeric column except the target and time columns. */
  features?: string[];
  /** Test fraction when splitting (default 0.25). */
  testSize?: number;
  /** How to split: random (default for regression), stratified (default for classification), or time (last rows in time order). */
  split?: 'random' | 'stratified' | 'time';
  /** Column(s) giving time for `split: 'time'`, joined with a space (e.g. ["Date", "Hour"]); default row order. */
  timeColumns?: string[];
  /** Field delimiter of user files (sniffed when absent). */
  delimiter?: string;
  /** Missing-value codes of user files (the reader's defaults when absent). */
  missingValues?: string[];
  /** Seed of the split and the models. */
  seed?: number;
}

/** The loaded table(s) and where they came from. */
export interface LoadedData {
  /** Everything, or the training file. */
  table: Table;
  /** The test file, when given separately. */
  testTable: Table | null;
  /** Default target and feature choices of a registered dataset. */
  dataset: Dataset | null;
  /** Reader reports of user files (what was padded or dropped). */
  reports: CsvReport[];
  /** Rows dropped by the reader for having too many fields. */
  droppedByReader: number;
}

/** A lidar feature table, shaped as `eds run classify|cluster` load their data (the lidar code loads only when asked). */
export async function lidarLoadedData(spec: LidarTableSpec, seed: number, onStatus?: (m: string) => void): Promise<LoadedData> {
  const { lidarDataset } = await import('../lidar/table.js');
  const dataset = await lidarDataset(spec, seed, onStatus);
  return { table: dataset, testTable: null, dataset, reports: [], droppedByReader: 0 };
}

/** Loads the data named by the options; exactly one of dataset, data, or train + test. */
export async function loadData(options: DataOptions): Promise<LoadedData> {
  const given = [options.dataset && '--dataset', options.data && '--data', (options.train || options.test) && '--train/--test'].filter(Boolean);
  if (given.length !== 1) {
    throw new UserError(
      given.length === 0 ? 'no data: give --dataset NAME, --data FILE --target COLUMN, or --train FILE --test FILE' : `give only one of ${given.join(', ')}`,
      {
        hint: 'eds datasets list',
      },
    );
  }
  const csvOptions = { delimiter: options.delimiter, missingValues: options.missingValues };
  if (options.dataset) {
    const { loadDataset } = await import('./datasets.js');
    const dataset = await loadDataset(options.dataset, { seed: options.seed ?? 0 });
    return { table: dataset, testTable: null, dataset, reports: [], droppedByReader: 0 };
  }
  if (options.data) {
    const { table, report } = await readCsvFile(options.data, csvOptions);
    return { table, testTable: null, dataset: null, reports: [report], droppedByReader: report.droppedTooManyFields };
  }
  if (!options.train || !options.test) throw new UserError('--train and --test go together: give both files');
  const a = await readCsvFile(options.train, csvOptions);
  const b = await readCsvFile(options.test, csvOptions);
  return {
    table: a.table,
    testTable: b.table,
    dataset: null,
    reports: [a.report, b.report],
    droppedByReader: a.report.droppedTooManyFields + b.report.droppedTooManyFields,
  };
}

/** The target column to use, or an error saying how to name one. */
export function resolveTarget(loaded: LoadedData, options: DataOptions, required: boolean): string | null {
  const target = options.target ?? loaded.dataset?.target ?? null;
  if (target === null && required) throw new UserError(`${loaded.table.source ?? 'data'}: say which column to predict with --target COLUMN`);
  if (target !== null) columnIndex(loaded.table, target);
  return target;
}

/** Feature columns: those asked for, the dataset's defaults, or every column that holds numbers except target and time. */
export function resolveFeatures(loaded: LoadedData, options: DataOptions, target: string | null): string[] {
  const table = loaded.table;
  if (options.features && options.features.length > 0) {
    const names = options.features.map((f) => table.columns[columnIndex(table, f)]!);
    if (target !== null && names.includes(target)) throw new UserError(`column "${target}" is the target; it cannot also be a feature`);
    return names;
  }
  if (loaded.dataset?.features) return loaded.dataset.features;
  const exclude = new Set([target, ...(options.timeColumns ?? loaded.dataset?.timeColumns ?? [])]);
  const features = table.columns.filter(
    (c, j) => !exclude.has(c) && table.rows.some((r) => typeof r[j] === 'number') && table.rows.every((r) => r[j] === null || typeof r[j] === 'number'),
  );
  if (features.length === 0) throw new UserError(`${table.source ?? 'data'}: no numeric feature columns; name them with --features A,B`);
  return features;
}

/** Rows kept after dropping those with a missing value in a used column. */
export interface Selected {
  /** Feature rows (n × d). */
  X: number[][];
  /** Target cells of the same rows (null when there is no target). */
  target: Cell[];
  /** Index of each kept row in the table. */
  rows: number[];
  /** Rows dropped for a missing value in a used column. */
  dropped: number;
}

/** Picks feature and target columns, drops rows with a missing value in any of them, and checks every feature cell is a number. */
export function selectRows(
  table: Table,
  features: readonly string[],
  target: string | null,
  numericTarget: boolean,
  extraColumns: readonly string[] = [],
): Selected {
  const fIdx = features.map((f) => columnIndex(table, f));
  const tIdx = target === null ? -1 : columnIndex(table, target);
  const extra = extraColumns.map((c) => columnIndex(table, c));
  const X: number[][] = [];
  const targetCells: Cell[] = [];
  const rows: number[] = [];
  let dropped = 0;
  const where = (r: number) => `${table.source ?? 'data'}:${table.lines?.[r] ?? r + 1}`;
  table.rows.forEach((row, r) => {
    if (fIdx.some((j) => row[j] === null) || (tIdx >= 0 && row[tIdx] === null) || extra.some((j) => row[j] === null)) {
      dropped++;
      return;
    }
    const x = fIdx.map((j) => {
      const v = row[j];
      if (typeof v !== 'number' || !Number.isFinite(v)) {
        throw new UserError(`${where(r)}: column "${table.columns[j]}": expected a number, got ${JSON.stringify(v)}`);
      }
      return v;
    });
    if (numericTarget && tIdx >= 0 && typeof row[tIdx] !== 'number') {
      throw new UserError(`${where(r)}: column "${target}": expected a number, got ${JSON.stringify(row[tIdx])}`);
    }
    X.push(x);
    targetCells.push(tIdx >= 0 ? row[tIdx]! : null);
    rows.push(r);
  });
  return { X, target: targetCells, rows, dropped };
}

/** Epoch milliseconds per selected row from the time column(s), for a split by time. */
export function rowTimes(table: Table, rows: readonly number[], timeColumns: readonly string[]): number[] {
  const idx = timeColumns.map((c) => columnIndex(table, c));
  return rows.map((r) => {
    const text = idx.map((j) => String(table.rows[r]![j])).join(' ');
    const t = Date.parse(text.includes(' ') && /^\d{4}-\d\d-\d\d \d/.test(text) ? text.replace(' ', 'T') : text);
    if (Number.isNaN(t)) {
      throw new UserError(
        `${table.source ?? 'data'}:${table.lines?.[r] ?? r + 1}: column "${timeColumns.join('" + "')}": expected a date/time, got ${JSON.stringify(text)}`,
      );
    }
    return t;
  });
}

/** Splits the selected rows (indices into `selected`) as the options say. */
export function splitRows(
  n: number,
  options: DataOptions,
  labels: number[] | null,
  times: number[] | null,
  defaultSplit: 'random' | 'stratified',
): Split & { method: string } {
  const method = options.split ?? defaultSplit;
  const testSize = options.testSize ?? 0.25;
  const seed = options.seed ?? 0;
  try {
    switch (method) {
      case 'random':
        return { ...randomSplit(n, testSize, seed), method };
      case 'stratified':
        if (!labels) throw new UserError('--split stratified needs class labels: use it with classify');
        return { ...stratifiedSplit(labels, testSize, seed), method };
      case 'time':
        return { ...timeSplit(n, testSize, times ?? undefined), method };
      default: {
        const never: never = method;
        throw new UserError(`unknown split "${String(never)}" (random, stratified, time)`);
      }
    }
  } catch (err) {
    if (err instanceof UserError) throw err;
    throw new UserError((err as Error).message);
  }
}

/** Class names sorted as scikit-learn sorts them (numerically when all are numbers), and their codes. */
export function encodeLabels(cells: readonly Cell[]): { labels: string[]; codes: (values: readonly Cell[]) => number[] } {
  const distinct = [...new Set(cells.map((c) => String(c)))];
  const numeric = cells.every((c) => typeof c === 'number');
  distinct.sort(numeric ? (a, b) => Number(a) - Number(b) : (a, b) => (a < b ? -1 : a > b ? 1 : 0));
  const index = new Map(distinct.map((l, i) => [l, i]));
  return { labels: distinct, codes: (values) => values.map((v) => index.get(String(v))!) };
}

/** A two-column text table (name, value) as a figure; fits the width by truncating names. */
export function keyValueFigure(title: string, rows: readonly [string, string][]): Figure {
  return {
    title,
    render(caps: RenderCaps): string {
      const valueWidth = Math.max(...rows.map(([, v]) => displayWidth(v)), 1);
      const nameWidth = Math.max(1, Math.min(Math.max(...rows.map(([k]) => displayWidth(k)), 1), caps.width - valueWidth - 2));
      return rows
        .slice(0, Math.max(1, caps.height))
        .map(([k, v]) => truncate(`${padEnd(truncate(k, nameWidth, caps.unicode ? '…' : '~'), nameWidth)}  ${v}`, caps.width))
        .join('\n');
    },
  };
}

/** A grid of cells (header row first) as a figure, columns right-aligned, truncated to the width. */
export function gridFigure(title: string, header: readonly string[], body: readonly (readonly string[])[]): Figure {
  return {
    title,
    render(caps: RenderCaps): string {
      const all = [header, ...body];
      const widths = header.map((_, c) => Math.max(...all.map((r) => displayWidth(r[c] ?? ''))));
      const line = (r: readonly string[]) => r.map((cell, c) => (c === 0 ? padEnd(cell, widths[c]!) : cell.padStart(widths[c]!))).join('  ');
      return all
        .slice(0, Math.max(1, caps.height))
        .map((r) => truncate(line(r), caps.width))
        .join('\n');
    },
  };
}

/** Formats a metric for the human table: 4 significant digits, or an integer as is. */
export function fmt(value: number): string {
  if (Number.isInteger(value)) return String(value);
  return Math.abs(value) >= 1e-3 && Math.abs(value) < 1e6 ? Number(value.toPrecision(4)).toString() : value.toExponential(3);
}
