// One course record: a JSON line per attempt or finished step, with a checksum so a truncated or hand-edited line is caught.
import { createHash } from 'node:crypto';
import { z } from 'zod/v4';
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
  return createHash('sha256').update(body).digest('hex').slice(0, 16);
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
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
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

// Each field fails with one message naming it, whatever is wrong (type, length, pattern, range): the message is
// given to the type and to each of its checks. zod/v4 (shipped in the zod 3.25 package) parses a record about four
// times as fast as zod 3's API, which matters for a class's thousands of lines.
const num = (message: string, lo: number, hi: number) =>
  z.number({ error: message }).int({ error: message }).min(lo, { error: message }).max(hi, { error: message });
const str = (message: string, pattern: RegExp) => z.string({ error: message }).regex(pattern, { error: message });
const login = z.string({ error: 'user is not a login' }).min(1, { error: 'user is not a login' }).max(MAX_NAME_CHARS, { error: 'user is not a login' });
const version = z.string({ error: 'version is not a short string' }).max(MAX_NAME_CHARS, { error: 'version is not a short string' });
// Only the form here: whether the date exists and is plausible depends on `now` (timeProblem).
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
  // Any number is taken (1e999 parses as Infinity): an implausible time keeps the answer but stays out of the statistics.
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
// The order fields are reported in when several are wrong: the envelope (who, which tutor, when, which lesson) first.
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

const SUM_TAIL = /,"sum":"([0-9a-f]{16})"\}$/;

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
  if (line.trim() === '') return { problem: 'empty line' };
  const m = SUM_TAIL.exec(line);
  if (!m) return { problem: line.trimEnd().endsWith('}') ? 'no checksum' : 'not JSON (truncated or hand-edited)' };
  const body = line.slice(0, m.index) + '}';
  if (checksum(body) !== m[1]) return { problem: 'checksum mismatch (edited or damaged)' };
  let value: unknown;
  try {
    value = JSON.parse(body);
  } catch {
    return { problem: 'not JSON (truncated or hand-edited)' };
  }
  const why = recordProblem(value, now);
  return why === null ? { record: normalized(value as CourseRecord) } : { problem: `not a record: ${why}` };
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
  const parsed = (r.kind === 'attempt' ? AttemptSchema : StepSchema).safeParse(r);
  // The field checks run on every field; report the first wrong one in FIELD_ORDER, the time's date check included.
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

function timeProblem(time: unknown, now: number): string | null {
  if (typeof time !== 'string' || !ISO_TIME.test(time)) return 'time is not an ISO 8601 UTC time';
  const ms = Date.parse(time);
  // Date.parse rolls 2025-02-30 over to March: a time must read back as written.
  if (!Number.isFinite(ms) || new Date(ms).toISOString().slice(0, 19) !== time.slice(0, 19)) return 'time is not a real date and time';
  if (ms < EARLIEST_TIME || ms > now + FUTURE_SLACK_MS) return 'time is implausible (before 2000 or more than a week ahead)';
  return null;
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
