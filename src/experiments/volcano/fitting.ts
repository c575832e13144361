// Fitting the lesson's classifiers on resampled, scaled training rows: one split, k folds, permutation importance inside the training rows.
import { UserError } from '../../errors.js';
import { macroF1 } from '../../ml/metrics.js';
import { StandardScaler } from '../../ml/preprocess.js';
import type { Classifier, Matrix } from '../../ml/types.js';
import { permutationImportance, stratifiedKFold, take, type Split } from '../../ml/validation.js';
import { makeClassifier, type ClassifyModelName } from '../classify.js';
import { scores, type Scores } from './metrics.js';
import { balanceRows, type Sampling } from './resampling.js';
import { meanStd } from './statistics.js';

/** Where the standardising scaler is fitted: training rows, all rows (a leak, shown on purpose), or none. */
export type Scaling = 'train' | 'all' | 'none';

/**
 * Fits `model` on the training rows (resampled as asked) and predicts the test rows. Scaling `train`
 * standardises with statistics of the training rows only; `all` fits the scaler on train and test
 * together (a leak, offered so students can see it); `none` feeds raw features.
 */
export function fitPredict(
  model: ClassifyModelName,
  X: Matrix,
  y: readonly number[],
  split: Split,
  sampling: Sampling,
  scaling: Scaling,
  seed: number,
): { pred: number[]; fitted: Classifier; trainRows: number[] } {
  const trainRows = balanceRows(y, split.train, sampling, seed);
  let Xtr = take(X, trainRows);
  let Xte = take(X, split.test);
  if (scaling === 'all') {
    const scaler = new StandardScaler().fit(X);
    Xtr = scaler.transform(Xtr);
    Xte = scaler.transform(Xte);
  }
  const fitted = makeClassifier({ model, seed, standardize: scaling === 'train' });
  try {
    fitted.fit(Xtr, take(y as number[], trainRows));
  } catch (err) {
    throw new UserError(`cannot train ${model}: ${(err as Error).message}`);
  }
  return { pred: fitted.predict(Xte), fitted, trainRows };
}

/** Stratified k-fold cross-validation of one model on the given rows: the three scores, mean ± std over folds. */
export function crossValidateModel(
  model: ClassifyModelName,
  X: Matrix,
  y: readonly number[],
  rows: readonly number[],
  folds: number,
  sampling: Sampling,
  scaling: Scaling,
  seed: number,
) {
  const yRows = take(y as number[], rows);
  let splits: Split[];
  try {
    splits = stratifiedKFold(yRows, folds, seed);
  } catch (err) {
    throw new UserError(`cross-validation: ${(err as Error).message}`);
  }
  const perFold = splits.map((s) => {
    const global = { train: take(rows as number[], s.train), test: take(rows as number[], s.test) };
    const { pred } = fitPredict(model, X, y, global, sampling, scaling, seed);
    return scores(take(y as number[], global.test), pred);
  });
  const summary = (key: keyof Scores) => meanStd(perFold.map((f) => f[key]));
  // The folds depend only on the rows, k and the seed: every model of one run is scored on the same folds, so the
  // per-fold scores can be compared fold by fold (paired).
  return { accuracy: summary('accuracy'), balanced_accuracy: summary('balanced_accuracy'), macro_f1: summary('macro_f1'), perFold };
}

/**
 * Permutation importance measured inside the training rows only: for each stratified fold of `rows`, the model
 * is fitted on the other folds and each feature is shuffled among the held-out fold's events (drop in macro-F1,
 * `repeats` shuffles). Returns the mean over folds and the std of the fold means. Rows outside `rows` (the test
 * events) are never read, so features picked by it can be scored honestly on the test set.
 */
export function innerFoldPermutationImportance(
  model: ClassifyModelName,
  X: Matrix,
  y: readonly number[],
  rows: readonly number[],
  folds: number,
  seed: number,
  repeats = 5,
): { mean: number[]; std: number[] } {
  let splits: Split[];
  try {
    splits = stratifiedKFold(take(y as number[], rows), folds, seed);
  } catch (err) {
    throw new UserError(`cross-validation: ${(err as Error).message}`);
  }
  const perFold = splits.map((s, k) => {
    const trainRows = take(rows as number[], s.train);
    const valRows = take(rows as number[], s.test);
    const fitted = makeClassifier({ model, seed, standardize: true });
    fitted.fit(take(X, trainRows), take(y as number[], trainRows));
    const yVal = take(y as number[], valRows);
    return permutationImportance(take(X, valRows), (Xp) => macroF1(yVal, fitted.predict(Xp)), { repeats, seed: seed + k }).mean;
  });
  const d = X[0]?.length ?? 0;
  const stats = Array.from({ length: d }, (_, j) => meanStd(perFold.map((m) => m[j]!)));
  return { mean: stats.map((s) => s.mean), std: stats.map((s) => s.std) };
}
