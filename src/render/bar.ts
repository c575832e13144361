// Horizontal bar charts (feature importances, per-class scores): label, bar with eighth-block ends, value.
import type { RenderCaps } from './caps.js';
import { renderMessage } from './axes.js';
import { formatNumber } from './format.js';
import { CellGrid } from './grid.js';
import { displayWidth, truncate } from './text.js';
import { seriesColor, theme } from './theme.js';

/** One bar. */
export interface BarItem {
  /** Name at the left ("spectral centroid"). */
  label: string;
  /** Length of the bar; negative values are drawn as long as their magnitude, in the alert colour. */
  value: number;
}

/** Options of a bar chart. */
export interface BarChartOptions {
  /** Title on the first line. */
  title?: string;
  /** Unit appended to the values ("%", "s"). */
  unit?: string;
  /** Largest first (what a feature-importance plot wants). */
  sort?: boolean;
}

const EIGHTHS = ['', '▏', '▎', '▍', '▌', '▋', '▊', '▉', '█'];

/** Draws one bar per item within `caps`; items that do not fit are counted on the last line. */
export function renderBarChart(items: readonly BarItem[], caps: RenderCaps, options: BarChartOptions = {}): string {
  const finite = items.filter((it) => Number.isFinite(it.value));
  if (finite.length === 0) return renderMessage(caps, options.title, 'no data: no finite value');
  const list = options.sort ? [...finite].sort((a, b) => Math.abs(b.value) - Math.abs(a.value)) : finite;
  const width = Math.floor(caps.width);
  const unit = options.unit ?? '';
  const valueText = (v: number): string => formatNumber(v, 3) + unit;
  const valueW = Math.max(...list.map((it) => displayWidth(valueText(it.value))));
  const labelW = Math.min(Math.max(...list.map((it) => displayWidth(it.label))), Math.max(3, Math.floor(width * 0.4)));
  const barW = width - labelW - valueW - 2;
  const header = options.title ? 1 : 0;
  const skipped = items.length - finite.length;
  const room = Math.floor(caps.height) - header;
  if (room < 1 || barW < 1) return renderMessage(caps, undefined, options.title ?? `${items.length} bars`);
  const needFooter = list.length + (skipped ? 1 : 0) > room;
  const shownCount = Math.min(list.length, needFooter ? room - 1 : room);
  const grid = new CellGrid(width, header + shownCount + (needFooter || skipped ? 1 : 0));
  if (options.title) grid.write(0, 0, truncate(options.title, width), { bold: true });
  const max = Math.max(...list.map((it) => Math.abs(it.value))) || 1;
  for (let i = 0; i < shownCount; i++) {
    const it = list[i]!;
    const r = header + i;
    const label = truncate(it.label, labelW, caps.unicode ? '…' : '~');
    grid.write(labelW - displayWidth(label), r, label);
    const eighths = Math.round((Math.abs(it.value) / max) * barW * 8);
    const style = { fg: it.value < 0 ? theme.alert : seriesColor(0) };
    let bar = caps.unicode ? '█'.repeat(Math.floor(eighths / 8)) + EIGHTHS[eighths % 8] : (it.value < 0 ? '-' : '#').repeat(Math.round(eighths / 8));
    if (bar === '' && it.value !== 0) bar = caps.unicode ? '▏' : '#';
    const end = grid.write(labelW + 1, r, bar, style);
    grid.write(end + 1, r, valueText(it.value), { fg: theme.muted });
  }
  const hidden = list.length - shownCount;
  if (hidden > 0 || skipped > 0) {
    const parts = [hidden > 0 ? `${hidden} more not shown` : '', skipped > 0 ? `${skipped} not finite` : ''].filter(Boolean);
    grid.write(0, grid.height - 1, truncate(`(${parts.join(', ')})`, width), { fg: theme.muted });
  }
  return grid.toLines(caps).join('\n');
}
