// One course record: a JSON line per attempt or finished step, with a checksum so a truncated or hand-edited line is caught.
import { isUtf8 } from 'node:buffer';
import { hash } from 'node:crypto';
import { MAX_ATTEMPT_DETAIL_BYTES, MAX_ATTEMPT_DETAIL_DEPTH, type Attempt, type AttemptGrading } from '../store/types.js';

/** Longest line written, newline included: below PIPE_BUF (4096), so one O_APPEND write lands whole and alone. */
export const MAX_LINE_BYTES = 4000;

/** A quiz attempt as sent to the course directory. */
export interface AttemptRecord {
  /** Record type. */
  kind: 'attempt';
  /** Student login. */
  user: string;
  /** The attempt's row id in the student's local store: (user, id) identifies it, so a resent record is counted once. */
  id: number;
  /** ISO 8601 time the answer was committed. */
  time: string;
  /** Lesson id. */
  lesson: string;
  /** Question id within the lesson. */
  question: string;
  /** The answer as given (cut to fit one line if it was very long; see `truncated`). */
  answer: string;
  /** Graded correct, wrong, or null for a prediction committed before a run. */
  correct: boolean | null;
  /** 1 for the first attempt at this question, 2 for the second, … */
  attempt: number;
  /** Seconds between showing the question and this answer. */
  seconds: number;
  /** Seed of the student's dataset, or null. */
  seed: number | null;
  /** Tutor version that graded it. */
  version: string;
  /** Present and true when the answer was cut to keep the line under `MAX_LINE_BYTES` (the local store has it whole). */
  truncated?: true;
  /** The attempt's globally unique id; absent in records written before eds had one. Reports de-duplicate on it. */
  uuid?: string;
  /** How `correct` was decided (`auto`, `review`, `predict`); absent in older records. */
  grading?: AttemptGrading;
  /** What it was graded against (the run's step and options, the expected value, a self-assessment). */
  detail?: Record<string, unknown>;
}

/** A finished lesson step as sent to the course directory. */
export interface StepRecord {
  /** Record type. */
  kind: 'step';
  /** Student login. */
  user: string;
  /** ISO 8601 time the step was finished (or, for a backlog, when the lesson was last touched). */
  time: string;
  /** Lesson id. */
  lesson: string;
  /** Step id within the lesson. */
  step: string;
  /** Tutor version that sent it. */
  version: string;
}

/** Either kind of record. */
export type CourseRecord = AttemptRecord | StepRecord;

/** The course record of a stored attempt. */
export function attemptRecord(a: Attempt): AttemptRecord {
  return {
    kind: 'attempt',
    user: a.user,
    id: a.id,
    time: a.time,
    lesson: a.lesson,
    question: a.question,
    answer: a.answer,
    correct: a.correct,
    attempt: a.attemptNumber,
    seconds: a.secondsSpent,
    seed: a.seed,
    version: a.version,
    ...(a.uuid !== null ? { uuid: a.uuid } : {}),
    ...(a.grading !== null ? { grading: a.grading } : {}),
    ...(a.detail !== null ? { detail: a.detail } : {}),
  };
}

/** The checksum of a record's JSON: 16 hex digits of SHA-256, enough to catch any edit by hand or by accident. */
function checksum(body: string): string {
  // The one-shot hash is three times as fast as createHash on a record's few hundred bytes.
  return hash('sha256', body, 'hex').slice(0, 16);
}

/**
 * One line for the record file: its JSON with a `sum` field appended last, and a newline. The sum
 * covers the exact bytes before it, so checking needs no canonical form. A line that would exceed
 * `MAX_LINE_BYTES` has its answer shortened (and `truncated` set).
 */
export function formatRecord(record: CourseRecord): string {
  let line = seal(record);
  if (Buffer.byteLength(line) <= MAX_LINE_BYTES || record.kind !== 'attempt') return line;
  const excess = Buffer.byteLength(line) - MAX_LINE_BYTES;
  let answer = record.answer;
  // JSON escapes can make a character cost up to 6 bytes (\uXXXX); shrink until it fits.
  let keep = Math.max(0, answer.length - excess - 40);
  for (;;) {
    answer = [...record.answer.slice(0, keep)].join('');
    line = seal({ ...record, answer, truncated: true });
    if (Buffer.byteLength(line) <= MAX_LINE_BYTES || keep === 0) return line;
    keep = Math.max(0, Math.floor(keep * 0.8));
  }
}

function seal(record: CourseRecord): string {
  const body = JSON.stringify(record);
  return `${body.slice(0, -1)},"sum":"${checksum(body)}"}\n`;
}

/** Why a line was refused: one of the fixed reasons, or a field that is missing, of the wrong type or implausible. */
export type LineProblem = string;

/**
 * Longest line a reader parses (newline excluded): what `formatRecord` writes, with some slack for a
 * future writer. A longer line is skipped unread, so one line cannot cost more than this in memory.
 */
export const MAX_READ_LINE_BYTES = MAX_LINE_BYTES + 256;

/** Lesson ids as lessons/validate.ts requires them: lower-case letters, digits and `-`. */
export const RECORD_LESSON_ID = /^[a-z0-9][a-z0-9-]{0,99}$/;
/** Step and question ids as lessons/parse.ts (`STEP_ID`) requires them: letters, digits, `-` and `_`. */
export const RECORD_STEP_ID = /^[A-Za-z0-9][A-Za-z0-9_-]{0,99}$/;
/** A time as eds writes it (`Date.toISOString`, UTC), so that times compare as strings. */
const ISO_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d{1,6})?Z$/;
/** Earliest plausible record time: no eds ran before. */
const EARLIEST_TIME = Date.UTC(2000, 0, 1);
/** How far ahead of the reader's clock a record may be (a student's clock can be off by a few days, not more). */
const FUTURE_SLACK_MS = 7 * 86_400_000;
/** Longest plausible time on one question, s: longer is a clock jump or a forged record. */
export const MAX_PLAUSIBLE_SECONDS = 7 * 86_400;
/** Most attempts at one question a record may claim. */
const MAX_ATTEMPT_NUMBER = 100_000;
/** Longest login or version string a record may carry (characters). */
const MAX_NAME_CHARS = 100;
/** Deepest `detail` a reader takes, the object itself being level 1 (`{ run: { options: { … } } }` is 3). */
export const MAX_DETAIL_DEPTH = MAX_ATTEMPT_DETAIL_DEPTH;
/** Largest `detail`, bytes of JSON (as the store allows). */
const MAX_DETAIL_BYTES = MAX_ATTEMPT_DETAIL_BYTES;

// Each field fails with one message naming it, whatever is wrong (type, length, pattern, range). Written out by hand:
// a class's report checks millions of fields, and zod (which this replaced) cost over a third of reading a class.
// test/course/record-validator.test.ts holds the zod schema it replaced and checks both answer alike on hostile input.
const ANSWER = "answer is not a string of at most one line's length";

/** A whole number from `lo` to `hi` (finite, so also a safe integer within the safe range). */
function wholeIn(v: unknown, lo: number, hi: number): boolean {
  return typeof v === 'number' && Number.isSafeInteger(v) && v >= lo && v <= hi;
}

// One function per field, called in turn with named reads (`r.user`): a report checks millions of fields, and a
// table of checks read by field name cost twice as much as the JSON parsing.
const userProblem = (v: unknown) => (typeof v === 'string' && v.length >= 1 && v.length <= MAX_NAME_CHARS ? null : 'user is not a login');
const versionProblem = (v: unknown) => (typeof v === 'string' && v.length <= MAX_NAME_CHARS ? null : 'version is not a short string');
const lessonProblem = (v: unknown) => (typeof v === 'string' && RECORD_LESSON_ID.test(v) ? null : 'lesson is not a lesson id');
const stepProblem = (v: unknown) => (typeof v === 'string' && RECORD_STEP_ID.test(v) ? null : 'step is not a step id');
const idProblem = (v: unknown) => (wholeIn(v, 0, Number.MAX_SAFE_INTEGER) ? null : 'id is not a row id');
const questionProblem = (v: unknown) => (typeof v === 'string' && RECORD_STEP_ID.test(v) ? null : 'question is not a question id');
// A UTF-16 unit is at most 3 UTF-8 bytes: a short answer needs no count of its bytes.
const answerProblem = (v: unknown) =>
  typeof v === 'string' && v.length <= MAX_LINE_BYTES && (v.length * 3 <= MAX_LINE_BYTES || Buffer.byteLength(v) <= MAX_LINE_BYTES) ? null : ANSWER;
const correctProblem = (v: unknown) => (v === null || typeof v === 'boolean' ? null : 'correct is not true, false or null');
const attemptProblem = (v: unknown) => (wholeIn(v, 1, MAX_ATTEMPT_NUMBER) ? null : `attempt is not a whole number from 1 to ${MAX_ATTEMPT_NUMBER}`);
// Any number is taken (1e999 parses as Infinity): an implausible time keeps the answer but stays out of the statistics.
const secondsProblem = (v: unknown) => (typeof v === 'number' && !Number.isNaN(v) ? null : 'seconds is not a number');
const seedProblem = (v: unknown) => (v === null || wholeIn(v, Number.MIN_SAFE_INTEGER, Number.MAX_SAFE_INTEGER) ? null : 'seed is not a whole number or null');
const truncatedProblem = (v: unknown) => (v === undefined || v === true ? null : 'truncated is not true');
const uuidProblem = (v: unknown) => (v === undefined || (typeof v === 'string' && isUuid(v)) ? null : 'uuid is not a UUID');
const gradingProblem = (v: unknown) => (v === undefined || v === 'auto' || v === 'review' || v === 'predict' ? null : 'grading is not auto, review or predict');
const detailFieldProblem = (v: unknown) => (v === undefined ? null : detailProblem(v));

/** A UUID (8-4-4-4-12 hex digits) in either case, checked character by character. */
function isUuid(v: string): boolean {
  if (v.length !== 36) return false;
  for (let i = 0; i < 36; i++) {
    const c = v.charCodeAt(i);
    if (i === 8 || i === 13 || i === 18 || i === 23) {
      if (c !== 45 /* - */) return false;
    } else if (!((c >= 48 && c <= 57) || (c >= 97 && c <= 102) || (c >= 65 && c <= 70))) return false;
  }
  return true;
}

// The fields of each kind, in the order they are checked and reported when several are wrong: the envelope (who,
// which tutor, when, which lesson) first (recordProblem checks them in this order).
const STEP_ORDER = ['user', 'version', 'time', 'lesson', 'step'];
const ATTEMPT_ORDER = [
  'user',
  'version',
  'time',
  'lesson',
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
const ATTEMPT_FIELDS = new Set(['kind', ...ATTEMPT_ORDER]);
const STEP_FIELDS = new Set(['kind', ...STEP_ORDER]);

/** How a line ends: `,"sum":"` 16 hex digits `"}`. */
const SUM_HEAD = ',"sum":"';
const SUM_TAIL_LENGTH = SUM_HEAD.length + 16 + 2;
const HEX_DIGIT = /^[0-9a-f]{16}$/;

/** The line's checksum and where its `,"sum":` starts, or null when it does not end in one. */
function sumTail(line: string): { sum: string; at: number } | null {
  const at = line.length - SUM_TAIL_LENGTH;
  if (at < 0 || !line.endsWith('"}') || !line.startsWith(SUM_HEAD, at)) return null;
  const sum = line.slice(at + SUM_HEAD.length, line.length - 2);
  return HEX_DIGIT.test(sum) ? { sum, at } : null;
}

/** Whether a record's `seconds` can enter class statistics: a finite time from 0 to 7 days. */
export function plausibleSeconds(seconds: number): boolean {
  return Number.isFinite(seconds) && seconds >= 0 && seconds <= MAX_PLAUSIBLE_SECONDS;
}

/**
 * Parses and verifies one line (without its newline): length, checksum, JSON, then every field.
 * `now` (ms) bounds how far in the future a record's time may be.
 */
export function parseRecordLine(line: string, now = Date.now()): { record: CourseRecord } | { problem: LineProblem } {
  if (line.length > MAX_READ_LINE_BYTES || Buffer.byteLength(line) > MAX_READ_LINE_BYTES) return { problem: `line longer than ${MAX_READ_LINE_BYTES} bytes` };
  // A record starts with `{`; only a line that does not can be blank (trim copies, so it is the exception).
  if (line.charCodeAt(0) !== 123 && line.trim() === '') return { problem: 'empty line' };
  const m = sumTail(line);
  if (!m) return { problem: line.trimEnd().endsWith('}') ? 'no checksum' : 'not JSON (truncated or hand-edited)' };
  const body = line.slice(0, m.at) + '}';
  if (checksum(body) !== m.sum) return { problem: 'checksum mismatch (edited or damaged)' };
  let value: unknown;
  try {
    value = JSON.parse(body);
  } catch {
    return { problem: 'not JSON (truncated or hand-edited)' };
  }
  const why = recordProblem(value, now);
  return why === null ? { record: normalized(value as CourseRecord) } : { problem: `not a record: ${why}` };
}

/** The bytes of `,"sum":"`. */
const SUM_HEAD_BYTES = Buffer.from(SUM_HEAD, 'latin1');

/** Whether `bytes` hold `,"sum":"` at `at`. */
function sumHeadAt(bytes: Buffer, at: number): boolean {
  for (let i = 0; i < SUM_HEAD_BYTES.length; i++) if (bytes[at + i] !== SUM_HEAD_BYTES[i]) return false;
  return true;
}

/**
 * `parseRecordLine(bytes.toString('utf8'), now)` for a line as the reader holds it (bytes, no newline, at most
 * MAX_READ_LINE_BYTES), without decoding it whole: a line of the form eds writes (valid UTF-8, `{` first, the
 * checksum last) is hashed as bytes and only its body decoded; any other line goes the way of parseRecordLine.
 * The buffer may be written to (its checksum's comma is the body's closing brace for a moment).
 */
export function parseRecordBytes(bytes: Buffer, now = Date.now()): { record: CourseRecord } | { problem: LineProblem } {
  const n = bytes.length;
  const at = n - SUM_TAIL_LENGTH;
  if (at < 1 || n > MAX_READ_LINE_BYTES || bytes[0] !== 0x7b || bytes[n - 1] !== 0x7d || bytes[n - 2] !== 0x22 || !sumHeadAt(bytes, at))
    return parseRecordLine(bytes.toString('utf8'), now);
  // The body is the line up to the checksum, closed: the same bytes as the string's `line.slice(0, at) + '}'`.
  bytes[at] = 0x7d;
  const body = bytes.subarray(0, at + 1);
  const digest = hash('sha256', body, 'hex');
  // Compared with the line's bytes as they are: a digest is lower-case hex, so an equal sum is one too.
  const from = at + SUM_HEAD_BYTES.length;
  let same = true;
  for (let i = 0; i < 16 && same; i++) same = digest.charCodeAt(i) === bytes[from + i];
  const text = same ? body.toString('utf8') : '';
  bytes[at] = 0x2c;
  // The decoder puts U+FFFD for every byte that is not UTF-8, so a body without one was valid UTF-8 (isUtf8, a
  // tenth of the line's cost, is asked only of the rare line with a U+FFFD or a wrong checksum).
  if (!same || text.includes('\uFFFD')) {
    if (!isUtf8(bytes) || !HEX_DIGIT.test(bytes.toString('latin1', from, n - 2))) return parseRecordLine(bytes.toString('utf8'), now);
    if (!same) return { problem: 'checksum mismatch (edited or damaged)' };
  }
  const record = canonicalRecord(text, now);
  if (record !== null) return { record };
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return { problem: 'not JSON (truncated or hand-edited)' };
  }
  const why = recordProblem(value, now);
  return why === null ? { record: normalized(value as CourseRecord) } : { problem: `not a record: ${why}` };
}

// ---- A good record as eds writes it, read without JSON.parse ----
// JSON.parse, recordProblem and normalized were two thirds of a class report's reading. A body of the exact form
// formatRecord writes (JSON.stringify's fields in attemptRecord's or the sink's order, no whitespace, no escapes in
// its strings) is matched by one regular expression, its fields taken from the match and checked by the same field
// checks (those the expression already makes, the id and uuid forms, are not made twice); any other body, and any
// record with a field that fails, goes the way it always went (JSON.parse, recordProblem), which also says why.
// test/course/record-validator.test.ts checks that both ways give the same, on eds's lines and on mutated ones.

/** A JSON string without escapes or control characters: its text is its value. */
const PLAIN = '"([^"\\\\\\u0000-\\u001f]*)"';
/** A JSON number (Number() of its text is what JSON.parse gives). */
const NUMBER_TEXT = '-?(?:0|[1-9]\\d*)(?:\\.\\d+)?(?:[eE][+-]?\\d+)?';
/** An id pattern's body, as a quoted JSON string. */
const idString = (re: RegExp) => `"(${re.source.slice(1, -1)})"`;
const UUID_TEXT = '"([0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12})"';
const CANONICAL_STEP = new RegExp(
  `^\\{"kind":"step","user":${PLAIN},"time":${PLAIN},"lesson":${idString(RECORD_LESSON_ID)},"step":${idString(RECORD_STEP_ID)},"version":${PLAIN}\\}$`,
);
// detail last but for truncated: what is between is JSON.parse's to read, whole or not at all.
const CANONICAL_ATTEMPT = new RegExp(
  `^\\{"kind":"attempt","user":${PLAIN},"id":(${NUMBER_TEXT}),"time":${PLAIN},"lesson":${idString(RECORD_LESSON_ID)},"question":${idString(RECORD_STEP_ID)},` +
    `"answer":${PLAIN},"correct":(true|false|null),"attempt":(${NUMBER_TEXT}),"seconds":(${NUMBER_TEXT}),"seed":(null|${NUMBER_TEXT}),"version":${PLAIN}` +
    `(?:,"uuid":${UUID_TEXT})?(?:,"grading":"(auto|review|predict)")?(?:,"detail":(\\{.*\\}))?(,"truncated":true)?\\}$`,
  's',
);

/** The normalized record of a good body of the form eds writes, or null for any other (read then by JSON.parse). */
function canonicalRecord(t: string, now: number): CourseRecord | null {
  if (t.charCodeAt(9) === 115 /* {"kind":"s */) {
    const m = CANONICAL_STEP.exec(t);
    if (m === null) return null;
    const [, user, time, lesson, step, version] = m as unknown as [string, string, string, string, string, string];
    if (userProblem(user) ?? versionProblem(version) ?? timeProblem(time, now)) return null;
    return { kind: 'step', user, time, lesson, step, version };
  }
  const m = CANONICAL_ATTEMPT.exec(t);
  if (m === null) return null;
  const user = m[1]!;
  const id = Number(m[2]);
  const time = m[3]!;
  const answer = m[6]!;
  const attempt = Number(m[8]);
  const seconds = Number(m[9]);
  const seed = m[10] === 'null' ? null : Number(m[10]);
  const version = m[11]!;
  if (
    userProblem(user) ??
    versionProblem(version) ??
    timeProblem(time, now) ??
    idProblem(id) ??
    answerProblem(answer) ??
    attemptProblem(attempt) ??
    secondsProblem(seconds) ??
    seedProblem(seed)
  )
    return null;
  let detail: unknown;
  if (m[14] !== undefined) {
    try {
      detail = JSON.parse(m[14]);
    } catch {
      return null;
    }
    if (detailProblem(detail) !== null) return null;
  }
  // As normalized() gives it.
  const record: AttemptRecord = {
    kind: 'attempt',
    user,
    id,
    time,
    lesson: m[4]!,
    question: m[5]!,
    answer,
    correct: m[7] === 'true' ? true : m[7] === 'false' ? false : null,
    attempt,
    seconds,
    seed,
    version,
  };
  if (m[15] !== undefined) record.truncated = true;
  if (m[12] !== undefined) record.uuid = m[12].toLowerCase();
  if (m[13] !== undefined) record.grading = m[13] as AttemptGrading;
  if (detail !== undefined) record.detail = detail as Record<string, unknown>;
  return record;
}

/** Whether a parsed value is a well-formed record (every field known, of its type and in range). */
export function isRecord(v: unknown, now = Date.now()): v is CourseRecord {
  return recordProblem(v, now) === null;
}

/** What is wrong with a parsed value as a record, in a few words naming the field, or null when nothing is. */
export function recordProblem(v: unknown, now = Date.now()): string | null {
  if (v === null || typeof v !== 'object' || Array.isArray(v)) return 'not an object';
  const r = v as Record<string, unknown>;
  const known = r.kind === 'attempt' ? ATTEMPT_FIELDS : r.kind === 'step' ? STEP_FIELDS : null;
  if (!known) return 'kind is not attempt or step';
  for (const key of Object.keys(r)) if (!known.has(key)) return `unknown field ${JSON.stringify(key.slice(0, 40))}`;
  const envelope = userProblem(r.user) ?? versionProblem(r.version) ?? timeProblem(r.time, now) ?? lessonProblem(r.lesson);
  if (envelope !== null || r.kind === 'step') return envelope ?? stepProblem(r.step);
  return (
    idProblem(r.id) ??
    questionProblem(r.question) ??
    answerProblem(r.answer) ??
    correctProblem(r.correct) ??
    attemptProblem(r.attempt) ??
    secondsProblem(r.seconds) ??
    seedProblem(r.seed) ??
    truncatedProblem(r.truncated) ??
    uuidProblem(r.uuid) ??
    gradingProblem(r.grading) ??
    detailFieldProblem(r.detail)
  );
}

/** The time's form (ISO_TIME), then whether it is a real date and a plausible one. */
function timeProblem(time: unknown, now: number): string | null {
  if (typeof time !== 'string') return 'time is not an ISO 8601 UTC time';
  let ms = fastTime(time);
  if (ms === null && !ISO_TIME.test(time)) return 'time is not an ISO 8601 UTC time';
  if (ms === null) {
    ms = Date.parse(time);
    // Date.parse rolls 2025-02-30 over to March: a time must read back as written.
    if (!Number.isFinite(ms) || new Date(ms).toISOString().slice(0, 19) !== time.slice(0, 19)) return 'time is not a real date and time';
  }
  if (ms < EARLIEST_TIME || ms > now + FUTURE_SLACK_MS) return 'time is implausible (before 2000 or more than a week ahead)';
  return null;
}

const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

/**
 * The time of the form eds writes (`YYYY-MM-DDTHH:MM:SS.mmmZ`, which ISO_TIME matches) as ms, when it is surely a
 * real date from 2000 to 2999; null for anything else, which `timeProblem` then checks the slow way.
 */
function fastTime(t: string): number | null {
  if (t.length !== 24 || t.charCodeAt(0) !== 50 /* 2 */) return null;
  if (t[4] !== '-' || t[7] !== '-' || t[10] !== 'T' || t[13] !== ':' || t[16] !== ':' || t[19] !== '.' || t[23] !== 'Z') return null;
  const year = digits(t, 0, 4);
  const month = digits(t, 5, 2);
  const day = digits(t, 8, 2);
  const hour = digits(t, 11, 2);
  const minute = digits(t, 14, 2);
  const second = digits(t, 17, 2);
  const ms = digits(t, 20, 3);
  if (year < 0 || month < 0 || day < 0 || hour < 0 || minute < 0 || second < 0 || ms < 0) return null;
  const leap = year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0);
  const days = month === 2 && leap ? 29 : DAYS_IN_MONTH[month - 1];
  if (days === undefined || day < 1 || day > days || hour > 23 || minute > 59 || second > 59) return null;
  // The day's start is asked of Date.UTC once per day met: a student's records come a day at a time.
  const key = (year * 100 + month) * 100 + day;
  if (key !== lastDay.key) lastDay = { key, ms: Date.UTC(year, month - 1, day) };
  return lastDay.ms + ((hour * 60 + minute) * 60 + second) * 1000 + ms;
}

/** The last day `fastTime` met (YYYYMMDD) and its start, ms. */
let lastDay = { key: -1, ms: 0 };

/** The number written with the `n` ASCII digits at `at`, or -1 when one of them is not a digit. */
function digits(t: string, at: number, n: number): number {
  let v = 0;
  for (let i = at; i < at + n; i++) {
    const d = t.charCodeAt(i) - 48;
    if (d < 0 || d > 9) return -1;
    v = v * 10 + d;
  }
  return v;
}

/** `detail` must be a small, shallow plain object: checked without recursion, so no nesting can exhaust the stack. */
function detailProblem(detail: unknown): string | null {
  if (detail === null || typeof detail !== 'object' || Array.isArray(detail) || Object.getPrototypeOf(detail) !== Object.prototype)
    return 'detail is not an object';
  const stack: Array<[unknown, number]> = [[detail, 1]];
  while (stack.length) {
    const [v, depth] = stack.pop()!;
    if (v === null || typeof v !== 'object') continue;
    if (depth > MAX_DETAIL_DEPTH) return `detail nested deeper than ${MAX_DETAIL_DEPTH}`;
    for (const child of Object.values(v)) if (child !== null && typeof child === 'object') stack.push([child, depth + 1]);
  }
  if (Buffer.byteLength(JSON.stringify(detail)) > MAX_DETAIL_BYTES) return `detail larger than ${MAX_DETAIL_BYTES} bytes`;
  return null;
}

/** A fresh record holding only the known fields, in the order eds writes them (the parsed object is not passed on). */
function normalized(r: CourseRecord): CourseRecord {
  if (r.kind === 'step') return { kind: 'step', user: r.user, time: r.time, lesson: r.lesson, step: r.step, version: r.version };
  return {
    kind: 'attempt',
    user: r.user,
    id: r.id,
    time: r.time,
    lesson: r.lesson,
    question: r.question,
    answer: r.answer,
    correct: r.correct,
    attempt: r.attempt,
    seconds: r.seconds,
    seed: r.seed,
    version: r.version,
    ...(r.truncated ? { truncated: true as const } : {}),
    ...(r.uuid !== undefined ? { uuid: r.uuid.toLowerCase() } : {}),
    ...(r.grading !== undefined ? { grading: r.grading } : {}),
    ...(r.detail !== undefined ? { detail: r.detail } : {}),
  };
}
