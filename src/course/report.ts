// The instructors' side: read every student's record file, check it line by line, and turn it into per-student and per-question tables.
import { spawnSync } from 'node:child_process';
import { lstatSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { UserError } from '../cli/errors.js';
import { errnoText, RECORDS_DIR } from './layout.js';
import { parseRecordLine, type AttemptRecord, type CourseRecord, type StepRecord } from './record.js';
import { LEADERBOARD_QUESTION } from '../leaderboard/ranking.js';

/** A record with where it was read from. */
export type SourcedRecord = CourseRecord & {
  /** Record file it came from. */
  file: string;
  /** 1-based line number in that file. */
  line: number;
};

/** Everything read from a course directory. */
export interface CourseRecords {
  /** Attempts, deduplicated by (student, id), oldest first. */
  attempts: Array<AttemptRecord & { file: string; line: number }>;
  /** Finished steps, deduplicated by (student, lesson, step), oldest first. */
  steps: Array<StepRecord & { file: string; line: number }>;
  /** Lines and files that were refused, each as `file:line: why` or `file: why`. */
  problems: string[];
  /** Record files read. */
  files: number;
}

/** How to read the records. */
export interface ReadOptions {
  /**
   * Check that each file `<login>.<uid>.jsonl` is owned by that uid and that uid is that login
   * (default true): a student cannot file records under another's name. Off for synthetic data.
   */
  verifyOwners?: boolean;
  /** Files already parsed, by path, reused while their size and mtime are unchanged (`eds instructor watch`). */
  cache?: Map<string, CachedFile>;
}

/** A parsed record file, kept between reads. */
export interface CachedFile {
  /** Size when read, bytes. */
  size: number;
  /** mtime when read, ms. */
  mtimeMs: number;
  /** Its good records. */
  records: SourcedRecord[];
  /** Its refused lines. */
  problems: string[];
}

const FILE_NAME = /^(.+)\.(\d+)\.jsonl$/;

/** Reads and checks every record file in `dir/records`. Throws `UserError` when the directory cannot be listed. */
export function readCourseRecords(dir: string, options: ReadOptions = {}): CourseRecords {
  const records = join(dir, RECORDS_DIR);
  let names: string[];
  try {
    names = readdirSync(records).sort();
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw new UserError(`cannot list ${records}: ${errnoText(err)}`, {
      hint: code === 'EACCES' ? "only members of the course's instructor group can read the records (id; newgrp)" : 'check the path, or run eds instructor init',
    });
  }
  const problems: string[] = [];
  const candidates: Array<{ path: string; login: string; uid: number; size: number; mtimeMs: number }> = [];
  for (const name of names) {
    if (name.startsWith('.')) continue;
    const path = join(records, name);
    const m = FILE_NAME.exec(name);
    if (!m) {
      problems.push(`${path}: not a record file name (<login>.<uid>.jsonl); ignored`);
      continue;
    }
    let st;
    try {
      st = lstatSync(path);
    } catch {
      continue; // Removed while we looked.
    }
    if (!st.isFile()) {
      problems.push(`${path}: not a regular file; ignored`);
      continue;
    }
    const uid = Number(m[2]);
    if (options.verifyOwners !== false && st.uid !== uid) {
      problems.push(`${path}: owned by uid ${st.uid}, not ${uid} as its name says; ignored`);
      continue;
    }
    candidates.push({ path, login: m[1]!, uid, size: st.size, mtimeMs: st.mtimeMs });
  }
  const logins = options.verifyOwners !== false ? loginsOf(candidates.map((c) => c.uid)) : new Map<number, string>();

  const all: SourcedRecord[] = [];
  let files = 0;
  for (const c of candidates) {
    const real = logins.get(c.uid);
    if (real !== undefined && real !== c.login) {
      problems.push(`${c.path}: written by ${real} (uid ${c.uid}) under the name ${c.login}; ignored`);
      continue;
    }
    const cached = options.cache?.get(c.path);
    let parsed: CachedFile;
    if (cached && cached.size === c.size && cached.mtimeMs === c.mtimeMs) parsed = cached;
    else {
      parsed = parseRecordFile(c.path, c.login);
      parsed.size = c.size;
      parsed.mtimeMs = c.mtimeMs;
      options.cache?.set(c.path, parsed);
    }
    files++;
    all.push(...parsed.records);
    problems.push(...parsed.problems);
  }
  all.sort((a, b) => (a.time < b.time ? -1 : a.time > b.time ? 1 : 0));
  const seenAttempts = new Set<string>();
  const seenSteps = new Set<string>();
  const attempts: CourseRecords['attempts'] = [];
  const steps: CourseRecords['steps'] = [];
  for (const r of all) {
    if (r.kind === 'attempt') {
      const key = `${r.user}\u0000${r.id}`;
      if (!seenAttempts.has(key)) {
        seenAttempts.add(key);
        attempts.push(r);
      }
    } else {
      const key = `${r.user}\u0000${r.lesson}\u0000${r.step}`;
      if (!seenSteps.has(key)) {
        seenSteps.add(key);
        steps.push(r);
      }
    }
  }
  return { attempts, steps, problems, files };
}

/** Parses one record file; every record is attributed to `login`, the file's verified owner. */
export function parseRecordFile(path: string, login: string): CachedFile {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    return { size: 0, mtimeMs: 0, records: [], problems: [`${path}: cannot read: ${errnoText(err)}`] };
  }
  const records: SourcedRecord[] = [];
  const problems: string[] = [];
  const lines = text.split('\n');
  // Every record ends with a newline, so text after the last one is a record cut short.
  const last = lines.length - 1;
  let renamed = false;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    // Blank lines carry nothing (a writer may end a cut line with one): skip them quietly.
    if (line === '') continue;
    const r = parseRecordLine(line);
    if ('problem' in r) {
      problems.push(`${path}:${i + 1}: ${i === last ? 'unfinished last line (cut short)' : r.problem}; ignored`);
      continue;
    }
    const rec = r.record as SourcedRecord;
    if (rec.user !== login) {
      if (!renamed) problems.push(`${path}:${i + 1}: records name the user ${rec.user}; counted as ${login}, the file's owner`);
      renamed = true;
      rec.user = login;
    }
    rec.file = path;
    rec.line = i + 1;
    records.push(rec);
  }
  return { size: 0, mtimeMs: 0, records, problems };
}

/** Logins of the given uids, in one `getent passwd` call (LDAP users included); uids it does not know are absent. */
function loginsOf(uids: number[]): Map<number, string> {
  const out = new Map<number, string>();
  const unique = [...new Set(uids)];
  if (unique.length === 0) return out;
  const r = spawnSync('getent', ['passwd', ...unique.map(String)], { encoding: 'utf8', timeout: 10_000, maxBuffer: 64 * 2 ** 20 });
  for (const line of (r.stdout ?? '').split('\n')) {
    const [name, , uid] = line.split(':');
    if (name && uid && /^\d+$/.test(uid)) out.set(Number(uid), name);
  }
  return out;
}

/** A lesson's steps, so progress can be shown as a fraction. */
export interface LessonOutline {
  /** Lesson id. */
  id: string;
  /** Ids of all its steps, in order. */
  steps: string[];
  /** Ids of its question steps. */
  questions: string[];
}

/** One student's row. */
export interface StudentRow {
  /** Login (the record file's owner). */
  student: string;
  /** Progress per lesson touched. */
  lessons: Array<{
    /** Lesson id. */
    lesson: string;
    /** Distinct steps finished. */
    steps_done: number;
    /** Steps in the lesson, or null when the lesson is not among those installed. */
    steps_total: number | null;
  }>;
  /** Distinct questions answered at least once. */
  questions_answered: number;
  /** Questions whose first attempt was graded right (predictions are not graded). */
  first_try_right: number;
  /** All attempts. */
  attempts: number;
  /** Sum of the seconds spent answering, over all attempts, s. */
  seconds_spent: number;
  /** ISO time of the latest record, or null. */
  last_activity: string | null;
}

/** One question's row. */
export interface QuestionRow {
  /** Lesson id. */
  lesson: string;
  /** Question id. */
  question: string;
  /** Students who answered it. */
  students: number;
  /** Share of those students (whose first attempt was graded) right at the first attempt, 0–1; null when none was graded. */
  first_try_rate: number | null;
  /** All attempts at it. */
  attempts: number;
  /** Most frequent wrong answers (trimmed, case-folded), most frequent first, at most 3. */
  common_wrong: Array<{
    /** The answer. */
    answer: string;
    /** How many attempts gave it. */
    count: number;
  }>;
  /** Median seconds from showing the question to the first answer, s; null when none. */
  median_seconds: number | null;
}

/** What `eds instructor report --json` prints. */
export interface ClassReport {
  /** One row per student, by login. */
  students: StudentRow[];
  /** One row per question, hardest (lowest first-try rate) first. */
  questions: QuestionRow[];
  /** Refused files and lines, `file:line: why`. */
  problems: string[];
}

/** Builds the per-student and per-question tables, optionally for one lesson. */
export function buildReport(data: CourseRecords, options: { lesson?: string; lessons?: readonly LessonOutline[] } = {}): ClassReport {
  const keep = (r: { lesson: string }) => !options.lesson || r.lesson === options.lesson;
  // A leaderboard entry is logged like an answer but is not one: `eds instructor leaderboard` reads those.
  const isAnswer = (r: { lesson: string; question: string }) => !(r.lesson === LEADERBOARD_QUESTION.lesson && r.question === LEADERBOARD_QUESTION.question);
  const attempts = data.attempts.filter((r) => keep(r) && isAnswer(r));
  const steps = data.steps.filter(keep);
  const outlines = new Map((options.lessons ?? []).map((l) => [l.id, l]));

  interface Acc {
    steps: Map<string, Set<string>>;
    questions: Set<string>;
    firstRight: number;
    attempts: number;
    seconds: number;
    last: string | null;
  }
  const byStudent = new Map<string, Acc>();
  const acc = (user: string): Acc => {
    let a = byStudent.get(user);
    if (!a) byStudent.set(user, (a = { steps: new Map(), questions: new Set(), firstRight: 0, attempts: 0, seconds: 0, last: null }));
    return a;
  };
  for (const s of steps) {
    const a = acc(s.user);
    let set = a.steps.get(s.lesson);
    if (!set) a.steps.set(s.lesson, (set = new Set()));
    set.add(s.step);
    if (a.last === null || s.time > a.last) a.last = s.time;
  }

  interface QAcc {
    students: Set<string>;
    graded: number;
    right: number;
    attempts: number;
    wrong: Map<string, number>;
    firstSeconds: number[];
  }
  const byQuestion = new Map<string, QAcc & { lesson: string; question: string }>();
  // The first attempt per (student, question) is the lowest attempt number seen, robust to a lost record.
  const first = new Map<string, AttemptRecord>();
  for (const r of attempts) {
    const a = acc(r.user);
    a.attempts++;
    a.seconds += r.seconds;
    a.questions.add(`${r.lesson}\u0000${r.question}`);
    if (a.last === null || r.time > a.last) a.last = r.time;
    if (!a.steps.has(r.lesson)) a.steps.set(r.lesson, new Set());
    const qk = `${r.lesson}\u0000${r.question}`;
    let q = byQuestion.get(qk);
    if (!q) byQuestion.set(qk, (q = { lesson: r.lesson, question: r.question, students: new Set(), graded: 0, right: 0, attempts: 0, wrong: new Map(), firstSeconds: [] }));
    q.students.add(r.user);
    q.attempts++;
    if (r.correct === false) {
      const norm = r.answer.trim().replace(/\s+/g, ' ').toLowerCase();
      q.wrong.set(norm, (q.wrong.get(norm) ?? 0) + 1);
    }
    const fk = `${r.user}\u0000${qk}`;
    const prev = first.get(fk);
    if (!prev || r.attempt < prev.attempt) first.set(fk, r);
  }
  for (const [fk, r] of first) {
    const q = byQuestion.get(fk.slice(fk.indexOf('\u0000') + 1))!;
    q.firstSeconds.push(r.seconds);
    if (r.correct !== null) {
      q.graded++;
      if (r.correct) {
        q.right++;
        acc(r.user).firstRight++;
      }
    }
  }

  const students: StudentRow[] = [...byStudent.entries()]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([student, a]) => ({
      student,
      lessons: [...a.steps.entries()]
        .sort(([x], [y]) => x.localeCompare(y))
        .map(([lesson, set]) => {
          const outline = outlines.get(lesson);
          const done = outline ? outline.steps.filter((s) => set.has(s)).length : set.size;
          return { lesson, steps_done: done, steps_total: outline ? outline.steps.length : null };
        }),
      questions_answered: a.questions.size,
      first_try_right: a.firstRight,
      attempts: a.attempts,
      seconds_spent: round(a.seconds, 1),
      last_activity: a.last,
    }));
  const questions: QuestionRow[] = [...byQuestion.values()]
    .map((q) => ({
      lesson: q.lesson,
      question: q.question,
      students: q.students.size,
      first_try_rate: q.graded ? round(q.right / q.graded, 4) : null,
      attempts: q.attempts,
      common_wrong: [...q.wrong.entries()]
        .sort((x, y) => y[1] - x[1] || x[0].localeCompare(y[0]))
        .slice(0, 3)
        .map(([answer, count]) => ({ answer, count })),
      median_seconds: median(q.firstSeconds),
    }))
    .sort(
      (x, y) =>
        (x.first_try_rate ?? 2) - (y.first_try_rate ?? 2) ||
        y.attempts / Math.max(1, y.students) - x.attempts / Math.max(1, x.students) ||
        x.lesson.localeCompare(y.lesson) ||
        x.question.localeCompare(y.question),
    );
  return { students, questions, problems: data.problems };
}

function median(xs: number[]): number | null {
  if (xs.length === 0) return null;
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return round(s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2, 1);
}

function round(x: number, digits: number): number {
  const f = 10 ** digits;
  return Math.round(x * f) / f;
}

/** A duration for people: "45s", "12m05s", "3h02m". */
export function formatDuration(seconds: number): string {
  const s = Math.round(seconds);
  if (s < 60) return `${s}s`;
  if (s < 3600) return `${Math.floor(s / 60)}m${String(s % 60).padStart(2, '0')}s`;
  return `${Math.floor(s / 3600)}h${String(Math.floor((s % 3600) / 60)).padStart(2, '0')}m`;
}

/** Pads cells into aligned columns, two spaces apart. */
export function table(header: string[], rows: string[][]): string {
  const widths = header.map((h, i) => Math.max([...h].length, ...rows.map((r) => [...(r[i] ?? '')].length)));
  const fmt = (r: string[]) => r.map((c, i) => (i === r.length - 1 ? c : c + ' '.repeat(widths[i]! - [...c].length))).join('  ');
  return [fmt(header), ...rows.map(fmt)].join('\n') + '\n';
}

/** The per-student table, as people read it. */
export function formatStudents(rows: readonly StudentRow[]): string {
  return table(
    ['student', 'progress (steps done/total per lesson)', 'answered', 'right 1st', 'attempts', 'time', 'last activity'],
    rows.map((r) => [
      r.student,
      r.lessons.map((l) => `${l.lesson} ${l.steps_done}/${l.steps_total ?? '?'}`).join(', ') || '-',
      String(r.questions_answered),
      String(r.first_try_right),
      String(r.attempts),
      formatDuration(r.seconds_spent),
      r.last_activity ? r.last_activity.slice(0, 16).replace('T', ' ') : '-',
    ]),
  );
}

/** The per-question table, hardest first. */
export function formatQuestions(rows: readonly QuestionRow[]): string {
  return table(
    ['lesson', 'question', 'students', 'right 1st', 'attempts', 'median time', 'common wrong answers'],
    rows.map((q) => [
      q.lesson,
      q.question,
      String(q.students),
      q.first_try_rate === null ? 'n/a' : `${Math.round(q.first_try_rate * 100)}%`,
      String(q.attempts),
      q.median_seconds === null ? '-' : formatDuration(q.median_seconds),
      q.common_wrong.map((w) => `${JSON.stringify(clip(w.answer, 30))}×${w.count}`).join(', '),
    ]),
  );
}

function clip(s: string, n: number): string {
  return s.length <= n ? s : s.slice(0, n - 1) + '…';
}

/** One CSV cell: quoted when it holds a comma, quote, or line break (RFC 4180). */
export function csvCell(v: string | number | boolean | null | undefined): string {
  if (v === null || v === undefined) return '';
  const s = String(v);
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/** Rows as CSV text with a header line. */
export function toCsv(header: string[], rows: Array<Array<string | number | boolean | null | undefined>>): string {
  return [header, ...rows].map((r) => r.map(csvCell).join(',')).join('\n') + '\n';
}

/** The per-student table as CSV (one row per student and lesson, so it opens flat in a spreadsheet). */
export function studentsCsv(rows: readonly StudentRow[]): string {
  const out: Array<Array<string | number | null>> = [];
  for (const r of rows) {
    const lessons = r.lessons.length ? r.lessons : [{ lesson: '', steps_done: 0, steps_total: null }];
    for (const l of lessons) {
      out.push([r.student, l.lesson, l.steps_done, l.steps_total, r.questions_answered, r.first_try_right, r.attempts, r.seconds_spent, r.last_activity]);
    }
  }
  return toCsv(['student', 'lesson', 'steps_done', 'steps_total', 'questions_answered', 'first_try_right', 'attempts', 'seconds_spent', 'last_activity'], out);
}

/** The per-question table as CSV. */
export function questionsCsv(rows: readonly QuestionRow[]): string {
  return toCsv(
    ['lesson', 'question', 'students', 'first_try_rate', 'attempts', 'median_seconds', 'common_wrong'],
    rows.map((q) => [q.lesson, q.question, q.students, q.first_try_rate, q.attempts, q.median_seconds, q.common_wrong.map((w) => `${w.answer} (${w.count})`).join('; ')]),
  );
}

/** Every record as CSV, attempts and steps in one table, oldest first. */
export function recordsCsv(data: CourseRecords): string {
  const rows = [
    ...data.attempts.map((a) => ({ time: a.time, row: ['attempt', a.user, a.time, a.lesson, a.question, '', a.answer, a.correct, a.attempt, a.seconds, a.seed, a.version, a.file, a.line] })),
    ...data.steps.map((s) => ({ time: s.time, row: ['step', s.user, s.time, s.lesson, '', s.step, '', null, null, null, null, s.version, s.file, s.line] })),
  ].sort((x, y) => (x.time < y.time ? -1 : x.time > y.time ? 1 : 0));
  return toCsv(
    ['kind', 'student', 'time', 'lesson', 'question', 'step', 'answer', 'correct', 'attempt', 'seconds', 'seed', 'version', 'file', 'line'],
    rows.map((r) => r.row as Array<string | number | boolean | null>),
  );
}

/** One student's full log, oldest first, free-text answers whole. */
export function formatStudentLog(data: CourseRecords, student: string): string {
  const lines: string[] = [];
  const items = [...data.attempts.filter((a) => a.user === student), ...data.steps.filter((s) => s.user === student)].sort((x, y) =>
    x.time < y.time ? -1 : x.time > y.time ? 1 : 0,
  );
  for (const r of items) {
    const when = r.time.slice(0, 19).replace('T', ' ');
    if (r.kind === 'step') {
      lines.push(`${when}  ${r.lesson}  finished ${r.step}`);
    } else {
      const mark = r.correct === null ? 'committed' : r.correct ? 'right' : 'wrong';
      const answer = r.answer.replace(/\n/g, '\n      ') + (r.truncated ? ' […cut; whole in the student\'s own store]' : '');
      lines.push(`${when}  ${r.lesson}  ${r.question} #${r.attempt}  ${mark}  ${formatDuration(r.seconds)}  ${answer}`);
    }
  }
  return lines.join('\n') + (lines.length ? '\n' : '');
}
