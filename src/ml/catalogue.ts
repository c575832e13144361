// The one catalogue of models: each name maps to its options (scikit-learn's meanings and defaults, one spelling for
// every caller: lessons, `eds run`, the project) and a constructor taking those options and a seed.
import { agglomerativeWard, dbscan, kMeans } from './cluster.js';
import { KNeighborsClassifier, KNeighborsRegressor } from './knn.js';
import { LogisticRegression } from './logistic.js';
import { MlpClassifier } from './mlp.js';
import { GaussianNB } from './naive-bayes.js';
import { ScaledClassifier, ScaledRegressor } from './preprocess.js';
import { HuberRegressor, LinearRegression, LogLogRegression, PolynomialRegression, RansacRegressor } from './regression.js';
import { LinearSVC, LinearSVR } from './svm.js';
import { DecisionTreeClassifier, DecisionTreeRegressor, RandomForestClassifier, RandomForestRegressor } from './tree.js';
import { inertia } from './metrics.js';
import type { Classifier, Matrix, Regressor } from './types.js';
import {
  CLASSIFIER_OPTIONS,
  CLUSTERER_OPTIONS,
  REGRESSOR_OPTIONS,
  checkModelOptions,
  type ClassifierName,
  type ClustererName,
  type ModelOptionSpecs,
  type ModelOptionValues,
  type RegressorName,
} from './model-specs.js';

export {
  CLASSIFIERS,
  CLUSTERERS,
  REGRESSORS,
  checkModelOptions,
  optionsOfKind,
  type ClassifierName,
  type ClustererName,
  type ModelOption,
  type ModelOptionSpecs,
  type RegressorName,
} from './model-specs.js';

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

/** Classifiers, by the name `--model` and lessons use. */
export const CLASSIFIER_CATALOGUE = {
  knn: {
    title: 'k-nearest neighbours',
    needsScaling: true,
    options: CLASSIFIER_OPTIONS.knn,
    create: (o) => new KNeighborsClassifier(o.neighbors ?? 5),
  },
  logreg: {
    title: 'logistic regression',
    needsScaling: true,
    options: CLASSIFIER_OPTIONS.logreg,
    create: (o) => new LogisticRegression({ C: o.C, maxIterations: o.maxIter }),
  },
  svm: {
    title: 'linear SVM',
    needsScaling: true,
    options: CLASSIFIER_OPTIONS.svm,
    create: (o, seed) => new LinearSVC({ C: o.C, maxIterations: o.maxIter, seed }),
  },
  tree: {
    title: 'decision tree',
    needsScaling: false,
    options: CLASSIFIER_OPTIONS.tree,
    create: (o, seed) => new DecisionTreeClassifier({ maxDepth: o.maxDepth, minSamplesLeaf: o.minSamplesLeaf, seed }),
  },
  rf: {
    title: 'random forest',
    needsScaling: false,
    options: CLASSIFIER_OPTIONS.rf,
    create: (o, seed) => new RandomForestClassifier({ trees: o.trees, maxDepth: o.maxDepth, minSamplesLeaf: o.minSamplesLeaf, seed }),
  },
  nb: {
    title: 'Gaussian naive Bayes',
    needsScaling: false,
    options: CLASSIFIER_OPTIONS.nb,
    create: () => new GaussianNB(),
  },
  mlp: {
    title: 'neural network (MLP)',
    needsScaling: true,
    options: CLASSIFIER_OPTIONS.mlp,
    create: (o, seed) => new MlpClassifier({ hidden: o.hidden, epochs: o.epochs, learningRate: o.learningRate, alpha: o.alpha, batchSize: o.batchSize, seed }),
  },
} satisfies Record<ClassifierName, ModelEntry<Classifier>>;

/** Regressors, by the name `--model` and lessons use. */
export const REGRESSOR_CATALOGUE = {
  linear: {
    title: 'linear',
    needsScaling: false,
    options: REGRESSOR_OPTIONS.linear,
    create: () => new LinearRegression(),
  },
  poly: {
    title: 'polynomial',
    needsScaling: false,
    options: REGRESSOR_OPTIONS.poly,
    create: (o) => new PolynomialRegression(o.degree ?? 2),
  },
  huber: {
    title: 'Huber',
    needsScaling: false,
    options: REGRESSOR_OPTIONS.huber,
    create: (o) => new HuberRegressor({ epsilon: o.epsilon, alpha: o.alpha }),
  },
  ransac: {
    title: 'RANSAC',
    needsScaling: false,
    options: REGRESSOR_OPTIONS.ransac,
    create: (o, seed) => new RansacRegressor({ residualThreshold: o.residualThreshold, maxTrials: o.maxTrials, seed }),
  },
  loglog: {
    title: 'power law (linear in log–log)',
    needsScaling: false,
    options: REGRESSOR_OPTIONS.loglog,
    create: () => new LogLogRegression(),
  },
  knn: {
    title: 'k-nearest neighbours',
    needsScaling: true,
    options: REGRESSOR_OPTIONS.knn,
    create: (o) => new KNeighborsRegressor(o.neighbors ?? 5),
  },
  tree: {
    title: 'decision tree',
    needsScaling: false,
    options: REGRESSOR_OPTIONS.tree,
    create: (o, seed) => new DecisionTreeRegressor({ maxDepth: o.maxDepth, minSamplesLeaf: o.minSamplesLeaf, seed }),
  },
  rf: {
    title: 'random forest',
    needsScaling: false,
    options: REGRESSOR_OPTIONS.rf,
    create: (o, seed) => new RandomForestRegressor({ trees: o.trees, maxDepth: o.maxDepth, minSamplesLeaf: o.minSamplesLeaf, seed }),
  },
  svr: {
    title: 'linear SVR',
    needsScaling: true,
    options: REGRESSOR_OPTIONS.svr,
    create: (o, seed) => new LinearSVR({ C: o.C, maxIterations: o.maxIter, seed }),
  },
} satisfies Record<RegressorName, ModelEntry<Regressor>>;

/** Clustering methods, by the name `--model` and lessons use. */
export const CLUSTERER_CATALOGUE = {
  kmeans: {
    title: 'k-means',
    needsScaling: true,
    options: CLUSTERER_OPTIONS.kmeans,
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
    options: CLUSTERER_OPTIONS.dbscan,
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
    options: CLUSTERER_OPTIONS.agglomerative,
    create: (o) => ({
      fitPredict: (X: Matrix) => {
        const labels = agglomerativeWard(X, o.k ?? 3);
        return { labels, inertia: inertia(X, labels) };
      },
    }),
  },
} satisfies Record<ClustererName, ModelEntry<Clusterer>>;

/** The options among `offered` that a model takes: a task offers every model's options, and each model reads its own. */
export function ownOptions(specs: ModelOptionSpecs, offered: ModelOptionValues): ModelOptionValues {
  return Object.fromEntries(Object.entries(offered).filter(([key]) => Object.hasOwn(specs, key)));
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
