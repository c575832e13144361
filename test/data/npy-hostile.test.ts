// Hostile .npy and .npz files: decompression bombs, lying headers, absurd shapes, truncations, special files: each refused in one line, memory bounded.
import { execFileSync } from 'node:child_process';
import { closeSync, mkdirSync, mkdtempSync, openSync, readFileSync, ftruncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { parseNpy, parseNpyAny, readNpy } from '../../src/data/npy.js';
import { parseNpz, readNpz } from '../../src/data/npz.js';
import { READ_LIMITS } from '../../src/data/input.js';
import {
  deflatedZeros,
  expectOneCleanLine,
  fuzzTruncationsAndFlips,
  member,
  npyBytes,
  npyF8,
  peakGrowthMB,
  userError,
  zipBytes,
  type ZipMember,
} from './hostile.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const fixtures = path.join(root, 'test/fixtures/numpy');
const realPhase = path.resolve(root, '../shared/data/phases/BG_ACR_2012082505145960.npz');
const tmp = mkdtempSync(path.join(tmpdir(), 'eds-npy-hostile-'));
afterAll(() => execFileSync('rm', ['-rf', tmp]));

const f8 = (shape: string) => `{'descr': '<f8', 'fortran_order': False, 'shape': ${shape}, }`;

describe('.npy headers that lie or make no sense', () => {
  it('refuses an array with a zero dimension, as (3, 0), in one line', () => {
    expect(parseNpyAny(npyBytes(f8('(3, 0)')), 'e.npy').shape).toEqual([3, 0]);
    expect(userError(() => parseNpy(npyBytes(f8('(3, 0)')), 'empty.npy'))).toBe('empty.npy: the array is empty (shape 3×0): it holds no values');
    expect(userError(() => parseNpy(npyBytes(f8('(0,)')), 'e.npy'))).toMatch(/^e\.npy: the array is empty \(shape 0\)/);
  });

  it('refuses negative, fractional, exponent and absurd dimensions before allocating', () => {
    expect(userError(() => parseNpy(npyBytes(f8('(-1, 3)')), 'neg.npy'))).toBe('neg.npy: malformed .npy header: shape (-1, 3) has a negative dimension ("-1")');
    expect(userError(() => parseNpy(npyBytes(f8('(3.5,)')), 'f.npy'))).toMatch(/has not a whole number \("3\.5"\)/);
    expect(userError(() => parseNpy(npyBytes(f8('(1e3,)')), 'f.npy'))).toMatch(/not a whole number \("1e3"\)/);
    expect(userError(() => parseNpy(npyBytes(f8('(3,,4)')), 'f.npy'))).toMatch(/not a whole number \(""\)/);
    const grown = peakGrowthMB(() => {
      const msg = userError(() => parseNpy(npyBytes(f8('(100000, 100000, 100000)')), 'huge.npy'));
      expect(msg).toBe(
        `huge.npy: the header declares 100000×100000×100000 = 1,000,000,000,000,000 values, more than eds reads in one array (${READ_LIMITS.values.toLocaleString('en-US')})`,
      );
    });
    expect(grown).toBeLessThan(50);
    // Within the cap but not in the file: refused as truncated, not allocated.
    expect(userError(() => parseNpy(npyBytes(f8('(4000000, 8)')), 'short.npy'))).toBe(
      'short.npy: truncated: header says 4000000×8 float64 (256000000 bytes), file has 0',
    );
    expect(userError(() => parseNpy(npyBytes(f8('(' + '1, '.repeat(40) + ')')), 'deep.npy'))).toMatch(/40 dimensions \(NumPy allows at most 32\)/);
  });

  it('refuses a header longer than the file or implausibly long', () => {
    const bytes = npyF8([2], [1, 2]);
    const view = new DataView(bytes.buffer);
    view.setUint16(8, 60000, true);
    expect(userError(() => parseNpy(bytes, 'cut.npy'))).toMatch(/^cut\.npy: truncated \.npy header \(it says 60000 bytes, \d+ are there\)$/);
    const v2 = npyBytes(f8('(2,)'), new Uint8Array(16), 2);
    new DataView(v2.buffer).setUint32(8, 0xfffffff0, true);
    expect(userError(() => parseNpy(v2, 'long.npy'))).toBe('long.npy: .npy header of 4294967280 bytes is implausibly long (at most 65536)');
  });

  it('refuses dtypes it does not read, by name', () => {
    for (const descr of ['<c8', '<f2', '|V8', 'xf8', '', '<M8[ns]', '|b1']) {
      const msg = userError(() => parseNpy(npyBytes(`{'descr': '${descr}', 'fortran_order': False, 'shape': (2,), }`, new Uint8Array(32)), 'd.npy'));
      expect(msg).toMatch(/^d\.npy: unsupported dtype/);
    }
    expect(userError(() => parseNpy(npyBytes(`{'descr': '<U0', 'fortran_order': False, 'shape': (2,), }`), 'u.npy'))).toMatch(/width 0/);
    // A unicode string of width 10^9: its bytes are not there, so nothing is allocated for it.
    expect(userError(() => parseNpyAny(npyBytes(`{'descr': '<U999999999', 'fortran_order': False, 'shape': (1,), }`), 'w.npy'))).toMatch(/^w\.npy: truncated/);
    expect(userError(() => parseNpyAny(npyBytes(`{'descr': '|S1', 'fortran_order': False, 'shape': (2000000,), }`, new Uint8Array(2_000_000)), 's.npy'))).toBe(
      's.npy: 2,000,000 strings, more than eds reads in one text array (1,048,576)',
    );
    const bad = new Uint8Array(8);
    new DataView(bad.buffer).setUint32(0, 0x7fffffff, true);
    expect(userError(() => parseNpyAny(npyBytes(`{'descr': '<U2', 'fortran_order': False, 'shape': (1,), }`, bad), 'cp.npy'))).toMatch(
      /not a Unicode character/,
    );
  });

  it('reads Fortran order as C order, and refuses an order flag that is not True or False', () => {
    // [[1, 2, 3], [4, 5, 6]] stored column by column.
    const data = new Uint8Array(new Float64Array([1, 4, 2, 5, 3, 6]).buffer);
    const arr = parseNpy(npyBytes(`{'descr': '<f8', 'fortran_order': True, 'shape': (2, 3), }`, data), 'f.npy');
    expect(Array.from(arr.data)).toEqual([1, 2, 3, 4, 5, 6]);
    expect(userError(() => parseNpy(npyBytes(`{'descr': '<f8', 'fortran_order': 1, 'shape': (2, 3), }`, data), 'o.npy'))).toMatch(
      /no 'fortran_order' True or False/,
    );
  });

  it('refuses data shorter than declared, at every cut of a real file, and survives every flipped byte', () => {
    const bytes = readFileSync(path.join(fixtures, 'f8_le_2d.npy'));
    expect(userError(() => parseNpy(bytes.subarray(0, bytes.length - 1), 'cut.npy'))).toBe(
      'cut.npy: truncated: header says 3×4 float64 (96 bytes), file has 95',
    );
    const refused = fuzzTruncationsAndFlips(bytes, (b) => parseNpy(b, 'fuzz.npy'));
    expect(refused).toBeGreaterThanOrEqual(bytes.length); // every cut at least
  });

  it('names a hostile file name without its control characters', () => {
    const msg = userError(() => parseNpy(npyBytes(f8('(-1,)')), 'evil\u001b]0;owned\u0007\n.npy'));
    expectOneCleanLine(msg);
    expect(msg).toMatch(/^evil\]0;owned \.npy: /);
  });
});

describe('special and oversized files', () => {
  it('refuses a directory, a named pipe and a device in one line, without blocking', () => {
    mkdirSync(path.join(tmp, 'dir.npy'));
    expect(userError(() => readNpy(path.join(tmp, 'dir.npy')))).toBe(`${path.join(tmp, 'dir.npy')}: cannot read: is a directory`);
    execFileSync('mkfifo', [path.join(tmp, 'pipe.npy')]);
    expect(userError(() => readNpy(path.join(tmp, 'pipe.npy')))).toMatch(/pipe\.npy: cannot read: is a named pipe, not a file$/);
    expect(userError(() => readNpz('/dev/zero'))).toBe('/dev/zero: cannot read: is a device, not a file');
  });

  it('refuses a file over the size cap before reading it (a sparse file: nothing is written to disk)', () => {
    const file = path.join(tmp, 'big.npy');
    const fd = openSync(file, 'w');
    ftruncateSync(fd, READ_LIMITS.fileBytes + 1);
    closeSync(fd);
    const grown = peakGrowthMB(() =>
      expect(userError(() => readNpy(file))).toMatch(/big\.npy: 537 MB is larger than eds reads as data \(537 MB\); cut it into smaller files$/),
    );
    expect(grown).toBeLessThan(50);
  });

  it('refuses an 8-bit array that would become too many float64 values', () => {
    // 40 M uint8 values fit in a 40 MB file but would take 320 MB as float64.
    const file = path.join(tmp, 'bytes.npy');
    writeFileSync(file, npyBytes(`{'descr': '|u1', 'fortran_order': False, 'shape': (40000000,), }`));
    const fd = openSync(file, 'r+');
    ftruncateSync(fd, 40_000_128);
    closeSync(fd);
    expect(userError(() => readNpy(file))).toMatch(/40000000 = 40,000,000 values, more than eds reads in one array/);
  });
});

/** A deflated member whose npy header declares `shape`, whose deflate stream inflates to `zeroMiB` MiB of zeros after it, and whose sizes say `size`. */
function bombMember(name: string, shape: string, zeroMiB: number, size: number): ZipMember {
  const head = npyBytes(f8(shape));
  return { name, stored: deflatedZeros(head, zeroMiB), method: 8, size, crc: 0 };
}

describe('.npz decompression bombs', () => {
  it('refuses a member that declares more than the cap, before inflating it', () => {
    // 1 GiB of zeros in about 1 MB, declared honestly (as a 1.46 MB bomb of the planners was).
    const npz = zipBytes([bombMember('data.npy', '(134217728,)', 1024, 0xffffffff)]);
    expect(npz.length).toBeLessThan(1_200_000);
    let msg = '';
    const grown = peakGrowthMB(() => (msg = userError(() => parseNpz(npz, 'bomb.npz'))));
    expect(msg).toBe("bomb.npz: entry 'data.npy': declares 4.29 GB uncompressed, more than eds inflates (268 MB); refused before inflating");
    expect(grown).toBeLessThan(100);
  });

  it('stops inflating a member that lies about its size (small header, 1 GiB stream)', () => {
    const head = npyBytes(f8('(100,)'));
    const npz = zipBytes([bombMember('data.npy', '(100,)', 1024, head.length + 800)]);
    let msg = '';
    const grown = peakGrowthMB(() => (msg = userError(() => parseNpz(npz, 'liar.npz'))));
    expect(msg).toBe("liar.npz: entry 'data.npy': inflates to more than the 928 bytes its header declares (a decompression bomb?); refused");
    expect(grown).toBeLessThan(100);
  });

  it('refuses a member whose array shape declares more values than the cap, or more bytes than the member', () => {
    const big = zipBytes([bombMember('data.npy', '(134217728,)', 1, 2_000_000)]);
    const grown = peakGrowthMB(() =>
      expect(userError(() => parseNpz(big, 'shape.npz'))).toMatch(
        /^shape\.npz:data\.npy: the header declares 134217728 = 134,217,728 values, more than eds reads in one array/,
      ),
    );
    expect(grown).toBeLessThan(100);
    const head = npyBytes(f8('(1000000,)'));
    const small = zipBytes([bombMember('data.npy', '(1000000,)', 8, head.length + 1000)]);
    expect(userError(() => parseNpz(small, 'shape.npz'))).toBe(
      "shape.npz: entry 'data.npy': its header declares shape (1000000) '<f8' (8 MB), but the entry holds 1128 bytes",
    );
  });

  it('counts every member against one cap for the whole archive, and bounds the number of entries', () => {
    const members = ['a', 'b', 'c'].map((n) => ({ ...member(`${n}.npy`, npyF8([1], [1]), 0), size: 100 * 1024 * 1024 }));
    expect(userError(() => parseNpz(zipBytes(members), 'many.npz'))).toMatch(
      /^many\.npz: its entries declare 315 MB\+ uncompressed together, more than eds inflates \(268 MB\); refused before inflating$/,
    );
    const lots = zipBytes([member('a.npy', npyF8([1], [1]))]);
    new DataView(lots.buffer).setUint16(lots.length - 12, 60000, true);
    expect(userError(() => parseNpz(lots, 'lots.npz'))).toBe('lots.npz: the archive declares 60000 entries; a .npz of arrays holds at most 4096 here');
  });

  it('refuses a local header that disagrees with the central directory, and unknown compression', () => {
    const m = member('data.npy', npyF8([3], [1, 2, 3]));
    expect(parseNpz(zipBytes([m]), 'ok.npz').arrays.get('data')!.data).toEqual(new Float64Array([1, 2, 3]));
    expect(userError(() => parseNpz(zipBytes([{ ...m, localSize: 5_000_000 }]), 'two.npz'))).toBe(
      "two.npz: entry 'data.npy': damaged zip archive (local header says 5000000 bytes, the central directory 152)",
    );
    const bz = zipBytes([m]);
    // Method 12 (bzip2) in both headers.
    new DataView(bz.buffer).setUint16(8, 12, true);
    const cd = bz.length - 22 - 46 - 'data.npy'.length;
    new DataView(bz.buffer).setUint16(cd + 10, 12, true);
    expect(userError(() => parseNpz(bz, 'bz.npz'))).toBe("bz.npz: entry 'data.npy': unsupported zip compression method 12 (expected stored or deflated)");
  });

  it('refuses a member whose CRC does not match, and names a hostile member name without control characters', () => {
    const m = member('data.npy', npyF8([3], [1, 2, 3]));
    expect(userError(() => parseNpz(zipBytes([{ ...m, crc: (m.crc ^ 1) >>> 0 }]), 'crc.npz'))).toBe(
      "crc.npz: entry 'data.npy': corrupt data (CRC or size mismatch)",
    );
    const evil = member('\u001b[2J\u001b]0;x\u0007.npy', npyF8([1], [1]), 0);
    const msg = userError(() => parseNpz(zipBytes([{ ...evil, crc: 1 }]), 'evil.npz'));
    expectOneCleanLine(msg);
    expect(msg).toContain("entry '[2J]0;x.npy'");
  });

  it('survives every cut and every flipped byte of the NumPy-written archives', () => {
    for (const name of ['stored.npz', 'deflated.npz']) {
      const bytes = readFileSync(path.join(fixtures, name));
      expect(fuzzTruncationsAndFlips(bytes, (b) => parseNpz(b, name))).toBeGreaterThanOrEqual(bytes.length);
    }
  });

  it('survives cuts and flips in the headers of a real PhaseNet record', () => {
    const bytes = readFileSync(realPhase);
    expect(parseNpz(bytes, 'real.npz').arrays.get('data')!.shape).toEqual([9001, 3]);
    // The archive's structure is at both ends (local header + npy header of `data`, then the small arrays and the directory).
    const head = bytes.subarray(0, 200);
    const check = (b: Uint8Array): void => {
      try {
        parseNpz(b, 'real.npz');
      } catch (err) {
        expect((err as Error).name).toBe('UserError');
      }
    };
    for (let i = 0; i < head.length; i++) {
      const flipped = new Uint8Array(bytes);
      flipped[i]! ^= 0xff;
      check(flipped);
    }
    for (let i = bytes.length - 1200; i < bytes.length; i++) {
      const flipped = new Uint8Array(bytes);
      flipped[i]! ^= 0xff;
      check(flipped);
      check(bytes.subarray(0, i));
    }
  });
});
