// The course directory on disk: `eds instructor init` lays it out, `checkCourseDir` says whether its permissions and owners keep records private.
//
// Layout:  DIR/                     0775, owner root or an instructor, group = the instructors' group
//          DIR/course.json          what this is, for which group (0644)
//          DIR/leaderboard.json     the class ranking an instructor published (0644, optional)
//          DIR/records/             the drop directory, mode 3773, group = the instructors' group
//          DIR/records/<login>.<uid>.<16 random hex>.jsonl   one student's records, 0640, owned by the student
//
// Why 3773: others (students) get write+search but no read, so they can create their own file
// and open it by name but cannot list the directory; the sticky bit stops them deleting or
// renaming files they do not own; setgid makes every new file belong to the instructors' group,
// which reads it through the file's 0640 (a student's own primary group, often shared by the
// whole class, never sees it). The group gets rwx so an instructor can try the tutor too.
//
// Why the random part: a name anyone can work out (`<login>.<uid>.jsonl`, the first layout) can be
// taken first by another student (a file, symlink, FIFO or directory of theirs), and the sticky bit
// then keeps the victim from removing it. Nobody can guess 64 random bits without listing the directory.
//
// Why owners matter: whoever owns DIR or records/ (or a directory above them) can rename them and put
// a directory of their own in their place; permissions alone say nothing if that owner is a student.
import {
  chmodSync,
  chownSync,
  closeSync,
  lstatSync,
  mkdirSync,
  openSync,
  readdirSync,
  readFileSync,
  realpathSync,
  statSync,
  writeSync,
  constants,
  type Stats,
} from 'node:fs';
import { spawnSync } from 'node:child_process';
import { dirname, join, resolve } from 'node:path';
import { UserError } from '../errors.js';
import { VERSION } from '../version.js';
import { safeLine } from '../util/safe-text.js';
import { replaceFile } from '../util/replace-file.js';
import { shellQuote } from '../util/shell-quote.js';
import { accountsOf, describeGid, describeUid, trustedOwner } from './accounts.js';
import { parseSlurmDefaults, SLURM_FIELDS, type SlurmDefaults } from './slurm-defaults.js';

/** Name of the description file at the top of a course directory. */
export const COURSE_FILE = 'course.json';
/** Name of the class ranking an instructor publishes for the students (`eds instructor leaderboard --publish`). */
export const RANKING_FILE = 'leaderboard.json';
/** Name of the drop directory holding the students' record files. */
export const RECORDS_DIR = 'records';
/** Mode of the drop directory: setgid + sticky, rwx owner, rwx group, write+search for others. */
export const RECORDS_MODE = 0o3773;
/** Mode of each student's record file: the student writes, the instructors' group reads. */
export const RECORD_FILE_MODE = 0o640;

/** What `course.json` holds. */
export interface CourseDescription {
  /** Always 'eds-course': tells a course directory from any other folder. */
  format: 'eds-course';
  /** Layout version. */
  layout: 1;
  /** The instructors' group name. */
  group: string;
  /** Its numeric id. */
  gid: number;
  /** ISO time of `eds instructor init`. */
  created: string;
  /** eds version that made it. */
  created_by: string;
  /** Where students' experiments run as Slurm jobs (`init --slurm-partition …`); absent: they run where eds runs. */
  slurm?: SlurmDefaults;
}

/** One thing wrong with a course directory. */
export interface CourseProblem {
  /** 'unsafe': records could leak or be tampered with; 'unusable': students cannot write or instructors cannot read. */
  severity: 'unsafe' | 'unusable';
  /** One line saying what and why, naming the path (made safe for a terminal). */
  message: string;
  /** The exact command root runs about it (remove a planted file, find a hard link's other names), ready to paste. */
  command?: string;
}

/** The result of `checkCourseDir`. */
export interface CourseDirCheck {
  /** The course directory, absolute. */
  dir: string;
  /** Everything found wrong; empty when the directory is safe and usable. */
  problems: CourseProblem[];
  /** The instructors' gid the checks went by (course.json's, else the drop directory's), or null when neither could be read. */
  gid: number | null;
}

/** How to check. */
export interface CheckOptions {
  /** The instructors' gid a config file pins: a course.json naming another group is not the course directory meant. */
  gid?: number;
  /** The caller is an instructor (`eds instructor check`): say so when they are not in the course's group. */
  instructor?: boolean;
  /** Look at the entries of the drop directory when it can be listed (default true); a tutor writing its own file has no business with the others'. */
  entries?: boolean;
}

/** How a record file is named: `<login>.<uid>.<16 lowercase hex>.jsonl`, or `<login>.<uid>.jsonl` as the first layout did. */
export interface RecordFileName {
  /** The login as it appears in the name (see `recordLogin`). */
  login: string;
  /** The uid the name claims; the file's owner must have it. */
  uid: number;
  /** The random part, or null for a name of the first layout. */
  tag: string | null;
}

/** A login as it appears in a record file name: anything but letters, digits, `.`, `_` and `-` becomes `_`. */
export function recordLogin(login: string): string {
  return login.replace(/[^A-Za-z0-9._-]/g, '_');
}

/** The record file name for a login and uid, with a random `tag` (16 lowercase hex), or without one as the first layout named it. */
export function recordFileName(login: string, uid: number, tag?: string): string {
  return `${recordLogin(login)}.${uid}${tag === undefined ? '' : `.${tag}`}.jsonl`;
}

const TAGGED_NAME = /^([A-Za-z0-9._-]+)\.(\d+)\.([0-9a-f]{16})\.jsonl$/;
const FIRST_LAYOUT_NAME = /^(.+)\.(\d+)\.jsonl$/;

/** Reads a record file name, the tagged form first (its hex part may be all digits); null for anything else. */
export function parseRecordFileName(name: string): RecordFileName | null {
  const tagged = TAGGED_NAME.exec(name);
  if (tagged && Number.isSafeInteger(Number(tagged[2]))) return { login: tagged[1]!, uid: Number(tagged[2]), tag: tagged[3]! };
  const first = FIRST_LAYOUT_NAME.exec(name);
  if (first && Number.isSafeInteger(Number(first[2]))) return { login: first[1]!, uid: Number(first[2]), tag: null };
  return null;
}

/** Mode bits, named for readability. */
const S_ISGID = 0o2000;
const S_ISVTX = 0o1000;

/** What `course.json` says, or why it cannot be trusted. */
function readDescription(root: string): { description: CourseDescription | null; problem: CourseProblem | null; st: Stats | null } {
  const path = join(root, COURSE_FILE);
  let st: Stats;
  try {
    st = lstatSync(path);
  } catch {
    // Directories laid out by hand (tests, older set-ups): the drop directory's group stands in.
    return { description: null, problem: null, st: null };
  }
  if (!st.isFile())
    return {
      description: null,
      problem: { severity: 'unsafe', message: `${safeLine(path)} is not a regular file (a symlink?): it cannot say which group this course directory is for` },
      st,
    };
  try {
    const v = JSON.parse(readFileSync(path, 'utf8')) as Partial<CourseDescription>;
    if (v?.format === 'eds-course' && typeof v.gid === 'number' && Number.isSafeInteger(v.gid) && v.gid >= 0)
      return { description: v as CourseDescription, problem: null, st };
  } catch {
    // Said below.
  }
  return {
    description: null,
    problem: { severity: 'unusable', message: `${safeLine(path)} is damaged: it does not say which group this course directory is for` },
    st,
  };
}

/**
 * Checks a course directory from the caller's point of view: who owns it, its description, its drop
 * directory and every directory above (anyone able to rename one could swap in a directory of their
 * own); the drop directory's mode and group; and, when the caller may list it (an instructor), every
 * entry in it, naming planted ones (another's name, a symlink, FIFO, directory or hard link) with the
 * command that removes each.
 */
export function checkCourseDir(dir: string, options: CheckOptions = {}): CourseDirCheck {
  const root = resolve(dir);
  const problems: CourseProblem[] = [];
  const unsafe = (message: string, command?: string) => problems.push({ severity: 'unsafe', message, ...(command ? { command } : {}) });
  const unusable = (message: string) => problems.push({ severity: 'unusable', message });
  const shown = safeLine(root);

  let top: Stats;
  try {
    top = lstatSync(root);
  } catch (err) {
    problems.push(...ancestorProblems(root, null));
    unusable(`${shown}: ${errnoText(err)}`);
    return { dir: root, problems, gid: null };
  }
  if (!top.isDirectory()) {
    problems.push(...ancestorProblems(root, null));
    unusable(`${shown}: not a directory`);
    return { dir: root, problems, gid: null };
  }
  const records = join(root, RECORDS_DIR);
  let st: Stats | null = null;
  let recordsError: unknown = null;
  try {
    st = lstatSync(records);
  } catch (err) {
    recordsError = err;
  }
  const described = readDescription(root);
  const gid = described.description?.gid ?? (st?.isDirectory() ? st.gid : top.gid);
  const group = safeLine(describeGid(gid));
  if (described.problem) problems.push(described.problem);
  if (options.gid !== undefined && gid !== options.gid) {
    unsafe(
      `${shown} is for the group ${group}, but the config file names ${safeLine(describeGid(options.gid))}: it is not the course directory the config file meant`,
    );
  }
  problems.push(...ancestorProblems(root, gid));
  if (!trustedOwner(top.uid, gid))
    unsafe(
      `${shown} belongs to ${safeLine(describeUid(top.uid))}, who is neither root nor in ${group}: they could replace ${RECORDS_DIR}/ and ${COURSE_FILE} at any time (chown root, or init a new directory)`,
    );
  if (top.gid !== gid) unsafe(`${shown} has the group ${safeLine(describeGid(top.gid))}, not the course group ${group} (chgrp ${gid})`);
  if (top.mode & 0o002) unsafe(`${shown} is writable by everyone: anyone could replace the records directory (chmod o-w)`);
  if (described.st?.isFile()) {
    const path = safeLine(join(root, COURSE_FILE));
    if (!trustedOwner(described.st.uid, gid))
      unsafe(`${path} belongs to ${safeLine(describeUid(described.st.uid))}, who is neither root nor in ${group}: it could name any group`);
    if (described.st.mode & 0o002) unsafe(`${path} is writable by everyone (chmod 644)`);
  }
  try {
    const ranking = lstatSync(join(root, RANKING_FILE));
    // Every student's tutor shows this file: nobody but the instructors may change it.
    if (ranking.mode & 0o002 || !ranking.isFile())
      unsafe(`${safeLine(join(root, RANKING_FILE))} could be changed by anyone (a symlink, or writable by everyone): publish it again`);
    else if (!trustedOwner(ranking.uid, gid))
      unsafe(`${safeLine(join(root, RANKING_FILE))} belongs to ${safeLine(describeUid(ranking.uid))}, not to an instructor: publish it again`);
  } catch {
    // Not published yet.
  }
  if (options.instructor) {
    const mine = process.getuid?.();
    const groups = [process.getgid?.(), ...(process.getgroups?.() ?? [])];
    if (mine !== undefined && mine !== 0 && !groups.includes(gid)) {
      unusable(
        `you are not in ${group}, the group this course directory is for: you cannot read its records, and if that is not your instructors' group the directory is not yours (id; newgrp)`,
      );
    }
  }
  if (!st) {
    const code = (recordsError as NodeJS.ErrnoException).code;
    unusable(
      code === 'ENOENT'
        ? `${shown} is not a course directory (no ${RECORDS_DIR}/); run eds instructor init`
        : `${safeLine(records)}: ${errnoText(recordsError)}`,
    );
    return { dir: root, problems, gid };
  }
  const recordsShown = safeLine(records);
  if (!st.isDirectory()) {
    // A symlink could point anywhere, world-readable included: refuse rather than follow it.
    unsafe(`${recordsShown} is not a plain directory (a symlink or a file)`);
    return { dir: root, problems, gid };
  }
  if (!trustedOwner(st.uid, gid))
    unsafe(`${recordsShown} belongs to ${safeLine(describeUid(st.uid))}, who is neither root nor in ${group}: they could read and delete the records in it`);
  if (st.gid !== gid)
    unsafe(
      `${recordsShown} has the group ${safeLine(describeGid(st.gid))}, not the course group ${group}: record files would belong to that group (chgrp ${gid})`,
    );
  const mode = st.mode & 0o7777;
  const fix = `chmod 3773 ${recordsShown}`;
  if (mode & 0o004) unsafe(`${recordsShown} is listable by everyone (mode ${octal(mode)}): students could find and read each other's records (${fix})`);
  if (mode & 0o002 && !(mode & S_ISVTX))
    unsafe(`${recordsShown} lacks the sticky bit (mode ${octal(mode)}): students could delete or rename each other's records (${fix})`);
  if (!(mode & S_ISGID))
    unsafe(
      `${recordsShown} lacks the setgid bit (mode ${octal(mode)}): record files would belong to each student's own group, which other students may share (${fix})`,
    );
  if ((mode & 0o003) !== 0o003) unusable(`${recordsShown} does not let students add records (mode ${octal(mode)}; others need write and search: ${fix})`);
  if ((mode & 0o050) !== 0o050) unusable(`${recordsShown} does not let the instructors' group list it (mode ${octal(mode)}; ${fix})`);

  if (options.entries === false) return { dir: root, problems, gid };
  let names: Buffer[] | null = null;
  try {
    // As bytes: a name that is not UTF-8 must still be found and named exactly.
    names = readdirSync(records, { encoding: 'buffer' });
  } catch {
    // A student cannot list the drop directory: that is the point. Only instructors see the files.
  }
  if (names) problems.push(...recordEntryProblems(records, names, gid));
  return { dir: root, problems, gid };
}

/** What is wrong with each entry of the drop directory: planted ones (with the command that removes them), leaky modes, wrong groups. */
function recordEntryProblems(records: string, names: Buffer[], gid: number): CourseProblem[] {
  const out: CourseProblem[] = [];
  const entries: Array<{ raw: Buffer; shown: string; name: RecordFileName | null; st: Stats }> = [];
  for (const name of names.sort(Buffer.compare)) {
    const raw = Buffer.concat([Buffer.from(`${records}/`), name]);
    let st: Stats;
    try {
      st = lstatSync(raw);
    } catch {
      continue; // Removed while we looked.
    }
    const text = name.toString('utf8');
    const parsed = Buffer.from(text, 'utf8').equals(name) ? parseRecordFileName(text) : null;
    entries.push({ raw, shown: safeLine(raw.toString('utf8')), name: parsed, st });
  }
  // Only names their owner matches: the uids in the others are whatever a student chose, 100,000 of them if they like.
  const accounts = accountsOf(entries.filter((e) => e.name && e.st.uid === e.name.uid).map((e) => e.name!.uid));
  const planted = (e: (typeof entries)[number], why: string) =>
    out.push({
      severity: 'unsafe',
      message: `${e.shown} ${why}: planted, reports ignore it (remove it)`,
      command: `rm ${e.st.isDirectory() ? '-rf' : '-f'} -- ${shellQuote(e.raw)}`,
    });
  for (const e of entries) {
    if (!e.st.isFile()) {
      planted(e, `is ${kindOf(e.st)}, not a record file`);
      continue;
    }
    // Whatever its name and owner, a file everyone may read or write in the drop directory leaks.
    if (e.st.mode & 0o006)
      out.push({ severity: 'unsafe', message: `${e.shown} is readable or writable by everyone (mode ${octal(e.st.mode & 0o777)}; chmod 640)` });
    if (!e.name) {
      planted(e, `is not a record file name (<login>.<uid>.<16 hex>.jsonl)`);
      continue;
    }
    if (e.st.uid !== e.name.uid) {
      planted(e, `belongs to ${safeLine(describeUid(e.st.uid))}, not to uid ${e.name.uid} as its name says`);
      continue;
    }
    const account = accounts.get(e.name.uid);
    // A uid nobody has any more is a student who left: their records are still theirs.
    if (account && recordLogin(account.login) !== e.name.login) {
      planted(e, `is named for ${safeLine(e.name.login)}, but its owner uid ${e.name.uid} is ${safeLine(account.login)}`);
      continue;
    }
    if (e.st.nlink > 1) {
      // The student's own file, with another name somewhere: whoever made it can follow its size and time. Their tutor moves on to a new file.
      out.push({
        severity: 'unsafe',
        message: `${e.shown} has ${e.st.nlink} names (a hard link made to it); its owner's tutor now writes a new file: find the other names and remove those that are not in ${RECORDS_DIR}/`,
        command: `find ${shellQuote(mountOf(records))} -xdev -samefile ${shellQuote(e.raw)}`,
      });
    }
    if (e.st.gid !== gid) out.push({ severity: 'unsafe', message: `${e.shown} belongs to group ${e.st.gid}, not the course group ${gid} (chgrp ${gid})` });
  }
  return out;
}

/** What a non-regular entry is, in a word or two. */
function kindOf(st: Stats): string {
  if (st.isSymbolicLink()) return 'a symlink';
  if (st.isFIFO()) return 'a FIFO';
  if (st.isDirectory()) return 'a directory';
  if (st.isSocket()) return 'a socket';
  return 'a device';
}

/** The top of the filesystem a path is on (where `find -xdev` must start to see every hard link). */
function mountOf(path: string): string {
  let d = path;
  try {
    const dev = statSync(d).dev;
    while (d !== dirname(d) && statSync(dirname(d)).dev === dev) d = dirname(d);
  } catch {
    // Use what we have.
  }
  return d;
}

/**
 * Directories above the course directory whose owner or group could rename entries in them, and so
 * replace the course directory: world-writable without the sticky bit, group-writable without it for
 * a group other than root's and the instructors', or owned by someone neither root nor an instructor.
 * Both the path as given and the one it resolves to are walked (a symlinked parent leads elsewhere).
 */
function ancestorProblems(root: string, gid: number | null): CourseProblem[] {
  const out: CourseProblem[] = [];
  const seen = new Set<string>();
  const chains = [dirname(root)];
  try {
    chains.push(realpathSync(dirname(root)));
  } catch {
    // A parent we cannot resolve is reported by the lstat of the directory itself.
  }
  for (const start of chains) {
    for (let d = start; ; d = dirname(d)) {
      if (!seen.has(d)) {
        seen.add(d);
        try {
          const s = statSync(d);
          const sticky = (s.mode & S_ISVTX) !== 0;
          const shown = safeLine(d);
          if (s.mode & 0o002 && !sticky)
            out.push({
              severity: 'unsafe',
              message: `${shown} is writable by everyone without the sticky bit: anyone could replace the course directory inside it`,
            });
          else if (s.mode & 0o020 && !sticky && s.gid !== 0 && s.gid !== gid) {
            out.push({
              severity: 'unsafe',
              message: `${shown} is writable by the group ${safeLine(describeGid(s.gid))} without the sticky bit: any of its members could replace the course directory inside it`,
            });
          }
          if (gid !== null && !trustedOwner(s.uid, gid)) {
            out.push({
              severity: 'unsafe',
              message: `${shown} belongs to ${safeLine(describeUid(s.uid))}, who is neither root nor in ${safeLine(describeGid(gid))}: they could replace the course directory inside it`,
            });
          }
        } catch {
          // An ancestor we cannot stat is reported by the lstat of the directory itself.
        }
      }
      if (d === dirname(d)) break;
    }
  }
  return out;
}

/** The numeric id of a group given by name (looked up with getent, so LDAP groups work) or by number. */
export function groupId(group: string): number {
  if (/^\d+$/.test(group)) return Number(group);
  const r = spawnSync('getent', ['group', group], { encoding: 'utf8', timeout: 5000 });
  let line = r.status === 0 ? r.stdout.trim().split('\n')[0] : undefined;
  if (line === undefined && r.error) {
    // No getent (minimal containers): the local group file is all there is.
    line = readFileSync('/etc/group', 'utf8')
      .split('\n')
      .find((l) => l.split(':')[0] === group);
  }
  const gid = line?.split(':')[2];
  if (!gid || !/^\d+$/.test(gid)) throw new UserError(`no group named ${safeLine(group)}`, { hint: 'create it first (groupadd) or give a numeric gid' });
  return Number(gid);
}

/** What `initCourseDir` did. */
export interface InitResult {
  /** The course directory, absolute. */
  dir: string;
  /** The drop directory. */
  records: string;
  /** The group's numeric id. */
  gid: number;
  /** False when the directory was already a safe course directory and was left as it was. */
  created: boolean;
}

/**
 * Lays out a course directory for `group`, or accepts one already laid out safely. Refuses (with a
 * `UserError`) a directory whose permissions or owners would leak records (one that belongs to a
 * student, under a parent a student owns), a non-empty folder that is not a course directory, and a
 * group the caller cannot hand files to.
 */
export function initCourseDir(dir: string, group: string, options: { slurm?: SlurmDefaults } = {}): InitResult {
  const root = resolve(dir);
  const gid = groupId(group);
  const records = join(root, RECORDS_DIR);
  const shown = safeLine(root);
  const leaks = ancestorProblems(root, gid);
  if (leaks.length)
    throw new UserError(`refusing ${shown}: ${leaks[0]!.message}`, { hint: 'choose a directory under ones only root or the instructors can write' });

  let top: Stats | null = null;
  try {
    top = lstatSync(root);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw new UserError(`cannot use ${shown}: ${errnoText(err)}`);
  }
  if (top && !top.isDirectory())
    throw new UserError(`refusing ${shown}: it is not a directory (a symlink or a file)`, { hint: 'give a new or empty directory' });
  if (top && !trustedOwner(top.uid, gid)) {
    // Its owner could rename records/ away and put their own in its place, whatever its mode says.
    throw new UserError(
      `refusing ${shown}: it belongs to ${safeLine(describeUid(top.uid))}, who is neither root nor in ${safeLine(describeGid(gid))}: they could replace ${RECORDS_DIR}/ at any time`,
      {
        hint: 'remove it and run init again (init creates it), or chown root it first',
      },
    );
  }
  let existing: string[] | null = null;
  try {
    existing = top ? readdirSync(root) : null;
  } catch (err) {
    throw new UserError(`cannot use ${shown}: ${errnoText(err)}`);
  }
  if (existing?.includes(RECORDS_DIR)) {
    const check = checkCourseDir(root);
    const worst = check.problems.find((p) => p.severity === 'unsafe') ?? check.problems[0];
    if (worst)
      throw new UserError(`refusing ${shown}: ${worst.message}`, { hint: 'fix it as shown (eds instructor check lists everything), or init a new directory' });
    if (check.gid !== gid)
      throw new UserError(`${shown} is already a course directory for ${safeLine(describeGid(check.gid ?? -1))}, not ${safeLine(group)} (${gid})`);
    if (options.slurm) setCourseSlurm(root, options.slurm);
    return { dir: root, records, gid, created: false };
  }
  if (existing && existing.length > 0) {
    throw new UserError(`refusing ${shown}: it is not empty and not a course directory`, { hint: 'give a new or empty directory' });
  }

  try {
    mkdirSync(root, { recursive: true, mode: 0o755 });
    const made = lstatSync(root);
    // Our own umask must not take search or read away from students and instructors; the instructors' group
    // writes here too, to publish the class ranking (leaderboard.json). Never others: they could swap records/.
    chmodSync(root, (made.mode & 0o777 & ~0o002) | 0o775);
    chownSync(root, -1, gid);
    const description: CourseDescription = {
      format: 'eds-course',
      layout: 1,
      group,
      gid,
      created: new Date().toISOString(),
      created_by: VERSION,
      ...(options.slurm ? { slurm: options.slurm } : {}),
    };
    const fd = openSync(join(root, COURSE_FILE), constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | constants.O_NOFOLLOW, 0o644);
    try {
      writeSync(fd, JSON.stringify(description, null, 2) + '\n');
    } finally {
      closeSync(fd);
    }
    chmodSync(join(root, COURSE_FILE), 0o644);
    mkdirSync(records, { mode: 0o700 });
    // Group first, then the mode: chown clears setgid, and chmod drops it silently for a group we are not in.
    chownSync(records, -1, gid);
    chmodSync(records, RECORDS_MODE);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    const hint = code === 'EPERM' ? `run it as root, or as a member of ${group}` : undefined;
    throw new UserError(`cannot lay out ${shown}: ${errnoText(err)}`, hint ? { hint } : {});
  }
  const st = statSync(records);
  if ((st.mode & 0o7777) !== RECORDS_MODE || st.gid !== gid) {
    throw new UserError(`${safeLine(records)} ended up mode ${octal(st.mode & 0o7777)} group ${st.gid}, not ${octal(RECORDS_MODE)} group ${gid}`, {
      hint: `run it as root, or as a member of ${group}`,
    });
  }
  return { dir: root, records, gid, created: true };
}

/**
 * The Slurm settings in a course directory's course.json: null when it has none (or has no course.json), and a
 * problem when they cannot be read (the students' experiments then run where eds runs, and `eds doctor` says why).
 */
export function readCourseSlurm(dir: string): { slurm: SlurmDefaults | null; problem?: string } {
  const path = join(resolve(dir), COURSE_FILE);
  let text: string;
  try {
    const st = lstatSync(path);
    if (!st.isFile()) return { slurm: null, problem: `${safeLine(path)} is not a regular file` };
    // course.json is a few hundred bytes; anything large is not one.
    if (st.size > 64 * 1024) return { slurm: null, problem: `${safeLine(path)} is too large to be a course description` };
    text = readFileSync(path, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    return code === 'ENOENT' ? { slurm: null } : { slurm: null, problem: `cannot read ${safeLine(path)}: ${errnoText(err)}` };
  }
  try {
    const value = JSON.parse(text) as Partial<CourseDescription> | null;
    if (value?.slurm === undefined) return { slurm: null };
    return { slurm: parseSlurmDefaults(value.slurm, safeLine(path)) };
  } catch (err) {
    return { slurm: null, problem: err instanceof UserError ? err.message : `${safeLine(path)} is damaged` };
  }
}

/** Replaces the Slurm settings in course.json (written whole beside it, then renamed over it: never half a file). */
function setCourseSlurm(root: string, slurm: SlurmDefaults): void {
  const path = join(root, COURSE_FILE);
  let description: CourseDescription;
  try {
    description = JSON.parse(readFileSync(path, 'utf8')) as CourseDescription;
  } catch (err) {
    throw new UserError(`cannot read ${safeLine(path)}: ${errnoText(err)}`);
  }
  const kept: SlurmDefaults = {};
  for (const field of SLURM_FIELDS) if (slurm[field] !== undefined) (kept as Record<string, unknown>)[field] = slurm[field];
  const next = { ...description, slurm: kept };
  try {
    replaceFile(path, JSON.stringify(next, null, 2) + '\n');
  } catch (err) {
    throw new UserError(`cannot update ${safeLine(path)}: ${errnoText(err)}`, { hint: 'run it as the instructor who made the course directory, or as root' });
  }
}

/** Mode as 4 octal digits, as chmod takes it. */
export function octal(mode: number): string {
  return (mode & 0o7777).toString(8).padStart(4, '0');
}

/** An errno as a few words a person understands. */
export function errnoText(err: unknown): string {
  const e = err as NodeJS.ErrnoException;
  switch (e.code) {
    case 'ENOENT':
      return 'no such file or directory';
    case 'EACCES':
    case 'EPERM':
      return 'permission denied';
    case 'ENOTDIR':
      return 'a file is in the way of a directory';
    case 'EROFS':
      return 'read-only filesystem';
    case 'ENOSPC':
      return 'no space left on the device';
    case 'EDQUOT':
      return 'disk quota exceeded';
    default:
      return e.code ?? e.message;
  }
}
