// The quick path of `graphemes` (one grapheme per code point when nothing can join) splits as Intl.Segmenter does.
import { describe, expect, it } from 'vitest';
import { graphemes } from '../../src/util/text.js';
import { createRng } from '../../src/util/rng.js';

const segmenter = new Intl.Segmenter('en', { granularity: 'grapheme' });
const reference = (s: string) => Array.from(segmenter.segment(s), (x) => x.segment);

// Pieces a lesson or a hostile file may hold: ASCII, controls, CR LF, Greek, typography, box drawing, CJK, emoji,
// combining marks, joiners, flags, skin tones, variation selectors, Hangul jamo, tags, prepended marks.
const PIECES = [
  'a',
  ' ',
  'Z',
  '\t',
  '\n',
  '\r',
  '\r\n',
  '\x1b',
  '\x07',
  'λ',
  '—',
  '…',
  '│',
  '沉',
  '🌊',
  '\u0301',
  '\u200d',
  '\u200c',
  '👩',
  '🇫',
  '🇷',
  '\u{1f3fd}',
  '\ufe0f',
  '\u1100',
  '\u1161',
  '\u11a8',
  '가',
  '\u{e0067}',
  '\u0600',
  'ﾞ',
  '\u0915\u094d',
  '\u0d4e',
  '\u0d15',
  '\u{11a84}',
  'é',
  '\u202e',
  '\ud800',
];

describe('graphemes', () => {
  it('splits like the segmenter on fixed and random mixtures', () => {
    for (const s of ['', 'plain ascii', 'line\r\nbreak', 'e\u0301 and 🇫🇷 and 👩\u200d👩', 'λ ≈ (⅓, ⅓, ⅓) │ 沉积', '\u1100\u1161\u11a8'])
      expect(graphemes(s)).toEqual(reference(s));
    const rng = createRng(21);
    for (let k = 0; k < 3000; k++) {
      const n = 1 + rng.int(12);
      const s = Array.from({ length: n }, () => PIECES[rng.int(PIECES.length)]!).join('');
      expect(graphemes(s)).toEqual(reference(s));
    }
  });
});
