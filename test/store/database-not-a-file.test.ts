// eds.db that is a directory, a named pipe or a symbolic link to a directory: one line saying so and what to do, never "EISDIR", never a hang.
import { execFileSync } from 'node:child_process';
import { mkdirSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { UserError, describeError } from '../../src/errors.js';
import { openStore } from '../../src/store/index.js';
import { tempHome } from './helpers.js';

describe('eds.db is not a file', () => {
  let home: string;
  let cleanup: () => void;
  beforeEach(() => ({ home, cleanup } = tempHome()));
  afterEach(() => cleanup());

  const message = (): string => {
    try {
      openStore({ home, user: 'ana', env: {} }).close();
    } catch (err) {
      expect(err).toBeInstanceOf(UserError);
      return describeError(err).text;
    }
    throw new Error('expected a UserError');
  };

  it('says a directory in its place is a directory, and how to move it', () => {
    mkdirSync(join(home, 'eds.db'));
    const file = join(home, 'eds.db');
    expect(message()).toBe(
      `eds: the progress database ${file} is a directory, not a file, so eds cannot keep your answers there\n  try: move it out of the way (mv ${file} ${file}.aside) and run eds again, or set EDS_HOME to another directory`,
    );
  });

  it('says the same of a symbolic link to a directory, and does not block on a named pipe', () => {
    mkdirSync(join(home, 'elsewhere'));
    symlinkSync(join(home, 'elsewhere'), join(home, 'eds.db'));
    expect(message()).toMatch(/eds\.db is a directory, not a file/);
    execFileSync('rm', [join(home, 'eds.db')]);
    execFileSync('mkfifo', [join(home, 'eds.db')]);
    expect(message()).toMatch(/eds\.db is a named pipe, not a file/);
  });

  it('still opens a fresh store in the same directory once it is moved away', () => {
    mkdirSync(join(home, 'eds.db'));
    expect(message()).not.toMatch(/EISDIR/);
    execFileSync('mv', [join(home, 'eds.db'), join(home, 'eds.db.aside')]);
    const store = openStore({ home, user: 'ana', env: {} });
    expect(store.path).toBe(join(home, 'eds.db'));
    store.close();
  });
});
