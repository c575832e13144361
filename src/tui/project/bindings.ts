// The project screen's keys, for its help overlay: the same commands as the lesson screen (keys.ts), doing the project's things.
import type { Binding } from '../keys.js';

/** What each key does on the project screen. */
export const PROJECT_BINDINGS: readonly Binding[] = [
  { command: 'next', label: 'n / →', description: 'next section (→ also while you type an answer)' },
  { command: 'prev', label: 'p / ←', description: 'previous section (← also while you type an answer)' },
  { command: 'down', label: '↑↓ / j k', description: 'scroll the page' },
  { command: 'pageDown', label: 'PgUp / PgDn', description: 'previous / next figure (Space: next)' },
  { command: 'confirm', label: 'Enter', description: 'next section; in an answer: a new line (twice: save it)' },
  { command: 'run', label: 'Enter (Export)', description: 'write the notebook and the report' },
  { command: 'home', label: 'h / Esc', description: 'back to the overview' },
  { command: 'toggle', label: 't', description: 'folds: shuffled, or blocks of time (data with a date or time column); trains again' },
  { command: 'help', label: '?', description: 'show or hide this help' },
  { command: 'quit', label: 'q / Ctrl-C', description: 'quit (only Ctrl-C while you type); answers are saved as you go' },
];
