// The one catalogue of models: each name maps to its options (scikit-learn's meanings and defaults, one spelling for
// every caller: lessons, `eds run`, the project) and a constructor taking those options and a seed.
import { agglomerativeWard, dbscan, kMeans } from './cluster.js';
import { KNeighborsClassifier, KNeighborsRegressor } from './knn.js';
import { LogisticRegression } from './logistic.js';
import { MlpClassifier } from './mlp.js';
import { GaussianNB } from './naive-bayes.js';
import { ScaledClassifier, ScaledRegressor } from './preprocess.js';
import { HuberRegressor, LinearRegression, LogLogRegression, PolynomialRegression, RansacRegressor } from './regression.js';
import { LinearSVC } from './svm.js';
import { DecisionTreeClassifier, DecisionTreeRegressor, RandomForestClassifier, RandomForestRegressor } from './tree.js';
import { inertia } from './metrics.js';
import type { Classifier, Matrix, Regressor } from './types.js';

/** One option of a model: its kind, default (undefined: none, e.g. unlimited depth), range and a line of help. */
export type ModelOption =
  | { type: 'int'; default?: number; min: number; max?: number; help: string }
  | { type: 'number'; default?: number; min?: number; exclusiveMin?: number; max?: number; help: string };

/** The options a model takes, by name (camelCase here; `--kebab-case` on the command line). */
export type ModelOptionSpecs = Readonly<Record<string, ModelOption>>;

/** Option values as callers pass them (only names the model declares; absent = its default). */
export type ModelOptionValues = Readonly<Record<string, number | undefined>>;

/** A clustering of rows: one label per row (−1 = noise, for DBSCAN) and the within-cluster sum of squares. */
export interface Clustering {
  labels: number[];
  inertia: number;
}

/** A clustering method: fits and labels the rows in one go (as scikit-learn's fit_predict). */
export interface Clusterer {
  fitPredict(X: Matrix): Clustering;
}

/** A catalogue entry. */
export interface ModelEntry<M> {
  /** Human name, for tables and figure titles. */
  title: string;
  /** Distances or gradients depend on the features' units: standardise them first unless told otherwise. */
  needsScaling: boolean;
  /** Options with defaults. */
  options: ModelOptionSpecs;
  /** Builds an unfitted model from checked options (defaults filled in) and a seed. */
  create(options: Readonly<Record<string, number | undefined>>, seed: number): M;
}

// Shared option declarations, so one meaning has one name and one default everywhere.
const neighbors: ModelOption = { type: 'int', default: 5, min: 1, help: 'k, the number of nearest neighbours' };
const C: ModelOption = { type: 'number', default: 1, exclusiveMin: 0, help: 'inverse regularisation strength (larger fits the training rows harder)' };
const maxIter: ModelOption = { type: 'int', default: 1000, min: 1, help: 'maximum solver iterations' };
const maxDepth: ModelOption = { type: 'int', min: 1, help: 'maximum depth of a tree (default unlimited)' };
const minSamplesLeaf: ModelOption = { type: 'int', default: 1, min: 1, help: 'fewest training rows in a leaf' };
const trees: ModelOption = { type: 'int', default: 100, min: 1, help: 'number of trees in the forest' };
const k: ModelOption = { type: 'int', default: 3, min: 1, help: 'number of clusters' };


/** Classifiers, by the name `--model` and lessons use. */
export const CLASSIFIER_CATALOGUE = {
  knn: {
    title: 'k-nearest neighbours',
    needsScaling: true,
    options: { neighbors },
    create: (o) => new KNeighborsClassifier(o.neighbors ?? 5),
  },
  logreg: {
    title: 'logistic regression',
    needsScaling: true,
    options: { C, maxIter },
    create: (o) => new LogisticRegression({ C: o.C, maxIterations: o.maxIter }),
  },
  svm: {
    title: 'linear SVM',
    needsScaling: true,
    options: { C, maxIter },
    create: (o, seed) => new LinearSVC({ C: o.C, maxIterations: o.maxIter, seed }),
  },
  tree: {
    title: 'decision tree',
    needsScaling: false,
    options: { maxDepth, minSamplesLeaf },
    create: (o, seed) => new DecisionTreeClassifier({ maxDepth: o.maxDepth, minSamplesLeaf: o.minSamplesLeaf, seed }),
  },
  rf: {
    title: 'random forest',
    needsScaling: false,
    options: { trees, maxDepth, minSamplesLeaf },
    create: (o, seed) => new RandomForestClassifier({ trees: o.trees, maxDepth: o.maxDepth, minSamplesLeaf: o.minSamplesLeaf, seed }),
  },
  nb: {
    title: 'Gaussian naive Bayes',
    needsScaling: false,
    options: {},
    create: () => new GaussianNB(),
  },
  mlp: {
    title: 'neural network (MLP)',
    needsScaling: true,
    options: {
      hidden: { type: 'int', default: 32, min: 1, help: 'units in the hidden layer' },
      epochs: { type: 'int', default: 100, min: 1, help: 'passes over the training rows' },
      learningRate: { type: 'number', default: 0.01, exclusiveMin: 0, help: 'Adam step size' },
      alpha: { type: 'number', default: 1e-4, min: 0, help: 'L2 penalty on the weights' },
      batchSize: { type: 'int', default: 32, min: 1, help: 'rows per mini-batch' },
    },
    create: (o, seed) => new MlpClassifier({ hidden: o.hidden, epochs: o.epochs, learningRate: o.learningRate, alpha: o.alpha, batchSize: o.batchSize, seed }),
  },
} satisfies Record<string, ModelEntry<Classifier>>;

/** Regressors, by the name `--model` and lessons use. */
export const REGRESSOR_CATALOGUE = {
  linear: {
    title: 'linear',
    needsScaling: false,
    options: {},
    create: () => new LinearRegression(),
  },
  poly: {
    title: 'polynomial',
    needsScaling: false,
    options: { degree: { type: 'int', default: 2, min: 1, max: 10, help: 'polynomial degree' } },
    create: (o) => new PolynomialRegression(o.degree ?? 2),
  },
  huber: {
    title: 'Huber',
    needsScaling: false,
    options: {
      epsilon: { type: 'number', default: 1.35, min: 1, help: 'residuals beyond epsilon·σ are down-weighted' },
      alpha: { type: 'number', default: 1e-4, min: 0, help: 'L2 penalty on the coefficients' },
    },
    create: (o) => new HuberRegressor({ epsilon: o.epsilon, alpha: o.alpha }),
  },
  ransac: {
    title: 'RANSAC',
    needsScaling: false,
    options: {
      residualThreshold: { type: 'number', exclusiveMin: 0, help: 'inlier threshold in target units (default: MAD of the target)' },
      maxTrials: { type: 'int', default: 100, min: 1, help: 'random subsets tried' },
    },
    create: (o, seed) => new RansacRegressor({ residualThreshold: o.residualThreshold, maxTrials: o.maxTrials, seed }),
  },
  loglog: {
    title: 'power law (linear in log–log)',
    needsScaling: false,
    options: {},
    create: () => new LogLogRegression(),
  },
  knn: {
    title: 'k-nearest neighbours',
    needsScaling: true,
    options: { neighbors },
    create: (o) => new KNeighborsRegressor(o.neighbors ?? 5),
  },
  tree: {
    title: 'decision tree',
    needsScaling: false,
    options: { maxDepth, minSamplesLeaf },
    create: (o, seed) => new DecisionTreeRegressor({ maxDepth: o.maxDepth, minSamplesLeaf: o.minSamplesLeaf, seed }),
  },
  rf: {
    title: 'random forest',
    needsScaling: false,
    options: { trees, maxDepth, minSamplesLeaf },
    create: (o, seed) => new RandomForestRegressor({ trees: o.trees, maxDepth: o.maxDepth, minSamplesLeaf: o.minSamplesLeaf, seed }),
  },
} satisfies Record<string, ModelEntry<Regressor>>;

/** Clustering methods, by the name `--model` and lessons use. */
export const CLUSTERER_CATALOGUE = {
  kmeans: {
    title: 'k-means',
    needsScaling: true,
    options: { k, nInit: { type: 'int', default: 10, min: 1, help: 'k-means++ starts (the lowest inertia wins)' } },
    create: (o, seed) => ({
      fitPredict: (X: Matrix) => {
        const res = kMeans(X, { k: o.k ?? 3, nInit: o.nInit ?? 10, seed });
        return { labels: res.labels, inertia: res.inertia };
      },
    }),
  },
  dbscan: {
    title: 'DBSCAN',
    needsScaling: true,
    options: {
      eps: { type: 'number', default: 0.5, exclusiveMin: 0, help: 'neighbourhood radius, in (standardised) feature units' },
      minSamples: { type: 'int', default: 5, min: 1, help: 'rows within eps (itself included) that make a core point' },
    },
    create: (o) => ({
      fitPredict: (X: Matrix) => {
        const labels = dbscan(X, { eps: o.eps ?? 0.5, minSamples: o.minSamples ?? 5 });
        return { labels, inertia: inertia(X, labels) };
      },
    }),
  },
  agglomerative: {
    title: 'agglomerative (Ward)',
    needsScaling: true,
    options: { k },
    create: (o) => ({
      fitPredict: (X: Matrix) => {
        const labels = agglomerativeWard(X, o.k ?? 3);
        return { labels, inertia: inertia(X, labels) };
      },
    }),
  },
} satisfies Record<string, ModelEntry<Clusterer>>;

/** Names of the classifiers. */
export type ClassifierName = keyof typeof CLASSIFIER_CATALOGUE;
/** Names of the regressors. */
export type RegressorName = keyof typeof REGRESSOR_CATALOGUE;
/** Names of the clustering methods. */
export type ClustererName = keyof typeof CLUSTERER_CATALOGUE;

/** Classifier names in catalogue order (the order tables list them). */
export const CLASSIFIERS = Object.keys(CLASSIFIER_CATALOGUE) as ClassifierName[];
/** Regressor names in catalogue order. */
export const REGRESSORS = Object.keys(REGRESSOR_CATALOGUE) as RegressorName[];
/** Clustering method names in catalogue order. */
export const CLUSTERERS = Object.keys(CLUSTERER_CATALOGUE) as ClustererName[];

/** Every option name any model of a kind takes, with its declaration (one meaning per name, checked by a test). */
export function optionsOfKind(kind: 'classifier' | 'regressor' | 'clusterer'): Record<string, ModelOption> {
  const catalogue: Record<string, ModelEntry<unknown>> = kind === 'classifier' ? CLASSIFIER_CATALOGUE : kind === 'regressor' ? REGRESSOR_CATALOGUE : CLUSTERER_CATALOGUE;
  const out: Record<string, ModelOption> = {};
  for (const entry of Object.values(catalogue)) Object.assign(out, entry.options);
  return out;
}

/**
 * Checks option values against a model's declaration: a name it does not take, a non-integer where it counts, or a
 * value out of range is an error naming the option (callers turn it into a UserError). Returns the values with
 * defaults filled in.
 */
export function checkModelOptions(model: string, specs: ModelOptionSpecs, values: ModelOptionValues): Record<string, number | undefined> {
  const out: Record<string, number | undefined> = {};
  for (const key of Object.keys(values)) {
    if (values[key] !== undefined && !(key in specs)) throw new Error(`${model} takes no option "${key}" (it takes: ${Object.keys(specs).join(', ') || 'none'})`);
  }
  for (const [key, spec] of Object.entries(specs)) {
    const v = values[key] ?? spec.default;
    if (v !== undefined) {
      if (!Number.isFinite(v)) throw new Error(`${key} must be a number, got ${v}`);
      if (spec.type === 'int' && (!Number.isInteger(v) || v < spec.min)) throw new Error(`${key} must be an integer >= ${spec.min}, got ${v}`);
      if (spec.min !== undefined && v < spec.min) throw new Error(`${key} must be >= ${spec.min}, got ${v}`);
      if (spec.type === 'number' && spec.exclusiveMin !== undefined && !(v > spec.exclusiveMin)) throw new Error(`${key} must be > ${spec.exclusiveMin}, got ${v}`);
      if (spec.max !== undefined && v > spec.max) throw new Error(`${key} must be <= ${spec.max}, got ${v}`);
    }
    out[key] = v;
  }
  return out;
}

/** Builds an unfitted classifier from its catalogue name, options and seed; standardised when the model needs it unless `standardize` says otherwise. */
export function createClassifier(name: ClassifierName, options: ModelOptionValues = {}, seed = 0, standardize?: boolean): Classifier {
  const entry: ModelEntry<Classifier> = CLASSIFIER_CATALOGUE[name];
  const model = entry.create(checkModelOptions(name, entry.options, options), seed);
  return (standardize ?? entry.needsScaling) ? new ScaledClassifier(model) : model;
}

/** Builds an unfitted regressor from its catalogue name, options and seed; standardised features only where asked (`standardize`, default: the model needs it). */
export function createRegressor(name: RegressorName, options: ModelOptionValues = {}, seed = 0, standardize?: boolean): Regressor {
  const entry: ModelEntry<Regressor> = REGRESSOR_CATALOGUE[name];
  const model = entry.create(checkModelOptions(name, entry.options, options), seed);
  return (standardize ?? entry.needsScaling) ? new ScaledRegressor(model) : model;
}

/** Builds a clustering method from its catalogue name, options and seed (the caller standardises the rows). */
export function createClusterer(name: ClustererName, options: ModelOptionValues = {}, seed = 0): Clusterer {
  const entry: ModelEntry<Clusterer> = CLUSTERER_CATALOGUE[name];
  return entry.create(checkModelOptions(name, entry.options, options), seed);
}
