// Reading the numbers students type (and authors write), and showing expected values at a sensible precision.
import type { Tolerance } from './types.js';

/** A number read from what a student typed. */
export interface ReadNumber {
  /** The value (a percentage already divided by 100). */
  value: number;
  /** Whether it was written as a percentage (`42%`): the grader then also accepts it as 42. */
  percent: boolean;
  /**
   * The other reading of an ambiguous comma: `1,500` is 1.5 with a decimal comma, 1500 with a thousands
   * separator. The grader accepts either; the value is the decimal-comma reading.
   */
  thousands?: number;
}

const DECIMAL = /^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$/;
// `3.2x10^-4`, `3.2*10^-4`, `3.2×10^-4`, `3.2·10^-4`: how scientific notation is typed by hand.
const TIMES_TEN = /^([+-]?(?:\d+(?:\.\d*)?|\.\d+))\s*[x×*·]\s*10\s*\^\s*([+-]?\d+)$/i;

/**
 * Reads a number the way a person writes one: `0.5`, `.5`, `+0.5`, `5e-1`, `5E-1`, `5x10^-1`, `1/2`, `50%`, the
 * Unicode minus `−0.5`, the decimal comma `0,5` (a single comma between digits, with no dot), and thousands
 * separators `1,234,567` (several commas, each before three digits). One comma before exactly three digits
 * (`1,500`) is both: read as 1.5, with 1500 in `thousands`. Surrounding and inner spaces around `/` and `%` are
 * ignored. Returns null for anything else (units, words, `1/0`, several numbers).
 */
export function readNumber(text: string): ReadNumber | null {
  let s = text
    .trim()
    .replace(/\u2212/g, '-')
    .replace(/\s+/g, ' ');
  if (s === '') return null;
  let percent = false;
  if (s.endsWith('%')) {
    percent = true;
    s = s.slice(0, -1).trim();
  }
  const fraction = /^([^/]+)\/([^/]+)$/.exec(s);
  let value: number | null;
  if (fraction) {
    const num = readPlain(fraction[1]!.trim());
    const den = readPlain(fraction[2]!.trim());
    value = num === null || den === null || den === 0 ? null : num / den;
  } else {
    value = readPlain(s);
  }
  if (value === null || !Number.isFinite(value)) return null;
  const scale = percent ? 1 / 100 : 1;
  const thousands = fraction ? null : ambiguousThousands(s);
  return { value: value * scale, percent, ...(thousands !== null ? { thousands: thousands * scale } : {}) };
}

/**
 * A name and `=` (or `≈`, `:`) before a number, as students write an answer from a table or a formula:
 * `γ = 1.27`, `slope = 0.98`, `k=3`, `flux: 120 t`. One to three words, the first starting with a letter.
 */
const NAMED = /^\s*\p{L}[\p{L}\p{N}_'²³.-]*(?:\s+\p{L}[\p{L}\p{N}_'²³.-]*){0,2}\s*[=≈:]\s*(?=\S)/u;

/** The answer with a leading `name =` taken off (`γ = 1.27` is `1.27`); the text as it was when it has none. */
export function withoutName(text: string): string {
  const m = NAMED.exec(text);
  return m ? text.slice(m[0].length) : text;
}

/** `1,500` read with a thousands separator (1500), or null when the comma can only be a decimal comma. */
function ambiguousThousands(s: string): number | null {
  return /^[+-]?\d{1,3},\d{3}$/.test(s) ? Number(s.replace(',', '')) : null;
}

function readPlain(s: string): number | null {
  // Several groups of three after commas can only be thousands separators: 1,234,567.
  if (/^[+-]?\d{1,3}(,\d{3}){2,}$/.test(s)) s = s.replace(/,/g, '');
  if (/^[+-]?\d+,\d+$/.test(s)) s = s.replace(',', '.');
  if (DECIMAL.test(s)) return Number(s);
  const m = TIMES_TEN.exec(s);
  if (m) return Number(`${m[1]}e${m[2]}`);
  return null;
}

/** Whether `actual` is within `tol` of `expected`; a tolerance of 0 still forgives floating-point noise (~1e-9). */
export function withinTolerance(actual: number, expected: number, tol: Tolerance): boolean {
  const slack = 1e-9 * Math.max(1, Math.abs(expected));
  const allowed = tol.kind === 'absolute' ? tol.value : tol.value * Math.abs(expected);
  return Math.abs(actual - expected) <= allowed + slack;
}

/** A tolerance as the author wrote it: `0.01` or `5%`. */
export function formatTolerance(tol: Tolerance): string {
  return tol.kind === 'absolute' ? formatNumber(tol.value) : `${formatNumber(tol.value * 100)}%`;
}

/**
 * A number for people: four significant digits, or enough decimals to show the tolerance's resolution when that
 * needs more (an expected 1234.5678 ± 0.01 shows as 1234.568), without trailing zeros.
 */
export function formatNumber(x: number, tol?: Tolerance): string {
  if (!Number.isFinite(x)) return String(x);
  let text = String(Number(x.toPrecision(4)));
  if (tol) {
    const step = tol.kind === 'absolute' ? tol.value : tol.value * Math.abs(x);
    if (step > 0) {
      const decimals = Math.min(12, Math.max(0, Math.ceil(-Math.log10(step)) + 1));
      const fixed = String(Number(x.toFixed(decimals)));
      if (fixed.replace(/[^0-9]/g, '').length > text.replace(/e.*$/, '').replace(/[^0-9]/g, '').length) text = fixed;
    } else {
      text = String(x);
    }
  }
  return text;
}
