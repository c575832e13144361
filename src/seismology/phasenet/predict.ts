// Running PhaseNet: probabilities for whole windows, long records scanned with overlapping windows, and the picks read off them.
import type * as tfTypes from '../../nn/tf.js';
import { findPicks, PICK_DEFAULTS, type Pick } from './picks.js';
import { cropRecord, mergeWindowProbabilities, normalizeWindow, scanStarts } from './window.js';

type Tf = typeof import('../../nn/tf.js');

/** Samples per PhaseNet window and components per sample. */
export const PHASENET_LENGTH = 3001;
export const PHASENET_CHANNELS = 3;

/** Picker settings. */
export interface PickerOptions {
  /** Minimum peak probability for a pick (default 0.3). */
  threshold?: number;
  /** Minimum time between two picks of one phase (s, default 1). */
  minDistanceS?: number;
  /** Sampling rate of the record (Hz); PhaseNet expects 100. */
  sampleRate?: number;
  /** Samples between the starts of overlapping scan windows on long records (default 1500: half a window). */
  stride?: number;
  /** Windows per forward pass (default 8). */
  batchSize?: number;
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
 * @param windows each [3001, 3] row-major, demeaned and scaled per channel
 * @returns each [3001, 3] row-major: noise, P, S per sample
 */
export async function predictWindows(tf: Tf, model: tfTypes.LayersModel, windows: readonly Float32Array[], batchSize = 8): Promise<Float32Array[]> {
  const size = PHASENET_LENGTH * PHASENET_CHANNELS;
  const out: Float32Array[] = [];
  for (let start = 0; start < windows.length; start += batchSize) {
    const count = Math.min(batchSize, windows.length - start);
    const batch = new Float32Array(count * size);
    for (let k = 0; k < count; k++) batch.set(windows[start + k]!, k * size);
    const probs = tf.tidy(() => model.apply(tf.tensor3d(batch, [count, PHASENET_LENGTH, PHASENET_CHANNELS]), { training: false }) as tfTypes.Tensor);
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
 * Picks P and S on a three-component record of any length: windows of 3,001 samples `stride` apart (the last
 * flush with the end; a short record is zero-padded), each normalised on its own, probabilities merged where
 * windows overlap, then peaks above the threshold at least `minDistanceS` apart.
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
  const starts = scanStarts(total, PHASENET_LENGTH, options.stride ?? 1500);
  const windows = starts.map((s) => {
    const crop = cropRecord(values, total, PHASENET_CHANNELS, s, PHASENET_LENGTH);
    // A short record is normalised over its real samples only, so the zero padding does not shrink its scale.
    const real = Math.min(PHASENET_LENGTH, total - s);
    if (real >= PHASENET_LENGTH) return normalizeWindow(crop, PHASENET_LENGTH, PHASENET_CHANNELS);
    const out = new Float32Array(PHASENET_LENGTH * PHASENET_CHANNELS);
    out.set(normalizeWindow(crop.subarray(0, real * PHASENET_CHANNELS), real, PHASENET_CHANNELS));
    return out;
  });
  const probs = await predictWindows(tf, model, windows, options.batchSize);
  const [noise, p, s] = mergeWindowProbabilities(probs, starts, total, PHASENET_LENGTH, 3) as [Float32Array, Float32Array, Float32Array];
  const threshold = options.threshold ?? PICK_DEFAULTS.threshold;
  const distance = Math.max(1, Math.round((options.minDistanceS ?? PICK_DEFAULTS.minDistanceS) * rate));
  return { probabilities: { noise, p, s }, p: findPicks(p, threshold, distance), s: findPicks(s, threshold, distance), windows: starts.length };
}
