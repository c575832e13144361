// Replacing a shared file whole: a temporary file beside it renamed over it, so a reader at that moment sees the old
// file or the new one, never half of one.
import { chmodSync, closeSync, constants, openSync, renameSync, rmSync, writeSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';

/**
 * Writes `text` to `path` atomically, mode 0644 whatever the umask (the file is meant for the whole class). The
 * temporary file is made with O_EXCL and O_NOFOLLOW, so a name planted there is refused, not written through.
 * Throws what the filesystem threw, with the temporary file removed.
 */
export function replaceFile(path: string, text: string): void {
  const temp = join(dirname(path), `.${basename(path)}.${process.pid}.tmp`);
  try {
    const fd = openSync(temp, constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | constants.O_NOFOLLOW, 0o644);
    try {
      writeSync(fd, text);
    } finally {
      closeSync(fd);
    }
    chmodSync(temp, 0o644);
    renameSync(temp, path);
  } catch (err) {
    rmSync(temp, { force: true });
    throw err;
  }
}
