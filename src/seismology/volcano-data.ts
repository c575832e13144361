// The `volcano` dataset: seeded synthetic seismo-volcanic events (VT, LP, TR, AV, IC, noise) on a four-station network.
import { createRng, type Rng } from '../util/rng.js';
import { butterworthBandpass, sosfilt } from './filter.js';
import { FEATURE_NAMES, featureRow, seismicFeatures, type FeatureOptions } from './features.js';
import { UserError } from '../errors.js';
import type { Table } from '../data/csv.js';
import { gaussianNoise, zigguratNormal } from './noise.js';

/** The event classes: volcano-tectonic, long-period, tremor, avalanche/rockfall, icequake, background noise. */
export const VOLCANO_CLASSES = ['VT', 'LP', 'TR', 'AV', 'IC', 'NOISE'] as const;

/** One event class. */
export type VolcanoClass = (typeof VOLCANO_CLASSES)[number];

/** Share of each class in a generated catalogue (imbalanced, as in real volcano catalogues). */
export const VOLCANO_CLASS_SHARES: Readonly<Record<VolcanoClass, number>> = { VT: 0.35, LP: 0.25, TR: 0.1, AV: 0.1, IC: 0.08, NOISE: 0.12 };

/** Sampling rate of every trace, Hz. */
export const VOLCANO_FS = 100;
/** Samples per trace (80 s at 100 Hz). */
export const VOLCANO_SAMPLES = 8000;

/** A station of the synthetic network (coordinates relative to the summit vent). */
export interface VolcanoStation {
  /** Station code, e.g. `SUM`. */
  code: string;
  /** What the site is, in words. */
  site: string;
  /** East of the vent, km. */
  x_km: number;
  /** North of the vent, km. */
  y_km: number;
  /** Typical background noise (standard deviation of ground velocity), nm/s; multiplied per event by a 0.6–1.7 "weather" factor. */
  noise_nm_s: number;
}

/** The network: the closest station is also the noisiest (wind on the summit), so it is not always the best one. */
export const VOLCANO_STATIONS: readonly VolcanoStation[] = [
  { code: 'SUM', site: 'summit, 400 m from the vent, windy', x_km: 0.3, y_km: 0.25, noise_nm_s: 40 },
  { code: 'FLK', site: 'upper flank', x_km: 2.5, y_km: 1.5, noise_nm_s: 15 },
  { code: 'BAS', site: 'base of the volcano, quiet vault', x_km: -5, y_km: 4, noise_nm_s: 6 },
  { code: 'GLA', site: 'glacier margin', x_km: 2.5, y_km: -4, noise_nm_s: 20 },
];

/** The source parameters an event was drawn with (the ground truth behind its waveforms). */
export interface VolcanoEventMeta {
  /** Source amplitude, nm/s at 1 km (before geometric spreading and attenuation). */
  amplitude_nm_s: number;
  /** Characteristic frequency, Hz: band centre (VT, AV, IC), resonance (LP) or fundamental (TR); NaN for noise. */
  frequency_hz: number;
  /** Frequency band of the source carrier [low, high], Hz (for LP/TR, that of the weak broadband part). */
  band_hz: [number, number];
  /** Source duration scale, s: coda decay time (VT, LP, IC), episode length (TR), total length (AV); 0 for noise. */
  duration_s: number;
  /** Emergence, s: time for the source to reach its peak amplitude. */
  rise_s: number;
  /** Source position east of the vent, km. */
  x_km: number;
  /** Source position north of the vent, km. */
  y_km: number;
  /** Source depth below the surface, km. */
  depth_km: number;
  /** Hypocentral distance to each station, km (same order as {@link VOLCANO_STATIONS}). */
  distance_km: number[];
  /** Background noise standard deviation at each station for this event, nm/s. */
  noise_nm_s: number[];
  /** True signal-to-noise ratio at each station, dB: 20·log10(peak |signal| / noise std), computed before the noise is added. */
  true_snr_db: number[];
  /** Whether an instrumental glitch (a spike) was added at one station (noise events only). */
  glitch: boolean;
}

/** One event window: all stations, same 80 s, ground velocity in nm/s. */
export interface VolcanoEvent {
  /** Index of the event in the catalogue, 0-based. */
  id: number;
  /** The analyst's label (here: the source model that made it). */
  label: VolcanoClass;
  /** One trace per station ({@link VOLCANO_STATIONS} order), {@link VOLCANO_SAMPLES} samples, nm/s. */
  stations: Float32Array[];
  /** Sampling rate, Hz. */
  fs: typeof VOLCANO_FS;
  /** Source origin time, s after the window start (tremor may have started before the window: negative). */
  origin_s: number;
  /** Source parameters and per-station truth. */
  meta: VolcanoEventMeta;
}

/** Options of {@link generateVolcano}. */
export interface VolcanoOptions {
  /** Seed of the one seeded RNG: same seed, same catalogue. */
  seed: number;
  /** Number of events (default 300). */
  nEvents?: number;
  /** Class shares (default {@link VOLCANO_CLASS_SHARES}); normalised to sum to one. */
  shares?: Partial<Record<VolcanoClass, number>>;
}

// Propagation: P and S velocities of shallow volcanic rock, the slower speed of surface-dominated
// signals (LP, TR, AV) and an attenuation quality factor; low Q is typical of volcanic edifices.
const VP_KM_S = 3.5;
const VS_KM_S = 2.0;
const VSURF_KM_S = 1.5;
const Q = 80;

const uniform = (rng: Rng, lo: number, hi: number): number => lo + (hi - lo) * rng.next();
const logUniform = (rng: Rng, lo: number, hi: number): number => Math.exp(uniform(rng, Math.log(lo), Math.log(hi)));

/** Gaussian noise band-passed to [lo, hi] Hz and scaled to unit RMS: the carrier of broadband sources. */
function bandNoise(rng: Rng, lo: number, hi: number, n: number): Float64Array {
  const out = sosfilt(butterworthBandpass(lo, hi, VOLCANO_FS, 2), gaussianNoise(rng, n));
  let ss = 0;
  for (let i = 0; i < n; i++) ss += out[i]! * out[i]!;
  const s = 1 / Math.sqrt(ss / n || 1);
  for (let i = 0; i < n; i++) out[i] = out[i]! * s;
  return out;
}

/** A source time function on the source's own clock (sample 0 = origin) and the speed it travels at. */
interface Phase {
  wave: Float64Array;
  speed_km_s: number;
}

/** Source models: each returns its phases and fills in the source-specific parts of `meta`. */
function sourceModel(label: VolcanoClass, rng: Rng, n: number, meta: VolcanoEventMeta): Phase[] {
  const t = (i: number): number => i / VOLCANO_FS;
  switch (label) {
    case 'VT': {
      // Brittle failure: impulsive P, stronger and lower-frequency S, exponential coda.
      const lo = uniform(rng, 4, 7);
      const hi = uniform(rng, 11, 16);
      const tau = uniform(rng, 0.8, 3.5);
      const tauP = uniform(rng, 0.2, 0.6);
      const sRatio = uniform(rng, 1.5, 3);
      const cP = bandNoise(rng, lo, hi, n);
      const cS = bandNoise(rng, Math.max(3, lo - 1), hi - 2, n);
      const p = new Float64Array(n);
      const s = new Float64Array(n);
      // exp(−t/τ) by running products: millions of samples per catalogue, so no Math.exp per sample.
      const [kOnP, kP, kOnS, kS] = [0.02, tauP, 0.04, tau].map((tc) => Math.exp(-1 / (tc * VOLCANO_FS))) as [number, number, number, number];
      let [onP, decP, onS, decS] = [1, 1, 1, 1];
      for (let i = 0; i < n; i++) {
        p[i] = (1 - onP) * decP * cP[i]!;
        s[i] = sRatio * (1 - onS) * decS * cS[i]!;
        onP *= kOnP;
        decP *= kP;
        onS *= kOnS;
        decS *= kS;
      }
      Object.assign(meta, { frequency_hz: (lo + hi) / 2, band_hz: [lo, hi], duration_s: tau, rise_s: 0.05 });
      return [
        { wave: p, speed_km_s: VP_KM_S },
        { wave: s, speed_km_s: VS_KM_S },
      ];
    }
    case 'LP': {
      // A fluid-filled resonator excited by a pressure transient: emergent, then a monochromatic decaying coda.
      const f0 = logUniform(rng, 0.7, 4);
      const q = uniform(rng, 6, 30);
      const tau = q / (Math.PI * f0);
      const rise = uniform(rng, 0.8, 4);
      const phi = uniform(rng, 0, 2 * Math.PI);
      const h2 = uniform(rng, 0, 0.3);
      const broad = bandNoise(rng, 0.5, 5, n);
      const w = new Float64Array(n);
      for (let i = 0; i < n; i++) {
        const ti = t(i);
        const e = ti < rise ? (ti / rise) ** 2 : Math.exp(-(ti - rise) / tau);
        const tone = Math.sin(2 * Math.PI * f0 * ti + phi) + h2 * Math.sin(4 * Math.PI * f0 * ti + 2 * phi);
        w[i] = e * (tone + 0.3 * broad[i]!);
      }
      Object.assign(meta, { frequency_hz: f0, band_hz: [0.5, 5], duration_s: tau, rise_s: rise });
      return [{ wave: w, speed_km_s: VSURF_KM_S }];
    }
    case 'TR': {
      // Sustained resonance: fundamental with overtones, slowly amplitude-modulated, with ramps at both ends.
      const f0 = logUniform(rng, 0.8, 3.5);
      const a2 = uniform(rng, 0.2, 0.7);
      const a3 = uniform(rng, 0.05, 0.4);
      const m = uniform(rng, 0.2, 0.8);
      const fm = logUniform(rng, 0.03, 0.25);
      const length = uniform(rng, 40, 150);
      const ramp = uniform(rng, 3, 15);
      const glide = uniform(rng, -0.05, 0.05); // relative frequency change over the episode
      const [p1, p2, p3, pm] = [0, 0, 0, 0].map(() => uniform(rng, 0, 2 * Math.PI)) as [number, number, number, number];
      const broad = bandNoise(rng, 0.5, 5, n);
      const w = new Float64Array(n);
      let phase = 0;
      for (let i = 0; i < n; i++) {
        const ti = t(i);
        if (ti > length) break;
        const e = Math.min(1, ti / ramp, (length - ti) / ramp) * (1 + m * Math.sin(2 * Math.PI * fm * ti + pm));
        phase += (2 * Math.PI * f0 * (1 + (glide * ti) / length)) / VOLCANO_FS;
        w[i] = e * (Math.sin(phase + p1) + a2 * Math.sin(2 * phase + p2) + a3 * Math.sin(3 * phase + p3) + 0.2 * broad[i]!);
      }
      Object.assign(meta, { frequency_hz: f0, band_hz: [0.5, 5], duration_s: length, rise_s: ramp });
      return [{ wave: w, speed_km_s: VSURF_KM_S }];
    }
    case 'AV': {
      // Granular flow: many impacts under a slowly growing then waning (cigar-shaped) envelope, broadband.
      const lo = uniform(rng, 1, 3);
      const hi = uniform(rng, 12, 25);
      const length = uniform(rng, 15, 50);
      const peakAt = length * uniform(rng, 0.25, 0.5);
      const shape = uniform(rng, 2.5, 5);
      const c = bandNoise(rng, lo, hi, n);
      const env = new Float64Array(n);
      for (let i = 0; i < n; i++) {
        const x = t(i) / peakAt;
        env[i] = t(i) < length ? x ** shape * Math.exp(shape * (1 - x)) : 0;
      }
      const impacts = 5 + rng.int(16);
      for (let k = 0; k < impacts; k++) {
        const i0 = Math.floor(uniform(rng, 0.1, 0.9) * length * VOLCANO_FS);
        const amp = uniform(rng, 0.3, 1.2) * env[i0]!;
        const dec = uniform(rng, 0.2, 0.8);
        for (let i = i0; i < Math.min(n, i0 + Math.round(4 * dec * VOLCANO_FS)); i++) env[i] = env[i]! + amp * Math.exp(-(i - i0) / VOLCANO_FS / dec);
      }
      const w = new Float64Array(n);
      for (let i = 0; i < n; i++) w[i] = env[i]! * c[i]!;
      Object.assign(meta, { frequency_hz: (lo + hi) / 2, band_hz: [lo, hi], duration_s: length, rise_s: peakAt });
      return [{ wave: w, speed_km_s: VSURF_KM_S }];
    }
    case 'IC': {
      // Crevassing at the glacier surface: very short, impulsive, high frequency; P and S nearly merged.
      const lo = uniform(rng, 12, 20);
      const hi = uniform(rng, 28, 42);
      const tau = uniform(rng, 0.08, 0.4);
      const c = bandNoise(rng, lo, hi, n);
      const w = new Float64Array(n);
      const kOn = Math.exp(-1 / (0.01 * VOLCANO_FS));
      const kDec = Math.exp(-1 / (tau * VOLCANO_FS));
      let on = 1;
      let dec = 1;
      for (let i = 0; i < n && dec > 1e-12; i++) {
        w[i] = (1 - on) * dec * c[i]!;
        on *= kOn;
        dec *= kDec;
      }
      Object.assign(meta, { frequency_hz: (lo + hi) / 2, band_hz: [lo, hi], duration_s: tau, rise_s: 0.02 });
      return [{ wave: w, speed_km_s: VS_KM_S }];
    }
    case 'NOISE':
      Object.assign(meta, { frequency_hz: NaN, band_hz: [0, VOLCANO_FS / 2], duration_s: 0, rise_s: 0 });
      return [];
    default: {
      const never: never = label;
      throw new Error(`unknown class ${String(never)}`);
    }
  }
}

/** Where each class's sources sit (km from the vent, depth km) and how strong they are (nm/s at 1 km). */
function sourcePlacement(label: VolcanoClass, rng: Rng): { x: number; y: number; depth: number; amplitude: number } {
  switch (label) {
    case 'VT':
      return { x: uniform(rng, -3, 3), y: uniform(rng, -3, 3), depth: uniform(rng, 1, 6), amplitude: logUniform(rng, 150, 30000) };
    case 'LP':
      return { x: uniform(rng, -0.8, 0.8), y: uniform(rng, -0.8, 0.8), depth: uniform(rng, 0.3, 1.5), amplitude: logUniform(rng, 80, 6000) };
    case 'TR':
      return { x: uniform(rng, -0.3, 0.3), y: uniform(rng, -0.3, 0.3), depth: uniform(rng, 0.5, 1), amplitude: logUniform(rng, 40, 1500) };
    case 'AV':
      return { x: uniform(rng, 0.5, 2.5), y: uniform(rng, -1, 2), depth: 0, amplitude: logUniform(rng, 60, 3000) };
    case 'IC':
      return { x: uniform(rng, 1.5, 3.5), y: uniform(rng, -5.5, -3.5), depth: 0, amplitude: logUniform(rng, 800, 30000) };
    case 'NOISE':
      return { x: NaN, y: NaN, depth: NaN, amplitude: 0 };
  }
}

/**
 * Anelastic attenuation on the way to a station, approximated by two one-pole low-passes with corner
 * 1/(π t*), t* = distance / (v Q): far stations lose the high frequencies first (icequakes fade fastest).
 */
function attenuate(x: Float64Array, distanceKm: number, speed: number): void {
  const tStar = distanceKm / (speed * Q);
  const fc = 1 / (Math.PI * tStar);
  if (fc >= VOLCANO_FS / 2) return;
  const a = 1 - Math.exp((-2 * Math.PI * fc) / VOLCANO_FS);
  for (let pass = 0; pass < 2; pass++) {
    let y = 0;
    for (let i = 0; i < x.length; i++) {
      y += a * (x[i]! - y);
      x[i] = y;
    }
  }
}

/**
 * Exact class counts for a catalogue of n events: largest remainder, and at least one event of every
 * class with a positive share when n allows it, so even a tiny catalogue shows all the classes.
 */
function classCounts(n: number, shares: Record<VolcanoClass, number>): Record<VolcanoClass, number> {
  const total = VOLCANO_CLASSES.reduce((s, c) => s + shares[c], 0);
  const exact = VOLCANO_CLASSES.map((c) => (n * shares[c]) / total);
  const positive = exact.filter((v) => v > 0).length;
  const counts = exact.map((v) => (v > 0 && n >= positive ? Math.max(1, Math.floor(v)) : Math.floor(v)));
  const sum = (): number => counts.reduce((s, c) => s + c, 0);
  const pick = (score: (i: number) => number, ok: (i: number) => boolean): number => {
    let best = -1;
    for (let i = 0; i < counts.length; i++) if (ok(i) && (best < 0 || score(i) > score(best))) best = i;
    return best;
  };
  while (sum() < n)
    counts[
      pick(
        (i) => exact[i]! - counts[i]!,
        (i) => exact[i]! > 0,
      )
    ]!++;
  while (sum() > n)
    counts[
      pick(
        (i) => counts[i]! - exact[i]!,
        (i) => counts[i]! > 1,
      )
    ]!--;
  return Object.fromEntries(VOLCANO_CLASSES.map((c, i) => [c, counts[i]!])) as Record<VolcanoClass, number>;
}

/** Generates one event of a given class with its own random stream. */
function generateEvent(id: number, label: VolcanoClass, rng: Rng): VolcanoEvent {
  const n = VOLCANO_SAMPLES;
  const place = sourcePlacement(label, rng);
  const origin = label === 'TR' ? uniform(rng, -30, 25) : label === 'AV' ? uniform(rng, 5, 20) : uniform(rng, 8, 30);
  const meta: VolcanoEventMeta = {
    amplitude_nm_s: place.amplitude,
    frequency_hz: NaN,
    band_hz: [0, 0],
    duration_s: 0,
    rise_s: 0,
    x_km: place.x,
    y_km: place.y,
    depth_km: place.depth,
    distance_km: [],
    noise_nm_s: [],
    true_snr_db: [],
    glitch: false,
  };
  // Source waves are computed over a longer clock so tremor that began before the window is still running in it.
  const lead = Math.max(0, Math.ceil(-origin * VOLCANO_FS));
  const phases = sourceModel(label, rng, n + lead, meta);
  const weather = logUniform(rng, 0.6, 1.7);
  // The ocean microseism (0.15–0.3 Hz) is coherent across a network this small: one wave field, scaled per station.
  const microseism = new Float64Array(n);
  for (let k = 0; k < 3; k++) {
    const f = uniform(rng, 0.15, 0.3);
    const p = uniform(rng, 0, 2 * Math.PI);
    const a = uniform(rng, 0.2, 0.6);
    // A rotating phasor instead of one Math.sin per sample.
    const [cd, sd] = [Math.cos((2 * Math.PI * f) / VOLCANO_FS), Math.sin((2 * Math.PI * f) / VOLCANO_FS)];
    let [re, im] = [Math.cos(p), Math.sin(p)];
    for (let i = 0; i < n; i++) {
      microseism[i] = microseism[i]! + a * im;
      [re, im] = [re * cd - im * sd, re * sd + im * cd];
    }
  }
  const part = new Float64Array(n); // one scratch buffer for every phase at every station
  const stations = VOLCANO_STATIONS.map((st) => {
    const dist = label === 'NOISE' ? NaN : Math.max(0.3, Math.hypot(st.x_km - place.x, st.y_km - place.y, place.depth));
    const signal = new Float64Array(n);
    for (const ph of phases) {
      // Geometric spreading of body waves (1/r) and travel time at the phase's speed.
      const gain = place.amplitude / dist;
      const start = Math.round((origin + dist / ph.speed_km_s) * VOLCANO_FS);
      part.fill(0);
      for (let i = Math.max(0, start); i < n; i++) part[i] = gain * ph.wave[i - start]!;
      attenuate(part, dist, ph.speed_km_s);
      for (let i = 0; i < n; i++) signal[i] = signal[i]! + part[i]!;
    }
    const sigma = st.noise_nm_s * weather * uniform(rng, 0.85, 1.15);
    let peak = 0;
    for (let i = 0; i < n; i++) peak = Math.max(peak, Math.abs(signal[i]!));
    meta.distance_km.push(dist);
    meta.noise_nm_s.push(sigma);
    meta.true_snr_db.push(peak > 0 ? 20 * Math.log10(peak / sigma) : -Infinity);
    // Background: white noise plus the microseism, which sits just below the LP band.
    const out = new Float32Array(n);
    for (let i = 0; i < n; i++) out[i] = signal[i]! + sigma * (zigguratNormal(rng) + microseism[i]!);
    return out;
  });
  if (label === 'NOISE' && rng.next() < 0.2) {
    // An instrumental glitch (a one-sample spike) on one station: impulsive, but not an earthquake.
    const k = rng.int(stations.length);
    stations[k]![500 + rng.int(n - 1000)]! += 30 * meta.noise_nm_s[k]! * (rng.next() < 0.5 ? -1 : 1);
    meta.glitch = true;
  }
  return { id, label, stations, fs: VOLCANO_FS, origin_s: origin, meta };
}

/** Generates a seeded catalogue of `nEvents` 80 s, 4-station event windows (about 5 ms per event). */
export function generateVolcano(options: VolcanoOptions): VolcanoEvent[] {
  const nEvents = options.nEvents ?? 300;
  if (!Number.isInteger(nEvents) || nEvents < 1 || nEvents > 100_000)
    throw new UserError(`volcano: nEvents must be an integer from 1 to 100000, got ${nEvents}`);
  const shares = { ...VOLCANO_CLASS_SHARES, ...options.shares };
  if (VOLCANO_CLASSES.some((c) => !(shares[c] >= 0)) || VOLCANO_CLASSES.every((c) => shares[c] === 0)) {
    throw new UserError('volcano: class shares must be non-negative numbers, not all zero');
  }
  const rng = createRng(options.seed);
  const counts = classCounts(nEvents, shares);
  const labels = rng.shuffle(VOLCANO_CLASSES.flatMap((c) => new Array<VolcanoClass>(counts[c]).fill(c)));
  // One forked stream per event: an event's waveforms do not depend on how the others were drawn.
  const streams = labels.map(() => rng.fork());
  return labels.map((label, id) => generateEvent(id, label, streams[id]!));
}

/** A feature table ready for a classifier: one row per event, columns {@link FEATURE_NAMES}. */
export interface VolcanoFeatureTable {
  /** Column names of `rows`, in order (see `SeismicFeatures` for definitions and units). */
  columns: readonly string[];
  /** Feature values, one row per event. */
  rows: number[][];
  /** The class of each row. */
  labels: VolcanoClass[];
  /** Event id of each row. */
  ids: number[];
  /** Code of the station the features were computed at. */
  station: string;
}

/** Options of {@link volcanoFeatureTable}. */
export interface VolcanoFeatureTableOptions extends VolcanoOptions {
  /** Station index or code (default `FLK`, the upper flank: neither the noisiest nor the farthest). */
  station?: number | string;
  /** Feature options (threshold fraction, smoothing, band-pass). */
  features?: FeatureOptions;
}

/** Resolves a station index or code to an index, or one clear line listing the valid codes. */
export function volcanoStationIndex(station: number | string): number {
  const i = typeof station === 'number' ? station : VOLCANO_STATIONS.findIndex((s) => s.code === station.toUpperCase());
  if (!Number.isInteger(i) || i < 0 || i >= VOLCANO_STATIONS.length) {
    throw new UserError(`volcano: unknown station '${station}' (expected one of ${VOLCANO_STATIONS.map((s) => s.code).join(', ')})`);
  }
  return i;
}

/** Features of every event at one station, from already generated events. */
export function volcanoFeatures(events: readonly VolcanoEvent[], station: number | string = 'FLK', options: FeatureOptions = {}): VolcanoFeatureTable {
  const k = volcanoStationIndex(station);
  return {
    columns: FEATURE_NAMES,
    rows: events.map((e) => featureRow(seismicFeatures(e.stations[k]!, e.fs, options))),
    labels: events.map((e) => e.label),
    ids: events.map((e) => e.id),
    station: VOLCANO_STATIONS[k]!.code,
  };
}

/** Generates a catalogue and returns its feature table at one station (the classifier lesson's input). */
export function volcanoFeatureTable(options: VolcanoFeatureTableOptions): VolcanoFeatureTable {
  return volcanoFeatures(generateVolcano(options), options.station ?? 'FLK', options.features);
}

/**
 * The feature table as a generic {@link Table} (columns: the features, then `label`), the shape the
 * dataset registry, CSV export and the classifiers take. Default 300 events at station FLK.
 */
export function volcanoTable(options: VolcanoFeatureTableOptions): Table {
  const t = volcanoFeatureTable(options);
  return {
    columns: [...t.columns, 'label'],
    rows: t.rows.map((r, i) => [...r, t.labels[i]!]),
    source: `volcano (seed ${options.seed}, station ${t.station})`,
  };
}
