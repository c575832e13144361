// Summary table of variables: count, missing, mean, spread, quartiles, and a one-line box plot per variable.
import type { RenderCaps } from './caps.js';
import { renderMessage } from './axes.js';
import { formatNumber } from './format.js';
import { CellGrid } from './grid.js';
import { summarize, type SummaryStats } from '../util/stats.js';
import { displayWidth, truncate } from './text.js';
import { theme } from './theme.js';

/** One variable of the table. */
export interface SummaryVariable {
  /** Name, e.g. "turbidity". */
  name: string;
  /** Unit, shown after the name, e.g. "NTU". */
  unit?: string;
  /** The values; NaN and infinities count as missing. */
  values: ArrayLike<number>;
}

/** Options of the summary table. */
export interface SummaryTableOptions {
  /** Title on the first line. */
  title?: string;
}

type Column = { key: keyof SummaryStats; head: string };
// In order of importance: columns at the end are dropped first when the table is too wide.
const COLUMNS: Column[] = [
  { key: 'n', head: 'n' },
  { key: 'median', head: 'median' },
  { key: 'min', head: 'min' },
  { key: 'max', head: 'max' },
  { key: 'missing', head: 'missing' },
  { key: 'mean', head: 'mean' },
  { key: 'std', head: 'std' },
  { key: 'q1', head: 'q1' },
  { key: 'q3', head: 'q3' },
];
const DISPLAY_ORDER: Array<keyof SummaryStats> = ['n', 'missing', 'mean', 'std', 'min', 'q1', 'median', 'q3', 'max'];

/** A one-line box plot of `stats` on its own range, `width` columns wide: whiskers min–max, box q1–q3, median mark. */
export function boxPlotLine(stats: SummaryStats, width: number, unicode: boolean): string {
  if (width < 3 || stats.n === 0) return '';
  if (stats.max === stats.min) return truncate(unicode ? '│ constant' : '| constant', width);
  const at = (v: number): number => Math.round(((v - stats.min) / (stats.max - stats.min)) * (width - 1));
  const cells = new Array<string>(width).fill(' ');
  for (let c = 0; c < width; c++) cells[c] = unicode ? '─' : '-';
  for (let c = at(stats.q1); c <= at(stats.q3); c++) cells[c] = unicode ? '▒' : '=';
  cells[0] = unicode ? '├' : '|';
  cells[width - 1] = unicode ? '┤' : '|';
  cells[at(stats.median)] = unicode ? '┃' : '#';
  return cells.join('');
}

/** Draws one row per variable within `caps`; columns are dropped from the least important when space is short. */
export function renderSummaryTable(variables: readonly SummaryVariable[], caps: RenderCaps, options: SummaryTableOptions = {}): string {
  if (variables.length === 0) return renderMessage(caps, options.title, 'no data: no variables');
  const width = Math.floor(caps.width);
  const stats = variables.map((v) => summarize(v.values));
  const names = variables.map((v) => (v.unit ? `${v.name} (${v.unit})` : v.name));
  const nameW = Math.min(Math.max(8, ...names.map(displayWidth)), Math.max(4, Math.floor(width * 0.35)));
  const cell = (s: SummaryStats, key: keyof SummaryStats): string => {
    if (key === 'n' || key === 'missing') return String(s[key]);
    return s.n === 0 || (key === 'std' && s.n < 2) ? '-' : formatNumber(s[key], 3);
  };
  const widthOf = (c: Column): number => Math.max(displayWidth(c.head), ...stats.map((s) => displayWidth(cell(s, c.key))));
  // Keep the most important columns that fit, leaving room for a box plot when possible.
  const chosen: Column[] = [];
  let used = nameW;
  // A box plot needs about 14 columns to say anything; on wide enough tables they are kept free for it.
  const reserve = width >= 60 ? 14 : 0;
  for (const c of COLUMNS) {
    const w = widthOf(c) + 1;
    if (used + w <= width - (chosen.length < 4 ? 0 : reserve)) {
      chosen.push(c);
      used += w;
    }
  }
  // Quartiles make sense only as a pair.
  const hasQ1 = chosen.some((c) => c.key === 'q1');
  const hasQ3 = chosen.some((c) => c.key === 'q3');
  if (hasQ1 !== hasQ3) {
    const drop = chosen.findIndex((c) => c.key === (hasQ1 ? 'q1' : 'q3'));
    used -= widthOf(chosen[drop]!) + 1;
    chosen.splice(drop, 1);
  }
  const shown = DISPLAY_ORDER.map((key) => chosen.find((c) => c.key === key)).filter((c): c is Column => Boolean(c));
  const boxW = width - used - 2;
  const header = options.title ? 1 : 0;
  const rows = Math.min(Math.floor(caps.height), header + 1 + variables.length);
  if (rows <= header) return renderMessage(caps, undefined, options.title ?? 'summary');
  const grid = new CellGrid(width, rows);
  const muted = { fg: theme.muted };
  if (options.title) grid.write(0, 0, truncate(options.title, width), { bold: true });
  let col = nameW;
  const headRow = header;
  grid.write(0, headRow, truncate('variable', nameW), muted);
  const colX: number[] = [];
  for (const c of shown) {
    const w = widthOf(c);
    colX.push(col + 1);
    grid.write(col + 1 + w - displayWidth(c.head), headRow, c.head, muted);
    col += w + 1;
  }
  if (boxW >= 8) grid.write(col + 2, headRow, truncate('min ··· max', boxW), muted);
  variables.forEach((_, i) => {
    const r = headRow + 1 + i;
    if (r >= rows) return;
    grid.write(0, r, truncate(names[i]!, nameW, caps.unicode ? '…' : '~'));
    shown.forEach((c, k) => {
      const text = cell(stats[i]!, c.key);
      const w = widthOf(c);
      const style = c.key === 'missing' && stats[i]!.missing > 0 ? { fg: theme.alert } : undefined;
      grid.write(colX[k]! + w - displayWidth(text), r, text, style);
    });
    if (boxW >= 8) grid.write(col + 2, r, boxPlotLine(stats[i]!, boxW, caps.unicode), { fg: theme.series[0] });
  });
  if (!caps.unicode) {
    // The header's '···' is the only non-ASCII text here.
    for (let c = 0; c < width; c++) if (grid.get(c, headRow) === '·') grid.set(c, headRow, '.', muted);
  }
  return grid.toLines(caps).join('\n');
}
