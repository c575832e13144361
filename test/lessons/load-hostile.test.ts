// Lesson "files" that are not plain files (a pipe, a device, a directory, a huge one, a link to itself): one `file: message` problem each, never a hang or a crash, and the other lessons still load.
import { execFileSync } from 'node:child_process';
import { closeSync, copyFileSync, ftruncateSync, mkdirSync, mkdtempSync, openSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { checkLessons, formatProblem, LESSON_MAX_BYTES } from '../../src/lessons/load.js';

const example = resolve(import.meta.dirname, 'fixtures/01-example.md');
const tmp = mkdtempSync(join(tmpdir(), 'eds-lessons-hostile-'));
afterAll(() => execFileSync('rm', ['-rf', tmp]));

/** The problems of checking `path`, as `lessons check` prints them. */
const problems = (path: string): string[] => checkLessons(path).problems.map(formatProblem);

function sparseFile(path: string, size: number): string {
  const fd = openSync(path, 'w');
  ftruncateSync(fd, size); // sparse: costs no disk
  closeSync(fd);
  return path;
}

describe('eds lessons check on a file that is not a lesson file', () => {
  it('refuses a named pipe at once, in one line, instead of waiting for a writer', () => {
    const fifo = join(tmp, '02-pipe.md');
    execFileSync('mkfifo', [fifo]);
    expect(problems(fifo)).toEqual([`${fifo}: cannot read: is a named pipe, not a file`]);
  }, 5000);

  it('refuses a device that never ends', () => {
    expect(problems('/dev/zero')).toEqual(['/dev/zero: cannot read: is a device, not a file']);
  }, 5000);

  it('refuses a file far larger than any lesson before reading it', () => {
    const huge = sparseFile(join(tmp, '03-huge.md'), LESSON_MAX_BYTES + 1);
    const found = problems(huge);
    expect(found).toHaveLength(1);
    expect(found[0]).toMatch(/^\/.*03-huge\.md: 1\.05 MB is larger than eds reads as a lesson \(1\.05 MB\); cut it into smaller files$/);
  });
});

describe('a lessons folder holding such files', () => {
  it('gives one problem per bad entry and still loads the good lesson', () => {
    const dir = join(tmp, 'course');
    mkdirSync(dir);
    copyFileSync(example, join(dir, '01-example.md'));
    execFileSync('mkfifo', [join(dir, '02-pipe.md')]);
    mkdirSync(join(dir, '03-folder.md'));
    sparseFile(join(dir, '04-huge.md'), 64 * 1024 * 1024);
    symlinkSync('/dev/zero', join(dir, '05-zero.md'));
    symlinkSync(join(dir, '06-loop.md'), join(dir, '06-loop.md'));
    const result = checkLessons(dir);
    expect(result.files).toBe(6);
    expect(result.lessons.map((l) => l.id)).toEqual(['example']);
    expect(result.problems.map(formatProblem)).toEqual([
      `${join(dir, '02-pipe.md')}: cannot read: is a named pipe, not a file`,
      `${join(dir, '03-folder.md')}: cannot read: is a directory`,
      `${join(dir, '04-huge.md')}: 67.1 MB is larger than eds reads as a lesson (1.05 MB); cut it into smaller files`,
      `${join(dir, '05-zero.md')}: cannot read: is a device, not a file`,
      `${join(dir, '06-loop.md')}: cannot read: too many symbolic links`,
    ]);
  }, 5000);

  it('makes a hostile lesson file name inert in the problem line', () => {
    const dir = join(tmp, 'evil');
    mkdirSync(dir);
    const name = join(dir, '06-\u001b]0;pwned\u0007.md');
    execFileSync('mkfifo', [name]);
    const [line, ...rest] = problems(dir);
    expect(rest).toEqual([]);
    expect(line).toMatch(/: cannot read: is a named pipe, not a file$/);
    expect(line).not.toMatch(/[\u0000-\u001f\u007f-\u009f]/);
  });
});
