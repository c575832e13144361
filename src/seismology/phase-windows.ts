// The `phases` dataset: seeded synthetic three-component seismograms (100 Hz, 3,001-sample windows) with P and S picks, for PhaseNet.
import { createRng, type Rng } from '../util/rng.js';
import { std } from '../util/stats.js';

/** Sampling rate of every phases window (Hz), as in the PhaseNet training data. */
export const PHASE_SAMPLE_RATE = 100;

/** Samples per window: 30 s at 100 Hz, PhaseNet's input length. */
export const PHASE_WINDOW = 3001;

/** Component order of the windows (columns of `waveform`), as in the PhaseNet `.npz` files. */
export const PHASE_CHANNELS = ['E', 'N', 'Z'] as const;

/** One synthetic window: the seismogram and the "analyst" picks it was built from. */
export interface PhaseWindow {
  /** Ground velocity, [PHASE_WINDOW, 3] in row-major order (sample-major, E N Z per sample), arbitrary counts. */
  waveform: Float32Array;
  /** Samples per channel (PHASE_WINDOW). */
  length: number;
  /** P arrival, sample index from the window start. */
  itp: number;
  /** S arrival, sample index from the window start (always after `itp`). */
  its: number;
  /** Epicentral distance (km) that set the S−P time. */
  distanceKm: number;
  /** Signal-to-noise ratio of the P onset: P peak amplitude on Z over the noise standard deviation on Z. */
  snrP: number;
  /** Dominant frequency of the P wave (Hz); the S wave's is lower. */
  frequencyHz: number;
  /** Rise time of the P onset (s): short is impulsive, long is emergent (hard to pick). */
  riseTimeS: number;
}

/**
 * Where the windows come from. `local`: tectonic earthquakes on a local crustal network, the domain the shipped
 * weights were trained on. `volcanic`: a shifted domain the network never saw (a network on a volcano's flanks):
 * slower, fluid-rich rock, low-frequency emergent onsets, weak S and volcanic tremor in the noise.
 */
export type PhaseDomain = 'local' | 'volcanic';

/** The domains `generatePhases` knows. */
export const PHASE_DOMAINS: readonly PhaseDomain[] = ['local', 'volcanic'];

/** Options of the generator. */
export interface PhasesOptions {
  /** Seed: same seed, same windows on every machine. */
  seed: number;
  /** Number of windows. */
  count: number;
  /** Recording setting (default `local`, the training domain; `volcanic` is the shifted one). */
  domain?: PhaseDomain;
}

/** A range [low, high] a parameter is drawn from per window. */
type Range = readonly [number, number];

/** The physical parameters of one domain: every range the generator draws from. */
interface DomainPhysics {
  /** P velocity (km/s). */
  vpKmS: number;
  /** Vp/Vs ratios (1.73 is a Poisson solid; fluids and cracks raise it). */
  vpVs: Range;
  /** Source–station distances (km), log-uniform. */
  distanceKm: Range;
  /** Dominant P frequency (Hz), log-uniform. */
  pFrequencyHz: Range;
  /** P rise time (s), log-uniform: short is impulsive, long emergent. */
  pRiseS: Range;
  /** P coda decay time (s). */
  pDecayS: Range;
  /** S amplitude over P amplitude. */
  sOverP: Range;
  /** Scattered coda after the S, as a share of the S amplitude. */
  codaLevel: Range;
  /** SNR of the P on Z, log-uniform. */
  snrP: Range;
  /** Volcanic tremor in the noise: weight relative to the broadband noise and its frequency (Hz); null: none. */
  tremor: { weight: Range; frequencyHz: Range } | null;
}

/**
 * The training domain. Crustal Vp 6 km/s, Vp/Vs 1.68–1.80. Epicentral distances 3–115 km (log-uniform): S−P
 * from about 0.35 s to about 14 s. Local networks record many very close events (geothermal fields,
 * aftershocks), so short S−P times must not be rare.
 */
const LOCAL: DomainPhysics = {
  vpKmS: 6.0,
  vpVs: [1.68, 1.8],
  distanceKm: [3, 115],
  pFrequencyHz: [2.5, 12],
  pRiseS: [0.02, 0.4],
  pDecayS: [0.5, 2.5],
  sOverP: [1.5, 4],
  codaLevel: [0.1, 0.35],
  snrP: [2, 200],
  tremor: null,
};

/**
 * The shifted domain: a seismic network on a volcano. Shallow events in hot, fractured, fluid-rich rock: slow
 * (Vp 3.5 km/s) with a high Vp/Vs (1.8–2.1), at 2–25 km, so S−P is 0.5–8 s. Strong attenuation (low Q) and
 * scattering strip the high frequencies and smear the onsets: P at 1–4 Hz rising over 0.15–1 s, a weak S
 * (1–2.5 × P) and a heavy coda. Stations sit on the edifice, where tremor (a sustained, narrow-band hum at
 * 1–3 Hz) adds to the noise, and the SNR is lower (2–60).
 */
const VOLCANIC: DomainPhysics = {
  vpKmS: 3.5,
  vpVs: [1.8, 2.1],
  distanceKm: [2, 25],
  pFrequencyHz: [1, 4],
  pRiseS: [0.15, 1],
  pDecayS: [1.5, 4],
  sOverP: [1, 2.5],
  codaLevel: [0.3, 0.7],
  snrP: [2, 60],
  tremor: { weight: [0.5, 2], frequencyHz: [1, 3] },
};

const PHYSICS: Record<PhaseDomain, DomainPhysics> = { local: LOCAL, volcanic: VOLCANIC };

/**
 * A damped resonator (two-pole filter) run over white noise: band-limited noise centred on `freqHz`.
 * Cheaper than an FFT filter and good enough for wave packets; `bandwidthHz` sets how ringing it is.
 */
function resonator(input: Float64Array, freqHz: number, bandwidthHz: number): Float64Array {
  const dt = 1 / PHASE_SAMPLE_RATE;
  const r = Math.exp(-Math.PI * bandwidthHz * dt);
  const a1 = 2 * r * Math.cos(2 * Math.PI * freqHz * dt);
  const a2 = -r * r;
  const out = new Float64Array(input.length);
  let y1 = 0;
  let y2 = 0;
  for (let i = 0; i < input.length; i++) {
    const y = input[i]! + a1 * y1 + a2 * y2;
    out[i] = y;
    y2 = y1;
    y1 = y;
  }
  return out;
}

function whiteNoise(rng: Rng, n: number): Float64Array {
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) out[i] = rng.normal();
  return out;
}

const uniform = (rng: Rng, lo: number, hi: number): number => lo + (hi - lo) * rng.next();
const logUniform = (rng: Rng, lo: number, hi: number): number => Math.exp(uniform(rng, Math.log(lo), Math.log(hi)));

/**
 * One wave packet of `n` samples starting at `onset`: band-limited noise under an envelope that rises over
 * `rise` s and decays with time constant `decay` s (the coda). Zero before the onset.
 */
function packet(rng: Rng, n: number, onset: number, freqHz: number, rise: number, decay: number): Float64Array {
  const carrier = resonator(whiteNoise(rng, n), freqHz, Math.max(0.8, freqHz * 0.35));
  const norm = std(carrier) || 1;
  const out = new Float64Array(n);
  for (let i = Math.max(0, onset); i < n; i++) {
    const t = (i - onset) / PHASE_SAMPLE_RATE;
    const envelope = (t < rise ? t / rise : 1) * Math.exp(-Math.max(0, t - rise) / decay);
    out[i] = (carrier[i]! / norm) * envelope;
  }
  return out;
}

/**
 * Ambient noise on one component: a microseism (0.15–0.4 Hz) plus broadband cultural/wind noise (2–15 Hz), and
 * volcanic tremor where the domain has it (drawn last, so the other domains' random streams are unchanged).
 */
function ambientNoise(rng: Rng, n: number, tremor: DomainPhysics['tremor']): Float64Array {
  const micro = resonator(whiteNoise(rng, n), uniform(rng, 0.15, 0.4), 0.1);
  const broad = resonator(whiteNoise(rng, n), uniform(rng, 2, 15), uniform(rng, 3, 10));
  const white = whiteNoise(rng, n);
  const sm = std(micro) || 1;
  const sb = std(broad) || 1;
  // The microseism dominates raw records at low frequency; relative weights vary by site.
  const wMicro = uniform(rng, 0.3, 2);
  const wWhite = uniform(rng, 0.05, 0.3);
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) out[i] = (wMicro * micro[i]!) / sm + broad[i]! / sb + wWhite * white[i]!;
  if (tremor) {
    // A narrow band (0.3 Hz wide): tremor is nearly harmonic, and it shares the band of the volcanic events.
    const hum = resonator(whiteNoise(rng, n), uniform(rng, ...tremor.frequencyHz), 0.3);
    const w = uniform(rng, ...tremor.weight) / (std(hum) || 1);
    for (let i = 0; i < n; i++) out[i]! += w * hum[i]!;
  }
  const s = std(out) || 1;
  for (let i = 0; i < n; i++) out[i]! /= s;
  return out;
}

/**
 * One window. Physics, simply: S−P = d/Vs − d/Vp; the P wave arrives steeply (incidence 10–35°), so its
 * motion is mostly vertical; the S wave shakes the horizontals (SH and SV), is 1.5–4 times stronger and has a
 * lower dominant frequency; both leave an exponentially decaying coda; noise is added last at a drawn SNR.
 * The ranges quoted are the local domain's; `domain` picks another set (see `VOLCANIC`).
 */
export function generatePhaseWindow(rng: Rng, domain: PhaseDomain = 'local'): PhaseWindow {
  const physics = PHYSICS[domain];
  const n = PHASE_WINDOW;
  const distanceKm = logUniform(rng, ...physics.distanceKm);
  const vpVs = uniform(rng, ...physics.vpVs);
  const sMinusP = distanceKm / (physics.vpKmS / vpVs) - distanceKm / physics.vpKmS;
  const gap = Math.round(sMinusP * PHASE_SAMPLE_RATE);
  // P anywhere from 2 s in, with the S at least 3 s before the end, as in windows cut around a catalogue pick.
  const lo = 200;
  const hi = n - 300 - gap;
  const itp = lo + rng.int(Math.max(1, hi - lo));
  const its = itp + gap;

  const frequencyHz = logUniform(rng, ...physics.pFrequencyHz);
  const riseTimeS = logUniform(rng, ...physics.pRiseS);
  const pDecay = uniform(rng, ...physics.pDecayS);
  const sFreq = frequencyHz * uniform(rng, 0.45, 0.75);
  const sRise = riseTimeS * uniform(rng, 1, 2.5);
  const sDecay = uniform(rng, 1.5, 5) + 0.03 * distanceKm;
  const sOverP = uniform(rng, ...physics.sOverP);

  // Directions: back-azimuth θ and P incidence i; S splits into radial (SV) and transverse (SH) parts.
  const theta = uniform(rng, 0, 2 * Math.PI);
  const incidence = (uniform(rng, 10, 35) * Math.PI) / 180;
  const p = packet(rng, n, itp, frequencyHz, riseTimeS, pDecay);
  const sv = packet(rng, n, its, sFreq, sRise, sDecay);
  const sh = packet(rng, n, its, sFreq, sRise, sDecay);
  const svZ = uniform(rng, 0.1, 0.35);
  // Scattered coda: incoherent on all three components, after the S, decaying slowly.
  const codaLevel = uniform(rng, ...physics.codaLevel);
  const coda = [0, 1, 2].map(() => packet(rng, n, its + Math.round(sRise * PHASE_SAMPLE_RATE), sFreq, 0.5, sDecay * 2));

  const signal = [new Float64Array(n), new Float64Array(n), new Float64Array(n)];
  const cosT = Math.cos(theta);
  const sinT = Math.sin(theta);
  for (let i = 0; i < n; i++) {
    const radialP = p[i]! * Math.sin(incidence);
    const verticalP = p[i]! * Math.cos(incidence);
    const radialS = sOverP * sv[i]!;
    const transverseS = sOverP * sh[i]!;
    const radial = radialP + radialS;
    signal[0]![i] = radial * sinT + transverseS * cosT + codaLevel * sOverP * coda[0]![i]!;
    signal[1]![i] = radial * cosT - transverseS * sinT + codaLevel * sOverP * coda[1]![i]!;
    signal[2]![i] = verticalP + svZ * radialS + codaLevel * sOverP * coda[2]![i]!;
  }
  // SNR on Z at the P onset: peak |P on Z| / noise std. Log-uniform (2–200 locally): some onsets are barely visible.
  const snrP = logUniform(rng, ...physics.snrP);
  let peakPz = 0;
  for (let i = itp; i < Math.min(n, its); i++) peakPz = Math.max(peakPz, Math.abs(p[i]! * Math.cos(incidence)));
  const noiseStd = (peakPz || 1) / snrP;
  const amplitude = logUniform(rng, 50, 5000); // counts: real windows differ by orders of magnitude
  const waveform = new Float32Array(n * 3);
  const offsets = [uniform(rng, -50, 50), uniform(rng, -50, 50), uniform(rng, -50, 50)];
  for (let c = 0; c < 3; c++) {
    const noise = ambientNoise(rng, n, physics.tremor);
    for (let i = 0; i < n; i++) waveform[i * 3 + c] = amplitude * (signal[c]![i]! + noiseStd * noise[i]!) + offsets[c]!;
  }
  return { waveform, length: n, itp, its, distanceKm, snrP, frequencyHz, riseTimeS };
}

/** `count` windows from one seed; window k is the same whatever `count` is (each has its own forked stream). */
export function generatePhases(options: PhasesOptions): PhaseWindow[] {
  const domain = options.domain ?? 'local';
  if (!PHYSICS[domain]) throw new Error(`unknown phases domain "${String(domain)}" (known: ${PHASE_DOMAINS.join(', ')})`);
  const root = createRng(options.seed);
  const out: PhaseWindow[] = [];
  for (let k = 0; k < options.count; k++) out.push(generatePhaseWindow(root.fork(), domain));
  return out;
}
