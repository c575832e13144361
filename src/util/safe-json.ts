// JSON for a terminal or a published file: every string in it, keys included, made safe by `safeText` first.
//
// JSON.stringify escapes C0 controls (ESC becomes the text `\u001b`), but writes C1 controls (8-bit CSI)
// and bidi overrides raw, and a reader such as `jq -r` turns the escapes back into real ESC bytes.
import { safeText } from './safe-text.js';

/** `JSON.stringify(value, null, indent)` with control characters and bidi overrides removed from every string and key. */
export function safeJson(value: unknown, indent?: number): string {
  return JSON.stringify(
    value,
    (_key, v: unknown) => {
      if (typeof v === 'string') return safeText(v);
      if (v !== null && typeof v === 'object' && !Array.isArray(v)) {
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
