// `eds run finetune` and the synthesis lesson's transfer step: the shipped PhaseNet scored on a shifted (volcanic) domain, fine-tuned on a few of its windows, scored again.
import type * as tfTypes from '../nn/tf.js';
import { UserError } from '../errors.js';
import { safeLine } from '../util/safe-text.js';
import type { PhaseWindow } from '../seismology/phase-windows.js';
import type { BackendChoice } from '../nn/backend.js';
import type { PhaseEvaluation } from '../seismology/phasenet/train.js';
import { PICK_DEFAULTS, type PickScore } from '../seismology/phasenet/picks.js';
import type { RenderCaps } from '../render/caps.js';
import { renderLineChart } from '../render/line.js';
import { renderWaveform } from '../render/waveform.js';
import { fmt, gridFigure } from './common.js';
import { heldOutWindows, loadPicker } from './pick.js';
import type { ExperimentCallbacks, ExperimentResult, Figure } from './types.js';
import type { FinetuneTaskOptions } from '../tasks/options.js';
import { roundTo } from '../util/stats.js';

/**
 * Which weights stay as shipped. `none`: all of them are trained; `encoder`: the down-sampling half is kept (its
 * generic onset and frequency detectors) and only the up-sampling half learns; `backbone`: everything but the
 * last 1 × 1 layer is kept, so only its 27 numbers learn (feature extraction with a linear head).
 */
export type FreezeChoice = 'none' | 'encoder' | 'backbone';

/** The values `freeze` accepts. */
export const FREEZE_CHOICES: readonly FreezeChoice[] = ['none', 'encoder', 'backbone'];

/** Options of one fine-tuning run; every field has a default. */
export interface FinetuneOptions {
  /** Shifted (volcanic) windows to fine-tune on, with their picks. */
  examples?: number;
  /** Passes over those examples. */
  epochs?: number;
  /** Adam step size: small, so the shipped weights are adjusted rather than erased. */
  learningRate?: number;
  /** Windows per gradient step. */
  batchSize?: number;
  /** Which weights stay as shipped. */
  freeze?: FreezeChoice;
  /** Held-out windows scored in each domain (volcanic and local), before and after. */
  windows?: number;
  /** Weights to start from: `shipped` (eds's own, the default), `published` (Zhu & Beroza's), or a folder. */
  weights?: string;
  /** The student's seed: their held-out and fine-tuning windows. */
  seed?: number;
  /** tfjs backend. */
  backend?: BackendChoice;
}

/**
 * Defaults sized for a 2-core machine on the wasm backend: 32 examples × 10 epochs train in about 10 s, and
 * 2 × 60 held-out windows are scored twice in a few seconds more.
 */
export const FINETUNE_DEFAULTS = { examples: 32, epochs: 10, learningRate: 0.0003, batchSize: 8, freeze: 'encoder' as FreezeChoice, windows: 60 };

/**
 * Seed offsets of the shifted windows: the examples and the held-out set never share a window, and neither
 * shares a seed with the shipped weights' training rounds (1000+) or session 5's held-out windows (2,000,000+).
 */
const SHIFTED_EXAMPLES_SEED_OFFSET = 3_000_000;
const SHIFTED_HELD_OUT_SEED_OFFSET = 4_000_000;

/** The student's volcanic windows: `examples` to fine-tune on, or `held-out` to score. */
export async function shiftedWindows(seed: number, count: number, role: 'examples' | 'held-out'): Promise<PhaseWindow[]> {
  const { generatePhases } = await import('../seismology/phase-windows.js');
  const offset = role === 'examples' ? SHIFTED_EXAMPLES_SEED_OFFSET : SHIFTED_HELD_OUT_SEED_OFFSET;
  return generatePhases({ seed: offset + seed, count, domain: 'volcanic' });
}

/**
 * Marks the layers `freeze` keeps as not trainable, so the optimiser leaves them alone; returns the trainable
 * parameters left. Batch-norm running means and variances of frozen layers still follow the new data in
 * training mode: they are averages, not weights the gradient moves.
 */
export function freezePhaseNet(model: tfTypes.LayersModel, freeze: FreezeChoice): number {
  // Layers are in topological order: the whole encoder comes before the first transposed convolution.
  let trainable = freeze === 'none';
  for (const layer of model.layers) {
    if (freeze === 'encoder' && layer.getClassName() === 'Conv2DTranspose') trainable = true;
    if (freeze === 'backbone' && layer.name === 'output_conv') trainable = true;
    layer.trainable = trainable;
  }
  let total = 0;
  for (const w of model.trainableWeights) total += w.shape.reduce<number>((a, b) => a * (b ?? 1), 1);
  return total;
}

function check(options: FinetuneOptions): Required<FinetuneOptions> {
  const o = { ...FINETUNE_DEFAULTS, seed: 0, backend: 'auto' as BackendChoice, weights: 'shipped', ...stripUndefined(options) };
  const whole = (v: number, lo: number, hi: number, name: string): void => {
    if (!Number.isInteger(v) || v < lo || v > hi) throw new UserError(`--${name} must be a whole number from ${lo} to ${hi}, got ${v}`, { exitCode: 2 });
  };
  whole(o.examples, 1, 512, 'examples');
  whole(o.epochs, 1, 200, 'epochs');
  whole(o.batchSize, 1, 64, 'batch');
  whole(o.windows, 5, 1000, 'windows');
  if (!(o.learningRate > 0 && o.learningRate <= 0.1))
    throw new UserError(`--lr must be a step size above 0 and at most 0.1, got ${o.learningRate}`, { exitCode: 2 });
  if (!FREEZE_CHOICES.includes(o.freeze)) throw new UserError(`--freeze must be one of ${FREEZE_CHOICES.join(', ')}, got "${o.freeze}"`, { exitCode: 2 });
  if (!Number.isInteger(o.seed) || o.seed < 0) throw new UserError(`--seed must be a whole number ≥ 0, got ${o.seed}`, { exitCode: 2 });
  return o;
}

function stripUndefined<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}

const r3 = (v: number): number | null => (Number.isFinite(v) ? roundTo(v, 3) : null);

/** F1 as the lesson reads it: a model that picks nothing has found nothing (0), not an undefined score. */
function f1Of(score: PickScore): number {
  return score.truePositives + score.falsePositives === 0 && score.falseNegatives > 0 ? 0 : score.f1;
}

function scoreJson(prefix: string, suffix: string, ev: PhaseEvaluation): Record<string, number | null> {
  const out: Record<string, number | null> = {};
  for (const [phase, score] of [
    ['p', ev.p],
    ['s', ev.s],
  ] as const) {
    out[`${prefix}${phase}_precision${suffix}`] = r3(score.precision);
    out[`${prefix}${phase}_recall${suffix}`] = r3(score.recall);
    out[`${prefix}${phase}_f1${suffix}`] = r3(f1Of(score));
    out[`${prefix}residual_${phase}_mean_s${suffix}`] = r3(score.residualMeanS);
    out[`${prefix}residual_${phase}_std_s${suffix}`] = r3(score.residualStdS);
  }
  return out;
}

/** After − before of two rounded scores, rounded again (so it equals what a student computes from the JSON). */
function change(after: number | null | undefined, before: number | null | undefined): number | null {
  return after == null || before == null ? null : r3(after - before);
}

/**
 * Scores the shipped PhaseNet on the student's held-out volcanic windows and on their local (training-domain)
 * windows, fine-tunes it on `examples` other volcanic windows, and scores both sets again with the same picker.
 */
export async function runFinetune(options: FinetuneOptions = {}, callbacks: ExperimentCallbacks = {}): Promise<ExperimentResult> {
  const o = check(options);
  callbacks.onStatus?.(`generating ${o.windows} held-out volcanic windows, ${o.windows} local ones and ${o.examples} volcanic examples…`);
  const heldOut = await shiftedWindows(o.seed, o.windows, 'held-out');
  const local = await heldOutWindows(o.seed, o.windows);
  const examples = await shiftedWindows(o.seed, o.examples, 'examples');
  callbacks.onStatus?.(`loading PhaseNet (${safeLine(o.weights, 120)} weights)…`);
  const picker = await loadPicker(o.backend, o.weights);
  // Each network sees windows of its own length and scaling (the published one: the first 3,000 samples, its repository's normalisation).
  const norm = { normalisation: picker.normalisation };
  const { evaluatePhaseNet, phaseTensors } = await import('../seismology/phasenet/train.js');
  const { fitClassifier, runFraction } = await import('../nn/fit.js');
  try {
    callbacks.onStatus?.(`scoring the ${safeLine(picker.label, 120)} weights on ${picker.info.description}…`);
    const before = await evaluatePhaseNet(picker.tf, picker.model, heldOut, norm);
    const localBefore = await evaluatePhaseNet(picker.tf, picker.model, local, norm);
    const paramsTrained = freezePhaseNet(picker.model, o.freeze);
    callbacks.onStatus?.(`fine-tuning ${paramsTrained.toLocaleString('en-US')} parameters on ${o.examples} volcanic windows…`);
    const data = phaseTensors(examples, picker.length, picker.normalisation);
    const history = await fitClassifier(picker.model, data.x, data.y, {
      epochs: o.epochs,
      batchSize: o.batchSize,
      learningRate: o.learningRate,
      seed: o.seed,
      onEpochEnd: (epoch, logs, epochs) => callbacks.onEpochEnd?.(epoch, logs, epochs),
      onProgress: (epoch, done, total) => callbacks.onProgress?.(runFraction(epoch, done, total, o.epochs), `epoch ${epoch + 1}/${o.epochs}`),
    });
    callbacks.onStatus?.('scoring the fine-tuned weights…');
    const after = await evaluatePhaseNet(picker.tf, picker.model, heldOut, norm);
    const localAfter = await evaluatePhaseNet(picker.tf, picker.model, local, norm);
    const trainingSeconds = history.seconds.reduce((a, b) => a + b, 0);

    const scores = {
      ...scoreJson('', '_before', before),
      ...scoreJson('', '_after', after),
      ...scoreJson('local_', '_before', localBefore),
      ...scoreJson('local_', '_after', localAfter),
    };
    const shown = mostImprovedWindow(heldOut, before, after);
    const json: Record<string, unknown> = {
      task: 'finetune',
      dataset: 'phases',
      domain: 'volcanic',
      seed: o.seed,
      weights: picker.label,
      backend: picker.info.kind,
      examples: o.examples,
      epochs: o.epochs,
      learning_rate: o.learningRate,
      batch_size: o.batchSize,
      freeze: o.freeze,
      params_trained: paramsTrained,
      params_total: picker.params,
      held_out_windows: heldOut.length,
      local_windows: local.length,
      threshold: PICK_DEFAULTS.threshold,
      tolerance_s: PICK_DEFAULTS.toleranceS,
      ...scores,
      p_f1_change: change(scores.p_f1_after, scores.p_f1_before),
      s_f1_change: change(scores.s_f1_after, scores.s_f1_before),
      local_p_f1_change: change(scores.local_p_f1_after, scores.local_p_f1_before),
      local_s_f1_change: change(scores.local_s_f1_after, scores.local_s_f1_before),
      loss_first: r3x(history.loss[0]!),
      loss_last: r3x(history.loss.at(-1)!),
      loss_per_epoch: history.loss.map(r3x),
      training_seconds: r3(trainingSeconds),
      seconds_per_epoch: r3(trainingSeconds / o.epochs),
      example_window: shown + 1,
    };
    const figures: Figure[] = [
      scoreTable(before, after, localBefore, localAfter),
      windowFigure(heldOut[shown]!, shown, before, `${safeLine(picker.label, 60)} weights`),
      windowFigure(heldOut[shown]!, shown, after, 'after fine-tuning'),
      {
        title: `Training loss per epoch on the ${o.examples} volcanic examples (cross-entropy per sample)`,
        render: (caps: RenderCaps) =>
          renderLineChart([{ name: 'loss', y: history.loss, x: history.loss.map((_, k) => k + 1) }], caps, { xAxis: { label: 'epoch' } }),
      },
    ];
    return { json, figures };
  } finally {
    picker.model.dispose();
  }
}

/** Loss values are small (≈ 0.05): five decimals keep epochs apart. */
const r3x = (v: number): number | null => (Number.isFinite(v) ? roundTo(v, 5) : null);

/** True minus false picks of one window, P and S together. */
function windowScore(w: PhaseWindow, picks: [number[], number[]]): number {
  const tol = PICK_DEFAULTS.toleranceS * 100;
  let score = 0;
  for (const [truth, found] of [
    [w.itp, picks[0]],
    [w.its, picks[1]],
  ] as const) {
    const hit = found.some((k) => Math.abs(k - truth) <= tol);
    score += (hit ? 1 : 0) - (found.length - (hit ? 1 : 0));
  }
  return score;
}

/** The held-out window fine-tuning helped most (the first on ties; window 0 if it helped none): the one worth looking at. */
function mostImprovedWindow(windows: readonly PhaseWindow[], before: PhaseEvaluation, after: PhaseEvaluation): number {
  let best = 0;
  let gain = 0;
  windows.forEach((w, k) => {
    const g = windowScore(w, after.picks[k]!) - windowScore(w, before.picks[k]!);
    if (g > gain) [best, gain] = [k, g];
  });
  return best;
}

function scoreTable(before: PhaseEvaluation, after: PhaseEvaluation, localBefore: PhaseEvaluation, localAfter: PhaseEvaluation): Figure {
  const f = (v: number): string => (Number.isFinite(v) ? fmt(Math.round(v * 1000) / 1000) : '–');
  const row = (name: string, ev: PhaseEvaluation): string[] => [
    name,
    f(ev.p.precision),
    f(ev.p.recall),
    f(f1Of(ev.p)),
    f(ev.s.precision),
    f(ev.s.recall),
    f(f1Of(ev.s)),
    f(ev.p.residualStdS),
    f(ev.s.residualStdS),
  ];
  return gridFigure(
    `Held-out picks within ±${PICK_DEFAULTS.toleranceS} s, threshold ${PICK_DEFAULTS.threshold}: before and after fine-tuning`,
    ['windows', 'P prec', 'P rec', 'P F1', 'S prec', 'S rec', 'S F1', 'P std s', 'S std s'],
    [row('volcanic, before', before), row('volcanic, after', after), row('local, before', localBefore), row('local, after', localAfter)],
  );
}

/** One held-out volcanic window (Z) with the analyst's and the model's picks and its probability traces, as `pick` draws them. */
function windowFigure(w: PhaseWindow, k: number, ev: PhaseEvaluation, which: string): Figure {
  const rate = 100;
  return {
    title: `Volcanic window ${k + 1}, ${which}: vertical component, picks and PhaseNet's probabilities`,
    render: (caps: RenderCaps) => {
      // The network's own window: the published PhaseNet reads the first 3,000 of the 3,001 samples.
      const n = Math.min(w.length, ev.probabilities[k]!.length / 3);
      const z = new Float32Array(n);
      const p = new Float32Array(n);
      const s = new Float32Array(n);
      const noise = new Float32Array(n);
      const probs = ev.probabilities[k]!;
      for (let i = 0; i < n; i++) {
        z[i] = w.waveform[i * 3 + 2]!;
        noise[i] = probs[i * 3]!;
        p[i] = probs[i * 3 + 1]!;
        s[i] = probs[i * 3 + 2]!;
      }
      const [pPicks, sPicks] = ev.picks[k]!;
      const picks = [
        { phase: 'P', time: w.itp / rate, source: 'analyst' },
        { phase: 'S', time: w.its / rate, source: 'analyst' },
        ...pPicks.map((i) => ({ phase: 'P', time: i / rate, source: 'PhaseNet' })),
        ...sPicks.map((i) => ({ phase: 'S', time: i / rate, source: 'PhaseNet' })),
      ];
      return renderWaveform({ samples: z, sampleRate: rate, name: 'Z', unit: 'counts' }, caps, {
        title: `volcanic window ${k + 1} (Z), ${which}`,
        picks,
        probabilities: [
          { name: 'P', values: p },
          { name: 'S', values: s },
          { name: 'noise', values: noise },
        ],
      });
    },
  };
}

/** Lesson adapter: string options (`examples=32 epochs=10 lr=0.001 freeze=none`) to `runFinetune`. */
export async function runFinetuneTask(options: FinetuneTaskOptions, seed: number, callbacks?: ExperimentCallbacks): Promise<ExperimentResult> {
  return runFinetune({ ...options, seed }, callbacks);
}
