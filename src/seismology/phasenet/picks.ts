// Picking phases from PhaseNet's probability traces and scoring picks against analyst picks (precision, recall, F1, residuals).

/** Defaults of the picker and of the scoring, stated once so the lesson, the CLI and the tests agree. */
export const PICK_DEFAULTS = {
  /** Minimum peak probability for a pick. */
  threshold: 0.3,
  /** Minimum time between two picks of one phase (s). */
  minDistanceS: 1,
  /** A pick within this many seconds of the analyst pick counts as a true positive. */
  toleranceS: 0.5,
} as const;

/** One pick read off a probability trace. */
export interface Pick {
  /** Sample index of the probability peak. */
  index: number;
  /** Peak probability, in [0, 1]. */
  probability: number;
}

/**
 * Peaks of a probability trace: local maxima at or above `threshold`, then, tallest first, every peak
 * closer than `minDistance` samples to a taller kept one is dropped (as scipy's `find_peaks(distance=…)`).
 * A flat-topped peak is reported at the middle of its plateau.
 * @returns picks in time order
 */
export function findPicks(probabilities: ArrayLike<number>, threshold: number = PICK_DEFAULTS.threshold, minDistance = 100): Pick[] {
  const n = probabilities.length;
  const candidates: Pick[] = [];
  let i = 0;
  while (i < n) {
    const v = probabilities[i]!;
    if (!(v >= threshold)) {
      i++;
      continue;
    }
    // Walk over a plateau of equal values.
    let j = i;
    while (j + 1 < n && probabilities[j + 1] === v) j++;
    const left = i > 0 ? probabilities[i - 1]! : -Infinity;
    const right = j + 1 < n ? probabilities[j + 1]! : -Infinity;
    if (v > left && v > right) candidates.push({ index: Math.floor((i + j) / 2), probability: v });
    i = j + 1;
  }
  candidates.sort((a, b) => b.probability - a.probability || a.index - b.index);
  const kept: Pick[] = [];
  for (const c of candidates) if (kept.every((k) => Math.abs(k.index - c.index) >= minDistance)) kept.push(c);
  return kept.sort((a, b) => a.index - b.index);
}

/** How the picks of one phase compare with the analyst's over a set of windows. */
export interface PickScore {
  /** Analyst picks matched by a model pick within the tolerance. */
  truePositives: number;
  /** Model picks that match no analyst pick (a second pick near one counts here too). */
  falsePositives: number;
  /** Analyst picks with no model pick within the tolerance. */
  falseNegatives: number;
  /** TP / (TP + FP); NaN with no model pick at all. */
  precision: number;
  /** TP / (TP + FN); NaN with no analyst pick at all. */
  recall: number;
  /** Harmonic mean of precision and recall; NaN when either is. */
  f1: number;
  /** Model − analyst time of each true positive (s): positive means the model picked late. */
  residualsS: number[];
  /** Mean residual (s): the picker's bias. NaN without true positives. */
  residualMeanS: number;
  /** Standard deviation of the residuals (s, population: divided by n, as numpy's default). NaN without true positives. */
  residualStdS: number;
}

/**
 * Scores one phase over many windows. In each window the model pick closest to the analyst pick, if within
 * `toleranceSamples`, is a true positive; every other model pick is a false positive; an analyst pick with no
 * match is a false negative.
 * @param analyst per window, the analyst's pick (sample index) or null when the phase is absent
 * @param model per window, the model's picks (sample indices)
 */
export function scorePicks(
  analyst: ReadonlyArray<number | null>,
  model: ReadonlyArray<readonly number[]>,
  toleranceSamples: number,
  sampleRate: number,
): PickScore {
  if (analyst.length !== model.length) throw new Error(`scorePicks: ${analyst.length} analyst windows but ${model.length} model windows`);
  let tp = 0;
  let fp = 0;
  let fn = 0;
  const residualsS: number[] = [];
  for (let w = 0; w < analyst.length; w++) {
    const truth = analyst[w];
    const picks = model[w]!;
    if (truth === null || truth === undefined) {
      fp += picks.length;
      continue;
    }
    let best = -1;
    for (let k = 0; k < picks.length; k++) {
      if (Math.abs(picks[k]! - truth) <= toleranceSamples && (best < 0 || Math.abs(picks[k]! - truth) < Math.abs(picks[best]! - truth))) best = k;
    }
    if (best >= 0) {
      tp++;
      residualsS.push((picks[best]! - truth) / sampleRate);
      fp += picks.length - 1;
    } else {
      fn++;
      fp += picks.length;
    }
  }
  const precision = tp + fp > 0 ? tp / (tp + fp) : NaN;
  const recall = tp + fn > 0 ? tp / (tp + fn) : NaN;
  const f1 = precision + recall > 0 ? (2 * precision * recall) / (precision + recall) : Number.isNaN(precision) || Number.isNaN(recall) ? NaN : 0;
  let mean = NaN;
  let sd = NaN;
  if (residualsS.length) {
    mean = residualsS.reduce((a, b) => a + b, 0) / residualsS.length;
    sd = Math.sqrt(residualsS.reduce((a, b) => a + (b - mean) ** 2, 0) / residualsS.length);
  }
  return { truePositives: tp, falsePositives: fp, falseNegatives: fn, precision, recall, f1, residualsS, residualMeanS: mean, residualStdS: sd };
}
