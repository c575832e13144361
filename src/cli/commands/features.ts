// `eds features FILE`: the volcano lesson's waveform features of one real event (.npy, .npz or miniSEED), as a table, JSON
// or a CSV row; or the lidar lessons' per-core features of point clouds (or a generated scene), as CSV.
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
    if (fileFs !== undefined && !(Number.isFinite(fileFs) && fileFs > 0))
      throw new UserError(`${name}: its sampling rate is ${fileFs} Hz; expected a positive number`);
    const fs = fsGiven ?? fileFs ?? 100;
    return { format: 'npz', traces, fs, fsSource: fsGiven ? '--fs' : fileFs !== undefined ? 'file' : 'default', layout };
  }
  if (ext === '.mseed' || ext === '.miniseed' || ext === '.ms') {
    if (options.key !== undefined) throw new UsageError('--key picks an array of a .npz, not a miniSEED trace: use --station');
    const { readMseed } = await import('../../data/mseed.js');
    const all = readMseed(file);
    if (all.length === 0) throw new UserError(`${name}: no data records`);
    const rates = new Set(all.map((t) => t.samplingRateHz));
    if (fsGiven !== undefined)
      throw new UsageError(`${name}: miniSEED records carry their sampling rate (${[...rates].join(', ')} Hz); --fs applies to .npy and .npz`);
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
    index = /^\d+$/.test(s)
      ? Number(s)
      : event.traces.findIndex((t) => t.name.toUpperCase() === s.toUpperCase() || t.name.toUpperCase().split('.').includes(s.toUpperCase()));
    if (!(index >= 0 && index < event.traces.length)) {
      const list =
        event.traces
          .slice(0, 50)
          .map((t, i) => `${i} ${t.name}`)
          .join(', ') + (event.traces.length > 50 ? ', …' : '');
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
  if (Math.max(Math.abs(min), Math.abs(max)) > 1e150)
    throw new UserError(`${name}: trace ${label} has amplitudes up to ${Math.max(Math.abs(min), Math.abs(max))}, too large to measure; rescale it first`);
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

/**
 * Point-cloud extensions (src/lidar/io.ts reads them): a file of these gets the lidar features. Not `.csv`, which
 * is as often a waveform as a cloud: such a cloud is read under a cloud extension (copy it to `.xyz`).
 */
const CLOUD_EXTENSIONS = ['.las', '.laz', '.xyz', '.txt', '.pts', '.asc'];
/** Scenes given by dataset name instead of a file. */
const SCENE_NAME = /^lidar-(.+)$/;

/** Options of {@link cloudFeaturesCsv}, as `eds features` takes them. */
export interface CloudFeatureOptions {
  /** Neighbourhood radii in metres, comma-separated (default the lessons' 0.05,0.1,0.25,0.5). */
  scales?: string;
  /** Core points drawn at random (default 2000). */
  corePoints?: number;
  /** Relative tolerance of the neighbourhood sums (default 0: exact). */
  tolerance?: number;
  /** Points of a generated scene (default the lessons' 200,000). */
  size?: number;
  /** Seed of the core points (and of a generated scene). */
  seed?: number;
}

/** Whether `eds features` reads these inputs as point clouds (FILE, FILE:LABEL or `lidar-SCENE`) rather than one seismic event. */
export function isCloudInput(input: string): boolean {
  if (SCENE_NAME.test(input) && extname(input) === '') return true;
  const at = input.lastIndexOf(':');
  const path = at > 0 && !input.slice(at + 1).includes('/') ? input.slice(0, at) : input;
  return CLOUD_EXTENSIONS.includes(extname(path).toLowerCase());
}

/**
 * The per-core lidar features of point-cloud files (`FILE`, or `FILE:LABEL` for a class per file) or of one
 * generated scene (`lidar-dunes`), as CSV: one row per core point with its position (x, y, z), every multiscale
 * column named with its scale (`r0.1_l1` … `r0.1_n`; empty where the sphere held too few points) and `label`
 * when the points are labelled. The same table `eds run classify --points …` learns from.
 */
export async function cloudFeaturesCsv(inputs: readonly string[], options: CloudFeatureOptions = {}): Promise<{ text: string; rows: number; columns: number }> {
  const { parsePointsArg, parseScales } = await import('../../experiments/lidar.js');
  const { DEFAULT_CORES, DEFAULT_SCALES, lidarDataset } = await import('../../lidar/table.js');
  const { DEFAULT_LIDAR_POINTS, LIDAR_SCENES } = await import('../../lidar/scene.js');
  const cores = options.corePoints ?? DEFAULT_CORES;
  if (!(Number.isInteger(cores) && cores >= 50 && cores <= 100_000)) throw new UsageError(`--core-points must be an integer from 50 to 100000, got ${cores}`);
  const tolerance = options.tolerance;
  if (tolerance !== undefined && !(tolerance >= 0 && tolerance <= 1)) throw new UsageError(`--tolerance must be from 0 (exact) to 1, got ${tolerance}`);
  const seed = options.seed ?? 0;
  if (!Number.isInteger(seed)) throw new UsageError(`--seed must be an integer, got ${seed}`);
  const scales = options.scales === undefined ? [...DEFAULT_SCALES] : parseScales(options.scales);
  const scenes = inputs.filter((i) => SCENE_NAME.test(i) && extname(i) === '');
  let source: import('../../lidar/table.js').LidarSource;
  if (scenes.length > 0) {
    const scene = SCENE_NAME.exec(scenes[0]!)![1]!;
    if (inputs.length > 1) throw new UsageError('give one generated scene (lidar-dunes) or point-cloud files, not both');
    if (!(LIDAR_SCENES as readonly string[]).includes(scene))
      throw new UsageError(`unknown scene "${safeLine(scenes[0]!, 40)}"; choose one of ${LIDAR_SCENES.map((s) => `lidar-${s}`).join(', ')}`);
    source = { kind: 'scene', scene: scene as (typeof LIDAR_SCENES)[number], size: options.size ?? DEFAULT_LIDAR_POINTS };
  } else {
    if (options.size !== undefined) throw new UsageError('--size is the number of points of a generated scene (lidar-dunes); files have their own');
    source = {
      kind: 'files',
      files: inputs.map((i) => (/:[^/]*$/.test(i) && !CLOUD_EXTENSIONS.includes(extname(i).toLowerCase()) ? parsePointsArg(i) : { path: i })),
    };
  }
  const dataset = await lidarDataset({ source, scales, cores, ...(tolerance === undefined ? {} : { tolerance }) }, seed);
  const { formatCsv } = await import('../../data/csv.js');
  return { text: formatCsv(dataset), rows: dataset.rows.length, columns: dataset.columns.length };
}

interface FeaturesArgs {
  file: string;
  more?: string[];
  station?: string;
  fs?: number;
  key?: string;
  json?: boolean;
  csv?: string;
  scales?: string;
  'core-points'?: number;
  tolerance?: number;
  size?: number;
  seed?: number;
}

/** Writes `text` to `file` atomically and says so on stderr, or to stdout when there is no file. */
async function writeOut(text: string, file: string | undefined, what: string): Promise<void> {
  if (file === undefined || file === '-') {
    process.stdout.write(text);
    return;
  }
  const { writeFileAtomic } = await import('../../data/write.js');
  await writeFileAtomic(file, text);
  process.stderr.write(`eds: wrote ${what} to ${safeLine(file, 200)}\n`);
}

export const featuresCommand: CommandModule<object, FeaturesArgs> = {
  command: 'features <file> [more..]',
  describe:
    'the waveform features of one event (.npy stations × samples, .npz, or miniSEED), as in the volcano lesson; or the per-core lidar features of point clouds, as CSV',
  builder: (y) =>
    y
      .positional('file', {
        type: 'string',
        demandOption: true,
        describe: 'an event window: .npy (stations × samples), .npz or .mseed; or a point cloud (.las, .xyz, …, FILE:LABEL) or a scene (lidar-dunes)',
      })
      .positional('more', { type: 'string', array: true, describe: 'more point-cloud files (FILE:LABEL), merged into one table' })
      .option('station', { type: 'string', describe: 'which trace: a 0-based row, or a station/channel code (default: the largest amplitude)' })
      .option('fs', { type: 'number', describe: 'sampling rate in Hz for .npy/.npz (default 100; miniSEED carries its own)' })
      .option('key', { type: 'string', describe: 'array of a .npz holding the waveforms (default: data)' })
      .option('json', { type: 'boolean', describe: 'print the features as JSON (snake_case keys, units in the names)' })
      .option('csv', {
        type: 'string',
        describe: 'write the features as CSV to FILE (- for stdout): one row for an event, one row per core point for point clouds (their default, to stdout)',
      })
      .option('scales', { type: 'string', group: 'Lidar:', describe: 'neighbourhood radii in metres, comma-separated (default 0.05,0.1,0.25,0.5)' })
      .option('core-points', { type: 'number', group: 'Lidar:', describe: 'how many core points get features (default 2000)' })
      .option('tolerance', {
        type: 'number',
        group: 'Lidar:',
        describe: 'relative tolerance of the neighbourhood sums: default 0 (exact); 0.1 is faster on dense scans',
      })
      .option('size', { type: 'number', group: 'Lidar:', describe: 'points in a generated scene (default 200000)' })
      .option('seed', { type: 'number', group: 'Lidar:', describe: 'seed of the core points and of a generated scene (default 0)' })
      .example('$0 features event.npy', 'features of the loudest station')
      .example('$0 features event.npy --station 2 --fs 50 --json', 'the third row, sampled at 50 Hz, as JSON')
      .example(
        '$0 features floor.xyz:floor vegetation.xyz:vegetation --scales 0.1,0.5 --csv cores.csv',
        'per-core features of two labelled clouds, for pandas or a spreadsheet',
      )
      .example('$0 features lidar-dunes --core-points 500 --tolerance 0.1 --csv dunes.csv', "the lesson's dune scene, neighbourhood sums to 10 %")
      .epilog(`Note: ${TIME_AXIS_NOTE}.`) as never,
  handler: async (args) => {
    const inputs = [args.file, ...(args.more ?? [])];
    const lidarGiven = (['scales', 'core-points', 'tolerance', 'size', 'seed'] as const).filter((k) => args[k] !== undefined);
    if (inputs.some(isCloudInput)) {
      if (!inputs.every(isCloudInput)) throw new UsageError('give point clouds (.las, .xyz, …) or one seismic event (.npy, .npz, .mseed), not both');
      const seismic = (['station', 'fs', 'key'] as const).filter((k) => args[k] !== undefined);
      if (seismic.length) throw new UsageError(`--${seismic[0]} applies to a seismic event, not to point clouds`);
      if (args.json) throw new UsageError('point clouds give a table of core points: --csv FILE (or stdout), not --json');
      const out = await cloudFeaturesCsv(inputs, {
        scales: args.scales,
        corePoints: args['core-points'],
        tolerance: args.tolerance,
        size: args.size,
        seed: args.seed,
      });
      await writeOut(out.text, args.csv, `${out.rows} core points × ${out.columns} columns`);
      return;
    }
    if (inputs.length > 1) throw new UsageError('give one seismic event file (several files are for point clouds)');
    if (lidarGiven.length) throw new UsageError(`--${lidarGiven[0]} applies to point clouds, not to a seismic event`);
    if (args.json && args.csv !== undefined) throw new UsageError('choose --json or --csv');
    const report = await eventFeatures(args.file, { station: args.station === undefined ? undefined : String(args.station), fs: args.fs, key: args.key });
    if (args.csv !== undefined) {
      const { formatCsv } = await import('../../data/csv.js');
      const columns = Object.keys(report);
      await writeOut(
        formatCsv({ columns, rows: [columns.map((c) => report[c as keyof EventFeatureReport] as string | number)] }),
        args.csv,
        `the features of ${safeLine(report.station_name, 40)}`,
      );
      return;
    }
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
