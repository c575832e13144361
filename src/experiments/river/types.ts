// What every stage of the river practical shares: the stages, model and feature-set names, the resolved options, steps.

/** The parts of the practical, in order. */
export const RIVER_STAGES = ['inspect', 'align', 'fit', 'compare', 'season'] as const;
/** One of `RIVER_STAGES`. */
export type RiverStage = (typeof RIVER_STAGES)[number];
/** Single-feature fits of stage `fit`. */
export const FIT_MODELS = ['linear', 'huber', 'ransac'] as const;
/** Models compared in stage `compare`. */
export const COMPARE_MODELS = ['linear', 'huber', 'ransac', 'poly', 'rf'] as const;
/** Feature sets, as lessons write them. */
export const FEATURE_SETS = ['turbidity', 'turbidity+level', 'turbidity+level+temperature'] as const;

export const MINUTE_MS = 60_000;
export const DAY_MS = 86_400_000;

/** Options of the river task (all optional; strings as a lesson or command line gives them). */
export interface RiverTaskOptions {
  /** Which part: inspect | align | fit | compare | season (default inspect). */
  stage: RiverStage;
  /** inspect: the whole record, or the week around the biggest sampled flood. */
  window: 'all' | 'flood';
  /** inspect: linear or log10 values in the histogram and correlation table; fit/compare: the space the model is fitted in. */
  scale: 'linear' | 'log';
  /** align: how to read the probes at a sample's time. */
  method: 'linear' | 'nearest';
  /** align: longest probe gap filled by interpolation, minutes. */
  maxGapMin: number;
  /** fit: the single-feature model; compare: the model drawn in the scatter; season: linear or robust (huber) fit. */
  model: string;
  /** compare/season: the probe features. */
  features: (typeof FEATURE_SETS)[number];
  /** season: which year's wet season (July–December) to predict: 1 or 2. */
  season: number;
  /** Seed of the student's data, the splits and the models. */
  seed: number;
}

export type Base = { task: string; stage: RiverStage; seed: number };

/** Runs steps to their end without pausing. */
export function finish<R>(steps: Generator<RiverStep, R>): R {
  for (let step = steps.next(); ; step = steps.next()) if (step.done) return step.value;
}

/** A point where a long stage may pause: how far it is, and what it does next. */
export interface RiverStep {
  fraction: number;
  label: string;
}
