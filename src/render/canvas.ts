// The dot canvas behind scatter plots, waveforms and triangles: Braille (2×4 dots per cell) or one marker per cell.
import type { Style } from './color.js';
import type { CellGrid } from './grid.js';

/** How one group (class, series, fitted curve) looks on the canvas. */
export interface GroupLook {
  /** Colour of the cells this group wins. */
  style?: Style;
  /** Glyph for the cell in marker mode (ASCII or colourless plots). */
  marker: string;
  /** Overlay groups (a fitted curve, a pick line) win any cell they touch, whatever the counts. */
  overlay?: boolean;
}

/** Braille offers 8 dots per cell (sharp lines, dense clouds); 'cells' puts one marker per cell (ASCII, no colour). */
export type CanvasMode = 'braille' | 'cells';

// Bit of each dot in a Braille cell, indexed [dy][dx] (Unicode's dot numbering 1-8).
const BRAILLE_BITS = [
  [0x01, 0x08],
  [0x02, 0x10],
  [0x04, 0x20],
  [0x40, 0x80],
];

/** A pixel canvas over `cols` × `rows` cells; pixel (0, 0) is top left. */
export class DotCanvas {
  /** Cells across. */
  readonly cols: number;
  /** Cells down. */
  readonly rows: number;
  /** Pixels across (2 per cell in Braille mode). */
  readonly pxWidth: number;
  /** Pixels down (4 per cell in Braille mode). */
  readonly pxHeight: number;
  /** Drawing mode. */
  readonly mode: CanvasMode;
  private readonly groups: number;
  private readonly bits: Uint8Array;
  private readonly counts: Uint32Array;

  constructor(cols: number, rows: number, mode: CanvasMode, groups: number) {
    this.cols = Math.max(0, Math.floor(cols));
    this.rows = Math.max(0, Math.floor(rows));
    this.mode = mode;
    this.pxWidth = this.cols * (mode === 'braille' ? 2 : 1);
    this.pxHeight = this.rows * (mode === 'braille' ? 4 : 1);
    this.groups = Math.max(1, groups);
    this.bits = new Uint8Array(this.cols * this.rows);
    this.counts = new Uint32Array(this.cols * this.rows * this.groups);
  }

  /** Sets the dot at integer pixel (px, py) for `group`; outside points are ignored. */
  dot(px: number, py: number, group = 0): void {
    const x = Math.round(px);
    const y = Math.round(py);
    if (!(x >= 0 && y >= 0 && x < this.pxWidth && y < this.pxHeight)) return;
    const braille = this.mode === 'braille';
    const cx = braille ? x >> 1 : x;
    const cy = braille ? y >> 2 : y;
    const cell = cy * this.cols + cx;
    this.bits[cell]! |= braille ? BRAILLE_BITS[y & 3]![x & 1]! : 1;
    this.counts[cell * this.groups + Math.min(this.groups - 1, Math.max(0, group))]! += 1;
  }

  /** Draws a straight segment between two pixels (Bresenham). */
  line(x0: number, y0: number, x1: number, y1: number, group = 0): void {
    if (![x0, y0, x1, y1].every(Number.isFinite)) return;
    const clipped = clipSegment(x0, y0, x1, y1, -1, -1, this.pxWidth, this.pxHeight);
    if (!clipped) return;
    [x0, y0, x1, y1] = clipped;
    let x = Math.round(x0);
    let y = Math.round(y0);
    const xe = Math.round(x1);
    const ye = Math.round(y1);
    const dx = Math.abs(xe - x);
    const dy = -Math.abs(ye - y);
    const sx = x < xe ? 1 : -1;
    const sy = y < ye ? 1 : -1;
    let err = dx + dy;
    // Bounded: a segment never needs more steps than its longer side.
    for (let steps = 0; steps <= dx - dy + 1; steps++) {
      this.dot(x, y, group);
      if (x === xe && y === ye) break;
      const e2 = 2 * err;
      if (e2 >= dy) {
        err += dy;
        x += sx;
      }
      if (e2 <= dx) {
        err += dx;
        y += sy;
      }
    }
  }

  /** Whether any dot is set in cell (cx, cy). */
  filled(cx: number, cy: number): boolean {
    return this.bits[cy * this.cols + cx]! !== 0;
  }

  /**
   * Copies the canvas into `grid` at (left, top); each cell takes the colour of its winning group: the most dots,
   * each group's dots counted times its `weights` entry (1 when absent).
   */
  paint(grid: CellGrid, left: number, top: number, looks: readonly GroupLook[], weights?: readonly number[]): void {
    for (let cy = 0; cy < this.rows; cy++) {
      for (let cx = 0; cx < this.cols; cx++) {
        const cell = cy * this.cols + cx;
        const bits = this.bits[cell]!;
        if (bits === 0) continue;
        let best = -1;
        let bestScore = -1;
        for (let g = 0; g < this.groups; g++) {
          const n = this.counts[cell * this.groups + g]!;
          if (n === 0) continue;
          const score = (looks[g]?.overlay ? 1e9 : 0) + n * (weights?.[g] ?? 1);
          if (score > bestScore) {
            bestScore = score;
            best = g;
          }
        }
        const look = looks[best] ?? { marker: '*' };
        const ch = this.mode === 'braille' ? String.fromCharCode(0x2800 + bits) : look.marker;
        grid.set(left + cx, top + cy, ch, look.style);
      }
    }
  }
}

/** Liang–Barsky clipping to [xmin, xmax] × [ymin, ymax], so a far-off vertex costs no time. */
function clipSegment(
  x0: number,
  y0: number,
  x1: number,
  y1: number,
  xmin: number,
  ymin: number,
  xmax: number,
  ymax: number,
): [number, number, number, number] | null {
  const dx = x1 - x0;
  const dy = y1 - y0;
  let t0 = 0;
  let t1 = 1;
  const edges: Array<[number, number]> = [
    [-dx, x0 - xmin],
    [dx, xmax - x0],
    [-dy, y0 - ymin],
    [dy, ymax - y0],
  ];
  for (const [p, q] of edges) {
    if (p === 0) {
      if (q < 0) return null;
      continue;
    }
    const r = q / p;
    if (p < 0) {
      if (r > t1) return null;
      if (r > t0) t0 = r;
    } else {
      if (r < t0) return null;
      if (r < t1) t1 = r;
    }
  }
  return [x0 + t0 * dx, y0 + t0 * dy, x0 + t1 * dx, y0 + t1 * dy];
}
