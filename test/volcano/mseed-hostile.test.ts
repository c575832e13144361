// Hostile miniSEED records: absurd sample counts, record lengths and blockette pointers, bad rates and times, hostile codes, cuts and flipped bytes.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parseMseed, parseMseedRecords } from '../../src/data/mseed.js';
import { fuzzTruncationsAndFlips, userError } from '../data/hostile.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const dir = path.join(root, 'test/fixtures/seismic');

interface RecordOptions {
  nSamples?: number;
  encoding?: number;
  exponent?: number;
  blockette?: number;
  dataOffset?: number;
  hour?: number;
  station?: string;
  factor?: number;
  /** Add a blockette 100 (actual sampling rate) with this rate. */
  rate100?: number;
}

/** One big-endian record like test/fixtures/numpy/make_fixtures.py writes: header, blockette 1000 at 48, data at 64 (int16 zeros). */
function record(o: RecordOptions = {}): Uint8Array {
  const size = 2 ** Math.min(o.exponent ?? 8, 12);
  const b = Buffer.alloc(size);
  b.write('000001D ', 0, 'latin1');
  b.write((o.station ?? 'EDS01').padEnd(5).slice(0, 5), 8, 'latin1');
  b.write('00HHZXX', 13, 'latin1');
  b.writeUInt16BE(2024, 20);
  b.writeUInt16BE(100, 22);
  b[24] = o.hour ?? 12;
  b.writeUInt16BE(o.nSamples ?? 10, 30);
  b.writeInt16BE(o.factor ?? 100, 32);
  b.writeInt16BE(1, 34);
  b[39] = o.rate100 === undefined ? 1 : 2;
  b.writeUInt16BE(o.dataOffset ?? 64, 44);
  b.writeUInt16BE(o.blockette ?? 48, 46);
  b.writeUInt16BE(1000, 48);
  b.writeUInt16BE(o.rate100 === undefined ? 0 : 56, 50);
  b[52] = o.encoding ?? 1;
  b[53] = 1;
  b[54] = o.exponent ?? 8;
  if (o.rate100 !== undefined) {
    b.writeUInt16BE(100, 56);
    b.writeFloatBE(o.rate100, 60);
    b.writeUInt16BE(80, 44);
    if (o.dataOffset === undefined) b.writeUInt16BE(80, 44);
  }
  return new Uint8Array(b);
}

describe('miniSEED records that lie', () => {
  it('reads the well-formed record the builder makes', () => {
    const [t] = parseMseed(record(), 'ok.mseed');
    expect(t!.samples.length).toBe(10);
    expect(t!.samplingRateHz).toBe(100);
    expect(parseMseed(record({ rate100: 40 }), 'ok.mseed')[0]!.samplingRateHz).toBe(40);
  });

  it('refuses sample counts the record cannot hold, before allocating them', () => {
    expect(userError(() => parseMseed(record({ nSamples: 65535 }), 'n.mseed'))).toBe('n.mseed: record 1: 65535 samples do not fit in 192 data bytes');
    expect(userError(() => parseMseed(record({ nSamples: 65535, encoding: 10 }), 's1.mseed'))).toBe(
      's1.mseed: record 1: header says 65535 samples, but 3 Steim1 frames hold at most 180',
    );
    expect(userError(() => parseMseed(record({ nSamples: 65535, encoding: 11 }), 's2.mseed'))).toBe(
      's2.mseed: record 1: header says 65535 samples, but 3 Steim2 frames hold at most 315',
    );
  });

  it('refuses absurd record lengths, blockette pointers and data offsets', () => {
    expect(userError(() => parseMseed(record({ exponent: 30 }), 'l.mseed'))).toBe(
      'l.mseed: record 1: record length 2^30 bytes is outside what miniSEED allows (2^6 to 2^20)',
    );
    expect(userError(() => parseMseed(record({ exponent: 255 }), 'l.mseed'))).toMatch(/2\^255 bytes is outside/);
    expect(userError(() => parseMseed(record({ exponent: 20 }), 'l.mseed'))).toBe('l.mseed: record 1: truncated (record length 1048576 bytes, 4096 left)');
    expect(userError(() => parseMseed(record({ blockette: 10 }), 'b.mseed'))).toBe('b.mseed: record 1: truncated or damaged (blockette at byte 10)');
    expect(userError(() => parseMseed(record({ blockette: 65000 }), 'b.mseed'))).toBe('b.mseed: record 1: truncated or damaged (blockette at byte 65000)');
    expect(userError(() => parseMseed(record({ dataOffset: 0 }), 'd.mseed'))).toBe(
      "d.mseed: record 1: data offset 0 lies outside the 256-byte record's data area",
    );
    expect(userError(() => parseMseed(record({ dataOffset: 300 }), 'd.mseed'))).toMatch(/data offset 300 lies outside/);
  });

  it('refuses a sampling rate that is not a positive number, and an impossible start time', () => {
    expect(userError(() => parseMseed(record({ rate100: NaN }), 'r.mseed'))).toBe('r.mseed: record 1: sampling rate NaN Hz is not a positive number');
    expect(userError(() => parseMseed(record({ rate100: -5 }), 'r.mseed'))).toMatch(/sampling rate -5 Hz/);
    expect(userError(() => parseMseed(record({ factor: 0 }), 'r.mseed'))).toMatch(/sampling rate 0 Hz/);
    expect(userError(() => parseMseed(record({ hour: 25 }), 't.mseed'))).toBe('t.mseed: record 1: not a miniSEED record (bad start time 25:0:0.0)');
  });

  it('shows control bytes in station codes as ?, and names a hostile file name inert', () => {
    const [t] = parseMseed(record({ station: '\u001b[2J' }), 'c.mseed');
    expect(t!.station).toBe('?[2J');
    const msg = userError(() => parseMseed(record({ nSamples: 65535 }), '\u001b]0;x\u0007.mseed'));
    expect(msg).toBe(']0;x.mseed: record 1: 65535 samples do not fit in 192 data bytes');
  });

  it('survives every cut and flipped byte of the Steim and integer fixtures', () => {
    for (const name of ['steim1.mseed', 'steim2.mseed', 'int16_be.mseed', 'float64_le.mseed']) {
      const bytes = readFileSync(path.join(dir, name));
      expect(fuzzTruncationsAndFlips(bytes, (b) => parseMseedRecords(b, name))).toBeGreaterThan(0);
    }
  });
});
