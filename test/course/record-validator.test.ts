// The course record's checks are written by hand (src/course/record.ts) for speed; the zod schema they replaced is
// kept here as the reference, and both must give the same verdict, the same message, on the same values: valid
// records, each field broken every way a hostile or damaged file can break it, and random mixtures of those.
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { z } from 'zod/v4';
import {
  formatRecord,
  MAX_LINE_BYTES,
  MAX_READ_LINE_BYTES,
  parseRecordBytes,
  parseRecordLine,
  RECORD_LESSON_ID,
  RECORD_STEP_ID,
  recordProblem,
  type CourseRecord,
} from '../../src/course/record.js';
import { MAX_ATTEMPT_DETAIL_BYTES, MAX_ATTEMPT_DETAIL_DEPTH } from '../../src/store/types.js';
import { createRng, type Rng } from '../../src/util/rng.js';

// ---- The reference: record.ts's checks as they were, with zod/v4 (messages, order and time rule unchanged). ----
const ISO_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d{1,6})?Z$/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const EARLIEST_TIME = Date.UTC(2000, 0, 1);
const FUTURE_SLACK_MS = 7 * 86_400_000;
const MAX_ATTEMPT_NUMBER = 100_000;
const MAX_NAME_CHARS = 100;
const num = (message: string, lo: number, hi: number) =>
  z.number({ error: message }).int({ error: message }).min(lo, { error: message }).max(hi, { error: message });
const str = (message: string, pattern: RegExp) => z.string({ error: message }).regex(pattern, { error: message });
const login = z.string({ error: 'user is not a login' }).min(1, { error: 'user is not a login' }).max(MAX_NAME_CHARS, { error: 'user is not a login' });
const version = z.string({ error: 'version is not a short string' }).max(MAX_NAME_CHARS, { error: 'version is not a short string' });
const time = str('time is not an ISO 8601 UTC time', ISO_TIME);
const lesson = str('lesson is not a lesson id', RECORD_LESSON_ID);
const ANSWER = "answer is not a string of at most one line's length";
const StepSchema = z.strictObject({ kind: z.literal('step'), user: login, version, time, lesson, step: str('step is not a step id', RECORD_STEP_ID) });
const AttemptSchema = z.strictObject({
  kind: z.literal('attempt'),
  user: login,
  version,
  time,
  lesson,
  id: num('id is not a row id', 0, Number.MAX_SAFE_INTEGER),
  question: str('question is not a question id', RECORD_STEP_ID),
  answer: z
    .string({ error: ANSWER })
    .max(MAX_LINE_BYTES, { error: ANSWER })
    .refine((a) => Buffer.byteLength(a) <= MAX_LINE_BYTES, { error: ANSWER }),
  correct: z.boolean({ error: 'correct is not true, false or null' }).nullable(),
  attempt: num(`attempt is not a whole number from 1 to ${MAX_ATTEMPT_NUMBER}`, 1, MAX_ATTEMPT_NUMBER),
  seconds: z.custom<number>((v) => typeof v === 'number' && !Number.isNaN(v), { error: 'seconds is not a number' }),
  seed: num('seed is not a whole number or null', Number.MIN_SAFE_INTEGER, Number.MAX_SAFE_INTEGER).nullable(),
  truncated: z.literal(true, { error: 'truncated is not true' }).optional(),
  uuid: z
    .string({ error: 'uuid is not a UUID' })
    .refine((u) => UUID.test(u.toLowerCase()), { error: 'uuid is not a UUID' })
    .optional(),
  grading: z.enum(['auto', 'review', 'predict'], { error: 'grading is not auto, review or predict' }).optional(),
  detail: z
    .unknown()
    .check((ctx) => {
      const why = detailProblem(ctx.value);
      if (why) ctx.issues.push({ code: 'custom', message: why, input: ctx.value });
    })
    .optional(),
});
const ATTEMPT_FIELDS = new Set(Object.keys(AttemptSchema.shape));
const STEP_FIELDS = new Set(Object.keys(StepSchema.shape));
const FIELD_ORDER = [
  'user',
  'version',
  'time',
  'lesson',
  'step',
  'id',
  'question',
  'answer',
  'correct',
  'attempt',
  'seconds',
  'seed',
  'truncated',
  'uuid',
  'grading',
  'detail',
];
const TIME_RANK = FIELD_ORDER.indexOf('time');

function referenceProblem(v: unknown, now: number): string | null {
  if (v === null || typeof v !== 'object' || Array.isArray(v)) return 'not an object';
  const r = v as Record<string, unknown>;
  const known = r.kind === 'attempt' ? ATTEMPT_FIELDS : r.kind === 'step' ? STEP_FIELDS : null;
  if (!known) return 'kind is not attempt or step';
  for (const key of Object.keys(r)) if (!known.has(key)) return `unknown field ${JSON.stringify(key.slice(0, 40))}`;
  const parsed = (r.kind === 'attempt' ? AttemptSchema : StepSchema).safeParse(r);
  let first: { rank: number; message: string } | null = null;
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      const rank = FIELD_ORDER.indexOf(String(issue.path[0]));
      if (first === null || rank < first.rank) first = { rank, message: issue.message };
    }
  }
  if (first === null || first.rank > TIME_RANK) {
    const when = typeof r.time === 'string' && ISO_TIME.test(r.time) ? timeProblem(r.time, now) : null;
    if (when) return when;
  }
  return first?.message ?? null;
}

function timeProblem(t: string, now: number): string | null {
  const ms = Date.parse(t);
  if (!Number.isFinite(ms) || new Date(ms).toISOString().slice(0, 19) !== t.slice(0, 19)) return 'time is not a real date and time';
  if (ms < EARLIEST_TIME || ms > now + FUTURE_SLACK_MS) return 'time is implausible (before 2000 or more than a week ahead)';
  return null;
}

function detailProblem(detail: unknown): string | null {
  if (detail === null || typeof detail !== 'object' || Array.isArray(detail) || Object.getPrototypeOf(detail) !== Object.prototype)
    return 'detail is not an object';
  const stack: Array<[unknown, number]> = [[detail, 1]];
  while (stack.length) {
    const [v, depth] = stack.pop()!;
    if (v === null || typeof v !== 'object') continue;
    if (depth > MAX_ATTEMPT_DETAIL_DEPTH) return `detail nested deeper than ${MAX_ATTEMPT_DETAIL_DEPTH}`;
    for (const child of Object.values(v)) if (child !== null && typeof child === 'object') stack.push([child, depth + 1]);
  }
  if (Buffer.byteLength(JSON.stringify(detail)) > MAX_ATTEMPT_DETAIL_BYTES) return `detail larger than ${MAX_ATTEMPT_DETAIL_BYTES} bytes`;
  return null;
}

// ---- Hostile values. ----
const NOW = Date.UTC(2025, 10, 1);

const step = (): Record<string, unknown> => ({
  kind: 'step',
  user: 'alice',
  time: '2025-10-01T12:00:00.000Z',
  lesson: 'river',
  step: 'fit-1',
  version: '0.1.0',
});
const attempt = (): Record<string, unknown> => ({
  kind: 'attempt',
  user: 'alice',
  id: 7,
  time: '2025-10-01T12:00:00.000Z',
  lesson: 'river',
  question: 'q_slope',
  answer: '0.42',
  correct: true,
  attempt: 1,
  seconds: 12.5,
  seed: 1234,
  version: '0.1.0',
  uuid: '0f8fad5b-d9cb-469f-a165-70867728950e',
  grading: 'auto',
  detail: { run: { options: { k: 3 } } },
});

/** Values of every type and edge, for any field. */
const ANY: unknown[] = [
  undefined,
  null,
  true,
  false,
  0,
  -0,
  1,
  -1,
  0.5,
  7,
  100_000,
  100_001,
  Number.MAX_SAFE_INTEGER,
  Number.MAX_SAFE_INTEGER + 1,
  Number.MIN_SAFE_INTEGER,
  Number.MIN_SAFE_INTEGER - 2,
  2 ** 60,
  1e21,
  1e308,
  Number.POSITIVE_INFINITY,
  Number.NEGATIVE_INFINITY,
  Number.NaN,
  '',
  ' ',
  '1',
  'true',
  'null',
  'alice',
  'a'.repeat(100),
  'a'.repeat(101),
  'é'.repeat(100),
  '😀'.repeat(50),
  '😀'.repeat(51),
  'x'.repeat(MAX_LINE_BYTES),
  'x'.repeat(MAX_LINE_BYTES + 1),
  'é'.repeat(2000),
  'é'.repeat(2001),
  '\u001b[31mred\u001b[0m',
  'line\nbreak',
  'river',
  'River',
  '-river',
  'river-2',
  'a'.repeat(99),
  'q_slope',
  '_q',
  'q slope',
  'fit-1\n',
  '2025-10-01T12:00:00.000Z',
  '2025-10-01T12:00:00Z',
  '2025-10-01T12:00:00.1234567Z',
  '2025-02-30T12:00:00Z',
  '2025-10-01T25:00:00Z',
  '1999-12-31T23:59:59Z',
  '2025-11-08T00:00:01Z',
  '2025-11-07T23:59:59Z',
  '2025-10-01 12:00:00Z',
  // Calendar edges: leap days, month and day bounds, the first and last hours, far years (the fast path's edges).
  '2024-02-29T00:00:00.000Z',
  '2025-02-29T00:00:00.000Z',
  '2000-02-29T12:00:00.000Z',
  '2100-02-29T12:00:00.000Z',
  '2025-04-31T00:00:00.000Z',
  '2025-12-31T23:59:59.999Z',
  '2025-13-01T00:00:00.000Z',
  '2025-00-10T00:00:00.000Z',
  '2025-10-00T00:00:00.000Z',
  '2025-10-01T24:00:00.000Z',
  '2025-10-01T23:60:00.000Z',
  '2025-10-01T23:59:60.000Z',
  '2000-01-01T00:00:00.000Z',
  '1999-12-31T23:59:59.999Z',
  '0000-01-01T00:00:00.000Z',
  '0099-06-01T00:00:00.000Z',
  '9999-12-31T23:59:59.999Z',
  '2999-12-31T23:59:59.999Z',
  '2025-10-01T12:00:00.1Z',
  '2025-10-01T12:00:00.123456Z',
  '2025-11-08T00:00:00.000Z',
  '2025-11-08T00:00:00.001Z',
  '2025-10-01T12:00:00.000+01:00',
  '0f8fad5b-d9cb-469f-a165-70867728950e',
  '0F8FAD5B-D9CB-469F-A165-70867728950E',
  '0f8fad5b-d9cb-469f-a165-70867728950',
  '0f8fad5b-d9cb-469f-a165-70867728950g',
  '0f8fad5b_d9cb-469f-a165-70867728950e',
  '0f8fad5bd9cb-469f-a165-70867728950e-',
  // Letters whose lower case is not ASCII, or is (the Kelvin sign), where a hex digit stands.
  '0f8fad5b-d9cb-469f-a165-7086772895\u212a\u212a',
  '\uff10f8fad5b-d9cb-469f-a165-70867728950e',
  '0F8FAD5B-D9CB-469F-A165-70867728950\u0130',
  'auto',
  'review',
  'predict',
  'Auto',
  [],
  [1],
  {},
  { a: 1 },
  { a: { b: { c: 1 } } },
  { a: { b: { c: { d: 1 } } } },
  { big: 'x'.repeat(MAX_ATTEMPT_DETAIL_BYTES) },
  { list: [1, [2, [3]]] },
  Object.create(null),
  new Date(0),
];

/** A value near what `field` expects, or anything at all. */
function valueFor(field: string, rng: Rng): unknown {
  if (rng.next() < 0.5) return ANY[rng.int(ANY.length)];
  const near: Record<string, () => unknown> = {
    id: () => (rng.int(2) ? rng.int(1e6) : -rng.int(10)),
    attempt: () => rng.int(200_000) - 10,
    seed: () => (rng.int(3) === 0 ? null : Math.floor((rng.next() - 0.5) * 2 ** 56)),
    seconds: () => (rng.next() - 0.3) * 10 ** rng.int(12),
    time: () =>
      rng.int(3) === 0 ? calendarTime(rng) : new Date(EARLIEST_TIME - 86_400_000 + rng.next() * (NOW + 30 * 86_400_000 - EARLIEST_TIME)).toISOString(),
    answer: () => 'ab é😀'.repeat(rng.int(1200)),
    user: () => 'u'.repeat(rng.int(110)),
    version: () => 'v'.repeat(rng.int(110)),
    lesson: () => randomId(rng, 'abc-1A_'),
    step: () => randomId(rng, 'abC-1_ .'),
    question: () => randomId(rng, 'abC-1_ .'),
  };
  return Object.hasOwn(near, field) ? near[field]!() : ANY[rng.int(ANY.length)];
}

/** A time of eds's form with any digits in range of two of them, real date or not. */
function calendarTime(rng: Rng): string {
  const d = (n: number, w = 2) => String(n).padStart(w, '0');
  return `${d(1990 + rng.int(40), 4)}-${d(rng.int(14))}-${d(rng.int(33))}T${d(rng.int(26))}:${d(rng.int(62))}:${d(rng.int(62))}.${d(rng.int(1000), 3)}Z`;
}

function randomId(rng: Rng, alphabet: string): string {
  const n = rng.int(3) === 0 ? 95 + rng.int(10) : rng.int(12);
  let s = '';
  for (let i = 0; i < n; i++) s += alphabet[rng.int(alphabet.length)];
  return s;
}

/** A value in a failure message (some have no string form). */
function describeValue(v: unknown): string {
  try {
    return typeof v === 'string' ? JSON.stringify(v.slice(0, 40)) : String(v);
  } catch {
    return Object.prototype.toString.call(v);
  }
}

const FIELDS = ['kind', ...FIELD_ORDER, 'sum', 'extra', '__proto__', 'constructor'];

describe('course record checks', () => {
  it('answer as the zod schema did, field by field, on every edge value', () => {
    let cases = 0;
    for (const make of [step, attempt]) {
      for (const field of FIELDS) {
        for (const value of [...ANY, '__absent__']) {
          const r = make();
          if (value === '__absent__') delete r[field];
          else Object.defineProperty(r, field, { value, enumerable: true, writable: true, configurable: true });
          expect(recordProblem(r, NOW), `${describeValue(r.kind)}.${field} = ${describeValue(value)}`).toBe(referenceProblem(r, NOW));
          cases++;
        }
      }
    }
    expect(cases).toBeGreaterThan(2000);
  });

  it('answer as the zod schema did on random mixtures of broken fields', () => {
    const rng = createRng(19);
    let valid = 0;
    let refused = 0;
    for (let i = 0; i < 20_000; i++) {
      const r = rng.int(2) ? attempt() : step();
      const broken = rng.int(4);
      for (let b = 0; b < broken; b++) {
        const field = FIELDS[rng.int(FIELDS.length)]!;
        if (rng.int(6) === 0) delete r[field];
        else r[field] = valueFor(field, rng);
      }
      const want = referenceProblem(r, NOW);
      expect(recordProblem(r, NOW)).toBe(want);
      if (want === null) valid++;
      else refused++;
    }
    // Both outcomes are well represented, so the agreement means something.
    expect(valid).toBeGreaterThan(2000);
    expect(refused).toBeGreaterThan(5000);
  });

  it('answer as the zod schema did on values that are not records at all', () => {
    for (const v of [...ANY, [step()], JSON.parse('{"__proto__": {"kind": "step"}}'), { kind: 'Step' }, { kind: ['step'] }])
      expect(recordProblem(v, NOW)).toBe(referenceProblem(v, NOW));
  });

  it('read back what eds writes, and refuse the same lines the schema refuses, through the whole line reader', () => {
    const rng = createRng(7);
    for (let i = 0; i < 2000; i++) {
      const r = rng.int(2) ? attempt() : step();
      const field = FIELDS[rng.int(FIELDS.length)]!;
      if (rng.int(2)) r[field] = valueFor(field, rng);
      // Only what JSON carries: a line holds no undefined, NaN or Infinity.
      const text = JSON.stringify(r);
      if (text === undefined) continue;
      const value = JSON.parse(text) as Record<string, unknown>;
      const line = formatRecord(value as unknown as CourseRecord).trimEnd();
      const got = parseRecordLine(line, NOW);
      // What the line holds: formatRecord shortens a long answer to fit.
      const want = referenceProblem(JSON.parse(line.replace(/,"sum":"[0-9a-f]{16}"\}$/, '}')), NOW);
      // A line over the reader's limit is refused for that, unread (a step's fields are not shortened to fit).
      if (Buffer.byteLength(line) > MAX_READ_LINE_BYTES) expect(got).toEqual({ problem: `line longer than ${MAX_READ_LINE_BYTES} bytes` });
      else if (want === null) expect('record' in got, line).toBe(true);
      else expect(got).toEqual({ problem: `not a record: ${want}` });
    }
  });

  it('read a line from its bytes as from its text, whatever the bytes', () => {
    const rng = createRng(11);
    const lines: Buffer[] = [];
    for (let i = 0; i < 3000; i++) {
      const r = rng.int(2) ? attempt() : step();
      if (rng.int(3) === 0) r.answer = ['é', '😀', 'a\u0000b', '\u2028', 'x'.repeat(3990)][rng.int(5)]!;
      const bytes = Buffer.from(formatRecord(r as unknown as CourseRecord).trimEnd(), 'utf8');
      const kind = rng.int(8);
      // Whole; a byte changed (into invalid UTF-8 too); cut short; a BOM or CR added; the checksum's comma or quote broken.
      if (kind === 1) bytes[rng.int(bytes.length)] = rng.int(256);
      if (kind === 2) lines.push(bytes.subarray(0, rng.int(bytes.length)));
      else if (kind === 3) lines.push(Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), bytes]));
      else if (kind === 4) lines.push(Buffer.concat([bytes, Buffer.from('\r')]));
      else if (kind === 5) lines.push(Buffer.concat([bytes.subarray(0, 5), Buffer.from([0xc3]), bytes.subarray(5)]));
      else if (kind === 6) {
        bytes[bytes.length - 26 + rng.int(8)] = 0x20;
        lines.push(bytes);
      } else lines.push(bytes);
    }
    lines.push(Buffer.alloc(0), Buffer.from('{}'), Buffer.from('   '), Buffer.from('{"sum":"0123456789abcdef"}'), Buffer.alloc(MAX_READ_LINE_BYTES + 1, 0x7b));
    let read = 0;
    for (const bytes of lines) {
      const copy = Buffer.from(bytes);
      const want = parseRecordLine(bytes.toString('utf8'), NOW);
      expect(parseRecordBytes(bytes, NOW)).toEqual(want);
      // The buffer is as it was.
      expect(bytes.equals(copy)).toBe(true);
      if ('record' in want) read++;
    }
    expect(read).toBeGreaterThan(500);
  });

  it('read a sealed line of any text alike whether it has the form eds writes (read without JSON.parse) or not', () => {
    const rng = createRng(23);
    const seal = (body: string) => `${body.slice(0, -1)},"sum":"${createHash('sha256').update(body).digest('hex').slice(0, 16)}"}`;
    const pool = ['"', '\\', ',', ':', '{', '}', ' ', 'e', 'E', '-', '+', '0', '9', '.', 'A', 'é', '\u2028', '\u0001', '\ufffd', 'x'];
    const numbers = ['1e999', '-0', '1.0', '01', '9007199254740993', '1E2', '-1', '0.5', '100000', '100001', '1.', '-', '2e-400', '00'];
    const details = [
      '{}',
      '{"a":"}"}',
      '{"a":{"b":{"c":{"d":1}}}}',
      '{"a":[1,{"b":2}]}',
      '[1]',
      '{"a":1},"b":{',
      '{"truncated":true}',
      '{"a":"x\\u0041"}',
      'null',
    ];
    let records = 0;
    let refused = 0;
    for (let i = 0; i < 6000; i++) {
      const r = rng.int(3) ? attempt() : step();
      if (rng.int(4) === 0) delete r.detail;
      if (rng.int(4) === 0) delete r.uuid;
      if (rng.int(5) === 0) r.seed = null;
      if (rng.int(5) === 0) r.correct = [null, false][rng.int(2)];
      if (rng.int(6) === 0) r.answer = ['x'.repeat(4100), 'é😀'.repeat(900), 'a\u2028b', '\ufffd', 'tab\there', 'q"uote'][rng.int(6)];
      if (rng.int(4) === 0) {
        const field = FIELDS[rng.int(FIELDS.length)]!;
        Object.defineProperty(r, field, { value: valueFor(field, rng), enumerable: true, writable: true, configurable: true });
      }
      const written = JSON.stringify(r);
      if (written === undefined) continue;
      // formatRecord's line without its sum: a long answer cut and `truncated` set, as eds writes it.
      let body = formatRecord(JSON.parse(written) as CourseRecord).replace(/,"sum":"[0-9a-f]{16}"\}\n$/, '}');
      const kind = rng.int(13);
      const p = rng.int(body.length);
      if (kind === 1) body = body.slice(0, p) + pool[rng.int(pool.length)] + body.slice(p + 1);
      else if (kind === 2) body = body.slice(0, p) + body.slice(p + 1);
      else if (kind === 3) body = body.slice(0, p) + pool[rng.int(pool.length)] + body.slice(p);
      else if (kind === 4) {
        const field = ['id', 'attempt', 'seconds', 'seed'][rng.int(4)]!;
        body = body.replace(new RegExp(`"${field}":[^,}]*`), `"${field}":${numbers[rng.int(numbers.length)]}`);
      } else if (kind === 9) body = body.replace(/"answer":"[^"]*"/, `"answer":"${'y'.repeat(3990 + rng.int(20))}"`);
      else if (kind === 5) body = `${body.slice(0, -1)},${['"user":"mallory"', '"seed":null', '"truncated":true', '"kind":"step"', '"sum":"x"'][rng.int(5)]}}`;
      else if (kind === 6) {
        const detail = `,"detail":${details[rng.int(details.length)]}`;
        body = body.endsWith(',"truncated":true}') ? body.replace(/,"truncated":true\}$/, `${detail},"truncated":true}`) : `${body.slice(0, -1)}${detail}}`;
      } else if (kind === 7) body = body.replace(/"uuid":"([^"]*)"/, (_m, u: string) => `"uuid":"${u.toUpperCase()}"`);
      else if (kind === 8) body = body.replace(/":/, '": ');
      const line = seal(body);
      if (Buffer.byteLength(line) > MAX_READ_LINE_BYTES) continue;
      // As the reader has it: bytes (a lone surrogate the mutation made is written as U+FFFD).
      const bytes = Buffer.from(line, 'utf8');
      const want = parseRecordLine(bytes.toString('utf8'), NOW);
      const got = parseRecordBytes(bytes, NOW);
      expect(got, line).toStrictEqual(want);
      // The same fields in the same order (what --json and the CSV print).
      expect(JSON.stringify(got)).toBe(JSON.stringify(want));
      if ('record' in want) records++;
      else refused++;
    }
    expect(records).toBeGreaterThan(2000);
    expect(refused).toBeGreaterThan(1000);
  });

  it('read a line that is not UTF-8 as its text reads, whatever bytes its checksum covers', () => {
    const bad = [[0xff], [0xc3], [0xc0, 0xaf], [0xed, 0xa0, 0x80], [0xf4, 0x90, 0x80, 0x80], [0xe2, 0x82], [0xef, 0xbf, 0xbd]];
    let cases = 0;
    for (const make of [attempt, step]) {
      for (const seq of bad) {
        const body = JSON.stringify(make());
        const cut = body.indexOf('"lesson":"') + 10;
        const raw = Buffer.concat([Buffer.from(body.slice(0, cut)), Buffer.from(seq), Buffer.from(body.slice(cut))]);
        // The checksum of the raw bytes, and of the text the decoder makes of them (U+FFFD for each bad byte).
        for (const summed of [raw, Buffer.from(raw.toString('utf8'))]) {
          const sum = createHash('sha256').update(summed).digest('hex').slice(0, 16);
          const line = Buffer.concat([raw.subarray(0, raw.length - 1), Buffer.from(`,"sum":"${sum}"}`)]);
          expect(parseRecordBytes(line, NOW)).toStrictEqual(parseRecordLine(line.toString('utf8'), NOW));
          cases++;
        }
      }
    }
    expect(cases).toBe(28);
  });
});
