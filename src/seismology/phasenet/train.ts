// Training PhaseNet on the synthetic `phases` windows: data in PhaseNet's layout, seeded Adam, evaluation with the picker.
import type * as tfTypes from '../../nn/tf.js';
import { generatePhases, PHASE_SAMPLE_RATE, type PhaseWindow } from '../phase-windows.js';
import type { HostTensor } from '../../nn/fit.js';
import { findPicks, PICK_DEFAULTS, scorePicks, type PickScore } from './picks.js';
import { predictWindows, PHASENET_CHANNELS, PHASENET_LENGTH, windowLength } from './predict.js';
import { type Normalisation, normalizeWindow, phaseLabels } from './window.js';

type Tf = typeof import('../../nn/tf.js');

/**
 * Windows as network inputs [n, length, 3] (normalised) and Gaussian targets [n, length, 3]. A network of
 * shorter windows than the synthetic 3,001 samples (the published PhaseNet: 3,000) gets each window's first
 * `length` samples: the picks sit at least 3 s from the end, so none is cut off.
 */
export function phaseTensors(
  windows: readonly PhaseWindow[],
  length: number = PHASENET_LENGTH,
  normalisation: Normalisation = 'eds',
): { x: HostTensor; y: HostTensor } {
  const size = length * PHASENET_CHANNELS;
  const x = new Float32Array(windows.length * size);
  const y = new Float32Array(windows.length * size);
  windows.forEach((w, k) => {
    x.set(normalizeWindow(firstSamples(w, length), length, PHASENET_CHANNELS, normalisation), k * size);
    y.set(phaseLabels(length, w.itp, w.its, PHASE_SAMPLE_RATE), k * size);
  });
  const shape = [windows.length, length, PHASENET_CHANNELS];
  return { x: { values: x, shape }, y: { values: y, shape: [...shape] } };
}

/** The first `length` samples of a window ([length, 3] row-major). */
function firstSamples(w: PhaseWindow, length: number): Float32Array {
  if (length > w.length) throw new Error(`a ${w.length}-sample window is shorter than the network's ${length}`);
  return w.waveform.subarray(0, length * PHASENET_CHANNELS) as Float32Array;
}

/** P and S scores of a model on windows with known picks, with the default picker and tolerance. */
export interface PhaseEvaluation {
  /** P picks against the known P arrivals. */
  p: PickScore;
  /** S picks against the known S arrivals. */
  s: PickScore;
  /** Per window: [P picks, S picks] as sample indices. */
  picks: Array<[number[], number[]]>;
  /** Per window: the probabilities [length, 3] (the model's window length). */
  probabilities: Float32Array[];
}

/** Runs the model on `windows` and scores its picks (threshold 0.3, 1 s apart, tolerance 0.5 s unless given). */
export async function evaluatePhaseNet(
  tf: Tf,
  model: tfTypes.LayersModel,
  windows: readonly PhaseWindow[],
  options: { threshold?: number; toleranceS?: number; minDistanceS?: number; normalisation?: Normalisation } = {},
): Promise<PhaseEvaluation> {
  const length = windowLength(model);
  const inputs = windows.map((w) => normalizeWindow(firstSamples(w, length), length, PHASENET_CHANNELS, options.normalisation));
  const probabilities = await predictWindows(tf, model, inputs);
  const threshold = options.threshold ?? PICK_DEFAULTS.threshold;
  const distance = Math.round((options.minDistanceS ?? PICK_DEFAULTS.minDistanceS) * PHASE_SAMPLE_RATE);
  const picks = probabilities.map((probs): [number[], number[]] => {
    const p = new Float32Array(length);
    const s = new Float32Array(length);
    for (let i = 0; i < length; i++) {
      p[i] = probs[i * 3 + 1]!;
      s[i] = probs[i * 3 + 2]!;
    }
    return [findPicks(p, threshold, distance).map((k) => k.index), findPicks(s, threshold, distance).map((k) => k.index)];
  });
  const tol = (options.toleranceS ?? PICK_DEFAULTS.toleranceS) * PHASE_SAMPLE_RATE;
  return {
    p: scorePicks(
      windows.map((w) => w.itp),
      picks.map((k) => k[0]),
      tol,
      PHASE_SAMPLE_RATE,
    ),
    s: scorePicks(
      windows.map((w) => w.its),
      picks.map((k) => k[1]),
      tol,
      PHASE_SAMPLE_RATE,
    ),
    picks,
    probabilities,
  };
}

/** Options of a training run. */
export interface PhaseTrainOptions {
  /** Seed of the windows, the initial weights and the shuffles. */
  seed: number;
  /** Training windows generated per round. */
  windows: number;
  /** Rounds: each draws fresh windows (so the network never sees a window twice) and trains one pass. */
  rounds: number;
  /** Windows per gradient step. */
  batchSize: number;
  /** Adam step size. */
  learningRate: number;
  /** Called after each round with its mean loss and seconds. */
  onRound?: (round: number, logs: { loss: number; seconds: number }) => void;
}

/**
 * Trains `model` in place. Fresh windows each round (a different seed per round) act as unlimited data
 * augmentation: pick positions, S−P times, frequencies and noise levels never repeat.
 */
export async function trainPhaseNet(model: tfTypes.LayersModel, options: PhaseTrainOptions): Promise<{ loss: number[]; seconds: number[] }> {
  const { fitClassifier } = await import('../../nn/fit.js');
  const loss: number[] = [];
  const seconds: number[] = [];
  for (let r = 0; r < options.rounds; r++) {
    // Seeds 1000+ are training rounds; the lesson's held-out windows use the student's seed with another offset.
    const data = phaseTensors(generatePhases({ seed: options.seed * 7919 + 1000 + r, count: options.windows }));
    // Learning rate halves over the second half of training, which steadies the picks' timing.
    const lr = r >= options.rounds / 2 ? options.learningRate / 2 : options.learningRate;
    const h = await fitClassifier(model, data.x, data.y, { epochs: 1, batchSize: options.batchSize, learningRate: lr, seed: options.seed + r });
    loss.push(h.loss[0]!);
    seconds.push(h.seconds[0]!);
    options.onRound?.(r, { loss: h.loss[0]!, seconds: h.seconds[0]! });
  }
  return { loss, seconds };
}
