// eds project --labels on files that are not plain text files: a pipe, a device, a directory, a huge or hostile-named file is one clean line, never a hang.
import { execFileSync } from 'node:child_process';
import { closeSync, ftruncateSync, mkdirSync, mkdtempSync, openSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { READ_LIMITS } from '../../src/data/input.js';
import { loadProjectData } from '../../src/project/data.js';
import { expectOneCleanLine, npyF8, userErrorAsync } from '../data/hostile.js';

const dir = mkdtempSync(join(tmpdir(), 'eds-project-hostile-'));
afterAll(() => execFileSync('rm', ['-rf', dir]));

const features = join(dir, 'x.npy');
writeFileSync(features, npyF8([4, 2], [1, 2, 3, 4, 5, 6, 7, 8]));

async function labelsError(labels: string): Promise<string> {
  const message = await userErrorAsync(() => loadProjectData(features, { labels }));
  expectOneCleanLine(message);
  return message;
}

describe('--labels that is not a text file', () => {
  it('refuses a named pipe at once instead of waiting for a writer', async () => {
    const fifo = join(dir, 'labels-pipe.txt');
    execFileSync('mkfifo', [fifo]);
    expect(await labelsError(fifo)).toBe(`${fifo}: cannot read: is a named pipe, not a file`);
  }, 5000);

  it('refuses a device that never ends, and a directory', async () => {
    expect(await labelsError('/dev/zero')).toBe('/dev/zero: cannot read: is a device, not a file');
    const folder = join(dir, 'labels-dir');
    mkdirSync(folder);
    expect(await labelsError(folder)).toBe(`${folder}: cannot read: is a directory`);
  });

  it('refuses a file over the text cap before reading it', async () => {
    const huge = join(dir, 'huge.txt');
    const fd = openSync(huge, 'w');
    ftruncateSync(fd, READ_LIMITS.textBytes + 1); // sparse: costs no disk
    closeSync(fd);
    expect(await labelsError(huge)).toMatch(/^\/.*huge\.txt: 268 MB is larger than eds reads as text \(268 MB\); cut it into smaller files$/);
  });

  it('names a missing file, and a hostile file name, in one clean line', async () => {
    expect(await labelsError(join(dir, 'nope.txt'))).toBe(`${join(dir, 'nope.txt')}: cannot read: no such file`);
    const evil = join(dir, 'evil\u001b]0;pwned\u0007\n.txt');
    writeFileSync(evil, 'a\nb\n');
    expect(await labelsError(evil)).toMatch(/2 labels for 4 rows of x\.npy$/);
  });

  it('still reads a plain labels file', async () => {
    const labels = join(dir, 'y.txt');
    writeFileSync(labels, 'a\na\nb\nb\n');
    const data = await loadProjectData(features, { labels });
    expect(data.labels).toEqual(['a', 'b']);
    expect(data.y).toEqual([0, 0, 1, 1]);
  });
});
