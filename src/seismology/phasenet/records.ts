// Real PhaseNet records: reading a `.npz` window (PhaseNet's format: `data` [samples, 3], `itp`, `its`) or a folder of
// them, every field of a hostile file checked and refused in one line; and where the 22 NCEDC windows are shipped.
import { readdirSync, statSync } from 'node:fs';
import { basename, join } from 'node:path';
import { UserError } from '../../errors.js';
import { fileLabel } from '../../data/input.js';
import type { NpzContents } from '../../data/npz.js';
import { safeLine } from '../../util/safe-text.js';
import { PACKAGE_ROOT } from '../../version.js';

/** The 22 NCEDC windows of the PhaseNet repository, as shipped (datasets/phases-ncedc/README.md). */
export const NCEDC_WINDOWS_DIR = join(PACKAGE_ROOT, 'datasets', 'phases-ncedc');

/** One record to pick: samples [total, 3] with the analyst's picks. */
export interface PickRecord {
  /** File name or "window k". */
  name: string;
  /** [total, 3] row-major (E, N, Z). */
  values: Float32Array | Float64Array;
  /** Samples per channel. */
  total: number;
  /** Analyst P pick (sample), null if none. */
  itp: number | null;
  /** Analyst S pick (sample), null if none. */
  its: number | null;
  /** First sample of the original record, for a shifted crop. */
  cropStart?: number;
}

/** Reads one PhaseNet-style `.npz` record, or says in one line what is wrong with it. */
export async function readPhaseRecord(path: string): Promise<PickRecord> {
  const { readNpz } = await import('../../data/npz.js');
  const npz = readNpz(path);
  const data = npz.arrays.get('data');
  const name = safeLine(basename(path), 200);
  if (!data) throw new UserError(`${name}: no "data" array (expected data [samples, 3], itp, its as in PhaseNet's .npz files)`);
  if (data.shape.length !== 2 || data.shape[1] !== 3)
    throw new UserError(`${name}: "data" has shape [${data.shape.join(', ')}], expected [samples, 3] (E, N, Z)`);
  const problem = signalProblem(data.data, data.shape[0]!, 3);
  if (problem) throw new UserError(`${name}: "data" ${problem}: bad input, not a record to pick and score`);
  const total = data.shape[0]!;
  return { name, values: data.data, total, itp: analystPick(npz, 'itp', total, name), its: analystPick(npz, 'its', total, name) };
}

/**
 * The analyst's pick `key` of a record of `total` samples: null when the file has none (no array, or an empty
 * one: PhaseNet's format has no other way to say "no pick", and none is documented); otherwise one sample index
 * inside the record, or bad input. A pick outside its own window, NaN or fractional is a broken file, and
 * scoring it as "no pick" would count the picker's hit as a false alarm.
 */
function analystPick(npz: NpzContents, key: 'itp' | 'its', total: number, name: string): number | null {
  const field = `"${key}" (the ${key === 'itp' ? 'P' : 'S'} pick)`;
  const leaveOut = `bad input (leave "${key}" out of a record with no ${key === 'itp' ? 'P' : 'S'} pick)`;
  if (npz.text.has(key)) throw new UserError(`${name}: ${field} is text, not a sample index: bad input`);
  const a = npz.arrays.get(key);
  if (!a || a.data.length === 0) return null;
  if (a.data.length > 1)
    throw new UserError(`${name}: ${field} holds ${a.data.length} values; eds scores one ${key === 'itp' ? 'P' : 'S'} pick per record: bad input`);
  const v = a.data[0]!;
  if (!Number.isFinite(v)) throw new UserError(`${name}: ${field} is ${v}, not a sample index: ${leaveOut}`);
  // A pick converted from seconds (0.29 s × 100 Hz = 28.999999999999996) is a whole sample up to float rounding.
  const sample = Math.round(v);
  if (Math.abs(v - sample) > 1e-6) throw new UserError(`${name}: ${field} is ${v}, not a whole sample index: bad input`);
  if (sample < 0 || sample >= total) throw new UserError(`${name}: ${field} is ${v}, outside the record's samples 0 to ${total - 1}: ${leaveOut}`);
  return sample;
}

/**
 * Why a record [total, channels] cannot be picked, or null: no samples, no channel with a finite, varying
 * signal (all NaN, all infinite, all constant or zero: PhaseNet would see silence and the score would count
 * a missed pick), or amplitudes so large that squaring them overflows in the normalisation.
 */
export function signalProblem(values: ArrayLike<number>, total: number, channels: number): string | null {
  if (total === 0) return 'has no samples';
  let finite = 0;
  let varying = 0;
  let largest = 0;
  for (let c = 0; c < channels; c++) {
    let first = NaN;
    let varies = false;
    for (let i = 0; i < total; i++) {
      const v = values[i * channels + c]!;
      if (!Number.isFinite(v)) continue;
      finite++;
      if (Math.abs(v) > largest) largest = Math.abs(v);
      if (Number.isNaN(first)) first = v;
      else if (v !== first) varies = true;
    }
    if (varies) varying++;
  }
  if (finite === 0) return `has no finite sample (all ${total * channels} are NaN or infinite)`;
  if (varying === 0) return 'is constant on every channel (no signal)';
  if (largest > 1e150) return `has amplitudes up to ${largest}, too large to normalise`;
  return null;
}

/** The `.npz` files named by `--data` (a file, or every .npz in a directory, sorted). */
export function phaseFiles(path: string): string[] {
  const label = fileLabel(path);
  let names: string[];
  try {
    // Anything but a directory is read as one record: the bounded reader refuses a pipe, a device or a link loop in one line.
    if (!statSync(path).isDirectory()) return [path];
    names = readdirSync(path);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') throw new UserError(`${label}: no such file or directory`);
    if (code === 'EACCES' || code === 'EPERM') throw new UserError(`${label}: cannot list this directory: permission denied`);
    return [path];
  }
  const files = names
    .filter((f) => f.toLowerCase().endsWith('.npz'))
    .sort()
    .map((f) => join(path, f));
  if (files.length === 0) throw new UserError(`${label}: no .npz files in this directory`);
  return files;
}
