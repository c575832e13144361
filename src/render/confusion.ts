// Confusion matrices: counts and row percentages, per-class precision/recall/F1, diagonal and worst confusions highlighted.
// The scores come from ml/metrics (scikit-learn's zero_division = 0), so the figure prints what `--json` reports.
import { classReport, macroF1OfConfusion } from '../ml/metrics.js';
import type { RenderCaps } from './caps.js';
import { renderMessage } from './axes.js';
import type { Style } from './color.js';
import { formatPercent } from './format.js';
import { CellGrid } from './grid.js';
import { displayWidth, truncate } from './text.js';
import { theme } from './theme.js';

/** Options of the confusion matrix. */
export interface ConfusionOptions {
  /** Title on the first line. */
  title?: string;
  /** How many of the largest off-diagonal cells to highlight (default 3). */
  highlightTop?: number;
}

function score(v: number): string {
  return Number.isFinite(v) ? v.toFixed(2) : '-';
}

/** ".91" for tight tables (sklearn prints 0.91; the leading zero is all that goes). */
function compactScore(v: number): string {
  if (!Number.isFinite(v)) return '-';
  return v >= 0.995 ? '1.0' : v.toFixed(2).replace(/^0/, '');
}

/** Draws the matrix within `caps`, choosing the densest layout that fits: count and % side by side, stacked, or % only. */
export function renderConfusionMatrix(
  labels: readonly string[],
  matrix: ReadonlyArray<ArrayLike<number>>,
  caps: RenderCaps,
  options: ConfusionOptions = {},
): string {
  const n = labels.length;
  if (n === 0 || matrix.length === 0) return renderMessage(caps, options.title, 'no data: no classes');
  if (matrix.length !== n || matrix.some((row) => row.length !== n)) {
    return renderMessage(caps, options.title, `cannot draw: the matrix must be ${n}x${n} for ${n} labels`);
  }
  if (matrix.some((row) => Array.from(row).some((v) => !Number.isFinite(v) || v < 0))) {
    return renderMessage(caps, options.title, 'cannot draw: counts must be finite and not negative');
  }
  const width = Math.floor(caps.width);
  const height = Math.floor(caps.height);
  const u = caps.unicode;
  const counts = matrix.map((r) => Array.from(r));
  const report = classReport(counts);
  const rowSums = report.support;
  const total = rowSums.reduce((a, b) => a + b, 0);
  const pct = (i: number, j: number): string => (rowSums[i]! > 0 ? formatPercent(matrix[i]![j]! / rowSums[i]!) : '-');

  // The largest confusions (off-diagonal), which the footer names and the grid marks.
  const off: Array<{ i: number; j: number; v: number }> = [];
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) if (i !== j && matrix[i]![j]! > 0) off.push({ i, j, v: matrix[i]![j]! });
  off.sort((a, b) => b.v - a.v || a.i - b.i || a.j - b.j);
  const worst = off.slice(0, options.highlightTop ?? 3);
  const isWorst = (i: number, j: number): boolean => worst.some((w) => w.i === i && w.j === j);

  const countW = Math.max(...matrix.map((row) => Math.max(...Array.from(row).map((v) => String(v).length))));
  const labelW = Math.min(Math.max(4, ...labels.map(displayWidth)), n > 6 ? 6 : 10);
  const layouts = [
    { kind: 'side' as const, cellW: Math.max(countW + 5, 6) },
    { kind: 'stacked' as const, cellW: Math.max(countW, 4) },
    { kind: 'percent' as const, cellW: 4 },
  ];
  // Metrics columns: "  prec  rec   F1" (5 each), or ".91"-style (4 each) when tight.
  const metricStyles = [
    { colW: 5, head: ' prec  rec   F1', format: score },
    { colW: 4, head: ' prc rec  F1', format: compactScore },
  ];
  const header = (options.title ? 1 : 0) + 1;
  const footerWanted = 2;
  type Choice = { kind: 'side' | 'stacked' | 'percent'; cellW: number; metrics: (typeof metricStyles)[number] | null };
  let choice: Choice | null = null;
  // Densest first; per-class scores matter more than showing counts beside percentages.
  const candidates: Choice[] = [];
  for (const m of metricStyles) for (const layout of layouts) candidates.push({ ...layout, metrics: m });
  for (const layout of layouts) candidates.push({ ...layout, metrics: null });
  for (const candidate of candidates) {
    const linesPerRow = candidate.kind === 'stacked' ? 2 : 1;
    if (header + n * linesPerRow > height) continue;
    const gridW = labelW + n * (candidate.cellW + 2);
    const metricsW = candidate.metrics ? 2 + 3 * candidate.metrics.colW : 0;
    if (gridW + metricsW <= width) {
      choice = candidate;
      break;
    }
  }
  if (!choice) return renderMessage(caps, options.title, `too small for ${n} classes: ${width}x${height}`);
  const { kind, metrics: metricStyle } = choice;
  const withMetrics = metricStyle !== null;
  // Columns as wide as their class names where the width allows ("vegetation", not "vegetati…" at 120 columns).
  const spare = width - (labelW + n * (choice.cellW + 2) + (withMetrics ? 2 + 3 * metricStyle.colW : 0));
  const cellW = choice.cellW + Math.max(0, Math.min(Math.max(...labels.map(displayWidth)) - (choice.cellW + 1), Math.floor(spare / n)));
  const linesPerRow = kind === 'stacked' ? 2 : 1;
  const footer = Math.max(0, Math.min(footerWanted, height - header - n * linesPerRow));
  const grid = new CellGrid(width, header + n * linesPerRow + footer);
  const muted: Style = { fg: theme.muted };
  const diagonal: Style = { fg: theme.highlight, bold: true };
  const alert: Style = { fg: theme.alert, bold: true };
  let row = 0;
  if (options.title) grid.write(0, row++, truncate(options.title, width), { bold: true });
  const cellX = (j: number): number => labelW + 1 + j * (cellW + 2);
  grid.write(0, row, truncate(u ? 'true↓pred→' : 'true\\pred', labelW), muted);
  labels.forEach((label, j) => {
    const text = truncate(label, cellW + 1, u ? '…' : '~');
    grid.write(cellX(j) + cellW + 1 - displayWidth(text), row, text, { bold: true });
  });
  const metricsX = labelW + n * (cellW + 2) + 2;
  if (withMetrics) {
    grid.set(metricsX - 2, row, u ? '│' : '|', muted);
    grid.write(metricsX, row, metricStyle.head, muted);
  }
  row++;
  for (let i = 0; i < n; i++) {
    const label = truncate(labels[i]!, labelW, u ? '…' : '~');
    grid.write(labelW - displayWidth(label), row, label, { bold: true });
    for (let j = 0; j < n; j++) {
      const style = i === j ? diagonal : isWorst(i, j) ? alert : matrix[i]![j]! === 0 ? muted : undefined;
      const count = String(matrix[i]![j]!);
      const p = pct(i, j);
      const main = kind === 'side' ? `${count.padStart(countW)} ${p.padStart(4)}` : kind === 'stacked' ? count : p;
      const x = cellX(j);
      grid.write(x + cellW - displayWidth(main), row, main, style);
      // '!' marks the largest confusions without relying on colour.
      if (isWorst(i, j)) grid.set(x + cellW, row, '!', alert);
      if (kind === 'stacked') grid.write(x + cellW - displayWidth(p), row + 1, p, i === j ? diagonal : muted);
    }
    if (withMetrics) {
      grid.set(metricsX - 2, row, u ? '│' : '|', muted);
      if (kind === 'stacked') grid.set(metricsX - 2, row + 1, u ? '│' : '|', muted);
      const { colW, format } = metricStyle;
      grid.write(metricsX, row, [report.precision[i]!, report.recall[i]!, report.f1[i]!].map((v) => format(v).padStart(colW)).join(''));
    }
    row += linesPerRow;
  }
  if (footer > 0) {
    const correct = matrix.reduce((s, r, i) => s + r[i]!, 0);
    const macro = macroF1OfConfusion(counts);
    const what = kind === 'side' ? 'count and row %' : kind === 'stacked' ? 'count, row % below' : 'row % (counts in --json)';
    const summary = total > 0 ? `accuracy ${score(correct / total)}  macro F1 ${score(macro)}  n=${total}  cells: ${what}` : 'no samples: every count is 0';
    grid.write(0, row++, truncate(n === 1 ? `${summary}  (one class only)` : summary, width), muted);
  }
  if (footer > 1 && worst.length) {
    const arrow = u ? '→' : '->';
    const names = worst.map((w) => `${labels[w.i]}${arrow}${labels[w.j]} ${w.v}`).join(', ');
    grid.write(0, row++, truncate(`! most confused (true${arrow}predicted): ${names}`, width), alert);
  }
  return grid.toLines(caps).join('\n');
}
