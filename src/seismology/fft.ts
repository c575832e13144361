// Radix-2 FFT, power spectra and the Hann window: the spectral core under spectrograms, envelopes and features.

/** Smallest power of two ≥ n (and ≥ 1). */
export function nextPow2(n: number): number {
  let p = 1;
  while (p < n) p *= 2;
  return p;
}

/**
 * In-place iterative radix-2 FFT of (re, im), whose common length must be a power of two.
 * With `inverse`, computes the inverse transform including the 1/N scaling.
 */
export function fftInPlace(re: Float64Array, im: Float64Array, inverse = false): void {
  const n = re.length;
  if (im.length !== n) throw new RangeError(`fft: re and im lengths differ (${n} vs ${im.length})`);
  if (n & (n - 1)) throw new RangeError(`fft: length ${n} is not a power of two (pad with nextPow2)`);
  // Bit-reversal permutation.
  for (let i = 1, j = 0; i < n; i++) {
    let bit = n >> 1;
    for (; j & bit; bit >>= 1) j ^= bit;
    j ^= bit;
    if (i < j) {
      let t = re[i]!;
      re[i] = re[j]!;
      re[j] = t;
      t = im[i]!;
      im[i] = im[j]!;
      im[j] = t;
    }
  }
  const sign = inverse ? 1 : -1;
  for (let len = 2; len <= n; len *= 2) {
    const ang = (sign * 2 * Math.PI) / len;
    const wr = Math.cos(ang);
    const wi = Math.sin(ang);
    const half = len / 2;
    for (let i = 0; i < n; i += len) {
      let cr = 1;
      let ci = 0;
      for (let k = 0; k < half; k++) {
        const a = i + k;
        const b = a + half;
        const tr = re[b]! * cr - im[b]! * ci;
        const ti = re[b]! * ci + im[b]! * cr;
        re[b] = re[a]! - tr;
        im[b] = im[a]! - ti;
        re[a] = re[a]! + tr;
        im[a] = im[a]! + ti;
        const ncr = cr * wr - ci * wi;
        ci = cr * wi + ci * wr;
        cr = ncr;
      }
    }
  }
  if (inverse) {
    for (let i = 0; i < n; i++) {
      re[i] = re[i]! / n;
      im[i] = im[i]! / n;
    }
  }
}

/** Periodic Hann window of n points (as `scipy.signal.get_window('hann', n)`), the usual choice for spectra. */
export function hann(n: number): Float64Array {
  const w = new Float64Array(n);
  for (let i = 0; i < n; i++) w[i] = 0.5 - 0.5 * Math.cos((2 * Math.PI * i) / n);
  return w;
}

/** A one-sided power spectrum. */
export interface PowerSpectrum {
  /** Frequency of each bin, Hz, from 0 to the Nyquist frequency fs/2 (nfft/2 + 1 bins). */
  freqs_hz: Float64Array;
  /** Power spectral density per bin, (input units)²/Hz, one-sided (doubled except at 0 and Nyquist). */
  power: Float64Array;
}

/** Options of {@link powerSpectrum}. */
export interface PowerSpectrumOptions {
  /** FFT length (a power of two ≥ the input length); default nextPow2 of the input length. Zero padding interpolates, it adds no resolution. */
  nfft?: number;
  /** Taper applied before the FFT; default `hann` (less leakage from the window edges). */
  window?: 'hann' | 'none';
}

/** One-sided power spectral density of `x` sampled at `fs` Hz (a periodogram, scaled like `scipy.signal.periodogram`). */
export function powerSpectrum(x: ArrayLike<number>, fs: number, options: PowerSpectrumOptions = {}): PowerSpectrum {
  const n = x.length;
  const nfft = options.nfft ?? nextPow2(n);
  if (nfft < n || nfft & (nfft - 1)) throw new RangeError(`powerSpectrum: nfft ${nfft} must be a power of two ≥ ${n}`);
  const w = options.window === 'none' ? new Float64Array(n).fill(1) : hann(n);
  const re = new Float64Array(nfft);
  const im = new Float64Array(nfft);
  let wss = 0;
  for (let i = 0; i < n; i++) {
    re[i] = x[i]! * w[i]!;
    wss += w[i]! * w[i]!;
  }
  fftInPlace(re, im);
  const nb = nfft / 2 + 1;
  const freqs = new Float64Array(nb);
  const power = new Float64Array(nb);
  const scale = 1 / (fs * (wss || 1));
  for (let k = 0; k < nb; k++) {
    freqs[k] = (k * fs) / nfft;
    const p = (re[k]! * re[k]! + im[k]! * im[k]!) * scale;
    power[k] = k === 0 || k === nfft / 2 ? p : 2 * p;
  }
  return { freqs_hz: freqs, power };
}
