// Trend removal, tapering and Butterworth band-pass filtering (second-order sections, one-pass or zero-phase).

/** One second-order section: y = (b0 + b1 z⁻¹ + b2 z⁻²) / (1 + a1 z⁻¹ + a2 z⁻²) x, as a row of scipy's `sos` without a0. */
export interface Biquad {
  /** Numerator coefficients b0, b1, b2. */
  b: [number, number, number];
  /** Denominator coefficients a1, a2 (a0 is 1). */
  a: [number, number];
}

/** A copy of `x` with its mean removed. */
export function demean(x: ArrayLike<number>): Float64Array {
  const out = Float64Array.from(x as ArrayLike<number>);
  let m = 0;
  for (let i = 0; i < out.length; i++) m += out[i]!;
  m /= out.length || 1;
  for (let i = 0; i < out.length; i++) out[i] = out[i]! - m;
  return out;
}

/** A copy of `x` with its least-squares straight line removed (like `scipy.signal.detrend`), so slow drifts do not leak into low frequencies. */
export function detrend(x: ArrayLike<number>): Float64Array {
  const n = x.length;
  const out = new Float64Array(n);
  if (n === 0) return out;
  const tm = (n - 1) / 2;
  let sx = 0;
  let stx = 0;
  let stt = 0;
  for (let i = 0; i < n; i++) {
    sx += x[i]!;
    stx += (i - tm) * x[i]!;
    stt += (i - tm) * (i - tm);
  }
  const mean = sx / n;
  const slope = stt > 0 ? stx / stt : 0;
  for (let i = 0; i < n; i++) out[i] = x[i]! - mean - slope * (i - tm);
  return out;
}

/** A copy of `x` tapered by a cosine (Tukey) ramp over `fraction` of its length at each end, so filters do not ring on the edges. */
export function cosineTaper(x: ArrayLike<number>, fraction = 0.05): Float64Array {
  const out = Float64Array.from(x as ArrayLike<number>);
  const m = Math.floor(out.length * fraction);
  for (let i = 0; i < m; i++) {
    const w = 0.5 - 0.5 * Math.cos((Math.PI * i) / m);
    out[i] = out[i]! * w;
    out[out.length - 1 - i] = out[out.length - 1 - i]! * w;
  }
  return out;
}

type Complex = [number, number];
const cmul = (a: Complex, b: Complex): Complex => [a[0] * b[0] - a[1] * b[1], a[0] * b[1] + a[1] * b[0]];
const cdiv = (a: Complex, b: Complex): Complex => {
  const d = b[0] * b[0] + b[1] * b[1];
  return [(a[0] * b[0] + a[1] * b[1]) / d, (a[1] * b[0] - a[0] * b[1]) / d];
};
const csqrt = (a: Complex): Complex => {
  const r = Math.hypot(a[0], a[1]);
  const re = Math.sqrt((r + a[0]) / 2);
  const im = Math.sqrt(Math.max(0, (r - a[0]) / 2));
  return [re, a[1] < 0 ? -im : im];
};

/**
 * Digital Butterworth band-pass of the given order (the band-pass has 2·order poles, as
 * `scipy.signal.butter(order, [lowHz, highHz], 'bandpass', fs=fs, output='sos')`): analog prototype,
 * low-pass→band-pass transform, bilinear transform with pre-warped edges, gain 1 at the band centre.
 */
export function butterworthBandpass(lowHz: number, highHz: number, fs: number, order = 4): Biquad[] {
  if (!(lowHz > 0 && highHz > lowHz && highHz < fs / 2)) {
    throw new RangeError(`butterworthBandpass: need 0 < low (${lowHz}) < high (${highHz}) < Nyquist (${fs / 2}) Hz`);
  }
  if (!Number.isInteger(order) || order < 1) throw new RangeError(`butterworthBandpass: order must be a positive integer, got ${order}`);
  const fs2 = 2 * fs;
  const wl = fs2 * Math.tan((Math.PI * lowHz) / fs);
  const wh = fs2 * Math.tan((Math.PI * highHz) / fs);
  const bw = wh - wl;
  const w0sq = wl * wh;
  const poles: Complex[] = [];
  for (let k = 0; k < order; k++) {
    // Prototype poles on the left half of the unit circle.
    const theta = (Math.PI * (2 * k + order + 1)) / (2 * order);
    const p: Complex = [Math.cos(theta), Math.sin(theta)];
    const half: Complex = [(p[0] * bw) / 2, (p[1] * bw) / 2];
    const root = csqrt([half[0] * half[0] - half[1] * half[1] - w0sq, 2 * half[0] * half[1]]);
    for (const s of [
      [half[0] + root[0], half[1] + root[1]],
      [half[0] - root[0], half[1] - root[1]],
    ] as Complex[]) {
      poles.push(cdiv([fs2 + s[0], s[1]], [fs2 - s[0], -s[1]]));
    }
  }
  // Pair conjugates; leftover real poles are paired with each other.
  const sections: Biquad[] = [];
  const real = poles
    .filter((p) => Math.abs(p[1]) < 1e-12)
    .map((p) => p[0])
    .sort((a, b) => a - b);
  for (const p of poles.filter((q) => q[1] >= 1e-12)) {
    sections.push({ b: [1, 0, -1], a: [-2 * p[0], p[0] * p[0] + p[1] * p[1]] });
  }
  for (let i = 0; i + 1 < real.length; i += 2) sections.push({ b: [1, 0, -1], a: [-(real[i]! + real[i + 1]!), real[i]! * real[i + 1]!] });
  // Unit gain at the digital image of the analog centre frequency.
  const w0 = 2 * Math.atan(Math.sqrt(w0sq) / fs2);
  let h: Complex = [1, 0];
  const z1: Complex = [Math.cos(-w0), Math.sin(-w0)];
  const z2 = cmul(z1, z1);
  for (const s of sections) {
    const num: Complex = [s.b[0] + s.b[1] * z1[0] + s.b[2] * z2[0], s.b[1] * z1[1] + s.b[2] * z2[1]];
    const den: Complex = [1 + s.a[0] * z1[0] + s.a[1] * z2[0], s.a[0] * z1[1] + s.a[1] * z2[1]];
    h = cmul(h, cdiv(num, den));
  }
  const g = 1 / Math.hypot(h[0], h[1]);
  const first = sections[0]!;
  first.b = [first.b[0] * g, first.b[1] * g, first.b[2] * g];
  return sections;
}

/** Filters `x` through the sections in turn (direct form II transposed); `zi` holds each section's two initial states. */
export function sosfilt(sos: Biquad[], x: ArrayLike<number>, zi?: Array<[number, number]>): Float64Array {
  let y = Float64Array.from(x as ArrayLike<number>);
  sos.forEach((s, k) => {
    const [b0, b1, b2] = s.b;
    const [a1, a2] = s.a;
    let z1 = zi?.[k]?.[0] ?? 0;
    let z2 = zi?.[k]?.[1] ?? 0;
    const out = new Float64Array(y.length);
    for (let i = 0; i < y.length; i++) {
      const xi = y[i]!;
      const yi = b0 * xi + z1;
      z1 = b1 * xi - a1 * yi + z2;
      z2 = b2 * xi - a2 * yi;
      out[i] = yi;
    }
    y = out;
  });
  return y;
}

/** Steady-state section states for a unit step input (as `scipy.signal.sosfilt_zi`), so filtering starts without a transient. */
export function sosfiltZi(sos: Biquad[]): Array<[number, number]> {
  let scale = 1;
  return sos.map((s) => {
    const gain = (s.b[0] + s.b[1] + s.b[2]) / (1 + s.a[0] + s.a[1]);
    const z2 = scale * (s.b[2] - s.a[1] * gain);
    const z1 = scale * (s.b[1] - s.a[0] * gain) + z2;
    scale *= gain;
    return [z1, z2];
  });
}

/**
 * Zero-phase filtering (forward then backward, as `scipy.signal.sosfiltfilt` with its default odd padding):
 * onsets stay where they are, which matters for picking and rise times; the magnitude response is squared.
 */
export function sosfiltfilt(sos: Biquad[], x: ArrayLike<number>): Float64Array {
  const n = x.length;
  const padlen = Math.min(n - 1, 3 * (2 * sos.length + 1 - Math.min(sos.filter((s) => s.b[2] === 0).length, sos.filter((s) => s.a[1] === 0).length)));
  if (n === 0) return new Float64Array(0);
  const ext = new Float64Array(n + 2 * padlen);
  for (let i = 0; i < padlen; i++) ext[i] = 2 * x[0]! - x[padlen - i]!;
  for (let i = 0; i < n; i++) ext[padlen + i] = x[i]!;
  for (let i = 0; i < padlen; i++) ext[padlen + n + i] = 2 * x[n - 1]! - x[n - 2 - i]!;
  const zi = sosfiltZi(sos);
  const scaled = (v: number): Array<[number, number]> => zi.map(([a, b]) => [a * v, b * v]);
  const fwd = sosfilt(sos, ext, scaled(ext[0]!));
  fwd.reverse();
  const back = sosfilt(sos, fwd, scaled(fwd[0]!));
  back.reverse();
  return back.slice(padlen, padlen + n);
}

/** Band-passes `x` (Hz, order as {@link butterworthBandpass}), zero-phase unless `zeroPhase` is false. */
export function bandpass(x: ArrayLike<number>, fs: number, lowHz: number, highHz: number, options: { order?: number; zeroPhase?: boolean } = {}): Float64Array {
  const sos = butterworthBandpass(lowHz, highHz, fs, options.order ?? 4);
  return options.zeroPhase === false ? sosfilt(sos, x) : sosfiltfilt(sos, x);
}
