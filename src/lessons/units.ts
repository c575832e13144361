// Units students write after a number ("50 cm", "1.2 Hz", "282 samples"): what each is a unit of, and how to
// convert it into the unit a question asks for. Pure tables and lookups; grading uses them through readQuantity.
import { readNumber, type ReadNumber } from './numbers.js';
import { contentWords, tokenize } from './text-match.js';

/** One unit: its symbol as shown, what it measures, and its size in the base unit of that dimension. */
export interface Unit {
  /** Symbol shown to students (`m`, `Hz`, `mg/L`, `samples`). */
  symbol: string;
  /** What it measures, in words usable in a sentence: `a length`, `a number of samples`. */
  dimension: string;
  /** Size in the dimension's base unit (m, s, Hz, mg/L, t, …): `cm` is 0.01. */
  factor: number;
}

interface UnitRow {
  symbol: string;
  factor: number;
  /** Ways of writing it, matched case-insensitively after spaces are collapsed. */
  aliases: string[];
}

/**
 * Units by dimension. Prefixes that differ only by case (mHz and MHz, mm and Mm) cannot be told apart in a
 * case-insensitive match, so only the lower-case-safe ones a student of this course would write are listed.
 */
const DIMENSIONS: Array<{ dimension: string; units: UnitRow[] }> = [
  {
    dimension: 'a length',
    units: [
      { symbol: 'm', factor: 1, aliases: ['m', 'metre', 'metres', 'meter', 'meters'] },
      { symbol: 'cm', factor: 0.01, aliases: ['cm', 'centimetre', 'centimetres', 'centimeter', 'centimeters'] },
      { symbol: 'mm', factor: 0.001, aliases: ['mm', 'millimetre', 'millimetres', 'millimeter', 'millimeters'] },
      { symbol: 'km', factor: 1000, aliases: ['km', 'kilometre', 'kilometres', 'kilometer', 'kilometers'] },
    ],
  },
  {
    dimension: 'a time',
    units: [
      { symbol: 's', factor: 1, aliases: ['s', 'sec', 'secs', 'second', 'seconds'] },
      { symbol: 'ms', factor: 0.001, aliases: ['ms', 'msec', 'millisecond', 'milliseconds'] },
      { symbol: 'min', factor: 60, aliases: ['min', 'mins', 'minute', 'minutes'] },
      { symbol: 'h', factor: 3600, aliases: ['h', 'hr', 'hrs', 'hour', 'hours'] },
      { symbol: 'days', factor: 86400, aliases: ['d', 'day', 'days'] },
    ],
  },
  {
    dimension: 'a frequency',
    units: [
      { symbol: 'Hz', factor: 1, aliases: ['hz', 'hertz', 's-1', 's^-1'] },
      { symbol: 'kHz', factor: 1000, aliases: ['khz', 'kilohertz'] },
    ],
  },
  {
    dimension: 'a speed',
    units: [
      { symbol: 'm/s', factor: 1, aliases: ['m/s', 'm s-1', 'm s^-1', 'metres per second', 'meters per second'] },
      { symbol: 'km/s', factor: 1000, aliases: ['km/s', 'km s-1', 'km s^-1', 'kilometres per second', 'kilometers per second'] },
      { symbol: 'cm/s', factor: 0.01, aliases: ['cm/s', 'cm s-1', 'cm s^-1'] },
    ],
  },
  {
    dimension: 'a concentration',
    units: [
      { symbol: 'mg/L', factor: 1, aliases: ['mg/l', 'mg l-1', 'mg l^-1', 'mg per l', 'mg per litre', 'mg per liter', 'g/m3', 'g/m³', 'g m-3', 'g m^-3'] },
      { symbol: 'g/L', factor: 1000, aliases: ['g/l', 'g l-1', 'g per litre', 'g per liter', 'kg/m3', 'kg/m³', 'kg m-3'] },
      { symbol: 'µg/L', factor: 0.001, aliases: ['µg/l', 'μg/l', 'ug/l', 'mg/m3', 'mg/m³'] },
    ],
  },
  {
    dimension: 'a mass',
    units: [
      { symbol: 't', factor: 1, aliases: ['t', 'tonne', 'tonnes', 'metric ton', 'metric tons'] },
      { symbol: 'kt', factor: 1000, aliases: ['kt', 'kilotonne', 'kilotonnes'] },
      { symbol: 'kg', factor: 0.001, aliases: ['kg', 'kilogram', 'kilograms', 'kilo', 'kilos'] },
      { symbol: 'g', factor: 1e-6, aliases: ['g', 'gram', 'grams'] },
    ],
  },
  { dimension: 'a percentage', units: [{ symbol: '%', factor: 1, aliases: ['%', 'percent', 'per cent', 'pct'] }] },
  { dimension: 'a level in decibels', units: [{ symbol: 'dB', factor: 1, aliases: ['db', 'decibel', 'decibels'] }] },
  { dimension: 'a turbidity', units: [{ symbol: 'NTU', factor: 1, aliases: ['ntu'] }] },
];

/** Things counted: each its own dimension, so "282 points" is not read as 282 samples. */
const COUNTS: Array<{ symbol: string; aliases: string[] }> = [
  { symbol: 'samples', aliases: ['sample', 'samples'] },
  { symbol: 'points', aliases: ['point', 'points', 'pts'] },
  // An icequake is an event: "10 icequakes" answers "how many IC events".
  { symbol: 'events', aliases: ['event', 'events', 'icequake', 'icequakes'] },
  { symbol: 'neighbours', aliases: ['neighbour', 'neighbours', 'neighbor', 'neighbors'] },
  { symbol: 'parameters', aliases: ['parameter', 'parameters', 'param', 'params'] },
  { symbol: 'pixels', aliases: ['pixel', 'pixels', 'px'] },
  { symbol: 'inputs', aliases: ['input', 'inputs'] },
  { symbol: 'clusters', aliases: ['cluster', 'clusters'] },
  { symbol: 'windows', aliases: ['window', 'windows'] },
  { symbol: 'traces', aliases: ['trace', 'traces'] },
];

const BY_ALIAS = new Map<string, Unit>();
for (const d of DIMENSIONS) for (const u of d.units) for (const a of u.aliases) BY_ALIAS.set(a, { symbol: u.symbol, dimension: d.dimension, factor: u.factor });
for (const c of COUNTS) for (const a of c.aliases) BY_ALIAS.set(a, { symbol: c.symbol, dimension: `a number of ${c.symbol}`, factor: 1 });

/** The symbols a lesson's `unit:` may name (any alias is accepted too). */
export function knownUnits(): string[] {
  return [...new Set([...BY_ALIAS.values()].map((u) => u.symbol))];
}

/** The unit written as `text` (`cm`, `Hz`, `mg/l`, `seconds`), or null when it is not one eds knows. */
export function findUnit(text: string): Unit | null {
  const key = text.trim().replace(/\s+/g, ' ').replace(/\.$/, '').toLowerCase();
  return BY_ALIAS.get(key) ?? null;
}

/** What `readQuantity` made of an answer to a question with a unit. */
export type Quantity =
  | {
      /** Discriminant. */
      kind: 'number';
      /** The number, already converted into the question's unit (every reading of an ambiguous comma scaled alike). */
      read: ReadNumber;
      /** The unit the student wrote, when it differs from the question's (for "read as …" feedback). */
      from?: Unit;
    }
  | {
      /** Discriminant: a unit of another dimension ("1.2 s" for a frequency). */
      kind: 'wrong-dimension';
      /** The unit the student wrote. */
      unit: Unit;
    }
  | {
      /** Discriminant: no number with a unit could be read (words, an unknown unit). */
      kind: 'unreadable';
    };

/** Whether a unit counts things ("samples", "events"): then the words naming what is counted are accepted too. */
export function isCount(unit: Unit): boolean {
  return unit.dimension.startsWith('a number of ');
}

/**
 * The words a count question's prompt uses for what it counts, accepted after the number as its unit is:
 * "48 outliers" answers "how many samples are set aside as outliers?", "10 IC" "how many icequakes (IC)…".
 * The prompt's content words, each also in its singular or plural, except units of another kind ("hours").
 */
export function countedWords(prompt: string): Set<string> {
  const out = new Set<string>();
  for (const w of contentWords(tokenize(prompt))) {
    if (!/^\p{L}{2,}$/u.test(w)) continue;
    const known = findUnit(w);
    if (known && !isCount(known)) continue;
    out.add(w);
    out.add(w.endsWith('s') ? w.slice(0, -1) : `${w}s`);
  }
  return out;
}

/** Unit parsing looks at short answers only: "0.5 km" is short, a sentence is not a quantity. */
const MAX_QUANTITY_CHARS = 64;

/**
 * Reads an answer to a question asking for a quantity in `unit`: a bare number is in that unit; a number
 * followed by a unit of the same dimension is converted ("50 cm" for m is 0.5, "0.5 km" is 500); a unit of
 * another dimension is reported, not guessed at. For a question in `%`, `42%` is 42 (not 0.42). For a count,
 * `counted` (from `countedWords`) are more words for what is counted: "48 outliers", "10 IC events".
 */
export function readQuantity(text: string, unit: Unit, counted: ReadonlySet<string> = new Set()): Quantity {
  const bare = readNumber(text);
  if (bare) {
    // `42%` written for a quantity in percent is the number typed; for any other unit the `%` is a unit too.
    if (unit.symbol === '%') return { kind: 'number', read: scaleRead(bare, bare.percent ? 100 : 1, false) };
    if (bare.percent) return { kind: 'wrong-dimension', unit: findUnit('%')! };
    return { kind: 'number', read: bare };
  }
  const s = text.trim();
  if (s.length > MAX_QUANTITY_CHARS) return { kind: 'unreadable' };
  // Try each place a unit could start (a letter, µ, %, °): the number before it must read, the rest be a unit.
  for (let i = 1; i < s.length; i++) {
    if (!/[\p{L}%°µ]/u.test(s[i]!)) continue;
    if (isCount(unit) && namesCounted(s.slice(i), unit, counted)) {
      const number = readNumber(s.slice(0, i));
      if (number && !number.percent) return { kind: 'number', read: number };
    }
    const written = findUnit(s.slice(i));
    if (!written) continue;
    const number = readNumber(s.slice(0, i));
    if (!number || number.percent) continue;
    if (written.dimension !== unit.dimension) return { kind: 'wrong-dimension', unit: written };
    const factor = written.factor / unit.factor;
    return { kind: 'number', read: scaleRead(number, factor, false), ...(written.symbol !== unit.symbol ? { from: written } : {}) };
  }
  return { kind: 'unreadable' };
}

/** Whether `words` (after a number) name what a count question counts: each word the unit or a counted word, at most three. */
function namesCounted(words: string, unit: Unit, counted: ReadonlySet<string>): boolean {
  const list = words.toLowerCase().trim().replace(/\.$/, '').split(/\s+/);
  if (list.length > 3 || counted.size === 0) return false;
  return list.every((w) => counted.has(w) || findUnit(w)?.symbol === unit.symbol);
}

function scaleRead(r: ReadNumber, factor: number, percent: boolean): ReadNumber {
  return { value: r.value * factor, percent, ...(r.thousands !== undefined ? { thousands: r.thousands * factor } : {}) };
}
