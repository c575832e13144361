// The river dataset: a seeded physical model of cheap in-stream probes (level, turbidity, temperature) and sparse lab samples of suspended sediment.
//
// The causal chain, documented with its equations and ranges in datasets/river/README.md:
//   storms (Poisson, wet season)  →  discharge Q(t) (fast rise, slow two-reservoir recession)
//   Q  →  level h through the rating curve Q = a(h − h0)^b
//   Q  →  true suspended sediment concentration C = c0 (Q/Qb)^β · hysteresis · supply noise
//   C  →  true turbidity T from the optical calibration C = α T^γ · grain/colour noise
//   T  →  what the probe reads: saturation, biofilm fouling drifts, debris spikes, outages
//   C  →  what the lab reports at each bottle's time, with lab error
// Every random draw comes from one seeded stream, so a student's seed always gives the same files.
import { createRng, type Rng } from '../util/rng.js';
import { roundTo } from '../util/stats.js';
import { LOGGER_MISSING_CODES } from '../data/missing.js';

/** How to generate a river record. */
export interface RiverOptions {
  /** Seed of the student's data (32-bit integer). */
  seed: number;
  /** Length of the record in years of 365 days (0.1–10; default 2). */
  years?: number;
  /** First timestamp, epoch milliseconds UTC (default 2022-01-01T00:00:00Z). */
  startMs?: number;
}

/** The seeded parameters of the physical model (the "truth" a student's data was drawn from). */
export interface RiverParams {
  /** Rating curve coefficient a in Q = a(h − h0)^b, m^(3−b)/s. */
  ratingA: number;
  /** Rating curve exponent b (dimensionless, 1.5–1.8). */
  ratingB: number;
  /** Rating curve offset h0: the level of zero flow, m. */
  ratingH0: number;
  /** Mean baseflow Qb, m³/s. */
  baseflowM3s: number;
  /** SSC at baseflow c0, mg/L. */
  sscAtBaseflowMgL: number;
  /** Sediment rating exponent β in C ∝ Q^β (dimensionless). */
  sscDischargeExponent: number;
  /** Clockwise hysteresis amplitude η: C is multiplied by exp(η·tanh(dlnQ/dt / 0.2 h⁻¹)) (dimensionless). */
  hysteresis: number;
  /** Turbidity calibration prefactor α in C = α T^γ, mg/L per NTU^γ. */
  calibrationPrefactor: number;
  /** Turbidity calibration exponent γ in C = α T^γ (dimensionless): the slope of log C against log T. */
  calibrationExponent: number;
  /** Turbidity at which the probe saturates, NTU. */
  turbiditySaturationNtu: number;
  /** Fraction of its sensitivity the turbidity probe loses, linearly, from the first to the last day (its optics age): 0.15–0.35. */
  sensitivityLoss: number;
  /** Mean water temperature, °C. */
  meanTemperatureC: number;
  /** Seasonal half-amplitude of water temperature, °C. */
  seasonalAmplitudeC: number;
  /** Diurnal half-amplitude of water temperature, °C. */
  diurnalAmplitudeC: number;
  /** Sampling step of the probes, s. */
  stepS: number;
}

/** One storm of the record. */
export interface Storm {
  /** Start of the rise, epoch ms. */
  startMs: number;
  /** Time from start to peak, h. */
  riseH: number;
  /** Peak discharge added to the baseflow, m³/s. */
  peakM3s: number;
  /** Fast recession time constant, h. */
  recessionH: number;
}

/** The continuous probe record as exported: rows where the logger wrote a line; NaN where a value is missing. */
export interface RiverProbes {
  /** Timestamps, epoch ms UTC, increasing, on the 5-minute grid (rows are absent where the logger was down). */
  timeMs: Float64Array;
  /** Water level (stage), m above the gauge datum. */
  levelM: Float64Array;
  /** Turbidity as the optical probe reads it, NTU (saturated, fouled, spiky). */
  turbidityNtu: Float64Array;
  /** Water temperature, °C. */
  temperatureC: Float64Array;
  /** For each missing cell of each column, the code the logger wrote: an index into `LOGGER_MISSING_CODES` (0 where not missing). */
  missingCode: { levelM: Uint8Array; turbidityNtu: Uint8Array; temperatureC: Uint8Array };
}

/** The lab samples as exported. */
export interface RiverSamples {
  /** Time each bottle was filled, epoch ms UTC (to the minute, not on the probe grid). */
  timeMs: number[];
  /** Bottle label, e.g. "R017" (routine grab sample) or "F03-07" (flood sampler, event 3, bottle 7). */
  id: string[];
  /** Which campaign took it: a routine visit or the automatic sampler triggered by a flood. */
  campaign: ('routine' | 'flood')[];
  /** Suspended sediment concentration from the lab (filtered, dried, weighed), mg/L; NaN for a lost bottle. */
  sscMgL: number[];
  /** Code written for a lost bottle: index into `LOGGER_MISSING_CODES` (0 where present). */
  missingCode: number[];
}

/** What the model really did on the full 5-minute grid (for tests, the lesson's answers and the card's figures). */
export interface RiverTruth {
  /** Every grid time, epoch ms UTC. */
  timeMs: Float64Array;
  /** Discharge, m³/s. */
  dischargeM3s: Float64Array;
  /** Level before sensor noise, m. */
  levelM: Float64Array;
  /** True suspended sediment concentration in the river, mg/L. */
  sscMgL: Float64Array;
  /** Turbidity a clean, unsaturated probe would read, NTU. */
  turbidityNtu: Float64Array;
  /** 1 where the turbidity probe was fouled (drifting) at that step. */
  fouled: Uint8Array;
}

/** A generated river record. */
export interface RiverData {
  /** The seed it came from. */
  seed: number;
  /** The model's parameters for this seed. */
  params: RiverParams;
  /** The storms that drove the floods, in time order. */
  storms: Storm[];
  /** The probe table (what the observatory file holds). */
  probes: RiverProbes;
  /** The lab table. */
  samples: RiverSamples;
  /** The hidden truth on the full grid. */
  truth: RiverTruth;
}

/** The probe step: one reading every 5 minutes. */
export const PROBE_STEP_MS = 5 * 60 * 1000;

const HOUR_MS = 3600 * 1000;
const DAY_MS = 24 * HOUR_MS;
const YEAR_DAYS = 365;
/** Default start: the first of January 2022, UTC. */
const DEFAULT_START_MS = Date.UTC(2022, 0, 1);
/** Day of year when storms are most frequent (late September: a tropical wet season). */
const WET_PEAK_DAY = 270;
/** Day of year of the warmest water (early September). */
const WARM_PEAK_DAY = 245;

/** Generates a river record; pure and deterministic in `seed` (about a second for two years). */
export function generateRiver(options: RiverOptions): RiverData {
  const years = options.years ?? 2;
  if (!(years >= 0.1 && years <= 10)) throw new Error(`river: years must be between 0.1 and 10, got ${years}`);
  const startMs = options.startMs ?? DEFAULT_START_MS;
  const rng = createRng(options.seed);
  // Separate streams per process, so changing (say) the sampling campaign never changes the floods.
  const paramRng = rng.fork();
  const stormRng = rng.fork();
  const noiseRng = rng.fork();
  const probeRng = rng.fork();
  const sampleRng = rng.fork();

  const params = drawParams(paramRng);
  const n = Math.round((years * YEAR_DAYS * DAY_MS) / PROBE_STEP_MS);
  const timeMs = new Float64Array(n);
  for (let i = 0; i < n; i++) timeMs[i] = startMs + i * PROBE_STEP_MS;

  const storms = drawStorms(stormRng, startMs, n, params);
  const { discharge, stormFlow } = hydrograph(timeMs, storms, params);
  const waterTemp = temperatureModel(timeMs, discharge, stormFlow, params);
  const { ssc, turbidity } = sedimentModel(noiseRng, timeMs, discharge, waterTemp, params);
  const levelTrue = new Float64Array(n);
  for (let i = 0; i < n; i++) levelTrue[i] = levelFromDischarge(discharge[i]!, params);

  // The routine visits come first: the technician who fills the bottle also cleans the probe.
  const visits = routineVisits(sampleRng, timeMs);
  const { probes, fouled } = probeModel(probeRng, timeMs, levelTrue, turbidity, waterTemp, discharge, storms, params, visits);
  const samples = sampleCampaigns(sampleRng, timeMs, ssc, levelTrue, params, visits);
  return {
    seed: options.seed,
    params,
    storms,
    probes,
    samples,
    truth: { timeMs, dischargeM3s: discharge, levelM: levelTrue, sscMgL: ssc, turbidityNtu: turbidity, fouled },
  };
}

/** Discharge from level through the rating curve Q = a(h − h0)^b, m³/s; zero at or below h0. */
export function dischargeFromLevel(levelM: number, rating: { ratingA: number; ratingB: number; ratingH0: number }): number {
  const d = levelM - rating.ratingH0;
  return d > 0 ? rating.ratingA * d ** rating.ratingB : 0;
}

/** Level from discharge, the inverse of the rating curve: h = h0 + (Q/a)^(1/b), m. */
export function levelFromDischarge(dischargeM3s: number, rating: { ratingA: number; ratingB: number; ratingH0: number }): number {
  return rating.ratingH0 + Math.max(0, dischargeM3s / rating.ratingA) ** (1 / rating.ratingB);
}

function uniform(rng: Rng, lo: number, hi: number): number {
  return lo + (hi - lo) * rng.next();
}

function drawParams(rng: Rng): RiverParams {
  return {
    ratingA: uniform(rng, 15, 30),
    ratingB: uniform(rng, 1.5, 1.8),
    ratingH0: uniform(rng, 0.05, 0.25),
    baseflowM3s: uniform(rng, 0.5, 2),
    sscAtBaseflowMgL: uniform(rng, 3, 10),
    sscDischargeExponent: uniform(rng, 1.2, 1.6),
    hysteresis: uniform(rng, 0.3, 0.6),
    calibrationPrefactor: uniform(rng, 0.7, 1.5),
    calibrationExponent: uniform(rng, 0.9, 1.25),
    turbiditySaturationNtu: uniform(rng, 1200, 3000),
    sensitivityLoss: uniform(rng, 0.15, 0.35),
    meanTemperatureC: uniform(rng, 12, 22),
    seasonalAmplitudeC: uniform(rng, 3, 7),
    diurnalAmplitudeC: uniform(rng, 0.5, 1.5),
    stepS: PROBE_STEP_MS / 1000,
  };
}

function dayOfYear(ms: number): number {
  return ((ms - Date.UTC(new Date(ms).getUTCFullYear(), 0, 1)) / DAY_MS) % YEAR_DAYS;
}

/** Storm arrivals: a Poisson process whose rate swings from 0.2× to 1.8× its mean (40 a year) with the season, drawn by thinning. */
function drawStorms(rng: Rng, startMs: number, n: number, params: RiverParams): Storm[] {
  const meanPerHour = 40 / (YEAR_DAYS * 24);
  const maxRate = 1.8 * meanPerHour;
  const endMs = startMs + n * PROBE_STEP_MS;
  const storms: Storm[] = [];
  let t = startMs;
  for (;;) {
    t += (-Math.log(1 - rng.next()) / maxRate) * HOUR_MS;
    if (t >= endMs) break;
    const season = 1 + 0.8 * Math.cos((2 * Math.PI * (dayOfYear(t) - WET_PEAK_DAY)) / YEAR_DAYS);
    if (rng.next() * 1.8 > season) continue;
    // Peaks are heavy-tailed (Pareto, shape 1.3): most storms double or triple the flow, a few multiply it by 50.
    const peak = params.baseflowM3s * Math.min(80, 2 * (1 - rng.next()) ** (-1 / 1.3));
    storms.push({
      startMs: t,
      riseH: uniform(rng, 1, 4),
      peakM3s: peak,
      recessionH: uniform(rng, 4, 16),
    });
  }
  return storms;
}

/** Share of a storm's peak that drains through the slow (groundwater) reservoir, and its time constant. */
const SLOW_SHARE = 0.25;
const SLOW_RECESSION_H = 60;

/** Q(t) = Qb·(1 + 0.3 cos(season)) + Σ storms: sin² rise to the peak, then fast + slow exponential recession. */
function hydrograph(timeMs: Float64Array, storms: Storm[], params: RiverParams): { discharge: Float64Array; stormFlow: Float64Array } {
  const n = timeMs.length;
  const stormFlow = new Float64Array(n);
  const t0 = timeMs[0]!;
  for (const s of storms) {
    const first = Math.max(0, Math.ceil((s.startMs - t0) / PROBE_STEP_MS));
    // Stop once the slow tail is below 10⁻⁴ of the peak.
    const lastMs = s.startMs + (s.riseH + SLOW_RECESSION_H * Math.log(1e4)) * HOUR_MS;
    const last = Math.min(n - 1, Math.floor((lastMs - t0) / PROBE_STEP_MS));
    for (let i = first; i <= last; i++) {
      const h = (timeMs[i]! - s.startMs) / HOUR_MS;
      let q: number;
      if (h <= s.riseH) q = Math.sin((Math.PI * h) / (2 * s.riseH)) ** 2;
      else {
        const after = h - s.riseH;
        q = (1 - SLOW_SHARE) * Math.exp(-after / s.recessionH) + SLOW_SHARE * Math.exp(-after / SLOW_RECESSION_H);
      }
      stormFlow[i] = stormFlow[i]! + s.peakM3s * q;
    }
  }
  const discharge = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const season = 1 + 0.3 * Math.cos((2 * Math.PI * (dayOfYear(timeMs[i]!) - WET_PEAK_DAY)) / YEAR_DAYS);
    discharge[i] = params.baseflowM3s * season + stormFlow[i]!;
  }
  return { discharge, stormFlow };
}

/** Water temperature: seasonal and diurnal cycles, the diurnal one damped in floods, and cool rain water lowering it by up to 2 °C. */
function temperatureModel(timeMs: Float64Array, discharge: Float64Array, stormFlow: Float64Array, params: RiverParams): Float64Array {
  const n = timeMs.length;
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const t = timeMs[i]!;
    const floodShare = stormFlow[i]! / discharge[i]!;
    const hour = (t % DAY_MS) / HOUR_MS;
    out[i] =
      params.meanTemperatureC +
      params.seasonalAmplitudeC * Math.cos((2 * Math.PI * (dayOfYear(t) - WARM_PEAK_DAY)) / YEAR_DAYS) +
      params.diurnalAmplitudeC * (1 - floodShare) * Math.cos((2 * Math.PI * (hour - 15)) / 24) -
      2 * floodShare;
  }
  return out;
}

/** AR(1) in log space with standard deviation `sigma` and correlation time `tauH` (hours), one value per grid step. */
function logAr1(rng: Rng, n: number, sigma: number, tauH: number): Float64Array {
  const phi = Math.exp(-PROBE_STEP_MS / HOUR_MS / tauH);
  const innovation = sigma * Math.sqrt(1 - phi * phi);
  const out = new Float64Array(n);
  let x = sigma * rng.normal();
  for (let i = 0; i < n; i++) {
    x = phi * x + innovation * rng.normal();
    out[i] = x;
  }
  return out;
}

/** Supply noise of the sediment rating (log SD, correlation time in h): floods differ in how much sediment the slopes deliver. */
const SUPPLY_SIGMA = 0.35;
const SUPPLY_TAU_H = 5 * 24;
/** Grain-size and colour noise of the optical calibration (log SD, correlation time in h): the scatter of C against T. */
const OPTICS_SIGMA = 0.2;
const OPTICS_TAU_H = 2 * 24;
/** Coarser grains on the rising limb scatter less light per gram: C/T rises by up to exp(0.15) there. */
const OPTICS_RISING = 0.15;
/** Warm water carries more organic matter, which scatters light without weighing much: C/T falls 2 % per °C. */
const OPTICS_PER_DEGREE = 0.02;
/** Rate of relative rise of discharge at which the hysteresis term is at tanh(1) of its amplitude, h⁻¹. */
const RISE_SCALE_PER_H = 0.2;

function sedimentModel(
  rng: Rng,
  timeMs: Float64Array,
  discharge: Float64Array,
  waterTemp: Float64Array,
  params: RiverParams,
): { ssc: Float64Array; turbidity: Float64Array } {
  const n = timeMs.length;
  const supply = logAr1(rng, n, SUPPLY_SIGMA, SUPPLY_TAU_H);
  const optics = logAr1(rng, n, OPTICS_SIGMA, OPTICS_TAU_H);
  const ssc = new Float64Array(n);
  const turbidity = new Float64Array(n);
  const stepH = PROBE_STEP_MS / HOUR_MS;
  const lag = 6; // half an hour each side: the rise rate over one hour
  for (let i = 0; i < n; i++) {
    const a = Math.max(0, i - lag);
    const b = Math.min(n - 1, i + lag);
    const riseRate = b > a ? Math.log(discharge[b]! / discharge[a]!) / ((b - a) * stepH) : 0;
    const rising = Math.tanh(riseRate / RISE_SCALE_PER_H);
    // Clockwise hysteresis: sediment stored in the channel is flushed on the rising limb, so C is higher then.
    // The fine, light-scattering fraction the probe sees, then the mass the lab weighs: coarse grains
    // and organic matter change the mass per unit of turbidity independently of the turbidity
    // itself, which is why log C against log T is a straight line with slope γ plus scatter.
    const fine =
      params.sscAtBaseflowMgL * (discharge[i]! / params.baseflowM3s) ** params.sscDischargeExponent * Math.exp(params.hysteresis * rising + supply[i]!);
    const grain = Math.exp(OPTICS_RISING * Math.max(0, rising) - OPTICS_PER_DEGREE * (waterTemp[i]! - params.meanTemperatureC) + optics[i]!);
    turbidity[i] = (fine / params.calibrationPrefactor) ** (1 / params.calibrationExponent);
    ssc[i] = fine * grain;
  }
  return { ssc, turbidity };
}

/** Sharpness of the saturation knee: readings follow T until near Tsat, then flatten onto it. */
const SATURATION_SHARPNESS = 4;

/** What an optical probe reads for a true turbidity T: T / (1 + (T/Tsat)^p)^(1/p), NTU. */
export function saturate(turbidityNtu: number, saturationNtu: number): number {
  return turbidityNtu / (1 + (turbidityNtu / saturationNtu) ** SATURATION_SHARPNESS) ** (1 / SATURATION_SHARPNESS);
}

function probeModel(
  rng: Rng,
  timeMs: Float64Array,
  levelTrue: Float64Array,
  turbidityTrue: Float64Array,
  waterTemp: Float64Array,
  discharge: Float64Array,
  storms: Storm[],
  params: RiverParams,
  visits: readonly number[],
): { probes: RiverProbes; fouled: Uint8Array } {
  const n = timeMs.length;
  const t0 = timeMs[0]!;
  const days = (n * PROBE_STEP_MS) / DAY_MS;
  const idx = (ms: number) => Math.min(n - 1, Math.max(0, Math.round((ms - t0) / PROBE_STEP_MS)));

  // Biofilm fouling: about 3 episodes a year, the reading drifts up by 10–60 NTU a day until the next
  // routine visit, where the technician wipes the window before filling the bottle, or until a big
  // flood scours it clean. So a routine sample is read by a clean probe; flood bottles can be fouled.
  const fouled = new Uint8Array(n);
  const foulOffset = new Float64Array(n);
  const episodes = Math.max(1, Math.round((3 * days) / YEAR_DAYS));
  for (let e = 0; e < episodes; e++) {
    const start = rng.int(n);
    const rate = uniform(rng, 10, 60);
    const visit = visits.find((t) => t > timeMs[start]! + CLEANED_BEFORE_MS);
    const end = visit === undefined ? n : Math.min(n, idx(visit - CLEANED_BEFORE_MS));
    for (let i = start; i < end; i++) {
      if (discharge[i]! > 8 * params.baseflowM3s) break;
      fouled[i] = 1;
      foulOffset[i] = (rate * (i - start) * PROBE_STEP_MS) / DAY_MS;
    }
  }

  const level = new Float64Array(n);
  const turb = new Float64Array(n);
  const temp = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    level[i] = roundTo(levelTrue[i]! + 0.003 * rng.normal(), 3);
    // The optics age: the same water reads lower and lower, so a calibration drifts out of date.
    const sensitivity = 1 - (params.sensitivityLoss * i) / n;
    const read = saturate(turbidityTrue[i]!, params.turbiditySaturationNtu) * sensitivity * (1 + 0.02 * rng.normal()) + 0.3 * rng.normal();
    let t = Math.max(0, read + foulOffset[i]!);
    // Debris and bubbles: one reading in a thousand jumps 2–8 times higher.
    if (rng.next() < 0.001) t = t * uniform(rng, 2, 8) + 50;
    turb[i] = roundTo(t, 1);
    temp[i] = roundTo(waterTemp[i]! + 0.03 * rng.normal(), 2);
  }

  const codes = { levelM: new Uint8Array(n), turbidityNtu: new Uint8Array(n), temperatureC: new Uint8Array(n) };
  const blank = (col: Float64Array, code: Uint8Array, from: number, to: number, c: number) => {
    for (let i = from; i < to && i < n; i++) {
      col[i] = Number.NaN;
      code[i] = c;
    }
  };
  // Sensor outages (the logger still writes rows, with a missing-value code): about 8 a year, all three
  // probes, log-uniform from 20 min to 4 days (many short glitches, a few long failures).
  const outages = Math.max(1, Math.round((8 * days) / YEAR_DAYS));
  for (let k = 0; k < outages; k++) {
    const from = rng.int(n);
    const to = from + Math.round((20 * 60 * 1000 * Math.exp(Math.log((96 * 60) / 20) * rng.next())) / PROBE_STEP_MS);
    const c = 1 + rng.int(LOGGER_MISSING_CODES.length - 1);
    blank(level, codes.levelM, from, to, c);
    blank(turb, codes.turbidityNtu, from, to, c);
    blank(temp, codes.temperatureC, from, to, c);
  }
  // The turbidity probe is often buried or torn off at a flood peak: a third of big floods lose it for 6 h to 3 days.
  for (const s of storms) {
    if (s.peakM3s < 10 * params.baseflowM3s || rng.next() > 1 / 3) continue;
    const from = idx(s.startMs + s.riseH * HOUR_MS);
    const to = from + Math.round((uniform(rng, 6, 72) * HOUR_MS) / PROBE_STEP_MS);
    blank(turb, codes.turbidityNtu, from, to, 1 + rng.int(LOGGER_MISSING_CODES.length - 1));
  }
  // Single dropped readings (radio glitches), 0.2 % of cells per column, any code.
  for (const [col, code] of [
    [level, codes.levelM],
    [turb, codes.turbidityNtu],
    [temp, codes.temperatureC],
  ] as const) {
    for (let i = 0; i < n; i++) {
      if (rng.next() < 0.002) blank(col, code, i, i + 1, rng.int(LOGGER_MISSING_CODES.length));
    }
  }

  // Logger outages: the whole row is absent, 1–2 a year for 1–7 days (a flat battery, a full card).
  const keep = new Uint8Array(n).fill(1);
  const loggerDown = Math.max(1, Math.round((1.5 * days) / YEAR_DAYS));
  for (let k = 0; k < loggerDown; k++) {
    const from = rng.int(n);
    const to = Math.min(n, from + Math.round((uniform(rng, 1, 7) * DAY_MS) / PROBE_STEP_MS));
    keep.fill(0, from, to);
  }
  let m = 0;
  for (let i = 0; i < n; i++) m += keep[i]!;
  const pick = <T extends Float64Array | Uint8Array>(src: T, make: (len: number) => T): T => {
    const out = make(m);
    let j = 0;
    for (let i = 0; i < n; i++) if (keep[i]) out[j++] = src[i]!;
    return out;
  };
  const f64 = (len: number) => new Float64Array(len);
  const u8 = (len: number) => new Uint8Array(len);
  return {
    fouled,
    probes: {
      timeMs: pick(timeMs, f64),
      levelM: pick(level, f64),
      turbidityNtu: pick(turb, f64),
      temperatureC: pick(temp, f64),
      missingCode: { levelM: pick(codes.levelM, u8), turbidityNtu: pick(codes.turbidityNtu, u8), temperatureC: pick(codes.temperatureC, u8) },
    },
  };
}

/** The technician wipes the turbidity probe's window this long before filling a routine bottle. */
const CLEANED_BEFORE_MS = 15 * 60 * 1000;

/** Routine visits: one every 10–18 days, at a time in working hours (epoch ms, increasing). */
function routineVisits(rng: Rng, timeMs: Float64Array): number[] {
  const t0 = timeMs[0]!;
  const tEnd = t0 + timeMs.length * PROBE_STEP_MS;
  const visits: number[] = [];
  for (let day = uniform(rng, 1, 10); ; day += uniform(rng, 10, 18)) {
    const t = t0 + Math.floor(day) * DAY_MS + Math.round(uniform(rng, 8 * 60, 16 * 60)) * 60 * 1000;
    if (t >= tEnd) break;
    visits.push(t);
  }
  return visits;
}

/**
 * Two campaigns, as on real rivers: a routine grab sample every 10–18 days in working hours, and an
 * automatic sampler that fills its 24 bottles 30 min apart once the level crosses a threshold, when a
 * technician has re-armed it since its last run (half the floods are missed). Floods are therefore
 * over-sampled, and the flood bottles come in autocorrelated bursts.
 */
function sampleCampaigns(
  rng: Rng,
  timeMs: Float64Array,
  ssc: Float64Array,
  levelTrue: Float64Array,
  params: RiverParams,
  visits: readonly number[],
): RiverSamples {
  const n = timeMs.length;
  const t0 = timeMs[0]!;
  const tEnd = t0 + n * PROBE_STEP_MS;
  const minute = 60 * 1000;
  const taken: { t: number; campaign: 'routine' | 'flood'; id: string }[] = visits.map((t, k) => ({
    t,
    campaign: 'routine',
    id: `R${String(k + 1).padStart(3, '0')}`,
  }));

  const threshold = levelFromDischarge(6 * params.baseflowM3s, params);
  const interval = 30 * minute;
  let event = 0;
  let armedAfter = t0;
  for (let i = 1; i < n; i++) {
    if (!(levelTrue[i - 1]! < threshold && levelTrue[i]! >= threshold)) continue;
    if (timeMs[i]! < armedAfter) continue;
    if (rng.next() < 0.5) {
      armedAfter = timeMs[i]! + DAY_MS;
      continue;
    }
    event++;
    const trigger = timeMs[i]! + Math.round(uniform(rng, 0, 4)) * minute;
    for (let b = 0; b < 24; b++) {
      const t = trigger + b * interval;
      if (t >= tEnd) break;
      taken.push({ t, campaign: 'flood', id: `F${String(event).padStart(2, '0')}-${String(b + 1).padStart(2, '0')}` });
    }
    armedAfter = trigger + uniform(rng, 3, 10) * DAY_MS;
  }

  taken.sort((a, b) => a.t - b.t);
  const samples: RiverSamples = { timeMs: [], id: [], campaign: [], sscMgL: [], missingCode: [] };
  for (const s of taken) {
    // The river between two grid steps: linear in time, then the lab's ~8 % error (log-normal).
    const x = (s.t - t0) / PROBE_STEP_MS;
    const i = Math.min(n - 2, Math.floor(x));
    const w = x - i;
    const c = (1 - w) * ssc[i]! + w * ssc[i + 1]!;
    const lost = rng.next() < 0.03;
    samples.timeMs.push(s.t);
    samples.id.push(s.id);
    samples.campaign.push(s.campaign);
    samples.sscMgL.push(lost ? Number.NaN : Math.max(0.5, roundTo(c * Math.exp(0.08 * rng.normal()), 1)));
    samples.missingCode.push(lost ? 1 + rng.int(LOGGER_MISSING_CODES.length - 1) : 0);
  }
  return samples;
}

/** An ISO 8601 UTC timestamp to the second, e.g. "2022-03-05T10:53:00Z". */
export function isoTime(ms: number): string {
  return new Date(ms).toISOString().slice(0, 19) + 'Z';
}

function cell(value: number, code: number, decimals: number): string {
  return Number.isNaN(value) ? LOGGER_MISSING_CODES[code]! : value.toFixed(decimals);
}

/** The probe table as the observatory exports it: CSV, ISO timestamps, missing values written with the logger's codes. */
export function riverProbesCsv(data: RiverData): string {
  const p = data.probes;
  const lines = ['timestamp,level_m,turbidity_ntu,temperature_c'];
  // Formatting a Date per row dominates the export; the date part changes once a day, so cache it.
  let day = Number.NaN;
  let datePart = '';
  const two = (v: number) => (v < 10 ? '0' : '') + v;
  for (let i = 0; i < p.timeMs.length; i++) {
    const t = p.timeMs[i]!;
    const d = Math.floor(t / DAY_MS);
    if (d !== day) {
      day = d;
      datePart = isoTime(d * DAY_MS).slice(0, 11);
    }
    const s = Math.floor((t - d * DAY_MS) / 1000);
    const stamp = `${datePart}${two(Math.floor(s / 3600))}:${two(Math.floor(s / 60) % 60)}:${two(s % 60)}Z`;
    lines.push(
      `${stamp},${cell(p.levelM[i]!, p.missingCode.levelM[i]!, 3)},${cell(p.turbidityNtu[i]!, p.missingCode.turbidityNtu[i]!, 1)},${cell(p.temperatureC[i]!, p.missingCode.temperatureC[i]!, 2)}`,
    );
  }
  return lines.join('\n') + '\n';
}

/** The lab table: CSV, one row per bottle, ISO timestamps, lost bottles with a missing-value code. */
export function riverSamplesCsv(data: RiverData): string {
  const s = data.samples;
  const lines = ['timestamp,sample_id,campaign,ssc_mg_l'];
  for (let i = 0; i < s.timeMs.length; i++) {
    lines.push(`${isoTime(s.timeMs[i]!)},${s.id[i]},${s.campaign[i]},${cell(s.sscMgL[i]!, s.missingCode[i]!, 1)}`);
  }
  return lines.join('\n') + '\n';
}
