// Seismograms with picked P and S times marked, and the picker's probability traces in a panel under them.
import type { RenderCaps } from './caps.js';
import { layoutXY, makeScale, renderMessage, tooSmall, type LegendItem, type XYFrame, type XYFrameSpec } from './axes.js';
import { DotCanvas, type GroupLook } from './canvas.js';
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
}

function phaseColor(name: string, index: number): Style {
  const p = name.toUpperCase();
  return { fg: p === 'P' ? theme.phaseP : p === 'S' ? theme.phaseS : seriesColor(index + 2) };
}

/** Draws min–max envelopes per pixel column (so no spike is lost when thousands of samples share a column). */
function drawEnvelope(canvas: DotCanvas, values: ArrayLike<number>, t0: number, dt: number, tMin: number, tMax: number, unit: (v: number) => number, group: number): void {
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

/** Draws the seismogram (and the probability panel when given) within `caps`; both panels share the time axis. */
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
  const dt = 1 / trace.sampleRate;
  const t0 = trace.startTime ?? 0;
  const tEnd = t0 + Math.max(1, n - 1) * dt;
  const x = makeScale({ min: t0, max: tEnd, count: n, nonFinite: 0, nonPositive: 0 }, { min: t0, max: tEnd });
  // Symmetric amplitude range around zero: seismograms are read by their swing either way.
  const amp = Math.max(Math.abs(lo), Math.abs(hi));
  const y = makeScale({ min: -amp, max: amp, count: n, nonFinite: 0, nonPositive: 0 });
  const picks = (options.picks ?? []).filter((p) => Number.isFinite(p.time));
  const probs = options.probabilities ?? [];
  const notes: string[] = [];
  if (lo === hi) notes.push(`constant: every sample is ${formatNumber(lo, 4)}`);
  if (missing) notes.push(`${missing} missing samples`);
  const outside = picks.filter((p) => p.time < t0 || p.time > tEnd).length;
  if (outside) notes.push(`${outside} picks outside the window`);

  const sources = [...new Set(picks.map((p) => p.source ?? ''))];
  const pickGlyph = (p: PhasePick): string => {
    const k = sources.indexOf(p.source ?? '');
    return (u ? ['│', '┊', '║'] : ['|', ':', '!'])[k % 3]!;
  };
  const legend: LegendItem[] = [
    { label: trace.name ?? 'trace', sample: u ? '⣿' : '#', style: { fg: seriesColor(1) } },
    ...[...new Map(picks.map((p) => [`${p.phase}|${p.source ?? ''}`, p])).values()].map((p, i) => ({
      label: `${p.phase} pick${p.source ? ` (${p.source})` : ''}`,
      sample: pickGlyph(p),
      style: phaseColor(p.phase, i),
    })),
  ];
  const time = { label: 'time', unit: 's' };
  const probRows = probs.length ? Math.max(3, Math.floor((caps.height - 4) * 0.3)) : 0;
  const probCaps = { ...caps, height: probRows + 3 + (probs.length ? 1 : 0) };
  const topCaps = { ...caps, height: caps.height - (probs.length ? probCaps.height : 0) };
  const wantProb = probs.length > 0 && topCaps.height >= 6;
  const pSpec: XYFrameSpec = {
    legend: probs.map((p, i) => ({ label: `${p.name} probability`, sample: lineSample(0, u), style: phaseColor(p.name, i) })),
    x,
    y: makeScale({ min: 0, max: 1, count: 2, nonFinite: 0, nonPositive: 0 }),
    xAxis: time,
  };
  const tSpec: XYFrameSpec = { title: options.title, legend, x, y, yAxis: { label: trace.name ?? 'amplitude', unit: trace.unit }, xAxis: wantProb ? undefined : time, notes };
  // Lay out twice so both panels reserve the same label width and their time axes line up.
  let topFrame = layoutXY(wantProb ? topCaps : caps, tSpec);
  let probFrame = wantProb ? layoutXY(probCaps, pSpec) : null;
  if (!topFrame) return tooSmall(caps, options.title);
  const labelW = Math.max(topFrame.left, probFrame?.left ?? 0) - 1;
  topFrame = layoutXY(wantProb ? topCaps : caps, { ...tSpec, minLabelWidth: labelW })!;
  if (wantProb) probFrame = layoutXY(probCaps, { ...pSpec, minLabelWidth: labelW });

  const drawPanel = (frame: XYFrame, draw: (canvas: DotCanvas) => void, looks: GroupLook[], labelPicks: boolean): string => {
    const canvas = new DotCanvas(frame.plotW, frame.plotH, u ? 'braille' : 'cells', looks.length + picks.length);
    draw(canvas);
    canvas.paint(frame.grid, frame.left, frame.top, looks);
    // Picks last, as whole cells, so they stay visible over a dense trace.
    for (const p of picks) {
      const t = x.unit(p.time);
      if (!(t >= 0 && t <= 1)) continue;
      const c = frame.left + Math.round(t * (frame.plotW - 1));
      const style = phaseColor(p.phase, 0);
      for (let r = 0; r < frame.plotH; r++) frame.grid.set(c, frame.top + r, pickGlyph(p), style);
      if (labelPicks) frame.grid.write(c, frame.top, p.phase.slice(0, 1), { ...style, bold: true });
    }
    return frame.grid.toLines(caps).join('\n');
  };
  const traceLook: GroupLook = { style: { fg: seriesColor(1) }, marker: '*' };
  const upper = drawPanel(topFrame, (canvas) => drawEnvelope(canvas, trace.samples, t0, dt, x.min, x.max, y.unit, 0), [traceLook], true);
  if (!probFrame) return upper;
  const looks = probs.map((p, i) => ({ style: phaseColor(p.name, i), marker: p.name.slice(0, 1) || '*' }));
  const lower = drawPanel(
    probFrame,
    (canvas) => probs.forEach((p, i) => drawEnvelope(canvas, p.values, t0, dt, x.min, x.max, (v) => Math.max(0, Math.min(1, v)), i)),
    looks,
    false,
  );
  return `${upper}\n${lower}`;
}
