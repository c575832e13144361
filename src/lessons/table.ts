// Pipe tables (as GitHub writes them): recognising their rows, and laying them out as aligned columns within a
// width. The cells' inline Markdown is the caller's (markdown.ts): this module only measures, places and frames.
import { displayWidth } from '../util/text.js';

/** How a column's cells are placed, from the delimiter row (`:--`, `:-:`, `--:`). */
export type Align = 'left' | 'center' | 'right';

// `|---|:--:|`, `--- | ---`: dashes with optional colons, at least one pipe.
const DELIMITER = /^\s*\|?\s*:?-+:?\s*(\|\s*:?-+:?\s*)*\|?\s*$/;

/** Whether `line` is a table's delimiter row (`|---|:--:|`). */
export function isDelimiterRow(line: string): boolean {
  return line.includes('|') && DELIMITER.test(line);
}

/** Whether a table starts at `line`: a row with a pipe, then a delimiter row. */
export function isTableStart(line: string, next: string | undefined): boolean {
  return next !== undefined && /(^|[^\\])\|/.test(line) && !isDelimiterRow(line) && isDelimiterRow(next);
}

/**
 * A row's cells as source text: the outer pipes dropped, each cell trimmed. `\|` is a pipe inside a cell (in code
 * too, as on GitHub), so a cell can show one.
 */
export function splitRow(line: string): string[] {
  let s = line.trim();
  if (s.startsWith('|')) s = s.slice(1);
  if (s.endsWith('|') && !s.endsWith('\\|')) s = s.slice(0, -1);
  const cells: string[] = [];
  let cell = '';
  for (let i = 0; i < s.length; i++) {
    if (s[i] === '\\' && s[i + 1] === '|') {
      cell += '|';
      i++;
    } else if (s[i] === '|') {
      cells.push(cell.trim());
      cell = '';
    } else cell += s[i];
  }
  cells.push(cell.trim());
  return cells;
}

/** The alignment of each column from the delimiter row. */
export function alignments(delimiter: string): Align[] {
  return splitRow(delimiter).map((d) => (d.startsWith(':') && d.endsWith(':') ? 'center' : d.endsWith(':') ? 'right' : 'left'));
}

/** What the layout needs to know of a cell: its width on one line, its widest word, and its lines at a width. */
export interface CellText {
  /** Columns the cell takes on one line. */
  width: number;
  /** Columns of its widest word (a column narrower than this would break it). */
  word: number;
  /** Columns of each of its words, in order (to count the lines it takes at a width). */
  words: readonly number[];
  /** The cell wrapped to `width` columns (lines may hold escape sequences; none is wider than `width`). */
  lines(width: number): string[];
}

/** How a table is framed. */
export interface TableStyle {
  /** Box-drawing characters (`│ ─ ┼`) rather than ASCII (`| - +`). */
  unicode: boolean;
  /** Styles a rule or a column separator (dim, with colour). */
  dim(text: string): string;
}

/**
 * Lays a table out within `width` columns: columns aligned as the delimiter row asks, separated by `│` (ASCII `|`),
 * the header ruled off under it; rows that wrap are ruled apart too, so each row reads as one. Columns keep their
 * natural width while the table fits; otherwise the widest are narrowed (their cells wrap at spaces) and the short
 * ones stay whole. When even the widest word of every column does not fit side by side, the table is shown as one
 * record per row instead (`header` over its cell), so no word is broken mid-cell. Lines are trimmed at the end.
 */
export function layoutTable(
  header: readonly CellText[],
  rows: ReadonlyArray<readonly CellText[]>,
  align: readonly Align[],
  width: number,
  style: TableStyle,
): string[] {
  const n = Math.max(header.length, ...rows.map((r) => r.length), 1);
  const cell = (row: readonly CellText[], c: number): CellText => row[c] ?? EMPTY;
  const all = [header, ...rows];
  const natural = Array.from({ length: n }, (_, c) => Math.max(1, ...all.map((r) => cell(r, c).width)));
  const word = Array.from({ length: n }, (_, c) => Math.max(1, ...all.map((r) => cell(r, c).word)));
  const sep = ` ${style.dim(style.unicode ? '│' : '|')} `;
  const room = width - 3 * (n - 1);
  if (word.reduce((a, b) => a + b, 0) > room) return records(header, rows, n, width, style);
  const widths = fitColumns(
    natural,
    word,
    all.map((r) => Array.from({ length: n }, (_, c) => cell(r, c).words)),
    room,
  );
  const rule = style.dim(widths.map((w) => (style.unicode ? '─' : '-').repeat(w)).join(style.unicode ? '─┼─' : '-+-'));
  const draw = (row: readonly CellText[]): string[] => {
    const cells = widths.map((w, c) => cell(row, c).lines(w));
    const height = Math.max(1, ...cells.map((l) => l.length));
    const out: string[] = [];
    for (let k = 0; k < height; k++) {
      out.push(
        cells
          .map((l, c) => place(l[k] ?? '', widths[c]!, align[c] ?? 'left'))
          .join(sep)
          .trimEnd(),
      );
    }
    return out;
  };
  const body = rows.map(draw);
  // A header row with no text (`| | |`) is left out; its rule still sets the columns apart from what is above.
  const head = header.some((h) => h.width > 0) ? draw(header) : [];
  const ruled = body.some((r) => r.length > 1);
  const out = [...head, rule];
  body.forEach((r, k) => {
    if (ruled && k > 0) out.push(rule);
    out.push(...r);
  });
  return out;
}

const EMPTY: CellText = { width: 0, word: 0, words: [], lines: () => [''] };

/**
 * Column widths summing to at most `room`: the natural ones when they fit; otherwise each column starts at its
 * widest word and is widened step by step where the fewest columns save the most lines of the whole table (then
 * of its cells), so short columns stay whole and the table is short; the rest is shared out.
 */
function fitColumns(natural: readonly number[], word: readonly number[], rows: ReadonlyArray<ReadonlyArray<readonly number[]>>, room: number): number[] {
  const sum = (xs: readonly number[]) => xs.reduce((a, b) => a + b, 0);
  if (sum(natural) <= room) return [...natural];
  const widths = [...word];
  // Lines of each cell at each width its column may take, counted once: the search below asks many times.
  const counts = rows.map((row) => natural.map((nat, c) => Array.from({ length: nat + 1 }, (_, w) => (w < word[c]! ? 0 : lineCount(row[c] ?? [], w)))));
  // The table's height first; then the lines of its cells, so a cell is kept whole where that costs no row a line.
  const height = (ws: readonly number[]) => {
    let total = 0;
    for (const row of counts) {
      let tallest = 1;
      for (let c = 0; c < ws.length; c++) {
        const lines = row[c]![ws[c]!]!;
        total += lines;
        if (lines > tallest) tallest = lines;
      }
      total += 1000 * tallest;
    }
    return total;
  };
  let current = height(widths);
  for (;;) {
    const left = room - sum(widths);
    let best: { c: number; d: number; h: number; rate: number } | null = null;
    for (let c = 0; c < widths.length; c++) {
      const base = widths[c]!;
      for (let d = 1; d <= Math.min(left, natural[c]! - base); d++) {
        widths[c] = base + d;
        const h = height(widths);
        const rate = (current - h) / d;
        if (h < current && (!best || rate > best.rate)) best = { c, d, h, rate };
      }
      widths[c] = base;
    }
    if (!best) break;
    widths[best.c]! += best.d;
    current = best.h;
  }
  // Columns no single widening shortens (two cells of a row as tall as each other) share what is left, the one
  // furthest below its natural width (as a share of it) first, so the table uses the width it has.
  for (let left = room - sum(widths); left > 0; left--) {
    let c = -1;
    for (let k = 0; k < widths.length; k++) {
      const short = (natural[k]! - widths[k]!) / natural[k]!;
      if (short > 0 && (c < 0 || short > (natural[c]! - widths[c]!) / natural[c]!)) c = k;
    }
    if (c < 0) break;
    widths[c]!++;
  }
  return widths;
}

/** Lines a greedy wrap at spaces takes for words of these widths in `width` columns (none is wider). */
function lineCount(words: readonly number[], width: number): number {
  let lines = 1;
  let used = -1;
  for (const w of words) {
    if (used >= 0 && used + 1 + w > width) {
      lines++;
      used = w;
    } else used = used < 0 ? w : used + 1 + w;
  }
  return lines;
}

/** Pads a cell's line to `width` columns as its column is aligned. */
function place(text: string, width: number, align: Align): string {
  const gap = Math.max(0, width - displayWidth(text));
  if (align === 'right') return ' '.repeat(gap) + text;
  if (align === 'center') return ' '.repeat(Math.floor(gap / 2)) + text + ' '.repeat(gap - Math.floor(gap / 2));
  return text + ' '.repeat(gap);
}

/** A table too wide for its words: each row as a record, every cell under its column's header, rows ruled apart. */
function records(header: readonly CellText[], rows: ReadonlyArray<readonly CellText[]>, n: number, width: number, style: TableStyle): string[] {
  const out: string[] = [];
  const indent = width > 4 ? 2 : 0;
  rows.forEach((row, k) => {
    if (k > 0) out.push(style.dim((style.unicode ? '─' : '-').repeat(Math.min(width, 20))));
    for (let c = 0; c < n; c++) {
      const text = row[c];
      if (!text || text.width === 0) continue;
      const label = header[c];
      if (label && label.width > 0) {
        out.push(...label.lines(width));
        out.push(...text.lines(width - indent).map((l) => ' '.repeat(indent) + l));
      } else out.push(...text.lines(width));
    }
  });
  return out.map((l) => l.trimEnd());
}
