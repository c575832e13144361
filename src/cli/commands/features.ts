// `eds features FILE`: the volcano lesson's waveform features of one real event (.npy, .npz or miniSEED), as a table or JSON.
import type { CommandModule } from 'yargs';
import { basename, extname } from 'node:path';
import { UsageError, UserError } from '../../errors.js';
import { fileLabel } from '../../data/input.js';
import type { NpyArray } from '../../data/npy.js';
import { safeLine } from '../../util/safe-text.js';
import type { SeismicFeatures } from '../../seismology/features.js';

/** One trace of the file, ready for the features. */
interface Trace {
  /** Name shown for the trace: a station or channel code, or `row N`. */
  name: string;
  /** Samples in the file's units. */
  samples: ArrayLike<number>;
  /** The trace's own sampling rate, Hz (miniSEED: each record says); else the file's. */
  fs?: number;
}

/** What was read from the file: every trace, the sampling rate and how the array was laid out. */
interface ReadEvent {
  /** `npy`, `npz` or `mseed`. */
  format: 'npy' | 'npz' | 'mseed';
  /** One entry per station (or channel). */
  traces: Trace[];
  /** Sampling rate, Hz. */
  fs: number;
  /** Where the rate came from: `header`, `file` (a scalar in the .npz), `--fs` or `default`. */
  fsSource: string;
  /** How a 2-D array was read, e.g. "stations × samples"; empty for miniSEED. */
  layout: string;
}

/** Options of {@link eventFeatures}. */
export interface EventFeatureOptions {
  /** Which trace: a 0-based index, or a station/channel code (miniSEED, or a .npz with channel names); default the largest. */
  station?: string;
  /** Sampling rate, Hz, for .npy/.npz (default 100, or the file's own `fs`/`sampling_rate` scalar in a .npz). */
  fs?: number;
  /** Array of a .npz to use (default `data`, or the only waveform-shaped array). */
  key?: string;
}

/** What `eds features --json` prints: where the trace came from, then the features with units in their names. */
export type EventFeatureReport = {
  /** File name as given. */
  file: string;
  /** `npy`, `npz` or `mseed`. */
  format: string;
  /** 0-based index of the trace used. */
  station: number;
  /** Its station/channel code, or `row N`. */
  station_name: string;
  /** Traces in the file. */
  n_stations: number;
  /** Why this trace: `--station` or `largest amplitude`. */
  chosen_by: string;
  /** Sampling rate, Hz. */
  sampling_rate_hz: number;
  /** Where the sampling rate came from. */
  sampling_rate_source: string;
  /** Samples in the trace. */
  n_samples: number;
  /** Length of the trace, s. */
  window_s: number;
} & SeismicFeatures;

const TIME_AXIS_NOTE = 'a 2-D array is read as stations × samples; one with more rows than columns as samples × channels';

/** Splits a C-order 2-D array into traces, deciding which axis is time (see {@link TIME_AXIS_NOTE}). */
function tracesOf2d(arr: NpyArray, names: string[] | null, what: string): { traces: Trace[]; layout: string } {
  // A zero dimension, as shape (3, 0), is a file without samples: said here, not found later as a missing trace.
  if (arr.data.length === 0) throw new UserError(`${what}: the array is empty (shape (${arr.shape.join(', ')})): no samples to measure`);
  if (arr.shape.length === 1) return { traces: [{ name: names?.[0] ?? 'row 0', samples: arr.data }], layout: 'one trace' };
  if (arr.shape.length !== 2) throw new UserError(`${what}: expected a 1-D or 2-D array (stations × samples), got shape (${arr.shape.join(', ')})`);
  const [a, b] = arr.shape as [number, number];
  // No real event window is shorter than its number of stations, so the longer axis is time.
  const samplesFirst = a > b;
  const [nTraces, n] = samplesFirst ? [b, a] : [a, b];
  const traces: Trace[] = [];
  for (let s = 0; s < nTraces; s++) {
    const samples = new Float64Array(n);
    for (let i = 0; i < n; i++) samples[i] = samplesFirst ? arr.data[i * b + s]! : arr.data[s * b + i]!;
    traces.push({ name: names && names.length === nTraces ? names[s]! : `row ${s}`, samples });
  }
  return { traces, layout: samplesFirst ? `samples × channels (${a} × ${b})` : `stations × samples (${a} × ${b})` };
}

function checkFs(fs: number | undefined): number | undefined {
  if (fs === undefined) return undefined;
  if (!(Number.isFinite(fs) && fs > 0)) throw new UsageError(`--fs must be a positive sampling rate in Hz, got ${fs}`);
  return fs;
}

/** Reads every trace of a .npy, .npz or miniSEED file; one clear line for anything it cannot use. */
export async function readEvent(file: string, options: EventFeatureOptions = {}): Promise<ReadEvent> {
  const name = fileLabel(basename(file));
  const ext = extname(file).toLowerCase();
  const fsGiven = checkFs(options.fs);
  if (ext === '.npy') {
    if (options.key !== undefined) throw new UsageError('--key picks an array of a .npz; a .npy holds only one');
    const { readNpy } = await import('../../data/npy.js');
    const { traces, layout } = tracesOf2d(readNpy(file), null, name);
    return { format: 'npy', traces, fs: fsGiven ?? 100, fsSource: fsGiven ? '--fs' : 'default', layout };
  }
  if (ext === '.npz') {
    const { readNpz, npzArray } = await import('../../data/npz.js');
    const npz = readNpz(file);
    let key = options.key;
    if (key === undefined) {
      const waveforms = [...npz.arrays.entries()].filter(([, a]) => a.shape.length === 1 || a.shape.length === 2).map(([k]) => k);
      if (npz.arrays.has('data')) key = 'data';
      else if (waveforms.length === 1) key = waveforms[0]!;
      else {
        const has = [...npz.arrays.keys()].join(', ') || 'no numeric array';
        throw new UserError(`${name}: which array holds the waveforms? give --key NAME (has: ${has})`);
      }
    }
    const arr = npzArray(npz, key, name);
    // Channel names as the PhaseNet files store them: one string "E_N_Z".
    const channels = npz.text.get('channels')?.text;
    // Channel names come from the file: made inert here, as they are printed with the features.
    const raw = channels && channels.length === 1 ? channels[0]!.split('_') : (channels ?? null);
    const names = raw ? raw.map((c) => safeLine(c, 40)) : null;
    const { traces, layout } = tracesOf2d(arr, names, `${name}:${safeLine(key, 40)}`);
    const rate = ['fs', 'sampling_rate', 'sampling_rate_hz'].map((k) => npz.arrays.get(k)).find((a) => a !== undefined && a.data.length === 1);
    const fileFs = rate?.data[0];
    if (fileFs !== undefined && !(Number.isFinite(fileFs) && fileFs > 0)) throw new UserError(`${name}: its sampling rate is ${fileFs} Hz; expected a positive number`);
    const fs = fsGiven ?? fileFs ?? 100;
    return { format: 'npz', traces, fs, fsSource: fsGiven ? '--fs' : fileFs !== undefined ? 'file' : 'default', layout };
  }
  if (ext === '.mseed' || ext === '.miniseed' || ext === '.ms') {
    if (options.key !== undefined) throw new UsageError('--key picks an array of a .npz, not a miniSEED trace: use --station');
    const { readMseed } = await import('../../data/mseed.js');
    const all = readMseed(file);
    if (all.length === 0) throw new UserError(`${name}: no data records`);
    const rates = new Set(all.map((t) => t.samplingRateHz));
    if (fsGiven !== undefined) throw new UsageError(`${name}: miniSEED records carry their sampling rate (${[...rates].join(', ')} Hz); --fs applies to .npy and .npz`);
    const traces = all.map((t) => ({ name: `${t.network}.${t.station}.${t.location}.${t.channel}`, samples: t.samples, fs: t.samplingRateHz }));
    return { format: 'mseed', traces, fs: NaN, fsSource: 'header', layout: '' };
  }
  throw new UserError(`${name}: unknown file type "${safeLine(ext || '(none)', 20)}"; expected .npy (stations × samples), .npz or .mseed`);
}

/**
 * Peak |x − mean| over the finite samples: a DC offset (common in raw counts) must not make a quiet station
 * look loud, and a gap must not hide a loud one (the chosen trace's gaps are reported afterwards).
 */
function peakAmplitude(x: ArrayLike<number>): number {
  let mean = 0;
  let n = 0;
  for (let i = 0; i < x.length; i++) {
    if (Number.isFinite(x[i]!)) {
      mean += x[i]!;
      n++;
    }
  }
  mean /= Math.max(1, n);
  let peak = 0;
  for (let i = 0; i < x.length; i++) if (Number.isFinite(x[i]!)) peak = Math.max(peak, Math.abs(x[i]! - mean));
  return peak;
}

/** The features of one trace of a file: the one asked for, else the one with the largest amplitude. */
export async function eventFeatures(file: string, options: EventFeatureOptions = {}): Promise<EventFeatureReport> {
  const event = await readEvent(file, options);
  const name = fileLabel(basename(file));
  let index: number;
  let chosenBy: string;
  if (options.station !== undefined) {
    const s = options.station.trim();
    index = /^\d+$/.test(s) ? Number(s) : event.traces.findIndex((t) => t.name.toUpperCase() === s.toUpperCase() || t.name.toUpperCase().split('.').includes(s.toUpperCase()));
    if (!(index >= 0 && index < event.traces.length)) {
      const list = event.traces.slice(0, 50).map((t, i) => `${i} ${t.name}`).join(', ') + (event.traces.length > 50 ? ', …' : '');
      throw new UserError(`${name}: no station "${safeLine(s, 40)}" (it has ${event.traces.length}: ${safeLine(list, 400)})`);
    }
    chosenBy = '--station';
  } else {
    // A loop, not Math.max(...peaks): a file of a million one-sample records must not overflow the stack.
    index = 0;
    let loudest = -1;
    event.traces.forEach((t, i) => {
      const peak = peakAmplitude(t.samples);
      if (peak > loudest) [loudest, index] = [peak, i];
    });
    chosenBy = 'largest amplitude';
  }
  const trace = event.traces[index]!;
  const fs = trace.fs ?? event.fs;
  const n = trace.samples.length;
  if (!(fs > 0 && Number.isFinite(fs))) throw new UserError(`${name}: trace ${safeLine(trace.name, 40)} has no usable sampling rate (${fs} Hz)`);
  if (n < 8) throw new UserError(`${name}: trace ${safeLine(trace.name, 40)} has ${n} samples; at least 8 are needed`);
  let bad = 0;
  for (let i = 0; i < n; i++) if (!Number.isFinite(trace.samples[i]!)) bad++;
  const label = safeLine(trace.name, 40);
  if (bad === n) throw new UserError(`${name}: trace ${label} has ${n} missing (NaN or infinite) samples of ${n}: no signal to measure`);
  if (bad > 0) throw new UserError(`${name}: trace ${label} has ${bad} missing (NaN or infinite) samples; fill or cut them first`);
  // A constant trace has no signal (the features would divide by zero), and amplitudes beyond 1e150
  // overflow once squared (energies, kurtosis): both are bad input, said as such.
  let min = Infinity;
  let max = -Infinity;
  for (let i = 0; i < n; i++) {
    const v = trace.samples[i]!;
    if (v < min) min = v;
    if (v > max) max = v;
  }
  if (min === max) throw new UserError(`${name}: trace ${label} is constant (every sample is ${min}): no signal to measure`);
  if (Math.max(Math.abs(min), Math.abs(max)) > 1e150) throw new UserError(`${name}: trace ${label} has amplitudes up to ${Math.max(Math.abs(min), Math.abs(max))}, too large to measure; rescale it first`);
  const { seismicFeatures } = await import('../../seismology/features.js');
  const features = seismicFeatures(trace.samples, fs);
  return {
    file,
    format: event.format,
    station: index,
    station_name: trace.name,
    n_stations: event.traces.length,
    chosen_by: chosenBy,
    sampling_rate_hz: fs,
    sampling_rate_source: event.fsSource,
    n_samples: n,
    window_s: n / fs,
    ...features,
  };
}

interface FeaturesArgs {
  file: string;
  station?: string;
  fs?: number;
  key?: string;
  json?: boolean;
}

export const featuresCommand: CommandModule<object, FeaturesArgs> = {
  command: 'features <file>',
  describe: 'the waveform features of one event (.npy stations × samples, .npz, or miniSEED), as in the volcano lesson',
  builder: (y) =>
    y
      .positional('file', { type: 'string', demandOption: true, describe: 'an event window: .npy (stations × samples), .npz or .mseed' })
      .option('station', { type: 'string', describe: 'which trace: a 0-based row, or a station/channel code (default: the largest amplitude)' })
      .option('fs', { type: 'number', describe: 'sampling rate in Hz for .npy/.npz (default 100; miniSEED carries its own)' })
      .option('key', { type: 'string', describe: 'array of a .npz holding the waveforms (default: data)' })
      .option('json', { type: 'boolean', describe: 'print the features as JSON (snake_case keys, units in the names)' })
      .example('$0 features event.npy', 'features of the loudest station')
      .example('$0 features event.npy --station 2 --fs 50 --json', 'the third row, sampled at 50 Hz, as JSON')
      .epilog(`Note: ${TIME_AXIS_NOTE}.`) as never,
  handler: async (args) => {
    const report = await eventFeatures(args.file, { station: args.station === undefined ? undefined : String(args.station), fs: args.fs, key: args.key });
    if (args.json) {
      process.stdout.write(JSON.stringify(report, null, 2) + '\n');
      return;
    }
    const { FEATURE_NAMES } = await import('../../seismology/features.js');
    const { fmt } = await import('../../experiments/common.js');
    const head = [
      `${report.file}: ${report.station_name} (trace ${report.station} of ${report.n_stations}, ${report.chosen_by})`,
      `${report.n_samples} samples at ${report.sampling_rate_hz} Hz (${report.sampling_rate_source}) = ${fmt(report.window_s)} s`,
      '',
    ];
    const width = Math.max(...FEATURE_NAMES.map((f) => f.length));
    const rows = FEATURE_NAMES.map((f) => `${f.padEnd(width)}  ${fmt(report[f])}`);
    process.stdout.write([...head, ...rows].join('\n') + '\n');
  },
};
