// Hostile ASCII point clouds: hex, Infinity, NaN, overflowing numbers, NUL and control bytes, endless lines, cuts of the real files.
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync, closeSync, openSync, ftruncateSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { READ_LIMITS } from '../../src/data/input.js';
import { parseXyz, readXyz } from '../../src/data/xyz.js';
import { readPointCloud } from '../../src/lidar/io.js';
import { expectOneCleanLine, userError, userErrorAsync } from '../data/hostile.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const sample = (name: string) => path.resolve(root, '../shared/data/lidar', name);

describe('.xyz numbers', () => {
  it('refuses hex, binary, octal, Infinity and NaN with file:line', () => {
    expect(userError(() => parseXyz('1 2 3\n0x10 2 3\n', 'h.xyz'))).toBe(
      'h.xyz:2: "0x10" in column 1 is not a decimal number (hex, Infinity and NaN are refused)',
    );
    expect(userError(() => parseXyz('0x10 0x20 0x30\n', 'h.xyz'))).toBe(
      'h.xyz:1: "0x10" in column 1 is not a decimal number (hex, Infinity and NaN are refused)',
    );
    expect(userError(() => parseXyz('1 2 3\n1 0b101 3\n', 'b.xyz'))).toMatch(/^b\.xyz:2: "0b101" in column 2 is not a decimal number/);
    expect(userError(() => parseXyz('1 2 3\n1 2 0o17\n', 'o.xyz'))).toMatch(/^o\.xyz:2: "0o17" in column 3 is not a decimal number/);
    expect(userError(() => parseXyz('1 2 Infinity\n', 'i.xyz'))).toBe(
      'i.xyz:1: "Infinity" in column 3 is not a decimal number (hex, Infinity and NaN are refused)',
    );
    expect(userError(() => parseXyz('x y z\n1 -inf 3\n', 'i.xyz'))).toMatch(/^i\.xyz:2: "-inf" in column 2 is not a decimal number/);
    expect(userError(() => parseXyz('NaN NaN NaN\n', 'n.xyz'))).toMatch(/^n\.xyz:1: "NaN" in column 1 is not a decimal number/);
    expect(userError(() => parseXyz('1 2 3\n1_000 2 3\n', 'u.xyz'))).toBe('u.xyz:2: "1_000" in column 1 is not a number');
    expect(userError(() => parseXyz('1 2 3\n1e999 2 3\n', 'e.xyz'))).toBe('e.xyz:2: "1e999" in column 1 is not a finite number (too large for a double)');
    expect(userError(() => parseXyz(`1 2 3\n1${'9'.repeat(400)} 2 3\n`, 'd.xyz'))).toMatch(/^d\.xyz:2: "1999.*…" in column 1 is not a finite number/);
    // Plain decimals in every spelling scanners use still read, exactly as Number() reads them.
    const c = parseXyz('1. .5 -2.5e3\n+1 1E-2 0.000000000000000000000001\n', 'ok.xyz');
    expect(Array.from(c.x)).toEqual([1, 1]);
    expect(Array.from(c.y)).toEqual([0.5, 0.01]);
    expect(Array.from(c.z)).toEqual([-2500, 1e-24]);
  });

  it('refuses NUL and other control bytes by line, and a hostile label or file name never reaches a message raw', () => {
    expect(userError(() => parseXyz('1 2 3\n4 5\u00006\n', 'nul.xyz'))).toBe('nul.xyz:2: a NUL byte: not a text point cloud (a binary file?)');
    expect(userError(() => parseXyz('1 2 3 \u001b[2J\n', 'esc.xyz', { labelColumn: 3 }))).toBe(
      'esc.xyz:1: control character U+001B: not a text point cloud (a binary file?)',
    );
    const msg = userError(() => parseXyz('1 2\n', 'evil\u001b]0;t\u0007.xyz'));
    expectOneCleanLine(msg);
    expect(msg).toBe('evil]0;t.xyz:1: expected at least 3 columns (x y z), found 2');
  });

  it('bounds very long lines and lines of very many fields', () => {
    expect(userError(() => parseXyz(`${'1 '.repeat(100_000)}\n`, 'wide.xyz'))).toBe('wide.xyz:1: more than 256 fields on one line: not a point cloud');
    const long = `1 2 ${'7'.repeat(2_000_000)}x\n`;
    const msg = userError(() => parseXyz(long, 'long.xyz'));
    expect(msg.length).toBeLessThan(120);
    expect(msg).toMatch(/^long\.xyz:1: "7{30}…" in column 3 is not a number$/);
  });

  it('survives every cut of a real file', () => {
    const text = readFileSync(sample('dunes-vegetation.xyz'), 'utf8').slice(0, 3000);
    for (let cut = 0; cut < text.length; cut += 7) {
      try {
        parseXyz(text.slice(0, cut), 'cut.xyz');
      } catch (err) {
        expect((err as Error).name).toBe('UserError');
      }
    }
  });

  it('refuses a directory, a device, and a file over the text cap before reading it', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'eds-xyz-'));
    mkdirSync(path.join(dir, 'd.xyz'));
    expect(await userErrorAsync(() => readPointCloud(path.join(dir, 'd.xyz')))).toBe(`${path.join(dir, 'd.xyz')}: cannot read: is a directory`);
    writeFileSync(path.join(dir, 'ok.xyz'), '1 2 3\n');
    expect((await readXyz(path.join(dir, 'ok.xyz'))).x.length).toBe(1);
    expect(await userErrorAsync(() => readXyz('/dev/null'))).toBe('/dev/null: cannot read: is a device, not a file');
    const big = path.join(dir, 'big.xyz');
    const fd = openSync(big, 'w');
    ftruncateSync(fd, READ_LIMITS.textBytes + 1);
    closeSync(fd);
    expect(await userErrorAsync(() => readXyz(big))).toMatch(/big\.xyz: 268 MB is larger than eds reads as text \(268 MB\); cut it into smaller files$/);
  });
});
