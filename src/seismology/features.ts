// The classification features of one seismic trace (one event at one station), as used by the volcano lesson.
import { detrend, bandpass } from './filter.js';
import { smoothEnvelope, movingAverage } from './envelope.js';
import { nextPow2, powerSpectrum } from './fft.js';
import { kurtosis, median, skewness } from '../util/stats.js';

import { FEATURE_NAMES } from './feature-names.js';

export { FEATURE_NAMES };

/** One feature name. */
export type FeatureName = (typeof FEATURE_NAMES)[number];

/**
 * Features of one trace. "Envelope" is the Hilbert magnitude smoothed over `smoothS` (0.2 s); the event span
 * runs from the first to the last sample where the envelope is at or above
 * threshold = background + fraction·(peak − background), background = median envelope, fraction 0.2.
 */
export interface SeismicFeatures {
  /** Peak-to-background ratio of the envelope, dB: 20·log10(max envelope / median envelope). About 2–5 dB for pure noise. */
  snr_db: number;
  /** Length of the event span (envelope above threshold, first to last crossing), s. */
  duration_s: number;
  /** From the start of the span to the envelope maximum, s: short for impulsive events (VT, IC), long for emergent ones (LP, AV). */
  rise_time_s: number;
  /** From the envelope maximum to the end of the span, s (coda length). */
  decay_time_s: number;
  /** Frequency of the maximum of the span's power spectrum (smoothed over 0.5 Hz), Hz. */
  dominant_frequency_hz: number;
  /** Power-weighted mean frequency of the span's spectrum, Hz. */
  spectral_centroid_hz: number;
  /** Power-weighted standard deviation of frequency about the centroid, Hz (bandwidth). */
  spectral_spread_hz: number;
  /** Shannon entropy of the normalised spectrum divided by log(number of bins), 0–1: near 0 for one pure tone, near 1 for white noise. */
  spectral_entropy: number;
  /** Time from the start of the span at which 25 % of the span's energy (Σx²) has arrived, s. */
  q25_s: number;
  /** Time from the start of the span at which half of the span's energy has arrived, s. */
  q50_s: number;
  /** Time from the start of the span at which 75 % of the span's energy has arrived, s. */
  q75_s: number;
  /** Excess (Fisher, biased) kurtosis of the whole detrended waveform: 0 for Gaussian noise, −1.5 for a steady sine, large for short bursts. */
  kurtosis: number;
  /** Skewness (biased) of the envelope samples over the whole window: large when a short event stands out of a quiet window. */
  skewness: number;
  /** Maximum absolute value of the detrended (and filtered) waveform, in the input's units (nm/s for the volcano dataset). */
  peak_amplitude: number;
}

/** Options of {@link seismicFeatures}. */
export interface FeatureOptions {
  /** Fraction of the peak height above background that defines the event span (default 0.2). */
  fraction?: number;
  /** Envelope smoothing window, s (default 0.2: longer windows wash out icequakes that last a few tenths of a second). */
  smoothS?: number;
  /** Optional zero-phase Butterworth band-pass [low, high] in Hz applied after detrending (default: none). */
  bandHz?: [number, number];
  /** Lowest frequency considered by the spectral features, Hz (default 0.25, below which detrending residue lives). */
  minFrequencyHz?: number;
}

/** Computes {@link SeismicFeatures} of `x` sampled at `fs` Hz; pure, and about a millisecond for 8000 samples. */
export function seismicFeatures(x: ArrayLike<number>, fs: number, options: FeatureOptions = {}): SeismicFeatures {
  const fraction = options.fraction ?? 0.2;
  const n = x.length;
  if (n < 8) throw new RangeError(`seismicFeatures: need at least 8 samples, got ${n}`);
  let y = detrend(x);
  if (options.bandHz) y = bandpass(y, fs, options.bandHz[0], options.bandHz[1]);
  const env = smoothEnvelope(y, fs, options.smoothS ?? 0.2);

  let ip = 0;
  for (let i = 1; i < n; i++) if (env[i]! > env[ip]!) ip = i;
  const peak = env[ip]!;
  // A floor keeps the ratio finite for a synthetic trace that is exactly zero outside the event.
  const background = Math.max(median(env), peak * 1e-12, Number.MIN_VALUE);
  const threshold = background + fraction * (peak - background);
  // First and last crossings, not the contiguous run around the peak: a low-SNR window's noise bursts
  // stretch the span, which is the SNR dependence the lesson wants students to see.
  let onset = 0;
  while (onset < ip && env[onset]! < threshold) onset++;
  let end = ip;
  for (let i = n - 1; i > ip; i--) {
    if (env[i]! >= threshold) {
      end = i;
      break;
    }
  }

  // Energy quartiles within the span.
  let total = 0;
  for (let i = onset; i <= end; i++) total += y[i]! * y[i]!;
  const q = [0, 0, 0];
  let acc = 0;
  let qi = 0;
  const targets = [0.25, 0.5, 0.75];
  for (let i = onset; i <= end && qi < 3; i++) {
    acc += y[i]! * y[i]!;
    while (qi < 3 && acc >= targets[qi]! * total) q[qi++] = (i - onset) / fs;
  }

  // Spectrum of the span plus 0.5 s either side, at least 2.56 s so low frequencies are resolved.
  const pad = Math.round(0.5 * fs);
  const minLen = Math.min(n, Math.round(2.56 * fs));
  let s0 = Math.max(0, onset - pad);
  let s1 = Math.min(n, end + pad + 1);
  if (s1 - s0 < minLen) {
    const mid = Math.floor((s0 + s1) / 2);
    s0 = Math.max(0, Math.min(n - minLen, mid - Math.floor(minLen / 2)));
    s1 = s0 + minLen;
  }
  const spec = powerSpectrum(y.subarray(s0, s1), fs, { nfft: Math.max(1024, nextPow2(s1 - s0)) });
  const df = spec.freqs_hz[1]!;
  const k0 = Math.max(1, Math.ceil((options.minFrequencyHz ?? 0.25) / df));
  const f = spec.freqs_hz.subarray(k0);
  const p = spec.power.subarray(k0);
  let sp = 0;
  let sfp = 0;
  for (let k = 0; k < p.length; k++) {
    sp += p[k]!;
    sfp += f[k]! * p[k]!;
  }
  const centroid = sp > 0 ? sfp / sp : 0;
  let var_ = 0;
  let entropy = 0;
  for (let k = 0; k < p.length; k++) {
    const w = sp > 0 ? p[k]! / sp : 0;
    var_ += w * (f[k]! - centroid) ** 2;
    if (w > 0) entropy -= w * Math.log(w);
  }
  const smooth = movingAverage(p, Math.max(1, Math.round(0.5 / df) | 1));
  let kd = 0;
  for (let k = 1; k < smooth.length; k++) if (smooth[k]! > smooth[kd]!) kd = k;

  let peakAmp = 0;
  for (let i = 0; i < n; i++) peakAmp = Math.max(peakAmp, Math.abs(y[i]!));
  return {
    snr_db: 20 * Math.log10(peak / background),
    duration_s: (end - onset + 1) / fs,
    rise_time_s: (ip - onset) / fs,
    decay_time_s: (end - ip) / fs,
    dominant_frequency_hz: f[kd]!,
    spectral_centroid_hz: centroid,
    spectral_spread_hz: Math.sqrt(var_),
    spectral_entropy: p.length > 1 ? entropy / Math.log(p.length) : 0,
    q25_s: q[0]!,
    q50_s: q[1]!,
    q75_s: q[2]!,
    // A feature row must be finite for the classifiers: a constant trace has no shape, so 0 (Gaussian-like, symmetric).
    kurtosis: orZero(kurtosis(y)),
    skewness: orZero(skewness(env)),
    peak_amplitude: peakAmp,
  };
}

function orZero(v: number): number {
  return Number.isNaN(v) ? 0 : v;
}

/** The features as a row in {@link FEATURE_NAMES} order, for a classifier's design matrix. */
export function featureRow(features: SeismicFeatures): number[] {
  return FEATURE_NAMES.map((name) => features[name]);
}
