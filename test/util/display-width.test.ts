// displayWidth must agree with string-width, the measure Ink lays its boxes out with: any disagreement shifts
// a border or a padded column by one cell on screen.
import stringWidth from 'string-width';
import { describe, expect, it } from 'vitest';
import { truncate } from '../../src/render/text.js';
import { displayWidth, graphemes, graphemeWidth } from '../../src/util/text.js';

// Characters that disagreed before (☰, flags), and the classes a lesson or a student's answer may hold.
const SAMPLES = [
  'plain ASCII text',
  '☰ menu',
  '🇫🇷🇯🇵 flags',
  '地震学 CJK',
  'ｆｕｌｌｗｉｄｔｈ',
  'e\u0301te\u0301 combining',
  '👩‍🔬 ZWJ scientist, 👨‍👩‍👧 family',
  '👍🏽 skin tone',
  '❤️ ✔️ variation selectors, ❤ ✔ without',
  'tab\tbell\x07 NUL\0 DEL\x7f controls',
  'soft\u00adhyphen zero\u200bwidth',
  'λ σ ° µ ± Greek and units',
  '한국어 Hangul, 가 jamo',
  '🏴󠁧󠁢󠁳󠁣󠁴󠁿 tag sequence',
];

// Every code point of a few blocks where hand-written tables usually drift (symbols, arrows, dingbats, emoji).
const BLOCKS: Array<[number, number]> = [
  [0x2190, 0x21ff],
  [0x2300, 0x23ff],
  [0x2600, 0x27bf],
  [0x2b00, 0x2bff],
  [0x3000, 0x303f],
  [0x1f300, 0x1f5ff],
  [0x1f900, 0x1f9ff],
];

describe('displayWidth', () => {
  it('equals string-width on mixed samples, escapes excluded', () => {
    for (const text of SAMPLES) {
      expect(displayWidth(text), JSON.stringify(text)).toBe(stringWidth(text));
      expect(displayWidth(`\x1b[1;31m${text}\x1b[0m`), JSON.stringify(text)).toBe(stringWidth(text));
    }
    expect(displayWidth('☰')).toBe(2);
    expect(displayWidth('🇫🇷')).toBe(2);
  });

  it('equals string-width on every code point of the symbol and emoji blocks', () => {
    const differ: string[] = [];
    for (const [lo, hi] of BLOCKS) {
      for (let cp = lo; cp <= hi; cp++) {
        const ch = String.fromCodePoint(cp);
        if (displayWidth(ch) !== stringWidth(ch)) differ.push(cp.toString(16));
      }
    }
    expect(differ).toEqual([]);
  });

  it('is the sum of its graphemes’ widths', () => {
    for (const text of SAMPLES) {
      expect(
        graphemes(text).reduce((a, g) => a + graphemeWidth(g), 0),
        JSON.stringify(text),
      ).toBe(displayWidth(text));
    }
  });

  it('truncates whole graphemes: a flag or a ZWJ sequence is kept or dropped, never split', () => {
    expect(truncate('ab🇫🇷cd', 3)).toBe('ab');
    expect(truncate('ab🇫🇷cd', 4)).toBe('ab🇫🇷');
    expect(truncate('👩‍🔬x', 2)).toBe('👩‍🔬');
    expect(displayWidth(truncate('地震学', 5))).toBe(4);
  });
});
