// `eds run classify` and the lessons' classification steps: fit one classifier, report accuracy, per-class scores and the confusion matrix.
import { UserError } from '../errors.js';
import { CLASSIFIER_CATALOGUE, createClassifier, ownOptions } from '../ml/catalogue.js';
import { LogisticRegression } from '../ml/logistic.js';
import { ScaledClassifier } from '../ml/preprocess.js';
import { LinearSVC } from '../ml/svm.js';
import { DecisionTreeClassifier, RandomForestClassifier } from '../ml/tree.js';
import { accuracy, balancedAccuracy, classReport, confusionMatrix, macroF1, rocAuc } from '../ml/metrics.js';
import { crossValidate, permutationImportance, stratifiedKFold, take } from '../ml/validation.js';
import type { Classifier } from '../ml/types.js';
import { renderBarChart } from '../render/bar.js';
import { renderConfusionMatrix } from '../render/confusion.js';
import {
  encodeLabels,
  fmt,
  keyValueFigure,
  lidarLoadedData,
  loadData,
  resolveFeatures,
  resolveTarget,
  rowTimes,
  selectRows,
  splitRows,
  type DataOptions,
} from './common.js';
import { mean as meanOfFinite, round } from '../util/stats.js';
import type { ExperimentResult, Figure } from './types.js';
import type { LidarTableSpec } from '../lidar/table.js';
import { kebabCase } from '../tasks/declare.js';
import { CLASSIFY_MODEL_NAMES } from '../tasks/options.js';

/** The classifiers `eds run classify --model` accepts. */
/** The classifiers `eds run classify --model` accepts (declared with the task's options). */
export const CLASSIFY_MODELS = CLASSIFY_MODEL_NAMES;
/** One of `CLASSIFY_MODELS`. */
export type ClassifyModelName = (typeof CLASSIFY_MODELS)[number];

/** Options of a classification experiment. */
export interface ClassifyOptions extends DataOptions {
  /** Which model (default rf). */
  model?: ClassifyModelName;
  /** k of k-NN (default 5). */
  neighbors?: number;
  /** Trees in the random forest (default 100). */
  trees?: number;
  /** Maximum depth of trees (default unlimited). */
  maxDepth?: number;
  /** Inverse regularisation of logistic regression and the SVM (default 1). */
  C?: number;
  /** Most solver iterations of logistic regression and the SVM (default 1000). */
  maxIter?: number;
  /** Standardise features on the training rows; default true for knn, logreg and svm, false otherwise. */
  standardize?: boolean;
  /** k for stratified k-fold cross-validation on the training rows (off when absent). */
  cv?: number;
  /** Compute permutation importance on the test rows (trees and forests always report impurity importance). */
  importance?: boolean;
  /** Multiscale lidar features of core points instead of a table (`--points FILE:LABEL`, `--scales`, `--core-points`). */
  lidar?: LidarTableSpec;
}

/** Builds an unfitted classifier from the catalogue, wrapped in a standard scaler where the model needs one (or as `standardize` says). */
export function makeClassifier(options: ClassifyOptions): Classifier {
  const name = options.model ?? 'rf';
  if (!(CLASSIFY_MODELS as readonly string[]).includes(name)) throw new UserError(`unknown classifier "${String(name)}" (${CLASSIFY_MODELS.join(', ')})`);
  // Each model takes only its own options; the others the task accepts are left for the models that use them.
  const given: Record<string, number | undefined> = {
    neighbors: options.neighbors,
    trees: options.trees,
    maxDepth: options.maxDepth,
    C: options.C,
    maxIter: options.maxIter,
  };
  try {
    return createClassifier(name, ownOptions(CLASSIFIER_CATALOGUE[name].options, given), options.seed ?? 0, options.standardize);
  } catch (err) {
    throw new UserError(`--${(err as Error).message.replace(/^\w+/, kebabCase)}`);
  }
}

function fitOrExplain(model: Classifier, X: number[][], y: number[]): void {
  try {
    model.fit(X, y);
  } catch (err) {
    throw new UserError(`cannot train: ${(err as Error).message}`);
  }
}

/** Runs one classification experiment. */
export async function runClassify(options: ClassifyOptions): Promise<ExperimentResult> {
  const seed = options.seed ?? 0;
  const modelName = options.model ?? 'rf';
  const loaded = options.lidar ? await lidarLoadedData(options.lidar, seed) : await loadData(options);
  const target = resolveTarget(loaded, options, true)!;
  const features = resolveFeatures(loaded, options, target);
  const timeColumns = options.timeColumns ?? loaded.dataset?.timeColumns ?? [];
  const useTime = options.split === 'time' && timeColumns.length > 0;
  const all = selectRows(loaded.table, features, target, false, useTime ? timeColumns : []);
  let dropped = all.dropped + loaded.droppedByReader;
  const test = loaded.testTable ? selectRows(loaded.testTable, features, target, false) : null;
  if (test) dropped += test.dropped;
  const { labels, codes } = encodeLabels([...all.target, ...(test?.target ?? [])]);
  if (labels.length > 100)
    throw new UserError(`column "${target}" has ${labels.length} distinct values: is it a class label? (for numbers, use eds run regression)`);
  const yAll = codes(all.target);
  let Xtr: number[][], ytr: number[], Xte: number[][], yte: number[];
  let splitMethod = 'files';
  if (test) {
    [Xtr, ytr, Xte, yte] = [all.X, yAll, test.X, codes(test.target)];
  } else {
    const times = useTime ? rowTimes(loaded.table, all.rows, timeColumns) : null;
    const split = splitRows(all.X.length, options, yAll, times, 'stratified');
    splitMethod = split.method;
    [Xtr, ytr, Xte, yte] = [take(all.X, split.train), take(yAll, split.train), take(all.X, split.test), take(yAll, split.test)];
  }
  if (new Set(ytr).size < 2) throw new UserError(`the training rows hold only one class of "${target}": nothing to learn`);
  if (Xte.length === 0) throw new UserError('no test rows left after dropping missing values');
  const model = makeClassifier(options);
  fitOrExplain(model, Xtr, ytr);
  const pred = model.predict(Xte);
  const k = labels.length;
  const cm = confusionMatrix(yte, pred, k);
  const rep = classReport(cm);
  const json: Record<string, unknown> = {
    task: 'classify',
    model: modelName,
    seed,
    source: options.lidar ? loaded.table.source : (options.dataset ?? options.data ?? `${options.train} + ${options.test}`),
    target,
    features,
    split: splitMethod,
    standardized: model instanceof ScaledClassifier,
    n_train: Xtr.length,
    n_test: Xte.length,
    n_dropped: dropped,
    dropped: { missing_value: dropped - loaded.droppedByReader, too_many_fields: loaded.droppedByReader },
    accuracy: round(accuracy(yte, pred)),
    balanced_accuracy: round(balancedAccuracy(yte, pred)),
    macro_f1: round(macroF1(yte, pred)),
    train_accuracy: round(accuracy(ytr, model.predict(Xtr))),
    per_class: Object.fromEntries(
      labels.map((l, c) => [l, { precision: round(rep.precision[c]!), recall: round(rep.recall[c]!), f1: round(rep.f1[c]!), support: rep.support[c]! }]),
    ),
    // Intersection over union, TP / (TP + FP + FN): the point-cloud segmentation score, harder on a class that is both missed and over-predicted.
    iou: Object.fromEntries(labels.map((l, c) => [l, round(iouOf(cm, c))])),
    mean_iou: round(meanOfFinite(labels.map((_, c) => iouOf(cm, c)))),
    confusion: { labels, matrix: cm },
  };
  // A scaled SVM has the method but no probabilities behind it: ask the wrapped model.
  const probabilistic = model instanceof ScaledClassifier ? Boolean(model.model.predictProba) : Boolean(model.predictProba);
  if (k === 2 && probabilistic && model.predictProba && new Set(yte).size === 2) {
    json.roc_auc = round(
      rocAuc(
        yte,
        model.predictProba(Xte).map((p) => p[1] ?? 0),
      ),
    );
  }
  if (options.cv !== undefined) {
    let folds: ReturnType<typeof stratifiedKFold>;
    try {
      folds = stratifiedKFold(ytr, options.cv, seed);
    } catch (err) {
      throw new UserError(`--cv: ${(err as Error).message}`);
    }
    const cv = crossValidate(folds, 'accuracy', (s) => {
      const m = makeClassifier(options);
      fitOrExplain(m, take(Xtr, s.train), take(ytr, s.train));
      return accuracy(take(ytr, s.test), m.predict(take(Xtr, s.test)));
    });
    json.cv = { metric: cv.metric, mean: round(cv.mean), std: round(cv.std), folds: cv.folds.map((v) => round(v)) };
  }
  const inner = model instanceof ScaledClassifier ? model.model : model;
  // Iterative solvers say whether they reached their tolerance; an unfinished fit has scores of its own.
  if (inner instanceof LogisticRegression || inner instanceof LinearSVC) {
    json.converged = inner.converged;
    json.n_iter = inner.nIter;
  }
  if (inner instanceof RandomForestClassifier || inner instanceof DecisionTreeClassifier) {
    json.feature_importance = {
      method: 'impurity (mean decrease in Gini)',
      values: Object.fromEntries(features.map((f, j) => [f, round(inner.featureImportances[j]!)])),
    };
  }
  if (options.importance) {
    const imp = permutationImportance(Xte, (X) => accuracy(yte, model.predict(X)), { seed });
    json.feature_importance = { method: 'permutation (drop in test accuracy)', values: Object.fromEntries(features.map((f, j) => [f, round(imp.mean[j]!)])) };
  }
  return { json, figures: classifyFigures(json, labels, cm) };
}

/** The one-line warning shown first when the solver stopped before its tolerance. */
function notConvergedFigure(json: Record<string, unknown>): Figure {
  const what = json.model === 'svm' ? 'the linear SVM' : 'logistic regression';
  const advice = json.standardized ? 'raise --max-iter' : 'standardise the features (leave out --no-standardize) or raise --max-iter';
  return { title: `Warning: ${what} did not converge in ${json.n_iter} iterations`, render: () => `The scores are those of an unfinished fit: ${advice}.` };
}

/** IoU of class `c` from a confusion matrix (rows true, columns predicted); NaN (null in JSON) for a class neither true nor predicted in the test rows. */
function iouOf(cm: readonly (readonly number[])[], c: number): number {
  const tp = cm[c]![c]!;
  const union = cm[c]!.reduce((a, b) => a + b, 0) + cm.reduce((a, r) => a + r[c]!, 0) - tp;
  return union === 0 ? NaN : tp / union;
}

function classifyFigures(json: Record<string, unknown>, labels: string[], cm: number[][]): Figure[] {
  const rows: [string, string][] = [
    ['model', `${json.model}${json.standardized ? ' (standardised features)' : ''}`],
    ['rows: train / test / dropped', `${json.n_train} / ${json.n_test} / ${json.n_dropped}`],
    ['accuracy (test)', fmt(json.accuracy as number)],
    ['balanced accuracy', fmt(json.balanced_accuracy as number)],
    ['macro F1', fmt(json.macro_f1 as number)],
    ['accuracy (train)', fmt(json.train_accuracy as number)],
  ];
  if (json.roc_auc !== undefined) rows.push(['ROC AUC', fmt(json.roc_auc as number)]);
  const cv = json.cv as { metric: string; mean: number; std: number; folds: number[] } | undefined;
  if (cv) rows.push([`${cv.folds.length}-fold CV ${cv.metric}`, `${fmt(cv.mean)} ± ${fmt(cv.std)}`]);
  const figures: Figure[] = [
    ...(json.converged === false ? [notConvergedFigure(json)] : []),
    keyValueFigure('Metrics', rows),
    { title: 'Confusion matrix, test set (rows: true class, columns: predicted)', render: (caps) => renderConfusionMatrix(labels, cm, caps) },
  ];
  const importance = json.feature_importance as { method: string; values: Record<string, number> } | undefined;
  if (importance) {
    figures.push({
      title: `Feature importance: ${importance.method}`,
      render: (caps) =>
        renderBarChart(
          Object.entries(importance.values).map(([label, value]) => ({ label, value })),
          caps,
          { sort: true },
        ),
    });
  }
  return figures;
}
