// Grayscale images (MNIST digits) in half blocks, two pixels per cell, and strips of misclassified digits.
import type { RenderCaps } from './caps.js';
import { renderMessage } from './axes.js';
import type { Style } from './color.js';
import { CellGrid } from './grid.js';
import { center, truncate } from './text.js';
import { shadeRamp, theme } from './theme.js';

/** A grayscale image, row-major. */
export interface GrayImage {
  /** width × height intensities, row by row from the top: 0 is background; 0–1 or 0–255 (detected). */
  pixels: ArrayLike<number>;
  /** Pixels across (28 for MNIST). */
  width: number;
  /** Pixels down (28 for MNIST). */
  height: number;
}

/** An image with its true and predicted labels. */
export interface LabelledImage {
  /** The image. */
  image: GrayImage;
  /** The true class ("7"). */
  label: string;
  /** What the model said ("1"). */
  predicted: string;
}

/** Options of image rendering. */
export interface ImageOptions {
  /** Title on the first line. */
  title?: string;
}

/** Checks the shape and returns intensities scaled to [0, 1] (NaN → 0), or null when unusable. */
function normalise(image: GrayImage): Float64Array | null {
  const { width, height, pixels } = image;
  if (!(width >= 1 && height >= 1) || pixels.length < width * height) return null;
  let max = 0;
  for (let i = 0; i < width * height; i++) if (Number.isFinite(pixels[i]!)) max = Math.max(max, pixels[i]!);
  const scale = max > 1 ? 255 : 1;
  const out = new Float64Array(width * height);
  for (let i = 0; i < out.length; i++) {
    const v = pixels[i]!;
    out[i] = Number.isFinite(v) ? Math.max(0, Math.min(1, v / scale)) : 0;
  }
  return out;
}

/** Resamples to `w` × `h` by area averaging (down) or nearest pixel (up). */
function resize(src: Float64Array, sw: number, sh: number, w: number, h: number): Float64Array {
  const out = new Float64Array(w * h);
  for (let y = 0; y < h; y++) {
    const y0 = Math.floor((y * sh) / h);
    const y1 = Math.max(y0 + 1, Math.floor(((y + 1) * sh) / h));
    for (let x = 0; x < w; x++) {
      const x0 = Math.floor((x * sw) / w);
      const x1 = Math.max(x0 + 1, Math.floor(((x + 1) * sw) / w));
      let sum = 0;
      for (let yy = y0; yy < y1; yy++) for (let xx = x0; xx < x1; xx++) sum += src[yy * sw + xx]!;
      out[y * w + x] = sum / ((y1 - y0) * (x1 - x0));
    }
  }
  return out;
}

/** The largest size (in cells) at which the image fits in cols × rows, keeping its aspect (two pixel rows per cell). */
function fitSize(width: number, height: number, cols: number, rows: number): { w: number; h: number } {
  // Scale factor in pixels: integer when enlarging (crisp), any when shrinking.
  let k = Math.min(cols / width, (rows * 2) / height);
  if (k >= 1) k = Math.floor(k);
  const w = Math.max(1, Math.floor(width * k));
  const h = Math.max(2, Math.floor((height * k) / 2) * 2);
  return { w: Math.min(w, cols), h: Math.min(h, rows * 2) };
}

/** Draws pixel pairs into the grid at (left, top): half blocks in colour, shapes or a ramp without. */
function drawPixels(grid: CellGrid, left: number, top: number, px: Float64Array, w: number, h: number, caps: RenderCaps): void {
  const u = caps.unicode;
  const ramp = shadeRamp(u);
  for (let r = 0; r < h / 2; r++) {
    for (let c = 0; c < w; c++) {
      const a = px[2 * r * w + c]!;
      const b = 2 * r + 1 < h ? px[(2 * r + 1) * w + c]! : 0;
      if (caps.colors !== 0 && u) {
        grid.set(left + c, top + r, '▀', { fg: theme.grey(a), bg: theme.grey(b) });
      } else if (u) {
        // Without colour, half blocks still give two pixel rows per cell; faint strokes get a light shade.
        const ch = a >= 0.5 && b >= 0.5 ? '█' : a >= 0.5 ? '▀' : b >= 0.5 ? '▄' : (a + b) / 2 >= 0.15 ? '░' : ' ';
        grid.set(left + c, top + r, ch);
      } else {
        const t = (a + b) / 2;
        const style: Style | undefined = caps.colors !== 0 ? { fg: theme.grey(0.4 + 0.6 * t) } : undefined;
        grid.set(left + c, top + r, ramp[Math.round(t * (ramp.length - 1))]!, style);
      }
    }
  }
}

/** Draws one image as large as fits within `caps` (crisp integer enlargement, averaged reduction). */
export function renderImage(image: GrayImage, caps: RenderCaps, options: ImageOptions = {}): string {
  const px = normalise(image);
  if (!px) return renderMessage(caps, options.title, `no data: the image needs ${image.width}x${image.height} pixels`);
  const header = options.title ? 1 : 0;
  const rows = Math.floor(caps.height) - header;
  const cols = Math.floor(caps.width);
  if (rows < 1 || cols < 2) return renderMessage(caps, undefined, options.title ?? 'image');
  const { w, h } = fitSize(image.width, image.height, cols, rows);
  const scaled = resize(px, image.width, image.height, w, h);
  const grid = new CellGrid(Math.min(cols, Math.max(w, options.title ? cols : w)), header + h / 2);
  if (options.title) grid.write(0, 0, truncate(options.title, cols), { bold: true });
  drawPixels(grid, 0, header, scaled, w, h, caps);
  return grid.toLines(caps).join('\n');
}

/**
 * Draws a row of labelled images (misclassified digits), each captioned "7→1" (true→predicted), mistakes in the alert
 * colour; as many as fit, the rest counted.
 */
export function renderImageStrip(items: readonly LabelledImage[], caps: RenderCaps, options: ImageOptions = {}): string {
  if (items.length === 0) return renderMessage(caps, options.title, 'no images');
  const cols = Math.floor(caps.width);
  const header = options.title ? 1 : 0;
  const rows = Math.floor(caps.height) - header - 2; // caption and the "more" line
  const first = items[0]!.image;
  if (rows < 2 || cols < 4) return renderMessage(caps, options.title, `${items.length} images: too small to show`);
  // Tiles at the image's own size when a few fit, else smaller.
  let { w, h } = fitSize(first.width, first.height, Math.min(first.width, cols), Math.min(first.height / 2, rows));
  const gap = 2;
  let fitCount = Math.floor((cols + gap) / (w + gap));
  if (fitCount < Math.min(items.length, 4) && w > 8) {
    ({ w, h } = fitSize(first.width, first.height, Math.max(4, Math.floor((cols + gap) / Math.min(items.length, 4)) - gap), rows));
    fitCount = Math.floor((cols + gap) / (w + gap));
  }
  const shown = Math.max(1, Math.min(items.length, fitCount));
  const more = items.length - shown;
  const grid = new CellGrid(cols, header + h / 2 + 1 + (more > 0 ? 1 : 0));
  if (options.title) grid.write(0, 0, truncate(options.title, cols), { bold: true });
  const arrow = caps.unicode ? '→' : '>';
  for (let k = 0; k < shown; k++) {
    const item = items[k]!;
    const left = k * (w + gap);
    const px = normalise(item.image);
    if (px) drawPixels(grid, left, header, resize(px, item.image.width, item.image.height, w, h), w, h, caps);
    else grid.write(left, header, truncate('(bad image)', w));
    const wrong = item.label !== item.predicted;
    const caption = center(truncate(`${item.label}${arrow}${item.predicted}`, w), w);
    grid.write(left, header + h / 2, caption, wrong ? { fg: theme.alert, bold: true } : { fg: theme.muted });
  }
  if (more > 0) grid.write(0, grid.height - 1, truncate(`(${more} more not shown; captions: true${arrow}predicted)`, cols), { fg: theme.muted });
  return grid.toLines(caps).join('\n');
}
