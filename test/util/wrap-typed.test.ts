// Typed answers wrap at spaces, every character kept, so the field reads as typed and its end stays where the cursor is.
import { describe, expect, it } from 'vitest';
import { displayWidth, wrapTyped } from '../../src/util/text.js';
import { fieldLines } from '../../src/tui/components/LessonScreen.js';

describe('wrapTyped', () => {
  it('breaks at spaces, keeps every character, never wider than the width', () => {
    const text = 'the split by time  keeps   tomorrow out of the training set';
    for (const w of [1, 3, 8, 12, 20, 80]) {
      const rows = wrapTyped(text, w);
      expect(rows.join('')).toBe(text);
      for (const r of rows) expect(displayWidth(r)).toBeLessThanOrEqual(w);
      // A word no wider than the line is never split over two.
      if (w >= 8) for (const word of text.split(/\s+/)) expect(rows.some((r) => r.includes(word))).toBe(true);
    }
    expect(wrapTyped(text, 20)).toEqual(['the split by time  ', 'keeps   tomorrow out', ' of the training set']);
  });
  it('breaks a word wider than the line, and wide characters by their columns', () => {
    expect(wrapTyped('abcdefghij', 4)).toEqual(['abcd', 'efgh', 'ij']);
    expect(wrapTyped('沉积物 浓度', 4)).toEqual(['沉积', '物 ', '浓度']);
    expect(wrapTyped('', 10)).toEqual(['']);
  });
  it('lays the answer field out at word boundaries', () => {
    const lines = fieldLines('because a random split lets the model see tomorrow', 24, true, '>');
    // A space that does not fit after a full line starts the next one: the field shows what was typed.
    expect(lines.map((l) => l.text)).toEqual(['because a random split', ' lets the model see ', 'tomorrow']);
    expect(lines.map((l) => l.lead)).toEqual(['> ', '  ', '  ']);
  });
});
