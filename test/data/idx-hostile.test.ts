// Hostile IDX files: gzip bombs (honest and lying headers), absurd dimensions, long gzip headers, cuts and flipped bytes.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { crc32, deflateRawSync, gunzipSync, gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { parseIdx, readIdxFile } from '../../src/data/idx.js';
import { deflatedZeros, fuzzTruncationsAndFlips, gzipAround, peakGrowthMB, userError } from './hostile.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const LABELS = path.resolve(root, '../shared/data/digits/t10k-labels-idx1-ubyte.gz');

/** An IDX header of uint8 values with these dimensions. */
function idxHeader(dims: number[], type = 0x08): Uint8Array {
  const b = Buffer.alloc(4 + 4 * dims.length);
  b.set([0, 0, type, dims.length]);
  dims.forEach((d, i) => b.writeUInt32BE(d >>> 0, 4 + 4 * i));
  return new Uint8Array(b);
}

describe('gzipped IDX bombs', () => {
  it('refuses a header that declares more than the cap, before inflating', () => {
    // 1 GiB of zeros behind a header declaring a million 28×28 images (784 MB), in about 1 MB.
    const gz = gzipAround(deflatedZeros(idxHeader([1_000_000, 28, 28]), 1024), 0, 0);
    expect(gz.length).toBeLessThan(1_200_000);
    let msg = '';
    const grown = peakGrowthMB(() => (msg = userError(() => parseIdx(gz, 'bomb-images.gz'))));
    expect(msg).toBe('bomb-images.gz: the header declares 1000000×28×28 uint8 values (784 MB), more than eds inflates (268 MB); refused before inflating');
    expect(grown).toBeLessThan(100);
  });

  it('stops inflating a stream that grows past what its header declares (3 GiB behind ten images)', () => {
    const gz = gzipAround(deflatedZeros(idxHeader([10, 28, 28]), 3072), 0, 7856);
    expect(gz.length).toBeLessThan(4_000_000);
    let msg = '';
    const grown = peakGrowthMB(() => (msg = userError(() => parseIdx(gz, 'liar.gz'))));
    expect(msg).toBe('liar.gz: inflates to more than the 7856 bytes its header declares (10×28×28 uint8); refused, inflating stopped there');
    expect(grown).toBeLessThan(100);
  });

  it('refuses absurd dimensions in a raw file without allocating them', () => {
    const raw = idxHeader([0xffffffff, 0xffffffff, 0xffffffff]);
    expect(userError(() => parseIdx(raw, 'huge.idx'))).toMatch(/^huge\.idx: truncated: the header promises 4294967295×4294967295×4294967295 uint8 values/);
    expect(userError(() => parseIdx(gzipSync(raw), 'huge.gz'))).toBe(
      'huge.gz: the header declares 4294967295×4294967295×4294967295 uint8 values (79228162459 EB), more than eds inflates (268 MB); refused before inflating',
    );
    expect(userError(() => parseIdx(idxHeader([3], 0x07), 'type.idx'))).toMatch(/unknown IDX element type 0x07/);
  });

  it('reads a stream whose gzip header carries a long file name, and a header of 255 dimensions', () => {
    const body = Buffer.concat([Buffer.from(idxHeader([3])), Buffer.from([7, 8, 9])]);
    const name = Buffer.alloc(5000, 0x61);
    const gz = Buffer.concat([Buffer.from([0x1f, 0x8b, 8, 0x08, 0, 0, 0, 0, 0, 3]), name, Buffer.from([0]), deflateRawSync(body), Buffer.alloc(8)]);
    gz.writeUInt32LE(crc32(body), gz.length - 8);
    gz.writeUInt32LE(body.length, gz.length - 4);
    expect(Array.from(parseIdx(gz, 'named.gz').data)).toEqual([7, 8, 9]);
    const deep = Buffer.concat([Buffer.from(idxHeader(new Array(255).fill(1))), Buffer.from([42])]);
    expect(parseIdx(gzipSync(deep), 'deep.gz').shape.length).toBe(255);
  });

  it('survives every cut and flipped byte of the real MNIST label file', () => {
    const bytes = readFileSync(LABELS);
    expect(parseIdx(bytes, 'labels.gz').shape).toEqual([10000]);
    expect(fuzzTruncationsAndFlips(bytes, (b) => parseIdx(b, 'labels.gz'), 3)).toBeGreaterThan(bytes.length / 3);
    const raw = gunzipSync(bytes).subarray(0, 200);
    fuzzTruncationsAndFlips(raw, (b) => parseIdx(b, 'labels.idx'));
  });

  it('refuses a directory and names a hostile file name without control characters', () => {
    expect(userError(() => readIdxFile(root))).toBe(`${root}: cannot read: is a directory`);
    const msg = userError(() => parseIdx(new Uint8Array([1, 2, 3, 4]), '\u001b[31mred\u001b[0m.gz'));
    expect(msg).toBe('[31mred[0m.gz: not an IDX file (expected magic 0x0000TTDD, found 0x01020304)');
  });
});
