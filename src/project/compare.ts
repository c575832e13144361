// `eds project` step 2: six classifiers under k-fold CV with the same folds (stratified, or blocks of time), then learning curves, pooled confusion matrices and permutation importance.
import { KNeighborsClassifier } from '../ml/knn.js';
import { LogisticRegression } from '../ml/logistic.js';
import { LinearSVC } from '../ml/svm.js';
import { RandomForestClassifier } from '../ml/tree.js';
import { GaussianNB } from '../ml/naive-bayes.js';
import { ScaledClassifier } from '../ml/preprocess.js';
import { accuracy, balancedAccuracy, confusionMatrix, macroF1 } from '../ml/metrics.js';
import { permutationImportance, stratifiedKFold, stratifiedSplit, take, type Split } from '../ml/validation.js';
import type { Classifier } from '../ml/types.js';
import { createRng } from '../util/rng.js';
import { createClassifier } from '../ml/catalogue.js';
import { MlpClassifier } from '../ml/mlp.js';
import { mean, std } from '../util/stats.js';

/** The models compared, in the order tables list them. */
export const PROJECT_MODELS = ['knn', 'logreg', 'svm', 'rf', 'nb', 'mlp'] as const;
/** One of {@link PROJECT_MODELS}. */
export type ProjectModel = (typeof PROJECT_MODELS)[number];
/** Models whose fit has no randomness: the notebook must reproduce their fold scores (kNN, naive Bayes, logistic regression). */
export const DETERMINISTIC_MODELS: readonly ProjectModel[] = ['knn', 'nb', 'logreg'];

/** Human names of the models. */
export const MODEL_TITLES: Record<ProjectModel, string> = {
  knn: 'k-nearest neighbours (k=5)',
  logreg: 'logistic regression (C=1)',
  svm: 'linear SVM (C=1)',
  rf: 'random forest',
  nb: 'Gaussian naive Bayes',
  mlp: 'small MLP',
};

/** Settings of the comparison; the notebook writes the same ones into its scikit-learn models. */
export interface CompareOptions {
  /** Number of stratified folds (default 5; lowered to the smallest class size if needed). */
  folds?: number;
  /** Seed of the folds and of every seeded model. */
  seed?: number;
  /** Trees in the random forest (default 100). */
  trees?: number;
  /** Hidden units of the MLP (default 32). */
  hidden?: number;
  /** Training epochs of the MLP (default 100). */
  epochs?: number;
  /** Which models (default all). */
  models?: readonly ProjectModel[];
  /** How folds are made: `stratified` (shuffled, the default) or `time` (consecutive blocks of `times`). */
  split?: FoldKind;
  /** Each row's time, needed by `split: 'time'`. */
  times?: readonly number[];
  /** The column the times come from, for titles and the notebook. */
  timeColumn?: string;
  /** Called before each model with a short status line. */
  onStatus?: (message: string) => void;
}

/** Shuffled stratified folds, or folds that are consecutive blocks of time. */
export type FoldKind = 'stratified' | 'time';

/** Mean ± std over folds of one score. */
export interface MeanStd {
  /** Mean over folds. */
  mean: number;
  /** Population standard deviation over folds. */
  std: number;
  /** The score of each fold, in fold order. */
  folds: number[];
}

/** One model's cross-validated result. */
export interface ModelResult {
  /** Model key. */
  model: ProjectModel;
  /** Accuracy on the test fold (0–1). */
  accuracy: MeanStd;
  /** Balanced accuracy: mean recall over classes (0–1). */
  balancedAccuracy: MeanStd;
  /** Macro-averaged F1 (0–1). */
  macroF1: MeanStd;
  /** Accuracy on the training rows of each fold (0–1): the gap to the test accuracy shows over-fitting. */
  trainAccuracy: MeanStd;
  /** Training time per fold, seconds (wall clock on this machine). */
  fitSeconds: MeanStd;
  /** Out-of-fold confusion matrix summed over folds (rows: true class, columns: predicted). */
  confusion: number[][];
  /** Trainable parameters (or stored numbers, for kNN the training rows × features) of the last fold's model. */
  parameters: number;
}

/** Accuracy against training-set size for one model. */
export interface LearningCurve {
  /** Model key. */
  model: ProjectModel;
  /** Training rows used (mean over folds). */
  trainSizes: number[];
  /** Mean accuracy on the training rows used. */
  trainScore: number[];
  /** Mean accuracy on the test fold. */
  testScore: number[];
}

/** Importance of each feature for one model. */
export interface Importance {
  /** Model key. */
  model: ProjectModel;
  /** Mean drop of balanced accuracy on the test folds when the feature is shuffled (over folds and 3 repeats). */
  mean: number[];
  /** Standard deviation of that drop over folds. */
  std: number[];
}

/** Everything step 2 computed. */
export interface Comparison {
  /** Number of folds used. */
  k: number;
  /** Seed of folds and models. */
  seed: number;
  /** Test row indices of each fold (sorted); a fold's training rows are all the others. */
  testFolds: number[][];
  /** How the folds were made. */
  split: FoldKind;
  /** For time folds: the time column, and the rows in time order (the folds are its consecutive blocks); null otherwise. */
  time: { column: string; order: number[] } | null;
  /** Per-model results, in {@link PROJECT_MODELS} order. */
  results: ModelResult[];
  /** Models ranked by mean balanced accuracy, best first. */
  ranking: ProjectModel[];
  /** Learning curves of the best two. */
  curves: LearningCurve[];
  /** Permutation importance of the best model. */
  importance: Importance;
  /** Impurity importance of the random forest (normalised, sums to 1), averaged over folds; null when it did not run. */
  forestImportance: number[] | null;
  /** The settings used (for the notebook). */
  settings: { trees: number; hidden: number; epochs: number };
}

/** Builds one unfitted model with the comparison's settings from the catalogue (scaled where the model needs it). */
export function makeProjectModel(name: ProjectModel, settings: { seed: number; trees: number; hidden: number; epochs: number }): Classifier {
  const options = name === 'rf' ? { trees: settings.trees } : name === 'mlp' ? { hidden: settings.hidden, epochs: settings.epochs } : {};
  return createClassifier(name, options, settings.seed);
}

/** Number of folds actually used: the request, lowered so the smallest class appears in every fold. */
export function foldCount(y: readonly number[], requested: number): number {
  const counts = new Map<number, number>();
  for (const v of y) counts.set(v, (counts.get(v) ?? 0) + 1);
  return Math.max(2, Math.min(requested, ...counts.values()));
}

/** Runs the comparison. Deterministic for a seed (apart from the measured times). */
export function compareModels(X: number[][], y: number[], nClasses: number, options: CompareOptions = {}): Comparison {
  const steps = comparisonSteps(X, y, nClasses, options);
  for (;;) {
    const step = steps.next();
    if (step.done) return step.value;
  }
}

/**
 * The same comparison, with the same results, giving the event loop a turn before every fold: a TUI keeps drawing
 * and reading keys while the models train. Rejects with the signal's reason once `signal` is aborted.
 */
export async function compareModelsAsync(
  X: number[][],
  y: number[],
  nClasses: number,
  options: CompareOptions & { signal?: AbortSignal } = {},
): Promise<Comparison> {
  const steps = comparisonSteps(X, y, nClasses, options);
  for (;;) {
    await new Promise<void>((resolve) => setImmediate(resolve));
    options.signal?.throwIfAborted();
    const step = steps.next();
    if (step.done) return step.value;
  }
}

/** The comparison as a generator that pauses after every fit (one fold of one model), so callers choose how to wait between them. */
function* comparisonSteps(X: number[][], y: number[], nClasses: number, options: CompareOptions): Generator<void, Comparison> {
  const seed = options.seed ?? 0;
  const settings = { seed, trees: options.trees ?? 100, hidden: options.hidden ?? 32, epochs: options.epochs ?? 100 };
  const split: FoldKind = options.split ?? 'stratified';
  if (split === 'time' && options.times?.length !== y.length) throw new Error('folds in blocks of time need a time for every row');
  // Blocks of time need no class in every fold (a class may belong to one season); two rows per block at least.
  const k = split === 'time' ? Math.max(2, Math.min(options.folds ?? 5, Math.floor(y.length / 2))) : foldCount(y, options.folds ?? 5);
  const order = split === 'time' ? timeOrder(options.times!) : null;
  const splits = order ? timeBlockFolds(order, k) : stratifiedKFold(y, k, seed);
  const models = options.models ?? PROJECT_MODELS;
  const results: ModelResult[] = [];
  const forestImportances: number[][] = [];
  for (const name of models) {
    options.onStatus?.(`cross-validating ${MODEL_TITLES[name]} (${k} folds)`);
    // A pause after each status line, so a screen can show it before the fits it announces.
    yield;
    const scores = { acc: [] as number[], bal: [] as number[], f1: [] as number[], train: [] as number[], secs: [] as number[] };
    const confusion = Array.from({ length: nClasses }, () => new Array<number>(nClasses).fill(0));
    let parameters = 0;
    for (const split of splits) {
      const model = makeProjectModel(name, settings);
      const [Xtr, ytr, Xte, yte] = [take(X, split.train), take(y, split.train), take(X, split.test), take(y, split.test)];
      const t0 = performance.now();
      model.fit(Xtr, ytr);
      scores.secs.push((performance.now() - t0) / 1000);
      const pred = model.predict(Xte);
      scores.acc.push(accuracy(yte, pred));
      scores.bal.push(balancedAccuracy(yte, pred));
      scores.f1.push(macroF1(yte, pred));
      scores.train.push(accuracy(ytr, model.predict(Xtr)));
      confusionMatrix(yte, pred, nClasses).forEach((row, a) => row.forEach((v, b) => (confusion[a]![b]! += v)));
      parameters = countParameters(model, Xtr[0]!.length, nClasses, Xtr.length);
      if (model instanceof RandomForestClassifier) forestImportances.push(model.featureImportances);
      yield;
    }
    results.push({
      model: name,
      accuracy: meanStd(scores.acc),
      balancedAccuracy: meanStd(scores.bal),
      macroF1: meanStd(scores.f1),
      trainAccuracy: meanStd(scores.train),
      fitSeconds: meanStd(scores.secs),
      confusion,
      parameters,
    });
  }
  // Ties broken by list order, so the ranking is stable for a seed.
  const ranking = results
    .map((r, i) => [r, i] as const)
    .sort((a, b) => b[0].balancedAccuracy.mean - a[0].balancedAccuracy.mean || a[1] - b[1])
    .map(([r]) => r.model);
  const curves: LearningCurve[] = [];
  for (const name of ranking.slice(0, 2)) {
    options.onStatus?.(`learning curve of ${MODEL_TITLES[name]}`);
    yield;
    curves.push(yield* learningCurve(X, y, splits, name, settings));
  }
  options.onStatus?.(`permutation importance of ${MODEL_TITLES[ranking[0]!]}`);
  yield;
  const importance = yield* foldImportance(X, y, splits, ranking[0]!, settings);
  const forestImportance =
    forestImportances.length > 0 ? forestImportances[0]!.map((_, j) => forestImportances.reduce((s, f) => s + f[j]!, 0) / forestImportances.length) : null;
  return {
    k,
    seed,
    testFolds: splits.map((s) => s.test),
    split,
    time: order ? { column: options.timeColumn ?? 'time', order } : null,
    results,
    ranking,
    curves,
    importance,
    forestImportance,
    settings: { trees: settings.trees, hidden: settings.hidden, epochs: settings.epochs },
  };
}

/** How the comparison's folds were made, in words: `5-fold stratified CV`, `5 folds in blocks of time ("date")`. */
export function foldsLabel(cmp: Pick<Comparison, 'k' | 'time'>): string {
  return cmp.time ? `${cmp.k} folds in blocks of time ("${cmp.time.column}")` : `${cmp.k}-fold stratified CV`;
}

/** Row indices sorted by time (ties in row order). */
export function timeOrder(times: readonly number[]): number[] {
  return times.map((_, i) => i).sort((a, b) => times[a]! - times[b]! || a - b);
}

/**
 * Folds that are consecutive blocks of rows in time `order`, sized as scikit-learn's `KFold(k)` without shuffling
 * sizes them (the first n mod k blocks one row larger), so the notebook can rebuild them. Each fold tests on one
 * period and trains on all the others; test and training rows are sorted by index.
 */
export function timeBlockFolds(order: readonly number[], k: number): Split[] {
  const n = order.length;
  const folds: Split[] = [];
  let start = 0;
  for (let f = 0; f < k; f++) {
    const size = Math.floor(n / k) + (f < n % k ? 1 : 0);
    const test = new Set(order.slice(start, start + size));
    start += size;
    folds.push({ test: [...test].sort((a, b) => a - b), train: order.filter((i) => !test.has(i)).sort((a, b) => a - b) });
  }
  return folds;
}

/** Fractions of each training fold used for the learning curve. */
export const CURVE_FRACTIONS = [0.1, 0.25, 0.5, 0.75, 1];

function* learningCurve(
  X: number[][],
  y: number[],
  splits: Split[],
  name: ProjectModel,
  settings: { seed: number; trees: number; hidden: number; epochs: number },
): Generator<void, LearningCurve> {
  const sizes: number[] = [];
  const train: number[] = [];
  const test: number[] = [];
  for (const fraction of CURVE_FRACTIONS) {
    let [s, tr, te, used] = [0, 0, 0, 0];
    for (const [f, split] of splits.entries()) {
      const ytrAll = take(y, split.train);
      let rows = split.train;
      if (fraction < 1) {
        // A stratified subset, so small training sets still hold every class where they can.
        const nClasses = new Set(ytrAll).size;
        const want = Math.max(nClasses * 2, Math.round(fraction * split.train.length));
        if (want >= split.train.length) continue;
        rows = take(split.train, stratifiedSplit(ytrAll, want / split.train.length, settings.seed + f).test);
      }
      const ytr = take(y, rows);
      if (new Set(ytr).size < 2 || (ytr.length < 5 && name === 'knn')) continue;
      const model = makeProjectModel(name, settings);
      model.fit(take(X, rows), ytr);
      s += rows.length;
      tr += accuracy(ytr, model.predict(take(X, rows)));
      te += accuracy(take(y, split.test), model.predict(take(X, split.test)));
      used++;
      yield;
    }
    if (used === 0) continue;
    sizes.push(s / used);
    train.push(tr / used);
    test.push(te / used);
  }
  return { model: name, trainSizes: sizes, trainScore: train, testScore: test };
}

function* foldImportance(
  X: number[][],
  y: number[],
  splits: Split[],
  name: ProjectModel,
  settings: { seed: number; trees: number; hidden: number; epochs: number },
): Generator<void, Importance> {
  const perFold: number[][] = [];
  const rng = createRng(settings.seed);
  for (const split of splits) {
    const model = makeProjectModel(name, settings);
    model.fit(take(X, split.train), take(y, split.train));
    const yte = take(y, split.test);
    const imp = permutationImportance(take(X, split.test), (Xp) => balancedAccuracy(yte, model.predict(Xp)), { repeats: 3, seed: rng.int(2 ** 31) });
    perFold.push(imp.mean);
    yield;
  }
  const d = X[0]!.length;
  const mean = Array.from({ length: d }, (_, j) => perFold.reduce((s, f) => s + f[j]!, 0) / perFold.length);
  const std = Array.from({ length: d }, (_, j) => Math.sqrt(perFold.reduce((s, f) => s + (f[j]! - mean[j]!) ** 2, 0) / perFold.length));
  return { model: name, mean, std };
}

/** Numbers a fitted model keeps to predict: weights for the parametric ones, stored rows for kNN, nodes for the forest. */
function countParameters(model: Classifier, d: number, k: number, nTrain: number): number {
  const inner = model instanceof ScaledClassifier ? model.model : model;
  if (inner instanceof MlpClassifier) return inner.parameterCount();
  if (inner instanceof KNeighborsClassifier) return nTrain * d;
  if (inner instanceof LogisticRegression) return k * (d + 1);
  if (inner instanceof LinearSVC) return inner.coef.length * (d + 1);
  if (inner instanceof GaussianNB) return k * (2 * d + 1);
  // A split node keeps a feature index and a threshold: count two numbers per node as the forest's size.
  if (inner instanceof RandomForestClassifier) return 2 * forestNodes(inner);
  return 0;
}

/** Nodes over all trees; the forest keeps its trees private, so read them defensively (0 if that ever changes). */
function forestNodes(forest: RandomForestClassifier): number {
  const trees = (forest as unknown as { trees?: unknown }).trees;
  if (!Array.isArray(trees)) return 0;
  return trees.reduce((s: number, t: { toJSON?: () => { n_nodes?: number } }) => s + (t.toJSON?.().n_nodes ?? 0), 0);
}

/** Mean and population standard deviation (numpy's default). */
export function meanStd(values: readonly number[]): MeanStd {
  return { mean: mean(values), std: std(values), folds: values.slice() };
}
