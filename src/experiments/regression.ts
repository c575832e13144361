// `eds run regression` and the lessons' regression steps: fit one model on a split, report RMSE/MAE/R² and draw predicted vs measured.
import { UserError } from '../errors.js';
import { REGRESSOR_CATALOGUE, REGRESSORS, createRegressor, ownOptions, type RegressorName } from '../ml/catalogue.js';
import { kebabCase } from '../tasks/declare.js';
import { mae, r2, rmse } from '../ml/metrics.js';
import { crossValidate, kFold, permutationImportance, take } from '../ml/validation.js';
import type { Regressor } from '../ml/types.js';
import { renderScatter } from '../render/scatter.js';
import { renderBarChart } from '../render/bar.js';
import { fmt, keyValueFigure, loadData, resolveFeatures, resolveTarget, rowTimes, selectRows, splitRows, type DataOptions } from './common.js';
import { round } from '../util/stats.js';
import type { ExperimentResult, Figure } from './types.js';

/** The regression models `eds run regression --model` accepts: the catalogue's regressors. */
export const REGRESSION_MODELS = REGRESSORS;
/** One of `REGRESSION_MODELS`. */
export type RegressionModelName = RegressorName;

/** Options of a regression experiment. */
export interface RegressionOptions extends DataOptions {
  /** Which model (default linear). */
  model?: RegressionModelName;
  /** Polynomial degree for `poly` (default 2). */
  degree?: number;
  /** Huber epsilon (default 1.35). */
  epsilon?: number;
  /** RANSAC inlier threshold in target units (default: MAD of the target). */
  residualThreshold?: number;
  /** k of `knn` (default 5). */
  neighbors?: number;
  /** Trees of `rf` (default 100). */
  trees?: number;
  /** Maximum depth of `tree` and `rf` (default unlimited). */
  maxDepth?: number;
  /** Standardise features on the training rows; default true for knn, false otherwise. */
  standardize?: boolean;
  /** k for k-fold cross-validation on the training rows (off when absent). */
  cv?: number;
  /** Compute permutation importance of each feature on the test rows. */
  importance?: boolean;
}

/** Builds an unfitted regressor from the catalogue; each model takes only its own options, the others are left for the models that use them. */
export function makeRegressor(options: RegressionOptions): Regressor {
  const name = options.model ?? 'linear';
  if (!(REGRESSION_MODELS as readonly string[]).includes(name))
    throw new UserError(`unknown regression model "${String(name)}" (${REGRESSION_MODELS.join(', ')})`);
  const given: Record<string, number | undefined> = {
    degree: options.degree,
    epsilon: options.epsilon,
    residualThreshold: options.residualThreshold,
    neighbors: options.neighbors,
    trees: options.trees,
    maxDepth: options.maxDepth,
  };
  try {
    return createRegressor(name, ownOptions(REGRESSOR_CATALOGUE[name].options, given), options.seed ?? 0, options.standardize);
  } catch (err) {
    throw new UserError(`--${(err as Error).message.replace(/^\w+/, kebabCase)}`);
  }
}

/** Fits with errors from the model (e.g. non-positive values in log–log) turned into one user-facing line. */
function fitOrExplain(model: Regressor, X: number[][], y: number[], what: string): void {
  try {
    model.fit(X, y);
  } catch (err) {
    throw new UserError(`${what}: ${(err as Error).message}`);
  }
}

/** Runs one regression experiment. Pure apart from reading the data files. */
export async function runRegression(options: RegressionOptions): Promise<ExperimentResult> {
  const seed = options.seed ?? 0;
  const modelName = options.model ?? 'linear';
  const loaded = await loadData(options);
  const target = resolveTarget(loaded, options, true)!;
  const features = resolveFeatures(loaded, options, target);
  const timeColumns = options.timeColumns ?? loaded.dataset?.timeColumns ?? [];
  const useTime = options.split === 'time' && timeColumns.length > 0;
  const all = selectRows(loaded.table, features, target, true, useTime ? timeColumns : []);
  let Xtr: number[][], ytr: number[], Xte: number[][], yte: number[];
  let dropped = all.dropped + loaded.droppedByReader;
  let splitMethod = 'files';
  if (loaded.testTable) {
    const test = selectRows(loaded.testTable, features, target, true);
    dropped += test.dropped;
    [Xtr, ytr, Xte, yte] = [all.X, all.target as number[], test.X, test.target as number[]];
  } else {
    const times = useTime ? rowTimes(loaded.table, all.rows, timeColumns) : null;
    const split = splitRows(all.X.length, options, null, times, 'random');
    splitMethod = split.method;
    [Xtr, ytr, Xte, yte] = [
      take(all.X, split.train),
      take(all.target as number[], split.train),
      take(all.X, split.test),
      take(all.target as number[], split.test),
    ];
  }
  if (Xtr.length < features.length + 2)
    throw new UserError(`only ${Xtr.length} training rows left for ${features.length} feature(s) (${dropped} dropped for missing values)`);
  if (Xte.length === 0) throw new UserError('no test rows left after dropping missing values');
  const model = makeRegressor(options);
  fitOrExplain(model, Xtr, ytr, 'training rows');
  const predTest = model.predict(Xte);
  const predTrain = model.predict(Xtr);
  const json: Record<string, unknown> = {
    task: 'regression',
    model: modelName,
    seed,
    source: options.dataset ?? options.data ?? `${options.train} + ${options.test}`,
    target,
    features,
    split: splitMethod,
    n_train: Xtr.length,
    n_test: Xte.length,
    n_dropped: dropped,
    dropped: { missing_value: dropped - loaded.droppedByReader, too_many_fields: loaded.droppedByReader },
    rmse_test: round(rmse(yte, predTest)),
    mae_test: round(mae(yte, predTest)),
    r2_test: round(r2(yte, predTest)),
    rmse_train: round(rmse(ytr, predTrain)),
    r2_train: round(r2(ytr, predTrain)),
    parameters: model.toJSON(),
  };
  if (options.cv !== undefined) {
    const folds = kFold(Xtr.length, options.cv, seed);
    const cv = crossValidate(folds, 'rmse', (s) => {
      const m = makeRegressor(options);
      fitOrExplain(m, take(Xtr, s.train), take(ytr, s.train), 'cross-validation fold');
      return rmse(take(ytr, s.test), m.predict(take(Xtr, s.test)));
    });
    json.cv = { metric: cv.metric, mean: round(cv.mean), std: round(cv.std), folds: cv.folds.map((v) => round(v)) };
  }
  if (options.importance) {
    const imp = permutationImportance(Xte, (X) => r2(yte, model.predict(X)), { seed });
    json.feature_importance = { method: 'permutation (drop in test R²)', values: Object.fromEntries(features.map((f, j) => [f, round(imp.mean[j]!)])) };
  }
  return { json, figures: regressionFigures(json, features, target, Xte, yte, predTest, model, modelName) };
}

function regressionFigures(
  json: Record<string, unknown>,
  features: string[],
  target: string,
  Xte: number[][],
  yte: number[],
  pred: number[],
  model: Regressor,
  modelName: string,
): Figure[] {
  const rows: [string, string][] = [
    [
      'model',
      `${modelName}${json.parameters && (json.parameters as { degree?: number }).degree ? ` (degree ${(json.parameters as { degree: number }).degree})` : ''}`,
    ],
    ['rows: train / test / dropped', `${json.n_train} / ${json.n_test} / ${json.n_dropped}`],
    ['RMSE test', fmt(json.rmse_test as number)],
    ['MAE test', fmt(json.mae_test as number)],
    ['R² test', fmt(json.r2_test as number)],
    ['RMSE train', fmt(json.rmse_train as number)],
  ];
  const cv = json.cv as { metric: string; mean: number; std: number; folds: number[] } | undefined;
  if (cv) rows.push([`${cv.folds.length}-fold CV ${cv.metric}`, `${fmt(cv.mean)} ± ${fmt(cv.std)}`]);
  const figures: Figure[] = [keyValueFigure('Metrics', rows)];
  const logAxes = modelName === 'loglog';
  if (features.length === 1) {
    // One feature: the data and the fitted curve over its range.
    const xs = Xte.map((r) => r[0]!);
    const lo = Math.min(...xs);
    const hi = Math.max(...xs);
    const grid = Array.from({ length: 60 }, (_, i) => (logAxes && lo > 0 ? lo * (hi / lo) ** (i / 59) : lo + ((hi - lo) * i) / 59));
    figures.push({
      title: `Test set: ${target} against ${features[0]}, with the ${modelName} fit`,
      render: (caps) =>
        renderScatter([{ name: 'test rows', x: xs, y: yte }], caps, {
          xAxis: { label: features[0], log: logAxes },
          yAxis: { label: target, log: logAxes },
          curves: [{ name: `${modelName} fit`, x: grid, y: model.predict(grid.map((v) => [v])) }],
        }),
    });
  }
  const lo = Math.min(...yte, ...pred);
  const hi = Math.max(...yte, ...pred);
  figures.push({
    title: 'Test set: predicted against measured (on the 1:1 line when perfect)',
    render: (caps) =>
      renderScatter([{ name: 'test rows', x: yte, y: pred }], caps, {
        xAxis: { label: `measured ${target}`, log: logAxes },
        yAxis: { label: `predicted ${target}`, log: logAxes },
        curves: [{ name: '1:1', x: [lo, hi], y: [lo, hi] }],
      }),
  });
  const importance = json.feature_importance as { values: Record<string, number> } | undefined;
  if (importance) {
    figures.push({
      title: 'Permutation importance (drop in test R²)',
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
