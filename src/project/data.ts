// `eds project`: turns a student's file (CSV, or .npy features + labels) into one numeric feature matrix and class codes, saying what it changed.
import { basename, extname } from 'node:path';
import { UserError } from '../errors.js';
import { readCsvFile, columnIndex, type Cell, type Table } from '../data/csv.js';
import { fileLabel, readInputText } from '../data/input.js';
import { stratifiedSplit, take } from '../ml/validation.js';

/** How a column of the file became features. */
export interface ColumnNote {
  /** Column name in the file. */
  name: string;
  /** `numeric` (used as is), `one-hot` (text with few values), `dropped`, or `target`. */
  kind: 'numeric' | 'one-hot' | 'dropped' | 'target';
  /** Missing cells in the column, before any row was dropped. */
  missing: number;
  /** Why it was dropped or how it was encoded (empty for plain numeric columns). */
  why: string;
}

/** The data the comparison runs on: every cell a finite number, every label a class code. */
export interface ProjectData {
  /** File name (base name) the data came from, for titles and messages. */
  source: string;
  /** Target column name (`label` for .npy input). */
  target: string;
  /** Feature names, one per column of `X` (one-hot columns are `column=value`). */
  featureNames: string[];
  /** Feature matrix, rows × features. */
  X: number[][];
  /** Class code per row, 0..K-1, indexing `labels`. */
  y: number[];
  /** Class names, sorted (numerically when the target is numeric). */
  labels: string[];
  /** What happened to each column of the file. */
  columns: ColumnNote[];
  /** Rows in the file (data records). */
  rowsRead: number;
  /** One line per change made to the data (dropped rows, one-hot columns, sub-sampling…), for the student and the report. */
  notices: string[];
  /** The date or time column of the file, when it has one: each row's time (epoch ms, or the column's numbers), for folds in blocks of time. */
  time: TimeColumn | null;
}

/** A column that gives each row its time. */
export interface TimeColumn {
  /** Column name in the file. */
  column: string;
  /** Each used row's time, in row order (epoch ms for dates, else the column's own numbers). */
  values: number[];
}

/** Options of {@link loadProjectData}. */
export interface ProjectDataOptions {
  /** Column to predict (required for CSV; ignored for .npy). */
  target?: string;
  /** Labels file for .npy features: .npy, or text with one label per line. */
  labels?: string;
  /** At most this many rows are kept (a seeded stratified sub-sample beyond it); default 5000. */
  maxRows?: number;
  /** Seed of the sub-sample. */
  seed?: number;
  /** Field delimiter (sniffed when absent). */
  delimiter?: string;
  /** The column giving each row's time (default: the first column named or written like a date or time). */
  timeColumn?: string;
}

/** Names that say a column is a time: `date`, `Time (UTC)`, `timestamp`, `sample_date`, `year`. */
const TIME_NAME = /(^|[^a-z])(date|time|timestamp|datetime|year)([^a-z]|$)/i;
/** Text written as an ISO date or date-time: `2022-03-05`, `2022-03-05 10:55`, `2022-03-05T10:55:00Z`. */
const ISO_TIME = /^\d{4}-\d{2}-\d{2}([T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?)?(Z|[+-]\d{2}:?\d{2})?$/;

/** A cell's time: a number as it is, a date text as epoch ms; NaN when it is neither. */
function cellTime(cell: Cell): number {
  if (typeof cell === 'number') return cell;
  if (typeof cell !== 'string') return Number.NaN;
  const text = cell.trim();
  if (!ISO_TIME.test(text)) return Number.NaN;
  return Date.parse(/^\d{4}-\d{2}-\d{2} /.test(text) ? text.replace(' ', 'T') : text);
}

/**
 * The column giving each row's time: the one named with `--time-column`, else the first (not the target) whose
 * cells are all ISO dates, else the first with a time-like name whose cells are all numbers or dates. -1 if none.
 */
function findTimeColumn(table: Table, rows: readonly Cell[][], target: number, named: string | undefined): number {
  if (named !== undefined) {
    const c = columnIndex(table, named);
    const bad = rows.findIndex((r) => Number.isNaN(cellTime(r[c] ?? null)));
    if (bad >= 0)
      throw new UserError(
        `${table.source ?? 'data'}: --time-column "${named}": expected a date/time (e.g. 2022-03-05T10:55:00Z) or a number on every row, got ${JSON.stringify(rows[bad]![c])}`,
      );
    return c;
  }
  const all = (c: number, ok: (cell: Cell) => boolean) => rows.length > 0 && rows.every((r) => ok(r[c] ?? null));
  const candidates = table.columns.map((_, c) => c).filter((c) => c !== target);
  const dated = candidates.find((c) => all(c, (cell) => typeof cell === 'string' && !Number.isNaN(cellTime(cell))));
  if (dated !== undefined) return dated;
  return candidates.find((c) => TIME_NAME.test(table.columns[c]!) && all(c, (cell) => !Number.isNaN(cellTime(cell)))) ?? -1;
}

/** Text columns with at most this many distinct values are one-hot encoded; others (dates, comments, ids) are dropped. */
export const MAX_ONE_HOT_LEVELS = 10;
/** Columns with more than this share of missing cells are dropped rather than costing most of the rows. */
export const MAX_MISSING_SHARE = 0.3;
/** A target with more distinct values than this is a regression target, not classes. */
export const MAX_CLASSES = 30;
/** Default row cap: CV of six models stays within a minute or so on a laptop core. */
export const DEFAULT_MAX_ROWS = 5000;

/** Reads a CSV (or .npy features + labels) and prepares it for the comparison; bad input is one clear line. */
export async function loadProjectData(file: string, options: ProjectDataOptions = {}): Promise<ProjectData> {
  const ext = extname(file).toLowerCase();
  if (ext === '.npy') return loadNpy(file, options);
  if (!options.target) throw new UserError(`${fileLabel(basename(file))}: say which column to predict with --target COLUMN`);
  const { table, report } = await readCsvFile(file, { delimiter: options.delimiter });
  const data = prepareTable(table, options.target, options);
  if (report.droppedTooManyFields > 0)
    data.notices.unshift(`${report.droppedTooManyFields} line(s) with more fields than the header were skipped (first at line ${report.droppedLines[0]})`);
  return data;
}

/** Prepares a parsed table: encodes text columns, drops unusable columns and rows, encodes the target, caps the rows. Pure. */
export function prepareTable(table: Table, targetName: string, options: ProjectDataOptions = {}): ProjectData {
  const source = table.source ?? 'data';
  if (table.rows.length === 0) throw new UserError(`${source}: no data rows under the header`);
  const t = columnIndex(table, targetName);
  const target = table.columns[t]!;
  const notices: string[] = [];
  const rowsRead = table.rows.length;
  let rows = table.rows;
  const noTarget = rows.filter((r) => r[t] === null).length;
  if (noTarget > 0) {
    rows = rows.filter((r) => r[t] !== null);
    notices.push(`${noTarget} row(s) without a "${target}" value were dropped`);
  }
  if (rows.length === 0) throw new UserError(`${source}: column "${target}" is empty: nothing to predict`);
  const timeIndex = findTimeColumn(table, rows, t, options.timeColumn);

  // Columns: numeric as they are, text one-hot when it has few values, the rest dropped with a reason.
  const columns: ColumnNote[] = [];
  type Encoder = { names: string[]; encode: (row: Cell[]) => (number | null)[] };
  const encoders: Encoder[] = [];
  table.columns.forEach((name, c) => {
    const missing = rows.filter((r) => r[c] === null).length;
    if (c === t) {
      columns.push({ name, kind: 'target', missing, why: '' });
      return;
    }
    const present = rows.map((r) => r[c]).filter((v): v is number | string => v !== null);
    if (present.length === 0) {
      columns.push({ name, kind: 'dropped', missing, why: 'empty' });
      return;
    }
    // A date written as text is no feature (a model would learn the calendar); it orders the rows for time folds.
    if (c === timeIndex && typeof present[0] !== 'number') {
      columns.push({ name, kind: 'dropped', missing, why: 'a date or time: not a feature; it orders the rows for folds in blocks of time' });
      return;
    }
    if (missing / rows.length > MAX_MISSING_SHARE) {
      columns.push({ name, kind: 'dropped', missing, why: `${Math.round((100 * missing) / rows.length)}% missing` });
      return;
    }
    if (typeof present[0] === 'number') {
      columns.push({ name, kind: 'numeric', missing, why: '' });
      encoders.push({ names: [name], encode: (r) => [r[c] as number | null] });
      return;
    }
    const levels = [...new Set(present.map(String))].sort();
    if (levels.length > MAX_ONE_HOT_LEVELS) {
      columns.push({ name, kind: 'dropped', missing, why: `text with ${levels.length} distinct values (an id, a date or free text?)` });
      return;
    }
    // A missing category is all zeros: "none of the known levels", which needs no row to be dropped.
    columns.push({ name, kind: 'one-hot', missing, why: levels.join(', ') });
    encoders.push({ names: levels.map((l) => `${name}=${l}`), encode: (r) => levels.map((l) => (r[c] === null ? 0 : String(r[c]) === l ? 1 : 0)) });
  });
  for (const col of columns) {
    if (col.kind === 'dropped') notices.push(`column "${col.name}" dropped: ${col.why}`);
    if (col.kind === 'one-hot') notices.push(`column "${col.name}" is text: one-hot encoded (${col.why})`);
  }
  let featureNames = encoders.flatMap((e) => e.names);
  if (featureNames.length === 0)
    throw new UserError(`${source}: no usable feature column besides "${target}" (need numbers, or text with at most ${MAX_ONE_HOT_LEVELS} values)`);

  let X: number[][] = [];
  const targetCells: Cell[] = [];
  const times: number[] = [];
  let incomplete = 0;
  for (const r of rows) {
    const x = encoders.flatMap((e) => e.encode(r));
    if (x.some((v) => v === null || !Number.isFinite(v))) {
      incomplete++;
      continue;
    }
    X.push(x as number[]);
    targetCells.push(r[t]!);
    if (timeIndex >= 0) times.push(cellTime(r[timeIndex]!));
  }
  if (incomplete > 0) notices.push(`${incomplete} row(s) with a missing feature value were dropped (no imputation: the notebook does the same)`);
  if (X.length === 0) throw new UserError(`${source}: every row misses at least one feature value`);

  // Constant columns carry no information and make some models divide by zero: drop them, and say so.
  const constant = featureNames.map((_, j) => X.every((row) => row[j] === X[0]![j]));
  if (constant.some(Boolean)) {
    const names = featureNames.filter((_, j) => constant[j]);
    notices.push(`constant column(s) dropped: ${names.map((n) => `"${n}"`).join(', ')}`);
    X = X.map((row) => row.filter((_, j) => !constant[j]));
    featureNames = featureNames.filter((_, j) => !constant[j]);
    if (featureNames.length === 0) throw new UserError(`${source}: every feature column is constant: nothing to learn from`);
  }
  const time = timeIndex >= 0 ? { column: table.columns[timeIndex]!, values: times } : null;
  return finish({ source, target, featureNames, X, targetCells, columns, rowsRead, notices, time }, options);
}

interface Unfinished {
  source: string;
  target: string;
  featureNames: string[];
  X: number[][];
  targetCells: Cell[];
  columns: ColumnNote[];
  rowsRead: number;
  notices: string[];
  time: TimeColumn | null;
}

/** Encodes the target, drops classes too small to be cross-validated, and caps the rows. */
function finish(d: Unfinished, options: ProjectDataOptions): ProjectData {
  const numeric = d.targetCells.every((c) => typeof c === 'number');
  let labels = [...new Set(d.targetCells.map(String))];
  labels.sort(numeric ? (a, b) => Number(a) - Number(b) : (a, b) => (a < b ? -1 : a > b ? 1 : 0));
  if (labels.length > MAX_CLASSES) {
    throw new UserError(
      `${d.source}: "${d.target}" has ${labels.length} distinct values: is it a class label? (for a continuous target use eds run regression)`,
    );
  }
  if (labels.length < 2) throw new UserError(`${d.source}: "${d.target}" has a single class ("${labels[0]}"): there is nothing to classify`);
  const counts = new Map<string, number>();
  for (const c of d.targetCells) counts.set(String(c), (counts.get(String(c)) ?? 0) + 1);
  // A class seen once can be in a test fold but never in training: it cannot be learnt or scored fairly.
  const lonely = labels.filter((l) => counts.get(l)! < 2);
  let X = d.X;
  let cells = d.targetCells;
  let times = d.time?.values;
  if (lonely.length > 0) {
    d.notices.push(`class(es) with a single row dropped: ${lonely.map((l) => `"${l}"`).join(', ')}`);
    const keep = cells.map((c) => !lonely.includes(String(c)));
    X = X.filter((_, i) => keep[i]);
    cells = cells.filter((_, i) => keep[i]);
    times = times?.filter((_, i) => keep[i]);
    labels = labels.filter((l) => !lonely.includes(l));
    if (labels.length < 2) throw new UserError(`${d.source}: "${d.target}" has only one class with more than one row: there is nothing to classify`);
  }
  const index = new Map(labels.map((l, i) => [l, i]));
  let y = cells.map((c) => index.get(String(c))!);
  const maxRows = options.maxRows ?? DEFAULT_MAX_ROWS;
  if (!(Number.isInteger(maxRows) && maxRows >= 10)) throw new UserError(`--max-rows must be an integer >= 10, got ${maxRows}`);
  if (X.length > maxRows) {
    // Stratified, so every class keeps its share; seeded, so the notebook and a rerun see the same rows.
    const keep = stratifiedSplit(y, maxRows / X.length, options.seed ?? 0).test;
    d.notices.push(`${X.length} rows is more than --max-rows ${maxRows}: a seeded stratified sub-sample of ${keep.length} rows is used`);
    X = take(X, keep);
    y = take(y, keep);
    times = times && take(times, keep);
  }
  const time = d.time && times ? { column: d.time.column, values: times } : null;
  return { source: d.source, target: d.target, featureNames: d.featureNames, X, y, labels, columns: d.columns, rowsRead: d.rowsRead, notices: d.notices, time };
}

/** .npy features (rows × features) with labels from a second file. */
async function loadNpy(file: string, options: ProjectDataOptions): Promise<ProjectData> {
  const name = fileLabel(basename(file));
  if (!options.labels) throw new UserError(`${name}: a .npy holds features only: give the classes with --labels FILE (.npy, or text with one label per line)`);
  const { readNpy, readBytes, parseNpyAny } = await import('../data/npy.js');
  const arr = readNpy(file);
  if (arr.shape.length !== 2) throw new UserError(`${name}: expected a 2-D array (rows × features), got shape (${arr.shape.join(', ')})`);
  const [n, d] = arr.shape as [number, number];
  if (n === 0 || d === 0) throw new UserError(`${name}: the array is empty (shape ${n} × ${d})`);
  const labelsName = fileLabel(basename(options.labels));
  let cells: Cell[];
  if (extname(options.labels).toLowerCase() === '.npy') {
    const lab = parseNpyAny(readBytes(options.labels), labelsName);
    if (lab.shape.length !== 1 && !(lab.shape.length === 2 && lab.shape[1] === 1))
      throw new UserError(`${labelsName}: expected a 1-D array of labels, got shape (${lab.shape.join(', ')})`);
    cells = 'data' in lab ? Array.from(lab.data) : lab.text;
  } else {
    // Bounded and non-blocking: a labels "file" that is a pipe, a device or a directory is refused in one line.
    const text = await readInputText(options.labels);
    const lines = text.split(/\r?\n/).map((l) => l.trim());
    while (lines.length > 0 && lines[lines.length - 1] === '') lines.pop();
    cells = lines.map((l) => (l === '' ? null : /^[+-]?\d+(\.\d+)?$/.test(l) ? Number(l) : l));
  }
  if (cells.length !== n) throw new UserError(`${labelsName}: ${cells.length} labels for ${n} rows of ${name}`);
  const featureNames = Array.from({ length: d }, (_, j) => `x${j}`);
  const rows: Cell[][] = [];
  for (let i = 0; i < n; i++) {
    const row: Cell[] = Array.from(arr.data.subarray(i * d, (i + 1) * d), (v) => (Number.isFinite(v) ? v : null));
    row.push(cells[i]!);
    rows.push(row);
  }
  const data = prepareTable({ columns: [...featureNames, 'label'], rows, source: name }, 'label', options);
  return data;
}
