// Colour application: turns a semantic style into the escape sequence for the terminal's colour depth (none at depth 0).
import type { ColorDepth } from './caps.js';
import { RESET } from './text.js';

/** A colour as 8-bit red, green, blue. */
export type Rgb = readonly [number, number, number];

/** One colour, with an optional hand-picked stand-in for 16-colour terminals. */
export interface Color {
  /** The true colour (used as is in truecolour, approximated in 256 colours). */
  rgb: Rgb;
  /** Foreground SGR code (30–37, 90–97) to use on 16-colour terminals; nearest match when absent. */
  ansi16?: number;
}

/** How a run of cells is drawn. */
export interface Style {
  /** Foreground (text) colour. */
  fg?: Color;
  /** Background colour. */
  bg?: Color;
  /** Bold weight (also a cue that survives colour blindness). */
  bold?: boolean;
}

/** The xterm default RGB values of the 16 ANSI colours, keyed by foreground SGR code, for nearest-colour matching. */
const ANSI16: ReadonlyArray<readonly [number, Rgb]> = [
  [30, [0, 0, 0]],
  [31, [205, 0, 0]],
  [32, [0, 205, 0]],
  [33, [205, 205, 0]],
  [34, [0, 0, 238]],
  [35, [205, 0, 205]],
  [36, [0, 205, 205]],
  [37, [229, 229, 229]],
  [90, [127, 127, 127]],
  [91, [255, 0, 0]],
  [92, [0, 255, 0]],
  [93, [255, 255, 0]],
  [94, [92, 92, 255]],
  [95, [255, 0, 255]],
  [96, [0, 255, 255]],
  [97, [255, 255, 255]],
];

function distance2(a: Rgb, b: Rgb): number {
  // Weighted so that perceived differences (green most, blue least) count more.
  const dr = a[0] - b[0];
  const dg = a[1] - b[1];
  const db = a[2] - b[2];
  return 2 * dr * dr + 4 * dg * dg + 3 * db * db;
}

/** The nearest of the 16 ANSI colours, as a foreground SGR code. */
export function rgbTo16(rgb: Rgb): number {
  let best = 37;
  let bestDistance = Infinity;
  for (const [code, value] of ANSI16) {
    const d = distance2(rgb, value);
    if (d < bestDistance) {
      bestDistance = d;
      best = code;
    }
  }
  return best;
}

const CUBE_LEVELS = [0, 95, 135, 175, 215, 255];

function nearestCubeIndex(v: number): number {
  let best = 0;
  for (let i = 1; i < CUBE_LEVELS.length; i++) {
    if (Math.abs(CUBE_LEVELS[i]! - v) < Math.abs(CUBE_LEVELS[best]! - v)) best = i;
  }
  return best;
}

/** The nearest xterm 256-palette index: the 6×6×6 cube or the 24-step grey ramp, whichever is closer. */
export function rgbTo256(rgb: Rgb): number {
  const [r, g, b] = rgb;
  const ri = nearestCubeIndex(r);
  const gi = nearestCubeIndex(g);
  const bi = nearestCubeIndex(b);
  const cube: Rgb = [CUBE_LEVELS[ri]!, CUBE_LEVELS[gi]!, CUBE_LEVELS[bi]!];
  const grey = Math.round((r + g + b) / 3);
  const greyIndex = Math.max(0, Math.min(23, Math.round((grey - 8) / 10)));
  const greyValue = 8 + greyIndex * 10;
  const greyRgb: Rgb = [greyValue, greyValue, greyValue];
  return distance2(rgb, greyRgb) < distance2(rgb, cube) ? 232 + greyIndex : 16 + 36 * ri + 6 * gi + bi;
}

function colorParams(color: Color, depth: Exclude<ColorDepth, 0>, background: boolean): string {
  if (depth === 16) {
    const code = color.ansi16 ?? rgbTo16(color.rgb);
    return String(background ? code + 10 : code);
  }
  const prefix = background ? '48' : '38';
  if (depth === 256) return `${prefix};5;${rgbTo256(color.rgb)}`;
  return `${prefix};2;${color.rgb[0]};${color.rgb[1]};${color.rgb[2]}`;
}

/** The escape sequence that starts `style` at `depth`; '' at depth 0 or for an empty style. */
export function styleOpen(style: Style | undefined, depth: ColorDepth): string {
  if (!style || depth === 0) return '';
  const params: string[] = [];
  if (style.bold) params.push('1');
  if (style.fg) params.push(colorParams(style.fg, depth, false));
  if (style.bg) params.push(colorParams(style.bg, depth, true));
  return params.length ? `\x1b[${params.join(';')}m` : '';
}

/** Wraps text in a style (and a reset after it); returns the text unchanged at depth 0. */
export function paint(text: string, style: Style | undefined, depth: ColorDepth): string {
  const open = styleOpen(style, depth);
  return open && text ? open + text + RESET : text;
}

/** Linear interpolation between two colours, t in [0, 1]. */
export function mixRgb(a: Rgb, b: Rgb, t: number): Rgb {
  const u = Math.max(0, Math.min(1, t));
  return [Math.round(a[0] + (b[0] - a[0]) * u), Math.round(a[1] + (b[1] - a[1]) * u), Math.round(a[2] + (b[2] - a[2]) * u)];
}
