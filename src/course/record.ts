// One course record: a JSON line per attempt or finished step, with a checksum so a truncated or hand-edited line is caught.
import { createHash } from 'node:crypto';
import type { Attempt, AttemptGrading } from '../store/types.js';

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

/** Why a line was refused. */
export type LineProblem = 'empty line' | 'not JSON (truncated or hand-edited)' | 'no checksum' | 'checksum mismatch (edited or damaged)' | 'not a record';

const SUM_TAIL = /,"sum":"([0-9a-f]{16})"\}$/;

/** Parses and verifies one line (without its newline). */
export function parseRecordLine(line: string): { record: CourseRecord } | { problem: LineProblem } {
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
  return isRecord(value) ? { record: value } : { problem: 'not a record' };
}

function isRecord(v: unknown): v is CourseRecord {
  if (v === null || typeof v !== 'object') return false;
  const r = v as Record<string, unknown>;
  if (typeof r.user !== 'string' || typeof r.time !== 'string' || typeof r.lesson !== 'string') return false;
  if (r.kind === 'step') return typeof r.step === 'string';
  if (r.kind !== 'attempt') return false;
  return (
    typeof r.id === 'number' &&
    typeof r.question === 'string' &&
    typeof r.answer === 'string' &&
    (r.correct === null || typeof r.correct === 'boolean') &&
    typeof r.attempt === 'number' &&
    typeof r.seconds === 'number'
  );
}
