// The names of eds's models and their options (scikit-learn's meanings and defaults, one spelling everywhere), without
// the models' code: option schemas (src/tasks/options.ts) and help text import this light module, and the
// catalogue (./catalogue.ts) pairs each name with its constructor.

/** One option of a model: its kind, default (undefined: none, e.g. unlimited depth), range and a line of help. */
export type ModelOption =
  | { type: 'int'; default?: number; min: number; max?: number; help: string }
  | { type: 'number'; default?: number; min?: number; exclusiveMin?: number; max?: number; help: string };

/** The options a model takes, by name (camelCase here; `--kebab-case` on the command line). */
export type ModelOptionSpecs = Readonly<Record<string, ModelOption>>;

/** Option values as callers pass them (only names the model declares; absent = its default). */
export type ModelOptionValues = Readonly<Record<string, number | undefined>>;

// Shared option declarations, so one meaning has one name and one default everywhere.
const neighbors: ModelOption = { type: 'int', default: 5, min: 1, help: 'k, the number of nearest neighbours' };
const C: ModelOption = { type: 'number', default: 1, exclusiveMin: 0, help: 'inverse regularisation strength (larger fits the training rows harder)' };
const maxIter: ModelOption = { type: 'int', default: 1000, min: 1, help: 'maximum solver iterations' };
const maxDepth: ModelOption = { type: 'int', min: 1, help: 'maximum depth of a tree (default unlimited)' };
const minSamplesLeaf: ModelOption = { type: 'int', default: 1, min: 1, help: 'fewest training rows in a leaf' };
const trees: ModelOption = { type: 'int', default: 100, min: 1, help: 'number of trees in the forest' };
const alpha: ModelOption = { type: 'number', default: 1e-4, min: 0, help: "L2 penalty on the weights (scikit-learn's alpha)" };
const k: ModelOption = { type: 'int', default: 3, min: 1, help: 'number of clusters' };

/** Every classifier name, in the order tables list them. */
export const CLASSIFIERS = ['knn', 'logreg', 'svm', 'tree', 'rf', 'nb', 'mlp'] as const;
/** One of `CLASSIFIERS`. */
export type ClassifierName = (typeof CLASSIFIERS)[number];

/** The options of each classifier. */
export const CLASSIFIER_OPTIONS = {
  knn: { neighbors },
  logreg: { C, maxIter },
  svm: { C, maxIter },
  tree: { maxDepth, minSamplesLeaf },
  rf: { trees, maxDepth, minSamplesLeaf },
  nb: {},
  mlp: {
    hidden: { type: 'int', default: 32, min: 1, help: 'units in the hidden layer' },
    epochs: { type: 'int', default: 100, min: 1, help: 'passes over the training rows' },
    learningRate: { type: 'number', default: 0.01, exclusiveMin: 0, help: 'Adam step size' },
    alpha,
    batchSize: { type: 'int', default: 32, min: 1, help: 'rows per mini-batch' },
  },
} as const satisfies Record<ClassifierName, ModelOptionSpecs>;

/** Every regressor name, in the order tables list them. */
export const REGRESSORS = ['linear', 'poly', 'huber', 'ransac', 'loglog', 'knn', 'tree', 'rf', 'svr'] as const;
/** One of `REGRESSORS`. */
export type RegressorName = (typeof REGRESSORS)[number];

/** The options of each regressor. */
export const REGRESSOR_OPTIONS = {
  linear: {},
  poly: { degree: { type: 'int', default: 2, min: 1, max: 10, help: 'polynomial degree' } },
  huber: {
    epsilon: { type: 'number', default: 1.35, min: 1, help: 'residuals beyond epsilon·σ are down-weighted' },
    alpha,
  },
  ransac: {
    residualThreshold: { type: 'number', exclusiveMin: 0, help: 'inlier threshold in target units (default: MAD of the target)' },
    maxTrials: { type: 'int', default: 100, min: 1, help: 'random subsets tried' },
  },
  loglog: {},
  knn: { neighbors },
  tree: { maxDepth, minSamplesLeaf },
  rf: { trees, maxDepth, minSamplesLeaf },
  // epsilon stays at scikit-learn's 0: the name is Huber's here (a multiple of σ), and one name has one meaning.
  svr: { C, maxIter },
} as const satisfies Record<RegressorName, ModelOptionSpecs>;

/** Every clustering method name, in the order tables list them. */
export const CLUSTERERS = ['kmeans', 'dbscan', 'agglomerative'] as const;
/** One of `CLUSTERERS`. */
export type ClustererName = (typeof CLUSTERERS)[number];

/** The options of each clustering method. */
export const CLUSTERER_OPTIONS = {
  kmeans: { k, nInit: { type: 'int', default: 10, min: 1, help: 'k-means++ starts (the lowest inertia wins)' } },
  dbscan: {
    eps: { type: 'number', default: 0.5, exclusiveMin: 0, help: 'neighbourhood radius, in (standardised) feature units' },
    minSamples: { type: 'int', default: 5, min: 1, help: 'rows within eps (itself included) that make a core point' },
  },
  agglomerative: { k },
} as const satisfies Record<ClustererName, ModelOptionSpecs>;

/** Every option name any model of a kind takes, with its declaration (one meaning per name, checked by a test). */
export function optionsOfKind(kind: 'classifier' | 'regressor' | 'clusterer'): Record<string, ModelOption> {
  const specs: Record<string, ModelOptionSpecs> = kind === 'classifier' ? CLASSIFIER_OPTIONS : kind === 'regressor' ? REGRESSOR_OPTIONS : CLUSTERER_OPTIONS;
  const out: Record<string, ModelOption> = {};
  for (const options of Object.values(specs)) Object.assign(out, options);
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
    if (values[key] !== undefined && !(key in specs))
      throw new Error(`${model} takes no option "${key}" (it takes: ${Object.keys(specs).join(', ') || 'none'})`);
  }
  for (const [key, spec] of Object.entries(specs)) {
    const v = values[key] ?? spec.default;
    if (v !== undefined) {
      if (!Number.isFinite(v)) throw new Error(`${key} must be a number, got ${v}`);
      if (spec.type === 'int' && (!Number.isInteger(v) || v < spec.min || (spec.max !== undefined && v > spec.max))) {
        throw new Error(`${key} must be an integer ${spec.max === undefined ? `>= ${spec.min}` : `from ${spec.min} to ${spec.max}`}, got ${v}`);
      }
      if (spec.min !== undefined && v < spec.min) throw new Error(`${key} must be >= ${spec.min}, got ${v}`);
      if (spec.type === 'number' && spec.exclusiveMin !== undefined && !(v > spec.exclusiveMin))
        throw new Error(`${key} must be > ${spec.exclusiveMin}, got ${v}`);
      if (spec.max !== undefined && v > spec.max) throw new Error(`${key} must be <= ${spec.max}, got ${v}`);
    }
    out[key] = v;
  }
  return out;
}
