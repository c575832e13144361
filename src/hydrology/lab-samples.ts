// The ObsEra lab file (water samples at La Digue, Capesterre river): its rows as dated samples, the floods they were
// taken in, and the rating curve of suspended load against the water level, scored with and without its own floods.
import type { Cell, Table } from '../data/csv.js';
import { fileLabel } from '../data/input.js';
import { UserError } from '../errors.js';
import { safeLine } from '../util/safe-text.js';
import { r2, rmse } from '../ml/metrics.js';
import { leastSquares } from '../ml/regression.js';

/** The shipped file's name, as the observatory's WebObs export wrote it (`OBSERA_RIVERS_<date of export>.csv`). */
export const OBSERA_FILE = 'CE_DIG_OBSERA_RIVERS_2019-09-26.csv';

/** The columns the lab task reads, as the file's header spells them. */
export const LAB_COLUMNS = { date: 'Date', hour: 'Hour', level: 'Level', type: 'Type', ssc: 'Suspended Load' } as const;

/** Samples further apart than this belong to different floods (or visits): 12 h. */
export const EVENT_GAP_MS = 12 * 3_600_000;

/** The lab file's rows as the task needs them, in file order. */
export interface LabSamples {
  /** Sample time, ms since 1970 read as UTC (the file does not say its time zone: only differences are used). */
  timeMs: number[];
  /** Suspended load (mg/L), null where the cell is empty. */
  sscMgL: (number | null)[];
  /** Water level (cm), null where the cell is empty. */
  levelCm: (number | null)[];
  /** Sampling type (1 or 2 in the shipped file), null where empty. */
  type: (number | null)[];
  /** 1-based line of each row in the file, for messages. */
  lines: number[];
}

const DATE_RE = /^(\d{4})-(\d{2})-(\d{2})$/;
// `10:53`, or `06:36:59.995000` (the export writes some times a few milliseconds before the minute, to the microsecond).
const HOUR_RE = /^(\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,6}))?)?$/;

/** `YYYY-MM-DD` and `HH:MM[:SS[.ffffff]]` as ms since 1970 (UTC), or NaN when either is not a valid date or time. */
export function sampleTime(date: string, hour: string): number {
  const d = DATE_RE.exec(date.trim());
  const h = HOUR_RE.exec(hour.trim());
  if (!d || !h) return Number.NaN;
  const [y, mo, da] = [Number(d[1]), Number(d[2]), Number(d[3])];
  const [hh, mm, ss] = [Number(h[1]), Number(h[2]), Number(h[3] ?? 0)];
  const ms = h[4] ? Math.round(Number(`0.${h[4]}`) * 1000) : 0;
  if (mo < 1 || mo > 12 || da < 1 || hh > 23 || mm > 59 || ss > 59) return Number.NaN;
  const t = Date.UTC(y, mo - 1, da, hh, mm, ss, ms);
  // Date.UTC rolls 31 February over into March: refuse a day the month does not have.
  return new Date(t).getUTCDate() === da ? t : Number.NaN;
}

/** The index of a column the lab file must have, or one line saying the file is not an ObsEra export (and why it may look so). */
function requiredColumn(table: Table, name: string): number {
  const i = table.columns.indexOf(name);
  if (i >= 0) return i;
  const source = fileLabel(table.source ?? 'lab file');
  const header = table.columns.join(table.columns.length > 1 ? ', ' : '');
  // One column whose name holds the real delimiter: the file was split on the wrong character.
  const hint = table.columns.length === 1 && /[;,\t|]/.test(header) ? '; it has one column: is the delimiter ";" (as WebObs writes it)?' : '';
  throw new UserError(`${source}: not an ObsEra RIVERS export: no column "${name}" (columns: ${safeLine(header, 120)})${hint}`);
}

/** A column's cell as a number, null when empty; a text cell is one line naming the file, line and column. */
function numberCell(table: Table, r: number, c: number, unit: string): number | null {
  const v: Cell = table.rows[r]![c]!;
  if (v === null) return null;
  if (typeof v === 'number') return v;
  throw new UserError(
    `${fileLabel(table.source ?? 'lab file')}:${table.lines?.[r] ?? r + 2}: column "${table.columns[c]}": "${safeLine(v, 30)}" is not a number (${unit})`,
  );
}

/** The indices of the columns the lab task reads (date, hour, level, type, SSC), or one line naming the first missing. */
export function labColumns(table: Table): [number, number, number, number, number] {
  return [LAB_COLUMNS.date, LAB_COLUMNS.hour, LAB_COLUMNS.level, LAB_COLUMNS.type, LAB_COLUMNS.ssc].map((c) => requiredColumn(table, c)) as [
    number,
    number,
    number,
    number,
    number,
  ];
}

/** Reads the columns the lab task uses from a table of the ObsEra file (or any WebObs RIVERS export with these columns). */
export function labSamples(table: Table): LabSamples {
  const [date, hour, level, type, ssc] = labColumns(table);
  const source = fileLabel(table.source ?? 'lab file');
  if (table.rows.length === 0) throw new UserError(`${source}: a header and no samples`);
  const out: LabSamples = { timeMs: [], sscMgL: [], levelCm: [], type: [], lines: [] };
  table.rows.forEach((row, r) => {
    const line = table.lines?.[r] ?? r + 2;
    const t = sampleTime(String(row[date] ?? ''), String(row[hour] ?? ''));
    if (Number.isNaN(t)) {
      throw new UserError(
        `${source}:${line}: columns "Date" and "Hour": expected YYYY-MM-DD and HH:MM, got "${safeLine(row[date] ?? '', 20)}" and "${safeLine(row[hour] ?? '', 20)}"`,
      );
    }
    out.timeMs.push(t);
    out.sscMgL.push(numberCell(table, r, ssc, 'mg/L'));
    out.levelCm.push(numberCell(table, r, level, 'cm'));
    out.type.push(numberCell(table, r, type, 'a sampling type'));
    out.lines.push(line);
  });
  return out;
}

/**
 * The event (flood or field visit) of each time: sorted by time, a gap longer than `gapMs` starts a new one. Ids count
 * from 0 in time order; the result is in the order of `timesMs`.
 */
export function groupEvents(timesMs: readonly number[], gapMs = EVENT_GAP_MS): number[] {
  const order = timesMs.map((_, i) => i).sort((a, b) => timesMs[a]! - timesMs[b]!);
  const ids = new Array<number>(timesMs.length);
  let id = -1;
  order.forEach((i, k) => {
    if (k === 0 || timesMs[i]! - timesMs[order[k - 1]!]! > gapMs) id++;
    ids[i] = id;
  });
  return ids;
}

/** Sums of a set of (x, y) pairs, from which the least-squares line follows. */
interface Sums {
  n: number;
  x: number;
  y: number;
  xx: number;
  xy: number;
}

function sumsOf(x: readonly number[], y: readonly number[]): Sums {
  const s: Sums = { n: 0, x: 0, y: 0, xx: 0, xy: 0 };
  for (let i = 0; i < x.length; i++) {
    s.n++;
    s.x += x[i]!;
    s.y += y[i]!;
    s.xx += x[i]! * x[i]!;
    s.xy += x[i]! * y[i]!;
  }
  return s;
}

/** The least-squares line through the pairs `s` sums (slope 0 when every x is the same). */
function lineOfSums(s: Sums): { slope: number; intercept: number } {
  const sxx = s.xx - (s.x * s.x) / s.n;
  const sxy = s.xy - (s.x * s.y) / s.n;
  const slope = sxx > 1e-12 * Math.max(1, s.xx) ? sxy / sxx : 0;
  return { slope, intercept: (s.y - slope * s.x) / s.n };
}

/** The fit of y on x, its errors, and its errors on samples it did not see: one left out at a time, or one whole event. */
export interface RatingFit {
  /** Pairs fitted. */
  n: number;
  /** Distinct events among them. */
  nEvents: number;
  /** Slope (the exponent in log–log space). */
  slope: number;
  /** Intercept (log10 of the prefactor in log–log space). */
  intercept: number;
  /** R² on the fitted pairs. */
  r2: number;
  /** RMSE on the fitted pairs (y's unit). */
  rmse: number;
  /** RMSE of leave-one-out predictions: each pair predicted by a line fitted on all the others. */
  cvRmseLoo: number;
  /** RMSE of leave-one-event-out predictions: each pair predicted by a line fitted without its whole event. */
  cvRmseEvent: number;
  /** The share of Σ(y − ȳ)² that the three largest y carry. */
  top3Share: number;
  /** Residuals y − ŷ, in the order of the pairs. */
  residuals: number[];
}

/**
 * Fits y on x by least squares and scores it three ways: on the pairs it fitted, leaving one pair out at a time, and
 * leaving one whole event out at a time (scikit-learn's LeaveOneOut and LeaveOneGroupOut). Each held-out line comes
 * from the sums of the pairs it keeps, so this is linear in the number of pairs. Needs 3 pairs in 2 events.
 */
export function ratingFit(x: readonly number[], y: readonly number[], events: readonly number[]): RatingFit {
  const n = x.length;
  const groups = [...new Set(events)];
  if (n < 3 || groups.length < 2)
    throw new UserError(`only ${n} sample(s) in ${groups.length} event(s) with both values: too few to fit a line and test it on other events`);
  // The fit itself is the course's ordinary least squares (centred, slope 0 when every x is the same).
  const {
    coef: [slope = 0],
    intercept,
  } = leastSquares(
    x.map((v) => [v]),
    y,
  );
  const predicted = x.map((v) => slope * v + intercept);
  const residuals = y.map((v, i) => v - predicted[i]!);
  const my = y.reduce((a, b) => a + b, 0) / n;
  const sst = y.reduce((a, v) => a + (v - my) ** 2, 0);
  const all = sumsOf(x, y);
  const without = (s: Sums, i: number): Sums => ({ n: s.n - 1, x: s.x - x[i]!, y: s.y - y[i]!, xx: s.xx - x[i]! ** 2, xy: s.xy - x[i]! * y[i]! });
  let loo = 0;
  for (let i = 0; i < n; i++) {
    const line = lineOfSums(without(all, i));
    loo += (y[i]! - (line.slope * x[i]! + line.intercept)) ** 2;
  }
  const perEvent = new Map<number, Sums>();
  for (let i = 0; i < n; i++) {
    const s = perEvent.get(events[i]!) ?? { n: 0, x: 0, y: 0, xx: 0, xy: 0 };
    perEvent.set(events[i]!, { n: s.n + 1, x: s.x + x[i]!, y: s.y + y[i]!, xx: s.xx + x[i]! ** 2, xy: s.xy + x[i]! * y[i]! });
  }
  const lines = new Map(
    [...perEvent].map(([g, s]) => [g, lineOfSums({ n: all.n - s.n, x: all.x - s.x, y: all.y - s.y, xx: all.xx - s.xx, xy: all.xy - s.xy })] as const),
  );
  let lego = 0;
  for (let i = 0; i < n; i++) {
    const line = lines.get(events[i]!)!;
    lego += (y[i]! - (line.slope * x[i]! + line.intercept)) ** 2;
  }
  const largest = y
    .map((_, i) => i)
    .sort((a, b) => y[b]! - y[a]!)
    .slice(0, 3);
  const top3 = largest.reduce((a, i) => a + (y[i]! - my) ** 2, 0);
  return {
    n,
    nEvents: groups.length,
    slope,
    intercept,
    r2: r2(y, predicted),
    rmse: rmse(y, predicted),
    cvRmseLoo: Math.sqrt(loo / n),
    cvRmseEvent: Math.sqrt(lego / n),
    top3Share: sst === 0 ? 0 : top3 / sst,
    residuals,
  };
}
