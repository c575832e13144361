// The instructors' side: read every student's record file, check it line by line, and turn it into per-student and per-question tables.
//
// Every byte here was written by a student, and one of them may be hostile: files are streamed in chunks
// (a line is never longer than MAX_READ_LINE_BYTES in memory), every field is validated, each file's
// complaints are bounded, and every string is made safe by the printers before it reaches a terminal.
import { createHash } from 'node:crypto';
import { closeSync, constants, existsSync, fstatSync, lstatSync, openSync, readdirSync, readSync, type Stats } from 'node:fs';
import { availableParallelism } from 'node:os';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { join } from 'node:path';
import { UserError } from '../errors.js';
import { safeLine, safeText } from '../util/safe-text.js';
import { accountsOf } from './accounts.js';
import { errnoText, parseRecordFileName, recordLogin, RECORDS_DIR } from './layout.js';
import {
  MAX_PLAUSIBLE_SECONDS,
  MAX_READ_LINE_BYTES,
  parseRecordBytes,
  plausibleSeconds,
  type AttemptRecord,
  type CourseRecord,
  type StepRecord,
} from './record.js';
import { LEADERBOARD_QUESTION } from '../leaderboard/question.js';
import { type QuestionIndex, regradeLegacyPrediction } from './legacy.js';
import { applyVerdicts, pendingReview, readVerdicts, verdictOn, type AppliedVerdict, type ReviewedAttempt } from './review.js';
import { median, roundTo } from '../util/stats.js';

/** A record with where it was read from. */
export type SourcedRecord = CourseRecord & {
  /** Record file it came from (printable). */
  file: string;
  /** 1-based line number in that file. */
  line: number;
};

/** What became of one entry of the records directory. */
export type RecordFileStatus = 'read' | 'foreign' | 'unreadable' | 'not a regular file' | 'not a record file name' | 'over the limit';

/** One entry of the records directory, read or left out, and why. */
export interface RecordFileInfo {
  /** Its path (printable). */
  file: string;
  /** What became of it. */
  status: RecordFileStatus;
  /** The login its name gives (printable), or null when the name is not a record file name. */
  named: string | null;
  /** The uid its name gives, or null. */
  uid: number | null;
  /** Who owns it (uid), or null when it could not be looked at. */
  owner_uid: number | null;
  /** The owner's login, when the system knows it. */
  owner: string | null;
  /** The student its records are counted for (the verified owner), or null when it was left out. */
  student: string | null;
  /** Why it was left out, in a few words, or null when it was read. */
  why: string | null;
  /** Good records read from it. */
  records: number;
  /** Lines refused or noted in it. */
  problems: number;
  /** Bytes at its end left unread because its student's files together passed `STUDENT_LIMITS` (0 when read whole). */
  unread_bytes: number;
}

/**
 * What one student's record files may cost the instructor, all of them together: a hostile student owns
 * their files and can make them as large and as many as their quota allows (a gigabyte of junk lines took
 * minutes, a few hundred megabytes of valid records ran out of memory). A real student writes a few
 * hundred bytes per answer: 64 MiB or 500,000 lines is a hundred times a whole course. Past a limit the
 * rest is left unread, and said so.
 */
export const STUDENT_LIMITS = { bytes: 64 * 2 ** 20, lines: 500_000, files: 1000 } as const;

/** Everything read from a course directory. */
export interface CourseRecords {
  /** Attempts, deduplicated (by uuid; records without one by their whole content), oldest first; `correct` is an instructor's verdict where one is in force (`review`). */
  attempts: Array<ReviewedAttempt<AttemptRecord & { file: string; line: number }>>;
  /** Finished steps, deduplicated by (student, lesson, step), oldest first. */
  steps: Array<StepRecord & { file: string; line: number }>;
  /** Lines and files that were refused, each as `file:line: why` or `file: why` (printable; at most 21 per file). */
  problems: string[];
  /** Record files read. */
  files: number;
  /** Every entry of the records directory (but hidden files), read or left out. */
  sources: RecordFileInfo[];
  /** Copies of an attempt or step already counted (resent records), left out. */
  duplicates: number;
}

/** How to read the records. */
export interface ReadOptions {
  /**
   * Check that each file `<login>.<uid>[.<hex>].jsonl` is owned by that uid, and count its records for
   * that uid's login (default true): a student cannot file records under another's name. Off for synthetic data.
   */
  verifyOwners?: boolean;
  /** Files already parsed, by path, read on from where they ended while they only grew (`eds instructor watch`). */
  cache?: Map<string, CachedFile>;
  /** The reader's clock, ms (records more than a week ahead of it are refused). */
  now?: number;
  /** Count the instructors' verdicts (DIR/reviews) over the tutor's grade (default true; `eds instructor review` reads them apart). */
  verdicts?: boolean;
}

/** A parsed record file, kept between reads. */
export interface CachedFile {
  /** Its path (printable). */
  file: string;
  /** Size when read, bytes. */
  size: number;
  /** mtime when read, ms. */
  mtimeMs: number;
  /** Device and inode: a file replaced under the same name is read again from the start. */
  dev: number;
  ino: number;
  /** The login its records were counted for. */
  login: string;
  /** Bytes read up to the end of the last whole line. */
  offset: number;
  /** Whole lines read. */
  lines: number;
  /** Good records of the whole lines (none when they were handed to a reader's `onRecord` instead). */
  records: SourcedRecord[];
  /** Good records handed to `onRecord` instead of kept, the last line's included. */
  streamed: number;
  /** The first refused lines, as `file:line: why` (at most PROBLEMS_PER_FILE). */
  problems: string[];
  /** Refused lines beyond those. */
  more: number;
  /** Whether the user-name note was made. */
  renamed: boolean;
  /** The text after the last newline: a record still being written, or one cut short. */
  tail: { record: SourcedRecord | null; problem: string | null };
  /** Why the file could not be read, or null. */
  error: string | null;
  /** The limits it was read under (absolute: bytes from its start, whole lines). */
  limit: ReadLimit;
  /** Where reading stopped short of the end because of `limit`, or null when it was read to its end. */
  cut: { line: number; unread: number } | null;
}

/** How far into one file a read may go: bytes from its start, and whole lines. */
export interface ReadLimit {
  bytes: number;
  lines: number;
}

const UNLIMITED: ReadLimit = { bytes: Number.POSITIVE_INFINITY, lines: Number.POSITIVE_INFINITY };

/** Refused lines named per file; the rest are counted. */
export const PROBLEMS_PER_FILE = 20;
/** Bytes read at a time. */
const CHUNK_BYTES = 1 << 16;

/** What kind of thing a non-file is, for a person. */
function kindOf(st: Stats): string {
  if (st.isSymbolicLink()) return 'a symlink';
  if (st.isDirectory()) return 'a directory';
  if (st.isFIFO()) return 'a FIFO';
  if (st.isSocket()) return 'a socket';
  if (st.isBlockDevice() || st.isCharacterDevice()) return 'a device';
  return 'not a regular file';
}

/** One record file to read: its directory entry, the student its name or owner gives, and who pays for its reading. */
export interface Candidate {
  path: string;
  info: RecordFileInfo;
  /** The login its records are counted for (printable): the owner's, or the name's when the owner has none. */
  login: string;
  /** The login its name gives. */
  named: string;
  uid: number;
  st: Pick<Stats, 'size' | 'mtimeMs' | 'ino'>;
  /** Whose limits it counts against: the owner uid, or the login when owners are not checked. */
  who: string;
  /** Its place among the candidates (name order). */
  at: number;
  /** What its reading left to say: the rename and limit notes, then its refused lines (in the old one-pass order). */
  notes: string[];
  problems: string[];
}

/** The records directory listed: every entry, and the files to read in name order. */
interface Listing {
  sources: RecordFileInfo[];
  candidates: Candidate[];
  logins: Map<number, string>;
}

/** Lists `dir/records`: what each entry is, whose it is, which are read. Throws `UserError` when it cannot be listed. */
function listRecordFiles(dir: string, verify: boolean): Listing {
  const records = join(dir, RECORDS_DIR);
  let names: string[];
  try {
    names = readdirSync(records).sort();
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw new UserError(`cannot list ${safeLine(records)}: ${errnoText(err)}`, {
      hint:
        code === 'EACCES' ? "only members of the course's instructor group can read the records (id; newgrp)" : 'check the path, or run eds instructor init',
    });
  }
  const sources: RecordFileInfo[] = [];
  const found: Array<{ path: string; info: RecordFileInfo; login: string; uid: number; st: Stats }> = [];
  for (const name of names) {
    if (name.startsWith('.')) continue;
    const path = join(records, name);
    const parsedName = parseRecordFileName(name);
    let st: Stats;
    try {
      st = lstatSync(path);
    } catch {
      continue; // Removed while we looked.
    }
    const info: RecordFileInfo = {
      file: printablePath(path),
      status: 'read',
      named: parsedName ? safeLine(parsedName.login, 100) : null,
      uid: parsedName?.uid ?? null,
      owner_uid: st.uid,
      owner: null,
      student: null,
      why: null,
      records: 0,
      problems: 0,
      unread_bytes: 0,
    };
    sources.push(info);
    if (!parsedName) leaveOut(info, 'not a record file name', 'not a record file name (<login>.<uid>.<hex>.jsonl)');
    else if (!st.isFile()) leaveOut(info, 'not a regular file', `${kindOf(st)}, not a regular file`);
    else if (verify && st.uid !== parsedName.uid) leaveOut(info, 'foreign', `owned by uid ${st.uid}, not ${parsedName.uid} as its name says`);
    else found.push({ path, info, login: parsedName.login, uid: parsedName.uid, st });
  }
  // Owners only: the uids in names are the student's to choose, and 100,000 names of 100,000 uids would make
  // one lookup of them all (slow, or failing outright, where accounts come from a directory service).
  const logins = verify ? loginsOf(sources.map((s) => s.owner_uid).filter((u): u is number => u !== null)) : new Map<number, string>();
  for (const s of sources) if (s.owner_uid !== null) s.owner = logins.has(s.owner_uid) ? safeLine(logins.get(s.owner_uid), 100) : null;
  const candidates = found.map((c, at): Candidate => {
    // The verified owner is who wrote it; a name that says otherwise is noted, and the records counted for the owner.
    const login = safeLine(logins.get(c.uid) ?? c.login, 100);
    const st = { size: c.st.size, mtimeMs: c.st.mtimeMs, ino: c.st.ino };
    return { ...c, st, named: c.login, login, who: verify ? `uid ${c.uid}` : login, at, notes: [], problems: [] };
  });
  return { sources, candidates, logins };
}

/**
 * The candidates in groups that share nothing: no login (records are deduplicated per login) and no payer (limits
 * are spent per owner, file after file in name order). A class's group is one student's files; each group in the
 * order of its first file, its files in name order, so a group read alone gives what one pass over all did.
 */
function studentGroups(candidates: readonly Candidate[]): Candidate[][] {
  const parent = candidates.map((_, i) => i);
  const root = (i: number): number => {
    while (parent[i] !== i) i = parent[i] = parent[parent[i]!]!;
    return i;
  };
  const firstOf = new Map<string, number>();
  candidates.forEach((c, i) => {
    for (const key of [`l\u0000${c.login}`, `w\u0000${c.who}`]) {
      const j = firstOf.get(key);
      if (j === undefined) firstOf.set(key, i);
      else parent[root(i)] = root(j);
    }
  });
  const groups = new Map<number, Candidate[]>();
  candidates.forEach((c, i) => {
    const r = root(i);
    let g = groups.get(r);
    if (!g) groups.set(r, (g = []));
    g.push(c);
  });
  return [...groups.values()];
}

/** One group's records, deduplicated, oldest first; `order` gives each record's file (its index among the candidates). */
interface GroupRecords {
  attempts: CourseRecords['attempts'];
  steps: Array<SourcedRecord & StepRecord>;
  /** Each attempt's and step's file, as its index in the listing (records of equal time keep the files' order). */
  attemptFiles: number[];
  stepFiles: number[];
  duplicates: number;
}

/** What one pass over the records directory found besides the records themselves. */
interface Scan {
  sources: RecordFileInfo[];
  problems: string[];
  files: number;
  duplicates: number;
}

/** What reading a group of files needs besides the files. */
interface GroupContext {
  now: number;
  /** Logins of the files' owners (empty when owners are not checked). */
  logins: ReadonlyMap<number, string>;
  verdicts: ReadonlyMap<string, AppliedVerdict> | null;
  /** Files parsed before (`eds instructor watch`), and the paths read now. */
  cache?: Map<string, CachedFile>;
  seen?: Set<string>;
}

/**
 * Reads one group's files in name order, their student's limits spent file after file (no payer spans groups),
 * and gives their records checked, deduplicated and oldest first. What each file's reading left to say goes to its
 * candidate (`info`, `notes`, `problems`).
 */
function readGroup(group: readonly Candidate[], ctx: GroupContext, onRecord?: (record: SourcedRecord) => void): GroupRecords & { files: number } {
  // What each student's files have cost so far (by owner uid, or by the name's login when owners are not checked).
  const spent = new Map<string, { bytes: number; lines: number; files: number }>();
  const read: Array<{ file: CachedFile; at: number }> = [];
  for (const c of group) {
    const login = c.login;
    const path = c.info.file;
    let used = spent.get(c.who);
    if (!used) spent.set(c.who, (used = { bytes: 0, lines: 0, files: 0 }));
    if (used.files >= STUDENT_LIMITS.files || used.bytes >= STUDENT_LIMITS.bytes || used.lines >= STUDENT_LIMITS.lines) {
      leaveOut(c.info, 'over the limit', `not read: ${login}'s record files passed ${limitText()} before it`);
      c.info.unread_bytes = c.st.size;
      continue;
    }
    used.files++;
    const limit: ReadLimit = { bytes: STUDENT_LIMITS.bytes - used.bytes, lines: STUDENT_LIMITS.lines - used.lines };
    ctx.seen?.add(c.path);
    const cached = ctx.cache?.get(c.path);
    let parsed: CachedFile;
    if (
      cached &&
      cached.error === null &&
      cached.login === login &&
      cached.size === c.st.size &&
      cached.mtimeMs === c.st.mtimeMs &&
      cached.ino === c.st.ino &&
      sameLimit(cached, limit)
    )
      parsed = cached;
    else {
      parsed = readRecordFile(c.path, path, login, cached, ctx.now, limit, onRecord);
      if (!onRecord) ctx.cache?.set(c.path, parsed);
    }
    if (parsed.error !== null) {
      leaveOut(c.info, parsed.error.startsWith('not a regular') ? 'not a regular file' : 'unreadable', parsed.error);
      continue;
    }
    // Every byte read counts, a last line without its newline included (a gigabyte with none is read through once).
    used.bytes += Math.min(parsed.size, limit.bytes);
    used.lines += parsed.lines;
    const real = ctx.logins.get(c.uid);
    if (real !== undefined && recordLogin(real) !== c.named)
      c.notes.push(`${path}: named for ${safeLine(c.named, 100)} but owned by ${login}; its records are counted for ${login}`);
    if (parsed.cut) {
      c.notes.push(
        `${path}:${parsed.cut.line}: read up to here, ${parsed.cut.unread} bytes after it left unread: ${login}'s record files passed ${limitText()}`,
      );
      c.info.unread_bytes = parsed.cut.unread;
    }
    c.info.student = login;
    c.info.records = parsed.records.length + parsed.streamed + (parsed.tail.record ? 1 : 0);
    c.info.problems = parsed.problems.length + parsed.more + (parsed.tail.problem ? 1 : 0);
    for (const p of parsed.problems) c.problems.push(p);
    if (parsed.tail.problem) c.problems.push(parsed.tail.problem);
    if (parsed.more > 0) c.problems.push(`… and ${parsed.more} more problems in ${parsed.file}`);
    read.push({ file: parsed, at: c.at });
  }
  return { ...groupRecords(read, ctx.verdicts), files: read.length };
}

/** The problems of a whole reading, in the order one pass over the names gave them: entries left out, notes, lines. */
function readingProblems(sources: readonly RecordFileInfo[], candidates: readonly Candidate[]): string[] {
  const problems: string[] = [];
  // One line per student for files over the limit (there may be 100,000 of them), the others one line each.
  const overShown = new Set<string>();
  for (const s of sources) {
    if (s.status === 'read') continue;
    if (s.status !== 'over the limit') problems.push(`${s.file}: ${s.why}; ignored`);
    else if (!overShown.has(s.why ?? '')) {
      overShown.add(s.why ?? '');
      const n = sources.filter((o) => o.status === 'over the limit' && o.why === s.why).length;
      problems.push(`${s.file}${n > 1 ? ` and ${n - 1} more` : ''}: ${s.why}; ignored`);
    }
  }
  for (const c of candidates) for (const n of c.notes) problems.push(n);
  for (const c of candidates) for (const p of c.problems) problems.push(p);
  return problems;
}

/**
 * Reads the records directory one group of files (one student) at a time, giving each group's records, checked,
 * deduplicated and oldest first, to `onGroup`, which may keep or drop them: memory holds one student's records, not
 * the class's. `verdicts` are applied to each group's attempts.
 */
function scanCourse(dir: string, options: ReadOptions, verdicts: ReadonlyMap<string, AppliedVerdict> | null, onGroup: (records: GroupRecords) => void): Scan {
  const { sources, candidates, logins } = listRecordFiles(dir, options.verifyOwners !== false);
  const ctx: GroupContext = { now: options.now ?? Date.now(), logins, verdicts, cache: options.cache, seen: new Set() };
  let files = 0;
  let duplicates = 0;
  for (const group of studentGroups(candidates)) {
    const records = readGroup(group, ctx);
    files += records.files;
    duplicates += records.duplicates;
    onGroup(records);
  }
  if (options.cache) for (const key of [...options.cache.keys()]) if (!ctx.seen!.has(key)) options.cache.delete(key);
  return { sources, problems: readingProblems(sources, candidates), files, duplicates };
}

/** A group's records in time order (equal times in file, then line, order), each attempt and step counted once. */
function groupRecords(read: ReadonlyArray<{ file: CachedFile; at: number }>, verdicts: ReadonlyMap<string, AppliedVerdict> | null): GroupRecords {
  const records: SourcedRecord[] = [];
  const files: number[] = [];
  for (const { file, at } of read) {
    for (const r of file.records) {
      records.push(r);
      files.push(at);
    }
    if (file.tail.record) {
      records.push(file.tail.record);
      files.push(at);
    }
  }
  // Files are written oldest first: one look says whether the order needs sorting at all.
  const before = (i: number, j: number): number => {
    const x = records[i]!;
    const y = records[j]!;
    return x.time < y.time ? -1 : x.time > y.time ? 1 : files[i]! - files[j]! || x.line - y.line;
  };
  let sorted = true;
  for (let i = 1; i < records.length && sorted; i++) sorted = before(i - 1, i) <= 0;
  const order = records.map((_, i) => i);
  if (!sorted) order.sort(before);
  const seenAttempts = new Set<string>();
  const seenSteps = new Set<string>();
  const out: GroupRecords = { attempts: [], steps: [], attemptFiles: [], stepFiles: [], duplicates: 0 };
  for (const i of order) {
    const r = records[i]!;
    const at = files[i]!;
    const key = r.kind === 'attempt' ? attemptKey(r) : `${r.user}\u0000${r.lesson}\u0000${r.step}`;
    const set = r.kind === 'attempt' ? seenAttempts : seenSteps;
    if (set.has(key)) {
      out.duplicates++;
      continue;
    }
    set.add(key);
    if (r.kind === 'attempt') {
      out.attempts.push(r);
      out.attemptFiles.push(at);
    } else {
      out.steps.push(r);
      out.stepFiles.push(at);
    }
  }
  // An instructor's verdict on a free-text answer counts over the tutor's grade (course/review.ts).
  if (verdicts) out.attempts = applyVerdicts(out.attempts, verdicts);
  return out;
}

/** The instructors' verdicts (DIR/reviews), unless `options.verdicts` is false. */
function verdictsOf(dir: string, options: ReadOptions): { verdicts: ReadonlyMap<string, AppliedVerdict>; problems: string[] } | null {
  if (options.verdicts === false) return null;
  const reviewed = readVerdicts(dir, { verifyOwners: options.verifyOwners !== false });
  return { verdicts: reviewed.verdicts, problems: reviewed.problems.map((p) => safeLine(p, 2000)) };
}

/** Reads and checks every record file in `dir/records`. Throws `UserError` when the directory cannot be listed. */
export function readCourseRecords(dir: string, options: ReadOptions = {}): CourseRecords {
  const reviewed = verdictsOf(dir, options);
  const attempts: Array<{ r: CourseRecords['attempts'][number]; at: number }> = [];
  const steps: Array<{ r: CourseRecords['steps'][number]; at: number }> = [];
  const scan = scanCourse(dir, options, reviewed?.verdicts ?? null, (g) => {
    g.attempts.forEach((r, i) => attempts.push({ r, at: g.attemptFiles[i]! }));
    g.steps.forEach((r, i) => steps.push({ r, at: g.stepFiles[i]! }));
  });
  // The class oldest first; equal times in the order of their files and lines.
  const order = (x: { r: SourcedRecord; at: number }, y: { r: SourcedRecord; at: number }) =>
    x.r.time < y.r.time ? -1 : x.r.time > y.r.time ? 1 : x.at - y.at || x.r.line - y.r.line;
  attempts.sort(order);
  steps.sort(order);
  for (const p of reviewed?.problems ?? []) scan.problems.push(p);
  return {
    attempts: attempts.map((e) => e.r),
    steps: steps.map((e) => e.r),
    problems: scan.problems,
    files: scan.files,
    sources: scan.sources,
    duplicates: scan.duplicates,
  };
}

/** How to report: the read options, one lesson or all, the installed lessons, old predictions, threads. */
export interface ReportOptions extends Omit<ReadOptions, 'cache'> {
  /** Only this lesson. */
  lesson?: string;
  /** The installed lessons' outlines (progress as fractions, questions not in the lessons listed last). */
  lessons?: readonly LessonOutline[];
  /** The installed lessons' questions: old predictions logged without a grade are regraded by them (course/legacy.ts). */
  questions?: QuestionIndex;
  /** Threads reading at once (default: one per core but at most MAX_THREADS, and one for a small class). */
  threads?: number;
}

/** Below this many bytes of records a class is read here, at once: starting a thread costs more than it saves. */
const THREADED_BYTES = 8 * 2 ** 20;
/**
 * Up to this many bytes of records, the main thread reads a share while the threads read the others, rather than
 * waiting idle (a thread costs its start and the copy of its part back, and read 15–25 % slower here); but this
 * thread's heap is not bounded and grows with what it reads (a 1 GiB class, half read here, took 280 MB, on threads
 * 162 MB; at 256 MiB, 170 MB either way).
 */
const HERE_SHARE_BYTES = 256 * 2 ** 20;
/** How much faster a share is read here than on a thread, all told (its start, its reading, the copy of its part back). */
const HERE_SPEED = 1.25;
/** Largest old generation of a reading thread, MB. */
const THREAD_OLD_MB = 48;
/**
 * Its young generation, MB: a student's records (thousands) outlive many scavenges of a smaller one, each copying
 * them again (at 8 MB, collecting took a third of a thread's time; at 16, less, and no more memory at its peak).
 */
const THREAD_YOUNG_MB = 16;

/**
 * Most threads a report uses: each costs up to ~60 MB (its own heap), and the report must stay in 200 MB however
 * large the class; two threads halve the time on the course's 2-core machines.
 */
const MAX_THREADS = 2;

/** What a reading thread is given: its groups of files and what reading them needs (report-worker.ts). */
export interface ReportJob {
  groups: Candidate[][];
  now: number;
  logins: ReadonlyMap<number, string>;
  verdicts: ReadonlyMap<string, AppliedVerdict> | null;
  lesson?: string;
  lessons?: readonly LessonOutline[];
  questions?: QuestionIndex;
}

/** What a reading thread gives back: its candidates as read, its part of the report. */
export interface ReportPart {
  candidates: Array<Pick<Candidate, 'at' | 'info' | 'notes' | 'problems'>>;
  files: number;
  /** Files whose records were added as they were read (`streamedGroup`). */
  streamed: number;
  state: ReportState;
}

/** Reads a job's groups into a part of the report (on a reading thread, or on this one). */
export function reportPart(job: ReportJob): ReportPart {
  const builder = new ReportBuilder(job);
  const ctx: GroupContext = { now: job.now, logins: job.logins, verdicts: job.verdicts };
  let files = 0;
  let streamed = 0;
  for (const group of job.groups) {
    const read = group.length === 1 ? streamedGroup(group, ctx, job, builder) : null;
    if (read !== null) {
      files += read;
      streamed += read;
      continue;
    }
    const g = readGroup(group, ctx);
    files += g.files;
    const questions = job.questions;
    builder.add(questions ? g.attempts.map((a) => regradeLegacyPrediction(a, questions)) : g.attempts, g.steps);
  }
  const candidates = job.groups.flat().map((c) => ({ at: c.at, info: c.info, notes: c.notes, problems: c.problems }));
  return { candidates, files, streamed, state: builder.state() };
}

/**
 * Adds a one-file group to `builder` record by record as it is read, and says how many files it read: what
 * `readGroup` then `add` give, without holding the student's records (on a large class, keeping them alive until the
 * group's end cost more in garbage collection than reading them). That is the same only while the file is oldest
 * first, as eds writes it: records are then already in the order `groupRecords` sorts them into, so the first copy
 * of an attempt kept, and the first attempt found, are the same. A file out of order is taken back out of `builder`,
 * its candidate left as it was, and null given, for `readGroup` to read again.
 */
function streamedGroup(group: readonly Candidate[], ctx: GroupContext, job: ReportJob, builder: ReportBuilder): number | null {
  const c = group[0]!;
  const before = { ...c.info };
  const mark = builder.mark();
  // Copies are told apart as groupRecords does; one file has one login, so a uuid alone is enough for a key.
  const uuids = new Set<string>();
  const others = new Set<string>();
  const steps = new Map<string, Set<string>>();
  let last = '';
  let ordered = true;
  const onRecord = (r: SourcedRecord): void => {
    if (!ordered) return;
    if (r.time < last) {
      ordered = false;
      return;
    }
    last = r.time;
    if (r.kind === 'step') {
      let done = steps.get(r.lesson);
      if (!done) steps.set(r.lesson, (done = new Set()));
      const size = done.size;
      done.add(r.step);
      if (done.size === size) return;
      builder.addStep(r);
      return;
    }
    // A copy leaves the set as it was (one lookup, not has then add).
    const seen = r.uuid !== undefined ? uuids : others;
    const size = seen.size;
    seen.add(r.uuid ?? attemptKey(r));
    if (seen.size === size) return;
    let a: CourseRecords['attempts'][number] = ctx.verdicts ? verdictOn(r, ctx.verdicts) : r;
    if (job.questions) a = regradeLegacyPrediction(a, job.questions);
    builder.addAttempt(a);
  };
  const g = readGroup(group, ctx, onRecord);
  if (!ordered) {
    builder.rollBack(mark, c.login);
    Object.assign(c.info, before);
    c.notes = [];
    c.problems = [];
    return null;
  }
  builder.settle();
  return g.files;
}

/**
 * The class report straight from the course directory, one student at a time: the same report as
 * `buildReport(readCourseRecords(dir))` with old predictions regraded, in memory for one student's records at a
 * time rather than the class's. A large class is read on threads with small heaps, whole students to each, one per
 * core (at most MAX_THREADS), so that a 1 GiB class is reported in under 200 MB (160–180 MB measured). Also says
 * how many record files were read, and how many of them record by record as they were read (`streamedGroup`).
 */
export async function reportCourse(dir: string, options: ReportOptions = {}): Promise<{ report: ClassReport; files: number; streamed: number }> {
  const reviewed = verdictsOf(dir, options);
  const { sources, candidates, logins } = listRecordFiles(dir, options.verifyOwners !== false);
  const groups = studentGroups(candidates);
  const bytes = candidates.reduce((n, c) => n + c.st.size, 0);
  const threads = Math.max(1, Math.min(options.threads ?? Math.min(availableParallelism(), MAX_THREADS), groups.length));
  // Whole students to each thread, the largest first to the least loaded, so that all end at about the same time; a
  // share read here (the first, see below) is read faster than on a thread, and is given more.
  const here = bytes <= HERE_SHARE_BYTES && threads > 1;
  const shares = Array.from({ length: threads }, (_, i) => ({ groups: [] as Candidate[][], bytes: 0, speed: here && i === 0 ? HERE_SPEED : 1 }));
  const size = (g: Candidate[]) => g.reduce((n, c) => n + c.st.size, 0);
  for (const g of [...groups].sort((x, y) => size(y) - size(x))) {
    const least = shares.reduce((a, b) => ((b.bytes + size(g)) / b.speed < (a.bytes + size(g)) / a.speed ? b : a));
    least.groups.push(g);
    least.bytes += size(g);
  }
  const job = (share: { groups: Candidate[][] }): ReportJob => ({
    groups: share.groups,
    now: options.now ?? Date.now(),
    logins,
    verdicts: reviewed?.verdicts ?? null,
    lesson: options.lesson,
    lessons: options.lessons,
    questions: options.questions,
  });
  // A small class is read here. A large one is shared between threads of their own, whose heaps are kept small (see
  // partInThread), and, up to HERE_SHARE_BYTES, this one, which would otherwise wait idle.
  let parts: ReportPart[];
  if (bytes < THREADED_BYTES && options.threads === undefined) parts = [reportPart(job({ groups }))];
  else if (here) {
    const others = shares.slice(1).map((share) => partInThread(job(share)));
    const first = reportPart(job(shares[0]!));
    parts = [first, ...(await Promise.all(others))];
  } else parts = await Promise.all(shares.map((share) => partInThread(job(share))));
  const builder = new ReportBuilder(options);
  let files = 0;
  let streamed = 0;
  for (const part of parts) {
    for (const c of part.candidates) {
      const mine = candidates[c.at]!;
      Object.assign(mine.info, c.info);
      mine.notes = c.notes;
      mine.problems = c.problems;
    }
    files += part.files;
    streamed += part.streamed;
    builder.merge(part.state);
  }
  const problems = readingProblems(sources, candidates);
  for (const p of reviewed?.problems ?? []) problems.push(p);
  return { report: builder.finish(problems, sources), files, streamed };
}

/** Where the reading thread's module is: beside this one, compiled (the TypeScript sources under test have none). */
const WORKER = new URL('./report-worker.js', import.meta.url);

/**
 * A job's part read on a thread of its own, or on this one when no thread can start or the thread fails (the part
 * is the same either way, only later).
 */
function partInThread(job: ReportJob): Promise<ReportPart> {
  if (!existsSync(fileURLToPath(WORKER))) return Promise.resolve(reportPart(job));
  return new Promise((resolve) => {
    let settled = false;
    const here = () => {
      if (settled) return;
      settled = true;
      resolve(reportPart(job));
    };
    let worker: Worker;
    try {
      // Not `node -e`'s or `--input-type`'s flags: the thread runs a module file.
      const execArgv = process.execArgv.filter((a) => !/^--(input-type|eval|print)\b|^-[ep]$/.test(a));
      // Small heaps: what a thread keeps is one student's records and its totals, but a heap with room to grow grows
      // (a 1 GiB class read here took 190 MB; on a thread with these limits, under 120 MB). A student too large for
      // them stops the thread, and the share is read here instead.
      worker = new Worker(WORKER, {
        workerData: job,
        execArgv,
        resourceLimits: { maxOldGenerationSizeMb: THREAD_OLD_MB, maxYoungGenerationSizeMb: THREAD_YOUNG_MB },
      });
    } catch {
      here();
      return;
    }
    worker.once('message', (part: ReportPart) => {
      if (settled) return;
      settled = true;
      resolve(part);
    });
    worker.once('error', here);
    worker.once('exit', here);
  });
}

/**
 * What identifies an attempt across copies: its uuid (within its student, so nobody can shadow another's
 * answer); an older record without one, its whole content, so that a resent copy counts once while a new
 * store's answers (row ids from 1 again after a damaged store was moved aside) all count.
 */
function attemptKey(r: AttemptRecord): string {
  if (r.uuid !== undefined) return `u\u0000${r.user}\u0000${r.uuid}`;
  const content = JSON.stringify([r.user, r.id, r.time, r.lesson, r.question, r.answer, r.attempt, r.correct]);
  return `c\u0000${createHash('sha256').update(content).digest('base64')}`;
}

/** The per-student limits in words. */
function limitText(): string {
  return `the limit of ${STUDENT_LIMITS.bytes / 2 ** 20} MiB, ${STUDENT_LIMITS.lines.toLocaleString('en-US')} lines or ${STUDENT_LIMITS.files} files read per student`;
}

/** Whether a cached file was read under the limits a read now would use (a cut file is read again when they change). */
function sameLimit(f: CachedFile, limit: ReadLimit): boolean {
  return f.cut === null ? f.size <= limit.bytes && f.lines <= limit.lines : f.limit.bytes === limit.bytes && f.limit.lines === limit.lines;
}

function leaveOut(info: RecordFileInfo, status: RecordFileStatus, why: string): void {
  info.status = status;
  info.why = why;
}

/** A path for messages: printable, one line, bounded. */
function printablePath(path: string): string {
  return safeLine(path, 2000);
}

/**
 * Reads one record file; every record is attributed to `login`, the file's verified owner. Streams it
 * in chunks and splits lines itself, so neither a huge file nor a huge line is ever held whole; a line
 * over MAX_READ_LINE_BYTES is skipped unread. It reads no further than the file's size when opened and
 * than `limit` (what its student's files may still cost; `cut` says where it stopped). With `previous`
 * (the same file, read before, only grown since), reading goes on from where it ended. With `onRecord`, each good
 * record (the last line's too) goes to it as it is read, and is counted in `streamed` rather than kept in `records`.
 */
export function readRecordFile(
  path: string,
  shown: string,
  login: string,
  previous?: CachedFile,
  now = Date.now(),
  limit: ReadLimit = UNLIMITED,
  onRecord?: (record: SourcedRecord) => void,
): CachedFile {
  const failed = (error: string): CachedFile => ({ ...freshFile(shown, login, limit), error });
  let fd: number;
  try {
    // NOFOLLOW and NONBLOCK: a symlink or FIFO swapped in after the lstat must neither redirect nor hang the reader.
    fd = openSync(path, constants.O_RDONLY | constants.O_NOFOLLOW | constants.O_NONBLOCK);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    return failed(code === 'ELOOP' ? 'not a regular file (a symlink)' : `cannot read: ${errnoText(err)}`);
  }
  try {
    const st = fstatSync(fd);
    if (!st.isFile()) return failed('not a regular file');
    const resume =
      !onRecord &&
      previous &&
      previous.error === null &&
      previous.login === login &&
      previous.dev === st.dev &&
      previous.ino === st.ino &&
      st.size >= previous.offset &&
      previous.offset <= limit.bytes &&
      previous.lines <= limit.lines;
    const file: CachedFile = resume
      ? { ...previous, records: previous.records, problems: previous.problems, tail: { record: null, problem: null }, limit, cut: null }
      : freshFile(shown, login, limit);
    file.size = st.size;
    file.mtimeMs = st.mtimeMs;
    file.dev = st.dev;
    file.ino = st.ino;
    const note = (lineNo: number, why: string) => {
      if (file.problems.length < PROBLEMS_PER_FILE) file.problems.push(`${shown}:${lineNo}: ${why}`);
      else file.more++;
    };
    const take = (bytes: Buffer, lineNo: number, last: boolean): void => {
      // Blank lines carry nothing (a writer may end a cut line with one): skip them quietly.
      if (bytes.length === 0) return;
      const r = parseRecordBytes(bytes, now);
      if ('problem' in r) {
        const why = `${last ? 'unfinished last line (cut short)' : r.problem}; ignored`;
        if (last) file.tail.problem = `${shown}:${lineNo}: ${why}`;
        else note(lineNo, why);
        return;
      }
      const rec = r.record as SourcedRecord;
      if (rec.user !== login) {
        if (!file.renamed) note(lineNo, `records name the user ${safeLine(rec.user, 100)}; counted as ${login}, the file's owner`);
        file.renamed = true;
        rec.user = login;
      }
      if (rec.kind === 'attempt' && !plausibleSeconds(rec.seconds)) {
        note(
          lineNo,
          `seconds ${safeLine(String(rec.seconds), 30)} is not a time from 0 to ${MAX_PLAUSIBLE_SECONDS / 86_400} days; the answer is counted, its time left out of the statistics`,
        );
      }
      rec.file = shown;
      rec.line = lineNo;
      if (onRecord) {
        file.streamed++;
        onRecord(rec);
      } else if (last) file.tail.record = rec;
      else file.records.push(rec);
    };

    const buf = Buffer.allocUnsafe(CHUNK_BYTES);
    // Up to the size seen now, never further: a file its owner keeps appending to would keep the reader here
    // for ever; what arrives meanwhile is read next time. And no further than its student's limit allows.
    const end = Math.min(st.size, limit.bytes);
    let pos = file.offset;
    let pending: Buffer[] = [];
    let pendingBytes = 0;
    let oversized = false;
    let full = false;
    reading: while (pos < end) {
      const n = readSync(fd, buf, 0, Math.min(CHUNK_BYTES, end - pos), pos);
      if (n <= 0) break;
      pos += n;
      const chunk = buf.subarray(0, n);
      let start = 0;
      for (let nl = chunk.indexOf(0x0a, start); nl !== -1; nl = chunk.indexOf(0x0a, start)) {
        if (file.lines >= limit.lines) {
          full = true;
          break reading;
        }
        file.lines++;
        if (oversized || pendingBytes + (nl - start) > MAX_READ_LINE_BYTES) note(file.lines, `line longer than ${MAX_READ_LINE_BYTES} bytes; skipped unread`);
        else {
          const piece = chunk.subarray(start, nl);
          take(pendingBytes ? Buffer.concat([...pending, piece]) : piece, file.lines, false);
        }
        pending = [];
        pendingBytes = 0;
        oversized = false;
        start = nl + 1;
        file.offset = pos - n + start;
      }
      if (start < n && !oversized) {
        if (pendingBytes + (n - start) > MAX_READ_LINE_BYTES) {
          oversized = true;
          pending = [];
          pendingBytes = 0;
        } else {
          // Copied: the buffer is reused for the next chunk.
          pending.push(Buffer.from(chunk.subarray(start, n)));
          pendingBytes += n - start;
        }
      }
    }
    if (full || end < st.size) {
      // Stopped at the student's limit: the rest is left unread, and the caller says so.
      file.cut = { line: file.lines + 1, unread: st.size - file.offset };
      return file;
    }
    // Text after the last newline: a record cut short, or one whose newline has not landed yet (read again next time).
    if (oversized) file.tail.problem = `${shown}:${file.lines + 1}: unfinished last line (cut short), longer than ${MAX_READ_LINE_BYTES} bytes; ignored`;
    else if (pendingBytes > 0) take(Buffer.concat(pending), file.lines + 1, true);
    return file;
  } catch (err) {
    return failed(`cannot read: ${errnoText(err)}`);
  } finally {
    closeSync(fd);
  }
}

function freshFile(file: string, login: string, limit: ReadLimit = UNLIMITED): CachedFile {
  return {
    file,
    size: 0,
    mtimeMs: 0,
    dev: 0,
    ino: 0,
    login,
    offset: 0,
    lines: 0,
    records: [],
    streamed: 0,
    problems: [],
    more: 0,
    renamed: false,
    tail: { record: null, problem: null },
    error: null,
    limit,
    cut: null,
  };
}

/** Parses one record file (all of it); every record is attributed to `login`, the file's verified owner. */
export function parseRecordFile(path: string, login: string): CachedFile {
  return readRecordFile(path, printablePath(path), login);
}

/** Logins of the given uids (getent, so LDAP users count); uids nobody has are absent. */
function loginsOf(uids: number[]): Map<number, string> {
  const out = new Map<number, string>();
  for (const [uid, account] of accountsOf(uids)) if (account) out.set(uid, account.login);
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
  /** Most frequent wrong answers (trimmed, case-folded), given by the most students first, at most 3. */
  common_wrong: Array<{
    /** The answer. */
    answer: string;
    /** How many students gave it (copies from one student count once). */
    count: number;
  }>;
  /** Median seconds from showing the question to the first answer, s (implausible times left out); null when none. */
  median_seconds: number | null;
  /**
   * Answers awaiting an instructor's review (free text with no verdict yet; `eds instructor review`): counted in
   * `attempts`, but neither right nor wrong, so left out of `first_try_rate` and `common_wrong`.
   */
  pending_review: number;
  /**
   * Whether the installed lessons have this question (null when none were given to compare with). Any student
   * can log answers to questions that do not exist; those are listed after the real ones, never among the hardest.
   */
  in_lessons: boolean | null;
}

/** What `eds instructor report --json` prints. */
export interface ClassReport {
  /** One row per student, by login. */
  students: StudentRow[];
  /** One row per question, hardest (lowest first-try rate) first. */
  questions: QuestionRow[];
  /** Refused files and lines, `file:line: why`. */
  problems: string[];
  /** Every entry of the records directory, read or left out (foreign, unreadable, not a regular file), and why. */
  files: RecordFileInfo[];
  /** Answers counted whose time (`seconds`) was implausible (negative, over 7 days, not finite), so left out of the time statistics. */
  times_left_out: number;
}

/** Builds the per-student and per-question tables, optionally for one lesson. */
export function buildReport(data: CourseRecords, options: { lesson?: string; lessons?: readonly LessonOutline[] } = {}): ClassReport {
  const builder = new ReportBuilder(options);
  builder.add(data.attempts, data.steps);
  return builder.finish(data.problems, data.sources ?? []);
}

/** What a report held before one student's records were added as they were read (`ReportBuilder.mark`). */
interface ReportMark {
  timesLeftOut: number;
  /** Each question the student answered, with its totals before them. */
  questions: Map<QuestionAcc, { attempts: number; pending: number }>;
}

/** A report builder's totals, as one reading thread hands them to another. */
export interface ReportState {
  byStudent: Map<string, StudentAcc>;
  byQuestion: Map<string, Map<string, QuestionAcc>>;
  timesLeftOut: number;
}

/** One student's running totals. */
interface StudentAcc {
  steps: Map<string, Set<string>>;
  /** Questions answered (their accumulators, one per lesson and question). */
  questions: Set<QuestionAcc>;
  firstRight: number;
  attempts: number;
  seconds: number;
  last: string | null;
}

/** One question's running totals. */
interface QuestionAcc {
  lesson: string;
  question: string;
  students: Set<string>;
  graded: number;
  right: number;
  attempts: number;
  wrong: Map<string, Set<string>>;
  pending: number;
  firstSeconds: number[];
}

/**
 * The report's tables, built from records given in parts: each part must hold every record of the students in it
 * (a student's first attempt at a question is found within the part). `reportCourse` gives one student at a time.
 */
class ReportBuilder {
  private readonly byStudent = new Map<string, StudentAcc>();
  /** By lesson, then question: the records' own strings as keys, none built per record. */
  private readonly byQuestion = new Map<string, Map<string, QuestionAcc>>();
  private readonly outlines: Map<string, LessonOutline>;
  private timesLeftOut = 0;
  /** Each student's first attempt per question so far, settled by `settle`. */
  private readonly firsts = new Map<StudentAcc, Map<QuestionAcc, AttemptRecord>>();
  /** The student of the last attempt added, and their first attempts: records come a student at a time. */
  private lastUser: string | null = null;
  private lastStudent: StudentAcc | null = null;
  private lastFirsts: Map<QuestionAcc, AttemptRecord> | null = null;
  /** What the student being added had found before them (`mark`), or null. */
  private marked: ReportMark | null = null;

  constructor(private readonly options: { lesson?: string; lessons?: readonly LessonOutline[] } = {}) {
    this.outlines = new Map((options.lessons ?? []).map((l) => [l.id, l]));
  }

  private student(user: string): StudentAcc {
    let a = this.byStudent.get(user);
    if (!a) this.byStudent.set(user, (a = { steps: new Map(), questions: new Set(), firstRight: 0, attempts: 0, seconds: 0, last: null }));
    return a;
  }

  private questionOf(lesson: string, question: string): QuestionAcc {
    let inLesson = this.byQuestion.get(lesson);
    if (!inLesson) this.byQuestion.set(lesson, (inLesson = new Map()));
    let q = inLesson.get(question);
    if (!q)
      inLesson.set(question, (q = { lesson, question, students: new Set(), graded: 0, right: 0, attempts: 0, wrong: new Map(), firstSeconds: [], pending: 0 }));
    return q;
  }

  /** Adds the attempts and steps of some students (all of theirs). */
  add(attempts: ReadonlyArray<CourseRecords['attempts'][number]>, steps: ReadonlyArray<StepRecord>): void {
    for (const s of steps) this.addStep(s);
    for (const r of attempts) this.addAttempt(r);
    this.settle();
  }

  /** Adds one finished step. */
  addStep(s: StepRecord): void {
    if (this.options.lesson && s.lesson !== this.options.lesson) return;
    const a = this.student(s.user);
    let set = a.steps.get(s.lesson);
    if (!set) a.steps.set(s.lesson, (set = new Set()));
    set.add(s.step);
    if (a.last === null || s.time > a.last) a.last = s.time;
  }

  /**
   * Adds one attempt. Its student's first attempt at each question is settled by `settle`, once every attempt of
   * theirs has been added: the first is the lowest attempt number seen (the earliest added of equal ones), robust to a
   * lost record.
   */
  addAttempt(r: CourseRecords['attempts'][number]): void {
    if (this.options.lesson && r.lesson !== this.options.lesson) return;
    // A leaderboard entry is logged like an answer but is not one: `eds instructor leaderboard` reads those.
    if (r.lesson === LEADERBOARD_QUESTION.lesson && r.question === LEADERBOARD_QUESTION.question) return;
    // Records come a student at a time: the last one's totals are at hand.
    let a = this.lastStudent;
    let mine = this.lastFirsts;
    if (r.user !== this.lastUser || a === null || mine === null) {
      this.lastUser = r.user;
      this.lastStudent = a = this.student(r.user);
      mine = this.firsts.get(a) ?? null;
      if (mine === null) this.firsts.set(a, (mine = new Map()));
      this.lastFirsts = mine;
    }
    a.attempts++;
    // A time of 1e308 s (or -5, or Infinity) is a broken clock or a forgery: it must not become the class's mean.
    if (plausibleSeconds(r.seconds)) a.seconds += r.seconds;
    else this.timesLeftOut++;
    if (a.last === null || r.time > a.last) a.last = r.time;
    const q = this.questionOf(r.lesson, r.question);
    const prev = mine.get(q);
    if (prev === undefined && this.marked !== null) this.marked.questions.set(q, { attempts: q.attempts, pending: q.pending });
    q.attempts++;
    // An answer awaiting review is the student's own y/n, not a grade: not a wrong answer, nor a first try graded.
    if (pendingReview(r)) q.pending++;
    else if (r.correct === false) {
      const norm = normalizedAnswer(r.answer);
      let who = q.wrong.get(norm);
      if (!who) q.wrong.set(norm, (who = new Set()));
      // Students, not copies: one student giving the same answer 50 times is one student.
      who.add(r.user);
    }
    if (prev === undefined) {
      // This student's first record of this question: count them once.
      a.questions.add(q);
      q.students.add(r.user);
      if (!a.steps.has(r.lesson)) a.steps.set(r.lesson, new Set());
    }
    if (prev === undefined || r.attempt < prev.attempt) mine.set(q, r);
  }

  /**
   * Notes what the report holds before one student's records are added as they are read, so that they can be taken
   * back (`rollBack`) until `settle`.
   */
  mark(): ReportMark {
    this.settle();
    this.marked = { timesLeftOut: this.timesLeftOut, questions: new Map() };
    return this.marked;
  }

  /**
   * Takes back what was added of `user` since `mark`: their row, and their part in each question's totals (a
   * question only they answered goes). Nobody else's records were added since: they are a student of their own.
   */
  rollBack(mark: ReportMark, user: string): void {
    const a = this.byStudent.get(user);
    if (a) this.firsts.delete(a);
    this.byStudent.delete(user);
    this.timesLeftOut = mark.timesLeftOut;
    for (const [q, was] of mark.questions) {
      q.attempts = was.attempts;
      q.pending = was.pending;
      q.students.delete(user);
      for (const [answer, who] of q.wrong) if (who.delete(user) && who.size === 0) q.wrong.delete(answer);
      if (q.attempts === 0) {
        const inLesson = this.byQuestion.get(q.lesson)!;
        inLesson.delete(q.question);
        if (inLesson.size === 0) this.byQuestion.delete(q.lesson);
      }
    }
    this.marked = null;
    this.forgetLast();
  }

  /** Counts the first attempts of the students added since the last call (every attempt of theirs added). */
  settle(): void {
    this.marked = null;
    for (const [a, mine] of this.firsts) {
      for (const [q, r] of mine) {
        if (plausibleSeconds(r.seconds)) q.firstSeconds.push(r.seconds);
        if (r.correct !== null && !pendingReview(r)) {
          q.graded++;
          if (r.correct) {
            q.right++;
            a.firstRight++;
          }
        }
      }
    }
    this.firsts.clear();
    this.forgetLast();
  }

  /** Forgets the last attempt's student: the next attempt looks theirs up again. */
  private forgetLast(): void {
    this.lastUser = null;
    this.lastStudent = null;
    this.lastFirsts = null;
  }

  /** Everything added so far, as a reading thread sends it (Maps and Sets, cloned whole). */
  state(): ReportState {
    return { byStudent: this.byStudent, byQuestion: this.byQuestion, timesLeftOut: this.timesLeftOut };
  }

  /** Adds another builder's state: of other students (a student is read by one thread), the same questions perhaps. */
  merge(other: ReportState): void {
    for (const [user, a] of other.byStudent) {
      if (this.byStudent.has(user)) throw new Error(`report parts overlap: ${user} was read twice`);
      this.byStudent.set(user, a);
    }
    for (const [lesson, inLesson] of other.byQuestion) {
      for (const [question, q] of inLesson) {
        const mine = this.byQuestion.get(lesson)?.get(question);
        if (!mine) {
          if (!this.byQuestion.has(lesson)) this.byQuestion.set(lesson, new Map());
          this.byQuestion.get(lesson)!.set(question, q);
          continue;
        }
        for (const u of q.students) mine.students.add(u);
        mine.graded += q.graded;
        mine.right += q.right;
        mine.attempts += q.attempts;
        mine.pending += q.pending;
        for (const [answer, who] of q.wrong) {
          const set = mine.wrong.get(answer);
          if (!set) mine.wrong.set(answer, who);
          else for (const u of who) set.add(u);
        }
        for (const t of q.firstSeconds) mine.firstSeconds.push(t);
      }
    }
    this.timesLeftOut += other.timesLeftOut;
  }

  /** The report, with the problems and files of the reading. */
  finish(problems: string[], files: RecordFileInfo[]): ClassReport {
    const outlines = this.outlines;
    const students: StudentRow[] = [...this.byStudent.entries()]
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
        seconds_spent: roundTo(a.seconds, 1),
        last_activity: a.last,
      }));
    const questions: QuestionRow[] = [...this.byQuestion.values()]
      .flatMap((m) => [...m.values()])
      .map((q) => ({
        lesson: q.lesson,
        question: q.question,
        students: q.students.size,
        first_try_rate: q.graded ? roundTo(q.right / q.graded, 4) : null,
        attempts: q.attempts,
        common_wrong: [...q.wrong.entries()]
          .map(([answer, who]) => ({ answer, count: who.size }))
          .sort((x, y) => y.count - x.count || (x.answer < y.answer ? -1 : x.answer > y.answer ? 1 : 0))
          .slice(0, 3),
        median_seconds: q.firstSeconds.length ? roundTo(median(q.firstSeconds), 1) : null,
        pending_review: q.pending,
        in_lessons: outlines.size ? (outlines.get(q.lesson)?.questions.includes(q.question) ?? false) : null,
      }))
      .sort(
        (x, y) =>
          Number(x.in_lessons === false) - Number(y.in_lessons === false) ||
          (x.first_try_rate ?? 2) - (y.first_try_rate ?? 2) ||
          y.attempts / Math.max(1, y.students) - x.attempts / Math.max(1, x.students) ||
          x.lesson.localeCompare(y.lesson) ||
          x.question.localeCompare(y.question),
      );
    return { students, questions, problems, files, times_left_out: this.timesLeftOut };
  }
}

/** A wrong answer as the report groups it: trimmed, runs of white space as one space, case-folded. */
function normalizedAnswer(answer: string): string {
  // Most answers are a word or a number already in that form: a look at each character costs less than the regexps.
  for (let i = 0; i < answer.length; i++) {
    const c = answer.charCodeAt(i);
    if (c <= 32 || c >= 127 || (c >= 65 && c <= 90)) return answer.trim().replace(/\s+/g, ' ').toLowerCase();
  }
  return answer;
}

/** A duration for people: "45s", "12m05s", "3h02m", "9d04h", ">999d"; "?" for a time that cannot be one (negative, not finite). */
export function formatDuration(seconds: number): string {
  if (!Number.isFinite(seconds) || seconds < 0) return '?';
  // 1e308 s is finite but no duration: a fixed-width cap keeps columns (and people) sane.
  if (seconds >= 1000 * 86_400) return '>999d';
  const s = Math.round(seconds);
  if (s >= 100 * 86_400) return `${Math.floor(s / 86_400)}d`;
  if (s >= 86_400) return `${Math.floor(s / 86_400)}d${String(Math.floor((s % 86_400) / 3600)).padStart(2, '0')}h`;
  if (s < 60) return `${s}s`;
  if (s < 3600) return `${Math.floor(s / 60)}m${String(s % 60).padStart(2, '0')}s`;
  return `${Math.floor(s / 3600)}h${String(Math.floor((s % 3600) / 60)).padStart(2, '0')}m`;
}

/** Pads cells into aligned columns, two spaces apart; every cell is made printable on one line. */
export function table(header: string[], rows: string[][]): string {
  const clean = rows.map((r) => r.map((c) => safeLine(c)));
  // A loop, not Math.max(...column): a class of 150,000 rows would overflow the stack.
  const widths = header.map((h) => Array.from(h).length);
  for (const r of clean) r.forEach((c, i) => (widths[i] = Math.max(widths[i] ?? 0, Array.from(c).length)));
  const fmt = (r: string[]) => r.map((c, i) => (i === r.length - 1 ? c : c + ' '.repeat(Math.max(0, widths[i]! - Array.from(c).length)))).join('  ');
  const out = [fmt(header)];
  for (const r of clean) out.push(fmt(r));
  return out.join('\n') + '\n';
}

/** The per-student table, as people read it. */
export function formatStudents(rows: readonly StudentRow[]): string {
  return table(
    ['student', 'progress (steps done/total per lesson)', 'answered', 'right 1st', 'attempts', 'time', 'last activity'],
    rows.map((r) => [
      r.student,
      progressCell(r.lessons),
      String(r.questions_answered),
      String(r.first_try_right),
      String(r.attempts),
      formatDuration(r.seconds_spent),
      r.last_activity ? r.last_activity.slice(0, 16).replace('T', ' ') : '-',
    ]),
  );
}

/** Lessons not installed shown at most this many per student: anyone can log answers to a thousand made-up lessons. */
const OTHER_LESSONS_SHOWN = 3;

/** A student's progress in one cell: the installed lessons, then a few others and how many more. */
function progressCell(lessons: StudentRow['lessons']): string {
  const known = lessons.filter((l) => l.steps_total !== null);
  const other = lessons.filter((l) => l.steps_total === null);
  const cells = [...known, ...other.slice(0, OTHER_LESSONS_SHOWN)].map((l) => `${l.lesson} ${l.steps_done}/${l.steps_total ?? '?'}`);
  if (other.length > OTHER_LESSONS_SHOWN) cells.push(`+${other.length - OTHER_LESSONS_SHOWN} lessons not installed`);
  return cells.join(', ') || '-';
}

/** The line saying how many questions answered are not in the installed lessons (listed last), or ''. */
export function formatUnknownQuestions(rows: readonly QuestionRow[]): string {
  const n = rows.filter((q) => q.in_lessons === false).length;
  return n === 0
    ? ''
    : `${n} question${n === 1 ? '' : 's'} answered that the installed lessons do not have (an older or newer lesson, or made up): listed last\n`;
}

/** The per-question table, hardest first. */
export function formatQuestions(rows: readonly QuestionRow[]): string {
  return table(
    ['lesson', 'question', 'students', 'right 1st', 'attempts', 'median time', 'common wrong answers'],
    rows.map((q) => [
      q.lesson,
      q.question,
      String(q.students),
      (q.first_try_rate === null ? 'n/a' : `${Math.round(q.first_try_rate * 100)}%`) + (q.pending_review ? ` (${q.pending_review} to review)` : ''),
      String(q.attempts),
      q.median_seconds === null ? '-' : formatDuration(q.median_seconds),
      q.common_wrong.map((w) => `${JSON.stringify(clip(safeLine(w.answer), 30))}×${w.count}`).join(', '),
    ]),
  );
}

function clip(s: string, n: number): string {
  const chars = Array.from(s);
  return chars.length <= n ? s : chars.slice(0, n - 1).join('') + '…';
}

/** A cell a spreadsheet would run as a formula (`=HYPERLINK(…)`, `@SUM(…)`, `+cmd|…`, after spaces an importer may trim too); a plain number such as `-3.5` is data. */
const FORMULA = /^[\s\u00a0\u3000]*[=@+-]|^[\t\r]/;
const NUMBER = /^[+-]?(\d+([.,]\d*)?|[.,]\d+)([eE][+-]?\d+)?$/;

/**
 * One CSV cell: control characters and bidi overrides removed, a would-be formula prefixed with `'` so a
 * spreadsheet shows it as text, quoted when it holds a comma, quote, or line break (RFC 4180).
 */
export function csvCell(v: string | number | boolean | null | undefined): string {
  if (v === null || v === undefined) return '';
  let s = typeof v === 'string' ? safeText(v) : String(v);
  if (typeof v === 'string' && FORMULA.test(s) && !NUMBER.test(s.trim())) s = `'${s}`;
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
    ['lesson', 'question', 'students', 'first_try_rate', 'attempts', 'median_seconds', 'common_wrong', 'pending_review'],
    rows.map((q) => [
      q.lesson,
      q.question,
      q.students,
      q.first_try_rate,
      q.attempts,
      q.median_seconds,
      q.common_wrong.map((w) => `${w.answer} (${w.count})`).join('; '),
      q.pending_review,
    ]),
  );
}

/** Every record as CSV, attempts and steps in one table, oldest first. */
export function recordsCsv(data: CourseRecords): string {
  return [...recordsCsvLines(data)].join('');
}

/** `recordsCsv` a line at a time (each with its newline): a class's export can outgrow the longest string there is. */
export function* recordsCsvLines(data: CourseRecords): Generator<string> {
  type Row = { time: string; row: Array<string | number | boolean | null> };
  const rows: Row[] = [];
  for (const a of data.attempts)
    rows.push({
      time: a.time,
      row: [
        'attempt',
        a.user,
        a.time,
        a.lesson,
        a.question,
        '',
        a.answer,
        a.correct,
        a.attempt,
        Number.isFinite(a.seconds) ? a.seconds : null,
        a.seed,
        a.version,
        a.file,
        a.line,
        a.review?.verdict ?? null,
        a.review ? safeLine(a.review.by, 64) : null,
        a.review?.time ?? null,
      ],
    });
  for (const s of data.steps)
    rows.push({ time: s.time, row: ['step', s.user, s.time, s.lesson, '', s.step, '', null, null, null, null, s.version, s.file, s.line, null, null, null] });
  rows.sort((x, y) => (x.time < y.time ? -1 : x.time > y.time ? 1 : 0));
  // `correct` follows an instructor's verdict where one is in force; the last three columns say whose and when.
  yield [
    'kind',
    'student',
    'time',
    'lesson',
    'question',
    'step',
    'answer',
    'correct',
    'attempt',
    'seconds',
    'seed',
    'version',
    'file',
    'line',
    'verdict',
    'verdict_by',
    'verdict_time',
  ].join(',') + '\n';
  for (const r of rows) yield r.row.map(csvCell).join(',') + '\n';
}

/** One student's full log, oldest first, free-text answers whole. */
export function formatStudentLog(data: CourseRecords, student: string): string {
  const lines: string[] = [];
  const items = [...data.attempts.filter((a) => a.user === student), ...data.steps.filter((s) => s.user === student)].sort((x, y) =>
    x.time < y.time ? -1 : x.time > y.time ? 1 : 0,
  );
  for (const r of items) {
    const when = safeLine(r.time.slice(0, 19).replace('T', ' '));
    if (r.kind === 'step') {
      lines.push(`${when}  ${safeLine(r.lesson)}  finished ${safeLine(r.step)}`);
    } else {
      // A free-text answer with no verdict yet: the student's own y/n is shown as theirs, not as a grade.
      const mark = pendingReview(r)
        ? `pending review (student: ${r.correct ? 'covers' : 'misses'} the model answer)`
        : r.correct === null
          ? 'committed'
          : r.correct
            ? 'right'
            : 'wrong';
      // Free text whole, on several lines if it has them, but with no control character left in it.
      const answer = safeText(r.answer).replace(/\n/g, '\n      ') + (r.truncated ? " […cut; whole in the student's own store]" : '');
      lines.push(`${when}  ${safeLine(r.lesson)}  ${safeLine(r.question)} #${r.attempt}  ${mark}  ${formatDuration(r.seconds)}  ${answer}`);
    }
  }
  return lines.join('\n') + (lines.length ? '\n' : '');
}

/** Entries of the records directory whose answers are not counted (foreign, unreadable, not regular files, stray names, over a student's limit) or counted only in part, at most `max` lines. */
export function formatLeftOut(files: readonly RecordFileInfo[], max = 50): string {
  const out = files.filter((f) => f.status !== 'read' || f.unread_bytes > 0);
  if (out.length === 0) return '';
  const line = (f: RecordFileInfo, more = 0): string => {
    const who = f.named === null ? '(no student)' : `${f.named}${f.uid !== null ? ` (uid ${f.uid})` : ''}`;
    const owner =
      f.status === 'foreign' || f.status === 'not a regular file'
        ? `; owner ${f.owner ?? 'unknown'}${f.owner_uid !== null ? ` (uid ${f.owner_uid})` : ''}`
        : '';
    const why =
      f.status === 'read' ? `read in part, the last ${f.unread_bytes} bytes left unread (over ${f.student ?? 'its student'}'s limit)` : (f.why ?? f.status);
    return safeLine(`  ${who}: ${f.file}${more ? ` and ${more} more of theirs` : ''}: ${why}${owner}`, 2500);
  };
  // A student past the limit may have 100,000 files: one line for all of them.
  const shown: string[] = [];
  const overs = new Map<string, RecordFileInfo[]>();
  for (const f of out) {
    if (f.status !== 'over the limit') shown.push(line(f));
    else {
      const key = f.why ?? '';
      if (!overs.has(key)) overs.set(key, []);
      overs.get(key)!.push(f);
    }
  }
  for (const group of overs.values()) shown.push(line(group[0]!, group.length - 1));
  const cut = shown.slice(0, max);
  if (shown.length > max) cut.push(`  … and ${shown.length - max} more (eds instructor report --json lists them all under "files")`);
  return `Record files left out (${out.length}): no answers counted from them, or only from their first part; a foreign or planted file keeps its student's answers from arriving (eds instructor check)\n${cut.join('\n')}\n`;
}

/** The line saying how many answers' times were left out of the statistics, or '' when none was. */
export function formatTimesLeftOut(n: number): string {
  return n === 0
    ? ''
    : `${n} answer${n === 1 ? '' : 's'} with an implausible time (negative, over ${MAX_PLAUSIBLE_SECONDS / 86_400} days, or not finite) counted, but left out of the time statistics\n`;
}
