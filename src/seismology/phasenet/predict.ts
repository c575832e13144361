// Running PhaseNet: probabilities for whole windows, long records scanned with overlapping windows, and the picks read off them.
import type * as tfTypes from '../../nn/tf.js';
import { findPicks, PICK_DEFAULTS, type Pick } from './picks.js';
import { cropRecord, mergeWindowProbabilities, type Normalisation, normalizeWindow, scanStarts } from './window.js';

type Tf = typeof import('../../nn/tf.js');

/** Samples per window of eds's own PhaseNet (the published one takes 3,000: a model's own length is `windowLength`). */
export const PHASENET_LENGTH = 3001;
/** Components per sample (E, N, Z). */
export const PHASENET_CHANNELS = 3;

/** Samples per window `model` takes: its input's second dimension. */
export function windowLength(model: tfTypes.LayersModel): number {
  const n = model.inputs[0]?.shape[1];
  if (typeof n !== 'number') throw new Error('PhaseNet built without a fixed window length');
  return n;
}

/** Picker settings. */
export interface PickerOptions {
  /** Minimum peak probability for a pick (default 0.3). */
  threshold?: number;
  /** Minimum time between two picks of one phase (s, default 1). */
  minDistanceS?: number;
  /** Sampling rate of the record (Hz); PhaseNet expects 100. */
  sampleRate?: number;
  /** Samples between the starts of overlapping scan windows on long records (default half a window: 1500). */
  stride?: number;
  /** Windows per forward pass (default 8). */
  batchSize?: number;
  /** How each window is scaled (default `eds`; the published weights want `phasenet-repository`). */
  normalisation?: Normalisation;
}

/** PhaseNet's reading of one record. */
export interface RecordPicks {
  /** Per-sample probabilities over the whole record: noise, P and S, each `total` values. */
  probabilities: { noise: Float32Array; p: Float32Array; s: Float32Array };
  /** P picks (sample indices from the record start, probabilities). */
  p: Pick[];
  /** S picks. */
  s: Pick[];
  /** Scan windows run. */
  windows: number;
}

/**
 * Probabilities for already normalised windows.
 * @param windows each [length, 3] row-major (length: the model's window), demeaned and scaled per channel
 * @returns each [length, 3] row-major: noise, P, S per sample
 */
export async function predictWindows(tf: Tf, model: tfTypes.LayersModel, windows: readonly Float32Array[], batchSize = 8): Promise<Float32Array[]> {
  const length = windowLength(model);
  const size = length * PHASENET_CHANNELS;
  const out: Float32Array[] = [];
  for (let start = 0; start < windows.length; start += batchSize) {
    const count = Math.min(batchSize, windows.length - start);
    const batch = new Float32Array(count * size);
    for (let k = 0; k < count; k++) batch.set(windows[start + k]!, k * size);
    const probs = tf.tidy(() => model.apply(tf.tensor3d(batch, [count, length, PHASENET_CHANNELS]), { training: false }) as tfTypes.Tensor);
    const values = (await probs.data()) as Float32Array;
    probs.dispose();
    for (let k = 0; k < count; k++) out.push(values.slice(k * size, (k + 1) * size));
  }
  return out;
}

/** Splits [length, 3] probabilities into three traces. */
export function splitClasses(probs: Float32Array, length: number): { noise: Float32Array; p: Float32Array; s: Float32Array } {
  const noise = new Float32Array(length);
  const p = new Float32Array(length);
  const s = new Float32Array(length);
  for (let i = 0; i < length; i++) {
    noise[i] = probs[i * 3]!;
    p[i] = probs[i * 3 + 1]!;
    s[i] = probs[i * 3 + 2]!;
  }
  return { noise, p, s };
}

/**
 * Picks P and S on a three-component record of any length: windows of the model's length (3,001 or 3,000
 * samples) `stride` apart (default half a window; the last flush with the end; a short record is zero-padded),
 * each normalised on its own, probabilities merged where windows overlap, then peaks above the threshold at
 * least `minDistanceS` apart.
 * @param values [total, 3] row-major (E, N, Z), any units
 */
export async function pickRecord(
  tf: Tf,
  model: tfTypes.LayersModel,
  values: ArrayLike<number>,
  total: number,
  options: PickerOptions = {},
): Promise<RecordPicks> {
  const rate = options.sampleRate ?? 100;
  const length = windowLength(model);
  const mode = options.normalisation ?? 'eds';
  const starts = scanStarts(total, length, options.stride ?? Math.floor(length / 2));
  const windows = starts.map((s) => {
    const crop = cropRecord(values, total, PHASENET_CHANNELS, s, length);
    // A short record is normalised over its real samples only, so the zero padding does not shrink its scale.
    const real = Math.min(length, total - s);
    if (real >= length) return normalizeWindow(crop, length, PHASENET_CHANNELS, mode);
    const out = new Float32Array(length * PHASENET_CHANNELS);
    out.set(normalizeWindow(crop.subarray(0, real * PHASENET_CHANNELS), real, PHASENET_CHANNELS, mode));
    return out;
  });
  const probs = await predictWindows(tf, model, windows, options.batchSize);
  const [noise, p, s] = mergeWindowProbabilities(probs, starts, total, length, 3) as [Float32Array, Float32Array, Float32Array];
  const threshold = options.threshold ?? PICK_DEFAULTS.threshold;
  const distance = Math.max(1, Math.round((options.minDistanceS ?? PICK_DEFAULTS.minDistanceS) * rate));
  return { probabilities: { noise, p, s }, p: findPicks(p, threshold, distance), s: findPicks(s, threshold, distance), windows: starts.length };
}
