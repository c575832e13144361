// Amplitude envelopes: the analytic-signal (Hilbert) magnitude, optionally smoothed, used for durations and onsets.
import { fftInPlace, nextPow2 } from './fft.js';

/**
 * Magnitude of the analytic signal of `x` (its Hilbert envelope), computed with one forward and one
 * inverse FFT. The input is zero-padded to a power of two, so for other lengths the last few samples
 * differ slightly from `scipy.signal.hilbert` (which transforms at the exact length); for power-of-two
 * lengths the two agree to rounding.
 */
export function hilbertEnvelope(x: ArrayLike<number>): Float64Array {
  const n = x.length;
  const nfft = nextPow2(n);
  const re = new Float64Array(nfft);
  const im = new Float64Array(nfft);
  for (let i = 0; i < n; i++) re[i] = x[i]!;
  fftInPlace(re, im);
  // Keep DC and Nyquist, double positive frequencies, zero negative ones.
  for (let k = 1; k < nfft / 2; k++) {
    re[k] = re[k]! * 2;
    im[k] = im[k]! * 2;
  }
  for (let k = nfft / 2 + 1; k < nfft; k++) {
    re[k] = 0;
    im[k] = 0;
  }
  fftInPlace(re, im, true);
  const env = new Float64Array(n);
  for (let i = 0; i < n; i++) env[i] = Math.hypot(re[i]!, im[i]!);
  return env;
}

/** Centred moving average over `width` samples (shrinking at the ends), via a running sum so it costs O(n). */
export function movingAverage(x: ArrayLike<number>, width: number): Float64Array {
  const n = x.length;
  const out = new Float64Array(n);
  const half = Math.max(0, Math.floor(width / 2));
  const cum = new Float64Array(n + 1);
  for (let i = 0; i < n; i++) cum[i + 1] = cum[i]! + x[i]!;
  for (let i = 0; i < n; i++) {
    const lo = Math.max(0, i - half);
    const hi = Math.min(n, i + half + 1);
    out[i] = (cum[hi]! - cum[lo]!) / (hi - lo);
  }
  return out;
}

/**
 * The event envelope used by the features: Hilbert magnitude smoothed by a centred moving average of
 * `smoothS` seconds (default 0.5 s), which removes the oscillation at twice the signal frequency and the
 * noise spikes so threshold crossings are stable. Symmetric smoothing keeps a step's half-height point in place.
 */
export function smoothEnvelope(x: ArrayLike<number>, fs: number, smoothS = 0.5): Float64Array {
  const width = Math.max(1, Math.round(smoothS * fs) | 1);
  return movingAverage(hilbertEnvelope(x), width);
}
