// Pipe tables in lesson Markdown: aligned columns, cells wrapped at spaces within the width, one record per row
// when the words do not fit side by side, box drawing or 7-bit ASCII, inline Markdown in cells, hostile text inert.
import { describe, expect, it } from 'vitest';
import { renderMarkdown } from '../../src/lessons/markdown.js';
import { alignments, isTableStart, splitRow } from '../../src/lessons/table.js';
import type { RenderCaps } from '../../src/render/caps.js';
import { displayWidth, stripAnsi } from '../../src/util/text.js';

const caps = (width: number, colors: RenderCaps['colors'] = 0, unicode = true): RenderCaps => ({ width, height: 24, colors, unicode });
const render = (md: string, c: RenderCaps) => renderMarkdown(md, c).map(stripAnsi);
const words = (s: string) => s.split(/\s+/).filter((w) => w !== '' && !/^[│|─┼+-]+$/.test(w));

const SCORES = `| score | formula | asks |
|---|---|---|
| overall accuracy | correct / all | how often is the model right? |
| precision | TP / (TP + FP) | when it says vegetation, is it? |
| recall | TP / (TP + FN) | how much of the vegetation does it find? |
| **IoU** | \`TP / (TP + FP + FN)\` | overlap of the predicted and the true class, over their union |`;

describe('table rows', () => {
  it('splits cells, drops outer pipes and keeps an escaped pipe in its cell', () => {
    expect(splitRow('| a | b c |  d |')).toEqual(['a', 'b c', 'd']);
    expect(splitRow('a | b')).toEqual(['a', 'b']);
    expect(splitRow('| `x\\|y` | z |')).toEqual(['`x|y`', 'z']);
    expect(splitRow('| a | |')).toEqual(['a', '']);
  });
  it('reads alignments and needs a delimiter row to start a table', () => {
    expect(alignments('|:--|:-:|--:|---|')).toEqual(['left', 'center', 'right', 'left']);
    expect(isTableStart('| a | b |', '|---|---|')).toBe(true);
    expect(isTableStart('a | b', '--- | ---')).toBe(true);
    expect(isTableStart('| a | b |', '| c | d |')).toBe(false);
    expect(isTableStart('just text', '---')).toBe(false);
    expect(isTableStart('|---|---|', '|---|---|')).toBe(false);
  });
});

describe('pipe tables', () => {
  it('aligns columns as the delimiter row asks, header ruled off, nothing raw left', () => {
    const md = '| name | mid | n |\n|:--|:-:|--:|\n| a | bb | 1 |\n| ccccc | d | 100 |';
    expect(render(md, caps(40))).toEqual(['name  │ mid │   n', '──────┼─────┼────', 'a     │ bb  │   1', 'ccccc │  d  │ 100']);
  });

  it('keeps short columns whole and wraps a long one at spaces, every row within the width', () => {
    for (const w of [50, 60, 78, 90, 100]) {
      const lines = render(SCORES, caps(w));
      for (const l of lines) expect(displayWidth(l)).toBeLessThanOrEqual(w);
      // Short columns are not broken where the long one can give them room: their cells read whole on one line.
      const whole = w >= 90 ? ['overall accuracy', '`TP / (TP + FP + FN)`', 'TP / (TP + FN)'] : w >= 78 ? ['overall accuracy', 'TP / (TP + FN)'] : [];
      for (const short of whole) expect(lines.some((l) => l.includes(short))).toBe(true);
      expect(lines.some((l) => l.includes('how often is the model right?'))).toBe(w >= 60);
      // Every word of every cell is there, none split in two.
      const shown = new Set(lines.flatMap(words));
      for (const word of words(SCORES.replace(/[|*`]|---/g, ' '))) expect(shown.has(word)).toBe(true);
      // A row taking more than one line is ruled apart from the next.
      expect(lines.filter((l) => /^─+┼/.test(l)).length).toBeGreaterThan(1);
      expect(lines.some((l) => l.startsWith('|') || l.includes('|---'))).toBe(false);
    }
  });

  it('lines up each column at one position on every line', () => {
    const lines = render(SCORES, caps(60));
    const bars = lines.map((l) => [...l].flatMap((ch, i) => (ch === '│' || ch === '┼' ? [i] : [])));
    for (const b of bars) expect(b).toEqual(bars[0]);
  });

  it('shows one record per row when the words cannot stand side by side, and never breaks a word', () => {
    const lines = render(SCORES, caps(31));
    for (const l of lines) expect(displayWidth(l)).toBeLessThanOrEqual(31);
    expect(lines.slice(0, 6)).toEqual(['score', '  overall accuracy', 'formula', '  correct / all', 'asks', '  how often is the model right?']);
    expect(lines.filter((l) => /^─+$/.test(l))).toHaveLength(3);
    const shown = new Set(lines.flatMap(words));
    for (const word of words(SCORES.replace(/[|*`]|---/g, ' '))) expect(shown.has(word)).toBe(true);
  });

  it('fits every width from 1 to 100, with and without colour and Unicode', () => {
    for (const [colors, unicode] of [
      [0, true],
      [256, true],
      [0, false],
      [16, false],
    ] as const) {
      for (let w = 1; w <= 100; w++) {
        for (const l of renderMarkdown(SCORES, caps(w, colors, unicode))) {
          if (displayWidth(l) > w) throw new Error(`width ${w}, colors ${colors}, unicode ${unicode}: ${JSON.stringify(l)}`);
        }
      }
    }
  });

  it('draws with ASCII when the terminal has no Unicode, 7-bit throughout', () => {
    const md = '| λ | ≈ value |\n|---|---|\n| σ² | ± 0.5 — “quoted” |';
    const lines = render(md, caps(40, 0, false));
    expect(lines).toEqual(['lambda  | ~ value', '--------+--------------------', 'sigma^2 | +/- 0.5 -- "quoted"']);
    for (const l of render(SCORES, caps(50, 0, false))) expect(l).toMatch(/^[\x20-\x7e]*$/);
  });

  it('draws inline Markdown in cells: code without backticks, bold, the header bold', () => {
    const coloured = renderMarkdown(SCORES, caps(90, 256));
    const row = coloured.find((l) => stripAnsi(l).includes('IoU'))!;
    expect(row).toContain('\x1b[1mIoU\x1b[22m');
    expect(row).toContain('\x1b[36mTP / (TP + FP + FN)\x1b[39m');
    expect(row).not.toContain('`');
    expect(coloured[0]).toContain('\x1b[1mscore\x1b[22m');
    // Without colour, code keeps its backticks and emphasis its words, as on a page.
    expect(render(SCORES, caps(90)).join('\n')).toContain('`TP / (TP + FP + FN)`');
  });

  it('keeps hostile cell text inert: control codes removed, only the renderer’s own styles', () => {
    const md = '| a\x1b[2J | b\x07\x9b31m |\n|---|---|\n| \x1b]0;title\x07x | \x1b[31mred\u202e\u0000 |\n| 沉积物 🌊 | e\u0301\ttab |';
    for (const c of [caps(30), caps(30, 256), caps(12, 0, false), caps(5, 'truecolor')]) {
      const lines = renderMarkdown(md, c);
      for (const l of lines) {
        expect(displayWidth(l)).toBeLessThanOrEqual(c.width);
        const rest = l.replace(/\x1b\[[0-9;]*m/g, '');
        expect(rest).not.toMatch(/[\x00-\x08\x0b-\x1f\x7f-\x9f]/);
        if (c.colors === 0) expect(l).not.toContain('\x1b');
      }
    }
    expect(render(md, caps(40)).join('\n')).toContain('沉积物 🌊');
  });

  it('keeps every cell of a ragged row, and ends at a blank line or another block', () => {
    const md = 'Before:\n| a | b |\n|---|---|\n| 1 | 2 | extra |\n| 3 |\n\nAfter.\n\n| x | y |\n|---|---|\n| 1 | 2 |\n# Heading';
    const lines = render(md, caps(40));
    expect(lines).toEqual([
      'Before:',
      '',
      'a │ b │',
      '──┼───┼──────',
      '1 │ 2 │ extra',
      '3 │   │',
      '',
      'After.',
      '',
      'x │ y',
      '──┼──',
      '1 │ 2',
      '',
      'Heading',
      '=======',
    ]);
  });

  it('keeps pipe lines without a delimiter row as written', () => {
    expect(render('| a | b |\n| c | d |', caps(40))).toEqual(['| a | b |', '| c | d |']);
  });
});
