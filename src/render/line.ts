// Line charts (through asciichart): several series with a legend, labelled axes, dates, gaps, and a live mode for training curves.
import asciichart from 'asciichart';
import type { RenderCaps } from './caps.js';
import { allIntegers, domainOf, layoutXY, makeScale, renderMessage, tooSmall, type AxisOptions, type LegendItem } from './axes.js';
import { formatNumber } from './format.js';
import { displayWidth } from './text.js';
import { classMarker, lineSample, lineSymbols, seriesColor, theme } from './theme.js';

/** One line of a chart. */
export interface LineSeries {
  /** Name in the legend, e.g. "val_loss". */
  name: string;
  /** Values; NaN or ±Infinity mark a gap. */
  y: ArrayLike<number>;
  /** Positions, ascending, same length as `y` (epoch numbers, seconds, or epoch milliseconds on a time axis); default 0, 1, 2… */
  x?: ArrayLike<number>;
}

/** A range shaded behind the lines, e.g. a prediction's 5–95 % band: cells between low and high get a light glyph. */
export interface LineBand {
  /** Name in the legend ("5–95 % band"). */
  name: string;
  /** Positions, ascending. */
  x: ArrayLike<number>;
  /** Lower edge at each position (NaN: no band there). */
  low: ArrayLike<number>;
  /** Upper edge at each position. */
  high: ArrayLike<number>;
}

/** Points drawn over the lines as one marker per cell (lab samples over a prediction). */
export interface LinePoints {
  /** Name in the legend. */
  name: string;
  /** Horizontal coordinates. */
  x: ArrayLike<number>;
  /** Vertical coordinates. */
  y: ArrayLike<number>;
}

/** A stretch of the horizontal axis marked in the plot (an outage), bracketed and named where it fits. */
export interface LineSpan {
  /** Name in the legend and, where there is room, inside the bracket ("outage"). */
  name: string;
  /** Start, in x units. */
  from: number;
  /** End, in x units. */
  to: number;
}

/** Labels and scales of a line chart. */
export interface LineChartOptions {
  /** Title on the first line. */
  title?: string;
  /** Horizontal axis (set `time: true` when x holds epoch milliseconds). */
  xAxis?: AxisOptions;
  /** Vertical axis. */
  yAxis?: AxisOptions;
  /** Append each series' last value to its legend entry ("loss 0.231"): what a student watches during training. */
  showLast?: boolean;
  /**
   * What a column shows when several values share it: 'peak' (default) the one farthest from their mean, so a flood
   * or a spike keeps its height; 'mean' their mean on the axis (geometric on a log axis), a steadier line for a
   * long, busy series drawn over points and a band.
   */
  aggregate?: 'peak' | 'mean';
  /** Ranges shaded behind the lines. */
  bands?: readonly LineBand[];
  /** Points drawn over the lines. */
  points?: readonly LinePoints[];
  /** Stretches of x marked in the plot. */
  spans?: readonly LineSpan[];
}

interface Prepared {
  xs: Float64Array;
  ys: Float64Array;
}

function prepare(series: LineSeries): Prepared {
  const n = series.x ? Math.min(series.x.length, series.y.length) : series.y.length;
  const order = Array.from({ length: n }, (_, i) => i);
  const xOf = (i: number): number => (series.x ? series.x[i]! : i);
  // Sorting is a no-op for the usual ascending input, and makes unordered input safe.
  order.sort((a, b) => xOf(a) - xOf(b));
  const xs = new Float64Array(n);
  const ys = new Float64Array(n);
  order.forEach((i, k) => {
    xs[k] = xOf(i);
    ys[k] = Number.isFinite(xOf(i)) ? series.y[i]! : NaN;
  });
  return { xs, ys };
}

/**
 * Values of a series at `columns + 1` evenly spaced positions from xMin to xMax: of the points near each position,
 * the one farthest from their mean (so peaks survive) when there are some, linear interpolation between neighbours when there are none, NaN across gaps
 * (a NaN in the data, or a hole in x much wider than the usual spacing) and outside the series.
 */
export function resampleSeries(
  xs: ArrayLike<number>,
  ys: ArrayLike<number>,
  xMin: number,
  xMax: number,
  columns: number,
  aggregate: 'peak' | 'mean' = 'peak',
): Float64Array {
  const out = new Float64Array(columns + 1).fill(NaN);
  const dx = (xMax - xMin) / Math.max(1, columns);
  const spacings: number[] = [];
  for (let i = 1; i < xs.length; i++) if (Number.isFinite(ys[i]!) && Number.isFinite(ys[i - 1]!)) spacings.push(xs[i]! - xs[i - 1]!);
  spacings.sort((a, b) => a - b);
  const typical = spacings.length ? spacings[Math.floor(spacings.length / 2)]! : 0;
  const maxGap = Math.max(5 * typical, 1.5 * dx);
  // Split into runs of finite points with no wide hole, then sample each run on its own.
  let start = 0;
  for (let i = 0; i <= xs.length; i++) {
    const breakHere = i === xs.length || !Number.isFinite(ys[i]!) || (i > start && xs[i]! - xs[i - 1]! > maxGap);
    if (!breakHere) continue;
    if (i > start) sampleRun(xs, ys, start, i, xMin, dx, columns, out, aggregate);
    start = Number.isFinite(ys[i] ?? NaN) ? i : i + 1;
  }
  return out;
}

function sampleRun(
  xs: ArrayLike<number>,
  ys: ArrayLike<number>,
  from: number,
  to: number,
  xMin: number,
  dx: number,
  columns: number,
  out: Float64Array,
  aggregate: 'peak' | 'mean',
): void {
  const position = (c: number): number => xMin + c * dx;
  const first = dx > 0 ? Math.ceil((xs[from]! - xMin) / dx - 1e-9) : 0;
  const last = dx > 0 ? Math.floor((xs[to - 1]! - xMin) / dx + 1e-9) : columns;
  if (first > last) {
    // A short run between two sample positions: show it at the nearest one rather than lose it.
    let sum = 0;
    for (let k = from; k < to; k++) sum += ys[k]!;
    const c = Math.max(0, Math.min(columns, Math.round((xs[from]! - xMin) / (dx || 1))));
    out[c] = sum / (to - from);
    return;
  }
  let lo = from;
  for (let c = Math.max(0, first); c <= Math.min(columns, last); c++) {
    const p = position(c);
    while (lo < to && xs[lo]! < p - dx / 2) lo++;
    let sum = 0;
    let n = 0;
    let end = lo;
    for (; end < to && xs[end]! < p + dx / 2; end++) {
      sum += ys[end]!;
      n++;
    }
    if (n > 0) {
      // Keep the point farthest from the column's mean rather than the mean itself: a flood peak or a spike
      // squeezed into one column must still reach its true height on the chart.
      const mean = sum / n;
      if (aggregate === 'mean') {
        out[c] = mean;
        continue;
      }
      let pick = mean;
      for (let k = lo; k < end; k++) if (Math.abs(ys[k]! - mean) > Math.abs(pick - mean)) pick = ys[k]!;
      out[c] = pick;
      continue;
    }
    // No point near this column: interpolate between the bracketing points of the run.
    let right = lo;
    while (right < to && xs[right]! < p) right++;
    const left = right - 1;
    if (left < from || right >= to) continue;
    const t = (p - xs[left]!) / (xs[right]! - xs[left]! || 1);
    out[c] = ys[left]! + t * (ys[right]! - ys[left]!);
  }
}

/** Draws one or several series on shared axes within `caps` (with bands, points and spans when given); degenerate input gives a message, never an exception. */
export function renderLineChart(series: readonly LineSeries[], caps: RenderCaps, options: LineChartOptions = {}): string {
  const prepared = series.map(prepare);
  const bands = options.bands ?? [];
  const points = options.points ?? [];
  const spans = (options.spans ?? []).filter((s) => Number.isFinite(s.from) && Number.isFinite(s.to) && s.to >= s.from);
  const aggregate = options.aggregate ?? 'peak';
  const yLog = Boolean(options.yAxis?.log);
  const yDomain = domainOf(
    prepared.map((p) => p.ys),
    yLog,
  );
  if (series.length === 0 || yDomain.count === 0) {
    return renderMessage(caps, options.title, 'no data: every value is missing or not finite');
  }
  const xLog = Boolean(options.xAxis?.log);
  const usableY = (v: number): boolean => Number.isFinite(v) && (!yLog || v > 0);
  const xsWhere = (xs: ArrayLike<number>, ok: (i: number) => boolean): number[] => Array.from(xs).filter((_, i) => ok(i));
  const finiteXs = [
    ...prepared.map((p) => xsWhere(p.xs, (i) => usableY(p.ys[i]!))),
    ...bands.map((b) => xsWhere(b.x, (i) => usableY(b.low[i]!) && usableY(b.high[i]!))),
    ...points.map((p) => xsWhere(p.x, (i) => usableY(p.y[i]!))),
    spans.flatMap((s) => [s.from, s.to]),
  ];
  const xDomain = domainOf(finiteXs, xLog);
  // Whole-number positions (k, epochs) get whole-number ticks unless the caller says otherwise.
  const xAxis: AxisOptions = { integer: !xLog && !options.xAxis?.time && allIntegers(finiteXs), ...options.xAxis };
  const x = makeScale(xDomain, xAxis);
  // Bands and points widen the vertical range, so nothing they hold falls off the plot.
  const y = makeScale(domainOf([...prepared.map((p) => p.ys), ...bands.flatMap((b) => [b.low, b.high]), ...points.map((p) => p.y)], yLog), options.yAxis);
  const u = caps.unicode;
  const notes: string[] = [];
  if (yDomain.min === yDomain.max) notes.push(`constant: every value is ${formatNumber(yDomain.min, 4)}`);
  if (yDomain.nonFinite) notes.push(`${yDomain.nonFinite} missing or infinite values shown as gaps`);
  if (yDomain.nonPositive) notes.push(`${yDomain.nonPositive} values ${u ? '≤' : '<='} 0 not shown (log axis)`);
  const legend: LegendItem[] = series.map((s, i) => {
    let label = s.name;
    if (options.showLast) {
      const ys = prepared[i]!.ys;
      let lastValue = NaN;
      for (let k = ys.length - 1; k >= 0; k--) {
        if (Number.isFinite(ys[k]!)) {
          lastValue = ys[k]!;
          break;
        }
      }
      if (Number.isFinite(lastValue)) label += ` ${formatNumber(lastValue, 3)}`;
    }
    return { label, sample: lineSample(i, u), style: { fg: seriesColor(i) } };
  });
  // Points, bands and spans each look unlike any line: a marker per cell, a light shade, a bracket.
  const pointLook = (k: number) => ({ marker: classMarker(k, u), style: { fg: seriesColor(series.length + k) } });
  const bandGlyph = u ? '░' : ':';
  const bandStyle = { fg: theme.muted };
  const spanFill = u ? '╌' : ' ';
  points.forEach((p, k) => legend.push({ label: p.name, sample: pointLook(k).marker, style: pointLook(k).style }));
  bands.forEach((b) => legend.push({ label: b.name, sample: bandGlyph.repeat(2), style: bandStyle }));
  spans.forEach((s) => legend.push({ label: s.name, sample: `[${spanFill}]`, style: { fg: theme.alert } }));
  const frame = layoutXY(caps, { title: options.title, legend, x, y, xAxis, yAxis: options.yAxis, notes });
  if (!frame) return tooSmall(caps, options.title);
  const { grid, left, top, plotW, plotH } = frame;
  const columns = plotW;
  const sampleXMin = xLog ? Math.log10(x.min) : x.min;
  const sampleXMax = xLog ? Math.log10(x.max) : x.max;
  const sampleX = (xs: ArrayLike<number>): ArrayLike<number> => (xLog ? Array.from(xs, (v) => (v > 0 ? Math.log10(v) : NaN)) : xs);
  // Position on the axis in [0, 1] of every value, for averaging along the axis (geometric means on a log axis).
  const units = (ys: ArrayLike<number>): Float64Array => Float64Array.from(ys as ArrayLike<number>, (v) => (usableY(v) ? y.unit(v) : NaN));
  const rowOf = (t: number): number => Math.max(0, Math.min(plotH - 1, Math.round(t * (plotH - 1))));

  // Bands first, one column at a time: every cell between the column's low and high edge is shaded.
  for (const b of bands) {
    const n = Math.min(b.x.length, b.low.length, b.high.length);
    const bx = sampleX(Array.from(b.x).slice(0, n));
    const lowUnits = units(Array.from(b.low).slice(0, n));
    const highUnits = units(Array.from(b.high).slice(0, n));
    const steps = Math.max(1, plotW - 1);
    const lows = resampleSeries(bx, lowUnits, sampleXMin, sampleXMax, steps, 'mean');
    const highs = resampleSeries(bx, highUnits, sampleXMin, sampleXMax, steps, 'mean');
    // Where a column holds several band values, it shades all they span (lowest low to highest high): a value
    // outside the shade is outside the band at every moment of that column.
    const dx = (sampleXMax - sampleXMin) / steps;
    for (let i = 0; i < n; i++) {
      const c = Math.round((bx[i]! - sampleXMin) / (dx || 1));
      if (!(c >= 0 && c < plotW) || !Number.isFinite(lowUnits[i]!) || !Number.isFinite(highUnits[i]!)) continue;
      lows[c] = Math.min(lows[c]!, lowUnits[i]!, highUnits[i]!);
      highs[c] = Math.max(highs[c]!, lowUnits[i]!, highUnits[i]!);
    }
    for (let c = 0; c < plotW; c++) {
      const lo = Math.min(lows[c]!, highs[c]!);
      const hi = Math.max(lows[c]!, highs[c]!);
      if (!Number.isFinite(lo) || !Number.isFinite(hi) || hi < 0 || lo > 1) continue;
      for (let r = rowOf(lo); r <= rowOf(hi); r++) grid.set(left + c, top + plotH - 1 - r, bandGlyph, bandStyle);
    }
  }

  // Spans: a bracket across the stretch on the middle row, named inside where the name fits.
  for (const s of spans) {
    const t0 = x.unit(s.from);
    const t1 = x.unit(s.to);
    if (!(t1 >= 0 && t0 <= 1)) continue;
    const c0 = Math.round(Math.max(0, t0) * (plotW - 1));
    const c1 = Math.round(Math.min(1, t1) * (plotW - 1));
    const row = top + Math.floor((plotH - 1) / 2);
    const style = { fg: theme.alert };
    for (let c = c0; c <= c1; c++) grid.set(left + c, row, c === c0 ? '[' : c === c1 ? ']' : spanFill, style);
    const label = ` ${s.name} `;
    if (c1 - c0 - 1 >= displayWidth(label) + 2) grid.write(left + c0 + 1 + Math.floor((c1 - c0 - 1 - displayWidth(label)) / 2), row, label, style);
  }

  prepared.forEach((p, index) => {
    const xs = sampleX(p.xs);
    // 'mean' averages positions on the axis; 'peak' keeps a real value per column (so a spike reaches its height).
    const rowsUp =
      aggregate === 'mean'
        ? resampleSeries(xs, units(p.ys), sampleXMin, sampleXMax, columns, 'mean').map((t) =>
            Number.isFinite(t) ? Math.max(0, Math.min(plotH - 1, t * (plotH - 1))) : NaN,
          )
        : resampleSeries(xs, p.ys, sampleXMin, sampleXMax, columns).map((v) => {
            // Row units: 0 at the bottom, plotH - 1 at the top, so asciichart needs no scaling of its own.
            const t = y.unit(v);
            return Number.isFinite(t) ? Math.max(0, Math.min(plotH - 1, t * (plotH - 1))) : NaN;
          });
    const symbols = lineSymbols(index, u);
    const style = { fg: seriesColor(index) };
    let run = 0;
    for (let c = 0; c <= rowsUp.length; c++) {
      if (c < rowsUp.length && Number.isFinite(rowsUp[c]!)) continue;
      const length = c - run;
      if (length === 1) {
        grid.set(left + Math.min(run, columns - 1), top + plotH - 1 - Math.round(rowsUp[run]!), symbols[4]!, style);
      } else if (length > 1) {
        const values = Array.from(rowsUp.subarray(run, c));
        const rows = asciichart.plot(values, { min: 0, max: plotH - 1, height: plotH - 1, offset: 1, format: () => ' ', symbols }).split('\n');
        // Column 0 is asciichart's own axis; column k ≥ 1 is the segment from sample k-1 to sample k.
        rows.forEach((text, r) => {
          for (let k = 1; k < length; k++) {
            const ch = text[k];
            if (ch && ch !== ' ') grid.set(left + run + k - 1, top + r, ch, style);
          }
        });
      }
      run = c + 1;
    }
  });

  // Points last, so a sample is never hidden under the line it is compared with.
  points.forEach((p, k) => {
    const look = pointLook(k);
    const n = Math.min(p.x.length, p.y.length);
    for (let i = 0; i < n; i++) {
      if (!usableY(p.y[i]!) || !Number.isFinite(p.x[i]!)) continue;
      const tx = x.unit(p.x[i]!);
      const ty = y.unit(p.y[i]!);
      if (!(tx >= 0 && tx <= 1 && ty >= 0 && ty <= 1)) continue;
      grid.set(left + Math.round(tx * (plotW - 1)), top + plotH - 1 - rowOf(ty), look.marker, look.style);
    }
  });
  return grid.toLines(caps).join('\n');
}

/**
 * A chart that redraws in place as training goes: `update` returns only what changed (cursor up, rewrite the
 * changed lines, cursor back below), so a slow SSH link carries a few lines per epoch, not the whole screen.
 * In a non-TTY, skip `update` and print `frame()` once at the end.
 */
export class LiveChart {
  private readonly caps: RenderCaps;
  private readonly options: LineChartOptions;
  private lines: string[] = [];

  constructor(caps: RenderCaps, options: LineChartOptions = {}) {
    this.caps = caps;
    this.options = { showLast: true, ...options };
  }

  /** Renders the new state and returns the escape string that turns the previous frame into it ('' if nothing changed). */
  update(series: readonly LineSeries[]): string {
    const next = renderLineChart(series, this.caps, this.options).split('\n');
    const previous = this.lines;
    this.lines = next;
    if (previous.length === 0) return next.map((line) => line + '\n').join('');
    if (previous.length !== next.length) {
      // The frame changed height (a note appeared): clear from the frame's top and draw it all again.
      return `\x1b[${previous.length}A\r\x1b[J` + next.map((line) => line + '\n').join('');
    }
    let out = '';
    let cursor = previous.length; // the cursor rests on the line below the frame
    next.forEach((line, i) => {
      if (line === previous[i]) return;
      out += moveRows(i - cursor) + '\r\x1b[2K' + line;
      cursor = i;
    });
    if (!out) return '';
    return out + moveRows(previous.length - cursor) + '\r';
  }

  /** The last full frame, without cursor movement (for logs and non-TTY output). */
  frame(): string {
    return this.lines.join('\n');
  }
}

function moveRows(delta: number): string {
  if (delta < 0) return `\x1b[${-delta}A`;
  if (delta > 0) return `\x1b[${delta}B`;
  return '';
}
