// The course directory on disk: `eds instructor init` lays it out, `checkCourseDir` says whether its permissions keep records private.
//
// Layout:  DIR/                     0775, group = the instructors' group
//          DIR/course.json          what this is, for which group (0644)
//          DIR/leaderboard.json     the class ranking an instructor published (0644, optional)
//          DIR/records/             the drop directory, mode 3773, group = the instructors' group
//          DIR/records/<user>.<uid>.jsonl   one student's records, 0640, owned by the student
//
// Why 3773: others (students) get write+search but no read, so they can create their own file
// and open it by name but cannot list the directory; the sticky bit stops them deleting or
// renaming files they do not own; setgid makes every new file belong to the instructors' group,
// which reads it through the file's 0640 (a student's own primary group, often shared by the
// whole class, never sees it). The group gets rwx so an instructor can try the tutor too.
import { spawnSync } from 'node:child_process';
import { chmodSync, chownSync, closeSync, lstatSync, mkdirSync, openSync, readdirSync, readFileSync, statSync, writeSync, constants } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { UserError } from '../cli/errors.js';
import { VERSION } from '../version.js';

/** Name of the description file at the top of a course directory. */
export const COURSE_FILE = 'course.json';
/** Name of the class ranking an instructor publishes for the students (`eds instructor leaderboard --publish`). */
export const RANKING_FILE = 'leaderboard.json';
/** Name of the drop directory holding one record file per student. */
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
}

/** One thing wrong with a course directory. */
export interface CourseProblem {
  /** 'unsafe': records could leak or be tampered with; 'unusable': students cannot write or instructors cannot read. */
  severity: 'unsafe' | 'unusable';
  /** One line saying what and why, naming the path. */
  message: string;
}

/** The result of `checkCourseDir`. */
export interface CourseDirCheck {
  /** The course directory, absolute. */
  dir: string;
  /** Everything found wrong; empty when the directory is safe and usable. */
  problems: CourseProblem[];
}

/** Mode bits, named for readability. */
const S_ISGID = 0o2000;
const S_ISVTX = 0o1000;

/**
 * Checks a course directory's permissions from the caller's point of view: the drop directory's
 * mode and group, its ancestors (anyone able to rename one could swap in a directory of their
 * own), and, when the caller may list it (an instructor), every record file's mode and group.
 */
export function checkCourseDir(dir: string): CourseDirCheck {
  const root = resolve(dir);
  const problems: CourseProblem[] = [];
  const unsafe = (message: string) => problems.push({ severity: 'unsafe', message });
  const unusable = (message: string) => problems.push({ severity: 'unusable', message });

  problems.push(...ancestorProblems(root));
  let top;
  try {
    top = lstatSync(root);
  } catch (err) {
    unusable(`${root}: ${errnoText(err)}`);
    return { dir: root, problems };
  }
  if (!top.isDirectory()) {
    unusable(`${root}: not a directory`);
    return { dir: root, problems };
  }
  if (top.mode & 0o002) unsafe(`${root} is writable by everyone: anyone could replace the records directory (chmod o-w)`);
  try {
    const ranking = lstatSync(join(root, RANKING_FILE));
    // Every student's tutor shows this file: nobody but the instructors may change it.
    if (ranking.mode & 0o002 || !ranking.isFile()) unsafe(`${join(root, RANKING_FILE)} could be changed by anyone (a symlink, or writable by everyone): publish it again`);
  } catch {
    // Not published yet.
  }
  const records = join(root, RECORDS_DIR);
  let st;
  try {
    st = lstatSync(records);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    unusable(code === 'ENOENT' ? `${root} is not a course directory (no ${RECORDS_DIR}/); run eds instructor init` : `${records}: ${errnoText(err)}`);
    return { dir: root, problems };
  }
  if (!st.isDirectory()) {
    // A symlink could point anywhere, world-readable included: refuse rather than follow it.
    unsafe(`${records} is not a plain directory (a symlink or a file)`);
    return { dir: root, problems };
  }
  const mode = st.mode & 0o7777;
  const fix = `chmod 3773 ${records}`;
  if (mode & 0o004) unsafe(`${records} is listable by everyone (mode ${octal(mode)}): students could find and read each other's records (${fix})`);
  if (mode & 0o002 && !(mode & S_ISVTX)) unsafe(`${records} lacks the sticky bit (mode ${octal(mode)}): students could delete or rename each other's records (${fix})`);
  if (!(mode & S_ISGID)) unsafe(`${records} lacks the setgid bit (mode ${octal(mode)}): record files would belong to each student's own group, which other students may share (${fix})`);
  if ((mode & 0o003) !== 0o003) unusable(`${records} does not let students add records (mode ${octal(mode)}; others need write and search: ${fix})`);
  if ((mode & 0o050) !== 0o050) unusable(`${records} does not let the instructors' group list it (mode ${octal(mode)}; ${fix})`);

  let names: string[] | null = null;
  try {
    names = readdirSync(records);
  } catch {
    // A student cannot list the drop directory: that is the point. Only instructors see the files.
  }
  for (const name of names ?? []) {
    const path = join(records, name);
    let f;
    try {
      f = lstatSync(path);
    } catch {
      continue; // Removed while we looked.
    }
    if (!f.isFile()) {
      unsafe(`${path} is not a regular file; reports ignore it (remove it)`);
      continue;
    }
    if (f.mode & 0o006) unsafe(`${path} is readable or writable by everyone (mode ${octal(f.mode & 0o777)}; chmod 640)`);
    if (f.gid !== st.gid) unsafe(`${path} belongs to group ${f.gid}, not the course group ${st.gid} (chgrp ${st.gid})`);
  }
  return { dir: root, problems };
}

/** Directories above the course directory that anyone may rename entries in (world-writable without the sticky bit). */
function ancestorProblems(root: string): CourseProblem[] {
  const out: CourseProblem[] = [];
  for (let d = dirname(root); ; d = dirname(d)) {
    try {
      const s = statSync(d);
      if (s.mode & 0o002 && !(s.mode & S_ISVTX)) {
        out.push({ severity: 'unsafe', message: `${d} is writable by everyone without the sticky bit: anyone could replace the course directory inside it` });
      }
    } catch {
      // An ancestor we cannot stat is reported by the lstat of the directory itself.
    }
    if (d === dirname(d)) break;
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
    line = readFileSync('/etc/group', 'utf8').split('\n').find((l) => l.split(':')[0] === group);
  }
  const gid = line?.split(':')[2];
  if (!gid || !/^\d+$/.test(gid)) throw new UserError(`no group named ${group}`, { hint: 'create it first (groupadd) or give a numeric gid' });
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
 * `UserError`) a directory whose permissions would leak records, a non-empty folder that is not a
 * course directory, and a group the caller cannot hand files to.
 */
export function initCourseDir(dir: string, group: string): InitResult {
  const root = resolve(dir);
  const gid = groupId(group);
  const records = join(root, RECORDS_DIR);
  const leaks = ancestorProblems(root);
  if (leaks.length) throw new UserError(`refusing ${root}: ${leaks[0]!.message}`, { hint: 'choose a directory under one only its owner can write' });

  let existing: string[] | null = null;
  try {
    existing = readdirSync(root);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw new UserError(`cannot use ${root}: ${errnoText(err)}`);
  }
  if (existing && existing.includes(RECORDS_DIR)) {
    const check = checkCourseDir(root);
    const worst = check.problems.find((p) => p.severity === 'unsafe') ?? check.problems[0];
    if (worst) throw new UserError(`refusing ${root}: ${worst.message}`, { hint: 'fix the permissions as shown, or init a new directory' });
    const st = statSync(records);
    if (st.gid !== gid) throw new UserError(`${root} is already a course directory for group ${st.gid}, not ${group} (${gid})`);
    return { dir: root, records, gid, created: false };
  }
  if (existing && existing.length > 0) {
    throw new UserError(`refusing ${root}: it is not empty and not a course directory`, { hint: 'give a new or empty directory' });
  }

  try {
    mkdirSync(root, { recursive: true, mode: 0o755 });
    const top = lstatSync(root);
    // Our own umask must not take search or read away from students and instructors; the instructors' group
    // writes here too, to publish the class ranking (leaderboard.json). Never others: they could swap records/.
    chmodSync(root, (top.mode & 0o777 & ~0o002) | 0o775);
    chownSync(root, -1, gid);
    const description: CourseDescription = { format: 'eds-course', layout: 1, group, gid, created: new Date().toISOString(), created_by: VERSION };
    const fd = openSync(join(root, COURSE_FILE), constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL, 0o644);
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
    throw new UserError(`cannot lay out ${root}: ${errnoText(err)}`, hint ? { hint } : {});
  }
  const st = statSync(records);
  if ((st.mode & 0o7777) !== RECORDS_MODE || st.gid !== gid) {
    throw new UserError(`${records} ended up mode ${octal(st.mode & 0o7777)} group ${st.gid}, not ${octal(RECORDS_MODE)} group ${gid}`, {
      hint: `run it as root, or as a member of ${group}`,
    });
  }
  return { dir: root, records, gid, created: true };
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
