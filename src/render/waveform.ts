// Seismograms with picked P and S times marked, and the picker's probability traces in a panel under them.
import type { RenderCaps } from './caps.js';
import { drawLegendRow, layoutXY, makeScale, renderMessage, tooSmall, type LegendItem, type XYFrame, type XYFrameSpec } from './axes.js';
import { DotCanvas, type GroupLook } from './canvas.js';
import { CellGrid } from './grid.js';
import { completeLegendRows } from './legend.js';
import { truncate } from './text.js';
import type { Style } from './color.js';
import { formatNumber } from './format.js';
import { lineSample, seriesColor, theme } from './theme.js';

/** One channel of a seismogram. */
export interface WaveformTrace {
  /** Samples (counts or m/s), evenly spaced. */
  samples: ArrayLike<number>;
  /** Sampling rate (Hz), 100 for the course's data. */
  sampleRate: number;
  /** Time of the first sample (s); default 0. */
  startTime?: number;
  /** Channel name for the legend ("HHZ"). */
  name?: string;
  /** Unit of the samples for the y label ("counts"). */
  unit?: string;
}

/** A phase arrival time marked on the plot. */
export interface PhasePick {
  /** "P" or "S" (any other name is drawn in a series colour). */
  phase: string;
  /** Arrival time (s), on the trace's time axis. */
  time: number;
  /** Who picked it, for the legend ("analyst", "model"): picks from different sources get different glyphs. */
  source?: string;
}

/** A probability trace from a picker, sampled like the waveform. */
export interface ProbabilityTrace {
  /** "P", "S" or "noise". */
  name: string;
  /** Probabilities in [0, 1], one per waveform sample. */
  values: ArrayLike<number>;
}

/** What to draw with the trace. */
export interface WaveformOptions {
  /** Title on the first line. */
  title?: string;
  /** Picks drawn as vertical lines across both panels. */
  picks?: readonly PhasePick[];
  /** Probability traces for the lower panel. */
  probabilities?: readonly ProbabilityTrace[];
  /** Time window to draw (s) instead of the whole trace or the automatic zoom around close picks. */
  window?: { min: number; max: number };
}

function phaseColor(name: string, index: number): Style {
  const p = name.toUpperCase();
  return { fg: p === 'P' ? theme.phaseP : p === 'S' ? theme.phaseS : seriesColor(index + 2) };
}

/** Draws min–max envelopes per pixel column (so no spike is lost when thousands of samples share a column). */
function drawEnvelope(
  canvas: DotCanvas,
  values: ArrayLike<number>,
  t0: number,
  dt: number,
  tMin: number,
  tMax: number,
  unit: (v: number) => number,
  group: number,
): void {
  const n = values.length;
  const w = canvas.pxWidth;
  const h = canvas.pxHeight;
  let prevY = NaN;
  for (let px = 0; px < w; px++) {
    const ta = tMin + ((tMax - tMin) * px) / w;
    const tb = tMin + ((tMax - tMin) * (px + 1)) / w;
    const i0 = Math.max(0, Math.floor((ta - t0) / dt));
    const i1 = Math.min(n, Math.max(i0 + 1, Math.ceil((tb - t0) / dt)));
    let lo = Infinity;
    let hi = -Infinity;
    for (let i = i0; i < i1; i++) {
      const v = values[i]!;
      if (Number.isFinite(v)) {
        lo = Math.min(lo, v);
        hi = Math.max(hi, v);
      }
    }
    if (lo > hi) {
      prevY = NaN;
      continue;
    }
    const yLo = (1 - unit(lo)) * (h - 1);
    const yHi = (1 - unit(hi)) * (h - 1);
    // Join to the previous column so a slow wiggle stays a continuous line.
    const top = Number.isFinite(prevY) ? Math.min(yHi, prevY) : yHi;
    const bottom = Number.isFinite(prevY) ? Math.max(yLo, prevY) : yLo;
    canvas.line(px, top, px, bottom, group);
    prevY = (yLo + yHi) / 2;
  }
}

/** Columns wanted at least between a P and an S mark, so their labels and lines read apart. */
const MIN_PICK_GAP = 4;

/**
 * The time window to draw: the whole trace, unless two picks of different phases would fall closer than
 * {@link MIN_PICK_GAP} columns; then a window around that pair, just wide enough to set them apart.
 */
export function pickWindow(t0: number, tEnd: number, picks: readonly PhasePick[], plotW: number, dt: number): { min: number; max: number; zoomed: boolean } {
  const inside = picks.filter((p) => p.time >= t0 && p.time <= tEnd);
  let gap = Infinity;
  let mid = NaN;
  for (let i = 0; i < inside.length; i++) {
    for (let j = i + 1; j < inside.length; j++) {
      const a = inside[i]!,
        b = inside[j]!;
      if (a.phase.toUpperCase() === b.phase.toUpperCase()) continue;
      const d = Math.abs(a.time - b.time);
      if (d < gap) {
        gap = d;
        mid = (a.time + b.time) / 2;
      }
    }
  }
  const full = tEnd - t0;
  if (!Number.isFinite(gap) || plotW < 2 || (gap * (plotW - 1)) / full >= MIN_PICK_GAP) return { min: t0, max: tEnd, zoomed: false };
  // Picks at the same sample cannot be set apart by zooming; a window of a second or 20 samples is the least worth drawing.
  const span = Math.min(full, Math.max((gap * (plotW - 1)) / MIN_PICK_GAP, 20 * dt, 1));
  let min = mid - span / 2;
  min = Math.max(t0, Math.min(tEnd - span, min));
  return { min, max: min + span, zoomed: span < full };
}

/**
 * Draws the seismogram (and the probability panel when given) within `caps`; both panels share the time axis.
 * Picks are labelled on a row of their own above the trace, and their lines go behind the trace, never over it,
 * so the trace keeps its rows; when a P and an S pick would share a column the window zooms around them.
 */
export function renderWaveform(trace: WaveformTrace, caps: RenderCaps, options: WaveformOptions = {}): string {
  const n = trace.samples.length;
  let lo = Infinity;
  let hi = -Infinity;
  let missing = 0;
  for (let i = 0; i < n; i++) {
    const v = trace.samples[i]!;
    if (Number.isFinite(v)) {
      lo = Math.min(lo, v);
      hi = Math.max(hi, v);
    } else missing++;
  }
  if (!(trace.sampleRate > 0)) return renderMessage(caps, options.title, 'cannot draw: the sampling rate must be positive');
  if (lo > hi) return renderMessage(caps, options.title, 'no data: no finite sample');
  const u = caps.unicode;
  const W = Math.floor(caps.width);
  const H = Math.floor(caps.height);
  const dt = 1 / trace.sampleRate;
  const t0 = trace.startTime ?? 0;
  const tEnd = t0 + Math.max(1, n - 1) * dt;
  const picks = (options.picks ?? []).filter((p) => Number.isFinite(p.time));
  const probs = options.probabilities ?? [];
  // Tick labels of the amplitude take about 5 columns: a close enough guess of the plot width for the zoom.
  const fixed = options.window && options.window.max > options.window.min ? options.window : null;
  const win = fixed ? { ...fixed, zoomed: fixed.min > t0 || fixed.max < tEnd } : pickWindow(t0, tEnd, picks, Math.max(2, W - 6), dt);
  const x = makeScale({ min: win.min, max: win.max, count: n, nonFinite: 0, nonPositive: 0 }, { min: win.min, max: win.max });
  // Symmetric amplitude range around zero (of what is shown): seismograms are read by their swing either way.
  let amp = 0;
  for (let i = Math.max(0, Math.floor((win.min - t0) / dt)); i < Math.min(n, Math.ceil((win.max - t0) / dt) + 1); i++) {
    const v = trace.samples[i]!;
    if (Number.isFinite(v)) amp = Math.max(amp, Math.abs(v));
  }
  const y = makeScale({ min: -amp, max: amp, count: n, nonFinite: 0, nonPositive: 0 });
  const notes: string[] = [];
  if (lo === hi) notes.push(`constant: every sample is ${formatNumber(lo, 4)}`);
  if (missing) notes.push(`${missing} missing samples`);
  const outside = picks.filter((p) => p.time < win.min || p.time > win.max).length;

  const sources = [...new Set(picks.map((p) => p.source ?? ''))];
  const pickGlyph = (p: PhasePick): string => {
    const k = sources.indexOf(p.source ?? '');
    return (u ? ['│', '┊', '║'] : ['|', ':', '!'])[k % 3]!;
  };
  const legend: LegendItem[] = [
    { label: trace.unit ? `${trace.name ?? 'trace'} (${trace.unit})` : (trace.name ?? 'trace'), sample: u ? '⣿' : '#', style: { fg: seriesColor(1) } },
    ...sources.map((src) => ({
      label: `${src ? `${src} ` : ''}pick`,
      sample: pickGlyph({ phase: '', time: 0, source: src }),
      style: { fg: theme.muted },
    })),
    ...probs.map((p, i) => ({ label: `${p.name} probability`, sample: lineSample(0, u), style: phaseColor(p.name, i) })),
  ];
  if (outside) legend.push({ label: `${outside} ${outside === 1 ? 'pick' : 'picks'} outside the window`, sample: '', style: { fg: theme.alert } });
  const legendLines = completeLegendRows(legend, W);
  const marksRow = picks.length ? 1 : 0;
  const head = (options.title ? 1 : 0) + legendLines.length + marksRow;
  // A zoomed axis says so where it is read: under the time ticks.
  const time = win.zoomed
    ? { label: `time (s), zoomed on ${formatNumber(win.min, 3)}–${formatNumber(win.max, 3)} of ${formatNumber(t0, 3)}–${formatNumber(tEnd, 3)}` }
    : { label: 'time', unit: 's' };
  const rest = H - head;
  // The probability panel takes about a third of the plot rows; the trace keeps the rest (and twice as many at least).
  const wantProb = probs.length > 0 && rest >= 10;
  // Four rows at least when there is room, or the frame would drop the time axis's title (which names a zoom).
  const probPlot = wantProb ? Math.max(rest >= 14 + notes.length ? 4 : 2, Math.floor((rest - 4 - notes.length) / 3)) : 0;
  const probCaps = { ...caps, height: probPlot + 3 + notes.length };
  // The upper panel's own tick labels are dropped (the lower one carries them): it may use one row more.
  const topCaps = { ...caps, height: wantProb ? rest - probCaps.height + 1 : rest };
  const pSpec: XYFrameSpec = { x, y: makeScale({ min: 0, max: 1, count: 2, nonFinite: 0, nonPositive: 0 }), xAxis: time, notes };
  const tSpec: XYFrameSpec = { x, y, xAxis: wantProb ? undefined : time, notes: wantProb ? [] : notes };
  // Lay out twice so both panels reserve the same label width and their time axes line up.
  let topFrame = layoutXY(topCaps, tSpec);
  let probFrame = wantProb ? layoutXY(probCaps, pSpec) : null;
  if (!topFrame) return tooSmall(caps, options.title);
  const labelW = Math.max(topFrame.left, probFrame?.left ?? 0) - 1;
  topFrame = layoutXY(topCaps, { ...tSpec, minLabelWidth: labelW })!;
  if (wantProb) probFrame = layoutXY(probCaps, { ...pSpec, minLabelWidth: labelW });

  const columnOf = (frame: XYFrame, p: PhasePick): number | null => {
    const t = x.unit(p.time);
    return t >= 0 && t <= 1 ? frame.left + Math.round(t * (frame.plotW - 1)) : null;
  };
  const drawPanel = (frame: XYFrame, draw: (canvas: DotCanvas) => void, looks: GroupLook[]): string[] => {
    const canvas = new DotCanvas(frame.plotW, frame.plotH, u ? 'braille' : 'cells', looks.length);
    draw(canvas);
    canvas.paint(frame.grid, frame.left, frame.top, looks);
    // Pick lines behind the data: only in cells the trace leaves empty, so no sample is hidden by a mark.
    for (const p of picks) {
      const c = columnOf(frame, p);
      if (c === null) continue;
      for (let r = 0; r < frame.plotH; r++)
        if (frame.grid.get(c, frame.top + r) === ' ') frame.grid.set(c, frame.top + r, pickGlyph(p), phaseColor(p.phase, 0));
    }
    return frame.grid.toLines(caps);
  };
  const traceLook: GroupLook = { style: { fg: seriesColor(1) }, marker: '*' };
  let upper = drawPanel(topFrame, (canvas) => drawEnvelope(canvas, trace.samples, t0, dt, x.min, x.max, y.unit, 0), [traceLook]);
  if (probFrame) upper = upper.slice(0, topFrame.top + topFrame.plotH + 1);

  // The header: title, the whole legend, and the row of pick labels (analyst picks first, one label per phase and place).
  const headGrid = new CellGrid(W, head);
  let row = 0;
  if (options.title) headGrid.write(0, row++, truncate(options.title, W), { bold: true });
  for (const line of legendLines) drawLegendRow(headGrid, row++, line);
  if (marksRow) {
    const taken = new Map<number, string>();
    for (const p of picks) {
      const c = columnOf(topFrame, p);
      if (c === null) continue;
      const letter = p.phase.slice(0, 1) || '?';
      // The same phase picked within a column or two by another source needs no second label.
      if ([c - 1, c, c + 1].some((k) => taken.get(k) === letter)) continue;
      // Another phase already labelled here (picks at the very same time): the nearest free column.
      const at = [c, c + 1, c - 1, c + 2, c - 2].find((k) => !taken.has(k) && k >= topFrame!.left && k < W);
      if (at === undefined) continue;
      taken.set(at, letter);
      headGrid.set(at, row, letter, { ...phaseColor(p.phase, 0), bold: true });
    }
  }
  const out = [...(head > 0 ? headGrid.toLines(caps) : []), ...upper];
  if (!probFrame) return out.join('\n');
  const looks = probs.map((p, i) => ({ style: phaseColor(p.name, i), marker: p.name.slice(0, 1) || '*' }));
  const lower = drawPanel(
    probFrame,
    (canvas) => probs.forEach((p, i) => drawEnvelope(canvas, p.values, t0, dt, x.min, x.max, (v) => Math.max(0, Math.min(1, v)), i)),
    looks,
  );
  return [...out, ...lower].join('\n');
}
