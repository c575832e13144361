// Histograms of one variable: vertical bars with eighth-block tops (or '#'), on linear or log bins.
import type { RenderCaps } from './caps.js';
import { domainOf, layoutXY, makeScale, renderMessage, tooSmall, type AxisOptions } from './axes.js';
import { formatNumber } from './format.js';
import { summarize } from '../util/stats.js';
import { seriesColor } from './theme.js';

/** Labels and binning of a histogram. */
export interface HistogramOptions {
  /** Title on the first line. */
  title?: string;
  /** The variable's axis (label, unit; `log: true` for log-spaced bins of a heavy-tailed variable). */
  axis?: AxisOptions;
  /** Number of bins; default from the Freedman–Diaconis rule, limited by the width. */
  bins?: number;
}

const EIGHTHS = [' ', '▁', '▂', '▃', '▄', '▅', '▆', '▇', '█'];

/** Bin counts of the finite (and, for log bins, positive) values between `min` and `max`. */
export function binCounts(values: ArrayLike<number>, bins: number, min: number, max: number, log = false): Uint32Array {
  const counts = new Uint32Array(bins);
  const lo = log ? Math.log10(min) : min;
  const span = (log ? Math.log10(max) : max) - lo || 1;
  for (let i = 0; i < values.length; i++) {
    const raw = values[i]!;
    if (!Number.isFinite(raw) || (log && raw <= 0)) continue;
    const v = log ? Math.log10(raw) : raw;
    const b = Math.min(bins - 1, Math.max(0, Math.floor(((v - lo) / span) * bins)));
    counts[b]! += 1;
  }
  return counts;
}

/** Draws the distribution of `values` within `caps`. */
export function renderHistogram(values: ArrayLike<number>, caps: RenderCaps, options: HistogramOptions = {}): string {
  const log = Boolean(options.axis?.log);
  const domain = domainOf([values], log);
  if (domain.count === 0) return renderMessage(caps, options.title, 'no data: every value is missing or not finite');
  const u = caps.unicode;
  const notes: string[] = [];
  const stats = summarize(values);
  if (domain.min === domain.max) notes.push(`constant: all ${domain.count} values are ${formatNumber(domain.min, 4)}`);
  if (domain.nonFinite) notes.push(`${domain.nonFinite} missing or infinite values left out`);
  if (domain.nonPositive) notes.push(`${domain.nonPositive} values ${u ? '≤' : '<='} 0 left out (log bins)`);
  const x = makeScale(domain, options.axis);
  // The count axis is laid out first with a guess, then bins are fitted to the plot width it leaves.
  const probeY = makeScale({ min: 0, max: domain.count, count: 2, nonFinite: 0, nonPositive: 0 });
  const probe = layoutXY(caps, { title: options.title, x, y: probeY, xAxis: options.axis, yAxis: { label: 'count' }, notes });
  if (!probe) return tooSmall(caps, options.title);
  // Freedman–Diaconis on the axis' own scale (log10 values for log bins), Sturges when the IQR is 0.
  const binStats = log ? summarize(Array.from(values, (v) => (v > 0 ? Math.log10(v) : NaN))) : stats;
  const iqr = binStats.q3 - binStats.q1;
  const fdWidth = 2 * iqr * Math.cbrt(1 / Math.max(1, domain.count));
  const span = log ? Math.log10(x.max) - Math.log10(x.min) : x.max - x.min;
  const fdBins = fdWidth > 0 ? Math.ceil(span / fdWidth) : Math.ceil(Math.log2(domain.count) + 1);
  const bins = Math.max(1, Math.min(probe.plotW, Math.floor(options.bins ?? Math.min(fdBins, 60))));
  const counts = binCounts(values, bins, x.min, x.max, log);
  let maxCount = 0;
  for (const c of counts) maxCount = Math.max(maxCount, c);
  const y = makeScale({ min: 0, max: maxCount, count: 2, nonFinite: 0, nonPositive: 0 });
  const frame = layoutXY(caps, { title: options.title, x, y, xAxis: options.axis, yAxis: { label: 'count' }, notes });
  if (!frame) return tooSmall(caps, options.title);
  const { grid, left, top, plotW, plotH } = frame;
  const style = { fg: seriesColor(0) };
  const colsPerBin = plotW / bins;
  for (let c = 0; c < plotW; c++) {
    const b = Math.min(bins - 1, Math.floor(c / colsPerBin));
    // A blank column between wide bars keeps neighbouring bins apart.
    if (colsPerBin >= 3 && Math.floor((c + 1) / colsPerBin) !== b && c + 1 < plotW) continue;
    const count = counts[b]!;
    if (count === 0) continue;
    const eighths = Math.max(1, Math.round((count / (y.max || 1)) * plotH * 8));
    for (let r = 0; r < plotH; r++) {
      const fill = Math.min(8, eighths - r * 8);
      if (fill <= 0) break;
      const ch = u ? EIGHTHS[fill]! : fill >= 4 || r === 0 ? '#' : ' ';
      if (ch !== ' ') grid.set(left + c, top + plotH - 1 - r, ch, style);
    }
  }
  return grid.toLines(caps).join('\n');
}
