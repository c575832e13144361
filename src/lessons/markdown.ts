// Renders lesson Markdown to terminal lines (wrapped by display width, styled only when colour is available,
// 7-bit when Unicode is not), and a whole lesson as plain text for `eds start` without a terminal.
import { camelCase, kebabCase } from '../tasks/spelling.js';
import type { RenderCaps } from '../render/caps.js';
import type { Lesson, QuestionStep } from './types.js';
import { displayWidth, graphemes, graphemeWidth, sanitize, toAscii } from '../util/text.js';
import { alignments, isTableStart, layoutTable, splitRow, type Align, type CellText } from './table.js';

const BOLD = 1;
const ITALIC = 2;
const UNDERLINE = 4;
const CODE = 8;
const DIM = 16;

const SGR: ReadonlyArray<readonly [number, string, string]> = [
  [BOLD, '1', '22'],
  [DIM, '2', '22'],
  [ITALIC, '3', '23'],
  [UNDERLINE, '4', '24'],
  [CODE, '36', '39'],
];

/** A piece of inline text with one style (a bit set of the constants above). */
interface Run {
  text: string;
  style: number;
}

interface Ctx {
  caps: RenderCaps;
  width: number;
}

/**
 * Renders Markdown to lines no wider than `caps.width` columns: `#` headings, `*emphasis*`, `**strong**`,
 * `` `code` ``, links, fenced code (indented, never re-flowed; an over-long line is broken with a `↪` marker),
 * bullet and numbered lists (hanging indent, nested by indentation), block quotes, rules and pipe tables (aligned
 * columns framed with box drawing, ASCII without Unicode; cells wrap at spaces, inline Markdown drawn). ANSI styles appear only when `caps.colors !== 0`; without colour, code keeps its backticks and
 * level 1–2 headings are underlined with `=` / `-`. Without Unicode, the output is 7-bit ASCII (see `toAscii`).
 * Every line is self-contained: styles are closed before its end.
 */
export function renderMarkdown(md: string, caps: RenderCaps): string[] {
  const ctx: Ctx = { caps, width: Math.max(1, Math.floor(caps.width)) };
  const lines = stripComments(sanitize(md).replace(/\r\n?/g, '\n')).split('\n');
  return renderBlocks(lines, ctx, ctx.width);
}

/** A piece of inline Markdown with its style, for text that shares its lines with other marks (a choice, a hint). */
export interface InlineSpan {
  /** The text (7-bit without Unicode; without colour, code keeps its backticks and emphasis is dropped). */
  text: string;
  /** Strong emphasis. */
  bold?: boolean;
  /** Emphasis. */
  italic?: boolean;
  /** Inline code. */
  code?: boolean;
}

/**
 * One paragraph of inline Markdown (`` `code` ``, `*emphasis*`, `**strong**`, links) as styled spans, not wrapped:
 * the caller lays them out after its own marks. Line breaks become spaces; styles follow `renderMarkdown`'s rules.
 */
export function inlineSpans(md: string, caps: RenderCaps): InlineSpan[] {
  const ctx: Ctx = { caps, width: Math.max(1, Math.floor(caps.width)) };
  const text = stripComments(sanitize(md).replace(/\r\n?/g, '\n')).replace(/\s+/g, ' ').trim();
  return parseInline(text, 0, ctx).map((r) => ({
    text: r.text,
    ...(r.style & BOLD ? { bold: true } : {}),
    ...(r.style & ITALIC ? { italic: true } : {}),
    ...(r.style & CODE ? { code: true } : {}),
  }));
}

/** Removes `<!-- … -->` comments outside fenced code: authors' notes, not for students. */
function stripComments(text: string): string {
  const parts = text.split(/(^\s*(?:```|~~~)[^\n]*$)/m);
  let fenced = false;
  return parts
    .map((part) => {
      if (/^\s*(```|~~~)/.test(part)) {
        fenced = !fenced;
        return part;
      }
      return fenced ? part : part.replace(/<!--[\s\S]*?(-->|$)/g, '');
    })
    .join('');
}

const HEADING = /^ {0,3}(#{1,6})\s+(.*?)(?:\s+#+)?\s*$/;
const FENCE_OPEN = /^(\s*)(`{3,}|~{3,})(.*)$/;
const RULE = /^ {0,3}([-*_])(\s*\1){2,}\s*$/;
const ITEM = /^(\s*)([-*+]|\d{1,9}[.)])(\s+)(.*)$/;
const QUOTE = /^ {0,3}>\s?(.*)$/;

/** Renders block-level Markdown within `width` columns. */
function renderBlocks(lines: string[], ctx: Ctx, width: number): string[] {
  const out: string[] = [];
  const gap = (): void => {
    if (out.length > 0 && out[out.length - 1] !== '') out.push('');
  };
  let i = 0;
  while (i < lines.length) {
    const line = lines[i]!;
    if (line.trim() === '') {
      i++;
      continue;
    }
    const fence = FENCE_OPEN.exec(line);
    if (fence) {
      const marker = fence[2]!;
      const body: string[] = [];
      i++;
      while (i < lines.length && !new RegExp(`^\\s*${marker[0] === '`' ? '`' : '~'}{${marker.length},}\\s*$`).test(lines[i]!)) {
        body.push(lines[i]!);
        i++;
      }
      i++; // the closing fence (or past the end)
      gap();
      out.push(...renderCode(body, ctx, width, true));
      continue;
    }
    const heading = HEADING.exec(line);
    if (heading) {
      gap();
      out.push(...renderHeading(heading[1]!.length, heading[2]!, ctx, width));
      i++;
      continue;
    }
    if (RULE.test(line)) {
      gap();
      out.push(style(ctx, (ctx.caps.unicode ? '─' : '-').repeat(width), DIM));
      i++;
      continue;
    }
    if (QUOTE.test(line)) {
      const inner: string[] = [];
      while (i < lines.length && lines[i]!.trim() !== '' && (QUOTE.test(lines[i]!) || inner.length > 0)) {
        const q = QUOTE.exec(lines[i]!);
        inner.push(q ? q[1]! : lines[i]!);
        i++;
      }
      gap();
      const bar = ctx.caps.unicode ? '│ ' : '| ';
      const [prefix, avail] = fitPrefix(bar, width);
      for (const l of renderBlocks(inner, ctx, avail)) out.push(style(ctx, prefix, DIM) + l);
      continue;
    }
    if (ITEM.test(line)) {
      gap();
      i = renderList(lines, i, ctx, width, out);
      continue;
    }
    if (isTableStart(line, lines[i + 1])) {
      const header = splitRow(line);
      const align = alignments(lines[i + 1]!);
      const rows: string[][] = [];
      i += 2;
      // Rows go on to a blank line or the start of another block; a row needs no outer pipes (`a | b`).
      while (i < lines.length && lines[i]!.trim() !== '' && /(^|[^\\])\|/.test(lines[i]!) && !startsBlock(lines[i]!)) rows.push(splitRow(lines[i++]!));
      gap();
      out.push(...renderTable(header, rows, align, ctx, width));
      continue;
    }
    if (line.trimStart().startsWith('|')) {
      // Pipe lines without a delimiter row are not a table: kept as written rather than re-flowed.
      const rows: string[] = [];
      while (i < lines.length && lines[i]!.trimStart().startsWith('|')) rows.push(lines[i++]!.trim());
      gap();
      out.push(...renderCode(rows, ctx, width, false));
      continue;
    }
    // A paragraph: lines up to a blank line or the start of another block.
    const para: string[] = [];
    while (i < lines.length) {
      const l = lines[i]!;
      if (l.trim() === '' || (para.length > 0 && (startsBlock(l) || isTableStart(l, lines[i + 1])))) break;
      para.push(l);
      i++;
    }
    // Setext headings: a paragraph underlined by `===` or `---`.
    const next = lines[i];
    if (next !== undefined && /^ {0,3}(=+|-+)\s*$/.test(next) && para.length > 0) {
      gap();
      out.push(...renderHeading(next.trim().startsWith('=') ? 1 : 2, para.join(' '), ctx, width));
      i++;
      continue;
    }
    gap();
    out.push(...wrap(paragraphRuns(para, ctx), ctx, width, [], []));
  }
  while (out.length > 0 && out[out.length - 1] === '') out.pop();
  return out;
}

function startsBlock(line: string): boolean {
  return FENCE_OPEN.test(line) || HEADING.test(line) || QUOTE.test(line) || ITEM.test(line) || RULE.test(line);
}

/** Joins a paragraph's lines; a line ending in two spaces or `\` keeps its break. */
function paragraphRuns(para: string[], ctx: Ctx, base = 0): Run[] {
  // Soft-wrapped source lines are one piece of text: emphasis may span them (`*from here\nto here*`).
  const pieces: string[] = [];
  let piece: string[] = [];
  para.forEach((raw, k) => {
    const hard = / {2,}$/.test(raw) || /\\$/.test(raw);
    piece.push(raw.trim().replace(/\\$/, ''));
    if (hard || k === para.length - 1) {
      pieces.push(piece.join(' '));
      piece = [];
    }
  });
  const runs: Run[] = [];
  pieces.forEach((text, k) => {
    runs.push(...parseInline(text, base, ctx));
    if (k < pieces.length - 1) runs.push({ text: '\n', style: base });
  });
  return runs;
}

function renderHeading(level: number, text: string, ctx: Ctx, width: number): string[] {
  const colour = ctx.caps.colors !== 0;
  const base = colour ? (level === 1 ? BOLD | UNDERLINE : level === 2 ? BOLD : BOLD | ITALIC) : 0;
  const lines = wrap(parseInline(text.trim(), base, ctx), ctx, width, [], []);
  if (!colour && level <= 2) {
    const w = Math.min(width, Math.max(...lines.map(displayWidth)));
    lines.push((level === 1 ? '=' : '-').repeat(Math.max(1, w)));
  }
  return lines;
}

/**
 * A pipe table: cells parsed as inline Markdown (the header bold with colour), laid out aligned within `width`
 * (see `layoutTable`: cells wrap at spaces, a table too wide for its words becomes one record per row).
 */
function renderTable(header: string[], rows: string[][], align: Align[], ctx: Ctx, width: number): string[] {
  const colour = ctx.caps.colors !== 0;
  const cell = (md: string, head: boolean): CellText => {
    const runs = parseInline(md, head && colour ? BOLD : 0, ctx);
    const words = toWords(runs);
    return {
      width: words.reduce((a, w) => a + w.width, 0) + Math.max(0, words.length - 1),
      word: Math.max(0, ...words.map((w) => w.width)),
      words: words.map((w) => w.width),
      lines: (w) => wrap(runs, ctx, Math.max(1, w), [], []),
    };
  };
  return layoutTable(
    header.map((h) => cell(h, true)),
    rows.map((r) => r.map((c) => cell(c, false))),
    align,
    width,
    { unicode: ctx.caps.unicode, dim: (t) => style(ctx, t, DIM) },
  );
}

/**
 * Code lines: indented by two columns, never re-flowed; a line too long is broken before the word that does not
 * fit (a word wider than the line, by characters), its rest after a continuation marker, so no word is split
 * where a space could take the break.
 */
function renderCode(body: string[], ctx: Ctx, width: number, indent: boolean): string[] {
  const out: string[] = [];
  const [prefix, avail] = fitPrefix(indent ? '  ' : '', width);
  const codeStyle = indent ? CODE : 0;
  // The marker says "this continues the line above"; on a one-column screen there is no room for it.
  const mark = avail > 1 ? (ctx.caps.unicode ? '↪' : '>') : '';
  for (const raw of body) {
    let text = expandTabs(raw.trimEnd());
    if (!ctx.caps.unicode) text = toAscii(text);
    let line = '';
    let w = 0;
    let continued = false;
    // Whether the current line holds any of the code yet (beyond the marker).
    let started = false;
    const flush = (): void => {
      out.push(prefix + (continued ? style(ctx, mark, DIM) : '') + style(ctx, continued ? line.replace(/\s+$/, '') : line.trimEnd(), codeStyle));
      line = '';
      continued = true;
      w = mark.length;
      started = false;
    };
    for (const token of text.match(/\s+|\S+/g) ?? []) {
      const chars = graphemes(token);
      const tw = chars.reduce((a, g) => a + graphemeWidth(g), 0);
      if (/^\s/.test(token)) {
        // Spaces at a break are the break; leading spaces (indentation) are kept.
        if (w + tw <= avail) {
          if (started || !continued) line += token;
          w += started || !continued ? tw : 0;
          started = started || !continued;
        } else if (started) flush();
        continue;
      }
      if (w + tw > avail && started && tw <= avail - mark.length) flush();
      for (const g of chars) {
        let piece = g;
        let gw = graphemeWidth(g);
        if (w + gw > avail && started) flush();
        if (gw > avail - w) {
          piece = '?'; // a wide character where only one column is left
          gw = 1;
        }
        line += piece;
        w += gw;
        started = true;
      }
    }
    if (started || !continued) flush();
  }
  return out;
}

function expandTabs(s: string): string {
  let out = '';
  for (const ch of s) out += ch === '\t' ? ' '.repeat(4 - (displayWidth(out) % 4)) : ch;
  return out;
}

/** Shortens a prefix (indentation, a quote bar) so at least one column is left for text. */
function fitPrefix(prefix: string, width: number): [string, number] {
  let p = prefix;
  while (p !== '' && displayWidth(p) > width - 1) p = p.slice(0, -1);
  return [p, width - displayWidth(p)];
}

interface Item {
  level: number;
  marker: string;
  text: string[];
}

/** Renders the list starting at line `start`; returns the index of the first line after it. */
function renderList(lines: string[], start: number, ctx: Ctx, width: number, out: string[]): number {
  const items: Item[] = [];
  const indents: number[] = [];
  let i = start;
  while (i < lines.length) {
    const line = lines[i]!;
    const m = ITEM.exec(line);
    if (m && !RULE.test(line)) {
      const indent = expandTabs(m[1]!).length;
      while (indents.length > 0 && indent < indents[indents.length - 1]!) indents.pop();
      if (indents.length === 0 || indent > indents[indents.length - 1]!) indents.push(indent);
      items.push({ level: indents.length - 1, marker: m[2]!, text: [m[4]!] });
      i++;
      continue;
    }
    if (line.trim() === '') {
      // A blank line ends the list unless an item or an indented continuation follows.
      let k = i;
      while (k < lines.length && lines[k]!.trim() === '') k++;
      const after = lines[k];
      if (after !== undefined && (ITEM.test(after) || /^\s{2,}\S/.test(after)) && !FENCE_OPEN.test(after)) {
        i = k;
        continue;
      }
      break;
    }
    if (startsBlock(line) && !/^\s{2,}/.test(line)) break;
    items[items.length - 1]!.text.push(line.trim());
    i++;
  }
  for (const item of items) {
    const bullet = /^\d/.test(item.marker) ? item.marker : ctx.caps.unicode ? '•' : '*';
    const indent = '  '.repeat(item.level);
    const [first] = fitPrefix(`${indent}${bullet} `, width);
    const [rest] = fitPrefix(' '.repeat(displayWidth(`${indent}${bullet} `)), width);
    out.push(...wrap(paragraphRuns(item.text, ctx), ctx, width, [{ text: first, style: 0 }], [{ text: rest, style: 0 }]));
  }
  return i;
}

/** Parses inline Markdown into styled runs (`base` is the surrounding style). */
function parseInline(s: string, base: number, ctx: Ctx): Run[] {
  const runs: Run[] = [];
  let lit = '';
  const push = (text: string, st: number): void => {
    if (lit !== '') {
      runs.push({ text: lit, style: base });
      lit = '';
    }
    if (text !== '') runs.push({ text, style: st });
  };
  const colour = ctx.caps.colors !== 0;
  let i = 0;
  while (i < s.length) {
    const c = s[i]!;
    const rest = s.slice(i);
    if (c === '\\' && i + 1 < s.length && /[!-/:-@[-`{-~]/.test(s[i + 1]!)) {
      lit += s[i + 1];
      i += 2;
      continue;
    }
    if (c === '`') {
      const ticks = /^`+/.exec(rest)![0];
      const close = findCodeClose(s, i + ticks.length, ticks.length);
      if (close >= 0) {
        let code = s.slice(i + ticks.length, close);
        if (code.startsWith(' ') && code.endsWith(' ') && code.trim() !== '') code = code.slice(1, -1);
        push(colour ? code : `\`${code}\``, colour ? base | CODE : base);
        i = close + ticks.length;
        continue;
      }
      lit += ticks;
      i += ticks.length;
      continue;
    }
    const image = /^!\[([^\]]*)\]\(([^)\s]+)(?:\s+"[^"]*")?\)/.exec(rest);
    if (image) {
      lit += `[image: ${image[1] || image[2]}]`;
      i += image[0].length;
      continue;
    }
    const link = /^\[([^\]]+)\]\(([^)\s]+)(?:\s+"[^"]*")?\)/.exec(rest);
    if (link) {
      const inner = parseInline(link[1]!, base, ctx);
      push('', base);
      runs.push(...inner);
      if (link[1] !== link[2]) push(` (${link[2]})`, colour ? base | UNDERLINE : base);
      i += link[0].length;
      continue;
    }
    const auto = /^<((?:https?|ftp):\/\/[^>\s]+|[^>\s@]+@[^>\s]+\.[^>\s]+)>/.exec(rest);
    if (auto) {
      push(auto[1]!, colour ? base | UNDERLINE : base);
      i += auto[0].length;
      continue;
    }
    if (c === '*' || c === '_') {
      const double = s[i + 1] === c;
      const len = double ? 2 : 1;
      const delim = c.repeat(len);
      const prev = i > 0 ? s[i - 1]! : ' ';
      const after = s[i + len] ?? ' ';
      // `_` inside words (snake_case result keys like rmse_test) is never emphasis.
      const canOpen = !/\s/.test(after) && after !== c && !(c === '_' && /[\p{L}\p{N}]/u.test(prev));
      if (canOpen) {
        const close = findDelimClose(s, i + len, delim);
        if (close >= 0) {
          const inner = s.slice(i + len, close);
          push('', base);
          runs.push(...parseInline(inner, base | (double ? BOLD : ITALIC), ctx));
          i = close + len;
          continue;
        }
      }
      lit += delim;
      i += len;
      continue;
    }
    lit += c;
    i++;
  }
  push('', base);
  if (!ctx.caps.unicode) for (const r of runs) r.text = toAscii(r.text);
  // Without colour, emphasis has no visible form and is dropped: the words stay.
  if (!colour) for (const r of runs) r.style = 0;
  return runs;
}

function findCodeClose(s: string, from: number, n: number): number {
  for (let k = from; k < s.length; k++) {
    if (s[k] !== '`') continue;
    let run = 0;
    while (s[k + run] === '`') run++;
    if (run === n) return k;
    k += run - 1;
  }
  return -1;
}

function findDelimClose(s: string, from: number, delim: string): number {
  const c = delim[0]!;
  for (let k = from; k < s.length; k++) {
    if (s[k] === '\\') {
      k++;
      continue;
    }
    if (s[k] === '`') {
      const ticks = /^`+/.exec(s.slice(k))![0].length;
      const close = findCodeClose(s, k + ticks, ticks);
      if (close >= 0) k = close + ticks - 1;
      continue;
    }
    if (!s.startsWith(delim, k)) continue;
    // A single delimiter must not be half of a double one (`*a **b** c*` closes at the last `*`).
    if (delim.length === 1 && s[k + 1] === c) {
      k++;
      continue;
    }
    const prev = s[k - 1] ?? ' ';
    const next = s[k + delim.length] ?? ' ';
    if (k > from && !/\s/.test(prev) && !(c === '_' && /[\p{L}\p{N}]/u.test(next))) return k;
  }
  return -1;
}

interface Word {
  runs: Run[];
  width: number;
  /** Style of the space before the word (so an underlined heading stays underlined between words). */
  sepStyle: number;
  /** A forced line break before this word. */
  breakBefore: boolean;
}

function toWords(runs: Run[]): Word[] {
  const words: Word[] = [];
  let current: Word | null = null;
  let sepStyle = 0;
  let breakNext = false;
  for (const run of runs) {
    for (const g of graphemes(run.text)) {
      if (g === '\n' || /^\s+$/.test(g)) {
        if (current) words.push(current);
        current = null;
        sepStyle = run.style;
        if (g === '\n') breakNext = true;
        continue;
      }
      if (!current) {
        current = { runs: [], width: 0, sepStyle, breakBefore: breakNext };
        breakNext = false;
      }
      const last = current.runs[current.runs.length - 1];
      if (last && last.style === run.style) last.text += g;
      else current.runs.push({ text: g, style: run.style });
      current.width += graphemeWidth(g);
    }
  }
  if (current) words.push(current);
  return words;
}

/** Greedy word wrap by display width; words longer than a line are cut. Prefixes go before first/other lines. */
function wrap(runs: Run[], ctx: Ctx, width: number, firstPrefix: Run[], restPrefix: Run[]): string[] {
  const out: string[] = [];
  const pw = (p: Run[]): number => p.reduce((a, r) => a + displayWidth(r.text), 0);
  let line: Run[] = [...firstPrefix];
  let used = pw(firstPrefix);
  let empty = true;
  const flush = (): void => {
    out.push(serialize(line, ctx));
    line = [...restPrefix];
    used = pw(restPrefix);
    empty = true;
  };
  for (const word of toWords(runs)) {
    if (word.breakBefore && !empty) flush();
    const space = empty ? 0 : 1;
    if (used + space + word.width <= width) {
      if (!empty) line.push({ text: ' ', style: word.sepStyle });
      line.push(...word.runs);
      used += space + word.width;
      empty = false;
      continue;
    }
    if (!empty) flush();
    if (used + word.width <= width) {
      line.push(...word.runs);
      used += word.width;
      empty = false;
      continue;
    }
    // A word wider than the line (a long URL or path): cut it by graphemes.
    for (const run of word.runs) {
      for (const g of graphemes(run.text)) {
        let gw = graphemeWidth(g);
        let text = g;
        if (used + gw > width && !empty) flush();
        if (used + gw > width) {
          text = '?'; // a wide character on a one-column line
          gw = 1;
        }
        line.push({ text, style: run.style });
        used += gw;
        empty = false;
      }
    }
  }
  if (!empty || out.length === 0) out.push(serialize(line, ctx));
  return out;
}

function style(ctx: Ctx, text: string, st: number): string {
  if (ctx.caps.colors === 0 || st === 0 || text === '') return text;
  const on = SGR.filter(([bit]) => st & bit).map(([, o]) => o);
  const off = [...new Set(SGR.filter(([bit]) => st & bit).map(([, , c]) => c))];
  return `\x1b[${on.join(';')}m${text}\x1b[${off.join(';')}m`;
}

function serialize(runs: Run[], ctx: Ctx): string {
  let out = '';
  let pending: Run | null = null;
  for (const r of runs) {
    if (pending && pending.style === r.style) pending.text += r.text;
    else {
      if (pending) out += style(ctx, pending.text, pending.style);
      pending = { ...r };
    }
  }
  if (pending) out += style(ctx, pending.text, pending.style);
  return out.replace(/\s+$/, '');
}

/** Options for `plainLesson`. */
export interface PlainLessonOptions {
  /** Whether the output may hold Unicode (default true); false gives 7-bit ASCII. */
  unicode?: boolean;
}

/**
 * The whole lesson as plain text (no escape sequences) wrapped to `width`: pages, each experiment with the
 * `eds run` command that runs it, and each question with its choices (never marking the right ones).
 */
export function plainLesson(lesson: Lesson, width: number, options: PlainLessonOptions = {}): string {
  const caps: RenderCaps = { width: Math.max(20, Math.floor(width)), height: 10_000, colors: 0, unicode: options.unicode ?? true };
  const md = (text: string): string[] => renderMarkdown(text, caps);
  const out: string[] = [...md(`# ${escapeInline(lesson.title)}`), ...md(`Session ${lesson.session}. ${lesson.summary}`)];
  lesson.steps.forEach((step, k) => {
    out.push('');
    const n = k + 1;
    if (step.kind === 'page') {
      out.push(...md(`## ${n}. ${escapeInline(step.title)}`), '', ...md(step.body));
    } else if (step.kind === 'experiment') {
      out.push(...md(`## ${n}. Experiment: ${escapeInline(step.title)}`), '');
      if (step.body !== '') out.push(...md(step.body), '');
      out.push(...md(`Run it: \`${runCommand(lesson, step.task, step.defaults)}\``));
      for (const [option, values] of Object.entries(step.choices)) {
        out.push(...md(`- Try \`${flag(option)}\` with ${values.map((v) => `\`${v}\``).join(', ')}`));
      }
    } else {
      out.push(...md(`## ${n}. ${questionLabel(step)}`), '', ...md(step.prompt));
      if (step.options.length > 0) {
        out.push('');
        // Letters, as the grader reads typed choices (`B`, `b,d`); continuation lines hang under the text.
        const narrow: RenderCaps = { ...caps, width: caps.width - 3 };
        step.options.forEach((o, i) => {
          const lines = renderMarkdown(o.text, narrow);
          lines.forEach((l, j) => out.push(`${j === 0 ? `${String.fromCharCode(65 + i)})` : '  '} ${l}`));
        });
      }
      const how = answerHow(step);
      if (how !== '') out.push('', ...md(how));
    }
  });
  return out.join('\n');
}

function escapeInline(text: string): string {
  return text.replace(/([\\`*_[\]<#])/g, '\\$1');
}

/** A lesson's option (`max_gap`, `test-size`, `maxDepth`) as the command line spells it (`--max-gap`). */
function flag(option: string): string {
  return `--${kebabCase(camelCase(option))}`;
}

function runCommand(lesson: Lesson, task: string, defaults: Record<string, string>): string {
  const args = [`eds run ${task}`];
  if (lesson.dataset !== undefined && defaults.dataset === undefined && defaults.data === undefined) args.push(`--dataset ${lesson.dataset}`);
  for (const [k, v] of Object.entries(defaults)) args.push(`${flag(k)} ${v}`);
  return args.join(' ');
}

function questionLabel(q: QuestionStep): string {
  switch (q.type) {
    case 'single':
      return 'Question (one answer)';
    case 'multiple':
      return 'Question (all that apply)';
    case 'numeric':
      return 'Question (a number)';
    case 'text':
      return 'Question (a short answer)';
    case 'predict':
      return 'Predict, then run';
  }
}

function answerHow(q: QuestionStep): string {
  // The run a number comes from, as the tutor reads it: `--model ransac` on the printed `eds run` command.
  const options = Object.entries(q.run?.options ?? {})
    .map(([k, v]) => `\`${flag(k)} ${v}\``)
    .join(' ');
  const unit = q.unit !== undefined ? ` Answer in ${q.unit}.` : '';
  if (q.type === 'predict' && q.experiment !== undefined)
    return `Write down your prediction, then run the experiment \`${q.experiment}\`${options ? ` with ${options}` : ''}.${unit}`;
  if (q.type === 'numeric' && q.answer?.kind === 'result') {
    const which = options
      ? `your own run of \`${q.answer.step}\` with ${options}`
      : q.run
        ? `your latest run of \`${q.answer.step}\``
        : `your own run of \`${q.answer.step}\``;
    return `Answer from ${which}.${unit}`;
  }
  return unit.trim();
}
