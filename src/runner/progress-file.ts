// The progress file itself: the job appends events to it on its node, the submitter reads it incrementally from the
// login node (the shared filesystem carries it). Reading never follows a symlink, never opens a FIFO or device (it
// would block or never end), and stops at MAX_FILE_BYTES.
import { closeSync, constants, fstatSync, openSync, readSync, writeSync } from 'node:fs';
import { EventReader, MAX_FILE_BYTES, encodeEvent, type JobEvent } from './job-events.js';
import { errnoText } from '../course/layout.js';
import { safeLine } from '../util/safe-text.js';

/** Most bytes taken from the file in one read: a burst of progress never holds the screen up for long. */
const READ_CHUNK = 1024 * 1024;

/** Reads a progress file from where the last read ended. */
export class ProgressTail {
  private fd: number | null = null;
  private offset = 0;
  private readonly reader = new EventReader();
  /** Why reading stopped (not a regular file, too large), or null while it goes on. */
  problem: string | null = null;

  constructor(private readonly path: string) {}

  /** Lines the reader skipped (too long, not JSON, not events), and why the last one was. */
  get rejected(): { count: number; last: string | null } {
    return { count: this.reader.rejected, last: this.reader.lastProblem };
  }

  /** The events written since the last call; [] when there are none yet (or the file is not there yet). */
  read(): JobEvent[] {
    if (this.problem !== null) return [];
    if (this.fd === null && !this.open()) return [];
    const events: JobEvent[] = [];
    const buffer = Buffer.alloc(64 * 1024);
    let taken = 0;
    while (taken < READ_CHUNK) {
      if (this.offset >= MAX_FILE_BYTES) {
        this.stop(`${safeLine(this.path)} grew past ${MAX_FILE_BYTES / (1024 * 1024)} MiB; the rest is not read`);
        break;
      }
      let n: number;
      try {
        n = readSync(this.fd!, buffer, 0, Math.min(buffer.length, MAX_FILE_BYTES - this.offset), this.offset);
      } catch (err) {
        this.stop(`cannot read ${safeLine(this.path)}: ${errnoText(err)}`);
        break;
      }
      if (n === 0) break;
      this.offset += n;
      taken += n;
      events.push(...this.reader.push(buffer.subarray(0, n)));
    }
    return events;
  }

  /** Closes the file. */
  close(): void {
    if (this.fd !== null) closeSync(this.fd);
    this.fd = null;
  }

  private open(): boolean {
    try {
      this.fd = openSync(this.path, constants.O_RDONLY | constants.O_NOFOLLOW | constants.O_NONBLOCK);
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      if (code !== 'ENOENT') this.stop(`cannot open ${safeLine(this.path)}: ${code === 'ELOOP' ? 'it is a symlink' : errnoText(err)}`);
      return false;
    }
    if (!fstatSync(this.fd).isFile()) {
      this.stop(`${safeLine(this.path)} is not a regular file`);
      return false;
    }
    return true;
  }

  private stop(problem: string): void {
    this.problem = problem;
    this.close();
  }
}

/** Opens a progress file to append events to (the job's side); it must exist already as a plain file. */
export function openForAppend(path: string): number {
  const fd = openSync(path, constants.O_WRONLY | constants.O_APPEND | constants.O_NOFOLLOW);
  if (!fstatSync(fd).isFile()) {
    closeSync(fd);
    throw new Error(`${path} is not a regular file`);
  }
  return fd;
}

/** Appends one event as one write: with O_APPEND each line lands whole, after the ones before it. */
export function appendEvent(fd: number, event: JobEvent): void {
  writeSync(fd, encodeEvent(event));
}
