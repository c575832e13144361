// The filter between the terminal and Ink (src/tui/terminal-input.ts): keys pass, other escape sequences go, and
// nothing left makes Ink's own key parser produce the unnamed modified key that crashed useInput.
import { describe, expect, it } from 'vitest';
import { keepKeySequences } from '../../src/tui/terminal-input.js';
import { splitKeys } from '../../src/tui/keys.js';
import { createRng } from '../../src/util/rng.js';

// Ink's own parsers, by path (the package exports only its index): what useInput does with each event.
const { createInputParser } = (await import(new URL('../../node_modules/ink/build/input-parser.js', import.meta.url).href)) as {
  createInputParser: () => { push(chunk: string): string[]; flushPendingEscape(): string | undefined };
};
const parseKeypress = (await import(new URL('../../node_modules/ink/build/parse-keypress.js', import.meta.url).href)).default as (s: string) => {
  name?: string;
  ctrl: boolean;
  sequence: string;
};

/** What Ink's useInput would compute as `input` for each event, or 'crash' where it reads a missing name. */
function inkInputs(text: string): string[] {
  const parser = createInputParser();
  const events = parser.push(text);
  const pending = parser.flushPendingEscape();
  if (pending) events.push(pending);
  return events.map((e) => {
    const k = parseKeypress(e);
    const input = k.ctrl ? k.name : k.sequence;
    return input === undefined ? 'crash' : input;
  });
}

const ESC = '\u001B';
const KEYS = [
  `${ESC}[A`,
  `${ESC}[B`,
  `${ESC}[C`,
  `${ESC}[D`,
  `${ESC}[1;5A`,
  `${ESC}[5~`,
  `${ESC}[6~`,
  `${ESC}[3~`,
  `${ESC}[Z`,
  `${ESC}OA`,
  `${ESC}[H`,
  `${ESC}[F`,
  ESC,
  `${ESC}x`,
];
const JUNK = [
  `${ESC}[31m`,
  `${ESC}[0m`,
  `${ESC}[38;5;196m`,
  `${ESC}[2J`,
  `${ESC}[K`,
  `${ESC}[99;5~`,
  `${ESC}[?62;c`,
  `${ESC}]0;pwned\u0007`,
  `${ESC}]52;c;aGk=${ESC}\\`,
  `${ESC}P1$r${ESC}\\`,
  `${ESC}Oz`,
];

describe('keepKeySequences', () => {
  it('keeps every key eds reads, and plain text around them', () => {
    for (const k of KEYS) expect(keepKeySequences(`a${k}b`).kept, JSON.stringify(k)).toBe(`a${k}b`);
    expect(keepKeySequences('0.42\r').kept).toBe('0.42\r');
    expect(keepKeySequences('résumé – ✓').kept).toBe('résumé – ✓');
  });

  it('drops colour codes, clears, titles, terminal answers and unknown keys, keeping the text', () => {
    for (const j of JUNK) expect(keepKeySequences(`the ${j}twins`).kept, JSON.stringify(j)).toBe('the twins');
    expect(keepKeySequences(` x${ESC}[31my`).kept).toBe(' xy');
  });

  it('holds a sequence cut at the end of a chunk for the next one, and lets a lone Esc through', () => {
    expect(keepKeySequences(`ab${ESC}[3`)).toEqual({ kept: 'ab', rest: `${ESC}[3` });
    expect(keepKeySequences(`${ESC}[3` + '1mc').kept).toBe('c');
    expect(keepKeySequences(`ab${ESC}]0;ti`)).toEqual({ kept: 'ab', rest: `${ESC}]0;ti` });
    expect(keepKeySequences(ESC)).toEqual({ kept: ESC, rest: '' });
  });

  it('on the old crash input and 3,000 random pastes, leaves nothing that Ink parses into an unnamed key', () => {
    expect(inkInputs(` x${ESC}[31my`)).toContain('crash');
    expect(inkInputs(keepKeySequences(` x${ESC}[31my`).kept)).not.toContain('crash');
    const rng = createRng(7);
    const alphabet = [ESC, '[', ']', 'O', ';', '~', '1', '3', '5', '9', 'm', 'A', 'u', 'P', '\\', '\u0007', 'a', ' ', '\r', '\u0015', '2', '0'];
    for (let n = 0; n < 3000; n++) {
      let s = '';
      const len = 1 + Math.floor(rng.next() * 24);
      for (let i = 0; i < len; i++) s += alphabet[Math.floor(rng.next() * alphabet.length)];
      const { kept } = keepKeySequences(s);
      expect(inkInputs(kept), JSON.stringify(s)).not.toContain('crash');
    }
  });
});

describe('splitKeys on a paste', () => {
  const plain = { ctrl: false, meta: false, shift: false, return: false, backspace: false, delete: false, tab: false, escape: false } as never;
  it('drops control characters that would sit invisible in the answer, keeps Enter, Backspace, Tab and Ctrl-C', () => {
    const keys = splitKeys('0.3\u001555\u0000\u0085\r', plain);
    expect(keys.map(([i]) => i).join('')).toBe('0.355');
    expect(keys.at(-1)![1].return).toBe(true);
    expect(splitKeys('ab\u0003', plain).at(-1)).toEqual(['c', expect.objectContaining({ ctrl: true })]);
    expect(splitKeys('a\u007fb\t', plain).map(([, k]) => [k.backspace, k.tab])).toEqual([
      [false, false],
      [true, false],
      [false, false],
      [false, true],
    ]);
  });
});
