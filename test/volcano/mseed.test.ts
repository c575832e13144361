// miniSEED 2 decoder against records built by test/fixtures/numpy/make_fixtures.py (an independent Steim encoder).
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parseMseed, parseMseedRecords, readMseed } from '../../src/data/mseed.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const dir = path.join(root, 'test/fixtures/seismic');
const expected = JSON.parse(readFileSync(path.join(dir, 'mseed.json'), 'utf8')) as Record<string, { records: number; samples: number[] }> & {
  _start_iso: string;
};
const start = Date.parse(expected._start_iso);

describe('readMseed', () => {
  for (const level of [1, 2]) {
    it(`decodes Steim${level} records and merges them into one trace`, () => {
      const want = expected[`steim${level}.mseed`]!;
      const bytes = readFileSync(path.join(dir, `steim${level}.mseed`));
      expect(parseMseedRecords(bytes).length).toBe(want.records);
      expect(want.records).toBeGreaterThan(1);
      const traces = readMseed(path.join(dir, `steim${level}.mseed`));
      expect(traces.length).toBe(1);
      const t = traces[0]!;
      expect([t.network, t.station, t.location, t.channel]).toEqual(['XX', 'EDS01', '00', 'HHZ']);
      expect(t.samplingRateHz).toBe(100);
      expect(t.startTimeMs).toBeCloseTo(start, 6);
      expect(Array.from(t.samples)).toEqual(want.samples);
    });
  }

  for (const enc of ['int16', 'int32', 'float32', 'float64']) {
    for (const order of ['be', 'le']) {
      it(`decodes ${enc} samples (${order === 'be' ? 'big' : 'little'}-endian)`, () => {
        const [t] = readMseed(path.join(dir, `${enc}_${order}.mseed`));
        expect(Array.from(t!.samples)).toEqual(expected[`${enc}_${order}.mseed`]!.samples);
        // factor -10, multiplier 1: one sample every 10 s
        expect(t!.samplingRateHz).toBeCloseTo(0.1, 12);
        expect(new Date(t!.startTimeMs).toISOString()).toBe(expected._start_iso);
        expect(t!.channel).toBe('BHN');
      });
    }
  }

  it('starts a new trace at a gap', () => {
    const bytes = new Uint8Array(readFileSync(path.join(dir, 'steim2.mseed')));
    // Move the second record's start second from 56+n to 59+n: a gap of 3 s.
    const rec2 = 512;
    bytes[rec2 + 26] = bytes[rec2 + 26]! + 3;
    const traces = parseMseed(bytes);
    expect(traces.length).toBe(2);
    expect(traces[1]!.startTimeMs - traces[0]!.startTimeMs).toBeCloseTo((traces[0]!.samples.length / 100 + 3) * 1000, 3);
  });

  it('says in one line what is wrong with a bad file', () => {
    const good = readFileSync(path.join(dir, 'steim1.mseed'));
    expect(() => parseMseed(new TextEncoder().encode('this is a text file, certainly not seismic data at all....'), 'notes.mseed')).toThrow(
      'notes.mseed: record 1: not a miniSEED record (bad fixed header)',
    );
    expect(() => parseMseed(good.subarray(0, 700), 'cut.mseed')).toThrow(/^cut\.mseed: record 2: truncated/);
    const corrupt = new Uint8Array(good);
    corrupt[200]! ^= 0x40; // a Steim difference in the first record
    expect(() => parseMseed(corrupt, 'bad.mseed')).toThrow(/^bad\.mseed: record 1: corrupt Steim1 data/);
    const noB1000 = new Uint8Array(good.subarray(0, 512));
    noB1000[39] = 0;
    expect(() => parseMseed(noB1000, 'old.mseed')).toThrow('old.mseed: record 1: no blockette 1000, so its encoding and length are unknown');
    const ms3 = new Uint8Array(64);
    ms3.set([0x4d, 0x53, 3]);
    expect(() => parseMseed(ms3, 'new.mseed')).toThrow('new.mseed: miniSEED 3 is not supported (only miniSEED 2)');
    expect(() => readMseed(path.join(dir, 'nope.mseed'))).toThrow(/nope\.mseed: cannot read: no such file/);
  });
});
