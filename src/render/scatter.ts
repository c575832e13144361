// Scatter plots: Braille dots for resolution (markers per class in ASCII or without colour), fitted curves over them, log axes.
import type { RenderCaps } from './caps.js';
import { allIntegers, domainOf, layoutXY, makeScale, renderMessage, tooSmall, type AxisOptions, type LegendItem, type Scale } from './axes.js';
import { DotCanvas, type GroupLook } from './canvas.js';
import { formatNumber } from './format.js';
import { classColor, classMarker, lineSample, seriesColor } from './theme.js';

/** A set of points drawn alike (one class, one cluster, or all the data). */
export interface ScatterGroup {
  /** Name in the legend ("VT", "cluster 2", "samples"). */
  name: string;
  /** Horizontal coordinates. */
  x: ArrayLike<number>;
  /** Vertical coordinates, same length as `x`. */
  y: ArrayLike<number>;
}

/** A polyline drawn over the points: a fitted model, a 1:1 line. */
export interface ScatterCurve {
  /** Name in the legend ("power-law fit"). */
  name: string;
  /** Horizontal coordinates of the vertices, ascending. */
  x: ArrayLike<number>;
  /** Vertical coordinates of the vertices. */
  y: ArrayLike<number>;
}

/** Labels, scales and drawing mode of a scatter plot. */
export interface ScatterOptions {
  /** Title on the first line. */
  title?: string;
  /** Horizontal axis (label, unit, log). */
  xAxis?: AxisOptions;
  /** Vertical axis (label, unit, log). */
  yAxis?: AxisOptions;
  /** Curves drawn over the points. */
  curves?: readonly ScatterCurve[];
  /** 'braille' for resolution, 'markers' for one glyph per cell; 'auto' picks markers where Braille cannot tell classes apart (no colour) or cannot be shown (ASCII). */
  mode?: 'auto' | 'braille' | 'markers';
}

const CURVE_MARKERS_UNICODE = ['•', '·', '∙'];
const CURVE_MARKERS_ASCII = ['*', '-', '~'];

/** Draws groups of points (and curves) on shared axes within `caps`. */
export function renderScatter(groups: readonly ScatterGroup[], caps: RenderCaps, options: ScatterOptions = {}): string {
  const xLog = Boolean(options.xAxis?.log);
  const yLog = Boolean(options.yAxis?.log);
  // A point is usable when both coordinates are finite (and positive on a log axis).
  const usable = (x: number, y: number): boolean => Number.isFinite(x) && Number.isFinite(y) && (!xLog || x > 0) && (!yLog || y > 0);
  const keptX: number[] = [];
  const keptY: number[] = [];
  let dropped = 0;
  for (const g of groups) {
    const n = Math.min(g.x.length, g.y.length);
    for (let i = 0; i < n; i++) {
      if (usable(g.x[i]!, g.y[i]!)) {
        keptX.push(g.x[i]!);
        keptY.push(g.y[i]!);
      } else dropped++;
    }
  }
  if (keptX.length === 0) return renderMessage(caps, options.title, 'no data: no point has finite coordinates');
  const xDomain = domainOf([keptX], xLog);
  const yDomain = domainOf([keptY], yLog);
  // Whole-number coordinates (k, counts) get whole-number ticks unless the caller says otherwise.
  const integerAxis = (axis: AxisOptions | undefined, values: number[]): AxisOptions => ({
    integer: !axis?.log && !axis?.time && allIntegers([values]),
    ...axis,
  });
  const xAxis = integerAxis(options.xAxis, keptX);
  const yAxis = integerAxis(options.yAxis, keptY);
  const x = makeScale(xDomain, xAxis);
  const y = makeScale(yDomain, yAxis);
  const u = caps.unicode;
  const curves = options.curves ?? [];
  const mode =
    options.mode === 'braille' && u ? 'braille' : options.mode === 'markers' ? 'cells' : u && (groups.length <= 1 || caps.colors !== 0) ? 'braille' : 'cells';

  const looks: GroupLook[] = groups.map((_, i) => ({
    style: { fg: classColor(i) },
    marker: groups.length === 1 && mode === 'braille' ? '•' : classMarker(i, u),
  }));
  curves.forEach((_, j) => {
    looks.push({
      style: { fg: seriesColor(groups.length + j) },
      marker: (u ? CURVE_MARKERS_UNICODE : CURVE_MARKERS_ASCII)[j % 3]!,
      overlay: true,
    });
  });
  const legend: LegendItem[] = [
    ...groups.map((g, i) => ({ label: g.name, sample: mode === 'braille' ? (u ? '⣿' : '#') : looks[i]!.marker, style: looks[i]!.style })),
    ...curves.map((c, j) => ({
      label: c.name,
      sample: mode === 'braille' ? lineSample(0, u) : looks[groups.length + j]!.marker.repeat(2),
      style: looks[groups.length + j]!.style,
    })),
  ].filter((item) => item.label);
  const notes: string[] = [];
  if (xDomain.min === xDomain.max && yDomain.min === yDomain.max) notes.push(`all ${keptX.length} points at the same place`);
  else if (yDomain.min === yDomain.max) notes.push(`constant: every y is ${formatNumber(yDomain.min, 4)}`);
  else if (xDomain.min === xDomain.max) notes.push(`constant: every x is ${formatNumber(xDomain.min, 4)}`);
  if (dropped) notes.push(`${dropped} points not shown (missing, infinite${xLog || yLog ? (u ? ' or ≤ 0 on a log axis' : ' or <= 0 on a log axis') : ''})`);

  const frame = layoutXY(caps, { title: options.title, legend, x, y, xAxis, yAxis, notes });
  if (!frame) return tooSmall(caps, options.title);
  const canvas = new DotCanvas(frame.plotW, frame.plotH, mode, looks.length);
  const toPx = (scale: Scale, v: number, size: number): number => scale.unit(v) * (size - 1);
  let outside = 0;
  groups.forEach((g, gi) => {
    const n = Math.min(g.x.length, g.y.length);
    for (let i = 0; i < n; i++) {
      const xv = g.x[i]!;
      const yv = g.y[i]!;
      if (!usable(xv, yv)) continue;
      const tx = x.unit(xv);
      const ty = y.unit(yv);
      if (tx < 0 || tx > 1 || ty < 0 || ty > 1) {
        outside++;
        continue;
      }
      canvas.dot(tx * (canvas.pxWidth - 1), (1 - ty) * (canvas.pxHeight - 1), gi);
    }
  });
  curves.forEach((c, j) => {
    let prev: [number, number] | null = null;
    const n = Math.min(c.x.length, c.y.length);
    for (let i = 0; i < n; i++) {
      if (!usable(c.x[i]!, c.y[i]!)) {
        prev = null;
        continue;
      }
      const p: [number, number] = [toPx(x, c.x[i]!, canvas.pxWidth), canvas.pxHeight - 1 - toPx(y, c.y[i]!, canvas.pxHeight)];
      if (prev) canvas.line(prev[0], prev[1], p[0], p[1], groups.length + j);
      else if (n === 1) canvas.dot(p[0], p[1], groups.length + j);
      prev = p;
    }
  });
  canvas.paint(frame.grid, frame.left, frame.top, looks);
  if (outside > 0 && frame.plotH > 0) {
    // Fixed axis limits hid some points: say so on the plot's top row rather than silently.
    const text = `${outside} outside`;
    frame.grid.write(frame.left + frame.plotW - text.length, frame.top, text, { fg: looks[0]?.style?.fg });
  }
  return frame.grid.toLines(caps).join('\n');
}
