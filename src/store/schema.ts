// The store's SQLite schema and its migrations, versioned with PRAGMA user_version.
//
// A later eds that needs a new column appends a migration here; databases written by any
// earlier eds are brought up to date when they are opened. Migrations only ever add: the
// attempt log is the course's record and is never rewritten.
import type Database from 'better-sqlite3';
import { UserError } from '../errors.js';

/** One step of the schema's history. */
export interface Migration {
  /** The user_version the database has after this migration. */
  version: number;
  /** What it changes, for people reading the history. */
  description: string;
  /** SQL run inside the migration's transaction. */
  sql: string;
}

/** Every migration, oldest first; versions are 1, 2, 3, … without gaps. */
export const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    description: 'attempt log, progress per lesson and step, events, settings',
    sql: `
      CREATE TABLE attempts (
        id             INTEGER PRIMARY KEY AUTOINCREMENT,
        time           TEXT    NOT NULL,
        user           TEXT    NOT NULL,
        lesson         TEXT    NOT NULL,
        question       TEXT    NOT NULL,
        answer         TEXT    NOT NULL,
        correct        INTEGER CHECK (correct IN (0, 1)),
        attempt_number INTEGER NOT NULL CHECK (attempt_number >= 1),
        seconds_spent  REAL    NOT NULL,
        seed           INTEGER,
        version        TEXT    NOT NULL,
        -- Two processes of one student cannot both log "attempt 3" of a question.
        UNIQUE (user, lesson, question, attempt_number)
      );
      -- The log is the course's record of what a student answered: nothing may rewrite it.
      CREATE TRIGGER attempts_append_only_update BEFORE UPDATE ON attempts
        BEGIN SELECT RAISE(ABORT, 'the attempt log is append-only'); END;
      CREATE TRIGGER attempts_append_only_delete BEFORE DELETE ON attempts
        BEGIN SELECT RAISE(ABORT, 'the attempt log is append-only'); END;

      CREATE TABLE progress (
        user         TEXT    NOT NULL,
        lesson       TEXT    NOT NULL,
        current_step INTEGER NOT NULL,
        updated      TEXT    NOT NULL,
        -- Increases with every change, so "the lesson touched last" has no ties within a millisecond.
        touch        INTEGER NOT NULL,
        PRIMARY KEY (user, lesson)
      );
      CREATE INDEX progress_by_touch ON progress (user, touch);

      CREATE TABLE steps (
        user      TEXT    NOT NULL,
        lesson    TEXT    NOT NULL,
        step_id   TEXT    NOT NULL,
        state     TEXT,
        completed INTEGER NOT NULL DEFAULT 0,
        updated   TEXT    NOT NULL,
        PRIMARY KEY (user, lesson, step_id)
      );

      CREATE TABLE events (
        id     INTEGER PRIMARY KEY AUTOINCREMENT,
        time   TEXT NOT NULL,
        user   TEXT NOT NULL,
        kind   TEXT NOT NULL,
        lesson TEXT,
        detail TEXT
      );
      CREATE TRIGGER events_append_only_update BEFORE UPDATE ON events
        BEGIN SELECT RAISE(ABORT, 'the event log is append-only'); END;
      CREATE TRIGGER events_append_only_delete BEFORE DELETE ON events
        BEGIN SELECT RAISE(ABORT, 'the event log is append-only'); END;

      CREATE TABLE settings (
        user  TEXT NOT NULL,
        key   TEXT NOT NULL,
        value TEXT NOT NULL,
        PRIMARY KEY (user, key)
      );
    `,
  },
  {
    version: 2,
    description: 'a globally unique id per attempt, how it was graded, and what it was graded against',
    // Row ids restart at 1 in a new store (after a damaged one is moved aside): only a random id tells
    // two students' stores, or two stores of one student, apart in the course records. Old rows keep
    // a NULL uuid (the log is never rewritten); readers identify those by their whole content.
    sql: `
      ALTER TABLE attempts ADD COLUMN uuid TEXT;
      ALTER TABLE attempts ADD COLUMN grading TEXT;
      ALTER TABLE attempts ADD COLUMN detail TEXT;
      CREATE UNIQUE INDEX attempts_by_uuid ON attempts (uuid) WHERE uuid IS NOT NULL;
    `,
  },
];

/** The schema version this eds writes. */
export const SCHEMA_VERSION: number = MIGRATIONS[MIGRATIONS.length - 1]!.version;

/**
 * Brings the database up to `target` (default: the latest), returning the version it found.
 * Runs in one IMMEDIATE transaction and re-reads the version inside it, so two processes
 * opening a new database at the same moment do not both create the tables.
 */
export function migrate(db: Database.Database, file: string, migrations: readonly Migration[] = MIGRATIONS): number {
  const target = migrations.length === 0 ? 0 : migrations[migrations.length - 1]!.version;
  const readVersion = (): number => db.pragma('user_version', { simple: true }) as number;
  const checkNotNewer = (found: number): void => {
    if (found > target) {
      throw new UserError(`the progress database ${file} was written by a newer eds (schema ${found}; this eds knows up to ${target})`, {
        hint: 'update eds (npm install -g eds), or set EDS_HOME to another directory',
      });
    }
  };
  const before = readVersion();
  checkNotNewer(before);
  if (before === target) return before;
  db.transaction(() => {
    const found = readVersion();
    checkNotNewer(found);
    for (const m of migrations) {
      if (m.version <= found) continue;
      db.exec(m.sql);
      // PRAGMA cannot take a bound parameter; the version is our own integer.
      db.pragma(`user_version = ${Math.trunc(m.version)}`);
    }
  }).immediate();
  return before;
}
