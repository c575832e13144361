// ANSI-aware padding and truncation for renderers; widths and escape stripping come from util/text.
import { ansiPattern, displayWidth, graphemes, graphemeWidth, stripAnsi } from '../util/text.js';

const ANSI_PATTERN = ansiPattern();

export { displayWidth, stripAnsi };

/** The SGR sequence that resets all attributes. */
export const RESET = '\x1b[0m';

/** Columns one code point takes alone (string-width's measure): 0 for combining marks and controls, 2 for wide, else 1. */
export function charWidth(codePoint: number): 0 | 1 | 2 {
  return Math.min(2, graphemeWidth(String.fromCodePoint(codePoint))) as 0 | 1 | 2;
}

/**
 * Cuts a string to at most `width` columns, keeping its escape sequences; ends with a reset
 * if any escape was kept, so colour never bleeds into what follows.
 * `ellipsis` (e.g. '…') replaces the last visible character(s) when something was cut.
 */
export function truncate(text: string, width: number, ellipsis = ''): string {
  if (width <= 0) return '';
  if (displayWidth(text) <= width) return text;
  const ellipsisWidth = displayWidth(ellipsis);
  const budget = ellipsisWidth < width ? width - ellipsisWidth : width;
  const tail = ellipsisWidth < width ? ellipsis : '';
  let out = '';
  let used = 0;
  let sawEscape = false;
  let index = 0;
  ANSI_PATTERN.lastIndex = 0;
  while (index < text.length) {
    ANSI_PATTERN.lastIndex = index;
    const match = ANSI_PATTERN.exec(text);
    if (match && match.index === index) {
      out += match[0];
      sawEscape = true;
      index += match[0].length;
      continue;
    }
    // Up to the next escape, whole graphemes only: a flag or an emoji sequence is kept or cut as one.
    const next = match ? match.index : text.length;
    let full = false;
    for (const g of graphemes(text.slice(index, next))) {
      const w = graphemeWidth(g);
      if (used + w > budget) {
        full = true;
        break;
      }
      out += g;
      used += w;
    }
    if (full) break;
    index = next;
  }
  return out + (sawEscape ? RESET : '') + tail;
}

/** Pads with spaces on the right to exactly `width` columns (truncating if longer). */
export function padEnd(text: string, width: number): string {
  const cut = truncate(text, width);
  return cut + ' '.repeat(Math.max(0, width - displayWidth(cut)));
}

/** Pads with spaces on the left to exactly `width` columns (truncating if longer). */
export function padStart(text: string, width: number): string {
  const cut = truncate(text, width);
  return ' '.repeat(Math.max(0, width - displayWidth(cut))) + cut;
}

/** Centres within `width` columns (truncating if longer); the extra space, if any, goes right. */
export function center(text: string, width: number): string {
  const cut = truncate(text, width);
  const free = Math.max(0, width - displayWidth(cut));
  const left = Math.floor(free / 2);
  return ' '.repeat(left) + cut + ' '.repeat(free - left);
}

/** Clips a block of lines to `width` columns and `height` lines: the last guard every renderer passes through. */
export function fitBlock(lines: readonly string[], width: number, height: number): string {
  return lines
    .slice(0, Math.max(0, height))
    .map((line) => truncate(line, width))
    .join('\n');
}

/**
 * Fits a block of lines to a terminal screen: clipped to `width`, and when taller than `height`, the last line
 * says how many lines did not fit (a redrawn view must never scroll its top off the screen).
 */
export function fitScreen(lines: readonly string[], width: number, height: number, more: (hidden: number) => string): string {
  if (lines.length <= height) return fitBlock(lines, width, height);
  const kept = Math.max(0, height - 1);
  return fitBlock([...lines.slice(0, kept), more(lines.length - kept)], width, height);
}

// ASCII stand-ins for characters that labels commonly carry; anything else non-ASCII becomes '?'.
const ASCII_FOLD: Record<string, string> = {
  λ: 'l',
  '°': 'o',
  '→': '>',
  '←': '<',
  '↑': '^',
  '↓': 'v',
  '…': '~',
  µ: 'u',
  σ: 's',
  '≤': '<',
  '≥': '>',
  '×': 'x',
  '–': '-',
  '—': '-',
  '·': '.',
  '²': '2',
  '³': '3',
  é: 'e',
  è: 'e',
  à: 'a',
  ç: 'c',
  '’': "'",
};

/**
 * Replaces every non-ASCII character by exactly one ASCII character, so a grid cell or a label keeps its width
 * (util/text's `toAscii` spells words out instead, for running text).
 */
export function toAsciiCell(text: string): string {
  return text.replace(/[^\x00-\x7f]/gu, (ch) => ASCII_FOLD[ch] ?? (ch.normalize('NFD')[0]!.charCodeAt(0) < 128 ? ch.normalize('NFD')[0]! : '?'));
}

/** Greedy word wrap of plain text (no escapes) into lines of at most `width` columns. */
export function wrapWords(text: string, width: number): string[] {
  if (width <= 0) return [];
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(/\s+/).filter(Boolean)) {
    const candidate = line ? `${line} ${word}` : word;
    if (displayWidth(candidate) <= width) {
      line = candidate;
    } else {
      if (line) lines.push(line);
      line = truncate(word, width);
    }
  }
  if (line) lines.push(line);
  return lines;
}
