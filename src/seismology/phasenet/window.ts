// PhaseNet's inputs and targets: per-channel demeaned and scaled windows, Gaussian pick labels, and overlapping scan windows over long records.

/**
 * Standard deviation of the Gaussian put on each pick in the labels (s): what the shipped weights were trained
 * with (neural lesson, "Labels and picks"). Wider than PhaseNet's own code (σ = 6 samples, 0.06 s, over a
 * 30-sample window) and the paper's figure (about 0.1 s).
 */
export const LABEL_SIGMA_S = 0.3;

/**
 * How a window is scaled before the network sees it. `eds`: per channel demeaned and divided by its standard
 * deviation (what eds's own weights were trained on). `phasenet-repository`: the same, then, as the PhaseNet
 * repository's DataReader (`normalize` then `adjust_missingchannels`, what the published weights were trained
 * on), every channel multiplied by channels / live channels when some are dead: a record with only Z is scaled
 * ×3, so its one channel carries the energy three would.
 */
export type Normalisation = 'eds' | 'phasenet-repository';

/**
 * Demeans each channel and divides it by its standard deviation, so a window's scale (counts, gain,
 * magnitude) does not matter to the network. A dead (constant) channel stays all zeros.
 * @param values [length, channels] row-major
 * @returns a new Float32Array of the same layout
 */
export function normalizeWindow(values: ArrayLike<number>, length: number, channels: number, mode: Normalisation = 'eds'): Float32Array {
  if (values.length !== length * channels) throw new Error(`window holds ${values.length} values, expected ${length} × ${channels}`);
  const out = new Float32Array(length * channels);
  let live = 0;
  for (let c = 0; c < channels; c++) {
    let mean = 0;
    let finite = 0;
    for (let i = 0; i < length; i++) {
      const v = values[i * channels + c]!;
      if (Number.isFinite(v)) {
        mean += v;
        finite++;
      }
    }
    mean = finite ? mean / finite : 0;
    let ss = 0;
    for (let i = 0; i < length; i++) {
      const v = values[i * channels + c]!;
      if (Number.isFinite(v)) ss += (v - mean) ** 2;
    }
    const sd = finite ? Math.sqrt(ss / finite) : 0;
    // Gaps (NaN) become 0, the channel's mean after demeaning: the network sees silence, not a spike.
    for (let i = 0; i < length; i++) {
      const v = values[i * channels + c]!;
      out[i * channels + c] = sd > 0 && Number.isFinite(v) ? (v - mean) / sd : 0;
    }
    if (sd > 0) live++;
  }
  if (mode === 'phasenet-repository' && live > 0 && live < channels) {
    const gain = channels / live;
    for (let i = 0; i < out.length; i++) out[i]! *= gain;
  }
  return out;
}

/**
 * Target probabilities [length, 3] (noise, P, S) row-major: a Gaussian of height 1 and width `sigmaS` on each
 * pick, and noise = 1 − P − S (floored at 0 where the two Gaussians overlap), so every row sums to 1 unless
 * the S−P time is shorter than about 2σ.
 * @param itp P pick, sample index (null: no P in the window)
 * @param its S pick, sample index (null: no S)
 */
export function phaseLabels(length: number, itp: number | null, its: number | null, sampleRate: number, sigmaS = LABEL_SIGMA_S): Float32Array {
  const out = new Float32Array(length * 3);
  const sigma = sigmaS * sampleRate;
  const bump = (i: number, at: number | null): number => (at === null ? 0 : Math.exp(-((i - at) ** 2) / (2 * sigma * sigma)));
  for (let i = 0; i < length; i++) {
    let p = bump(i, itp);
    let s = bump(i, its);
    const sum = p + s;
    if (sum > 1) {
      p /= sum;
      s /= sum;
    }
    out[i * 3] = Math.max(0, 1 - p - s);
    out[i * 3 + 1] = p;
    out[i * 3 + 2] = s;
  }
  return out;
}

/**
 * Start samples of windows of `window` samples covering a record of `total` samples, `stride` apart, the last
 * one flush with the end so no sample is left out. A record shorter than one window gives [0] (the caller pads).
 */
export function scanStarts(total: number, window: number, stride: number): number[] {
  if (!(stride >= 1)) throw new Error(`stride must be at least 1 sample, got ${stride}`);
  if (total <= window) return [0];
  const starts: number[] = [];
  for (let s = 0; s + window <= total; s += stride) starts.push(s);
  const last = total - window;
  if (starts[starts.length - 1] !== last) starts.push(last);
  return starts;
}

/** Copies samples `start … start+window` of a [total, channels] record, zero-padding past its end. */
export function cropRecord(values: ArrayLike<number>, total: number, channels: number, start: number, window: number): Float32Array {
  const out = new Float32Array(window * channels);
  const end = Math.min(total, start + window);
  for (let i = start; i < end; i++) for (let c = 0; c < channels; c++) out[(i - start) * channels + c] = values[i * channels + c]!;
  return out;
}

/**
 * Merges per-window probabilities of overlapping windows into one trace per class over the whole record.
 * Each sample gets the mean over the windows that cover it, weighted by a taper that is small near a window's
 * edges: the network sees only half a wavelet there, so its edge outputs are the least trustworthy.
 * @param windows per window, [window, classes] row-major
 * @returns per class, `total` values
 */
export function mergeWindowProbabilities(
  windows: readonly Float32Array[],
  starts: readonly number[],
  total: number,
  window: number,
  classes: number,
): Float32Array[] {
  const sums = Array.from({ length: classes }, () => new Float64Array(total));
  const weights = new Float64Array(total);
  const edge = Math.min(300, Math.floor(window / 4));
  for (let w = 0; w < windows.length; w++) {
    const probs = windows[w]!;
    const start = starts[w]!;
    for (let i = 0; i < window && start + i < total; i++) {
      // Single windows (or a record's own ends) keep full weight: there is nothing better to average with.
      const fromStart = start === 0 ? edge : i;
      const fromEnd = start + window >= total ? edge : window - 1 - i;
      const weight = Math.max(1e-3, Math.min(1, Math.min(fromStart, fromEnd) / edge));
      weights[start + i]! += weight;
      for (let c = 0; c < classes; c++) sums[c]![start + i]! += weight * probs[i * classes + c]!;
    }
  }
  return sums.map((s) => {
    const out = new Float32Array(total);
    for (let i = 0; i < total; i++) out[i] = weights[i]! > 0 ? s[i]! / weights[i]! : 0;
    return out;
  });
}

/** Samples kept before the P and after the S of a shifted crop: as in the synthetic windows (P from 2 s, S 3 s before the end). */
export const SHIFTED_CROP_MARGINS = { beforeP: 200, afterS: 300 } as const;

/**
 * First sample of a `length`-sample crop of a `total`-sample record that puts the P pick at a position drawn
 * uniformly (by `draw`, uniform integers in [0, n)) between `beforeP` samples from the start and the latest
 * position that keeps the S `afterS` samples from the end. A record whose picks sit at a fixed sample (every P of
 * the PhaseNet sample files is at 3000) is then scored with its arrivals anywhere in the window. Without room
 * for that (S − P too long, or a record too short), the crop keeps the P as far in as it can; without a P, the
 * start is uniform.
 */
export function shiftedCropStart(total: number, length: number, itp: number | null, its: number | null, draw: (n: number) => number): number {
  const latestStart = Math.max(0, total - length);
  if (itp === null) return draw(latestStart + 1);
  const span = its === null ? 0 : Math.max(0, its - itp);
  const lo = SHIFTED_CROP_MARGINS.beforeP;
  const hi = Math.max(lo, length - SHIFTED_CROP_MARGINS.afterS - span);
  // P position in the crop, then clamped so the crop stays inside the record.
  const position = lo + draw(hi - lo + 1);
  return Math.min(latestStart, Math.max(0, itp - position));
}
