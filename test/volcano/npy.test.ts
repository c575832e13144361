// NumPy .npy/.npz readers against files written by NumPy itself (test/fixtures/numpy/make_fixtures.py) and the real phase files.
import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { UserError } from '../../src/errors.js';
import { npyAt, parseNpy, readNpy } from '../../src/data/npy.js';
import { npzArray, parseNpz, readNpz } from '../../src/data/npz.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const fixtures = path.join(root, 'test/fixtures/numpy');
const phasesDir = path.resolve(root, '../shared/data/phases');

interface ExpectedArray {
  dtype: string;
  shape: number[];
  data: number[];
}
const expected = JSON.parse(readFileSync(path.join(fixtures, 'expected.json'), 'utf8')) as Record<string, unknown>;

function expectValues(actual: Float64Array, want: number[]): void {
  expect(actual.length).toBe(want.length);
  // float32 values were widened to float64 by NumPy too, so equality is exact.
  want.forEach((v, i) => expect(actual[i]).toBe(v));
}

describe('readNpy', () => {
  const npyNames = Object.keys(expected).filter((k) => k.endsWith('.npy'));
  it('has fixtures for every layout', () => {
    expect(npyNames.length).toBeGreaterThanOrEqual(14);
  });
  for (const name of npyNames) {
    it(`reads ${name} as NumPy does`, () => {
      const want = expected[name] as ExpectedArray;
      const arr = readNpy(path.join(fixtures, name));
      expect(arr.dtype).toBe(want.dtype);
      expect(arr.shape).toEqual(want.shape);
      expectValues(arr.data, want.data);
    });
  }

  it('transposes Fortran order into C order', () => {
    const c = readNpy(path.join(fixtures, 'f8_le_2d.npy'));
    const f = readNpy(path.join(fixtures, 'f8_fortran_2d.npy'));
    expect(Array.from(f.data)).toEqual(Array.from(c.data));
    // base[i, j] = (4i + j) * 1.5 - 4.25
    expect(npyAt(f, 2, 1)).toBe(9 * 1.5 - 4.25);
    const f3 = readNpy(path.join(fixtures, 'f4_be_fortran_3d.npy'));
    const c3 = readNpy(path.join(fixtures, 'f8_le_3d.npy'));
    expect(f3.shape).toEqual([2, 3, 4]);
    for (let k = 0; k < 24; k++) expect(f3.data[k]).toBeCloseTo(c3.data[k]!, 2);
  });

  it('converts integers of both byte orders to floats', () => {
    expect(Array.from(readNpy(path.join(fixtures, 'i2_be_2d.npy')).data)).toEqual([-32768, -1, 0, 1, 1234, 32767]);
    expect(Array.from(readNpy(path.join(fixtures, 'i4_le_1d.npy')).data)).toEqual([-2147483648, -7, 0, 99, 2147483647]);
  });

  it('says in one line what is wrong with a bad file', () => {
    const msg = (f: () => unknown): string => {
      try {
        f();
      } catch (e) {
        expect(e).toBeInstanceOf(UserError);
        return (e as Error).message;
      }
      throw new Error('expected a UserError');
    };
    expect(msg(() => readNpy(path.join(fixtures, 'truncated.npy')))).toBe('truncated.npy: truncated: header says 9001×3 float64 (216024 bytes), file has 1000');
    expect(msg(() => readNpy(path.join(fixtures, 'complex.npy')))).toMatch(/^complex\.npy: unsupported dtype '<c16'/);
    expect(msg(() => readNpy(path.join(fixtures, 'object.npy')))).toMatch(/^object\.npy: object arrays are not supported/);
    expect(msg(() => parseNpy(new TextEncoder().encode('x,y\n1,2\n'), 'data.npy'))).toBe('data.npy: not a NumPy .npy file (bad magic bytes)');
    expect(msg(() => readNpy(path.join(fixtures, 'missing.npy')))).toMatch(/missing\.npy: cannot read: no such file$/);
    expect(msg(() => readNpy(path.join(fixtures, 'stored.npz')))).toMatch(/bad magic/);
  });
});

describe('readNpz', () => {
  for (const name of ['stored.npz', 'deflated.npz']) {
    it(`reads ${name} (zip methods ${JSON.stringify((expected[name] as { _methods: number[] })._methods)})`, () => {
      const want = expected[name] as Record<string, ExpectedArray & { text?: string[] }>;
      const npz = readNpz(path.join(fixtures, name));
      const keys = Object.keys(want).filter((k) => !k.startsWith('_'));
      expect([...npz.arrays.keys(), ...npz.text.keys()].sort()).toEqual(keys.sort());
      for (const key of keys) {
        const w = want[key]!;
        if (w.text) {
          expect(npz.text.get(key)!.text).toEqual(w.text);
          continue;
        }
        const arr = npzArray(npz, key, name);
        expect(arr.shape).toEqual(w.shape);
        expect(arr.dtype).toBe(w.dtype);
        expectValues(arr.data, w.data);
      }
    });
  }

  it('refuses a damaged archive and a missing key in one line', () => {
    const bytes = readFileSync(path.join(fixtures, 'deflated.npz'));
    expect(() => parseNpz(bytes.subarray(0, 600), 'cut.npz')).toThrow(/^cut\.npz: truncated zip archive/);
    const flipped = new Uint8Array(bytes);
    flipped[80]! ^= 0xff; // inside the first deflated entry
    expect(() => parseNpz(flipped, 'bad.npz')).toThrow(/^bad\.npz: entry '.*': corrupt/);
    expect(() => parseNpz(new Uint8Array(100), 'zero.npz')).toThrow('zero.npz: not a .npz (zip) archive');
    expect(() => npzArray(readNpz(path.join(fixtures, 'stored.npz')), 'wave', 'stored.npz')).toThrow(
      "stored.npz: no numeric array 'wave' (has: data, itp, channels)",
    );
  });

  it('reads the real PhaseNet samples: 9001×3 float64 with P at sample 3000 and S after it', () => {
    const files = readdirSync(phasesDir).filter((f) => f.endsWith('.npz'));
    expect(files.length).toBe(22);
    for (const f of files) {
      const npz = readNpz(path.join(phasesDir, f));
      const data = npzArray(npz, 'data', f);
      expect(data.dtype).toBe('<f8');
      expect(data.shape).toEqual([9001, 3]);
      expect(data.data.every(Number.isFinite)).toBe(true);
      const itp = npzArray(npz, 'itp', f);
      const its = npzArray(npz, 'its', f);
      expect(itp.shape).toEqual([]);
      expect(itp.data[0]).toBe(3000);
      expect(its.data[0]).toBeGreaterThan(3000);
      expect(its.data[0]).toBeLessThan(9001);
      expect(npz.text.get('channels')!.text[0]).toMatch(/^[A-Z0-9]{3}(_[A-Z0-9]{3})*$/);
    }
  });

  it('matches values NumPy prints for one real file', () => {
    const npz = readNpz(path.join(phasesDir, 'BG_ACR_2012082505145960.npz'));
    const data = npzArray(npz, 'data');
    // np.load(...)['data'][:2]
    expect(npyAt(data, 0, 0)).toBeCloseTo(110.5134985, 6);
    expect(npyAt(data, 0, 2)).toBeCloseTo(27.83846239, 6);
    expect(npyAt(data, 1, 1)).toBeCloseTo(6.91212088, 6);
    expect(npzArray(npz, 'its').data[0]).toBe(3099);
    expect(npz.text.get('channels')!.text).toEqual(['DPE_DPN_DPZ']);
  });
});
