// Key bindings as named commands in one table: components ask "is this NEXT?", never compare raw keys.
import type { Key } from 'ink';

/** Every command the TUI understands. */
export type Command = 'next' | 'prev' | 'up' | 'down' | 'left' | 'right' | 'pageUp' | 'pageDown' | 'confirm' | 'toggle' | 'run' | 'help' | 'home' | 'quit';

/** One binding: the keys and what a help screen says about them (the course map's and a lesson's are in tutor/step-keys.ts). */
export interface Binding {
  /** The command. */
  command: Command;
  /** Keys as shown in the help. */
  label: string;
  /** What it does. */
  description: string;
}

/**
 * Maps a keypress to a command. `typing` is true while a text answer is being typed: then only
 * Enter, Esc, arrows and Ctrl-C are commands and every other key is text.
 */
export function commandFor(input: string, key: Key, typing: boolean): Command | null {
  if (key.ctrl && input === 'c') return 'quit';
  if (key.return) return 'confirm';
  if (key.escape) return 'home';
  if (key.upArrow) return 'up';
  if (key.downArrow) return 'down';
  if (key.leftArrow) return 'left';
  if (key.rightArrow) return 'right';
  if (key.pageUp) return 'pageUp';
  if (key.pageDown) return 'pageDown';
  if (typing) return null;
  switch (input) {
    case 'n':
      return 'next';
    case 'p':
      return 'prev';
    case 'k':
      return 'up';
    case 'j':
      return 'down';
    case ' ':
      return 'toggle';
    case 'r':
      return 'run';
    case '?':
      return 'help';
    case 'h':
      return 'home';
    case 'q':
      return 'quit';
    default:
      return null;
  }
}

/**
 * Splits one input event into the keys it holds. Ink delivers a run of plain characters read together as one
 * event ("n\r", " \r", a pasted "0.95\r"); keys typed faster than the program reads them over SSH arrive so.
 * Escape sequences (arrows) already come one per event.
 */
export function splitKeys(input: string, key: Key): Array<[string, Key]> {
  if (input.length <= 1 || input.startsWith('\u001B') || key.ctrl || key.meta) return [[input, key]];
  const plain: Key = { ...key, return: false, backspace: false, delete: false, tab: false, escape: false };
  const keys: Array<[string, Key]> = [];
  for (const ch of input) {
    if (ch === '\r' || ch === '\n') keys.push(['', { ...plain, return: true }]);
    else if (ch === '\u007f' || ch === '\b') keys.push(['', { ...plain, backspace: true }]);
    else if (ch === '\t') keys.push(['', { ...plain, tab: true }]);
    else if (ch === '\u0003') keys.push(['c', { ...plain, ctrl: true }]);
    // Any other control character in a paste (a Ctrl-U byte, NUL, C1) would sit invisible in the answer: dropped.
    else if (!/[\u0000-\u001f\u007f-\u009f]/.test(ch)) keys.push([ch, plain]);
  }
  return keys;
}

/**
 * Names a keypress as the lesson's key table (tutor/step-keys.ts) does: `Enter`, `Esc`, `Tab`, `Up`, `PgDn`,
 * `Space`, `Backspace`, `Ctrl-C`, … or the printable character; null for anything else (other control keys).
 */
export function keyName(input: string, key: Key): string | null {
  if (key.ctrl && input === 'c') return 'Ctrl-C';
  if (key.return) return 'Enter';
  if (key.escape) return 'Esc';
  if (key.tab) return 'Tab';
  if (key.upArrow) return 'Up';
  if (key.downArrow) return 'Down';
  if (key.leftArrow) return 'Left';
  if (key.rightArrow) return 'Right';
  if (key.pageUp) return 'PgUp';
  if (key.pageDown) return 'PgDn';
  if (key.backspace || key.delete) return 'Backspace';
  if (key.ctrl || key.meta) return null;
  if (input === ' ') return 'Space';
  return input.length === 1 ? input : null;
}
