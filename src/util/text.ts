// The one place for terminal text measures: escape stripping, grapheme splitting, display width, and the 7-bit ASCII fallback.

import stringWidth from 'string-width';

const segmenter = new Intl.Segmenter('en', { granularity: 'grapheme' });

// Characters that can join the one before them into a grapheme (marks, joiners, CR of CR LF, regional indicator
// pairs, Hangul jamo, emoji modifiers, tags, prepended marks). Text without any is one grapheme per code point.
const JOINS =
  // biome-ignore lint/suspicious/noMisleadingCharacterClass: a set of single joining code points is meant, not the sequences they form.
  /[\p{M}\u200c\u200d\r\p{RI}\u1100-\u11ff\ua960-\ua97f\ud7b0-\ud7ff\uff9e\uff9f\u0600-\u0605\u06dd\u070f\u0890\u0891\u08e2\u{110bd}\u{110cd}\u0d4e\u{111c2}\u{111c3}\u{1193f}\u{11941}\u{11a3a}\u{11a84}-\u{11a89}\u{11d46}\u{11f02}\u{1f3fb}-\u{1f3ff}\u{e0000}-\u{e0fff}]/u;

/** Splits text into user-perceived characters, so a combining accent or an emoji sequence is never cut in two. */
export function graphemes(text: string): string[] {
  // The segmenter takes about 2 µs a character; most text needs none of its rules (a table is measured often).
  if (!JOINS.test(text)) return Array.from(text);
  const out: string[] = [];
  for (const { segment } of segmenter.segment(text)) out.push(segment);
  return out;
}

// string-width costs about 2 µs a grapheme (it builds its emoji regex on every call), and text repeats the same
// few characters: their widths are remembered, up to a bound so hostile text cannot grow the map.
const widthCache = new Map<string, number>();
const WIDTH_CACHE_LIMIT = 4096;

/** Columns one grapheme takes in a terminal (string-width's measure): 0 (combining, format, control), 1, or 2. */
export function graphemeWidth(g: string): number {
  if (g.length === 1) {
    const c = g.charCodeAt(0);
    if (c >= 0x20 && c < 0x7f) return 1;
  }
  let w = widthCache.get(g);
  if (w === undefined) {
    w = stringWidth(g);
    if (widthCache.size < WIDTH_CACHE_LIMIT) widthCache.set(g, w);
  }
  return w;
}

// Printable ASCII: one column a character, the common case.
const PRINTABLE_ASCII = /^[\x20-\x7e]*$/;

/**
 * Columns a string takes in a terminal, escape sequences excluded: string-width's measure, the one Ink lays
 * boxes out with, so our padding and Ink's agree (flags, ☰, emoji sequences included). string-width measures
 * each grapheme on its own, so the sum over graphemes is its width of the whole.
 */
export function displayWidth(text: string): number {
  const plain = stripAnsi(text);
  if (PRINTABLE_ASCII.test(plain)) return plain.length;
  let w = 0;
  for (const g of graphemes(plain)) w += graphemeWidth(g);
  return w;
}

/** CSI sequences (colours, cursor moves) and OSC sequences: they take no columns. */
const ANSI_PATTERN = /\x1b\[[0-9;?]*[ -/]*[@-~]|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)/g;

/** A fresh global matcher of escape sequences (its own `lastIndex`), for code that walks a string. */
export function ansiPattern(): RegExp {
  return new RegExp(ANSI_PATTERN.source, 'g');
}

/** Removes every escape sequence, leaving only what the terminal shows. */
export function stripAnsi(text: string): string {
  return text.replace(ANSI_PATTERN, '');
}

/**
 * Removes control characters (other than newline and tab) from lesson text, so a lesson file cannot move the
 * cursor or change the terminal's state: the renderer adds the only escape sequences.
 */
export function sanitize(text: string): string {
  return text.replace(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/g, '');
}

// Typographic and scientific characters a lesson is likely to hold, spelled in ASCII.
// biome-ignore format: packed by kind (dashes, quotes, arrows, maths, letters) so a missing character is easy to spot.
const ASCII_MAP: Record<string, string> = {
  '\u2014': '--', '\u2013': '-', '\u2012': '-', '\u2010': '-', '\u2011': '-', '\u2212': '-', '\u2026': '...',
  '\u2018': "'", '\u2019': "'", '\u201a': "'", '\u201b': "'", '\u2032': "'", '\u2033': "''",
  '\u201c': '"', '\u201d': '"', '\u201e': '"', '\u00ab': '"', '\u00bb': '"', '\u2039': '<', '\u203a': '>',
  '\u2022': '*', '\u00b7': '.', '\u22c5': '.', '\u2219': '.', '\u25cf': '*', '\u25e6': 'o',
  '\u2192': '->', '\u2190': '<-', '\u2194': '<->', '\u21d2': '=>', '\u21d0': '<=', '\u21d4': '<=>',
  '\u2191': '^', '\u2193': 'v', '\u21aa': '>',
  '\u2264': '<=', '\u2265': '>=', '\u2260': '!=', '\u2248': '~', '\u2243': '~', '\u223c': '~', '\u2261': '==',
  '\u00b1': '+/-', '\u00d7': 'x', '\u00f7': '/', '\u221a': 'sqrt', '\u221e': 'inf', '\u2202': 'd',
  '\u2211': 'sum', '\u220f': 'prod', '\u222b': 'int', '\u2207': 'grad', '\u2208': ' in ', '\u2200': 'for all ',
  '\u00b0': ' deg', '\u2103': ' degC', '\u00b5': 'u', '\u00a0': ' ', '\u202f': ' ', '\u2009': ' ', '\u2002': ' ',
  '\u2003': ' ', '\u00a9': '(c)', '\u00ae': '(R)', '\u2122': '(TM)', '\u00a7': 'S', '\u00b6': 'P',
  '\u00b2': '^2', '\u00b3': '^3', '\u00b9': '^1', '\u2070': '^0', '\u2074': '^4', '\u2075': '^5', '\u2076': '^6',
  '\u2077': '^7', '\u2078': '^8', '\u2079': '^9', '\u207b': '^-', '\u207a': '^+', '\u00bd': '1/2', '\u00bc': '1/4',
  '\u00be': '3/4', '\u2080': '_0', '\u2081': '_1', '\u2082': '_2', '\u2083': '_3', '\u2084': '_4',
  '\u00df': 'ss', '\u00e6': 'ae', '\u00c6': 'AE', '\u0153': 'oe', '\u0152': 'OE', '\u00f8': 'o', '\u00d8': 'O',
  '\u0142': 'l', '\u0141': 'L', '\u00f0': 'd', '\u00fe': 'th', '\u2713': 'v', '\u2714': 'v', '\u2717': 'x',
  '\u2718': 'x', '\u2500': '-', '\u2502': '|', '\u2550': '=', '\u2588': '#', '\u2591': '.', '\u2592': ':',
  '\u2593': '#',
  // Greek letters: the names a physicist would write.
  '\u03b1': 'alpha', '\u03b2': 'beta', '\u03b3': 'gamma', '\u03b4': 'delta', '\u03b5': 'epsilon', '\u03b6': 'zeta',
  '\u03b7': 'eta', '\u03b8': 'theta', '\u03b9': 'iota', '\u03ba': 'kappa', '\u03bb': 'lambda', '\u03bc': 'mu',
  '\u03bd': 'nu', '\u03be': 'xi', '\u03c0': 'pi', '\u03c1': 'rho', '\u03c3': 'sigma', '\u03c2': 'sigma',
  '\u03c4': 'tau', '\u03c5': 'upsilon', '\u03c6': 'phi', '\u03d5': 'phi', '\u03c7': 'chi', '\u03c8': 'psi',
  '\u03c9': 'omega', '\u0393': 'Gamma', '\u0394': 'Delta', '\u0398': 'Theta', '\u039b': 'Lambda', '\u039e': 'Xi',
  '\u03a0': 'Pi', '\u03a3': 'Sigma', '\u03a6': 'Phi', '\u03a8': 'Psi', '\u03a9': 'Omega',
};

/**
 * Spells text in 7-bit ASCII for terminals without Unicode: typographic punctuation and common scientific symbols
 * become their usual ASCII spellings (`—` → `--`, `…` → `...`, `°` → ` deg`, `σ` → `sigma`), accents are dropped
 * (`é` → `e`), and anything else becomes `?`. The result never holds a byte above 127.
 */
export function toAscii(text: string): string {
  let out = '';
  for (const ch of text) {
    const cp = ch.codePointAt(0)!;
    if (cp < 0x80) {
      out += ch;
      continue;
    }
    const mapped = ASCII_MAP[ch];
    if (mapped !== undefined) {
      out += mapped;
      continue;
    }
    // Latin letters with accents decompose into the base letter and combining marks we can drop.
    const base = ch.normalize('NFD').replace(/\p{M}/gu, '');
    if (base !== '' && /^[\x20-\x7e]+$/.test(base)) out += base;
    else if (/^[\p{M}\p{Cf}]$/u.test(ch))
      continue; // a stray combining mark or zero-width format character
    else out += '?';
  }
  return out;
}

/**
 * Wraps text to `width` columns, keeping its line breaks; a word longer than the line is broken, never
 * cut, so an answer is always shown whole.
 */
export function wrapText(text: string, width: number): string[] {
  const w = Math.max(1, width);
  const out: string[] = [];
  for (const paragraph of text.replace(/\t/g, ' ').split('\n')) {
    let line = '';
    let used = 0;
    for (const word of paragraph.split(' ').filter(Boolean)) {
      const ww = displayWidth(word);
      if (used > 0 && used + 1 + ww <= w) {
        line += ' ' + word;
        used += 1 + ww;
        continue;
      }
      if (used > 0) {
        out.push(line);
        line = '';
        used = 0;
      }
      if (ww <= w) {
        line = word;
        used = ww;
        continue;
      }
      for (const g of graphemes(word)) {
        const gw = graphemeWidth(g);
        if (used + gw > w) {
          out.push(line);
          line = '';
          used = 0;
        }
        line += g;
        used += gw;
      }
    }
    out.push(line);
  }
  return out;
}

/**
 * Typed text in lines of at most `width` columns, broken at spaces where it can: every character is kept, spaces
 * too, so the lines joined give the text back (the answer field shows what was typed, its end where the cursor
 * is). A space run or a word wider than a line goes on over the next ones.
 */
export function wrapTyped(text: string, width: number): string[] {
  const room = Math.max(1, Math.floor(width));
  const rows: string[] = [''];
  let used = 0;
  const put = (g: string, w: number): void => {
    if (used + w > room && used > 0) {
      rows.push('');
      used = 0;
    }
    rows[rows.length - 1] += g;
    used += w;
  };
  for (const token of text.match(/\s+|\S+/g) ?? []) {
    const chars = graphemes(token);
    const w = chars.reduce((a, g) => a + graphemeWidth(g), 0);
    // A word that does not fit after the text on this line starts the next one, when it fits there.
    if (!/^\s/.test(token) && used > 0 && used + w > room && w <= room) {
      rows.push('');
      used = 0;
    }
    for (const g of chars) put(g, graphemeWidth(g));
  }
  return rows;
}
