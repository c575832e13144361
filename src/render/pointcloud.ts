// Lidar point clouds seen from above (plan) or from the side (profile), binned into cells with typed arrays.
import type { RenderCaps } from './caps.js';
import { layoutXY, makeScale, renderMessage, tooSmall, type LegendItem } from './axes.js';
import type { Style } from './color.js';
import { formatNumber } from './format.js';
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

/** Draws a top or side view within `caps`, keeping metres square on screen for the plan view. */
export function renderPointCloud(cloud: PointCloud, caps: RenderCaps, options: PointCloudOptions): string {
  const n = Math.min(cloud.x.length, cloud.y.length, cloud.z.length);
  const [xMin, xMax] = range(cloud.x, n);
  const [yMin, yMax] = range(cloud.y, n);
  const [zMin, zMax] = range(cloud.z, n);
  if (!(xMin <= xMax && yMin <= yMax && zMin <= zMax)) return renderMessage(caps, options.title, 'no data: no point has finite coordinates');
  const u = caps.unicode;
  const top = options.view === 'top';
  const [vMin, vMax] = top ? [yMin, yMax] : [zMin, zMax];
  const notes: string[] = [];
  if (n === 1) notes.push('a single point');
  else if (xMin === xMax && vMin === vMax) notes.push(`all ${n} points at the same place`);

  // Legend: classes present (marker, name, count) or the height ramp.
  const labelCounts = new Map<number, number>();
  if (cloud.labels && options.colorBy === 'label') {
    // Labels are small integers in practice: count them in a typed array, anything else in the map.
    const small = new Uint32Array(1025);
    for (let i = 0; i < n; i++) {
      const l = Math.trunc(cloud.labels[i]!);
      if (l >= -1 && l < 1024) small[l + 1]! += 1;
      else labelCounts.set(l, (labelCounts.get(l) ?? 0) + 1);
    }
    small.forEach((count, k) => {
      if (count > 0) labelCounts.set(k - 1, count);
    });
  }
  const looks = (l: number): { marker: string; style?: Style } =>
    l < 0 ? { marker: u ? '·' : '.', style: { fg: theme.muted } } : { marker: classMarker(l, u), style: { fg: classColor(l) } };
  const ramp = shadeRamp(u);
  let legend: LegendItem[];
  if (options.colorBy === 'label') {
    const present = cloud.labels ? [...labelCounts.keys()].sort((a, b) => a - b) : [0];
    legend = present.map((l) => ({
      label: `${l < 0 ? 'noise' : options.labelNames?.[l] ?? (cloud.labels ? `class ${l}` : 'points')} (${formatNumber(cloud.labels ? labelCounts.get(l)! : n, 3)})`,
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

  const hAxis = { label: 'x', unit: 'm' };
  const vAxis = top ? { label: 'y', unit: 'm' } : { label: 'z', unit: 'm' };
  const hDomain = { min: xMin, max: xMax, count: n, nonFinite: 0, nonPositive: 0 };
  const vDomain = { min: vMin, max: vMax, count: n, nonFinite: 0, nonPositive: 0 };
  let hScale = makeScale(hDomain);
  let vScale = makeScale(vDomain);
  const spec = { title: options.title, legend, x: hScale, y: vScale, xAxis: hAxis, yAxis: vAxis, notes };
  let frame = layoutXY(caps, spec);
  if (!frame) return tooSmall(caps, options.title);
  // Equal metres per unit of screen length: a cell is about twice as tall as wide, so shrink one side of the plan.
  const hSpan = hScale.max - hScale.min;
  const vSpan = vScale.max - vScale.min;
  const metresPerCol = Math.max(hSpan / frame.plotW, vSpan / (2 * frame.plotH));
  const wantW = Math.max(4, Math.min(frame.plotW, Math.ceil(hSpan / metresPerCol)));
  const wantH = Math.max(2, Math.min(frame.plotH, Math.ceil(vSpan / (2 * metresPerCol))));
  // Only the plan keeps metres square: a profile is usually far wider than tall and reads better exaggerated.
  if (top && (wantW < frame.plotW || wantH < frame.plotH)) {
    // Re-centre the shorter side so the data sits in the middle of its square-metre frame.
    hScale = makeScale({ ...hDomain, min: (hScale.min + hScale.max) / 2 - (wantW * metresPerCol) / 2, max: (hScale.min + hScale.max) / 2 + (wantW * metresPerCol) / 2 });
    vScale = makeScale({ ...vDomain, min: (vScale.min + vScale.max) / 2 - wantH * metresPerCol, max: (vScale.min + vScale.max) / 2 + wantH * metresPerCol });
    const narrower = { ...caps, width: Math.min(caps.width, frame.left + wantW) };
    frame = layoutXY(narrower, { ...spec, x: hScale, y: vScale, maxPlotRows: wantH }) ?? frame;
  }
  const { grid, left, top: plotTop, plotW, plotH } = frame;
  const bins = binPoints(cloud, options.view, plotW, plotH, { hMin: hScale.min, hMax: hScale.max, vMin: vScale.min, vMax: vScale.max });
  const zSpan = zMax - zMin || 1;
  for (let r = 0; r < plotH; r++) {
    for (let c = 0; c < plotW; c++) {
      const cell = r * plotW + c;
      if (bins.count[cell] === 0) continue;
      if (options.colorBy === 'label') {
        const look = looks(bins.label[cell]!);
        grid.set(left + c, plotTop + r, look.marker, look.style);
      } else {
        const t = (bins.z[cell]! - zMin) / zSpan;
        if (caps.colors !== 0) grid.set(left + c, plotTop + r, u ? '█' : '#', { fg: theme.heat(t) });
        else grid.set(left + c, plotTop + r, ramp[Math.max(1, Math.round(t * (ramp.length - 1)))]!);
      }
    }
  }
  return grid.toLines(caps).join('\n');
}
