// The students' side: every attempt and finished step also goes to the student's own record file in the course directory, with a backlog when that fails.
//
// The local store stays the source of truth. What has reached the course directory is a
// watermark in the store's settings (`course_sent`: the last attempt id sent and the steps
// sent), so whatever could not be sent (directory unreachable, full, read-only) is sent by a
// later answer or the next start, and nothing is lost. A record sent twice (a crash between the
// write and the watermark, two sessions at once) carries the same uuid and is counted once.
//
// The record file's name has a random part (`<login>.<uid>.<16 hex>.jsonl`), picked at the first
// write to a course directory and kept in the `course_file` setting, so nobody can take it first.
// Anything found under that name that is not this student's own single-named regular file (another
// owner, a symlink, FIFO, directory, a hard link) is never written to: a fresh name is picked, and
// the watermark is untouched, because nothing reached the course directory through it. Records a
// first-layout file (`<login>.<uid>.jsonl`) already holds stay there and are still read; new ones go
// to the new name.
import { randomBytes } from 'node:crypto';
import { closeSync, constants, fchmodSync, fstatSync, lstatSync, openSync, readSync, writeSync, type Stats } from 'node:fs';
import { userInfo } from 'node:os';
import { join } from 'node:path';
import type { Attempt, AttemptFilter, AttemptInput, LastPosition, LessonProgress, StepState, Store } from '../store/types.js';
import { currentUser } from '../store/paths.js';
import { VERSION } from '../version.js';
import { safeLine } from '../util/safe-text.js';
import { resolveCourseDir } from './config.js';
import { checkCourseDir, errnoText, groupId, parseRecordFileName, recordFileName, recordLogin, RECORD_FILE_MODE, RECORDS_DIR } from './layout.js';
import { attemptRecord, formatRecord, type CourseRecord } from './record.js';

export { recordFileName } from './layout.js';

/** The store setting holding what was sent, and where. */
export const SENT_SETTING = 'course_sent';
/** The store setting holding this student's record file name in each course directory (JSON: {dir: name}). */
export const FILE_SETTING = 'course_file';

/** What `course_sent` holds (JSON). */
export interface SentWatermark {
  /** The course directory these marks are for: a new directory gets everything again. */
  dir: string;
  /** Highest attempt id sent; every attempt up to it has been sent. */
  attempts: number;
  /** Finished steps sent, as [lesson, step] pairs. */
  steps: Array<[string, string]>;
}

/** A fresh record file name for a login and uid: 64 random bits nobody can guess without listing the drop directory. */
export function freshRecordFileName(login: string, uid: number): string {
  return recordFileName(login, uid, randomBytes(8).toString('hex'));
}

/** A failure to write to the course directory, with the reason in a few words. */
export class CourseWriteError extends Error {}

/** Something under the record file's name that is not this student's own file: never written to. */
export class NotOursError extends CourseWriteError {
  /** What is there instead, e.g. "is a FIFO". */
  readonly why: string;
  constructor(file: string, why: string) {
    super(`${file} ${why}`);
    this.why = why;
  }
}

/** Why the entry at `file` is not ours to write, from its lstat, or null when it is (or cannot be seen). */
function plantedReason(file: string): string | null {
  let st: Stats;
  try {
    st = lstatSync(file);
  } catch {
    return null;
  }
  return notOurs(st);
}

/** Why a file with this stat is not ours to write, or null. */
function notOurs(st: Stats): string | null {
  if (st.isSymbolicLink()) return 'is a symlink';
  if (st.isDirectory()) return 'is a directory';
  if (st.isFIFO()) return 'is a FIFO';
  if (!st.isFile()) return 'is not a regular file';
  const uid = process.getuid?.();
  if (uid !== undefined && st.uid !== uid) return `belongs to someone else (uid ${st.uid})`;
  // A second name (made by someone else, wherever they could write) would let them follow the file.
  if (st.nlink !== 1) return `has ${st.nlink} names (someone made a hard link to it)`;
  return null;
}

/**
 * Opens a record file of ours for appending: `existing` must be there, `create` must not be
 * (O_EXCL), `either` takes what it finds. Never follows a symlink (O_NOFOLLOW), never waits on a
 * FIFO (O_NONBLOCK), and checks the opened file is a regular file of ours with one name. Throws
 * `NotOursError` for anything planted, the errno (ENOENT for `existing`, EEXIST for `create`) for
 * the caller to decide, `CourseWriteError` for the rest.
 */
export function openRecordFile(file: string, how: 'existing' | 'create' | 'either'): number {
  const flags =
    constants.O_RDWR |
    constants.O_APPEND |
    constants.O_NOFOLLOW |
    constants.O_NONBLOCK |
    (how === 'create' ? constants.O_CREAT | constants.O_EXCL : how === 'either' ? constants.O_CREAT : 0);
  let fd: number;
  try {
    fd = openSync(file, flags, RECORD_FILE_MODE);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if ((code === 'ENOENT' && how === 'existing') || (code === 'EEXIST' && how === 'create')) throw err;
    // ELOOP (a symlink), EISDIR, ENXIO (a FIFO nobody reads), EACCES (another's file): look at what is there.
    const planted = code === 'ELOOP' ? 'is a symlink' : plantedReason(file);
    if (planted) throw new NotOursError(file, planted);
    throw new CourseWriteError(`${file}: ${errnoText(err)}`);
  }
  try {
    const why = notOurs(fstatSync(fd));
    if (why) throw new NotOursError(file, why);
  } catch (err) {
    closeSync(fd);
    throw err;
  }
  return fd;
}

/**
 * Appends whole lines to a record file the caller owns (created if absent). Each line goes in one
 * `write` on an O_APPEND descriptor and is shorter than PIPE_BUF, so concurrent writers never
 * interleave. `onProgress(n)` is called after every `every` lines and at the end with the count written so far.
 */
export function appendLines(file: string, lines: readonly string[], onProgress?: (written: number) => void, every = 200): number {
  return writeLines(openRecordFile(file, 'either'), file, lines, onProgress, every);
}

/** Writes the lines to an open record file and closes it; see `appendLines`. */
function writeLines(fd: number, file: string, lines: readonly string[], onProgress: ((written: number) => void) | undefined, every: number): number {
  let written = 0;
  try {
    const st = fstatSync(fd);
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
  /** The instructors' gid a config file pins: a course directory for another group is refused. */
  gid?: number;
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

/** Fresh names tried in one flush before giving up until the next (a name nobody can guess is never taken twice by chance). */
const FRESH_NAME_TRIES = 3;

/** The store, plus a course sink: every attempt and finished step is also sent to the course directory. */
export class CourseStore implements Store {
  private readonly inner: Store;
  private readonly dir: string;
  private readonly login: string;
  private readonly uid: number;
  private readonly gid: number | undefined;
  private readonly notes: string[] = [];
  private told = false;
  private toldMoved = false;
  private unsafe: string | null;
  /** The drop directory as last checked (dev:ino), so a directory swapped in mid-session is checked again. */
  private checked: string | null = null;
  private name: string | null = null;

  constructor(inner: Store, options: CourseSinkOptions) {
    this.inner = inner;
    this.dir = options.dir;
    this.login = options.login ?? osLogin();
    this.uid = options.uid ?? process.getuid?.() ?? 0;
    this.gid = options.gid;
    if (options.disabled) {
      this.unsafe = options.disabled;
      this.notes.push(options.disabled);
    } else {
      this.unsafe = this.driftProblem();
      if (this.unsafe) this.notes.push(refusal(this.unsafe));
    }
  }

  /** This student's record file in the course directory (its name picked, and remembered, the first time it is needed). */
  get recordFile(): string {
    return join(this.dir, RECORDS_DIR, this.fileName());
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
      if (this.recordsChanged()) {
        this.unsafe = this.driftProblem();
        if (this.unsafe) {
          this.notes.push(refusal(this.unsafe));
          return { sent: 0, error: this.unsafe };
        }
      }
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
      const file = this.openOwnFile();
      writeLines(file.fd, file.path, lines, save, 200);
      return { sent, error: null };
    } catch (err) {
      const reason = err instanceof Error ? err.message : String(err);
      if (!this.told) {
        this.told = true;
        this.notes.push(`could not send your answers to the course directory (${safeLine(reason)}); they are kept here and will be sent next time`);
      }
      return { sent, error: reason };
    }
  }

  /**
   * Opens the record file, creating it (O_EXCL) the first time. When what is under its name is not
   * ours, nothing is written there: the student is told once, and a fresh name is tried.
   */
  private openOwnFile(): { fd: number; path: string } {
    for (let tries = 0; ; tries++) {
      const path = this.recordFile;
      try {
        return { fd: openOrCreate(path), path };
      } catch (err) {
        if (!(err instanceof NotOursError) || tries >= FRESH_NAME_TRIES) throw err;
        if (!this.toldMoved) {
          this.toldMoved = true;
          this.notes.push(
            `your record file ${safeLine(this.fileName())} ${err.why}: nothing was sent to it, your answers now go to a new file (tell your instructor: eds instructor check names the old one)`,
          );
        }
        this.remember(freshRecordFileName(this.login, this.uid));
      }
    }
  }

  /** The remembered record file name for this course directory, or a fresh one, remembered now. */
  private fileName(): string {
    if (this.name) return this.name;
    const remembered = this.rememberedNames()[this.dir];
    const parsed = typeof remembered === 'string' ? parseRecordFileName(remembered) : null;
    // Only a tagged name of this login and uid: the store may have moved to another account.
    if (typeof remembered === 'string' && parsed?.tag && parsed.uid === this.uid && parsed.login === recordLogin(this.login)) this.name = remembered;
    else this.remember(freshRecordFileName(this.login, this.uid));
    return this.name!;
  }

  private remember(name: string): void {
    this.name = name;
    // Saved before the file is made: a crash in between leaves at most an empty file under a name nobody uses.
    this.inner.setSetting(FILE_SETTING, JSON.stringify({ ...this.rememberedNames(), [this.dir]: name }));
  }

  private rememberedNames(): Record<string, unknown> {
    try {
      const v = JSON.parse(this.inner.setting(FILE_SETTING) ?? '{}') as unknown;
      return v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : {};
    } catch {
      return {};
    }
  }

  /** Whether the drop directory is another one than the one checked (swapped in, or reachable again). */
  private recordsChanged(): boolean {
    try {
      const st = lstatSync(join(this.dir, RECORDS_DIR));
      return `${st.dev}:${st.ino}` !== this.checked;
    } catch {
      return false; // Unreachable now: a backlog, not a refusal; the open says why.
    }
  }

  /**
   * A reason not to write into the course directory, or null. Only what a student can see: who owns
   * the course directory, its description and the drop directory, the drop directory's mode and group,
   * the directories above (they cannot list the drop directory). Any of these unsafe would expose
   * their answers, so they stay local until an instructor fixes it.
   */
  private driftProblem(): string | null {
    let st: Stats;
    try {
      st = lstatSync(join(this.dir, RECORDS_DIR));
    } catch {
      return null; // Unreachable now: a backlog, not a refusal; flush says why.
    }
    this.checked = `${st.dev}:${st.ino}`;
    const unsafe = checkCourseDir(this.dir, { entries: false, ...(this.gid !== undefined ? { gid: this.gid } : {}) }).problems.find(
      (p) => p.severity === 'unsafe',
    );
    return unsafe ? unsafe.message : null;
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

/** What the student is told when the course directory is refused. */
function refusal(reason: string): string {
  return `not sending answers to the course directory: ${reason}; they are kept here (tell your instructor)`;
}

/** Opens the record file, or creates it when it is not there yet; someone creating it in between is checked like anything else found there. */
function openOrCreate(path: string): number {
  try {
    return openRecordFile(path, 'existing');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
  }
  try {
    return openRecordFile(path, 'create');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code !== 'EEXIST') throw code === 'ENOENT' ? new CourseWriteError(`${path}: ${errnoText(err)}`) : err;
  }
  // Made in between: by another session of ours, or planted; the checks on opening tell which.
  try {
    return openRecordFile(path, 'existing');
  } catch (err) {
    throw (err as NodeJS.ErrnoException).code === 'ENOENT' ? new CourseWriteError(`${path}: ${errnoText(err)}`) : err;
  }
}

/**
 * Wraps the student's store with the course sink when a course directory is configured, and
 * sends any backlog now. Returns the store unchanged when none is; a broken config file becomes
 * a warning, never a refusal to start.
 */
export function withCourseSink(store: Store, env: NodeJS.ProcessEnv = process.env): Store {
  let setting: ReturnType<typeof resolveCourseDir>;
  let gid: number | undefined;
  try {
    setting = resolveCourseDir(env);
    if (setting?.group !== undefined) gid = groupId(setting.group);
  } catch (err) {
    const reason = err instanceof Error ? err.message : String(err);
    return new CourseStore(store, { dir: '', disabled: `course directory not used: ${safeLine(reason)}; your answers are kept here` });
  }
  if (!setting) return store;
  const wrapped = new CourseStore(store, { dir: setting.dir, ...(gid !== undefined ? { gid } : {}) });
  wrapped.flush();
  return wrapped;
}
