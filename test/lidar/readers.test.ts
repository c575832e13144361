// Tests of the ASCII .xyz and LAS readers on the real sample files and on broken inputs.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { UserError } from '../../src/errors.js';
import { parseLas, readLas } from '../../src/data/las.js';
import { parseXyz, readXyz } from '../../src/data/xyz.js';
import { boundingBox, mergeClouds } from '../../src/data/point-cloud.js';
import { readPointCloud } from '../../src/lidar/io.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const sample = (name: string) => path.resolve(root, '../shared/data/lidar', name);

/** The message of the UserError `fn` throws (fails if it throws anything else). */
function userError(fn: () => unknown): string {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(UserError);
    return (err as Error).message;
  }
  throw new Error('expected a UserError');
}

describe('readXyz', () => {
  it('reads the dune sample files, one class per file, and merges them', async () => {
    const floor = await readXyz(sample('dunes-floor.xyz'), { label: 'floor' });
    const veg = await readXyz(sample('dunes-vegetation.xyz'), { label: 'vegetation' });
    expect(floor.x.length).toBe(40_069);
    expect(veg.x.length).toBe(4_608);
    expect([floor.x[0], floor.y[0], floor.z[0]]).toEqual([-19.029846, 9.207374, -2.496123]);
    expect(floor.classes).toEqual(['floor']);
    const both = mergeClouds([floor, veg]);
    expect(both.classes).toEqual(['floor', 'vegetation']);
    expect(both.label!.reduce((s, l) => s + l, 0)).toBe(4_608);
    expect(both.z[40_069]).toBe(veg.z[0]);
  });

  it('reads the ski sample, whose lines end in a space', async () => {
    const tree = await readPointCloud(sample('ski-tree.xyz'));
    expect(tree.x.length).toBe(19_530);
    expect(tree.x[0]).toBe(573.08197);
    expect(tree.label).toBeUndefined();
    expect(tree.attributes).toBeUndefined();
  });

  it('parses decimals exactly as Number() does', () => {
    const tokens = ['-19.029846', '0.1', '123456789012345', '1234567890.123456', '-0.000001', '+7', '1.', '.5', '1e3', '-2.5E-2'];
    const text = tokens.map((t) => `${t} 0 0`).join('\n');
    const c = parseXyz(text, 't.xyz');
    expect(Array.from(c.x)).toEqual(tokens.map(Number));
  });

  it('handles commas, CRLF, comments, a header naming the columns, extra columns and a label column by name', () => {
    const text = '# exported by hand\r\nclass,Z,X,Y,intensity\r\nground, 1.5, 10, 20, 7 # first\r\n\r\ntree,3,11,21,9\r\nground,1.25,12,22,8\r\n';
    const c = parseXyz(text, 'h.csv', { labelColumn: 'CLASS' });
    expect(Array.from(c.x)).toEqual([10, 11, 12]);
    expect(Array.from(c.y)).toEqual([20, 21, 22]);
    expect(Array.from(c.z)).toEqual([1.5, 3, 1.25]);
    expect(c.classes).toEqual(['ground', 'tree']);
    expect(Array.from(c.label!)).toEqual([0, 1, 0]);
    expect(Object.keys(c.attributes!)).toEqual(['intensity']);
    expect(Array.from(c.attributes!.intensity!)).toEqual([7, 9, 8]);
  });

  it('takes a numeric label column by index and sorts its classes numerically, with a CloudCompare // header', () => {
    const c = parseXyz('//X Y Z Classification\n0 0 0 10\n1 1 1 2\n2 2 2 10\n', 'cc.txt', { labelColumn: 3 });
    expect(c.classes).toEqual(['2', '10']);
    expect(Array.from(c.label!)).toEqual([1, 0, 1]);
  });

  it('names the file, the line and the problem in one line', () => {
    expect(userError(() => parseXyz('1 2 3\n4 5 6\n7 8\n', 'a.xyz'))).toBe('a.xyz:3: expected 3 columns (as on line 1), found 2');
    expect(userError(() => parseXyz('# c\n1 2 3\n4 5 abc\n', 'b.xyz'))).toBe('b.xyz:3: "abc" in column 3 is not a number');
    expect(userError(() => parseXyz('1 2 3\n1 2 nan\n', 'n.xyz'))).toContain('n.xyz:2: "nan"');
    expect(userError(() => parseXyz('1 2\n', 'c.xyz'))).toBe('c.xyz:1: expected at least 3 columns (x y z), found 2');
    expect(userError(() => parseXyz('# nothing\n\n', 'd.xyz'))).toBe('d.xyz: no points (the file is empty or only comments)');
    expect(userError(() => parseXyz('1 2 3\n', 'e.xyz', { labelColumn: 'class' }))).toContain('e.xyz: no column named "class"');
    expect(userError(() => parseXyz('1 2 3 4\n', 'f.xyz', { labelColumn: 7 }))).toContain('label column 7 does not exist');
    expect(userError(() => parseXyz('1 2 3\n', 'g.xyz', { label: 'a', labelColumn: 0 }))).toContain('not both');
  });

  it('reports a missing file as a user error', async () => {
    await expect(readXyz(sample('nope.xyz'))).rejects.toThrow(/nope\.xyz: cannot read: no such file$/);
    await expect(readPointCloud('cloud.ply')).rejects.toThrow(/unknown point-cloud extension ".ply"/);
  });
});

describe('readLas', () => {
  it('reads laspy-simple.las: 1,065 points, classes 1 and 2, coordinates inside the header box', async () => {
    const c = await readLas(sample('laspy-simple.las'));
    expect(c.header.version).toBe('1.2');
    expect(c.header.pointFormat).toBe(3);
    expect(c.header.pointCount).toBe(1_065);
    expect(c.x.length).toBe(1_065);
    expect(c.classCodes).toEqual([1, 2]);
    expect(c.classes).toEqual(['unclassified', 'ground']);
    const counts = [0, 0];
    for (const l of c.label) counts[l]!++;
    expect(counts[0]! + counts[1]!).toBe(1_065);
    expect(Math.min(...counts)).toBeGreaterThan(0);
    // The scaled, offset coordinates span exactly the header's box (to the 0.01 m scale).
    const box = boundingBox(c);
    for (let a = 0; a < 3; a++) {
      expect(box.min[a]).toBeCloseTo(c.header.min[a]!, 6);
      expect(box.max[a]).toBeCloseTo(c.header.max[a]!, 6);
    }
    expect(c.header.min[0]).toBeCloseTo(635_619.85, 6);
    expect(c.header.max[2]).toBeCloseTo(586.38, 6);
    expect(c.attributes.intensity!.some((v) => v > 0)).toBe(true);
  });

  it('refuses broken and foreign files with one line naming the file', () => {
    const bytes = readFileSync(sample('laspy-simple.las'));
    expect(userError(() => parseLas(bytes.subarray(0, 100), 'short.las'))).toBe('short.las: truncated LAS header (100 bytes, a header needs at least 227)');
    expect(userError(() => parseLas(bytes.subarray(0, bytes.length - 50), 'cut.las'))).toBe(
      'cut.las: truncated LAS point data (the header says 1065 point records, the file holds 1063)',
    );
    expect(userError(() => parseLas(new TextEncoder().encode('x y z\n1 2 3\n'), 'points.las'))).toBe(
      'points.las: not a LAS file (it does not start with "LASF")',
    );
    expect(userError(() => parseLas(new Uint8Array(0), 'empty.las'))).toContain('not a LAS file');
    const laz = Uint8Array.from(bytes);
    laz[104] = 0x83; // the LASzip-compressed flag on format 3
    expect(userError(() => parseLas(laz, 'tile.las'))).toContain('tile.las: LAZ (compressed LAS) is not supported');
  });

  it('reads classes from the low five bits only in formats 0–5', () => {
    const bytes = Uint8Array.from(readFileSync(sample('laspy-simple.las')));
    const dataOffset = new DataView(bytes.buffer).getUint32(96, true);
    bytes[dataOffset + 15] = 0x80 | 2; // withheld flag + ground
    expect(parseLas(bytes, 'w.las').classes[parseLas(bytes, 'w.las').label[0]!]).toBe('ground');
  });
});
