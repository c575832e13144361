// `eds features`: features of one event read from a .npy the test writes, a real PhaseNet .npz and a miniSEED file,
// and one clear line on stderr for a file it cannot use.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { eventFeatures } from '../../src/cli/commands/features.js';
import { FEATURE_NAMES } from '../../src/seismology/features.js';
import { runCli } from '../support/cli.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const dir = mkdtempSync(path.join(tmpdir(), 'eds-features-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** A little-endian float64 .npy (format 1.0), C order, as numpy.save writes it. */
function writeNpy(file: string, shape: number[], data: ArrayLike<number>): string {
  let header = `{'descr': '<f8', 'fortran_order': False, 'shape': (${shape.join(', ')}${shape.length === 1 ? ',' : ''}), }`;
  // Magic (6) + version (2) + length (2) + header + '\n' is padded with spaces to a multiple of 64.
  const total = Math.ceil((10 + header.length + 1) / 64) * 64;
  header = header.padEnd(total - 10 - 1) + '\n';
  const bytes = Buffer.alloc(total + data.length * 8);
  bytes.write('\x93NUMPY', 0, 'latin1');
  bytes[6] = 1;
  bytes[7] = 0;
  bytes.writeUInt16LE(header.length, 8);
  bytes.write(header, 10, 'latin1');
  for (let i = 0; i < data.length; i++) bytes.writeDoubleLE(data[i]!, total + i * 8);
  const out = path.join(dir, file);
  writeFileSync(out, bytes);
  return out;
}

/** Three stations × 3000 samples: small noise everywhere, a 10 Hz burst (2 s decay) at 12 s on row 1 only. */
function eventArray(fs = 100): Float64Array {
  const n = 3000;
  const data = new Float64Array(3 * n);
  let state = 12345;
  const noise = () => ((state = (state * 1103515245 + 12345) % 2147483648) / 2147483648 - 0.5) * 2;
  for (let s = 0; s < 3; s++) {
    for (let i = 0; i < n; i++) {
      const t = i / fs;
      const burst = s === 1 && t >= 12 ? 500 * Math.exp(-(t - 12) / 2) * Math.sin(2 * Math.PI * 10 * (t - 12)) : 0;
      data[s * n + i] = 5 * noise() + burst + 1000; // a DC offset, as raw counts often have
    }
  }
  return data;
}

afterEach(() => {
  process.exitCode = undefined;
});

describe('eds features', () => {
  const npy = writeNpy('event.npy', [3, 3000], eventArray());

  it('prints the features of the loudest station as JSON, units in the key names', async () => {
    const { out, err, code } = await runCli(['features', npy, '--json']);
    expect(err).toBe('');
    expect(code).toBe(0);
    const report = JSON.parse(out) as Record<string, number | string>;
    for (const name of FEATURE_NAMES) expect(Number.isFinite(report[name]), name).toBe(true);
    expect(report.station).toBe(1);
    expect(report.chosen_by).toBe('largest amplitude');
    expect(report.n_stations).toBe(3);
    expect(report.sampling_rate_hz).toBe(100);
    expect(report.window_s).toBe(30);
    // The physics of the burst: a 10 Hz tone starting at 12 s, impulsive, far above the noise.
    expect(report.dominant_frequency_hz as number).toBeCloseTo(10, 0);
    expect(report.rise_time_s as number).toBeLessThan(0.5);
    expect(report.snr_db as number).toBeGreaterThan(20);
  });

  it('takes --station and --fs, and prints a table without --json', async () => {
    const quiet = await eventFeatures(npy, { station: '0' });
    expect(quiet.station).toBe(0);
    expect(quiet.snr_db).toBeLessThan(15);
    // The same samples read at half the rate: times double and frequencies halve (to within the 0.2 s envelope
    // smoothing, which spans a different number of samples at each rate).
    const slow = await eventFeatures(npy, { fs: 50 });
    const fast = await eventFeatures(npy);
    expect(slow.sampling_rate_hz).toBe(50);
    expect(slow.window_s).toBe(60);
    expect(Math.abs(slow.duration_s / (2 * fast.duration_s) - 1)).toBeLessThan(0.05);
    expect(Math.abs(slow.dominant_frequency_hz / (fast.dominant_frequency_hz / 2) - 1)).toBeLessThan(0.05);
    const { out, code } = await runCli(['features', npy]);
    expect(code).toBe(0);
    expect(out).toMatch(/row 1 \(trace 1 of 3, largest amplitude\)/);
    for (const name of FEATURE_NAMES) expect(out).toMatch(new RegExp(`^${name}\\s+\\S+$`, 'm'));
  });

  it('reads a one-trace .npy, a real three-component PhaseNet .npz and a miniSEED file', async () => {
    const one = await eventFeatures(writeNpy('one.npy', [3000], eventArray().subarray(3000, 6000)));
    expect(one.n_stations).toBe(1);
    expect(one.dominant_frequency_hz).toBeCloseTo(10, 0);
    const npz = await eventFeatures(path.resolve(root, '../shared/data/phases/BG_ACR_2012082505145960.npz'), { station: 'DPZ' });
    expect(npz.station_name).toBe('DPZ');
    expect(npz.n_samples).toBe(9001);
    expect(npz.n_stations).toBe(3);
    const ms = await eventFeatures(path.join(root, 'test/fixtures/seismic/steim2.mseed'));
    expect(ms.format).toBe('mseed');
    expect(ms.station_name).toBe('XX.EDS01.00.HHZ');
    expect(ms.sampling_rate_hz).toBe(100);
    expect(ms.sampling_rate_source).toBe('header');
    expect(ms.n_samples).toBe(600);
    // miniSEED carries its own rate: a different --fs is refused rather than silently ignored.
    await expect(eventFeatures(path.join(root, 'test/fixtures/seismic/steim2.mseed'), { fs: 50 })).rejects.toThrow(/carry their sampling rate/);
  });

  it('says in one line what is wrong with a bad file, a bad station or a bad rate', async () => {
    const garbage = path.join(dir, 'garbage.npy');
    writeFileSync(garbage, 'this is not a NumPy file at all');
    const cases: Array<[string[], RegExp]> = [
      [['features', garbage], /^eds: garbage\.npy: /],
      [['features', path.join(dir, 'missing.npy')], /missing\.npy: cannot read: no such file/],
      [['features', path.join(dir, 'event.csv')], /unknown file type "\.csv"/],
      [['features', npy, '--station', '7'], /no station "7" \(it has 3: 0 row 0, 1 row 1, 2 row 2\)/],
      [['features', npy, '--fs', '-5'], /--fs must be a positive sampling rate/],
      [['features', writeNpy('cube.npy', [2, 2, 10], new Float64Array(40))], /expected a 1-D or 2-D array/],
      [['features', writeNpy('nan.npy', [20], new Float64Array(20).fill(NaN))], /20 missing \(NaN or infinite\) samples/],
    ];
    for (const [args, message] of cases) {
      const { out, err, code } = await runCli(args);
      expect(out, args.join(' ')).toBe('');
      expect(code, args.join(' ')).toBeGreaterThan(0);
      expect(err, args.join(' ')).toMatch(message);
      expect(
        err
          .trim()
          .split('\n')
          .filter((l) => !l.startsWith('  try:')).length,
        args.join(' '),
      ).toBe(1);
      expect(err).not.toMatch(/internal error| {4}at /);
    }
  });
});
