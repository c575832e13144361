// `eds features` on hostile event files: empty shapes, bombs, constant, all-NaN or overflowing traces, hostile channel names: one line each, never a stack.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { runCli } from '../support/cli.js';
import { deflatedZeros, member, npyBytes, npyF8, zipBytes } from '../data/hostile.js';

const dir = mkdtempSync(path.join(tmpdir(), 'eds-features-hostile-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
afterEach(() => {
  process.exitCode = undefined;
});

function write(name: string, bytes: Uint8Array): string {
  const file = path.join(dir, name);
  writeFileSync(file, bytes);
  return file;
}

/** A wave with a burst: a trace the features can measure. */
const wave = Array.from({ length: 200 }, (_, i) => Math.sin(i / 3) * (i > 100 ? 50 : 1));

async function oneLine(args: string[]): Promise<string> {
  const { out, err, code } = await runCli(args);
  expect(out, args.join(' ')).toBe('');
  expect(code, args.join(' ')).toBe(1);
  expect(err).not.toMatch(/internal error| {4}at /);
  expect(err).not.toMatch(/\u001b/);
  expect(err.trim().split('\n').length, err).toBe(1);
  return err.trim();
}

describe('eds features on hostile files', () => {
  it('says an array of shape (3, 0) is empty (it was a stack trace)', async () => {
    expect(await oneLine(['features', write('empty.npy', npyF8([3, 0], []))])).toBe('eds: empty.npy: the array is empty (shape 3×0): it holds no values');
    const npz = write('empty.npz', zipBytes([member('data.npy', npyF8([3, 0], []))]));
    expect(await oneLine(['features', npz])).toBe('eds: empty.npz:data: the array is empty (shape (3, 0)): no samples to measure');
  });

  it('refuses a decompression bomb in one line', async () => {
    const head = npyBytes(`{'descr': '<f8', 'fortran_order': False, 'shape': (3, 44739242), }`);
    const bomb = write(
      'bomb.npz',
      zipBytes([{ name: 'data.npy', stored: deflatedZeros(head, 1024), method: 8, size: head.length + 3 * 44739242 * 8, crc: 0 }]),
    );
    expect(await oneLine(['features', bomb])).toMatch(
      /^eds: bomb\.npz: entry 'data\.npy': declares 1\.07 GB uncompressed, more than eds inflates \(268 MB\); refused before inflating$/,
    );
  });

  it('calls an all-NaN, a constant or an overflowing trace bad input', async () => {
    expect(await oneLine(['features', write('nan.npy', npyF8([50], new Array(50).fill(NaN)))])).toBe(
      'eds: nan.npy: trace row 0 has 50 missing (NaN or infinite) samples of 50: no signal to measure',
    );
    expect(await oneLine(['features', write('flat.npy', npyF8([50], new Array(50).fill(0)))])).toBe(
      'eds: flat.npy: trace row 0 is constant (every sample is 0): no signal to measure',
    );
    expect(
      await oneLine([
        'features',
        write(
          'huge.npy',
          npyF8(
            [200],
            wave.map((v) => v * 1e300),
          ),
        ),
      ]),
    ).toMatch(/^eds: huge\.npy: trace row 0 has amplitudes up to .*e\+30\d, too large to measure; rescale it first$/);
    const fsInf = write('fs.npz', zipBytes([member('data.npy', npyF8([200], wave)), member('fs.npy', npyF8([], [Infinity]))]));
    expect(await oneLine(['features', fsInf])).toBe('eds: fs.npz: its sampling rate is Infinity Hz; expected a positive number');
  });

  it('shows hostile channel names and file names inert', async () => {
    const channels = new Uint8Array(4 * 12);
    Array.from('\u001b[2J_N_Z\u0007').forEach((c, i) => new DataView(channels.buffer).setUint32(4 * i, c.codePointAt(0)!, true));
    const text = npyBytes(`{'descr': '<U12', 'fortran_order': False, 'shape': (1,), }`, channels);
    const data = npyF8(
      [200, 3],
      wave.flatMap((v) => [v, v * 2, v * 3]),
    );
    const file = write('\u001b]0;pwned\u0007.npz', zipBytes([member('data.npy', data), member('channels.npy', text)]));
    const { out, err, code } = await runCli(['features', file, '--json']);
    expect(err).toBe('');
    expect(code).toBe(0);
    const report = JSON.parse(out) as { station_name: string };
    expect(report.station_name).toBe('Z');
    expect(await oneLine(['features', file, '--station', 'X'])).toBe('eds: ]0;pwned.npz: no station "X" (it has 3: 0 [2J, 1 N, 2 Z)');
  });
});
