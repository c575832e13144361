// Instructors' verdicts on free-text answers: stored as append-only lines in DIR/reviews/<login>.jsonl, merged (the latest wins) and applied over the automatic grade.
//
// Layout:  DIR/reviews/                 mode 3770, group = the instructors' group (made on the first verdict)
//          DIR/reviews/<login>.jsonl    one instructor's verdicts, 0640, owned by that instructor
//
// Why 3770: instructors (the group) write their own file and read their colleagues'; students (others) can
// neither list nor read what was said about their answers; setgid keeps every file in the group, the sticky
// bit stops one instructor removing another's file. A file whose owner is not in the group is not trusted.
import { createHash } from 'node:crypto';
import {
  chmodSync,
  chownSync,
  closeSync,
  fchmodSync,
  fstatSync,
  fsyncSync,
  lstatSync,
  mkdirSync,
  openSync,
  readdirSync,
  readFileSync,
  statSync,
  writeSync,
  constants,
  type Stats,
} from 'node:fs';
import { userInfo } from 'node:os';
import { join } from 'node:path';
import { UserError } from '../errors.js';
import { errnoText, octal, recordLogin, RECORDS_DIR } from './layout.js';
import { accountsOf, describeUid, trustedOwner } from './accounts.js';
import type { AttemptRecord } from './record.js';
import type { AttemptGrading } from '../store/types.js';
import { formatCsv, parseCsv } from '../data/csv.js';
import { safeLine, safeText } from '../util/safe-text.js';

/** Name of the folder of verdict files in a course directory. */
export const REVIEWS_DIR = 'reviews';
/** Mode of the reviews folder: setgid + sticky, rwx for the owner and the instructors' group, nothing for others. */
export const REVIEWS_MODE = 0o3770;
/** Mode of each instructor's verdict file: the instructor writes, the group reads. */
export const REVIEW_FILE_MODE = 0o640;
/** Longest note kept with a verdict (characters). */
export const MAX_NOTE_CHARS = 500;
/** Longest verdict line read or written, bytes: one O_APPEND write under PIPE_BUF lands whole. */
export const MAX_VERDICT_LINE_BYTES = 4000;

/** What an instructor can say about an answer; `clear` takes a verdict back (the automatic grade counts again). */
export type Verdict = 'accept' | 'refuse';
/** A line's verdict, `clear` included. */
export type VerdictAction = Verdict | 'clear';

/** One line of a verdict file. */
export interface VerdictLine {
  /** The answer: its attempt's uuid, or `attemptKey`'s hash for a record without one. */
  key: string;
  /** The verdict, or `clear` to withdraw one. */
  verdict: VerdictAction;
  /** Why, in the instructor's words (optional). */
  note: string | null;
  /** The instructor's OS login. */
  by: string;
  /** ISO 8601 time the verdict was given. */
  time: string;
}

/** The verdict in force on one answer. */
export interface AppliedVerdict {
  /** Accepted or refused. */
  verdict: Verdict;
  /** The note given with it, or null. */
  note: string | null;
  /** Who gave it (the verdict file's owner). */
  by: string;
  /** When, ISO 8601. */
  time: string;
}

/** An attempt record with the instructor's verdict, when one is in force. */
export type ReviewedAttempt<A extends AttemptRecord = AttemptRecord> = A & {
  /** The instructor's verdict (then `correct` follows it), with the grade the tutor had given (`auto`). */
  review?: AppliedVerdict & { auto: boolean | null };
};

const KEY = /^[A-Za-z0-9._-]{1,64}:[A-Za-z0-9-]{1,64}$/;
const LOGIN = /^[A-Za-z0-9_][A-Za-z0-9._-]{0,63}$/;
const ISO_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d{1,6})?Z$/;
const FILE_NAME = /^(.+)\.jsonl$/;

/**
 * The stable key of an answer: the student's login and the attempt's uuid (`ana:1b4e28ba-…`), or for a record
 * written before attempts had one, `h-` and 16 hex digits of a hash of what was answered when. The login is
 * part of it because a uuid is the student's word: a copy of a classmate's uuid must not share their verdict.
 */
export function attemptKey(a: Pick<AttemptRecord, 'uuid' | 'user' | 'id' | 'time' | 'lesson' | 'question' | 'answer'>): string {
  const login = recordLogin(a.user).slice(0, 64);
  if (a.uuid) return `${login}:${a.uuid}`;
  const content = JSON.stringify([a.user, a.id, a.time, a.lesson, a.question, a.answer]);
  return `${login}:h-${createHash('sha256').update(content).digest('hex').slice(0, 16)}`;
}

/** Whether a string can be an answer's key. */
export function isVerdictKey(key: string): boolean {
  return KEY.test(key);
}

/** One verdict line with its newline; the note is cut to `MAX_NOTE_CHARS` and made one safe line. */
export function formatVerdictLine(v: VerdictLine): string {
  const note = v.note === null || v.note.trim() === '' ? null : safeLine(v.note.trim(), MAX_NOTE_CHARS);
  return JSON.stringify({ key: v.key, verdict: v.verdict, note, by: v.by, time: v.time }) + '\n';
}

/** Parses one verdict line (without its newline); a few words saying what is wrong otherwise. */
export function parseVerdictLine(line: string): { verdict: VerdictLine } | { problem: string } {
  if (Buffer.byteLength(line) > MAX_VERDICT_LINE_BYTES) return { problem: `line longer than ${MAX_VERDICT_LINE_BYTES} bytes` };
  let v: unknown;
  try {
    v = JSON.parse(line);
  } catch {
    return { problem: 'not JSON (cut short or hand-edited)' };
  }
  if (v === null || typeof v !== 'object' || Array.isArray(v)) return { problem: 'not an object' };
  const r = v as Record<string, unknown>;
  if (!(typeof r.key === 'string' && KEY.test(r.key))) return { problem: 'key is not an answer key' };
  if (!(r.verdict === 'accept' || r.verdict === 'refuse' || r.verdict === 'clear')) return { problem: 'verdict is not accept, refuse or clear' };
  if (!(r.note === undefined || r.note === null || (typeof r.note === 'string' && r.note.length <= MAX_NOTE_CHARS)))
    return { problem: 'note is not a short string' };
  if (!(typeof r.by === 'string' && r.by.length > 0 && r.by.length <= 64)) return { problem: 'by is not a login' };
  if (!(typeof r.time === 'string' && ISO_TIME.test(r.time) && !Number.isNaN(Date.parse(r.time)))) return { problem: 'time is not an ISO time' };
  return { verdict: { key: r.key, verdict: r.verdict, note: typeof r.note === 'string' ? r.note : null, by: r.by, time: r.time } };
}

/** A verdict line with where it was read from, in reading order. */
export type SourcedVerdict = VerdictLine & {
  /** Verdict file. */
  file: string;
  /** 1-based line. */
  line: number;
};

/**
 * The verdict in force per key: the latest by time (a later line wins a tie, so a file read in order
 * settles it); a `clear` as the latest removes the key.
 */
export function mergeVerdicts(lines: readonly VerdictLine[]): Map<string, AppliedVerdict> {
  const latest = new Map<string, VerdictLine>();
  for (const v of lines) {
    const prev = latest.get(v.key);
    if (!prev || v.time >= prev.time) latest.set(v.key, v);
  }
  const out = new Map<string, AppliedVerdict>();
  for (const [key, v] of latest) if (v.verdict !== 'clear') out.set(key, { verdict: v.verdict, note: v.note, by: v.by, time: v.time });
  return out;
}

/** Parses one verdict file's text; every line is attributed to `owner` (the file's verified owner) when given. */
export function parseVerdictFile(text: string, file: string, owner?: string): { lines: SourcedVerdict[]; problems: string[] } {
  const lines: SourcedVerdict[] = [];
  const problems: string[] = [];
  const all = text.split('\n');
  for (let i = 0; i < all.length; i++) {
    const line = all[i]!;
    if (line.trim() === '') continue;
    const r = parseVerdictLine(line);
    if ('problem' in r) {
      problems.push(`${file}:${i + 1}: ${i === all.length - 1 ? 'unfinished last line (cut short)' : r.problem}; ignored`);
      continue;
    }
    lines.push({ ...r.verdict, ...(owner !== undefined ? { by: owner } : {}), file, line: i + 1 });
  }
  return { lines, problems };
}

/** What `readVerdicts` found. */
export interface CourseVerdicts {
  /** The verdict in force per answer key. */
  verdicts: Map<string, AppliedVerdict>;
  /** Every line read, in order (files by name), for audits. */
  lines: SourcedVerdict[];
  /** Files and lines ignored, each `file: why` or `file:line: why`. */
  problems: string[];
}

/** How to read the verdicts. */
export interface ReadVerdictOptions {
  /**
   * Trust only files named after their owner whose owner is in the instructors' group (the records
   * folder's group), default true. Off for synthetic data.
   */
  verifyOwners?: boolean;
}

/** Reads every verdict file of a course directory; none (no reviews/ yet) is no verdict. Never throws for a bad file. */
export function readVerdicts(dir: string, options: ReadVerdictOptions = {}): CourseVerdicts {
  const folder = join(dir, REVIEWS_DIR);
  const problems: string[] = [];
  let names: string[];
  try {
    const st = lstatSync(folder);
    if (!st.isDirectory()) return { verdicts: new Map(), lines: [], problems: [`${folder}: not a plain directory (a symlink or a file); verdicts ignored`] };
    names = readdirSync(folder).sort();
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return { verdicts: new Map(), lines: [], problems: [] };
    return { verdicts: new Map(), lines: [], problems: [`${folder}: cannot read: ${errnoText(err)}; verdicts ignored`] };
  }
  const verify = options.verifyOwners !== false;
  const candidates: Array<{ path: string; login: string; uid: number; real: string }> = [];
  for (const name of names) {
    if (name.startsWith('.')) continue;
    const path = safeLine(join(folder, name), 2000);
    const m = FILE_NAME.exec(name);
    if (!m || !LOGIN.test(m[1]!)) {
      problems.push(`${path}: not a verdict file name (<login>.jsonl); ignored`);
      continue;
    }
    let st: Stats;
    try {
      st = lstatSync(join(folder, name));
    } catch {
      continue; // Removed while we looked.
    }
    if (!st.isFile()) {
      problems.push(`${path}: not a regular file; ignored`);
      continue;
    }
    candidates.push({ path, login: m[1]!, uid: st.uid, real: join(folder, name) });
  }
  let gid = -1;
  if (verify && candidates.length) {
    try {
      gid = statSync(join(dir, RECORDS_DIR)).gid;
    } catch (err) {
      return {
        verdicts: new Map(),
        lines: [],
        problems: [...problems, `${join(dir, RECORDS_DIR)}: ${errnoText(err)}: cannot tell the instructors' group; verdicts ignored`],
      };
    }
  }
  const accounts = verify ? accountsOf(candidates.map((c) => c.uid)) : new Map();
  const lines: SourcedVerdict[] = [];
  for (const c of candidates) {
    if (verify) {
      const account = accounts.get(c.uid) ?? null;
      if (!account || account.login !== c.login) {
        problems.push(`${c.path}: written by ${describeUid(c.uid)} under the name ${c.login}; ignored`);
        continue;
      }
      // Root can rewrite any file anyway; anyone else must be one of the instructors.
      if (!trustedOwner(c.uid, gid)) {
        problems.push(`${c.path}: written by ${describeUid(c.uid)}, who is not in the instructors' group (gid ${gid}); ignored`);
        continue;
      }
    }
    let text: string;
    try {
      text = readFileSync(c.real, 'utf8');
    } catch (err) {
      problems.push(`${c.path}: cannot read: ${errnoText(err)}; ignored`);
      continue;
    }
    const parsed = parseVerdictFile(text, c.path, verify ? c.login : undefined);
    // One at a time: spreading a long file's lines into push() can overflow the stack.
    for (const l of parsed.lines) lines.push(l);
    for (const p of parsed.problems) problems.push(p);
  }
  return { verdicts: mergeVerdicts(lines), lines, problems };
}

/** The instructor's OS login (not $EDS_USER: a verdict is signed by the account that writes the file). */
export function instructorLogin(): string {
  let login: string | undefined;
  try {
    login = userInfo().username;
  } catch {
    login = process.env.USER ?? process.env.LOGNAME;
  }
  if (!login || !LOGIN.test(login))
    throw new UserError(`cannot store verdicts for the login ${JSON.stringify(safeLine(login ?? '', 40))}`, {
      hint: 'verdict files are named after the login: letters, digits, . _ -',
    });
  return login;
}

/**
 * Makes DIR/reviews/ on the first verdict (mode 3770, the records folder's group), or checks the one there:
 * a folder students could read, or of another group, is refused rather than written to.
 */
export function ensureReviewsDir(dir: string): string {
  const folder = join(dir, REVIEWS_DIR);
  let gid: number;
  try {
    gid = statSync(join(dir, RECORDS_DIR)).gid;
  } catch (err) {
    throw new UserError(`${dir} is not a course directory (${join(dir, RECORDS_DIR)}: ${errnoText(err)})`, { hint: 'check --dir, or run eds instructor init' });
  }
  try {
    mkdirSync(folder, { mode: 0o700 });
    // Group first, then the mode: chown clears setgid (as layout.ts does for records/).
    chownSync(folder, -1, gid);
    chmodSync(folder, REVIEWS_MODE);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code !== 'EEXIST')
      throw new UserError(
        `cannot make ${folder}: ${errnoText(err)}`,
        code === 'EPERM' || code === 'EACCES' ? { hint: "run it as a member of the course's instructor group (id; newgrp)" } : {},
      );
  }
  const st = lstatSync(folder);
  if (!st.isDirectory())
    throw new UserError(`refusing ${folder}: not a plain directory (a symlink or a file)`, { hint: `remove it; eds makes it again on the next verdict` });
  const mode = st.mode & 0o7777;
  if (mode & 0o007)
    throw new UserError(`refusing ${folder}: students could read the verdicts (mode ${octal(mode)})`, { hint: `chmod ${octal(REVIEWS_MODE)} ${folder}` });
  if (st.gid !== gid) throw new UserError(`refusing ${folder}: it belongs to group ${st.gid}, not the course group ${gid}`, { hint: `chgrp ${gid} ${folder}` });
  return folder;
}

/** Where and as whom a verdict is written. */
export interface VerdictWriter {
  /** The course directory. */
  dir: string;
  /** The instructor's login (default: the OS login). */
  login?: string;
  /** The clock (default: now). */
  now?: () => Date;
}

/**
 * Appends one verdict to the instructor's file and flushes it to disk before returning, so a verdict given
 * at the screen survives the program being killed the next moment. Returns the line as written.
 */
export function appendVerdict(writer: VerdictWriter, verdict: { key: string; verdict: VerdictAction; note?: string | null }): VerdictLine {
  if (!KEY.test(verdict.key)) throw new UserError(`not an answer key: ${JSON.stringify(safeLine(verdict.key, 60))}`);
  const login = writer.login ?? instructorLogin();
  const folder = ensureReviewsDir(writer.dir);
  const path = join(folder, `${login}.jsonl`);
  const line: VerdictLine = {
    key: verdict.key,
    verdict: verdict.verdict,
    note: verdict.note ?? null,
    by: login,
    time: (writer.now?.() ?? new Date()).toISOString(),
  };
  const text = formatVerdictLine(line);
  let fd: number;
  try {
    fd = openSync(path, constants.O_WRONLY | constants.O_APPEND | constants.O_CREAT | constants.O_NOFOLLOW, REVIEW_FILE_MODE);
  } catch (err) {
    throw new UserError(`cannot write ${path}: ${errnoText(err)}`);
  }
  try {
    const st = fstatSync(fd);
    if (!st.isFile()) throw new UserError(`refusing ${path}: not a regular file`);
    // A umask of 077 would hide this file from the other instructors.
    if ((st.mode & 0o777) !== REVIEW_FILE_MODE && st.uid === process.getuid?.()) fchmodSync(fd, REVIEW_FILE_MODE);
    writeSync(fd, text);
    fsyncSync(fd);
  } catch (err) {
    if (err instanceof UserError) throw err;
    throw new UserError(`cannot write ${path}: ${errnoText(err)}`);
  } finally {
    closeSync(fd);
  }
  return { ...line, note: JSON.parse(text).note as string | null };
}

/** The attempts with the verdicts in force applied: a reviewed attempt's `correct` is the verdict, its `review` says by whom. */
export function applyVerdicts<A extends AttemptRecord>(attempts: readonly A[], verdicts: ReadonlyMap<string, AppliedVerdict>): Array<ReviewedAttempt<A>> {
  if (verdicts.size === 0) return attempts as Array<ReviewedAttempt<A>>;
  return attempts.map((a) => verdictOn(a, verdicts));
}

/** `applyVerdicts` for one attempt: the attempt itself when no verdict is in force, else a copy with it. */
export function verdictOn<A extends AttemptRecord>(a: A, verdicts: ReadonlyMap<string, AppliedVerdict>): ReviewedAttempt<A> {
  if (verdicts.size === 0) return a;
  const v = verdicts.get(attemptKey(a));
  return v ? { ...a, correct: v.verdict === 'accept', review: { ...v, auto: a.correct } } : a;
}

/**
 * Whether an attempt awaits an instructor's review: a free-text answer left for review with no verdict in force. Its
 * `correct` is the student's own y/n against the model answer (kept in the record for the instructor), not a grade:
 * reports count it neither right nor wrong.
 */
export function pendingReview(a: { grading?: AttemptRecord['grading']; review?: unknown }): boolean {
  return a.grading === 'review' && a.review === undefined;
}

// ---------------------------------------------------------------------------------------------------------
// The listing: free-text answers grouped by question.

/** A free-text question as the lessons describe it. */
export interface TextQuestion {
  /** Lesson id. */
  lesson: string;
  /** Question id. */
  question: string;
  /** The question as the student read it (Markdown source). */
  prompt: string;
  /** The model answer (`answer:`), or null. */
  modelAnswer: string | null;
  /** How the lesson grades it: `auto` (patterns) or `review` (the student's self-assessment, for the instructor). */
  grading: 'auto' | 'review';
}

/** One student's answer in the listing (every string already safe to print). */
export interface ReviewAnswer {
  /** The key verdicts name: the attempt's uuid, or a hash for an old record. */
  key: string;
  /** The attempt's uuid, or null for an old record. */
  uuid: string | null;
  /** Student login. */
  student: string;
  /** Lesson id. */
  lesson: string;
  /** Question id. */
  question: string;
  /** 1 for the student's first attempt at the question, … */
  attempt: number;
  /** ISO time of the answer. */
  time: string;
  /** The answer (several lines possible). */
  answer: string;
  /** True when the record holds only the start of a very long answer. */
  truncated: boolean;
  /** How the tutor decided: `auto`, `review` (the student's self-assessment), or null for an old record (auto). */
  grading: AttemptGrading | null;
  /** The tutor's verdict: the grader's (auto) or the student's own (review); null when none. */
  correct: boolean | null;
  /** For a review-mode answer, what the question's `match:` lines said (a provisional verdict), or null. */
  matched: boolean | null;
  /** The instructor's verdict in force, or null (pending). */
  verdict: AppliedVerdict | null;
}

/** One question with its answers. */
export interface ReviewGroup {
  /** Lesson id. */
  lesson: string;
  /** Question id. */
  question: string;
  /** The prompt, or null when the lesson is not installed here. */
  prompt: string | null;
  /** The model answer, or null. */
  modelAnswer: string | null;
  /** The lesson's grading mode, or null when unknown. */
  grading: 'auto' | 'review' | null;
  /** Answers, by student then attempt. */
  answers: ReviewAnswer[];
}

/** Which answers to list. */
export interface ReviewFilter {
  /** Only this lesson. */
  lesson?: string;
  /** Only this question id. */
  question?: string;
  /** Only answers without an instructor's verdict. */
  pending?: boolean;
}

/**
 * Groups the free-text answers (attempts at a question the lessons say is `text`, or logged for review)
 * by question, lessons in the order given, then the questions no installed lesson knows.
 */
export function buildReviewListing(
  attempts: readonly AttemptRecord[],
  questions: readonly TextQuestion[],
  verdicts: ReadonlyMap<string, AppliedVerdict>,
  filter: ReviewFilter = {},
): ReviewGroup[] {
  const qkey = (lesson: string, question: string) => `${lesson}\u0000${question}`;
  const known = new Map(questions.map((q, i) => [qkey(q.lesson, q.question), { q, order: i }]));
  const groups = new Map<string, ReviewGroup & { order: number }>();
  for (const a of attempts) {
    const k = qkey(a.lesson, a.question);
    const text = known.get(k);
    if (!text && a.grading !== 'review') continue;
    if (filter.lesson !== undefined && a.lesson !== filter.lesson) continue;
    if (filter.question !== undefined && a.question !== filter.question) continue;
    const key = attemptKey(a);
    const verdict = verdicts.get(key) ?? null;
    if (filter.pending && verdict) continue;
    let g = groups.get(k);
    if (!g) {
      g = {
        lesson: safeLine(a.lesson, 100),
        question: safeLine(a.question, 100),
        prompt: text ? safeText(text.q.prompt) : null,
        modelAnswer: text?.q.modelAnswer != null ? safeText(text.q.modelAnswer) : null,
        grading: text ? text.q.grading : null,
        answers: [],
        order: text ? text.order : Number.MAX_SAFE_INTEGER,
      };
      groups.set(k, g);
    }
    const matched = a.detail && typeof a.detail.auto === 'boolean' ? a.detail.auto : null;
    g.answers.push({
      key: safeLine(key, 100),
      uuid: a.uuid ? safeLine(a.uuid, 100) : null,
      student: safeLine(a.user, 64),
      lesson: g.lesson,
      question: g.question,
      attempt: a.attempt,
      time: safeLine(a.time, 40),
      answer: safeText(a.answer),
      truncated: a.truncated === true,
      grading: a.grading ?? null,
      correct: a.correct,
      matched,
      verdict: verdict ? { ...verdict, by: safeLine(verdict.by, 64), note: verdict.note === null ? null : safeLine(verdict.note, MAX_NOTE_CHARS) } : null,
    });
  }
  const out = [...groups.values()].sort((x, y) => x.order - y.order || x.lesson.localeCompare(y.lesson) || x.question.localeCompare(y.question));
  for (const g of out)
    g.answers.sort((x, y) => x.student.localeCompare(y.student) || x.attempt - y.attempt || (x.time < y.time ? -1 : x.time > y.time ? 1 : 0));
  return out.map(({ order: _order, ...g }) => g);
}

/** The tutor's verdict in words: `auto right`, `self: covers (match: no)`, … */
export function autoVerdictText(a: Pick<ReviewAnswer, 'grading' | 'correct' | 'matched'>): string {
  if (a.grading === 'review') {
    const self = a.correct === null ? 'self: -' : a.correct ? 'self: covers it' : 'self: misses it';
    return a.matched === null ? self : `${self} (match: ${a.matched ? 'yes' : 'no'})`;
  }
  return a.correct === null ? 'auto: -' : a.correct ? 'auto: right' : 'auto: wrong';
}

/** The listing as JSON for `--json`: {questions, problems}. */
export function reviewJson(groups: readonly ReviewGroup[], problems: readonly string[]): string {
  return JSON.stringify({ questions: groups, problems: problems.map((p) => safeLine(p, 2000)) }, null, 2) + '\n';
}

/** The columns of `--csv`; `--apply` reads `key`, `verdict` and `note` back from such a file. */
export const REVIEW_CSV_COLUMNS = [
  'key',
  'lesson',
  'question',
  'student',
  'attempt',
  'time',
  'grading',
  'auto_correct',
  'verdict',
  'note',
  'verdict_by',
  'verdict_time',
  'answer',
] as const;

/** The listing as CSV, one answer a row: fill in `verdict` (accept/refuse) and give the file to `--apply`. */
export function reviewCsv(groups: readonly ReviewGroup[]): string {
  const bool = (b: boolean | null) => (b === null ? null : String(b));
  const rows = groups.flatMap((g) =>
    g.answers.map((a) => {
      const v = a.verdict;
      return [
        a.key,
        a.lesson,
        a.question,
        a.student,
        a.attempt,
        a.time,
        a.grading ?? 'auto',
        bool(a.correct),
        v?.verdict ?? null,
        v?.note ?? null,
        v?.by ?? null,
        v?.time ?? null,
        a.answer,
      ];
    }),
  );
  return formatCsv({ columns: [...REVIEW_CSV_COLUMNS], rows });
}

/** A plain-text listing for a pipe or a log: each question, its model answer, then every answer and its verdicts. */
export function formatReviewListing(groups: readonly ReviewGroup[]): string {
  const out: string[] = [];
  for (const g of groups) {
    out.push(`== ${g.lesson} ${g.question} (${g.answers.length} answer${g.answers.length === 1 ? '' : 's'}${g.grading ? `, graded ${g.grading}` : ''})`);
    if (g.prompt) out.push(indent(g.prompt, 'Q: '));
    if (g.modelAnswer) out.push(indent(g.modelAnswer, 'Model: '));
    for (const a of g.answers) {
      const v = a.verdict
        ? `${a.verdict.verdict}ed by ${a.verdict.by} ${a.verdict.time.slice(0, 16).replace('T', ' ')}${a.verdict.note ? `: ${a.verdict.note}` : ''}`
        : 'pending';
      out.push(`  ${a.student} #${a.attempt}  ${a.time.slice(0, 16).replace('T', ' ')}  ${autoVerdictText(a)}  instructor: ${v}  [${a.key}]`);
      out.push(indent(a.answer + (a.truncated ? ' […cut]' : ''), '    '));
    }
    out.push('');
  }
  return out.join('\n');
}

function indent(text: string, first: string): string {
  const pad = ' '.repeat(first.length);
  return text
    .split('\n')
    .map((l, i) => (i === 0 ? first : pad) + l)
    .join('\n');
}

// ---------------------------------------------------------------------------------------------------------
// `--apply FILE`: verdicts from a file an instructor filled in.

/** One verdict asked for by a file. */
export interface VerdictRequest {
  /** Answer key. */
  key: string;
  /** The verdict. */
  verdict: VerdictAction;
  /** Note, or null. */
  note: string | null;
  /** 1-based line in the file. */
  line: number;
}

/** What a verdict file asks for, and what is wrong in it (`file:line: why`). Rows with no verdict are skipped. */
export interface ParsedRequests {
  /** The verdicts asked for, in file order. */
  requests: VerdictRequest[];
  /** Lines refused. */
  problems: string[];
  /** Rows without a verdict (left blank), skipped. */
  blank: number;
}

/**
 * Reads verdicts from a CSV file (columns `key`, `verdict`, optional `note`, as `--csv` prints them), a JSON
 * array of `{key, verdict, note}`, or JSON lines. `source` names the file in messages.
 */
export function parseVerdictRequests(text: string, source: string): ParsedRequests {
  const body = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  const first = body.trimStart()[0];
  if (first === '[') return fromJsonArray(body, source);
  if (first === '{') return fromJsonLines(body, source);
  return fromCsv(body, source);
}

function request(raw: Record<string, unknown>, line: number, source: string, out: ParsedRequests): void {
  const key = raw.key === undefined || raw.key === null ? '' : String(raw.key).trim();
  const verdict = raw.verdict === undefined || raw.verdict === null ? '' : String(raw.verdict).trim().toLowerCase();
  const note = raw.note === undefined || raw.note === null || String(raw.note).trim() === '' ? null : String(raw.note);
  if (verdict === '') {
    out.blank++;
    return;
  }
  if (!KEY.test(key)) {
    out.problems.push(`${source}:${line}: ${key === '' ? 'no key' : `not an answer key: ${JSON.stringify(safeLine(key, 60))}`}`);
    return;
  }
  if (verdict !== 'accept' && verdict !== 'refuse' && verdict !== 'clear') {
    out.problems.push(`${source}:${line}: verdict must be accept, refuse or clear, not ${JSON.stringify(safeLine(verdict, 40))}`);
    return;
  }
  if (note !== null && note.length > MAX_NOTE_CHARS) {
    out.problems.push(`${source}:${line}: note longer than ${MAX_NOTE_CHARS} characters`);
    return;
  }
  out.requests.push({ key, verdict, note, line });
}

function fromCsv(text: string, source: string): ParsedRequests {
  const out: ParsedRequests = { requests: [], problems: [], blank: 0 };
  const { table, report } = parseCsv(text, { source, missingValues: [''], delimiter: ',' });
  const col = (name: string) => table.columns.findIndex((c) => c.trim().toLowerCase() === name);
  const [k, v, n] = [col('key'), col('verdict'), col('note')];
  if (k < 0 || v < 0) {
    out.problems.push(`${source}:1: needs a header with the columns key and verdict (and optionally note), as eds instructor review --csv prints`);
    return out;
  }
  for (const line of report.droppedLines) out.problems.push(`${source}:${line}: more fields than the header; ignored`);
  table.rows.forEach((row, i) => request({ key: row[k], verdict: row[v], note: n >= 0 ? row[n] : null }, table.lines?.[i] ?? i + 2, source, out));
  return out;
}

function fromJsonLines(text: string, source: string): ParsedRequests {
  const out: ParsedRequests = { requests: [], problems: [], blank: 0 };
  text.split('\n').forEach((line, i) => {
    if (line.trim() === '') return;
    let v: unknown;
    try {
      v = JSON.parse(line);
    } catch {
      out.problems.push(`${source}:${i + 1}: not JSON`);
      return;
    }
    if (v === null || typeof v !== 'object' || Array.isArray(v)) out.problems.push(`${source}:${i + 1}: not an object {key, verdict, note}`);
    else request(v as Record<string, unknown>, i + 1, source, out);
  });
  return out;
}

function fromJsonArray(text: string, source: string): ParsedRequests {
  const out: ParsedRequests = { requests: [], problems: [], blank: 0 };
  let items: unknown;
  try {
    items = JSON.parse(text);
  } catch (err) {
    out.problems.push(`${source}:1: not JSON (${err instanceof Error ? safeLine(err.message, 120) : 'unreadable'})`);
    return out;
  }
  const starts = elementLines(text);
  (items as unknown[]).forEach((v, i) => {
    const line = starts[i] ?? 1;
    if (v === null || typeof v !== 'object' || Array.isArray(v)) out.problems.push(`${source}:${line}: not an object {key, verdict, note}`);
    else request(v as Record<string, unknown>, line, source, out);
  });
  return out;
}

/** The 1-based line where each element of a top-level JSON array starts (the text is known to parse). */
function elementLines(text: string): number[] {
  const out: number[] = [];
  let depth = 0;
  let line = 1;
  let inString = false;
  let expect = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (c === '\n') line++;
    if (inString) {
      if (c === '\\') i++;
      else if (c === '"') inString = false;
      continue;
    }
    if (/\s/.test(c)) continue;
    if (depth === 1 && expect && c !== ']') {
      out.push(line);
      expect = false;
    }
    if (c === '"') inString = true;
    else if (c === '[' || c === '{') {
      depth++;
      if (depth === 1) expect = true;
    } else if (c === ']' || c === '}') depth--;
    else if (c === ',' && depth === 1) expect = true;
  }
  return out;
}

/** What applying a file's verdicts would do. */
export interface ApplyPlan {
  /** Verdicts to write, in file order. */
  writes: VerdictRequest[];
  /** Requests that change nothing (the same verdict and note already in force). */
  unchanged: number;
  /** Requests naming no listed answer, `file:line: why`. */
  unknown: string[];
}

/**
 * Decides which requested verdicts to write: a key must name an answer of the listing (`current`, key →
 * verdict in force or null); asking for what is already in force writes nothing, so a filled-in `--csv`
 * file can be applied twice.
 */
export function planApply(requests: readonly VerdictRequest[], current: ReadonlyMap<string, AppliedVerdict | null>, source: string): ApplyPlan {
  const state = new Map(current);
  const plan: ApplyPlan = { writes: [], unchanged: 0, unknown: [] };
  for (const r of requests) {
    if (!state.has(r.key)) {
      plan.unknown.push(`${source}:${r.line}: no free-text answer has the key ${r.key}`);
      continue;
    }
    const now = state.get(r.key) ?? null;
    const same = r.verdict === 'clear' ? now === null : now !== null && now.verdict === r.verdict && (r.note === null || r.note === now.note);
    if (same) {
      plan.unchanged++;
      continue;
    }
    plan.writes.push(r);
    state.set(r.key, r.verdict === 'clear' ? null : { verdict: r.verdict, note: r.note, by: '', time: '' });
  }
  return plan;
}
