// IDX reader and digits sources, on the real MNIST t10k files in ../shared/data/digits and the `mnist` package.
import { describe, expect, it } from 'vitest';
import path from 'node:path';
import { readFileSync, writeFileSync, mkdtempSync } from 'node:fs';
import { gzipSync, gunzipSync } from 'node:zlib';
import { tmpdir } from 'node:os';
import { parseIdx, readIdxFile } from '../../src/data/idx.js';
import { loadIdxDigits, loadPackagedDigits, splitDigits } from '../../src/data/digits.js';
import { UserError } from '../../src/errors.js';

const ROOT = path.resolve(import.meta.dirname, '../..');
const IMAGES = path.resolve(ROOT, '../shared/data/digits/t10k-images-idx3-ubyte.gz');
const LABELS = path.resolve(ROOT, '../shared/data/digits/t10k-labels-idx1-ubyte.gz');

describe('IDX reader', () => {
  it('reads the gzipped MNIST test images and labels', () => {
    const images = readIdxFile(IMAGES);
    expect(images.type).toBe('uint8');
    expect(images.shape).toEqual([10000, 28, 28]);
    const labels = readIdxFile(LABELS);
    expect(labels.shape).toEqual([10000]);
    // The well-known first labels of t10k: 7 2 1 0 4 1 4 9 5 9.
    expect(Array.from(labels.data.subarray(0, 10))).toEqual([7, 2, 1, 0, 4, 1, 4, 9, 5, 9]);
    const counts = new Array(10).fill(0);
    for (const v of labels.data) counts[v]++;
    expect(counts).toEqual([980, 1135, 1032, 1010, 982, 892, 958, 1028, 974, 1009]);
  });

  it('reads raw (uncompressed) bytes the same, and other element types big-endian', () => {
    const raw = gunzipSync(readFileSync(LABELS));
    expect(Array.from(parseIdx(raw).data.subarray(0, 3))).toEqual([7, 2, 1]);
    const f32 = Buffer.alloc(4 + 4 + 8);
    f32.set([0, 0, 0x0d, 1]);
    f32.writeUInt32BE(2, 4);
    f32.writeFloatBE(1.5, 8);
    f32.writeFloatBE(-2, 12);
    expect(parseIdx(f32)).toEqual({ type: 'float32', shape: [2], data: new Float32Array([1.5, -2]) });
  });

  it('rejects a truncated file and a wrong magic in one line', () => {
    const raw = gunzipSync(readFileSync(IMAGES));
    const truncated = () => parseIdx(gzipSync(raw.subarray(0, 5000)), 'short.gz');
    expect(truncated).toThrow(UserError);
    expect(truncated).toThrow(/^short\.gz: truncated: the header promises 10000×28×28 uint8 values \(7840016 bytes\) but there are 5000$/);
    const png = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0, 0, 0, 0]);
    expect(() => parseIdx(png, 'digit.png')).toThrow(/^digit\.png: not an IDX file \(expected magic 0x0000TTDD, found 0x89504e47\)$/);
    expect(() => parseIdx(raw.subarray(0, 8), 'head')).toThrow(/^head: truncated IDX header/);
    const brokenGzip = readFileSync(IMAGES).subarray(0, 1000);
    expect(() => parseIdx(brokenGzip, 'cut.gz')).toThrow(/^cut\.gz: the gzip stream is damaged or truncated/);
    expect(() => readIdxFile('/nonexistent/x.gz')).toThrow(/^\/nonexistent\/x\.gz: cannot read: no such file$/);
  });

  it('loadIdxDigits checks that images and labels belong together', () => {
    const set = loadIdxDigits(IMAGES, LABELS);
    expect(set.count).toBe(10000);
    expect(set.pixels.length).toBe(10000 * 784);
    const dir = mkdtempSync(path.join(tmpdir(), 'eds-idx-'));
    const fewLabels = Buffer.alloc(8 + 3);
    fewLabels.set([0, 0, 8, 1]);
    fewLabels.writeUInt32BE(3, 4);
    writeFileSync(path.join(dir, 'labels'), fewLabels);
    expect(() => loadIdxDigits(IMAGES, path.join(dir, 'labels'))).toThrow(/3 labels for 10000 images/);
  });
});

describe('packaged digits', () => {
  it('are the 10,000 real MNIST digits of the mnist package, restored to bytes', () => {
    const set = loadPackagedDigits();
    expect(set.count).toBe(10000);
    const counts = new Array(10).fill(0);
    for (const v of set.labels) counts[v]++;
    expect(counts).toEqual([1001, 1127, 991, 1032, 980, 863, 1014, 1070, 944, 978]);
    // Real digits: ink covers roughly a fifth of the frame, background is exactly 0.
    let ink = 0;
    for (const v of set.pixels) if (v > 0) ink++;
    expect(ink / set.pixels.length).toBeGreaterThan(0.1);
    expect(ink / set.pixels.length).toBeLessThan(0.3);
  });

  it('split is seeded, disjoint and of the asked sizes', () => {
    const set = loadPackagedDigits();
    const a = splitDigits(set, 300, 100, 42);
    const b = splitDigits(set, 300, 100, 42);
    const c = splitDigits(set, 300, 100, 43);
    expect(a.train.pixels).toEqual(b.train.pixels);
    expect(a.train.labels).not.toEqual(c.train.labels);
    expect([a.train.count, a.test.count]).toEqual([300, 100]);
    const key = (s: typeof a.train, i: number) => Buffer.from(s.pixels.subarray(i * 784, (i + 1) * 784)).toString('base64');
    const trainKeys = new Set(Array.from({ length: 300 }, (_, i) => key(a.train, i)));
    for (let i = 0; i < 100; i++) expect(trainKeys.has(key(a.test, i))).toBe(false);
    expect(() => splitDigits(set, 9000, 2000, 1)).toThrow(/exceeds the 10000 digits/);
  });
});
