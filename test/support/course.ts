// Course directories for tests, laid out as `eds instructor init` does: records/ setgid, sticky, writable by all
// (mode set by hand, so no group is needed).
import { afterEach } from 'vitest';
import { chmodSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { RECORDS_DIR } from '../../src/course/layout.js';

/** Makes `dir` a course directory (and sets its own mode when given); returns it. */
export function layCourseDir(dir: string, dirMode?: number): string {
  if (dirMode !== undefined) chmodSync(dir, dirMode);
  mkdirSync(join(dir, RECORDS_DIR));
  chmodSync(join(dir, RECORDS_DIR), 0o3773);
  return dir;
}

/** A course directory in a new temporary folder of mode 755, left in place (for suites that make one at load time). */
export function keptCourseDir(prefix: string): string {
  return layCourseDir(mkdtempSync(join(tmpdir(), prefix)), 0o755);
}

/**
 * Temporary folders removed after each test of the file that calls this (at its top level): `temp` makes a bare
 * one, `courseDir` a course directory; `cleanups` takes any other undo step.
 */
export function tempDirs(): { temp: (prefix: string) => string; courseDir: (prefix: string) => string; cleanups: Array<() => void> } {
  const cleanups: Array<() => void> = [];
  afterEach(() => {
    while (cleanups.length) cleanups.pop()!();
  });
  const temp = (prefix: string): string => {
    const dir = mkdtempSync(join(tmpdir(), prefix));
    cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
    return dir;
  };
  return { temp, courseDir: (prefix) => layCourseDir(temp(prefix)), cleanups };
}
