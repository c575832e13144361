// The students' side: every attempt and finished step also goes to the student's own record file in the course directory, with a backlog when that fails.
//
// The local store stays the source of truth. What has reached the course directory is a
// watermark in the store's settings (`course_sent`: the last attempt id sent and the steps
// sent), so whatever could not be sent (directory unreachable, full, read-only) is sent by a
// later answer or the next start, and nothing is lost. A record sent twice (a crash between the
// write and the watermark, two sessions at once) carries the same (user, id) and is counted once.
import { closeSync, constants, fchmodSync, fstatSync, lstatSync, openSync, readSync, writeSync } from 'node:fs';
import { userInfo } from 'node:os';
import { join } from 'node:path';
import type { Attempt, AttemptFilter, AttemptInput, LastPosition, LessonProgress, StepState, Store } from '../store/types.js';
import { currentUser } from '../store/paths.js';
import { VERSION } from '../version.js';
import { resolveCourseDir } from './config.js';
import { checkCourseDir, errnoText, RECORD_FILE_MODE, RECORDS_DIR } from './layout.js';
import { attemptRecord, formatRecord, type CourseRecord } from './record.js';

/** The store setting holding what was sent, and where. */
export const SENT_SETTING = 'course_sent';

/** What `course_sent` holds (JSON). */
export interface SentWatermark {
  /** The course directory these marks are for: a new directory gets everything again. */
  dir: string;
  /** Highest attempt id sent; every attempt up to it has been sent. */
  attempts: number;
  /** Finished steps sent, as [lesson, step] pairs. */
  steps: Array<[string, string]>;
}

/** The record file of an OS user: `<login>.<uid>.jsonl`; the uid lets a report check the file's owner. */
export function recordFileName(login: string, uid: number): string {
  return `${login.replace(/[^A-Za-z0-9._-]/g, '_')}.${uid}.jsonl`;
}

/** A failure to write to the course directory, with the reason in a few words. */
export class CourseWriteError extends Error {}

/**
 * Appends whole lines to a record file the caller owns. Each line goes in one `write` on an
 * O_APPEND descriptor and is shorter than PIPE_BUF, so concurrent writers never interleave.
 * `onProgress(n)` is called after every `every` lines and at the end with the count written so far.
 */
export function appendLines(file: string, lines: readonly string[], onProgress?: (written: number) => void, every = 200): number {
  let fd: number;
  try {
    // NOFOLLOW: a symlink planted under our name must not redirect our records elsewhere.
    fd = openSync(file, constants.O_RDWR | constants.O_APPEND | constants.O_CREAT | constants.O_NOFOLLOW, RECORD_FILE_MODE);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw new CourseWriteError(code === 'ELOOP' ? `${file} is a symlink` : `${file}: ${errnoText(err)}`);
  }
  let written = 0;
  try {
    const st = fstatSync(fd);
    const uid = process.getuid?.();
    if (uid !== undefined && st.uid !== uid) throw new CourseWriteError(`${file} belongs to someone else (uid ${st.uid}); ask an instructor to remove it`);
    // The student's umask (often 077) would hide the file from the instructors' group.
    if ((st.mode & 0o777) !== RECORD_FILE_MODE) fchmodSync(fd, RECORD_FILE_MODE);
    if (st.size > 0 && !endsWithNewline(fd, st.size)) writeWhole(fd, file, Buffer.from('\n'));
    for (const line of lines) {
      writeWhole(fd, file, Buffer.from(line));
      written++;
      if (onProgress && written % every === 0) onProgress(written);
    }
  } catch (err) {
    if (err instanceof CourseWriteError) throw Object.assign(err, { written });
    throw Object.assign(new CourseWriteError(`${file}: ${errnoText(err)}`), { written });
  } finally {
    closeSync(fd);
    if (onProgress && written % every !== 0) onProgress(written);
  }
  return written;
}

/**
 * Whether the file does not end in the middle of a line. A zero byte is another writer's append
 * in flight (the size grows before the bytes land), not a cut line: leave it alone. A spurious
 * extra newline from this race is only a blank line, which readers skip.
 */
function endsWithNewline(fd: number, size: number): boolean {
  const b = Buffer.alloc(1);
  return readSync(fd, b, 0, 1, size - 1) !== 1 || b[0] === 0x0a || b[0] === 0x00;
}

function writeWhole(fd: number, file: string, buf: Buffer): void {
  const n = writeSync(fd, buf);
  if (n !== buf.length) {
    // A short write (disk full) left half a line: end it, so the next record starts on a line of
    // its own; the half line fails its checksum and is reported, and the record is sent again.
    try {
      writeSync(fd, '\n');
    } catch {
      // Nothing more can be written; the reader reports the damaged line.
    }
    throw new CourseWriteError(`${file}: short write (${n} of ${buf.length} bytes; disk full?)`);
  }
}

/** How to attach a store to a course directory. */
export interface CourseSinkOptions {
  /** The course directory. */
  dir: string;
  /** OS login naming the record file (default: the process's user). */
  login?: string;
  /** Numeric uid naming the record file (default: the process's uid). */
  uid?: number;
  /** Set to send nothing and tell the student this once (e.g. a broken config file). */
  disabled?: string;
}

/** What a flush did. */
export interface FlushResult {
  /** Records written this time. */
  sent: number;
  /** Why the rest could not be sent, or null when all was sent. */
  error: string | null;
}

/** The store, plus a course sink: every attempt and finished step is also sent to the course directory. */
export class CourseStore implements Store {
  /** Record file of this student. */
  readonly recordFile: string;
  private readonly inner: Store;
  private readonly dir: string;
  private readonly notes: string[] = [];
  private told = false;
  private unsafe: string | null;

  constructor(inner: Store, options: CourseSinkOptions) {
    this.inner = inner;
    this.dir = options.dir;
    const login = options.login ?? osLogin();
    const uid = options.uid ?? process.getuid?.() ?? 0;
    this.recordFile = join(options.dir, RECORDS_DIR, recordFileName(login, uid));
    if (options.disabled) {
      this.unsafe = options.disabled;
      this.notes.push(options.disabled);
    } else {
      this.unsafe = driftProblem(options.dir);
      if (this.unsafe) this.notes.push(`not sending answers to the course directory: ${this.unsafe}; they are kept here (tell your instructor)`);
    }
  }

  get path(): string {
    return this.inner.path;
  }
  get user(): string {
    return this.inner.user;
  }
  get journalMode(): 'wal' | 'delete' {
    return this.inner.journalMode;
  }
  /** The store's warnings, then the course directory's (each said once). */
  get warnings(): string[] {
    return [...this.inner.warnings, ...this.notes];
  }

  recordAttempt(input: AttemptInput): Attempt {
    const attempt = this.inner.recordAttempt(input);
    this.flush();
    return attempt;
  }
  completeStep(lesson: string, stepId: string): void {
    this.inner.completeStep(lesson, stepId);
    this.flush();
  }
  attempts(filter?: AttemptFilter): Attempt[] {
    return this.inner.attempts(filter);
  }
  attemptCount(lesson: string, question: string): number {
    return this.inner.attemptCount(lesson, question);
  }
  progress(lesson: string): LessonProgress | null {
    return this.inner.progress(lesson);
  }
  allProgress(): LessonProgress[] {
    return this.inner.allProgress();
  }
  saveStep(lesson: string, stepId: string, stepIndex: number, state: StepState): void {
    this.inner.saveStep(lesson, stepId, stepIndex, state);
  }
  resetLesson(lesson: string): void {
    this.inner.resetLesson(lesson);
  }
  lastPosition(): LastPosition | null {
    return this.inner.lastPosition();
  }
  setting(key: string): string | null {
    return this.inner.setting(key);
  }
  setSetting(key: string, value: string): void {
    this.inner.setSetting(key, value);
  }
  close(): void {
    this.inner.close();
  }

  /** What has not reached the course directory yet, oldest attempt first, then steps. */
  pending(): { records: CourseRecord[]; mark: SentWatermark } {
    const mark = this.watermark();
    const attempts = this.inner.attempts().filter((a) => a.id > mark.attempts);
    const sent = new Set(mark.steps.map(([l, s]) => `${l}\u0000${s}`));
    const steps: CourseRecord[] = [];
    for (const p of this.inner.allProgress()) {
      for (const step of p.completed) {
        if (!sent.has(`${p.lesson}\u0000${step}`)) {
          // completeStep stamps the lesson's `updated`, so this is the step's time when sent live.
          steps.push({ kind: 'step', user: this.inner.user, time: p.updated, lesson: p.lesson, step, version: VERSION });
        }
      }
    }
    return { records: [...attempts.map(attemptRecord), ...steps], mark };
  }

  /** Sends everything not sent yet. Never throws: on failure the backlog waits and the student is told once. */
  flush(): FlushResult {
    if (this.unsafe) return { sent: 0, error: this.unsafe };
    let sent = 0;
    try {
      const { records, mark } = this.pending();
      if (records.length === 0) return { sent: 0, error: null };
      const lines = records.map(formatRecord);
      const save = (n: number) => {
        for (const r of records.slice(sent, n)) {
          if (r.kind === 'attempt') mark.attempts = Math.max(mark.attempts, r.id);
          else mark.steps.push([r.lesson, r.step]);
        }
        sent = n;
        this.inner.setSetting(SENT_SETTING, JSON.stringify(mark));
      };
      appendLines(this.recordFile, lines, save);
      return { sent, error: null };
    } catch (err) {
      const reason = err instanceof Error ? err.message : String(err);
      if (!this.told) {
        this.told = true;
        this.notes.push(`could not send your answers to the course directory (${reason}); they are kept here and will be sent next time`);
      }
      return { sent, error: reason };
    }
  }

  private watermark(): SentWatermark {
    const fresh: SentWatermark = { dir: this.dir, attempts: 0, steps: [] };
    const raw = this.inner.setting(SENT_SETTING);
    if (!raw) return fresh;
    try {
      const v = JSON.parse(raw) as SentWatermark;
      if (v.dir !== this.dir || !Number.isSafeInteger(v.attempts) || !Array.isArray(v.steps)) return fresh;
      return v;
    } catch {
      // Only we write it; an unreadable mark means resending, which the reports deduplicate.
      return fresh;
    }
  }
}

/** The OS login of this process (the record file's name must match its owner), else the store's user name. */
function osLogin(): string {
  try {
    return userInfo().username;
  } catch {
    return currentUser();
  }
}

/**
 * A reason not to write into the course directory, or null. Only what a student can see: the drop
 * directory's own mode (they cannot list it). A listable or non-sticky drop directory would expose
 * their answers, so they stay local until an instructor fixes it.
 */
function driftProblem(dir: string): string | null {
  try {
    lstatSync(join(dir, RECORDS_DIR));
  } catch {
    return null; // Unreachable now: a backlog, not a refusal; flush says why.
  }
  const unsafe = checkCourseDir(dir).problems.find((p) => p.severity === 'unsafe');
  return unsafe ? unsafe.message : null;
}

/**
 * Wraps the student's store with the course sink when a course directory is configured, and
 * sends any backlog now. Returns the store unchanged when none is; a broken config file becomes
 * a warning, never a refusal to start.
 */
export function withCourseSink(store: Store, env: NodeJS.ProcessEnv = process.env): Store {
  let setting;
  try {
    setting = resolveCourseDir(env);
  } catch (err) {
    const reason = err instanceof Error ? err.message : String(err);
    return new CourseStore(store, { dir: '', disabled: `course directory not used: ${reason}; your answers are kept here` });
  }
  if (!setting) return store;
  const wrapped = new CourseStore(store, { dir: setting.dir });
  wrapped.flush();
  return wrapped;
}
