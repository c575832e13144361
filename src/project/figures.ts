// `eds project` figures: the overview and the comparison drawn as text, the same ones in the terminal, the report and the notebook.
import type { RenderCaps } from '../render/caps.js';
import { renderBarChart } from '../render/bar.js';
import { renderConfusionMatrix } from '../render/confusion.js';
import { renderHeatmap } from '../render/heatmap.js';
import { renderLineChart } from '../render/line.js';
import { renderSummaryTable } from '../render/summary.js';
import { displayWidth, toAsciiCell, truncate, wrapWords } from '../render/text.js';
import { safeLine } from '../util/safe-text.js';
import type { Figure } from '../render/figure.js';
import type { ProjectData } from './data.js';
import type { Overview } from './overview.js';
import { foldsLabel, MODEL_TITLES, type Comparison, type MeanStd } from './compare.js';

/** Size used for figures written into files: wide enough for a notebook cell, no colour escapes. */
export const FILE_CAPS: RenderCaps = { width: 100, height: 24, colors: 0, unicode: true };

/** `0.953 ± 0.021` */
export function pm(s: MeanStd, digits = 3, unicode = true): string {
  return `${s.mean.toFixed(digits)} ${unicode ? '±' : '+/-'} ${s.std.toFixed(digits)}`;
}

/** The overview as text lines: sizes, columns, classes and warnings. */
export function overviewText(data: ProjectData, ov: Overview, unicode = true): string {
  const lines = [
    `${data.source}: ${ov.rowsRead} rows read, ${ov.rows} used; ${ov.features} features; target "${data.target}" with ${data.labels.length} classes`,
    '',
    'columns:',
    ...data.columns.map((c) => `  ${c.name}: ${c.kind}${c.missing ? `, ${c.missing} missing` : ''}${c.why ? ` (${c.why})` : ''}`),
    '',
    'classes:',
    ...data.labels.map((l, c) => `  ${l}: ${ov.classCounts[c]} rows (${((100 * ov.classCounts[c]!) / ov.rows).toFixed(1)}%)`),
    `majority-class baseline accuracy: ${ov.majorityBaseline.toFixed(3)}`,
  ];
  if (ov.warnings.length > 0) lines.push('', 'warnings:', ...ov.warnings.map((w) => `  ${unicode ? '⚠' : '!'} [${w.kind}] ${w.message}`));
  else lines.push('', 'warnings: none');
  return lines.join('\n');
}

/** The comparison table: one row per model, mean ± std over folds (to `digits` decimals: 2 fits it in 80 columns). */
export function comparisonTable(cmp: Comparison, unicode = true, digits = 3): string {
  const head = ['model', 'accuracy', 'balanced acc.', 'macro-F1', 'train acc.', 'fit (s)', 'params'];
  const rows = cmp.results.map((r) => [
    r.model + (r.model === cmp.ranking[0] ? ' *' : ''),
    pm(r.accuracy, digits, unicode),
    pm(r.balancedAccuracy, digits, unicode),
    pm(r.macroF1, digits, unicode),
    r.trainAccuracy.mean.toFixed(digits),
    r.fitSeconds.mean < 0.01 ? r.fitSeconds.mean.toExponential(1) : r.fitSeconds.mean.toFixed(2),
    String(r.parameters),
  ]);
  const widths = head.map((h, j) => Math.max(h.length, ...rows.map((r) => r[j]!.length)));
  const line = (cells: string[]) => cells.map((c, j) => (j === 0 ? c.padEnd(widths[j]!) : c.padStart(widths[j]!))).join('  ');
  return [
    line(head),
    line(widths.map((w) => '-'.repeat(w))),
    ...rows.map(line),
    '',
    `${foldsLabel(cmp)}, seed ${cmp.seed}, the same folds for every model; * best mean balanced accuracy.`,
    `fit (s): mean training time per fold on this machine; params: numbers the fitted model keeps (kNN keeps the training rows).`,
  ].join('\n');
}

/** Every figure of the project, in reading order. */
export function projectFigures(data: ProjectData, ov: Overview, cmp: Comparison | null): Figure[] {
  const figures: Figure[] = [
    { title: 'Overview', render: (caps) => overviewText(data, ov, caps.unicode) },
    {
      title: 'Class balance (rows per class)',
      render: (caps) =>
        renderBarChart(
          data.labels.map((label, c) => ({ label, value: ov.classCounts[c]! })),
          caps,
        ),
    },
    {
      title: 'Feature distributions',
      render: (caps) =>
        renderSummaryTable(
          data.featureNames.map((name, j) => ({ name, values: data.X.map((r) => r[j]!) })),
          { ...caps, height: Math.max(caps.height, data.featureNames.length + 3) },
        ),
    },
  ];
  const d = data.featureNames.length;
  if (d >= 2 && d <= 12) {
    figures.push({ title: 'Correlation between features (Pearson r)', render: (caps) => correlationTable(data.featureNames, ov.correlation, caps.width) });
  } else if (d > 12 && d <= 60) {
    // Too many for numbers: a heatmap, with cells centred on the integer feature indices.
    figures.push({
      title: 'Correlation between features (Pearson r; feature index on both axes)',
      render: (caps) => {
        // The key says which feature each index is: every name, wrapped to the width; the map gets the rest, but
        // never under 12 rows (a page that short scrolls rather than squash 30 features into 4 rows).
        const key = featureKey(data.featureNames, caps.width, caps.unicode);
        const map = renderHeatmap(
          { values: ov.correlation, origin: 'upper' },
          { ...caps, height: Math.max(12, caps.height - key.length) },
          {
            xAxis: { label: 'feature', min: -0.5, max: d - 0.5, integer: true },
            yAxis: { label: 'feature', min: -0.5, max: d - 0.5, integer: true },
            valueLabel: 'r',
            valueRange: [-1, 1],
          },
        );
        return [map, ...key].join('\n');
      },
    });
  }
  if (!cmp) return figures;
  figures.push({ title: 'Model comparison (cross-validated)', render: (caps) => comparisonTable(cmp, caps.unicode) });
  if (cmp.curves.length > 0) {
    figures.push({
      title: `Learning curves: ${cmp.curves.map((c) => c.model).join(' and ')} (accuracy against training rows)`,
      render: (caps) =>
        renderLineChart(
          cmp.curves.flatMap((c) => [
            { name: `${c.model} test`, x: c.trainSizes, y: c.testScore },
            { name: `${c.model} train`, x: c.trainSizes, y: c.trainScore },
          ]),
          caps,
          { xAxis: { label: 'training rows' }, yAxis: { label: 'accuracy' } },
        ),
    });
  }
  for (const name of cmp.ranking.slice(0, 2)) {
    const r = cmp.results.find((x) => x.model === name)!;
    figures.push({
      title: `Confusion matrix of ${MODEL_TITLES[name]} (all test folds pooled)`,
      render: (caps) => renderConfusionMatrix(data.labels, r.confusion, caps),
    });
  }
  figures.push({
    title: `Permutation importance for ${MODEL_TITLES[cmp.importance.model]} (drop of balanced accuracy when a feature is shuffled)`,
    render: (caps) =>
      renderBarChart(
        data.featureNames.map((label, j) => ({ label, value: cmp.importance.mean[j]! })),
        caps,
        { sort: true },
      ),
  });
  if (cmp.forestImportance) {
    const imp = cmp.forestImportance;
    figures.push({
      title: 'Random forest impurity importance (share of the Gini decrease)',
      render: (caps) =>
        renderBarChart(
          data.featureNames.map((label, j) => ({ label, value: imp[j]! })),
          caps,
          { sort: true },
        ),
    });
  }
  return figures;
}

/**
 * "index: name" for every feature, packed into lines of at most `width` columns, an entry never split across
 * lines; a name too long for a line of its own is shortened (with "…", or "~" in ASCII), never left out.
 */
export function featureKey(names: readonly string[], width: number, unicode = true): string[] {
  const lines: string[] = [];
  let line = '';
  names.forEach((raw, j) => {
    let entry = `${j}: ${safeLine(raw).replace(/\s+/g, ' ')}`;
    if (!unicode) entry = toAsciiCell(entry);
    if (displayWidth(entry) > width) entry = truncate(entry, width, unicode ? '…' : '~');
    if (line && displayWidth(line) + 2 + displayWidth(entry) <= width) line += `  ${entry}`;
    else {
      if (line) lines.push(line);
      line = entry;
    }
  });
  if (line) lines.push(line);
  return lines;
}

/**
 * Correlations as numbers: feature j's row, columns by index, names on the left; where that is wider than
 * `width`, rows by index too and the names listed under the table (12 features fit 80 columns).
 */
export function correlationTable(names: readonly string[], r: readonly (readonly number[])[], width = Infinity): string {
  const cells = (a: number) => r[a]!.map((v) => (Number.isFinite(v) ? v.toFixed(2) : '-').padStart(6)).join('');
  const w = Math.min(24, Math.max(...names.map((n) => n.length)));
  const label = (n: string, j: number) => `${j}: ${n.length > w ? n.slice(0, w - 1) + '~' : n}`.padEnd(w + 4);
  const head = (left: number) => ' '.repeat(left) + names.map((_, j) => String(j).padStart(6)).join('');
  if (w + 4 + 6 * names.length <= width) return [head(w + 4), ...names.map((n, a) => label(n, a) + cells(a))].join('\n');
  const index = String(names.length - 1).length + 1;
  const key = wrapWords(names.map((n, j) => `${j}: ${n}`).join('  '), Math.max(20, Math.min(width, 100)));
  return [head(index), ...names.map((_, a) => String(a).padEnd(index) + cells(a)), '', ...key].join('\n');
}
