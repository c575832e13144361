// Where the shared course directory is: $EDS_COURSE_DIR, else the first config file that names one.
import { closeSync, fstatSync, openSync, readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { basename, dirname, isAbsolute, join, resolve } from 'node:path';
import { UserError } from '../errors.js';
import { PACKAGE_ROOT } from '../version.js';
import { parseSlurmDefaults, type SlurmDefaults } from './slurm-defaults.js';

/** Where the course directory setting came from, so `eds doctor` can say which file to fix. */
export interface CourseDirSetting {
  /** Absolute path of the course directory. */
  dir: string;
  /** 'EDS_COURSE_DIR' or the path of the config file that named it. */
  source: string;
  /** The instructors' group the config file pins (name or gid): a course directory for another group is refused. */
  group?: string;
}

/** What a config file holds (`config.json`, UTF-8 JSON). */
export interface EdsConfigFile {
  /** Absolute path of the course directory made by `eds instructor init`. */
  course_dir?: string;
  /** The instructors' group it was made for (name or gid), as given to `init --group`. */
  group?: string;
  /** Slurm settings over the course's (a student's own file may turn Slurm off with `"enabled": false`). */
  slurm?: SlurmDefaults;
}

/**
 * The config files read, first match wins: the user's own (`$XDG_CONFIG_HOME/eds/config.json`,
 * else `~/.config/eds/config.json`), then the one beside a class-wide install
 * (`<prefix>/etc/eds/config.json` for `npm install -g --prefix <prefix>`), then `/etc/eds/config.json`.
 */
export function configFiles(env: NodeJS.ProcessEnv = process.env, packageRoot: string = PACKAGE_ROOT): string[] {
  const xdg = env.XDG_CONFIG_HOME && isAbsolute(env.XDG_CONFIG_HOME) ? env.XDG_CONFIG_HOME : join(env.HOME || homedir(), '.config');
  const files = [join(xdg, 'eds', 'config.json')];
  const prefix = installPrefix(packageRoot);
  if (prefix) files.push(join(prefix, 'etc', 'eds', 'config.json'));
  files.push('/etc/eds/config.json');
  return files;
}

/** The npm prefix when the package sits at `<prefix>/lib/node_modules/<name>` (a global install), else null. */
export function installPrefix(packageRoot: string = PACKAGE_ROOT): string | null {
  const modules = dirname(resolve(packageRoot));
  if (basename(modules) !== 'node_modules' || basename(dirname(modules)) !== 'lib') return null;
  return dirname(dirname(modules));
}

/** The course directory in effect, or null when none is configured. Throws `UserError` for an unreadable or malformed config file. */
export function resolveCourseDir(env: NodeJS.ProcessEnv = process.env, packageRoot: string = PACKAGE_ROOT): CourseDirSetting | null {
  if (env.EDS_COURSE_DIR) return { dir: resolve(env.EDS_COURSE_DIR), source: 'EDS_COURSE_DIR' };
  for (const file of configFiles(env, packageRoot)) {
    const config = readConfig(file);
    if (config?.course_dir) return { dir: config.course_dir, source: file, ...(config.group !== undefined ? { group: config.group } : {}) };
  }
  return null;
}

/**
 * Reads one config file; null when it does not exist. A file that is not the user's own must belong
 * to root and be writable by nobody else (by root's group at most): whoever could change it could
 * send every student's answers to a directory of their own.
 */
export function readConfig(file: string): EdsConfigFile | null {
  let text: string;
  try {
    const fd = openSync(file, 'r');
    try {
      const st = fstatSync(fd);
      const me = process.getuid?.();
      if (me !== undefined && st.uid !== me) {
        if (st.uid !== 0) throw new UserError(`${file}: not used, it belongs to uid ${st.uid}, not to root or you: they could point eds anywhere`);
        if (st.mode & 0o002 || (st.mode & 0o020 && st.gid !== 0))
          throw new UserError(`${file}: not used, anyone besides root could change it (mode ${(st.mode & 0o777).toString(8)}; chmod go-w)`);
      }
      text = readFileSync(fd, 'utf8');
    } finally {
      closeSync(fd);
    }
  } catch (err) {
    if (err instanceof UserError) throw err;
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') return null;
    throw new UserError(`${file}: cannot read the eds config file (${code ?? (err as Error).message})`);
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err) {
    throw new UserError(`${file}: not valid JSON (${(err as Error).message})`, { hint: 'expected {"course_dir": "/absolute/path", "group": "GROUP"}' });
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw new UserError(`${file}: expected a JSON object such as {"course_dir": "/absolute/path", "group": "GROUP"}`);
  }
  const dir = (value as Record<string, unknown>).course_dir;
  if (dir !== undefined && (typeof dir !== 'string' || !isAbsolute(dir))) {
    throw new UserError(`${file}: course_dir must be an absolute path, got ${JSON.stringify(dir)}`);
  }
  const group = (value as Record<string, unknown>).group;
  if (group !== undefined && (typeof group !== 'string' || !/^[A-Za-z0-9._][A-Za-z0-9._-]*\$?$/.test(group))) {
    throw new UserError(`${file}: group must be a group name or gid, got ${JSON.stringify(group)}`);
  }
  const slurm = (value as Record<string, unknown>).slurm;
  return {
    course_dir: dir as string | undefined,
    ...(group !== undefined ? { group: group as string } : {}),
    ...(slurm !== undefined ? { slurm: parseSlurmDefaults(slurm, file) } : {}),
  };
}

/** The Slurm settings of the first config file that has any, and which file that is; null when none does. */
export function resolveSlurmConfig(env: NodeJS.ProcessEnv = process.env, packageRoot: string = PACKAGE_ROOT): { slurm: SlurmDefaults; source: string } | null {
  for (const file of configFiles(env, packageRoot)) {
    const config = readConfig(file);
    if (config?.slurm) return { slurm: config.slurm, source: file };
  }
  return null;
}
