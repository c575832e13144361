// Built-in sample data for `eds demo plots` and the renderers' golden tests: small physical toy models, seeded, no files.
import { createRng, type Rng } from '../util/rng.js';
import type { GrayImage } from './image.js';
import type { PointCloud } from './pointcloud.js';

/** River toy: turbidity (NTU) against suspended sediment concentration (mg/L), a power law with log-normal scatter. */
export interface RiverSample {
  /** Turbidity of each water sample (NTU). */
  turbidity: Float64Array;
  /** Suspended sediment concentration of each sample (mg/L). */
  ssc: Float64Array;
  /** Water temperature (°C), with a few missing values (NaN). */
  temperature: Float64Array;
  /** The log–log least-squares fit, as a curve over the turbidity range. */
  fit: { x: Float64Array; y: Float64Array; slope: number; intercept: number };
}

/** A seeded river sample: SSC = 1.6 · T^1.1 · lognormal, with a few fouled-probe outliers. */
export function sampleRiver(seed = 1, n = 300): RiverSample {
  const rng = createRng(seed);
  const turbidity = new Float64Array(n);
  const ssc = new Float64Array(n);
  const temperature = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const t = 10 ** (0.3 + 2.4 * rng.next() ** 1.5);
    turbidity[i] = t;
    ssc[i] = 1.6 * t ** 1.1 * Math.exp(0.35 * rng.normal());
    // A fouled probe reads high turbidity for clear water.
    if (rng.next() < 0.02) turbidity[i] = t * (8 + 10 * rng.next());
    temperature[i] = rng.next() < 0.03 ? NaN : 22 + 2.5 * rng.normal();
  }
  let sx = 0;
  let sy = 0;
  let sxx = 0;
  let sxy = 0;
  for (let i = 0; i < n; i++) {
    const lx = Math.log10(turbidity[i]!);
    const ly = Math.log10(ssc[i]!);
    sx += lx;
    sy += ly;
    sxx += lx * lx;
    sxy += lx * ly;
  }
  const slope = (n * sxy - sx * sy) / (n * sxx - sx * sx);
  const intercept = (sy - slope * sx) / n;
  const fx = new Float64Array(50);
  const fy = new Float64Array(50);
  const [lo, hi] = [Math.min(...turbidity), Math.max(...turbidity)];
  for (let k = 0; k < 50; k++) {
    fx[k] = lo * (hi / lo) ** (k / 49);
    fy[k] = 10 ** (intercept + slope * Math.log10(fx[k]!));
  }
  return { turbidity, ssc, temperature, fit: { x: fx, y: fy, slope, intercept } };
}

/** Loss and accuracy per epoch of a typical small network that starts to overfit after epoch ~25. */
export function sampleTraining(
  seed = 2,
  epochs = 40,
): { epoch: Float64Array; loss: Float64Array; valLoss: Float64Array; acc: Float64Array; valAcc: Float64Array } {
  const rng = createRng(seed);
  const epoch = new Float64Array(epochs);
  const loss = new Float64Array(epochs);
  const valLoss = new Float64Array(epochs);
  const acc = new Float64Array(epochs);
  const valAcc = new Float64Array(epochs);
  for (let e = 0; e < epochs; e++) {
    epoch[e] = e + 1;
    loss[e] = 2.3 * Math.exp(-e / 6) + 0.05 + 0.02 * rng.normal() ** 2;
    valLoss[e] = 2.3 * Math.exp(-e / 7) + 0.12 + Math.max(0, e - 25) * 0.012 + 0.03 * Math.abs(rng.normal());
    acc[e] = 1 - 0.9 * Math.exp(-e / 5) - 0.01 * Math.abs(rng.normal());
    valAcc[e] = 1 - 0.9 * Math.exp(-e / 6) - 0.04 - 0.015 * Math.abs(rng.normal());
  }
  return { epoch, loss, valLoss, acc, valAcc };
}

/** Thirty days of a 5-minute water level (m) with daily tides, a flood and a 2-day gap (a dead logger). */
export function sampleWaterLevel(seed = 3): { time: Float64Array; level: Float64Array; turbidity: Float64Array } {
  const rng = createRng(seed);
  const n = 30 * 288;
  const start = Date.UTC(2019, 8, 1);
  const time = new Float64Array(n);
  const level = new Float64Array(n);
  const turbidity = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const days = i / 288;
    time[i] = start + i * 300_000;
    const flood = 1.2 * Math.exp(-((days - 17) ** 2) / 0.8) + 0.6 * Math.exp(-((days - 23) ** 2) / 0.3);
    level[i] = 0.4 + 0.05 * Math.sin(2 * Math.PI * days) + flood + 0.01 * rng.normal();
    turbidity[i] = 5 + 300 * flood ** 1.5 + 2 * Math.abs(rng.normal());
    if (days > 8 && days < 10) {
      level[i] = NaN;
      turbidity[i] = NaN;
    }
  }
  return { time, level, turbidity };
}

/** Power spectrogram (dB) of a 60 s, 100 Hz chirp from 2 to 30 Hz in noise: `values[f][t]`, frequency rows from 0 Hz. */
export function sampleChirpSpectrogram(seed = 4): { values: Float64Array[]; duration: number; nyquist: number } {
  const rng = createRng(seed);
  const fs = 100;
  const duration = 60;
  const n = fs * duration;
  const signal = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const t = i / fs;
    const f0 = 2;
    const f1 = 30;
    const phase = 2 * Math.PI * (f0 * t + ((f1 - f0) / (2 * duration)) * t * t);
    const envelope = t > 5 && t < 55 ? 1 : 0.05;
    signal[i] = envelope * Math.sin(phase) + 0.2 * rng.normal();
  }
  const win = 128;
  const hop = 50;
  const bins = win / 2;
  const frames = Math.floor((n - win) / hop) + 1;
  const values = Array.from({ length: bins }, () => new Float64Array(frames));
  for (let f = 0; f < frames; f++) {
    for (let k = 0; k < bins; k++) {
      let re = 0;
      let im = 0;
      for (let j = 0; j < win; j++) {
        const hann = 0.5 - 0.5 * Math.cos((2 * Math.PI * j) / (win - 1));
        const v = signal[f * hop + j]! * hann;
        re += v * Math.cos((2 * Math.PI * k * j) / win);
        im -= v * Math.sin((2 * Math.PI * k * j) / win);
      }
      values[k]![f] = 10 * Math.log10(re * re + im * im + 1e-12);
    }
  }
  return { values, duration, nyquist: fs / 2 };
}

/** A plausible confusion matrix of the volcano lesson (rows: true class). */
export function sampleConfusion(): { labels: string[]; matrix: number[][] } {
  return {
    labels: ['VT', 'LP', 'TR', 'AV', 'IC', 'noise'],
    matrix: [
      [182, 9, 0, 2, 6, 1],
      [14, 121, 11, 3, 0, 4],
      [0, 17, 64, 6, 0, 2],
      [3, 2, 8, 37, 0, 1],
      [9, 0, 0, 0, 28, 0],
      [1, 5, 3, 1, 0, 240],
    ],
  };
}

// Strokes of each digit as polylines in a unit box (x right, y down), drawn with a pen.
// biome-ignore format: one digit per line reads as a drawing; the formatter would put every point on a line of its own.
const DIGIT_STROKES: Record<number, Array<Array<[number, number]>>> = {
  0: [[[0.5, 0.1], [0.25, 0.25], [0.2, 0.5], [0.25, 0.75], [0.5, 0.9], [0.75, 0.75], [0.8, 0.5], [0.75, 0.25], [0.5, 0.1]]],
  1: [[[0.35, 0.25], [0.55, 0.1], [0.55, 0.9]]],
  2: [[[0.25, 0.3], [0.4, 0.12], [0.65, 0.12], [0.75, 0.3], [0.65, 0.5], [0.25, 0.88], [0.8, 0.88]]],
  3: [[[0.25, 0.15], [0.7, 0.15], [0.45, 0.45], [0.7, 0.55], [0.72, 0.75], [0.5, 0.9], [0.25, 0.82]]],
  4: [[[0.6, 0.9], [0.6, 0.1], [0.2, 0.65], [0.82, 0.65]]],
  5: [[[0.75, 0.12], [0.3, 0.12], [0.28, 0.45], [0.6, 0.42], [0.75, 0.62], [0.65, 0.85], [0.28, 0.86]]],
  6: [[[0.7, 0.12], [0.4, 0.3], [0.27, 0.6], [0.35, 0.85], [0.6, 0.88], [0.72, 0.68], [0.55, 0.52], [0.3, 0.6]]],
  7: [[[0.22, 0.13], [0.8, 0.13], [0.45, 0.9]], [[0.35, 0.5], [0.7, 0.5]]],
  8: [[[0.5, 0.5], [0.3, 0.3], [0.5, 0.1], [0.7, 0.3], [0.5, 0.5], [0.27, 0.7], [0.5, 0.9], [0.73, 0.7], [0.5, 0.5]]],
  9: [[[0.7, 0.4], [0.5, 0.5], [0.3, 0.35], [0.45, 0.12], [0.7, 0.2], [0.7, 0.5], [0.6, 0.9]]],
};

/** A 28×28 handwritten-looking digit (0–255), drawn procedurally with a random slant, size and pen width. */
export function sampleDigit(digit: number, rng: Rng): GrayImage {
  const size = 28;
  const pixels = new Float64Array(size * size);
  const strokes = DIGIT_STROKES[((digit % 10) + 10) % 10]!;
  const slant = 0.25 * (rng.next() - 0.5);
  const scale = 0.85 + 0.15 * rng.next();
  const pen = 1.3 + 0.6 * rng.next();
  const dx = (rng.next() - 0.5) * 2;
  const dy = (rng.next() - 0.5) * 2;
  const segments: Array<[number, number, number, number]> = [];
  for (const stroke of strokes) {
    const pts = stroke.map(([x, y]) => [4 + dx + (x - 0.5 + slant * (0.5 - y)) * 20 * scale + 10, 4 + dy + (y - 0.5) * 20 * scale + 10] as const);
    for (let k = 1; k < pts.length; k++) segments.push([pts[k - 1]![0], pts[k - 1]![1], pts[k]![0], pts[k]![1]]);
  }
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) {
      let d = Infinity;
      for (const [x0, y0, x1, y1] of segments) {
        const vx = x1 - x0;
        const vy = y1 - y0;
        const t = Math.max(0, Math.min(1, ((x - x0) * vx + (y - y0) * vy) / (vx * vx + vy * vy || 1)));
        d = Math.min(d, Math.hypot(x - x0 - t * vx, y - y0 - t * vy));
      }
      pixels[y * size + x] = Math.round(255 * Math.max(0, Math.min(1, (pen + 0.8 - d) / 1.2)));
    }
  }
  return { pixels, width: size, height: size };
}

/** A synthetic beach-dune tile: sand floor (label 0) with vegetation clumps (label 1) on it; x, y, z in metres. */
export function sampleDuneTile(seed = 5, n = 40_000): PointCloud & { labels: Uint8Array } {
  const rng = createRng(seed);
  const x = new Float32Array(n);
  const y = new Float32Array(n);
  const z = new Float32Array(n);
  const labels = new Uint8Array(n);
  const clumps = Array.from({ length: 14 }, () => ({ cx: 5 + 50 * rng.next(), cy: 3 + 24 * rng.next(), r: 1 + 2.5 * rng.next(), h: 0.5 + 1.5 * rng.next() }));
  const floor = (px: number, py: number): number => 1 + 4 * Math.exp(-(((px - 32) / 11) ** 2)) + 0.3 * Math.sin(py / 4) + 0.02 * px;
  for (let i = 0; i < n; i++) {
    if (rng.next() < 0.22) {
      const c = clumps[rng.int(clumps.length)]!;
      const a = 2 * Math.PI * rng.next();
      const rr = c.r * Math.sqrt(rng.next());
      x[i] = c.cx + rr * Math.cos(a);
      y[i] = c.cy + rr * Math.sin(a);
      z[i] = floor(x[i]!, y[i]!) + c.h * rng.next() * (1 - rr / (c.r * 1.2));
      labels[i] = 1;
    } else {
      x[i] = 60 * rng.next();
      y[i] = 30 * rng.next();
      z[i] = floor(x[i]!, y[i]!) + 0.03 * rng.normal();
      labels[i] = 0;
    }
  }
  return { x, y, z, labels };
}

/** A 30 s, 100 Hz seismogram with a P arrival at 10.0 s and S at 16.5 s, and a picker's P and S probabilities. */
export function sampleSeismogram(seed = 6): {
  samples: Float64Array;
  sampleRate: number;
  pTime: number;
  sTime: number;
  pProb: Float64Array;
  sProb: Float64Array;
} {
  const rng = createRng(seed);
  const fs = 100;
  const n = 3001;
  const pTime = 10;
  const sTime = 16.5;
  const samples = new Float64Array(n);
  const pProb = new Float64Array(n);
  const sProb = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const t = i / fs;
    let v = 40 * rng.normal();
    if (t >= pTime) v += 600 * Math.exp(-(t - pTime) / 1.5) * Math.sin(2 * Math.PI * 8 * (t - pTime));
    if (t >= sTime) v += 1500 * Math.exp(-(t - sTime) / 2.5) * Math.sin(2 * Math.PI * 4 * (t - sTime) + 0.5);
    samples[i] = v;
    // The model's picks are a little off the analyst's, as real ones are.
    pProb[i] = 0.93 * Math.exp(-((t - (pTime + 0.08)) ** 2) / (2 * 0.3 ** 2));
    sProb[i] = 0.81 * Math.exp(-((t - (sTime - 0.2)) ** 2) / (2 * 0.3 ** 2));
  }
  return { samples, sampleRate: fs, pTime, sTime, pProb, sProb };
}

/** Random-forest feature importances of the volcano classifier (made up, in the usual order of magnitude). */
export function sampleFeatureImportances(): Array<{ label: string; value: number }> {
  return [
    { label: 'dominant frequency', value: 0.21 },
    { label: 'spectral centroid', value: 0.17 },
    { label: 'duration', value: 0.14 },
    { label: 'kurtosis', value: 0.11 },
    { label: 'rise/decay ratio', value: 0.09 },
    { label: 'spectral entropy', value: 0.08 },
    { label: 'SNR', value: 0.06 },
    { label: 'spectral spread', value: 0.05 },
    { label: 'skewness', value: 0.04 },
    { label: 'quartile 1 freq.', value: 0.03 },
    { label: 'quartile 3 freq.', value: 0.02 },
  ];
}

/** Normalised PCA eigenvalue shares (linear, planar, volumetric) of lidar neighbourhoods for three classes. */
export function sampleEigenTriangle(seed = 7, perClass = 400): Array<{ name: string; a: Float64Array; b: Float64Array; c: Float64Array }> {
  const rng = createRng(seed);
  const classes: Array<{ name: string; centre: [number, number, number] }> = [
    { name: 'sand floor', centre: [0.1, 0.8, 0.1] },
    { name: 'vegetation', centre: [0.2, 0.35, 0.45] },
    { name: 'stems', centre: [0.75, 0.15, 0.1] },
  ];
  return classes.map(({ name, centre }) => {
    const a = new Float64Array(perClass);
    const b = new Float64Array(perClass);
    const c = new Float64Array(perClass);
    for (let i = 0; i < perClass; i++) {
      // Log-normal jitter around the class centre, renormalised onto the simplex.
      const w = centre.map((m) => m * Math.exp(0.45 * rng.normal()));
      const s = w[0]! + w[1]! + w[2]!;
      a[i] = w[0]! / s;
      b[i] = w[1]! / s;
      c[i] = w[2]! / s;
    }
    return { name, a, b, c };
  });
}
