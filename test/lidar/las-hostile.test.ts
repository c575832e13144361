// Hostile LAS headers: each bad field is refused by its name (so a garbage file is never read as points and blamed on the radii later).
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parseLas, readLas } from '../../src/data/las.js';
import { expectOneCleanLine, fuzzTruncationsAndFlips, userError, userErrorAsync } from '../data/hostile.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const real = readFileSync(path.resolve(root, '../shared/data/lidar/laspy-simple.las'));

/** The real laspy file with one header field changed. */
function patched(edit: (view: DataView) => void): Uint8Array {
  const bytes = Uint8Array.from(real);
  edit(new DataView(bytes.buffer));
  return bytes;
}

describe('LAS header validation', () => {
  it('reads the real file unchanged', () => {
    expect(parseLas(real, 'laspy-simple.las').x.length).toBe(1065);
  });

  it('refuses a zero, NaN, infinite or overflowing scale factor, naming the axis', () => {
    expect(
      userError(() =>
        parseLas(
          patched((v) => v.setFloat64(131, 0, true)),
          'a.las',
        ),
      ),
    ).toBe('a.las: bad LAS header: X scale factor is 0 (it must be a finite, non-zero number of metres per unit, e.g. 0.01)');
    expect(
      userError(() =>
        parseLas(
          patched((v) => v.setFloat64(139, NaN, true)),
          'b.las',
        ),
      ),
    ).toMatch(/^b\.las: bad LAS header: Y scale factor is NaN/);
    expect(
      userError(() =>
        parseLas(
          patched((v) => v.setFloat64(147, -Infinity, true)),
          'c.las',
        ),
      ),
    ).toMatch(/^c\.las: bad LAS header: Z scale factor is -Infinity/);
    expect(
      userError(() =>
        parseLas(
          patched((v) => v.setFloat64(131, 1e300, true)),
          'd.las',
        ),
      ),
    ).toBe('d.las: bad LAS header: X scale factor is 1e+300: coordinates would overflow');
    // A negative scale mirrors the axis: legal, and read.
    expect(
      parseLas(
        patched((v) => v.setFloat64(131, -0.01, true)),
        'e.las',
      ).x.length,
    ).toBe(1065);
  });

  it('refuses a NaN or infinite offset', () => {
    expect(
      userError(() =>
        parseLas(
          patched((v) => v.setFloat64(163, NaN, true)),
          'o.las',
        ),
      ),
    ).toBe('o.las: bad LAS header: Y offset is NaN (it must be a finite number of metres)');
    expect(
      userError(() =>
        parseLas(
          patched((v) => v.setFloat64(171, Infinity, true)),
          'o.las',
        ),
      ),
    ).toMatch(/Z offset is Infinity/);
  });

  it('refuses a point data offset inside the header or past the end, and a header size below the minimum', () => {
    expect(
      userError(() =>
        parseLas(
          patched((v) => v.setUint32(96, 100, true)),
          'p.las',
        ),
      ),
    ).toBe('p.las: bad LAS header: offset to point data is 100, inside the 227-byte header');
    expect(
      userError(() =>
        parseLas(
          patched((v) => v.setUint32(96, 0xfffffff0, true)),
          'p.las',
        ),
      ),
    ).toBe(`p.las: bad LAS header: offset to point data is ${0xfffffff0}, past the end of the ${real.length}-byte file`);
    expect(
      userError(() =>
        parseLas(
          patched((v) => v.setUint16(94, 100, true)),
          'h.las',
        ),
      ),
    ).toBe('h.las: bad LAS header: header size is 100 bytes, less than the 227 every LAS header has');
    expect(
      userError(() =>
        parseLas(
          patched((v) => v.setUint8(24, 2)),
          'v.las',
        ),
      ),
    ).toBe('v.las: bad LAS header: version is 2.2 (this reader knows LAS 1.0–1.4)');
  });

  it('refuses a record length shorter than the format, and counts that do not fit the file', () => {
    expect(
      userError(() =>
        parseLas(
          patched((v) => v.setUint16(105, 10, true)),
          'r.las',
        ),
      ),
    ).toBe('r.las: bad LAS header: point data record length 10 bytes is too short for format 3 (34 bytes)');
    expect(
      userError(() =>
        parseLas(
          patched((v) => v.setUint32(107, 0xffffffff, true)),
          'n.las',
        ),
      ),
    ).toBe('n.las: truncated LAS point data (the header says 4294967295 point records, the file holds 1065)');
    expect(
      userError(() =>
        parseLas(
          patched((v) => v.setUint32(107, 0, true)),
          'z.las',
        ),
      ),
    ).toBe("z.las: holds no points (its header's number of point records is 0)");
    // LAS 1.4's 64-bit count: 2^60 points declared in a 36 kB file.
    const big = new Uint8Array(400);
    big.set(real.subarray(0, 227));
    const view = new DataView(big.buffer);
    view.setUint8(25, 4);
    view.setUint16(94, 375, true);
    view.setUint32(96, 375, true);
    view.setBigUint64(247, 2n ** 60n, true);
    expect(userError(() => parseLas(big, 'big.las'))).toMatch(
      /^big\.las: truncated LAS point data \(the header says 1152921504606847000 point records, the file holds 0\)$/,
    );
  });

  it('survives every cut of the header and every flipped header byte, and a hostile file name', async () => {
    const head = real.subarray(0, 300);
    // Cuts and flips of the header region, each on the full file (the points stay there).
    let refused = 0;
    for (let i = 0; i < head.length; i++) {
      const flipped = Uint8Array.from(real);
      flipped[i]! ^= 0xff;
      try {
        parseLas(flipped, 'f.las');
      } catch (err) {
        expect((err as Error).name).toBe('UserError');
        expectOneCleanLine((err as Error).message);
        refused++;
      }
    }
    expect(refused).toBeGreaterThanOrEqual(10);
    fuzzTruncationsAndFlips(real.subarray(0, 600), (b) => parseLas(b, 'cut.las'), 1);
    const msg = await userErrorAsync(() => readLas('/nonexistent/\u001b[2Jx.las'));
    expect(msg).toBe('/nonexistent/[2Jx.las: cannot read: no such file');
  });
});
