// `eds run pick` and the PhaseNet lesson steps: pick P and S on synthetic windows or real .npz records and score the picks.
import { UserError } from '../errors.js';
import { safeLine } from '../util/safe-text.js';
import type { BackendChoice } from '../nn/backend.js';
import type { PhaseWindow } from '../seismology/phase-windows.js';
import type { RecordPicks } from '../seismology/phasenet/predict.js';
import type { RenderCaps } from '../render/caps.js';
import { renderHistogram } from '../render/histogram.js';
import { renderWaveform } from '../render/waveform.js';
import { PICK_DEFAULTS, scorePicks, type PickScore } from '../seismology/phasenet/picks.js';
import { fmt, gridFigure } from './common.js';
import type { ExperimentCallbacks, ExperimentResult, Figure } from './types.js';
import type { PickTaskOptions } from '../tasks/options.js';
import { median, roundTo } from '../util/stats.js';
import { createRng, seedFromString } from '../util/rng.js';
import { shiftedCropStart } from '../seismology/phasenet/window.js';
import { NCEDC_WINDOWS_DIR, type PickRecord, phaseFiles, readPhaseRecord } from '../seismology/phasenet/records.js';

// The record readers live with the picker's science; re-exported for the tasks and tests that know them from here.
export { NCEDC_WINDOWS_DIR, phaseFiles, readPhaseRecord, signalProblem } from '../seismology/phasenet/records.js';

/** Options of one picking run; every field has a default. */
export interface PickOptions {
  /** 'phases': synthetic held-out windows generated from the seed (default when `data` is absent); 'phases-ncedc': the 22 real windows shipped. */
  dataset?: string;
  /** A `.npz` file or a directory of them (keys `data` [n, 3] at 100 Hz, `itp`, `its`), as in the PhaseNet repository. */
  data?: string;
  /** `shipped` (eds's own, the default), `published` (Zhu & Beroza's), or a folder with model.json + weights.bin. */
  weights?: string;
  /** Real records only: `shifted` picks on a 30 s crop of each with the P at a seeded random position; `none` (default) on the whole record. */
  crop?: PickCrop;
  /** Synthetic windows to score (default 100). */
  windows?: number;
  /** Minimum peak probability for a pick (default 0.3). */
  threshold?: number;
  /** A pick this close to the analyst's (s) is a true positive (default 0.5). */
  tolerance?: number;
  /** Seed of the synthetic windows. */
  seed?: number;
  /** tfjs backend. */
  backend?: BackendChoice;
}

/** How real records are cut before picking. */
export type PickCrop = 'none' | 'shifted';

/** The datasets `pick` knows: synthetic windows generated per seed, and the real windows shipped. */
export const PICK_DATASETS = ['phases', 'phases-ncedc'] as const;

/** Samples of a shifted crop: 30 s, the published network's window. */
export const SHIFTED_CROP_LENGTH = 3000;

/** Offset between a student's seed and the seed of their held-out windows: training used other seeds (see train.ts). */
const HELD_OUT_SEED_OFFSET = 2_000_000;

function check(options: PickOptions): Required<Omit<PickOptions, 'data' | 'weights' | 'dataset'>> & Pick<PickOptions, 'data' | 'weights' | 'dataset'> {
  const windows = options.windows ?? 100;
  const threshold = options.threshold ?? PICK_DEFAULTS.threshold;
  const tolerance = options.tolerance ?? PICK_DEFAULTS.toleranceS;
  const seed = options.seed ?? 0;
  const crop = options.crop ?? 'none';
  if (!Number.isInteger(windows) || windows < 1 || windows > 5000)
    throw new UserError(`--windows must be a whole number from 1 to 5000, got ${windows}`, { exitCode: 2 });
  if (!(threshold > 0 && threshold < 1)) throw new UserError(`--threshold must be a probability between 0 and 1, got ${threshold}`, { exitCode: 2 });
  if (!(tolerance > 0 && tolerance <= 5)) throw new UserError(`--tolerance must be between 0 and 5 seconds, got ${tolerance}`, { exitCode: 2 });
  if (!Number.isInteger(seed) || seed < 0) throw new UserError(`--seed must be a whole number ≥ 0, got ${seed}`, { exitCode: 2 });
  if (options.data && options.dataset) throw new UserError('give only one of --dataset and --data DIR');
  if (options.dataset !== undefined && !(PICK_DATASETS as readonly string[]).includes(options.dataset))
    throw new UserError(`--dataset: unknown data set "${safeLine(options.dataset, 80)}" for pick (expected: ${PICK_DATASETS.join(', ')})`, { exitCode: 2 });
  if (crop !== 'none' && crop !== 'shifted') throw new UserError(`--crop must be none or shifted, got "${safeLine(crop, 40)}"`, { exitCode: 2 });
  if (crop === 'shifted' && !options.data && options.dataset !== 'phases-ncedc')
    throw new UserError('--crop shifted cuts real records (--data DIR or --dataset phases-ncedc); synthetic windows already put their picks anywhere', {
      exitCode: 2,
    });
  return { ...options, windows, threshold, tolerance, seed, crop, backend: options.backend ?? 'auto' };
}

/**
 * A 30 s crop of each record with its P at a position drawn from the seed and the record's name (so a record
 * gets the same crop whatever else is in the folder): see `shiftedCropStart`.
 */
export function shiftRecords(records: readonly PickRecord[], seed: number, length = SHIFTED_CROP_LENGTH): PickRecord[] {
  return records.map((rec) => {
    if (rec.total <= length) return rec;
    const rng = createRng(seedFromString(`${seed}:${rec.name}`));
    const start = shiftedCropStart(rec.total, length, rec.itp, rec.its, (n) => rng.int(n));
    const inside = (k: number | null): number | null => (k === null || k < start || k >= start + length ? null : k - start);
    return {
      name: rec.name,
      values: rec.values.subarray(start * 3, (start + length) * 3),
      total: length,
      itp: inside(rec.itp),
      its: inside(rec.its),
      cropStart: start,
    };
  });
}

/** The student's held-out synthetic windows (never used in training). */
export async function heldOutWindows(seed: number, count: number): Promise<PhaseWindow[]> {
  const { generatePhases } = await import('../seismology/phase-windows.js');
  return generatePhases({ seed: HELD_OUT_SEED_OFFSET + seed, count });
}

/**
 * PhaseNet with the weights `--weights` names (`shipped`, the default; `published`; or a folder of the user's),
 * built for the window length those weights declare (3,001 samples for eds's own, 3,000 for the published
 * network), on the chosen backend.
 */
export async function loadPicker(backend: BackendChoice, weights?: string) {
  const { readPhaseNetWeights, applyPhaseNetWeights, resolveWeights } = await import('../seismology/phasenet/weights.js');
  const chosen = resolveWeights(weights);
  // The files first: a bad folder is refused before a backend starts.
  const file = readPhaseNetWeights(chosen.dir);
  const { initBackend } = await import('../nn/backend.js');
  const { tf, info } = await initBackend(backend);
  const { buildPhaseNet, countTrainableParams } = await import('../nn/models.js');
  const model = buildPhaseNet({ seed: 0, length: file.length });
  try {
    applyPhaseNetWeights(tf, model, file);
    return {
      tf,
      info,
      model,
      label: chosen.label,
      length: file.length,
      normalisation: file.normalisation,
      params: countTrainableParams(model),
      weightsTotal: model.countParams(),
      provenance: file.provenance,
    };
  } catch (err) {
    model.dispose();
    throw err;
  }
}

const r3 = (v: number): number | null => (Number.isFinite(v) ? roundTo(v, 3) : null);

/**
 * Picks P and S on every record and scores them against the analyst picks. Synthetic windows are single
 * PhaseNet windows; real records longer than 3,001 samples are scanned with half-overlapping windows.
 */
export async function runPick(options: PickOptions = {}, callbacks: ExperimentCallbacks = {}): Promise<ExperimentResult> {
  const o = check(options);
  let records: PickRecord[];
  let source: string;
  const real = o.data ?? (o.dataset === 'phases-ncedc' ? NCEDC_WINDOWS_DIR : undefined);
  if (real) {
    const files = phaseFiles(real);
    callbacks.onStatus?.(`reading ${files.length} .npz records…`);
    records = [];
    for (const f of files) records.push(await readPhaseRecord(f));
    if (o.crop === 'shifted') records = shiftRecords(records, o.seed);
    source = o.data ?? 'phases-ncedc';
  } else {
    callbacks.onStatus?.(`generating ${o.windows} held-out synthetic windows…`);
    records = (await heldOutWindows(o.seed, o.windows)).map((w, k) => ({
      name: `window ${k + 1}`,
      values: w.waveform,
      total: w.length,
      itp: w.itp,
      its: w.its,
    }));
    source = 'phases';
  }
  callbacks.onStatus?.(`loading PhaseNet (${safeLine(o.weights ?? 'shipped', 120)} weights)…`);
  const picker = await loadPicker(o.backend, o.weights);
  const { pickRecord } = await import('../seismology/phasenet/predict.js');
  const rate = 100;
  try {
    callbacks.onStatus?.(`picking ${records.length} records on ${picker.info.description}…`);
    const started = performance.now();
    const results: RecordPicks[] = [];
    let windowsRun = 0;
    for (const rec of records) {
      const r = await pickRecord(picker.tf, picker.model, rec.values, rec.total, {
        threshold: o.threshold,
        sampleRate: rate,
        normalisation: picker.normalisation,
      });
      windowsRun += r.windows;
      results.push(r);
    }
    const seconds = (performance.now() - started) / 1000;
    const tol = o.tolerance * rate;
    const p = scorePicks(
      records.map((r) => r.itp),
      results.map((r) => r.p.map((k) => k.index)),
      tol,
      rate,
    );
    const s = scorePicks(
      records.map((r) => r.its),
      results.map((r) => r.s.map((k) => k.index)),
      tol,
      rate,
    );
    const first = records[0]!;
    const firstPicks = results[0]!;
    const json: Record<string, unknown> = {
      task: 'pick',
      ...(o.data ? { data: source } : { dataset: source }),
      seed: o.seed,
      crop: o.crop,
      weights: picker.label,
      weights_trained_by: picker.provenance?.trainedBy ?? null,
      window_samples: picker.length,
      normalisation: picker.normalisation,
      params: picker.params,
      weights_total: picker.weightsTotal,
      backend: picker.info.kind,
      records: records.length,
      windows: windowsRun,
      windows_per_second: r3(windowsRun / Math.max(seconds, 1e-6)),
      threshold: o.threshold,
      tolerance_s: o.tolerance,
      ...scoreJson('p', p, rate),
      ...scoreJson('s', s, rate),
      example: {
        name: first.name,
        analyst_p_s: first.itp === null ? null : first.itp / rate,
        analyst_s_s: first.its === null ? null : first.its / rate,
        picked_p_s: firstPicks.p.map((k) => k.index / rate),
        picked_s_s: firstPicks.s.map((k) => k.index / rate),
      },
      // Flat copies for lesson questions (`=pick.example_s_s`): the analyst times of the example window.
      example_p_s: first.itp === null ? null : first.itp / rate,
      example_s_s: first.its === null ? null : first.its / rate,
      example_s_minus_p_s: first.itp === null || first.its === null ? null : r3((first.its - first.itp) / rate),
      // Every record's picks, in samples from the start of what was picked (the crop, if any).
      picks: records.map((rec, k) => ({
        name: rec.name,
        ...(rec.cropStart === undefined ? {} : { crop_start: rec.cropStart }),
        samples: rec.total,
        analyst_p: rec.itp,
        analyst_s: rec.its,
        picked_p: results[k]!.p.map((x) => x.index),
        picked_s: results[k]!.s.map((x) => x.index),
        p_probability: results[k]!.p.map((x) => r3(x.probability)),
        s_probability: results[k]!.s.map((x) => r3(x.probability)),
      })),
    };
    const figures: Figure[] = [
      exampleFigure(first, firstPicks, rate),
      gridFigure(
        `Picks within ±${o.tolerance} s of the analyst's, threshold ${o.threshold}, ${safeLine(picker.label, 60)} weights; residuals: mean and std in s, median and MAD in samples`,
        ['phase', 'precision', 'recall', 'F1', 'TP', 'FP', 'FN', 'mean s', 'std s', 'median', 'MAD'],
        [
          ['P', ...scoreRow(p, rate)],
          ['S', ...scoreRow(s, rate)],
        ],
      ),
      residualFigure('P', p),
      residualFigure('S', s),
    ];
    return { json, figures };
  } finally {
    picker.model.dispose();
  }
}

/** Median and median absolute deviation (unscaled) of the residuals, in samples; NaN without true positives. */
export function residualMedianMad(score: PickScore, rate: number): { median: number; mad: number } {
  // Residuals are whole samples divided by the rate: round back to undo the division's last-bit error.
  const samples = score.residualsS.map((r) => Math.round(r * rate));
  if (samples.length === 0) return { median: NaN, mad: NaN };
  const m = median(samples);
  return { median: m, mad: median(samples.map((v) => Math.abs(v - m))) };
}

function scoreJson(phase: 'p' | 's', score: PickScore, rate: number): Record<string, unknown> {
  const { median: med, mad } = residualMedianMad(score, rate);
  return {
    [`${phase}_precision`]: r3(score.precision),
    [`${phase}_recall`]: r3(score.recall),
    [`${phase}_f1`]: r3(score.f1),
    [`${phase}_true_positives`]: score.truePositives,
    [`${phase}_false_positives`]: score.falsePositives,
    [`${phase}_false_negatives`]: score.falseNegatives,
    [`residual_${phase}_mean_s`]: r3(score.residualMeanS),
    [`residual_${phase}_std_s`]: r3(score.residualStdS),
    [`residual_${phase}_median_samples`]: r3(med),
    [`residual_${phase}_mad_samples`]: r3(mad),
  };
}

function scoreRow(s: PickScore, rate: number): string[] {
  const f = (v: number): string => (Number.isFinite(v) ? fmt(Math.round(v * 1000) / 1000) : '–');
  const { median: med, mad } = residualMedianMad(s, rate);
  return [
    f(s.precision),
    f(s.recall),
    f(s.f1),
    String(s.truePositives),
    String(s.falsePositives),
    String(s.falseNegatives),
    f(s.residualMeanS),
    f(s.residualStdS),
    f(med),
    f(mad),
  ];
}

function residualFigure(phase: string, score: PickScore): Figure {
  return {
    title: `${phase} residuals: model − analyst (s)`,
    render: (caps: RenderCaps) =>
      renderHistogram(score.residualsS, caps, {
        title: `${phase} pick residuals (model − analyst), ${score.residualsS.length} true positives`,
        axis: { label: 'residual', unit: 's' },
      }),
  };
}

/** The vertical component of the first record with analyst and model picks, and the three probability traces under it. */
function exampleFigure(
  rec: PickRecord,
  picked: { probabilities: { noise: Float32Array; p: Float32Array; s: Float32Array }; p: { index: number }[]; s: { index: number }[] },
  rate: number,
): Figure {
  return {
    title: `${rec.name}: vertical component, picks and PhaseNet's probabilities`,
    render: (caps: RenderCaps) => {
      const z = new Float32Array(rec.total);
      for (let i = 0; i < rec.total; i++) z[i] = rec.values[i * 3 + 2]!;
      const picks = [
        ...(rec.itp === null ? [] : [{ phase: 'P', time: rec.itp / rate, source: 'analyst' }]),
        ...(rec.its === null ? [] : [{ phase: 'S', time: rec.its / rate, source: 'analyst' }]),
        ...picked.p.map((k) => ({ phase: 'P', time: k.index / rate, source: 'PhaseNet' })),
        ...picked.s.map((k) => ({ phase: 'S', time: k.index / rate, source: 'PhaseNet' })),
      ];
      return renderWaveform({ samples: z, sampleRate: rate, name: 'Z', unit: 'counts' }, caps, {
        title: `${rec.name} (Z)`,
        picks,
        probabilities: [
          { name: 'P', values: picked.probabilities.p },
          { name: 'S', values: picked.probabilities.s },
          { name: 'noise', values: picked.probabilities.noise },
        ],
      });
    },
  };
}

/** The window a student looks at before guessing: three components, no picks, nothing in the JSON that gives them away. */
export async function runPickLook(seed: number): Promise<ExperimentResult> {
  const [w] = await heldOutWindows(seed, 1);
  const rate = 100;
  const channel = (c: number): Float32Array => {
    const out = new Float32Array(w!.length);
    for (let i = 0; i < w!.length; i++) out[i] = w!.waveform[i * 3 + c]!;
    return out;
  };
  const names = ['E', 'N', 'Z'];
  const figures: Figure[] = [2, 0, 1].map((c) => ({
    title: `window 1, component ${names[c]}`,
    render: (caps: RenderCaps) =>
      renderWaveform({ samples: channel(c), sampleRate: rate, name: names[c], unit: 'counts' }, caps, {
        title: `window 1 (${names[c]}): where do P and S arrive?`,
      }),
  }));
  return {
    json: { task: 'pick-look', dataset: 'phases', seed, sample_rate_hz: rate, samples: w!.length, duration_s: (w!.length - 1) / rate, components: names },
    figures,
  };
}

/** Lesson adapter: string options to `runPick`. */
export async function runPickTask(options: PickTaskOptions, seed: number, callbacks?: ExperimentCallbacks): Promise<ExperimentResult> {
  return runPick({ ...options, dataset: options.data ? undefined : (options.dataset ?? 'phases'), seed }, callbacks);
}

/** Lesson adapter of the look step (it takes no options but the lesson's dataset). */
export async function runPickLookTask(_options: unknown, seed: number): Promise<ExperimentResult> {
  return runPickLook(seed);
}
