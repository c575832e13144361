// Scales (linear, log, time), tick labels and the shared frame of every x–y plot: title, legend, axes, notes.
import type { RenderCaps } from './caps.js';
import type { Style } from './color.js';
import { formatDateTime, formatNumber, formatTick, formatTime, linearTicks, logTicks, niceStep, timeTicks } from './format.js';
import { CellGrid } from './grid.js';
import { theme } from './theme.js';
import { displayWidth, fitBlock, toAsciiCell, truncate } from './text.js';

/** How one axis is labelled and scaled. */
export interface AxisOptions {
  /** What the axis measures, e.g. "turbidity". */
  label?: string;
  /** Unit, shown as "label (unit)", e.g. "NTU". */
  unit?: string;
  /** log10 scale; values ≤ 0 cannot be shown and are counted in a note. */
  log?: boolean;
  /** Values are epoch milliseconds; ticks are UTC dates and times. */
  time?: boolean;
  /** Fixed lower bound instead of the data's minimum. */
  min?: number;
  /** Fixed upper bound instead of the data's maximum. */
  max?: number;
  /** The values are whole numbers (k, epochs, counts): ticks only at integers, never "2.5". */
  integer?: boolean;
}

/** A mapping from data values to [0, 1] along one axis. */
export interface Scale {
  /** Linear, log10 or UTC time. */
  kind: 'linear' | 'log' | 'time';
  /** Lower end of the shown range. */
  min: number;
  /** Upper end of the shown range. */
  max: number;
  /** Position of a value in [0, 1] (outside for out-of-range values, NaN when not representable). */
  unit(value: number): number;
  /** About `count` ticks with their labels. */
  ticks(count: number): { values: number[]; labels: string[] };
}

/** The range of the finite (and, on a log axis, positive) values, and how many were left out. */
export interface Domain {
  /** Smallest usable value (NaN when there is none). */
  min: number;
  /** Largest usable value (NaN when there is none). */
  max: number;
  /** Usable values. */
  count: number;
  /** Finite values a log axis cannot show (≤ 0). */
  nonPositive: number;
  /** NaN and infinite values. */
  nonFinite: number;
}

/** Scans arrays for the usable range of values. */
export function domainOf(arrays: ReadonlyArray<ArrayLike<number>>, log = false): Domain {
  let min = Infinity;
  let max = -Infinity;
  let count = 0;
  let nonPositive = 0;
  let nonFinite = 0;
  for (const values of arrays) {
    for (let i = 0; i < values.length; i++) {
      const v = values[i]!;
      if (!Number.isFinite(v)) {
        nonFinite++;
        continue;
      }
      if (log && v <= 0) {
        nonPositive++;
        continue;
      }
      if (v < min) min = v;
      if (v > max) max = v;
      count++;
    }
  }
  return count ? { min, max, count, nonPositive, nonFinite } : { min: NaN, max: NaN, count, nonPositive, nonFinite };
}

/** Builds the scale of an axis over a domain; a constant domain is widened so the value sits in the middle. */
export function makeScale(domain: Domain, axis: AxisOptions = {}): Scale {
  const kind = axis.time ? 'time' : axis.log ? 'log' : 'linear';
  let min = axis.min ?? domain.min;
  let max = axis.max ?? domain.max;
  if (!Number.isFinite(min) || !Number.isFinite(max)) {
    min = kind === 'log' ? 1 : 0;
    max = kind === 'log' ? 10 : 1;
  }
  if (kind === 'log') {
    if (min <= 0) min = max > 0 ? max / 1000 : 1;
    if (max < min) max = min * 10;
  }
  if (!(max > min)) {
    const v = min;
    if (kind === 'log') {
      min = v / 2;
      max = v * 2;
    } else if (kind === 'time') {
      min = v - 3_600_000;
      max = v + 3_600_000;
    } else {
      const half = Math.abs(v) > 0 ? Math.abs(v) * 0.1 : 1;
      min = v - half;
      max = v + half;
    }
  }
  if (kind === 'log') {
    const lmin = Math.log10(min);
    const lspan = Math.log10(max) - lmin;
    return {
      kind,
      min,
      max,
      unit: (v) => (v > 0 ? (Math.log10(v) - lmin) / lspan : NaN),
      ticks: (count) => {
        const values = logTicks(min, max, count);
        return { values, labels: values.map((v) => formatNumber(v, 2)) };
      },
    };
  }
  const span = max - min;
  return {
    kind,
    min,
    max,
    unit: (v) => (v - min) / span,
    ticks: (count) => {
      if (kind === 'time') {
        const { ticks, step } = timeTicks(min, max, count);
        return { values: ticks, labels: ticks.map((t) => formatTime(t, step)) };
      }
      if (axis.integer) {
        const values = integerTicks(min, max, count);
        return { values, labels: values.map((v) => formatTick(v, 1)) };
      }
      const values = linearTicks(min, max, count);
      const step = niceStep(span, count);
      return { values, labels: values.map((v) => formatTick(v, step)) };
    },
  };
}

/** About `count` ticks at whole numbers in [min, max], a nice step of at least 1 apart. */
export function integerTicks(min: number, max: number, count: number): number[] {
  const step = Math.max(1, Math.round(niceStep(max - min, count)));
  const ticks: number[] = [];
  for (let v = Math.ceil(min / step - 1e-9) * step; v <= max + 1e-9 && ticks.length < 1000; v += step) ticks.push(v);
  return ticks;
}

/** Whether every finite value of the arrays is a whole number (then an axis over them gets integer ticks). */
export function allIntegers(arrays: ReadonlyArray<ArrayLike<number>>): boolean {
  let any = false;
  for (const values of arrays) {
    for (let i = 0; i < values.length; i++) {
      const v = values[i]!;
      if (!Number.isFinite(v)) continue;
      if (!Number.isInteger(v)) return false;
      any = true;
    }
  }
  return any;
}

/** "label (unit)", or whichever of the two is given. */
export function axisTitle(axis: AxisOptions | undefined): string {
  if (!axis) return '';
  const label = axis.label ?? '';
  const unit = axis.unit ? `(${axis.unit})` : '';
  return [label, unit].filter(Boolean).join(' ');
}

/** One legend entry: a sample glyph and a name. */
export interface LegendItem {
  /** Series or class name. */
  label: string;
  /** Glyph(s) drawn before the name, as they appear in the plot ("──", "●"). */
  sample: string;
  /** Colour of the sample. */
  style?: Style;
  /** Several styled pieces instead of `sample` (a colour bar). */
  swatch?: ReadonlyArray<{ text: string; style?: Style }>;
}

/** Lays legend items out in rows of at most `width` columns, returned as lines of (text, style) pieces. */
export function legendRows(items: readonly LegendItem[], width: number, maxRows: number): LegendItem[][] {
  const rows: LegendItem[][] = [];
  let row: LegendItem[] = [];
  let used = 0;
  for (const item of items) {
    const w = legendItemWidth(item);
    const gap = row.length ? 3 : 0;
    if (row.length && used + gap + w > width) {
      rows.push(row);
      row = [];
      used = 0;
    }
    used += (row.length ? 3 : 0) + w;
    row.push(item);
  }
  if (row.length) rows.push(row);
  return rows.slice(0, maxRows);
}

function legendItemWidth(item: LegendItem): number {
  const sample = item.swatch ? item.swatch.reduce((w, p) => w + displayWidth(p.text), 0) : displayWidth(item.sample);
  return sample + (sample && item.label ? 1 : 0) + displayWidth(item.label);
}

/** Writes one legend row into a grid; returns the column after it. */
export function drawLegendRow(grid: CellGrid, y: number, items: readonly LegendItem[], x = 0): number {
  let col = x;
  items.forEach((item, i) => {
    if (i > 0) col += 3;
    const start = col;
    if (item.swatch) for (const piece of item.swatch) col = grid.write(col, y, piece.text, piece.style);
    else col = grid.write(col, y, item.sample, item.style);
    if (item.label) col = grid.write(col + (col > start ? 1 : 0), y, item.label);
  });
  return col;
}

/** What goes around an x–y plot. */
export interface XYFrameSpec {
  /** Title on the first line. */
  title?: string;
  /** Legend under the title (wrapped, at most two lines). */
  legend?: readonly LegendItem[];
  /** Horizontal scale. */
  x: Scale;
  /** Vertical scale. */
  y: Scale;
  /** Horizontal axis labels. */
  xAxis?: AxisOptions;
  /** Vertical axis labels. */
  yAxis?: AxisOptions;
  /** Small print under the plot ("3 values ≤ 0 not shown on the log axis"). */
  notes?: readonly string[];
  /** Plot rows wanted at most (e.g. a small panel); default: all the space there is. */
  maxPlotRows?: number;
  /** Columns reserved for y tick labels at least, so that stacked panels share one x axis. */
  minLabelWidth?: number;
}

/** A laid-out frame: draw the data into the plot area of `grid`, then take `lines`. */
export interface XYFrame {
  /** The whole figure, frame already drawn. */
  grid: CellGrid;
  /** Column of the plot area's left edge. */
  left: number;
  /** Row of the plot area's top edge. */
  top: number;
  /** Plot area width in cells. */
  plotW: number;
  /** Plot area height in cells. */
  plotH: number;
}

/** Smallest plot area worth drawing. */
const MIN_PLOT_W = 4;
const MIN_PLOT_H = 2;

/** Lays out title, legend, axes and notes within `caps`; null when the space is too small for any plot. */
export function layoutXY(caps: RenderCaps, spec: XYFrameSpec): XYFrame | null {
  const width = Math.floor(caps.width);
  const height = Math.floor(caps.height);
  const u = caps.unicode;
  const muted: Style = { fg: theme.muted };
  const legend = legendRows(spec.legend ?? [], width, 2);
  const yTitle = axisTitle(spec.yAxis);
  let xTitle = axisTitle(spec.xAxis);
  if (spec.x.kind === 'time') xTitle = `${xTitle || 'time'} (UTC) from ${formatDateTime(spec.x.min)}`;
  const parts = {
    title: spec.title ? 1 : 0,
    legend: legend.length,
    yTitle: yTitle ? 1 : 0,
    xTitle: xTitle ? 1 : 0,
    notes: spec.notes?.length ?? 0,
  };
  const fixed = 2; // x axis line and tick labels
  const total = (): number => parts.title + parts.legend + parts.yTitle + parts.xTitle + parts.notes + fixed;
  // Drop the least essential pieces first until a plot fits.
  const dropOrder: Array<keyof typeof parts> = ['notes', 'xTitle', 'legend', 'yTitle', 'title'];
  for (const key of dropOrder) {
    if (height - total() >= MIN_PLOT_H + 2) break;
    while (parts[key] > 0 && height - total() < MIN_PLOT_H + 2) parts[key]--;
  }
  let plotH = height - total();
  if (spec.maxPlotRows !== undefined) plotH = Math.min(plotH, Math.max(MIN_PLOT_H, spec.maxPlotRows));
  if (plotH < MIN_PLOT_H) return null;

  const yTicks = spec.y.ticks(Math.max(2, Math.floor(plotH / 3)));
  const labelW = Math.max(1, spec.minLabelWidth ?? 0, ...yTicks.labels.map(displayWidth));
  const left = labelW + 1;
  const plotW = width - left;
  if (plotW < MIN_PLOT_W) return null;

  const rows = plotH + total();
  const grid = new CellGrid(width, rows);
  let row = 0;
  if (parts.title) grid.write(0, row++, truncate(spec.title ?? '', width), { bold: true });
  for (let i = 0; i < parts.legend; i++) drawLegendRow(grid, row++, legend[i]!);
  if (parts.yTitle) grid.write(0, row++, truncate((u ? '↑ ' : '^ ') + yTitle, width), muted);
  const top = row;

  // Vertical axis with tick labels, right-aligned against it.
  for (let r = 0; r < plotH; r++) grid.set(labelW, top + r, u ? '│' : '|', muted);
  let lastRow = -1;
  yTicks.values.forEach((v, i) => {
    const t = spec.y.unit(v);
    if (!(t >= -1e-9 && t <= 1 + 1e-9)) return;
    const r = top + Math.round((1 - t) * (plotH - 1));
    if (r === lastRow) return;
    lastRow = r;
    const label = yTicks.labels[i]!;
    grid.write(labelW - displayWidth(label), r, label, muted);
    grid.set(labelW, r, u ? '┤' : '+', muted);
  });

  // Horizontal axis, then tick labels centred under their ticks, skipping any that would collide.
  const axisRow = top + plotH;
  grid.set(labelW, axisRow, u ? '└' : '+', muted);
  for (let c = 0; c < plotW; c++) grid.set(left + c, axisRow, u ? '─' : '-', muted);
  const sample = spec.x.ticks(4);
  const longest = Math.max(1, ...sample.labels.map(displayWidth));
  // Room for a label and a gap of about its own width, so labels never run together.
  const xTicks = spec.x.ticks(Math.max(2, Math.floor(plotW / (longest + 6))));
  let nextFree = 0;
  xTicks.values.forEach((v, i) => {
    const t = spec.x.unit(v);
    if (!(t >= -1e-9 && t <= 1 + 1e-9)) return;
    const c = left + Math.round(t * (plotW - 1));
    const label = xTicks.labels[i]!;
    const w = displayWidth(label);
    const start = Math.max(0, Math.min(width - w, c - Math.floor(w / 2)));
    if (start < nextFree) return;
    grid.set(c, axisRow, u ? '┬' : '+', muted);
    grid.write(start, axisRow + 1, label, muted);
    nextFree = start + w + 2;
  });
  row = axisRow + 2;
  if (parts.xTitle) {
    const text = truncate(xTitle + (u ? ' →' : ' ->'), width);
    grid.write(Math.max(0, width - displayWidth(text)), row++, text, muted);
  }
  for (let i = 0; i < parts.notes; i++) grid.write(0, row++, truncate(spec.notes![i]!, width), { fg: theme.alert });
  return { grid, left, top, plotW, plotH };
}

/**
 * A clear message in place of a plot ("no data", "constant value 3.2", "too small"), fitted to the space,
 * so that degenerate input never throws.
 */
export function renderMessage(caps: RenderCaps, title: string | undefined, message: string): string {
  const lines = (title ? [title, `(${message})`] : [`(${message})`]).map((l) => (caps.unicode ? l : toAsciiCell(l)));
  if (caps.height < lines.length) return fitBlock([lines[lines.length - 1]!], caps.width, caps.height);
  return fitBlock(lines, caps.width, caps.height);
}

/** The message shown when the space given cannot hold a plot. */
export function tooSmall(caps: RenderCaps, title?: string): string {
  return renderMessage(caps, title, `too small: ${caps.width}x${caps.height}`);
}
