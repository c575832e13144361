// Code lines too long for the screen break before a word that does not fit, after a continuation marker.
import { describe, expect, it } from 'vitest';
import { renderMarkdown } from '../../src/lessons/markdown.js';
import { displayWidth } from '../../src/util/text.js';

const caps = (width: number, unicode = true) => ({ width, height: 24, colors: 0 as const, unicode });

describe('long code lines', () => {
  it('break at a space where one is, keeping the words and the indentation', () => {
    const md = '```\neds run classify --dataset volcano --features spectral_entropy,snr_db,duration_s\n    indented = 1\n\nlast\n```';
    expect(renderMarkdown(md, caps(50))).toEqual([
      '  eds run classify --dataset volcano --features',
      '  ↪spectral_entropy,snr_db,duration_s',
      '      indented = 1',
      '  ',
      '  last',
    ]);
    expect(renderMarkdown(md, caps(50, false))[1]).toBe('  >spectral_entropy,snr_db,duration_s');
  });
  it('break a word wider than the line by characters, never past the width', () => {
    const md = '```\na verylongwordwithoutanyspaceinside b\n```';
    for (let w = 1; w <= 40; w++) for (const l of renderMarkdown(md, caps(w))) expect(displayWidth(l)).toBeLessThanOrEqual(w);
    // A word wider than any line starts where it is and goes on over the next lines.
    expect(renderMarkdown(md, caps(14))).toEqual(['  a verylongwo', '  ↪rdwithoutan', '  ↪yspaceinsid', '  ↪e b']);
  });
});
