// What reaches Ink from the terminal. A student can paste anything: an escape sequence Ink cannot name (a colour
// code such as ESC[31m copied from a log) made Ink 6.8's useInput read `.startsWith` of an undefined key name and
// crash the tutor; others (ESC[2J, an OSC title) arrived as text typed into the answer. Only the sequences of keys
// are let through; every other control sequence is dropped before Ink parses the input.

const ESC = '\u001B';

/** The CSI final bytes of keys: arrows, Home/End, F1–F4, shift-Tab, focus in/out, Kitty's keys. */
const CSI_KEY_FINALS = new Set(['A', 'B', 'C', 'D', 'E', 'F', 'H', 'P', 'Q', 'R', 'S', 'Z', 'I', 'O', 'u']);
/** ESC[n~ keys: Home, Insert, Delete, End, PgUp, PgDn, Home/End (rxvt), F1–F12, and the bracketed-paste marks. */
const TILDE_KEYS = new Set([1, 2, 3, 4, 5, 6, 7, 8, 11, 12, 13, 14, 15, 17, 18, 19, 20, 21, 23, 24, 200, 201]);
/** SS3 (ESC O x) keys: arrows, Home/End, F1–F4, the keypad's Enter. */
const SS3_KEYS = new Set(['A', 'B', 'C', 'D', 'E', 'F', 'H', 'M', 'P', 'Q', 'R', 'S']);

/** Where an escape sequence starting at `i` ends (exclusive), and whether it is a key; 'partial' when cut off. */
function scanEscape(text: string, i: number): { end: number; key: boolean } | 'partial' {
  const kind = text[i + 1];
  if (kind === undefined) return { end: i + 1, key: true }; // Esc pressed alone
  if (kind === '[') {
    let j = i + 2;
    if (text[j] === '[') j++; // the Linux console's ESC[[A
    const paramsStart = j;
    while (j < text.length && text.charCodeAt(j) >= 0x20 && text.charCodeAt(j) <= 0x3f) j++;
    if (j >= text.length) return 'partial';
    const final = text.charCodeAt(j);
    if (final < 0x40 || final > 0x7e) return { end: j, key: false }; // not a sequence: drop what was read of it
    const params = text.slice(paramsStart, j);
    const finalChar = text[j]!;
    const wellFormed = /^[0-9;:]*$/.test(params);
    const key = wellFormed && (finalChar === '~' ? TILDE_KEYS.has(Number(params.split(';')[0])) : CSI_KEY_FINALS.has(finalChar));
    return { end: j + 1, key };
  }
  if (kind === 'O') {
    const final = text[i + 2];
    if (final === undefined) return 'partial';
    return { end: i + 3, key: SS3_KEYS.has(final) };
  }
  if (kind === ']' || kind === 'P' || kind === '_' || kind === '^' || kind === 'X') {
    // OSC, DCS, APC, PM, SOS: a string up to BEL or ESC \ (a window title, a terminal query answer).
    for (let j = i + 2; j < text.length; j++) {
      if (text[j] === '\u0007') return { end: j + 1, key: false };
      if (text[j] === ESC && text[j + 1] === '\\') return { end: j + 2, key: false };
    }
    return 'partial';
  }
  // ESC then a character: Alt/Meta with that key (or Esc typed before it), which Ink names.
  return { end: i + 1 + (text.codePointAt(i + 1)! > 0xffff ? 2 : 1), key: true };
}

/**
 * The input with every escape sequence that is not a key removed, and the start of one cut off at the end of this
 * chunk held back (`rest`) to be read with the next chunk.
 */
export function keepKeySequences(text: string): { kept: string; rest: string } {
  let kept = '';
  let from = 0;
  for (let i = text.indexOf(ESC); i !== -1; i = text.indexOf(ESC, from)) {
    const seq = scanEscape(text, i);
    if (seq === 'partial') return { kept: kept + text.slice(from, i), rest: text.slice(i) };
    kept += text.slice(from, seq.key ? seq.end : i);
    from = seq.end;
  }
  return { kept: kept + text.slice(from), rest: '' };
}

const guarded = new WeakSet<NodeJS.ReadStream>();

/** A held sequence longer than this is no key: it is dropped rather than grown without bound. */
const MAX_HELD = 256;

/**
 * Filters what Ink reads from `stdin` through {@link keepKeySequences}. Ink reads with `stdin.read()` in a loop on
 * 'readable'; the wrapper returns only non-empty filtered text, and null when nothing is left.
 */
export function guardTerminalInput(stdin: NodeJS.ReadStream): void {
  if (guarded.has(stdin)) return;
  guarded.add(stdin);
  const read = stdin.read.bind(stdin);
  let held = '';
  stdin.read = ((size?: number) => {
    for (;;) {
      const chunk: unknown = read(size);
      if (chunk === null) return null;
      const { kept, rest } = keepKeySequences(held + String(chunk));
      held = rest.length > MAX_HELD ? '' : rest;
      if (kept !== '') return kept;
    }
  }) as typeof stdin.read;
}
