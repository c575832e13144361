// The analyst picks of a PhaseNet .npz record: a pick outside its own window, fractional, NaN, text or several values is bad input naming the file and the field, not a silent "no pick".
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { phaseFiles, readPhaseRecord, runPick } from '../../src/experiments/pick.js';
import { expectOneCleanLine, member, npyBytes, npyF8, userError as userErrorSync, userErrorAsync, zipBytes, type ZipMember } from '../data/hostile.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const REAL_DIR = path.resolve(root, '../shared/data/phases');
const dir = mkdtempSync(path.join(tmpdir(), 'eds-pick-picks-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const SAMPLES = 400;

/** A record of 400 samples × 3 of a sine, with these pick members (none: no itp/its at all). */
function record(name: string, picks: ZipMember[]): string {
  const values: number[] = [];
  for (let i = 0; i < SAMPLES; i++) for (let c = 0; c < 3; c++) values.push(Math.sin(i / 5 + c));
  const file = path.join(dir, name);
  writeFileSync(file, zipBytes([member('data.npy', npyF8([SAMPLES, 3], values)), ...picks]));
  return file;
}
const pick = (key: 'itp' | 'its', value: number): ZipMember => member(`${key}.npy`, npyF8([], [value]));
/** A record whose P pick is `itp` (S at 200). */
const withP = (name: string, itp: number): string => record(name, [pick('itp', itp), pick('its', 200)]);

async function refusal(file: string): Promise<string> {
  const message = await userErrorAsync(() => readPhaseRecord(file));
  expectOneCleanLine(message);
  return message;
}

describe('analyst picks that are not sample indices of the record', () => {
  it('refuses a negative pick and one at or beyond the end of the window, naming the file and the field', async () => {
    expect(await refusal(withP('neg.npz', -1))).toBe(
      'neg.npz: "itp" (the P pick) is -1, outside the record\'s samples 0 to 399: bad input (leave "itp" out of a record with no P pick)',
    );
    expect(await refusal(withP('end.npz', SAMPLES))).toBe(
      'end.npz: "itp" (the P pick) is 400, outside the record\'s samples 0 to 399: bad input (leave "itp" out of a record with no P pick)',
    );
    expect(await refusal(record('late-s.npz', [pick('itp', 100), pick('its', 1e9)]))).toBe(
      'late-s.npz: "its" (the S pick) is 1000000000, outside the record\'s samples 0 to 399: bad input (leave "its" out of a record with no S pick)',
    );
  });

  it('refuses NaN, infinite and fractional picks', async () => {
    expect(await refusal(withP('nan.npz', NaN))).toBe(
      'nan.npz: "itp" (the P pick) is NaN, not a sample index: bad input (leave "itp" out of a record with no P pick)',
    );
    expect(await refusal(withP('inf.npz', -Infinity))).toMatch(/^inf\.npz: "itp" \(the P pick\) is -Infinity, not a sample index/);
    expect(await refusal(withP('half.npz', 100.5))).toBe('half.npz: "itp" (the P pick) is 100.5, not a whole sample index: bad input');
  });

  it('refuses several values and a text array where one pick belongs', async () => {
    expect(await refusal(record('two.npz', [member('itp.npy', npyF8([2], [100, 150])), pick('its', 200)]))).toBe(
      'two.npz: "itp" (the P pick) holds 2 values; eds scores one P pick per record: bad input',
    );
    const text = npyBytes("{'descr': '<U3', 'fortran_order': False, 'shape': (), }", new Uint8Array(Buffer.from('1\0\0\0' + '0\0\0\0' + '0\0\0\0', 'latin1')));
    expect(await refusal(record('text.npz', [member('itp.npy', text), pick('its', 200)]))).toBe(
      'text.npz: "itp" (the P pick) is text, not a sample index: bad input',
    );
  });

  it('names a hostile file name inert', async () => {
    expect(await refusal(withP('evil\u001b]0;x\u0007.npz', -3))).toMatch(/^evil.*\.npz: "itp" \(the P pick\) is -3, outside/);
  });
});

describe('picks a record may have', () => {
  it('reads a missing or empty pick array as "no pick", and keeps picks at the first and last sample', async () => {
    const none = await readPhaseRecord(record('none.npz', []));
    expect([none.itp, none.its]).toEqual([null, null]);
    const empty = await readPhaseRecord(record('empty.npz', [member('itp.npy', npyF8([0], [])), pick('its', 5)]));
    expect([empty.itp, empty.its]).toEqual([null, 5]);
    const edges = await readPhaseRecord(record('edges.npz', [pick('itp', 0), pick('its', SAMPLES - 1)]));
    expect([edges.itp, edges.its]).toEqual([0, SAMPLES - 1]);
    // A pick converted from seconds (0.29 s × 100 Hz = 28.999999999999996) carries float rounding, not a fraction of a sample.
    expect(0.29 * 100).not.toBe(29);
    const converted = await readPhaseRecord(withP('converted.npz', 0.29 * 100));
    expect(converted.itp).toBe(29);
    const shaped = await readPhaseRecord(record('shaped.npz', [member('itp.npy', npyF8([1], [42])), pick('its', 300)]));
    expect(shaped.itp).toBe(42);
  });

  it('reads every real record shipped with the course with both picks inside its window', async () => {
    const files = readdirSync(REAL_DIR).filter((f) => f.endsWith('.npz'));
    expect(files.length).toBe(22);
    for (const f of files) {
      const r = await readPhaseRecord(path.join(REAL_DIR, f));
      expect(r.itp).toBe(3000);
      expect(r.its).toBeGreaterThan(3000);
      expect(r.its).toBeLessThan(r.total);
    }
  });
});

describe('--data that is not a file or folder of records', () => {
  it('refuses a named pipe or a device given as --data in one line, before loading PhaseNet', async () => {
    const fifo = path.join(dir, 'records.npz');
    execFileSync('mkfifo', [fifo]);
    expect(await userErrorAsync(() => runPick({ data: fifo }))).toBe(`${fifo}: cannot read: is a named pipe, not a file`);
    const fifoNoExt = path.join(dir, 'records-pipe');
    execFileSync('mkfifo', [fifoNoExt]);
    expect(await userErrorAsync(() => runPick({ data: fifoNoExt }))).toBe(`${fifoNoExt}: cannot read: is a named pipe, not a file`);
    expect(await userErrorAsync(() => runPick({ data: '/dev/zero' }))).toBe('/dev/zero: cannot read: is a device, not a file');
  }, 10_000);

  it('refuses a pipe, a folder or a link loop named .npz inside a folder of records, naming it', async () => {
    const folder = path.join(dir, 'folder');
    mkdirSync(folder);
    writeFileSync(path.join(folder, 'a.npz'), '');
    execFileSync('mkfifo', [path.join(folder, 'b.npz')]);
    expect(phaseFiles(folder)).toEqual([path.join(folder, 'a.npz'), path.join(folder, 'b.npz')]);
    rmSync(path.join(folder, 'a.npz'));
    expect(await userErrorAsync(() => runPick({ data: folder }))).toBe(`${path.join(folder, 'b.npz')}: cannot read: is a named pipe, not a file`);
    rmSync(path.join(folder, 'b.npz'));
    mkdirSync(path.join(folder, 'c.npz'));
    expect(await userErrorAsync(() => runPick({ data: folder }))).toBe(`${path.join(folder, 'c.npz')}: cannot read: is a directory`);
    const loop = path.join(dir, 'loop');
    symlinkSync(loop, loop);
    expect(await userErrorAsync(() => runPick({ data: loop }))).toBe(`${loop}: cannot read: too many symbolic links`);
  }, 10_000);

  it('names a missing --data and an empty folder, with a hostile name made inert', async () => {
    const evil = path.join(dir, 'gone\u001b[2J');
    const missing = userErrorSync(() => phaseFiles(evil));
    expect(missing).toMatch(/gone.*: no such file or directory$/);
    expectOneCleanLine(missing);
    const empty = path.join(dir, 'empty\u0007');
    mkdirSync(empty);
    const none = userErrorSync(() => phaseFiles(empty));
    expect(none).toMatch(/empty.*: no \.npz files in this directory$/);
    expectOneCleanLine(none);
  });
});
