// Child process for the permission test: opens a store and prints what the student would see.
//
// Usage: vite-node open-child.ts HOME. Prints "opened" or the one-line error and exits 0, so
// the parent can tell a clean UserError from a crash (which exits non-zero with a stack).
import { openStore } from '../../src/store/index.js';
import { UserError, describeError } from '../../src/errors.js';

const home = process.argv[2];
try {
  openStore({ home, user: 'someone' }).close();
  process.stdout.write('opened\n');
} catch (err) {
  if (!(err instanceof UserError)) throw err;
  process.stdout.write(`${describeError(err).text}\n`);
}
