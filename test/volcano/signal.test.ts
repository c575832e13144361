// Signal processing against scipy (test/fixtures/seismic/signal.json) and against answers known in closed form.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { hilbertEnvelope, smoothEnvelope } from '../../src/seismology/envelope.js';
import { featureRow, FEATURE_NAMES, seismicFeatures } from '../../src/seismology/features.js';
import { fftInPlace, powerSpectrum } from '../../src/seismology/fft.js';
import { butterworthBandpass, cosineTaper, demean, detrend, sosfilt, sosfiltfilt } from '../../src/seismology/filter.js';
import { spectrogram } from '../../src/seismology/spectrogram.js';
import { kurtosis, median, quantile, skewness } from '../../src/util/stats.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
interface Ref {
  stats: { x: number[]; kurtosis: number; skewness: number }[];
  butter: { order: number; low_hz: number; high_hz: number; fs: number; impulse_response: number[]; filtfilt_of_burst: number[] }[];
  hilbert: { x: number[]; envelope: number[] };
}
const ref = JSON.parse(readFileSync(path.join(root, 'test/fixtures/seismic/signal.json'), 'utf8')) as Ref;
const fs = 100;
const sine = (hz: number, n: number, amp = 1, phase = 0.3): Float64Array =>
  Float64Array.from({ length: n }, (_, i) => amp * Math.sin(2 * Math.PI * hz * (i / fs) + phase));
const maxAbsDiff = (a: ArrayLike<number>, b: ArrayLike<number>): number => {
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i]! - b[i]!));
  return m;
};

describe('statistics', () => {
  it('kurtosis and skewness match scipy.stats (Fisher, biased)', () => {
    for (const r of ref.stats) {
      expect(kurtosis(r.x)).toBeCloseTo(r.kurtosis, 10);
      expect(skewness(r.x)).toBeCloseTo(r.skewness, 10);
    }
    expect(kurtosis(sine(5, 10000))).toBeCloseTo(-1.5, 2);
  });
  it('quantiles interpolate like NumPy', () => {
    expect(median([5, 1, 3, 2])).toBe(2.5);
    expect(quantile([0, 10], 0.25)).toBe(2.5);
  });
});

describe('FFT and spectra', () => {
  it('inverts exactly and puts a sine in its bin', () => {
    const re = Float64Array.from({ length: 64 }, (_, i) => Math.cos((2 * Math.PI * 5 * i) / 64));
    const im = new Float64Array(64);
    const copy = re.slice();
    fftInPlace(re, im);
    expect(re[5]).toBeCloseTo(32, 10);
    expect(re[59]).toBeCloseTo(32, 10);
    expect(Math.abs(re[6]!)).toBeLessThan(1e-9);
    fftInPlace(re, im, true);
    expect(maxAbsDiff(re, copy)).toBeLessThan(1e-12);
    expect(() => fftInPlace(new Float64Array(6), new Float64Array(6))).toThrow(/not a power of two/);
  });
  it('power spectrum integrates to the variance (Parseval)', () => {
    const x = sine(7.5, 4096, 3);
    const { power, freqs_hz } = powerSpectrum(x, fs, { window: 'none' });
    let integral = 0;
    for (let k = 0; k < power.length; k++) integral += power[k]! * freqs_hz[1]!;
    expect(integral).toBeCloseTo(4.5, 1); // A²/2
  });
});

describe('filters', () => {
  for (const b of ref.butter) {
    it(`Butterworth band-pass order ${b.order}, ${b.low_hz}–${b.high_hz} Hz matches scipy's butter+sosfilt and sosfiltfilt`, () => {
      const sos = butterworthBandpass(b.low_hz, b.high_hz, b.fs, b.order);
      expect(sos.length).toBe(b.order);
      const impulse = new Float64Array(b.impulse_response.length);
      impulse[0] = 1;
      const peak = Math.max(...b.impulse_response.map(Math.abs));
      expect(maxAbsDiff(sosfilt(sos, impulse), b.impulse_response) / peak).toBeLessThan(1e-9);
      const zp = sosfiltfilt(sos, ref.stats[2]!.x);
      expect(maxAbsDiff(zp, b.filtfilt_of_burst) / Math.max(...b.filtfilt_of_burst.map(Math.abs))).toBeLessThan(1e-8);
    });
  }
  it('rejects impossible corners', () => {
    expect(() => butterworthBandpass(10, 5, 100)).toThrow(/need 0 < low/);
    expect(() => butterworthBandpass(1, 60, 100)).toThrow(/Nyquist/);
  });
  it('demean, detrend and taper do what they say', () => {
    const ramp = Float64Array.from({ length: 101 }, (_, i) => 3 + 0.5 * i);
    expect(Math.max(...detrend(ramp).map(Math.abs))).toBeLessThan(1e-9);
    const d = demean([1, 2, 3, 6]);
    expect(Array.from(d)).toEqual([-2, -1, 0, 3]);
    const t = cosineTaper(new Float64Array(100).fill(1), 0.1);
    expect(t[0]).toBe(0);
    expect(t[50]).toBe(1);
  });
});

describe('envelopes and spectrograms', () => {
  it('Hilbert envelope matches scipy.signal.hilbert on a power-of-two length', () => {
    expect(maxAbsDiff(hilbertEnvelope(ref.hilbert.x), ref.hilbert.envelope)).toBeLessThan(1e-9);
  });
  it('spectrogram rows are frequencies, columns times, and the tone is in the right row', () => {
    const x = new Float64Array(3000);
    x.set(sine(20, 1500), 1500); // 20 Hz from 15 s on
    const s = spectrogram(x, fs, { windowS: 2.56, hopS: 1 });
    expect(s.power_db.length).toBe(s.freqs_hz.length);
    expect(s.power_db[0]!.length).toBe(s.times_s.length);
    expect(s.times_s.length).toBe(1 + Math.floor((3000 - 256) / 100));
    const row20 = s.freqs_hz.findIndex((f) => Math.abs(f - 20) < 0.2);
    const last = s.times_s.length - 1;
    expect(s.power_db[row20]![last]!).toBeGreaterThan(s.power_db[row20 + 20]![last]! + 40);
    expect(s.power_db[row20]![last]!).toBeGreaterThan(s.power_db[row20]![0]! + 100);
  });
});

describe('seismicFeatures', () => {
  it('names every field in FEATURE_NAMES order', () => {
    const f = seismicFeatures(sine(3, 1000), fs);
    expect(Object.keys(f).sort()).toEqual([...FEATURE_NAMES].sort());
    expect(featureRow(f)).toEqual(FEATURE_NAMES.map((k) => f[k]));
  });
  it('a pure sine: dominant frequency and centroid at the tone, low entropy, kurtosis −1.5', () => {
    for (const hz of [1.5, 8, 23]) {
      const f = seismicFeatures(sine(hz, 8000, 50), fs);
      expect(f.dominant_frequency_hz).toBeCloseTo(hz, 1);
      expect(Math.abs(f.spectral_centroid_hz - hz)).toBeLessThan(0.2);
      expect(f.spectral_spread_hz).toBeLessThan(0.5);
      expect(f.spectral_entropy).toBeLessThan(0.3);
      expect(f.kurtosis).toBeCloseTo(-1.5, 2);
      expect(f.peak_amplitude).toBeCloseTo(50, 0); // detrending tilts a sine slightly
    }
  });
  it('a boxcar-modulated tone: duration, rise, decay and energy quartiles', () => {
    const x = new Float64Array(8000);
    x.set(sine(10, 1000, 7), 3000); // 10 s of 10 Hz starting at 30 s
    const half = seismicFeatures(x, fs, { fraction: 0.5 });
    expect(half.duration_s).toBeCloseTo(10, 1);
    // With the default fraction the smoothed edges widen the span by 0.6 × the 0.2 s smoothing window.
    const f = seismicFeatures(x, fs);
    expect(f.duration_s).toBeGreaterThan(10.05);
    expect(f.duration_s).toBeLessThan(10.2);
    expect(f.rise_time_s + f.decay_time_s + 1 / fs).toBeCloseTo(f.duration_s, 10);
    // Uniform energy: quartiles at a quarter, half and three quarters of the span.
    expect(f.q25_s / f.duration_s).toBeCloseTo(0.25, 1);
    expect(f.q50_s / f.duration_s).toBeCloseTo(0.5, 1);
    expect(f.q75_s / f.duration_s).toBeCloseTo(0.75, 1);
    expect(f.dominant_frequency_hz).toBeCloseTo(10, 1);
    expect(f.snr_db).toBeGreaterThan(40); // only the Hilbert transform's 1/t tails outside the box
  });
  it('an impulsive exponential coda rises fast and decays over ln(1/fraction)·τ', () => {
    const tau = 2;
    const x = Float64Array.from({ length: 8000 }, (_, i) => {
      const t = (i - 2000) / fs;
      return t < 0 ? 0 : 100 * Math.exp(-t / tau) * Math.sin(2 * Math.PI * 12 * t);
    });
    const f = seismicFeatures(x, fs);
    // The 0.2 s smoothing sets the resolution of rise times: a step rises in about 0.2 s.
    expect(f.rise_time_s).toBeLessThan(0.25);
    expect(f.decay_time_s).toBeGreaterThan(tau * Math.log(5) - 0.4);
    expect(f.decay_time_s).toBeLessThan(tau * Math.log(5) + 0.4);
    expect(f.q50_s).toBeLessThan(f.duration_s / 2);
    expect(f.kurtosis).toBeGreaterThan(10);
  });
  it('smoothEnvelope keeps a step at its half height', () => {
    const x = new Float64Array(2000);
    x.set(sine(10, 1000, 1), 1000);
    const env = smoothEnvelope(x, fs, 0.5);
    expect(env[1000]!).toBeGreaterThan(0.4);
    expect(env[990]!).toBeLessThan(0.5);
  });
});
