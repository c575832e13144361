// A symbolic link planted as eds.db (or as its -journal, -wal, -shm): refused in one line naming where it points, and nothing is created where it points.
import { existsSync, lstatSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { UserError, describeError } from '../../src/errors.js';
import { openStore } from '../../src/store/index.js';
import { MODES, tempHome } from './helpers.js';

describe('eds.db is a symbolic link', () => {
  let home: string;
  let cleanup: () => void;
  /** Somewhere the link's planter controls, outside the student's data directory. */
  let elsewhere: string;
  beforeEach(() => {
    ({ home, cleanup } = tempHome());
    elsewhere = mkdtempSync(join(tmpdir(), 'eds-planted-'));
  });
  afterEach(() => {
    cleanup();
    rmSync(elsewhere, { recursive: true, force: true });
  });

  const message = (mode: (typeof MODES)[number] = 'wal'): string => {
    try {
      openStore({ home, user: 'ana', env: { EDS_JOURNAL: mode } }).close();
    } catch (err) {
      expect(err).toBeInstanceOf(UserError);
      return describeError(err).text;
    }
    throw new Error('expected a UserError');
  };

  it('refuses a dangling link and does not create its target', () => {
    const file = join(home, 'eds.db');
    const target = join(elsewhere, 'stolen.db');
    symlinkSync(target, file);
    expect(message()).toBe(
      `eds: the progress database ${file} is a symbolic link to ${target}; eds keeps your answers only in a file of its own, not wherever a link points\n` +
        `  try: if you did not make this link, someone else may have: remove it (rm ${file}) and run eds again; to keep your data elsewhere, set EDS_HOME to that directory instead`,
    );
    expect(existsSync(target)).toBe(false);
    expect(lstatSync(file).isSymbolicLink()).toBe(true);
  });

  it('refuses a link to an existing file too, leaving that file untouched, and a link to itself', () => {
    const target = join(elsewhere, 'other.db');
    writeFileSync(target, '');
    symlinkSync(target, join(home, 'eds.db'));
    expect(message()).toMatch(/eds\.db is a symbolic link to .*other\.db; /);
    expect(lstatSync(target).size).toBe(0);
    rmSync(join(home, 'eds.db'));
    symlinkSync(join(home, 'eds.db'), join(home, 'eds.db'));
    expect(message()).toMatch(/eds\.db is a symbolic link to .*eds\.db; /);
  });

  it('refuses a planted -journal, -wal or -shm link before SQLite writes through it, in both journal modes', () => {
    for (const mode of MODES) {
      for (const suffix of ['-journal', '-wal', '-shm']) {
        const link = join(home, `eds.db${suffix}`);
        const target = join(elsewhere, `leak${suffix}`);
        symlinkSync(target, link);
        expect(message(mode)).toBe(
          `eds: ${link}, beside the progress database, is a symbolic link to ${target}; SQLite would write your answers wherever it points\n` +
            `  try: if you did not make this link, someone else may have: remove it (rm ${link}) and run eds again`,
        );
        expect(existsSync(target)).toBe(false);
        rmSync(link);
      }
    }
  });

  it('prints a hostile link target inert', () => {
    symlinkSync(join(elsewhere, 'x\u001b]0;pwned\u0007\ny.db'), join(home, 'eds.db'));
    const text = message();
    expect(text.split('\n')).toHaveLength(2);
    expect(text).not.toMatch(/[\u0000-\u0009\u000b-\u001f\u007f-\u009f]/);
  });

  it('opens a fresh store once the link is removed, and a data directory that is itself a link still works', () => {
    symlinkSync(join(elsewhere, 'stolen.db'), join(home, 'eds.db'));
    expect(message()).toMatch(/symbolic link/);
    rmSync(join(home, 'eds.db'));
    const store = openStore({ home, user: 'ana', env: {} });
    expect(lstatSync(store.path).isFile()).toBe(true);
    store.close();
    // The student's own choice of directory (EDS_HOME, ~/.local/share/eds) may be a link: only eds.db itself is held to this.
    const real = join(elsewhere, 'real-home');
    mkdirSync(real);
    const linked = join(home, 'linked-home');
    symlinkSync(real, linked);
    const again = openStore({ home: linked, user: 'ana', env: {} });
    expect(existsSync(join(real, 'eds.db'))).toBe(true);
    again.close();
  });
});
