// Lidar point clouds seen from above (plan) or from the side (profile), binned into cells with typed arrays.
import type { RenderCaps } from './caps.js';
import { drawLegendRow, layoutXY, makeScale, renderMessage, tooSmall, type LegendItem } from './axes.js';
import type { Style } from './color.js';
import { formatNumber } from './format.js';
import { CellGrid } from './grid.js';
import { completeLegendRows } from './legend.js';
import { displayWidth, truncate, wrapWords } from './text.js';
import { classColor, classMarker, shadeRamp, theme } from './theme.js';

/** Points in metres, as parallel arrays (typed arrays are fastest). */
export interface PointCloud {
  /** Easting (m). */
  x: ArrayLike<number>;
  /** Northing (m). */
  y: ArrayLike<number>;
  /** Elevation (m). */
  z: ArrayLike<number>;
  /** Class or cluster index per point (0, 1, 2…; negative = unlabelled, e.g. DBSCAN noise). */
  labels?: ArrayLike<number>;
}

/** What to draw and how to colour it. */
export interface PointCloudOptions {
  /** 'top': x–y plan seen from above; 'side': x–z profile seen from the south. */
  view: 'top' | 'side';
  /** 'label': class or cluster of the visible point, by colour and marker; 'height': elevation on a colour ramp. */
  colorBy: 'label' | 'height';
  /** Names of labels 0, 1, … for the legend ("floor", "vegetation"); default "class 0"… */
  labelNames?: readonly string[];
  /** Title on the first line. */
  title?: string;
}

/**
 * Bins points into `cols` × `rows` cells, keeping per cell the point a viewer would see: the highest from above,
 * the nearest (smallest y) from the side. Returns per cell the point count, the kept point's elevation and its label.
 */
export function binPoints(
  cloud: PointCloud,
  view: 'top' | 'side',
  cols: number,
  rows: number,
  bounds: { hMin: number; hMax: number; vMin: number; vMax: number },
): { count: Uint32Array; z: Float64Array; label: Int32Array } {
  const cells = cols * rows;
  const count = new Uint32Array(cells);
  const z = new Float64Array(cells).fill(NaN);
  const depth = new Float64Array(cells).fill(Infinity);
  const label = new Int32Array(cells).fill(-1);
  const vArr = view === 'top' ? cloud.y : cloud.z;
  const hSpan = bounds.hMax - bounds.hMin || 1;
  const vSpan = bounds.vMax - bounds.vMin || 1;
  const n = Math.min(cloud.x.length, cloud.y.length, cloud.z.length);
  for (let i = 0; i < n; i++) {
    const h = cloud.x[i]!;
    const v = vArr[i]!;
    const zi = cloud.z[i]!;
    if (!Number.isFinite(h) || !Number.isFinite(v) || !Number.isFinite(zi) || !Number.isFinite(cloud.y[i]!)) continue;
    const c = Math.min(cols - 1, Math.max(0, Math.floor(((h - bounds.hMin) / hSpan) * cols)));
    const r = Math.min(rows - 1, Math.max(0, Math.floor(((bounds.vMax - v) / vSpan) * rows)));
    const cell = r * cols + c;
    count[cell]! += 1;
    // Smaller key = closer to the viewer.
    const key = view === 'top' ? -zi : cloud.y[i]!;
    if (key < depth[cell]!) {
      depth[cell] = key;
      z[cell] = zi;
      label[cell] = cloud.labels ? Math.trunc(cloud.labels[i]!) : 0;
    }
  }
  return { count, z, label };
}

function range(values: ArrayLike<number>, n: number): [number, number] {
  let lo = Infinity;
  let hi = -Infinity;
  for (let i = 0; i < n; i++) {
    const v = values[i]!;
    if (Number.isFinite(v)) {
      if (v < lo) lo = v;
      if (v > hi) hi = v;
    }
  }
  return [lo, hi];
}

/** How one label is drawn: a marker (cells) or a colour (half blocks). */
interface Look {
  marker: string;
  style: Style;
}

/** One plan view in a row of them that share one scale (the prediction, its errors, the truth). */
export interface PlanPanel {
  /** The points. */
  cloud: PointCloud;
  /** Name written over the panel ("predicted"). */
  title?: string;
  /** 'label': the class or cluster in each cell; 'height': elevation; 'density': points per m² on a log ramp. */
  colorBy: 'label' | 'height' | 'density';
  /** Names of labels 0, 1, …; default "class 0"… */
  labelNames?: readonly string[];
  /** Labels drawn as a muted background that any other label covers (the right points of an error map); negative labels (noise) always are. */
  background?: readonly number[];
  /** Labels drawn in the alert colour that win a cell where they are at least a quarter of its points, whatever lies above them (the wrong points of an error map). */
  foreground?: readonly number[];
}

/** Options of {@link renderPlanViews}. */
export interface PlanViewOptions {
  /** Title on the first line. */
  title?: string;
  /** Columns between panels (default 2). */
  gap?: number;
}

/** Per pixel: the label a viewer from above should see (foreground where it holds a quarter of the points, else the highest point, background last), the top elevation and the count. */
function binPlan(
  panel: PlanPanel,
  cols: number,
  rows: number,
  b: { hMin: number; hMax: number; vMin: number; vMax: number },
): { count: Uint32Array; z: Float64Array; label: Int32Array } {
  const { cloud } = panel;
  const cells = cols * rows;
  const count = new Uint32Array(cells);
  const z = new Float64Array(cells).fill(NaN);
  const label = new Int32Array(cells).fill(-1);
  const tier = new Int8Array(cells).fill(-1);
  const fgCount = new Uint32Array(cells);
  const fgLabel = new Int32Array(cells);
  const hSpan = b.hMax - b.hMin || 1;
  const vSpan = b.vMax - b.vMin || 1;
  const fg = new Set(panel.foreground ?? []);
  const bg = new Set(panel.background ?? []);
  const n = Math.min(cloud.x.length, cloud.y.length, cloud.z.length);
  for (let i = 0; i < n; i++) {
    const h = cloud.x[i]!;
    const v = cloud.y[i]!;
    const zi = cloud.z[i]!;
    if (!Number.isFinite(h) || !Number.isFinite(v) || !Number.isFinite(zi)) continue;
    const c = Math.floor(((h - b.hMin) / hSpan) * cols);
    const r = Math.floor(((b.vMax - v) / vSpan) * rows);
    if (c < 0 || r < 0 || c >= cols || r >= rows) continue;
    const cell = r * cols + c;
    count[cell]! += 1;
    const l = cloud.labels ? Math.trunc(cloud.labels[i]!) : 0;
    if (fg.has(l)) {
      fgCount[cell]! += 1;
      fgLabel[cell] = l;
      continue;
    }
    const t = l < 0 || bg.has(l) ? 0 : 1;
    if (t > tier[cell]! || (t === tier[cell]! && zi > z[cell]!)) {
      tier[cell] = t;
      z[cell] = zi;
      label[cell] = l;
    }
  }
  for (let cell = 0; cell < cells; cell++) if (fgCount[cell]! > 0 && 4 * fgCount[cell]! >= count[cell]!) label[cell] = fgLabel[cell]!;
  return { count, z, label };
}

/** Counts per label (labels are small integers in practice: a typed array for those, a map for the rest). */
function countLabels(labels: ArrayLike<number>, n: number): Map<number, number> {
  const counts = new Map<number, number>();
  const small = new Uint32Array(1025);
  for (let i = 0; i < n; i++) {
    const l = Math.trunc(labels[i]!);
    if (l >= -1 && l < 1024) small[l + 1]! += 1;
    else counts.set(l, (counts.get(l) ?? 0) + 1);
  }
  small.forEach((c, k) => {
    if (c > 0) counts.set(k - 1, c);
  });
  return new Map([...counts].sort((a, b) => a[0] - b[0]));
}

function finiteCount(cloud: PointCloud): number {
  return Math.min(cloud.x.length, cloud.y.length, cloud.z.length);
}

/**
 * Plan views (x–y seen from above) of one or more clouds over the same ground, with one scale: side by side
 * when they fit, each as large as the space allows with metres square on screen; stacked (each at full size)
 * when side by side would make them much smaller. With colour and Unicode each cell holds two pixels (half
 * blocks), one above the other, so a pixel is about a square; otherwise one marker per cell.
 */
export function renderPlanViews(panels: readonly PlanPanel[], caps: RenderCaps, options: PlanViewOptions = {}): string {
  const u = caps.unicode;
  const blocks = u && caps.colors !== 0;
  const W = Math.floor(caps.width);
  const H = Math.floor(caps.height);
  // The ground all panels share.
  let xMin = Infinity,
    xMax = -Infinity,
    yMin = Infinity,
    yMax = -Infinity,
    zMin = Infinity,
    zMax = -Infinity;
  for (const p of panels) {
    const n = finiteCount(p.cloud);
    const [a, b] = range(p.cloud.x, n);
    const [c, d] = range(p.cloud.y, n);
    const [e, f] = range(p.cloud.z, n);
    if (!(a <= b && c <= d && e <= f)) continue;
    xMin = Math.min(xMin, a);
    xMax = Math.max(xMax, b);
    yMin = Math.min(yMin, c);
    yMax = Math.max(yMax, d);
    zMin = Math.min(zMin, e);
    zMax = Math.max(zMax, f);
  }
  if (!(xMin <= xMax && yMin <= yMax)) return renderMessage(caps, options.title, 'no data: no point has finite coordinates');
  const muted: Style = { fg: theme.muted };
  const dot = u ? '·' : '.';
  const ramp = shadeRamp(u);

  const lookOf = (p: PlanPanel, l: number): Look => {
    if (l < 0 || p.background?.includes(l)) return { marker: dot, style: muted };
    if (p.foreground?.includes(l)) return { marker: u ? '✖' : 'X', style: { fg: theme.alert } };
    return { marker: classMarker(l, u), style: { fg: classColor(l) } };
  };
  const nameOf = (p: PlanPanel, l: number): string => (l < 0 ? 'noise' : (p.labelNames?.[l] ?? (p.cloud.labels ? `class ${l}` : 'points')));

  // Legend: every label present in any panel, once; its count when only one panel has it.
  const items: Array<{ key: string; item: LegendItem; counts: number[] }> = [];
  const add = (key: string, item: LegendItem, count: number): void => {
    const had = items.find((e) => e.key === key);
    if (had) had.counts.push(count);
    else items.push({ key, item, counts: [count] });
  };
  const sampleOf = (look: Look): string => (blocks && look.marker !== dot ? '█' : look.marker);
  let densityRange: [number, number] | null = null;
  for (const p of panels) {
    const n = finiteCount(p.cloud);
    if (p.colorBy === 'label') {
      const counts = p.cloud.labels ? countLabels(p.cloud.labels, n) : new Map([[0, n]]);
      for (const [l, c] of counts) {
        const look = lookOf(p, l);
        const name = nameOf(p, l);
        add(`${name}|${look.marker}|${JSON.stringify(look.style)}`, { label: name, sample: sampleOf(look), style: look.style }, c);
      }
    }
  }
  const swatch = (lo: number, hi: number, at: (t: number) => { text: string; style?: Style }): Array<{ text: string; style?: Style }> => [
    { text: `${formatNumber(lo, 3)} ` },
    ...Array.from({ length: 8 }, (_, k) => at(k / 7)),
    { text: ` ${formatNumber(hi, 3)}` },
  ];
  const shade = (t: number): { text: string; style?: Style } =>
    caps.colors !== 0 ? { text: u ? '█' : '#', style: { fg: theme.heat(t) } } : { text: ramp[Math.max(1, Math.round(t * (ramp.length - 1)))]! };
  const legend: LegendItem[] = items.map(({ item, counts }) =>
    counts.length === 1 ? { ...item, label: `${item.label} (${formatNumber(counts[0]!, 3)})` } : item,
  );
  if (panels.some((p) => p.colorBy === 'height')) legend.push({ label: 'elevation (m)', sample: '', swatch: swatch(zMin, zMax, shade) });

  const legendW = W;
  const densityRows = panels.some((p) => p.colorBy === 'density') ? 1 : 0;
  const titleRows = options.title ? 1 : 0;
  const gap = Math.max(1, options.gap ?? 2);
  const nPanels = panels.length;
  const hSpan = xMax - xMin;
  const vSpan = yMax - yMin;

  // Sizes: try the panels side by side; each panel's title may wrap over its width.
  const fit = (legendRowsCount: number, panelTitleRows: number, namesOwnRow: boolean, labelW: number, n: number, H: number) => {
    const plotRows = H - titleRows - legendRowsCount - densityRows - panelTitleRows - 2 - (namesOwnRow ? 1 : 0);
    const avail = W - (labelW + 1) - (n - 1) * (gap + 1);
    const each = Math.floor(avail / n);
    if (plotRows < 2 || each < 4) return null;
    // Metres per column; a row is two columns tall.
    const m = Math.max(hSpan / each, vSpan / (2 * plotRows), 1e-9);
    const plotW = Math.max(4, Math.min(each, Math.ceil(hSpan / m - 1e-6)));
    const plotH = Math.max(2, Math.min(plotRows, Math.ceil(vSpan / (2 * m) - 1e-6)));
    return { m, plotW, plotH };
  };
  const yTickLabels = (vMin: number, vMax: number, rows: number): { values: number[]; labels: string[] } =>
    makeScale({ min: vMin, max: vMax, count: 2, nonFinite: 0, nonPositive: 0 }).ticks(Math.max(2, Math.floor(rows / 3)));

  const layout = (n: number, H: number) => {
    const legendLines = completeLegendRows(legend, legendW);
    let labelW = Math.max(1, ...yTickLabels(yMin, yMax, 10).labels.map(displayWidth));
    let namesOwnRow = false;
    for (let pass = 0; pass < 4; pass++) {
      const guess = fit(legendLines.length, 1, namesOwnRow, labelW, n, H);
      if (!guess) return null;
      const titleLines = panels.slice(0, n).map((p) => (p.title ? wrapWords(p.title, guess.plotW + gap) : []));
      const titleRowsNeeded = Math.max(0, ...titleLines.map((t) => t.length));
      const size = fit(legendLines.length, titleRowsNeeded, namesOwnRow, labelW, n, H);
      if (!size) return null;
      const cx = (xMin + xMax) / 2;
      const cy = (yMin + yMax) / 2;
      const b = { hMin: cx - (size.plotW * size.m) / 2, hMax: cx + (size.plotW * size.m) / 2, vMin: cy - size.plotH * size.m, vMax: cy + size.plotH * size.m };
      const ticks = yTickLabels(b.vMin, b.vMax, size.plotH);
      const wantLabelW = Math.max(1, ...ticks.labels.map(displayWidth));
      const usedW = wantLabelW + 1 + n * size.plotW + (n - 1) * (gap + 1);
      const names = axisNames(u);
      const namesFit = W - usedW >= displayWidth(names) + 2;
      if (wantLabelW <= labelW && (namesOwnRow || namesFit))
        return {
          ...size,
          b,
          labelW,
          legendLines,
          titleLines: panels.slice(0, n).map((p) => (p.title ? wrapWords(p.title, size.plotW + gap) : [])),
          titleRowsNeeded,
          namesOwnRow,
          ticks,
          usedW,
        };
      // Only ever grow the labels and give the axis names a row: the loop settles in a pass or two.
      labelW = Math.max(labelW, wantLabelW);
      namesOwnRow ||= !namesFit;
    }
    return null;
  };

  const side = layout(nPanels, H);
  if (nPanels > 1) {
    // Stacked, the panels share the height (a blank row between them); chosen when that is clearly finer.
    const each = Math.floor((H - titleRows - (nPanels - 1)) / nPanels);
    const stacked = layout(1, each);
    if (stacked && (!side || stacked.m < 0.8 * side.m)) {
      const parts = panels.map((p, i) =>
        renderPlanViews([p], { ...caps, height: each + (i === 0 ? titleRows : 0) }, { ...options, title: i === 0 ? options.title : undefined }),
      );
      return parts.join('\n\n');
    }
  }
  if (!side) return tooSmall(caps, options.title);
  const { plotW, plotH, m, b, labelW, legendLines, titleLines, titleRowsNeeded, namesOwnRow, ticks } = side;
  const rows = titleRows + legendLines.length + densityRows + titleRowsNeeded + plotH + 2 + (namesOwnRow ? 1 : 0);
  const grid = new CellGrid(W, rows);
  let row = 0;
  if (options.title) grid.write(0, row++, truncate(options.title, W), { bold: true });
  for (const line of legendLines) drawLegendRow(grid, row++, line);
  row += densityRows;
  const x0 = labelW + 1;
  const panelX = (i: number): number => x0 + i * (plotW + gap + 1);
  titleLines.forEach((lines, i) => lines.forEach((line, k) => grid.write(panelX(i) - 1, row + k, line, { bold: true })));
  row += titleRowsNeeded;
  const top = row;
  const axisRow = top + plotH;
  const vScale = makeScale({ min: b.vMin, max: b.vMax, count: 2, nonFinite: 0, nonPositive: 0 });
  const hScale = makeScale({ min: b.hMin, max: b.hMax, count: 2, nonFinite: 0, nonPositive: 0 });
  const tickRows: number[] = [];
  let lastRow = -1;
  ticks.values.forEach((v, i) => {
    const t = vScale.unit(v);
    if (!(t >= -1e-9 && t <= 1 + 1e-9)) return;
    const r = top + Math.round((1 - t) * (plotH - 1));
    if (r === lastRow) return;
    lastRow = r;
    tickRows.push(r);
    grid.write(labelW - displayWidth(ticks.labels[i]!), r, ticks.labels[i]!, muted);
  });
  const xTicks = hScale.ticks(Math.max(2, Math.floor(plotW / 8)));
  const sub = blocks ? 2 : 1;
  for (let i = 0; i < nPanels; i++) {
    const p = panels[i]!;
    const left = panelX(i);
    // Axes: the left one carries the y tick labels; all panels share the scale, so the others only mark the ticks.
    for (let r = 0; r < plotH; r++) grid.set(left - 1, top + r, u ? '│' : '|', muted);
    for (const r of tickRows) grid.set(left - 1, r, u ? '┤' : '+', muted);
    grid.set(left - 1, axisRow, u ? '└' : '+', muted);
    for (let c = 0; c < plotW; c++) grid.set(left + c, axisRow, u ? '─' : '-', muted);
    let nextFree = left - 1;
    const limit = i < nPanels - 1 ? panelX(i + 1) - 1 : W;
    xTicks.values.forEach((v, k) => {
      const t = hScale.unit(v);
      if (!(t >= -1e-9 && t <= 1 + 1e-9)) return;
      const c = left + Math.round(t * (plotW - 1));
      const label = xTicks.labels[k]!;
      const w = displayWidth(label);
      const start = Math.max(left - 1, c - Math.floor(w / 2));
      if (start < nextFree || start + w > limit) return;
      grid.set(c, axisRow, u ? '┬' : '+', muted);
      grid.write(start, axisRow + 1, label, muted);
      nextFree = start + w + 2;
    });

    // The map itself.
    const bins = binPlan(p, plotW, plotH * sub, b);
    const look = (cell: number): Style | null => {
      if (bins.count[cell] === 0) return null;
      if (p.colorBy === 'label') return lookOf(p, bins.label[cell]!).style;
      if (p.colorBy === 'height') return { fg: theme.heat((bins.z[cell]! - zMin) / (zMax - zMin || 1)) };
      return { fg: theme.heat(densityT(bins.count[cell]!)) };
    };
    // Density on a log ramp between the emptiest and the fullest non-empty pixel of this panel.
    let dLo = Infinity,
      dHi = 0;
    for (const c of bins.count)
      if (c > 0) {
        dLo = Math.min(dLo, c);
        dHi = Math.max(dHi, c);
      }
    const densityT = (c: number): number => (dHi > dLo ? Math.log(c / dLo) / Math.log(dHi / dLo) : 1);
    if (p.colorBy === 'density' && dHi > 0) {
      const area = m * m * (blocks ? 1 : 2);
      densityRange = [dLo / area, dHi / area];
    }
    for (let r = 0; r < plotH; r++) {
      for (let c = 0; c < plotW; c++) {
        if (blocks) {
          const a = look(2 * r * plotW + c);
          const d = look((2 * r + 1) * plotW + c);
          if (!a && !d) continue;
          if (a && d) grid.set(left + c, top + r, JSON.stringify(a) === JSON.stringify(d) ? '█' : '▀', { fg: a.fg, bg: d.fg });
          else if (a) grid.set(left + c, top + r, '▀', a);
          else grid.set(left + c, top + r, '▄', d!);
          continue;
        }
        const cell = r * plotW + c;
        if (bins.count[cell] === 0) continue;
        if (p.colorBy === 'label') {
          const lk = lookOf(p, bins.label[cell]!);
          grid.set(left + c, top + r, lk.marker, lk.style);
        } else {
          const t = p.colorBy === 'height' ? (bins.z[cell]! - zMin) / (zMax - zMin || 1) : densityT(bins.count[cell]!);
          if (caps.colors !== 0) grid.set(left + c, top + r, u ? '█' : '#', { fg: theme.heat(t) });
          else grid.set(left + c, top + r, ramp[Math.max(1, Math.round(t * (ramp.length - 1)))]!);
        }
      }
    }
  }
  const names = axisNames(u);
  grid.write(W - displayWidth(names), namesOwnRow ? axisRow + 2 : axisRow + 1, names, muted);
  if (densityRange) {
    // The density legend needs the pixel size, known only now: it has a row of its own under the others.
    const [lo, hi] = densityRange as [number, number];
    drawLegendRow(grid, titleRows + legendLines.length, [{ label: 'points per m² (log)', sample: '', swatch: swatch(lo, hi, shade) }]);
  }
  const lines = grid.toLines(caps);
  return lines.join('\n');
}

function axisNames(unicode: boolean): string {
  return unicode ? 'x → y ↑ (m)' : 'x > y ^ (m)';
}

/** Draws a top or side view within `caps`: the plan with metres square on screen, the profile stretched to fill. */
export function renderPointCloud(cloud: PointCloud, caps: RenderCaps, options: PointCloudOptions): string {
  if (options.view === 'top') return renderPlanViews([{ cloud, colorBy: options.colorBy, labelNames: options.labelNames }], caps, { title: options.title });
  const n = finiteCount(cloud);
  const [xMin, xMax] = range(cloud.x, n);
  const [yMin, yMax] = range(cloud.y, n);
  const [zMin, zMax] = range(cloud.z, n);
  if (!(xMin <= xMax && yMin <= yMax && zMin <= zMax)) return renderMessage(caps, options.title, 'no data: no point has finite coordinates');
  const u = caps.unicode;
  const notes: string[] = [];
  if (n === 1) notes.push('a single point');
  else if (xMin === xMax && zMin === zMax) notes.push(`all ${n} points at the same place`);
  const looks = (l: number): { marker: string; style?: Style } =>
    l < 0 ? { marker: u ? '·' : '.', style: { fg: theme.muted } } : { marker: classMarker(l, u), style: { fg: classColor(l) } };
  const ramp = shadeRamp(u);
  let legend: LegendItem[];
  if (options.colorBy === 'label') {
    const counts = cloud.labels ? countLabels(cloud.labels, n) : new Map([[0, n]]);
    legend = [...counts].map(([l, c]) => ({
      label: `${l < 0 ? 'noise' : (options.labelNames?.[l] ?? (cloud.labels ? `class ${l}` : 'points'))} (${formatNumber(c, 3)})`,
      sample: looks(l).marker,
      style: looks(l).style,
    }));
  } else {
    const swatch: Array<{ text: string; style?: Style }> = [{ text: `${formatNumber(zMin, 3)} ` }];
    for (let k = 0; k < 8; k++) {
      const t = k / 7;
      swatch.push(caps.colors !== 0 ? { text: u ? '█' : '#', style: { fg: theme.heat(t) } } : { text: ramp[Math.max(1, Math.round(t * (ramp.length - 1)))]! });
    }
    swatch.push({ text: ` ${formatNumber(zMax, 3)}` });
    legend = [{ label: 'elevation (m)', sample: '', swatch }];
  }
  // The legend is drawn here, whole, over as many rows as it needs; the frame below gets the rest.
  const legendLines = completeLegendRows(legend, caps.width);
  const head = (options.title ? 1 : 0) + legendLines.length;
  const frame = layoutXY(
    { ...caps, height: caps.height - head },
    {
      x: makeScale({ min: xMin, max: xMax, count: n, nonFinite: 0, nonPositive: 0 }),
      y: makeScale({ min: zMin, max: zMax, count: n, nonFinite: 0, nonPositive: 0 }),
      xAxis: { label: 'x', unit: 'm' },
      yAxis: { label: 'z', unit: 'm' },
      notes,
    },
  );
  if (!frame) return tooSmall(caps, options.title);
  const { grid, left, top, plotW, plotH } = frame;
  const bins = binPoints(cloud, 'side', plotW, plotH, { hMin: xMin, hMax: xMax === xMin ? xMin + 1 : xMax, vMin: zMin, vMax: zMax === zMin ? zMin + 1 : zMax });
  const zSpan = zMax - zMin || 1;
  for (let r = 0; r < plotH; r++) {
    for (let c = 0; c < plotW; c++) {
      const cell = r * plotW + c;
      if (bins.count[cell] === 0) continue;
      if (options.colorBy === 'label') {
        const look = looks(bins.label[cell]!);
        grid.set(left + c, top + r, look.marker, look.style);
      } else {
        const t = (bins.z[cell]! - zMin) / zSpan;
        if (caps.colors !== 0) grid.set(left + c, top + r, u ? '█' : '#', { fg: theme.heat(t) });
        else grid.set(left + c, top + r, ramp[Math.max(1, Math.round(t * (ramp.length - 1)))]!);
      }
    }
  }
  const headGrid = new CellGrid(caps.width, head);
  if (options.title) headGrid.write(0, 0, truncate(options.title, caps.width), { bold: true });
  legendLines.forEach((line, i) => drawLegendRow(headGrid, (options.title ? 1 : 0) + i, line));
  const lines = [...(head > 0 ? headGrid.toLines(caps) : []), ...grid.toLines(caps)];
  return lines.slice(0, Math.max(1, caps.height)).join('\n');
}
