// The one table of colours and glyphs: semantic tokens (series, classes, highlight…) that every renderer uses.
//
// Colour-blind safety: categorical colours are the Okabe–Ito palette, and every category also gets its own
// marker or line style, so no plot relies on red-versus-green alone. At colour depth 0 the glyphs carry it all.
import type { ColorDepth } from './caps.js';
import { mixRgb, paint, type Color, type Rgb, type Style } from './color.js';

/** Semantic colour tokens. Renderers never name a colour directly. */
export interface Theme {
  /** Lines of a chart, in order (loss, val_loss, …). */
  series: readonly Color[];
  /** Categorical classes and clusters, in order. */
  classes: readonly Color[];
  /** What the eye should go to first: the confusion diagonal, a pick, the current value. */
  highlight: Color;
  /** A warning cue: the largest confusions, hidden points, out-of-range values. */
  alert: Color;
  /** Secondary ink: axes, grid, tick labels, legends' small print. */
  muted: Color;
  /** P-wave picks and probabilities. */
  phaseP: Color;
  /** S-wave picks and probabilities. */
  phaseS: Color;
  /** A sequential, perceptually uniform ramp (viridis) for heatmaps and heights, t in [0, 1]. */
  heat(t: number): Color;
  /** Black to white, t in [0, 1], for grayscale images. */
  grey(t: number): Color;
}

// Okabe & Ito (2008) "Color Universal Design"; black is left out (invisible on dark terminals).
const ORANGE: Color = { rgb: [230, 159, 0], ansi16: 33 };
const BLUE: Color = { rgb: [0, 114, 178], ansi16: 94 };
const BLUISH_GREEN: Color = { rgb: [0, 158, 115], ansi16: 36 };
const VERMILLION: Color = { rgb: [213, 94, 0], ansi16: 31 };
const REDDISH_PURPLE: Color = { rgb: [204, 121, 167], ansi16: 35 };
const SKY_BLUE: Color = { rgb: [86, 180, 233], ansi16: 96 };
const YELLOW: Color = { rgb: [240, 228, 66], ansi16: 93 };
const GREY: Color = { rgb: [153, 153, 153], ansi16: 37 };

const OKABE_ITO: readonly Color[] = [ORANGE, BLUE, BLUISH_GREEN, VERMILLION, REDDISH_PURPLE, SKY_BLUE, YELLOW, GREY];

// Viridis anchors (matplotlib), evenly spaced in t; readable for all common colour-vision deficiencies.
const VIRIDIS: readonly Rgb[] = [
  [68, 1, 84],
  [72, 40, 120],
  [62, 74, 137],
  [49, 104, 142],
  [38, 130, 142],
  [31, 158, 137],
  [53, 183, 121],
  [109, 205, 89],
  [180, 222, 44],
  [253, 231, 37],
];
// Hand-picked 16-colour stand-ins along the same dark-to-bright path.
const VIRIDIS16 = [35, 34, 94, 36, 32, 92, 93];

function clamp01(t: number): number {
  return Number.isFinite(t) ? Math.max(0, Math.min(1, t)) : 0;
}

/** The course's theme. */
export const theme: Theme = {
  series: OKABE_ITO,
  classes: OKABE_ITO,
  highlight: { rgb: [86, 180, 233], ansi16: 96 },
  alert: VERMILLION,
  muted: { rgb: [128, 128, 128], ansi16: 90 },
  phaseP: BLUE,
  phaseS: ORANGE,
  heat(t) {
    const u = clamp01(t) * (VIRIDIS.length - 1);
    const i = Math.min(VIRIDIS.length - 2, Math.floor(u));
    const rgb = mixRgb(VIRIDIS[i]!, VIRIDIS[i + 1]!, u - i);
    return { rgb, ansi16: VIRIDIS16[Math.round(clamp01(t) * (VIRIDIS16.length - 1))] };
  },
  grey(t) {
    const v = Math.round(clamp01(t) * 255);
    const u = clamp01(t);
    return { rgb: [v, v, v], ansi16: u < 0.25 ? 30 : u < 0.5 ? 90 : u < 0.75 ? 37 : 97 };
  },
};

/** Colour of series `i` (wraps around). */
export function seriesColor(i: number): Color {
  return theme.series[i % theme.series.length]!;
}

/** Colour of class or cluster `i` (wraps around). */
export function classColor(i: number): Color {
  return theme.classes[i % theme.classes.length]!;
}

/** Paints text in a semantic style at the given depth (shorthand used by tables and legends). */
export function ink(text: string, style: Style | undefined, depth: ColorDepth): string {
  return paint(text, style, depth);
}

// Marker glyphs per class: shapes differ, so classes stay apart without colour.
const MARKERS_UNICODE = ['●', '✕', '▲', '■', '◆', '✚', '○', '□'];
const MARKERS_ASCII = ['o', 'x', '^', '#', '@', '+', '%', '&'];

/** The marker glyph of class `i` (wraps around). */
export function classMarker(i: number, unicode: boolean): string {
  const set = unicode ? MARKERS_UNICODE : MARKERS_ASCII;
  return set[((i % set.length) + set.length) % set.length]!;
}

/**
 * Line glyphs of series `i`, in asciichart's symbol order
 * [origin, tick, -, -, horizontal, ╰, ╭, ╮, ╯, vertical]: each series gets its own stroke so that lines stay
 * distinguishable at colour depth 0.
 */
export function lineSymbols(i: number, unicode: boolean): readonly string[] {
  const unicodeSets = [
    ['┼', '┤', '╶', '╴', '─', '╰', '╭', '╮', '╯', '│'],
    ['╬', '╣', '═', '═', '═', '╚', '╔', '╗', '╝', '║'],
    ['┼', '┤', '┄', '┄', '┄', '└', '┌', '┐', '┘', '┆'],
    ['╋', '┫', '━', '━', '━', '┗', '┏', '┓', '┛', '┃'],
  ];
  const asciiSets = [
    ['+', '|', '-', '-', '-', "'", '.', '.', "'", '|'],
    ['+', '|', '=', '=', '=', '#', '#', '#', '#', '#'],
    ['+', '|', '~', '~', '~', ':', ':', ':', ':', ':'],
    ['+', '|', '*', '*', '*', '*', '*', '*', '*', '*'],
  ];
  const sets = unicode ? unicodeSets : asciiSets;
  return sets[i % sets.length]!;
}

/** A short sample of series `i`'s stroke for legends ("──", "══", "--"). */
export function lineSample(i: number, unicode: boolean): string {
  const h = lineSymbols(i, unicode)[4]!;
  return h + h;
}

/** Shading ramps from empty to full, for heatmaps and densities without colour. */
export function shadeRamp(unicode: boolean): readonly string[] {
  return unicode ? [' ', '░', '▒', '▓', '█'] : [' ', '.', ':', '-', '=', '+', '*', '#', '%', '@'];
}
