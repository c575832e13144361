// JSON for a terminal or a published file: every string in it, keys included, made safe by `safeText` first.
//
// JSON.stringify escapes C0 controls (ESC becomes the text `\u001b`), but writes C1 controls (8-bit CSI)
// and bidi overrides raw, and a reader such as `jq -r` turns the escapes back into real ESC bytes.
import { safeText } from './safe-text.js';

/** Anything `safeText` would change (controls, CR, bidi marks, line separators): most strings hold none and are passed as they are. */
const UNSAFE = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069\u200e\u200f\u061c\u2028\u2029]/;

/** `JSON.stringify(value, null, indent)` with control characters and bidi overrides removed from every string and key. */
export function safeJson(value: unknown, indent?: number): string {
  return JSON.stringify(
    value,
    (_key, v: unknown) => {
      if (typeof v === 'string') return UNSAFE.test(v) ? safeText(v) : v;
      if (v !== null && typeof v === 'object' && !Array.isArray(v) && Object.keys(v).some((k) => UNSAFE.test(k))) {
        const out: Record<string, unknown> = {};
        // defineProperty, not assignment: a key `__proto__` from a student stays a plain key.
        for (const [k, x] of Object.entries(v)) Object.defineProperty(out, safeText(k), { value: x, enumerable: true, writable: true, configurable: true });
        return out;
      }
      return v;
    },
    indent,
  );
}

/**
 * The text of `safeJson(value, indent)` in pieces, each top-level array element on its own: the whole of a
 * class's export can be longer than the longest string JavaScript can hold (about 512 million characters).
 */
export function* safeJsonChunks(value: unknown, indent = 2): Generator<string> {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    yield safeJson(value, indent);
    return;
  }
  const pad = ' '.repeat(indent);
  const entries = Object.entries(value as Record<string, unknown>).filter(([, v]) => v !== undefined && typeof v !== 'function');
  if (entries.length === 0) {
    yield '{}';
    return;
  }
  yield '{';
  for (const [i, [key, v]] of entries.entries()) {
    const comma = i < entries.length - 1 ? ',' : '';
    const name = `\n${pad}${safeJson(key)}: `;
    if (!Array.isArray(v) || v.length === 0) {
      yield `${name}${(safeJson(v, indent) ?? 'null').replace(/\n/g, `\n${pad}`)}${comma}`;
      continue;
    }
    yield `${name}[`;
    for (const [j, el] of v.entries()) {
      // As JSON.stringify writes them: undefined and functions in an array become null.
      yield `\n${pad}${pad}${(safeJson(el, indent) ?? 'null').replace(/\n/g, `\n${pad}${pad}`)}${j < v.length - 1 ? ',' : ''}`;
    }
    yield `\n${pad}]${comma}`;
  }
  yield '\n}';
}
