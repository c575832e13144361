// Short-time Fourier transform power in dB, laid out as rows of frequency for a terminal heatmap.
import { fftInPlace, hann, nextPow2 } from './fft.js';

/** A spectrogram ready for a heatmap: rows are frequencies (row 0 = 0 Hz, the lowest), columns are times. */
export interface Spectrogram {
  /** Centre time of each window, s from the first sample (one per column). */
  times_s: Float64Array;
  /** Frequency of each row, Hz, 0 to the Nyquist frequency. */
  freqs_hz: Float64Array;
  /** Power spectral density in dB (10·log10 of (input units)²/Hz), one Float32Array of length `times_s.length` per frequency row. */
  power_db: Float32Array[];
}

/** Options of {@link spectrogram}. */
export interface SpectrogramOptions {
  /** Window length, s (default 2.56 s: 256 samples at 100 Hz, 0.39 Hz resolution). */
  windowS?: number;
  /** Hop between window starts, s (default a quarter of the window). */
  hopS?: number;
  /** Floor added before the logarithm so silent windows give a finite dB value, (units)²/Hz (default 1e-20). */
  floor?: number;
}

/** STFT with a periodic Hann window; each window is zero-padded to a power of two. */
export function spectrogram(x: ArrayLike<number>, fs: number, options: SpectrogramOptions = {}): Spectrogram {
  const win = Math.max(2, Math.round((options.windowS ?? 2.56) * fs));
  const hop = Math.max(1, Math.round((options.hopS ?? (options.windowS ?? 2.56) / 4) * fs));
  if (x.length < win) throw new RangeError(`spectrogram: signal of ${x.length} samples is shorter than one window (${win})`);
  const floor = options.floor ?? 1e-20;
  const nfft = nextPow2(win);
  const w = hann(win);
  let wss = 0;
  for (let i = 0; i < win; i++) wss += w[i]! * w[i]!;
  const nFrames = 1 + Math.floor((x.length - win) / hop);
  const nb = nfft / 2 + 1;
  const times = new Float64Array(nFrames);
  const freqs = new Float64Array(nb);
  for (let k = 0; k < nb; k++) freqs[k] = (k * fs) / nfft;
  const rows = Array.from({ length: nb }, () => new Float32Array(nFrames));
  const re = new Float64Array(nfft);
  const im = new Float64Array(nfft);
  for (let f = 0; f < nFrames; f++) {
    const start = f * hop;
    re.fill(0);
    im.fill(0);
    // Demean each window so a DC offset does not swamp the lowest row.
    let m = 0;
    for (let i = 0; i < win; i++) m += x[start + i]!;
    m /= win;
    for (let i = 0; i < win; i++) re[i] = (x[start + i]! - m) * w[i]!;
    fftInPlace(re, im);
    times[f] = (start + win / 2) / fs;
    for (let k = 0; k < nb; k++) {
      let p = (re[k]! * re[k]! + im[k]! * im[k]!) / (fs * wss);
      if (k !== 0 && k !== nfft / 2) p *= 2;
      rows[k]![f] = 10 * Math.log10(p + floor);
    }
  }
  return { times_s: times, freqs_hz: freqs, power_db: rows };
}
