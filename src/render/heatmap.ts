// Heatmaps (spectrograms, attention maps): half blocks in colour for twice the rows, shading characters without.
import type { RenderCaps } from './caps.js';
import { layoutXY, makeScale, renderMessage, tooSmall, type AxisOptions, type LegendItem } from './axes.js';
import type { Style } from './color.js';
import { formatNumber } from './format.js';
import { shadeRamp, theme } from './theme.js';

/** A matrix of values: `values[i][j]`, row i, column j. */
export interface HeatmapData {
  /** Rows of the matrix, all the same length; NaN cells are left blank. */
  values: ReadonlyArray<ArrayLike<number>>;
  /** 'lower' puts row 0 at the bottom (a spectrogram: low frequencies down); 'upper' at the top (a matrix). */
  origin?: 'lower' | 'upper';
}

/** Labels and scales of a heatmap. */
export interface HeatmapOptions {
  /** Title on the first line. */
  title?: string;
  /** Horizontal axis; `min`/`max` give the extent of the columns (e.g. 0–80 s), default the column index. */
  xAxis?: AxisOptions;
  /** Vertical axis; `min`/`max` give the extent of the rows (e.g. 0–50 Hz), default the row index. */
  yAxis?: AxisOptions;
  /** What the colour means, with its unit, e.g. "power (dB)". */
  valueLabel?: string;
  /** Fixed colour range instead of the data's. */
  valueRange?: [number, number];
  /** Show only the top `dynamicRange` units under the maximum (e.g. 40 for "40 dB"): the usual way to read a spectrogram. */
  dynamicRange?: number;
}

/** Area-averages a matrix down (or repeats it up) to `outRows` × `outCols`; cells with no finite source are NaN. */
export function resampleMatrix(values: ReadonlyArray<ArrayLike<number>>, outRows: number, outCols: number): Float64Array {
  const rows = values.length;
  const cols = rows ? Math.min(...values.map((r) => r.length)) : 0;
  const out = new Float64Array(outRows * outCols).fill(NaN);
  if (!rows || !cols) return out;
  for (let r = 0; r < outRows; r++) {
    const r0 = Math.floor((r * rows) / outRows);
    const r1 = Math.max(r0 + 1, Math.floor(((r + 1) * rows) / outRows));
    for (let c = 0; c < outCols; c++) {
      const c0 = Math.floor((c * cols) / outCols);
      const c1 = Math.max(c0 + 1, Math.floor(((c + 1) * cols) / outCols));
      let sum = 0;
      let n = 0;
      for (let i = r0; i < r1; i++) {
        const row = values[i]!;
        for (let j = c0; j < c1; j++) {
          const v = row[j]!;
          if (Number.isFinite(v)) {
            sum += v;
            n++;
          }
        }
      }
      if (n) out[r * outCols + c] = sum / n;
    }
  }
  return out;
}

/** Draws a matrix within `caps`, with axes and a colour bar. */
export function renderHeatmap(data: HeatmapData, caps: RenderCaps, options: HeatmapOptions = {}): string {
  const rows = data.values.length;
  const cols = rows ? Math.min(...data.values.map((r) => r.length)) : 0;
  let lo = Infinity;
  let hi = -Infinity;
  for (const row of data.values) {
    for (let j = 0; j < cols; j++) {
      const v = row[j]!;
      if (Number.isFinite(v)) {
        lo = Math.min(lo, v);
        hi = Math.max(hi, v);
      }
    }
  }
  if (!rows || !cols || lo > hi) return renderMessage(caps, options.title, 'no data: the matrix is empty or has no finite value');
  const notes: string[] = [];
  if (lo === hi) notes.push(`constant: every value is ${formatNumber(lo, 4)}`);
  if (options.dynamicRange !== undefined && options.dynamicRange > 0) lo = Math.max(lo, hi - options.dynamicRange);
  if (options.valueRange) [lo, hi] = options.valueRange;
  const span = hi - lo || 1;
  const level = (v: number): number => Math.max(0, Math.min(1, (v - lo) / span));
  const u = caps.unicode;
  const colour = caps.colors !== 0;
  const ramp = shadeRamp(u);
  const halfBlocks = u && colour && caps.colors !== 16;

  // Colour bar: low value, a ramp of swatches, high value.
  const steps = 8;
  const swatch: Array<{ text: string; style?: Style }> = [{ text: `${formatNumber(lo, 3)} ` }];
  for (let k = 0; k < steps; k++) {
    const t = k / (steps - 1);
    swatch.push(
      colour
        ? { text: u ? '█' : '#', style: { fg: theme.heat(t) } }
        : { text: ramp[Math.round(t * (ramp.length - 1))]! === ' ' ? (u ? '·' : '.') : ramp[Math.round(t * (ramp.length - 1))]! },
    );
  }
  swatch.push({ text: ` ${formatNumber(hi, 3)}` });
  const legend: LegendItem[] = [{ label: options.valueLabel ?? '', sample: '', swatch }];

  const extent = (axis: AxisOptions | undefined, n: number): AxisOptions => ({
    ...axis,
    min: axis?.min ?? 0,
    max: axis?.max ?? n,
    log: false,
    time: axis?.time,
  });
  const xAxis = extent(options.xAxis, cols);
  const yAxis = extent(options.yAxis, rows);
  const x = makeScale({ min: xAxis.min!, max: xAxis.max!, count: 2, nonFinite: 0, nonPositive: 0 }, xAxis);
  const y = makeScale({ min: yAxis.min!, max: yAxis.max!, count: 2, nonFinite: 0, nonPositive: 0 }, yAxis);
  const upper = data.origin === 'upper';
  const frame = layoutXY(caps, {
    title: options.title,
    legend,
    // An 'upper' matrix reads top-down, so its axis runs from max at the bottom; a reversed scale does that.
    x,
    y: upper ? { ...y, unit: (v) => 1 - y.unit(v) } : y,
    xAxis,
    yAxis,
    notes,
  });
  if (!frame) return tooSmall(caps, options.title);
  const { grid, left, top, plotW, plotH } = frame;
  const subRows = halfBlocks ? plotH * 2 : plotH;
  // Row 0 of the matrix goes at the bottom for 'lower', so reverse before sampling.
  const ordered = upper ? data.values : [...data.values].reverse();
  const cells = resampleMatrix(ordered, subRows, plotW);
  for (let r = 0; r < plotH; r++) {
    for (let c = 0; c < plotW; c++) {
      if (halfBlocks) {
        const a = cells[2 * r * plotW + c]!;
        const b = cells[(2 * r + 1) * plotW + c]!;
        if (!Number.isFinite(a) && !Number.isFinite(b)) continue;
        const fg = Number.isFinite(a) ? theme.heat(level(a)) : undefined;
        const bg = Number.isFinite(b) ? theme.heat(level(b)) : undefined;
        grid.set(left + c, top + r, fg ? '▀' : '▄', fg ? { fg, bg } : { fg: bg });
        continue;
      }
      const v = cells[r * plotW + c]!;
      if (!Number.isFinite(v)) continue;
      const t = level(v);
      const ch = ramp[Math.round(t * (ramp.length - 1))]!;
      if (colour) grid.set(left + c, top + r, u ? (ch === ' ' ? '░' : ch) : ch === ' ' ? '.' : ch, { fg: theme.heat(t) });
      else if (ch !== ' ') grid.set(left + c, top + r, ch);
    }
  }
  return grid.toLines(caps).join('\n');
}
