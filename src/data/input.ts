// Bounds on what a reader may allocate from a file, and the one way readers take a file whole: regular files only, size checked first.
//
// Every importer reads files a student brings (or was sent). Their headers declare sizes, counts and
// shapes; a reader checks them against these caps and against the bytes really there before it
// allocates or inflates, so a small hostile file cannot make eds take gigabytes or minutes.
import { closeSync, constants, fstatSync, openSync, readSync } from 'node:fs';
import { open } from 'node:fs/promises';
import { UserError } from '../errors.js';
import { safeLine } from '../util/safe-text.js';

const MiB = 1024 * 1024;

/** The caps. Far above every real file of the course (the largest, MNIST's training images, inflate to 47 MB). */
export const READ_LIMITS = {
  /** Largest binary file read whole (.npy, .npz, .las, miniSEED, IDX), bytes. */
  fileBytes: 512 * MiB,
  /** Largest text file (.xyz, .csv): a JS string holds at most 512 M UTF-16 units, and parsing keeps columns besides. */
  textBytes: 256 * MiB,
  /** Largest inflated size of one archive member, of all members of an archive together, or of a gzip stream, bytes. */
  inflatedBytes: 256 * MiB,
  /** Most values in one numeric array (each becomes a float64: 256 MiB). */
  values: 32 * MiB,
  /** Most entries in one .npz (a NumPy archive holds a handful of arrays). */
  zipEntries: 4096,
} as const;

/** A file name as it may appear in a message: hostile names (ESC, newlines) made inert and bounded. */
export function fileLabel(name: string): string {
  return safeLine(name, 200);
}

/** `n` bytes in words a student reads (`1.5 GB`), for messages about sizes. */
export function describeBytes(n: number): string {
  if (!Number.isFinite(n)) return `${n} bytes`;
  if (n < 10_000) return `${n} bytes`;
  const units = ['kB', 'MB', 'GB', 'TB', 'PB', 'EB'];
  let v = n;
  let u = -1;
  do {
    v /= 1000;
    u++;
  } while (v >= 1000 && u < units.length - 1);
  return `${v >= 100 ? Math.round(v) : Number(v.toPrecision(3))} ${units[u]}`;
}

function openError(path: string, err: unknown): UserError {
  const code = (err as NodeJS.ErrnoException).code;
  const why =
    code === 'ENOENT'
      ? 'no such file'
      : code === 'EISDIR'
        ? 'is a directory'
        : code === 'EACCES' || code === 'EPERM'
          ? 'permission denied'
          : code === 'ELOOP'
            ? 'too many symbolic links'
            : code === 'ENOTDIR'
              ? 'a part of the path is not a directory'
              : safeLine(code ?? (err as Error).message, 80);
  return new UserError(`${fileLabel(path)}: cannot read: ${why}`);
}

function kindOf(stats: { isDirectory(): boolean; isFIFO(): boolean; isSocket(): boolean; isCharacterDevice(): boolean; isBlockDevice(): boolean }): string {
  if (stats.isDirectory()) return 'is a directory';
  if (stats.isFIFO()) return 'is a named pipe, not a file';
  if (stats.isSocket()) return 'is a socket, not a file';
  if (stats.isCharacterDevice() || stats.isBlockDevice()) return 'is a device, not a file';
  return 'is not a regular file';
}

function tooLarge(path: string, size: number, max: number, what: string): UserError {
  return new UserError(`${fileLabel(path)}: ${describeBytes(size)} is larger than eds reads as ${what} (${describeBytes(max)}); cut it into smaller files`);
}

/**
 * Reads a whole regular file, refusing first (in one line naming the file) a missing or unreadable one,
 * a directory, pipe or device (a pipe would block, `/dev/zero` would never end), or one over `maxBytes`.
 * Opened non-blocking and checked with fstat on the open descriptor, so a file swapped after the check
 * is still the one measured; reads at most the size measured.
 */
export function readInputFile(path: string, maxBytes: number = READ_LIMITS.fileBytes, what = 'data'): Buffer {
  let fd: number;
  try {
    fd = openSync(path, constants.O_RDONLY | constants.O_NONBLOCK);
  } catch (err) {
    throw openError(path, err);
  }
  try {
    const stats = fstatSync(fd);
    if (!stats.isFile()) throw new UserError(`${fileLabel(path)}: cannot read: ${kindOf(stats)}`);
    if (stats.size > maxBytes) throw tooLarge(path, stats.size, maxBytes, what);
    const buf = Buffer.allocUnsafe(stats.size);
    let got = 0;
    while (got < buf.length) {
      const n = readSync(fd, buf, got, buf.length - got, got);
      if (n === 0) break; // the file shrank while we read it
      got += n;
    }
    return got === buf.length ? buf : buf.subarray(0, got);
  } catch (err) {
    if (err instanceof UserError) throw err;
    throw openError(path, err);
  } finally {
    closeSync(fd);
  }
}

/** {@link readInputFile} without blocking the event loop (the readers of point clouds and tables are async). */
export async function readInputFileAsync(path: string, maxBytes: number = READ_LIMITS.fileBytes, what = 'data'): Promise<Buffer> {
  let handle: import('node:fs/promises').FileHandle;
  try {
    handle = await open(path, constants.O_RDONLY | constants.O_NONBLOCK);
  } catch (err) {
    throw openError(path, err);
  }
  try {
    const stats = await handle.stat();
    if (!stats.isFile()) throw new UserError(`${fileLabel(path)}: cannot read: ${kindOf(stats)}`);
    if (stats.size > maxBytes) throw tooLarge(path, stats.size, maxBytes, what);
    const buf = Buffer.allocUnsafe(stats.size);
    let got = 0;
    while (got < buf.length) {
      const { bytesRead } = await handle.read(buf, got, buf.length - got, got);
      if (bytesRead === 0) break;
      got += bytesRead;
    }
    return got === buf.length ? buf : buf.subarray(0, got);
  } catch (err) {
    if (err instanceof UserError) throw err;
    throw openError(path, err);
  } finally {
    await handle.close();
  }
}

/** Reads a text file (UTF-8, invalid bytes become U+FFFD) of at most {@link READ_LIMITS.textBytes}. */
export async function readInputText(path: string, maxBytes: number = READ_LIMITS.textBytes): Promise<string> {
  const buf = await readInputFileAsync(path, maxBytes, 'text');
  return new TextDecoder('utf-8').decode(buf);
}

/** The 1-based line of character `at` of `text` (for `file:line:` messages about a character found by search). */
export function lineOfIndex(text: string, at: number): number {
  let line = 1;
  for (let i = text.indexOf('\n'); i >= 0 && i < at; i = text.indexOf('\n', i + 1)) line++;
  return line;
}
