// Errors that say whose fault it is: the user's (fixable, one line), or ours (a bug, with a stack).
import { safeText } from './util/safe-text.js';

/** A problem the user can fix: printed as one line on stderr, never with a stack trace. */
export class UserError extends Error {
  /** Process exit code: 1 for bad input or state, 2 for bad usage. */
  readonly exitCode: number;
  /** An optional "try this" line printed under the message. */
  readonly hint?: string;
  constructor(message: string, options: { exitCode?: number; hint?: string } = {}) {
    super(message);
    this.name = 'UserError';
    this.exitCode = options.exitCode ?? 1;
    this.hint = options.hint;
  }
}

/** Wrong command line: unknown command, bad option. Exit code 2. */
export class UsageError extends UserError {
  constructor(message: string, hint?: string) {
    super(message, { exitCode: 2, hint });
    this.name = 'UsageError';
  }
}

/** Formats any thrown value as the one line the user sees (plus a hint line if any). */
export function describeError(err: unknown): { text: string; exitCode: number } {
  // Messages quote what was typed or read (yargs' "Unknown argument: …", a file's name): no control codes reach the terminal.
  if (err instanceof UserError) {
    const hint = err.hint ? `\n  try: ${safeText(err.hint)}` : '';
    return { text: `eds: ${safeText(err.message)}${hint}`, exitCode: err.exitCode };
  }
  const e = err instanceof Error ? err : new Error(String(err));
  // Anything else is our bug: keep the stack so it can be reported.
  return { text: safeText(`eds: internal error: ${e.message}\n${e.stack ?? ''}\nPlease report this.`), exitCode: 70 };
}
