// The one gate between bytes a student or a file supplied and a terminal or a published file.
//
// A record file, an answer, a lesson id, a file name: any of them may hold ESC sequences that retitle
// the instructor's pane, clear the screen or rewrite what a report shows. Every printer passes such
// strings through here; tests grep every command's output for ESC.

/** C0 controls (but tab and newline), DEL, C1 controls (U+0080–U+009F, 8-bit CSI among them). */
const CONTROLS = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/g;
/** Bidirectional overrides and isolates: they can make a line read differently from what it holds. */
const BIDI = /[\u202a-\u202e\u2066-\u2069\u200e\u200f\u061c]/g;
/** Line and paragraph separators, which some terminals and editors treat as new lines. */
const SEPARATORS = /[\u2028\u2029]/g;

/**
 * Text safe to print on several lines: control characters and bidi overrides removed (an ESC sequence
 * loses its ESC, so it prints as inert text such as `[2J`), CR/LF kept as newlines, tabs kept.
 */
export function safeText(text: unknown): string {
  const s = typeof text === 'string' ? text : String(text ?? '');
  return s.replace(/\r\n?/g, '\n').replace(CONTROLS, '').replace(BIDI, '').replace(SEPARATORS, '\n');
}

/**
 * Text safe to print within one line (a table cell, a file name, a field): as `safeText`, with newlines
 * and tabs turned into spaces, and cut to `max` characters (with `…`) so one field cannot fill a screen.
 */
export function safeLine(text: unknown, max = 500): string {
  const one = safeText(text).replace(/[\n\t]/g, ' ');
  const chars = Array.from(one);
  return chars.length <= max ? one : `${chars.slice(0, Math.max(0, max - 1)).join('')}…`;
}

/** Whether a string holds anything `safeText` would remove (for validators that refuse rather than clean). */
export function hasControlCharacters(text: string): boolean {
  return new RegExp(CONTROLS.source).test(text) || new RegExp(BIDI.source).test(text);
}
