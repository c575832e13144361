// Ternary plots: points with three barycentric coordinates (the lidar eigenvalue triangle), coloured and marked by class.
import type { RenderCaps } from './caps.js';
import { drawLegendRow, legendRows, renderMessage, type LegendItem } from './axes.js';
import { DotCanvas, type GroupLook } from './canvas.js';
import { CellGrid } from './grid.js';
import { displayWidth, truncate } from './text.js';
import { classColor, classMarker, theme } from './theme.js';

/** Points of one class, each with three non-negative coordinates (normalised to sum to 1 if they don't). */
export interface TernaryGroup {
  /** Class name in the legend ("vegetation"). */
  name: string;
  /** Weight of the bottom-left corner (for eigenvalues: the 1-D, linear share λ1). */
  a: ArrayLike<number>;
  /** Weight of the bottom-right corner (the 2-D, planar share). */
  b: ArrayLike<number>;
  /** Weight of the top corner (the 3-D, volumetric share). */
  c: ArrayLike<number>;
}

/** Labels of a ternary plot. */
export interface TernaryOptions {
  /** Title on the first line. */
  title?: string;
  /** Names of the corners a, b, c; default "1D", "2D", "3D" (Brodu & Lague's dimensionality triangle). */
  corners?: readonly [string, string, string];
  /** Marker mode as in scatter plots; default Braille when it can tell classes apart. */
  mode?: 'auto' | 'braille' | 'markers';
}

/** Draws the triangle and the points within `caps`, keeping it equilateral on screen. */
export function renderTernary(groups: readonly TernaryGroup[], caps: RenderCaps, options: TernaryOptions = {}): string {
  const u = caps.unicode;
  const corners = options.corners ?? ['1D', '2D', '3D'];
  let valid = 0;
  let invalid = 0;
  const validPerGroup = groups.map((g) => {
    const n = Math.min(g.a.length, g.b.length, g.c.length);
    let ok = 0;
    for (let i = 0; i < n; i++) {
      const [a, b, c] = [g.a[i]!, g.b[i]!, g.c[i]!];
      if ([a, b, c].every(Number.isFinite) && a >= 0 && b >= 0 && c >= 0 && a + b + c > 0) ok++;
      else invalid++;
    }
    valid += ok;
    return ok;
  });
  if (valid === 0) return renderMessage(caps, options.title, 'no data: no point with three finite, non-negative coordinates');
  const width = Math.floor(caps.width);
  const height = Math.floor(caps.height);
  const mode =
    options.mode === 'braille' && u ? 'braille' : options.mode === 'markers' ? 'cells' : u && (groups.length <= 1 || caps.colors !== 0) ? 'braille' : 'cells';
  const looks: GroupLook[] = groups.map((_, i) => ({ style: { fg: classColor(i) }, marker: classMarker(i, u) }));
  const edgeGroup = looks.length;
  looks.push({ style: { fg: theme.muted }, marker: u ? '·' : '.' });
  const legendItems: LegendItem[] = groups.map((g, i) => ({ label: g.name, sample: mode === 'braille' ? '⣿' : looks[i]!.marker, style: looks[i]!.style }));
  const legend = legendRows(legendItems, width, 2);
  const notes = invalid ? [`${invalid} points left out (not finite, negative or all zero)`] : [];
  let header = (options.title ? 1 : 0) + legend.length + 1; // + top corner label
  let footer = 1 + notes.length; // bottom corner labels
  if (height - header - footer < 3) {
    footer = 1;
    header = 1;
  }
  const rows = height - header - footer;
  if (rows < 2 || width < 8) return renderMessage(caps, options.title, `too small: ${width}x${height}`);
  // Screen units: a cell is 1 wide and 2 tall; Braille pixels are then square (½ × ½), cells-mode pixels are 1 × 2.
  const pxW = mode === 'braille' ? 2 : 1;
  const pxH = mode === 'braille' ? 4 : 1;
  const aspect = pxH / 2 / pxW; // pixel rows per pixel column for equal lengths
  const side = Math.min(width * pxW - 1, (rows * pxH - 1) / ((Math.sqrt(3) / 2) * aspect));
  const triW = side;
  const triH = ((side * Math.sqrt(3)) / 2) * aspect;
  const cols = Math.min(width, Math.ceil((triW + 1) / pxW));
  const canvasRows = Math.min(rows, Math.ceil((triH + 1) / pxH));
  const offX = Math.floor((width - cols) / 2);
  const canvas = new DotCanvas(cols, canvasRows, mode, looks.length);
  const A: [number, number] = [0, triH];
  const B: [number, number] = [triW, triH];
  const C: [number, number] = [triW / 2, 0];
  canvas.line(A[0], A[1], B[0], B[1], edgeGroup);
  canvas.line(B[0], B[1], C[0], C[1], edgeGroup);
  canvas.line(C[0], C[1], A[0], A[1], edgeGroup);
  groups.forEach((g, gi) => {
    const n = Math.min(g.a.length, g.b.length, g.c.length);
    for (let i = 0; i < n; i++) {
      const [a, b, c] = [g.a[i]!, g.b[i]!, g.c[i]!];
      if (![a, b, c].every(Number.isFinite) || a < 0 || b < 0 || c < 0) continue;
      const s = a + b + c;
      if (!(s > 0)) continue;
      canvas.dot((a * A[0] + b * B[0] + c * C[0]) / s, (a * A[1] + b * B[1] + c * C[1]) / s, gi);
    }
  });
  const grid = new CellGrid(width, header + canvasRows + footer);
  let row = 0;
  if (options.title && header > 1) grid.write(0, row++, truncate(options.title, width), { bold: true });
  if (header > 1) for (const items of legend) drawLegendRow(grid, row++, items);
  const topLabel = truncate(corners[2], width);
  grid.write(Math.max(0, Math.min(width - displayWidth(topLabel), offX + Math.floor(cols / 2) - Math.floor(displayWidth(topLabel) / 2))), row++, topLabel, {
    bold: true,
  });
  // A cell shows the group with the largest share of its own points there, not the most points: with nine floor
  // points to one of vegetation, counts alone paint every shared cell as floor and hide the minority (the real
  // dune's 0.5 m triangle showed no vegetation at all). The edges count only where no point falls.
  const weights = [...validPerGroup.map((n) => 1 / Math.max(1, n)), 1e-12];
  canvas.paint(grid, offX, row, looks, weights);
  row += canvasRows;
  const leftLabel = truncate(corners[0], Math.floor(width / 2));
  const rightLabel = truncate(corners[1], Math.floor(width / 2));
  grid.write(Math.max(0, offX - Math.floor(displayWidth(leftLabel) / 2)), row, leftLabel, { bold: true });
  grid.write(Math.min(width - displayWidth(rightLabel), offX + cols - Math.ceil(displayWidth(rightLabel) / 2)), row++, rightLabel, { bold: true });
  for (const note of notes) if (row < grid.height) grid.write(0, row++, truncate(note, width), { fg: theme.alert });
  return grid.toLines(caps).join('\n');
}
