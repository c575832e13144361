// The review screen's keys as named commands in one table: the help, the key line and the handler all read it.
import type { Key } from 'ink';

/** Every command of the review screen. */
export type ReviewCommand =
  | 'up'
  | 'down'
  | 'pageUp'
  | 'pageDown'
  | 'accept'
  | 'refuse'
  | 'undo'
  | 'nextQuestion'
  | 'prevQuestion'
  | 'pending'
  | 'help'
  | 'quit';

/** One binding: its keys as the help shows them, and what it does. */
export interface ReviewBinding {
  /** The command. */
  command: ReviewCommand;
  /** Keys as shown. */
  label: string;
  /** What it does. */
  description: string;
}

/** What each key does on the review screen. */
export const REVIEW_BINDINGS: readonly ReviewBinding[] = [
  { command: 'down', label: '↓ / j', description: 'next answer (scrolls a long answer first)' },
  { command: 'up', label: '↑ / k', description: 'previous answer (scrolls a long answer first)' },
  { command: 'pageDown', label: 'PgDn / PgUp', description: 'scroll a page' },
  { command: 'accept', label: 'a', description: 'accept the answer (saved at once), then the next' },
  { command: 'refuse', label: 'r', description: 'refuse the answer (saved at once), then the next' },
  { command: 'undo', label: 'u', description: 'undo your last verdict on this answer (none: clear it)' },
  { command: 'nextQuestion', label: 'n / →', description: 'next question' },
  { command: 'prevQuestion', label: 'p / ←', description: 'previous question' },
  { command: 'pending', label: '/', description: 'only the answers still pending, or all again' },
  { command: 'help', label: '?', description: 'show or hide this help' },
  { command: 'quit', label: 'q / Ctrl-C', description: 'quit (every verdict is already saved)' },
];

/** The command a key stands for, or null. */
export function reviewCommandFor(input: string, key: Key): ReviewCommand | null {
  if (key.ctrl && input === 'c') return 'quit';
  if (key.upArrow) return 'up';
  if (key.downArrow) return 'down';
  if (key.pageUp) return 'pageUp';
  if (key.pageDown) return 'pageDown';
  if (key.rightArrow) return 'nextQuestion';
  if (key.leftArrow) return 'prevQuestion';
  if (key.ctrl || key.meta) return null;
  switch (input) {
    case 'j':
      return 'down';
    case 'k':
      return 'up';
    case 'a':
      return 'accept';
    case 'r':
      return 'refuse';
    case 'u':
      return 'undo';
    case 'n':
      return 'nextQuestion';
    case 'p':
      return 'prevQuestion';
    case '/':
      return 'pending';
    case '?':
      return 'help';
    case 'q':
      return 'quit';
    default:
      return null;
  }
}
