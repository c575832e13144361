// Real Unix users for the course tests: made with useradd/groupadd as root, commands run as them with runuser,
// and everything made removed again in reverse.
import { spawn, spawnSync, type SpawnSyncReturns } from 'node:child_process';
import { chmodSync, chownSync, cpSync, mkdirSync, mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

export const REPO = resolve(import.meta.dirname, '../..');

export function sh(cmd: string, args: string[]): SpawnSyncReturns<string> {
  return spawnSync(cmd, args, { encoding: 'utf8', timeout: 60_000 });
}
/**
 * Runs a command without blocking the test worker: a long spawnSync (find over a whole file system on a loaded CI
 * machine) starves vitest's worker RPC ("Timeout calling onTaskUpdate"). A command past `timeoutMs` is killed and
 * reads as status null with `timedOut` set, so the test can say so rather than fail on an empty stderr.
 */
export function shAsync(cmd: string, args: string[], timeoutMs: number): Promise<{ status: number | null; stdout: string; stderr: string; timedOut: boolean }> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    let timedOut = false;
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill('SIGKILL');
    }, timeoutMs);
    child.on('error', reject);
    child.on('close', (status) => {
      clearTimeout(timer);
      resolve({ status, stdout, stderr, timedOut });
    });
  });
}
export function must(cmd: string, args: string[]): string {
  const r = sh(cmd, args);
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} failed: ${r.stderr || r.error?.message}`);
  return r.stdout;
}
/** Quotes for sh. */
export const q = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;

/** Fails (rather than skips) a suite that creates users when it is not root. */
export function requireRoot(file: string, hint = ': sudo npx vitest run test/course'): void {
  if (process.getuid?.() !== 0) throw new Error(`${file} creates Unix users and must run as root (CI does)${hint}`);
}

/** Runs a shell command as `user` with an empty environment apart from PATH and `env`, under umask 077. */
export function runAs(
  user: string,
  script: string,
  env: Record<string, string>,
  options: { timeout?: number; maxBuffer?: number } = {},
): SpawnSyncReturns<string> {
  const pairs = Object.entries({ PATH: process.env.PATH ?? '/usr/bin:/bin', ...env }).map(([k, v]) => `${k}=${v}`);
  return spawnSync('runuser', ['-u', user, '--', 'env', '-i', ...pairs, 'sh', '-c', `umask 077; ${script}`], {
    encoding: 'utf8',
    timeout: options.timeout ?? 60_000,
    ...(options.maxBuffer ? { maxBuffer: options.maxBuffer } : {}),
  });
}

/** Adds a group, noted in `made`. */
export function addGroup(made: string[], group: string): void {
  must('groupadd', [group]);
  made.push(`group:${group}`);
}
/** Adds a user without a home (primary group `primary`, or the default one; also in `extra`), noted in `made`; returns the uid. */
export function addUser(made: string[], user: string, groups: { primary?: string; extra?: string } = {}): number {
  const primary = groups.primary ? ['-g', groups.primary] : ['-N'];
  must('useradd', ['-M', ...primary, '-d', '/nonexistent', '-s', '/usr/sbin/nologin', ...(groups.extra ? ['-G', groups.extra] : []), user]);
  made.push(`user:${user}`);
  return Number(must('id', ['-u', user]).trim());
}
/** A folder of mode 700 owned by `uid`. */
export function ownedDir(path: string, uid: number): void {
  mkdirSync(path, { mode: 0o700 });
  chownSync(path, uid, -1);
}
/** Undoes `made` in reverse, each step on its own so one failure does not leave users behind, then removes `base`. */
export function removeMade(made: string[], base: string): void {
  for (const item of made.reverse()) {
    const [kind, name] = item.split(':') as [string, string];
    sh(kind === 'user' ? 'userdel' : 'groupdel', [name]);
  }
  if (base) rmSync(base, { recursive: true, force: true });
}

/**
 * A copy of what runs (bin, dist, lessons, datasets) at `base`/app, readable by all; node_modules hard-linked when
 * `modules` is 'hardlink' (a symlink where that fails), else symlinked. Returns the app folder.
 */
export function snapshotApp(base: string, modules: 'hardlink' | 'symlink'): string {
  const app = join(base, 'app');
  mkdirSync(app, { mode: 0o755 });
  for (const part of ['bin', 'dist', 'lessons', 'datasets', 'package.json']) cpSync(join(REPO, part), join(app, part), { recursive: true });
  if (modules === 'symlink' || sh('cp', ['-al', join(REPO, 'node_modules'), join(app, 'node_modules')]).status !== 0)
    symlinkSync(join(REPO, 'node_modules'), join(app, 'node_modules'));
  sh('chmod', ['-R', 'a+rX', app]);
  return app;
}
/** `eds instructor init course --group group`, with the app's eds. */
export function initCourse(app: string, course: string, group: string): void {
  must('node', [join(app, 'bin/eds.js'), 'instructor', 'init', course, '--group', group]);
}

/** What `setUpClass` made. */
export interface Classroom {
  /** The folder holding the homes, the app copy (if any) and the course directory; removed by `removeMade`. */
  base: string;
  /** What runs: the checkout when the users can read it, else a copy under `base`. */
  app: string;
  /** The course directory, laid out by `eds instructor init`. */
  course: string;
}

/**
 * One instructors' group and its users, each with a home of their own, the app where they can read it, and a
 * course directory for the group. `users` are made in order (the `instructors` among them join the group);
 * their uids and homes are filled into `uids` and `homes`.
 */
export function setUpClass(
  made: string[],
  options: {
    prefix: string;
    group: string;
    users: readonly string[];
    instructors: readonly string[];
    uids: Record<string, number>;
    homes: Record<string, string>;
  },
): Classroom {
  const { group, users, instructors, uids, homes } = options;
  const base = mkdtempSync(join(tmpdir(), options.prefix));
  chmodSync(base, 0o755);
  addGroup(made, group);
  for (const user of users) {
    uids[user] = addUser(made, user, instructors.includes(user) ? { extra: group } : {});
    homes[user] = join(base, `home-${user}`);
    ownedDir(homes[user]!, uids[user]!);
  }
  // The users must be able to read the program; a checkout they cannot read (under /root) is copied.
  const first = users[0]!;
  const readable = runAs(first, `test -r ${q(join(REPO, 'dist/cli/main.js'))} && test -x ${q(join(REPO, 'node_modules'))}`, {
    HOME: homes[first]!,
    EDS_COURSE_DIR: '',
  });
  const app = readable.status === 0 ? REPO : snapshotApp(base, 'hardlink');
  const course = join(base, 'course');
  initCourse(app, course, group);
  return { base, app, course };
}
