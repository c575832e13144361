// Opens the student's database file: access checks, journal mode, integrity check, migration, and setting a damaged file aside.
//
// A damaged database is never deleted or overwritten: it may hold the only copy of a
// student's answers, and someone may be able to recover it. It is renamed, together with its
// journal files, and a fresh database takes its place.
import Database from 'better-sqlite3';
import {
  accessSync,
  closeSync,
  constants,
  existsSync,
  lstatSync,
  mkdirSync,
  openSync,
  readlinkSync,
  readSync,
  renameSync,
  statSync,
  type Stats,
} from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { UserError } from '../errors.js';
import { safeLine } from '../util/safe-text.js';
import { chooseJournalMode, type JournalMode, type StatfsType } from './filesystem.js';
import { migrate } from './schema.js';

/** File name of the database inside the data directory. */
export const DATABASE_FILE = 'eds.db';

/** How long a process waits for another one's write lock before giving up (ms). */
export const BUSY_TIMEOUT_MS = 5000;

/** An open, checked, migrated database and what the student should be told about it. */
export interface OpenedDatabase {
  /** The connection. */
  db: Database.Database;
  /** Absolute path of the database file. */
  file: string;
  /** The journal mode SQLite reports after we asked for ours. */
  journalMode: JournalMode;
  /** Lines for the caller to show. */
  warnings: string[];
  /** Where a damaged database was moved to, if one was. */
  movedAside: string | null;
}

/** Injectable pieces, for tests. */
export interface OpenDatabaseHooks {
  /** Replaces `statfs(2)` when detecting network filesystems. */
  statfsType?: StatfsType;
  /** The clock used to name a damaged file (default: now). */
  now?: () => Date;
}

/** Opens (creating if needed) the database in `home`. Throws `UserError` for problems the student can fix. */
export function openDatabase(home: string, user: string, env: NodeJS.ProcessEnv, hooks: OpenDatabaseHooks = {}): OpenedDatabase {
  const dir = resolve(home);
  const file = join(dir, DATABASE_FILE);
  prepareDirectory(dir, file);
  const choice = chooseJournalMode(dir, env, hooks.statfsType);
  const warnings = [...choice.warnings];

  const first = tryOpen(file, choice.mode);
  if (first.ok) return { db: first.db, file, journalMode: first.mode, warnings: [...warnings, ...first.warnings], movedAside: null };

  const movedAside = setAside(file, first.identity, hooks.now ?? (() => new Date()));
  prepareDirectory(dir, file);
  const second = tryOpen(file, choice.mode);
  if (!second.ok) {
    // A database we just created is damaged: the disk or the filesystem is failing, not the file.
    throw new UserError(`the progress database ${file} is damaged again right after being recreated (${second.reason})`, {
      hint: 'check the disk (df, dmesg), or set EDS_HOME to a directory on another filesystem',
    });
  }
  const where = movedAside ? `moved it to ${movedAside}` : 'another eds process moved it aside';
  warnings.push(`the progress database ${file} was damaged (${first.reason}); ${where} and started a fresh one`);
  second.db
    .prepare(`INSERT INTO events (time, user, kind, lesson, detail) VALUES (?, ?, 'damaged-database-set-aside', NULL, ?)`)
    .run(new Date().toISOString(), user, JSON.stringify({ movedTo: movedAside, reason: first.reason }));
  return { db: second.db, file, journalMode: second.mode, warnings: [...warnings, ...second.warnings], movedAside };
}

/** Creates the directory (0700: answers are private) and checks we may use it, in one clear line if not. */
function prepareDirectory(dir: string, file: string): void {
  try {
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    // SQLite creates journal files beside the database, so the directory must be writable too.
    accessSync(dir, constants.R_OK | constants.W_OK | constants.X_OK);
    refuseLinks(file);
    if (existsSync(file)) {
      // A directory, pipe or device in the database's place: SQLite would say only EISDIR, or block on a pipe.
      const stats = statSync(file);
      if (!stats.isFile()) {
        const what = stats.isDirectory() ? 'a directory' : stats.isFIFO() ? 'a named pipe' : stats.isSocket() ? 'a socket' : 'a device or other special file';
        throw new UserError(`the progress database ${file} is ${what}, not a file, so eds cannot keep your answers there`, {
          hint: `move it out of the way (mv ${file} ${file}.aside) and run eds again, or set EDS_HOME to another directory`,
        });
      }
      accessSync(file, constants.R_OK | constants.W_OK);
    } else {
      // Create it ourselves, private: SQLite would use 0644, and its journals copy the database's mode.
      // O_NOFOLLOW: a link planted since refuseLinks looked is not followed to create a file where it points.
      closeSync(openSync(file, constants.O_WRONLY | constants.O_CREAT | constants.O_APPEND | constants.O_NOFOLLOW, 0o600));
    }
  } catch (err) {
    if (err instanceof UserError) throw err;
    throw accessError(err, dir);
  }
}

/**
 * Refuses a symbolic link as the database or as one of its journals, whoever made it: planted in a data directory
 * someone else can write (a shared /tmp, a home prepared by another user), it would send the student's answers
 * wherever it points, and SQLite creates the target when it is missing.
 */
function refuseLinks(file: string): void {
  for (const path of [file, ...SIDECARS.map((suffix) => file + suffix)]) {
    let target: string;
    try {
      if (!lstatSync(path).isSymbolicLink()) continue;
      target = safeLine(readlinkSync(path), 200);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') continue;
      throw err;
    }
    const planted = 'if you did not make this link, someone else may have: remove it';
    if (path !== file) {
      throw new UserError(`${path}, beside the progress database, is a symbolic link to ${target}; SQLite would write your answers wherever it points`, {
        hint: `${planted} (rm ${path}) and run eds again`,
      });
    }
    // A link to a directory, pipe or device is reported as what it points to, with how to move it away.
    let pointsTo: Stats | null = null;
    try {
      pointsTo = statSync(file);
    } catch {
      // Dangling, or a loop: refused as a link.
    }
    if (pointsTo && !pointsTo.isFile()) continue;
    throw new UserError(
      `the progress database ${file} is a symbolic link to ${target}; eds keeps your answers only in a file of its own, not wherever a link points`,
      {
        hint: `${planted} (rm ${file}) and run eds again; to keep your data elsewhere, set EDS_HOME to that directory instead`,
      },
    );
  }
}

function accessError(err: unknown, dir: string): UserError {
  const e = err as NodeJS.ErrnoException;
  const path = e.path ?? dir;
  const why =
    e.code === 'EACCES' || e.code === 'EPERM'
      ? 'permission denied'
      : e.code === 'ENOTDIR' || e.code === 'EEXIST'
        ? 'a file is in the way of the directory'
        : e.code === 'ELOOP'
          ? 'a symbolic link is in the way'
          : e.code === 'EROFS'
            ? 'read-only filesystem'
            : e.code === 'ENOSPC'
              ? 'no space left on the device'
              : (e.code ?? e.message);
  const where = path === dir ? '' : ` (${path})`;
  return new UserError(`cannot use the data directory ${dir}: ${why}${where}`, {
    hint: 'fix its permissions (ls -ld), or set EDS_HOME to a directory you own',
  });
}

/** Which file we judged damaged: moving aside is skipped if another process already replaced it. */
interface FileIdentity {
  dev: number;
  ino: number;
}

type TryOpen = { ok: true; db: Database.Database; mode: JournalMode; warnings: string[] } | { ok: false; reason: string; identity: FileIdentity | null };

/** SQLite result codes that mean the file itself is bad, not that it is busy or inaccessible. */
const DAMAGE_CODES = new Set(['SQLITE_NOTADB', 'SQLITE_CORRUPT', 'SQLITE_CORRUPT_VTAB', 'SQLITE_CORRUPT_SEQUENCE', 'SQLITE_CORRUPT_INDEX']);

/** The first 16 bytes of every SQLite 3 database file. */
const SQLITE_MAGIC = Buffer.from('SQLite format 3\0', 'latin1');

/**
 * Whether the file is empty (a new database) or starts like a database. Checked before SQLite
 * sees the file because SQLite, on closing a file it could not read, deletes a -wal beside it.
 */
function looksLikeDatabase(file: string): boolean {
  const fd = openSync(file, 'r');
  try {
    const head = Buffer.alloc(SQLITE_MAGIC.length);
    const n = readSync(fd, head, 0, head.length, 0);
    return n === 0 || (n === head.length && head.equals(SQLITE_MAGIC));
  } finally {
    closeSync(fd);
  }
}

function tryOpen(file: string, mode: JournalMode): TryOpen {
  const identity = fileIdentity(file);
  try {
    if (!looksLikeDatabase(file)) return { ok: false, reason: 'file is not a database', identity };
  } catch (err) {
    throw accessError(err, dirname(file));
  }
  let db: Database.Database | undefined;
  try {
    db = new Database(file, { timeout: BUSY_TIMEOUT_MS });
    const warnings: string[] = [];
    db.pragma(`busy_timeout = ${BUSY_TIMEOUT_MS}`);
    const actual = setJournalMode(db, mode, file, warnings);
    // FULL: each commit is on disk before it returns (also in WAL mode, where NORMAL would not be).
    db.pragma('synchronous = FULL');
    const check = db.pragma('quick_check(1)', { simple: true });
    if (check !== 'ok') {
      db.close();
      // SQLite's report spans lines ("*** in database main ***\nTree 2 page 2 …"): the warning is one.
      const report = String(check).replace('*** in database main ***', '').replace(/\s+/g, ' ').trim();
      return { ok: false, reason: `integrity check: ${report}`, identity };
    }
    migrate(db, file);
    return { ok: true, db, mode: actual, warnings };
  } catch (err) {
    if (db?.open) db.close();
    const code = (err as { code?: unknown }).code;
    if (typeof code === 'string' && DAMAGE_CODES.has(code)) {
      return { ok: false, reason: (err as Error).message, identity };
    }
    throw sqliteError(err, file);
  }
}

function setJournalMode(db: Database.Database, mode: JournalMode, file: string, warnings: string[]): JournalMode {
  let actual: string;
  try {
    actual = String(db.pragma(`journal_mode = ${mode}`, { simple: true })).toLowerCase();
  } catch (err) {
    // Leaving WAL needs every other connection closed; another eds may hold it open. Keep
    // whatever mode the file is in rather than refusing to start.
    if ((err as { code?: unknown }).code !== 'SQLITE_BUSY') throw err;
    actual = String(db.pragma('journal_mode', { simple: true })).toLowerCase();
  }
  if (actual !== mode) {
    warnings.push(`${file} stays in journal mode ${actual} (wanted ${mode}): another eds has it open`);
  }
  // The store only ever asks for these two; anything else was set by hand and works like 'delete'.
  return actual === 'wal' ? 'wal' : 'delete';
}

/** Turns SQLite errors a student can act on (locked, read-only, disk full) into a `UserError`; returns anything else unchanged. */
export function sqliteError(err: unknown, file: string): unknown {
  if (err instanceof UserError) return err;
  const code = (err as { code?: unknown }).code;
  const message = err instanceof Error ? err.message : String(err);
  if (typeof code !== 'string') return err;
  if (code.startsWith('SQLITE_BUSY') || code.startsWith('SQLITE_LOCKED')) {
    return new UserError(`the progress database ${file} stayed locked by another process for ${BUSY_TIMEOUT_MS / 1000} s`, {
      hint: 'close other eds sessions, or try again',
    });
  }
  if (code.startsWith('SQLITE_CANTOPEN') || code.startsWith('SQLITE_READONLY') || code.startsWith('SQLITE_PERM') || code.startsWith('SQLITE_AUTH')) {
    return new UserError(`cannot open the progress database ${file}: ${message}`, {
      hint: 'check the permissions of the file and its directory, or set EDS_HOME to a directory you own',
    });
  }
  if (code.startsWith('SQLITE_FULL') || code.startsWith('SQLITE_IOERR')) {
    return new UserError(`cannot write the progress database ${file}: ${message}`, {
      hint: 'check free space and quota (df -h, quota), or set EDS_HOME to another directory',
    });
  }
  return err;
}

function fileIdentity(file: string): FileIdentity | null {
  try {
    const s = statSync(file);
    return { dev: s.dev, ino: s.ino };
  } catch {
    return null;
  }
}

/** Suffixes of the files SQLite keeps beside a database; they belong with it. */
const SIDECARS = ['-journal', '-wal', '-shm'];

/**
 * Renames a damaged database and its journal files to `<file>.damaged-<time>` (+ `-wal`, …,
 * which is where SQLite looks for them if someone opens the renamed file to recover it).
 * Returns the new path, or null if another process had already moved it.
 */
function setAside(file: string, identity: FileIdentity | null, now: () => Date): string | null {
  const current = fileIdentity(file);
  if (identity && (!current || current.dev !== identity.dev || current.ino !== identity.ino)) return null;
  const stamp = now().toISOString().replace(/[:.]/g, '-');
  let target = `${file}.damaged-${stamp}`;
  // rename() replaces an existing file silently: never let it overwrite an earlier damaged copy.
  for (let n = 2; [target, ...SIDECARS.map((s) => target + s)].some((p) => existsSync(p)); n++) {
    target = `${file}.damaged-${stamp}-${n}`;
  }
  try {
    renameSync(file, target);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw accessError(err, dirname(file));
  }
  for (const suffix of SIDECARS) {
    try {
      renameSync(file + suffix, target + suffix);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw accessError(err, dirname(file));
    }
  }
  return target;
}
