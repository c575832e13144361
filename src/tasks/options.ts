// The options of every experiment task as zod schemas: types, defaults, ranges, choices and a description each.
// Apart from the declarations (src/tasks/declarations.ts) so the run functions can take their typed options from here
// without an import circle; light on purpose (zod and word lists only), like the declarations.
import { z } from 'zod';
import { LIDAR_SCENES } from '../lidar/scene.js';
import { CLUSTERERS, REGRESSORS, type ClassifierName } from '../ml/model-specs.js';
import { BACKEND_CHOICES } from '../nn/backend-choices.js';
import { FEATURE_NAMES } from '../seismology/feature-names.js';

// ---------------------------------------------------------------------------------------------- shared fields

/** The tfjs backends `--backend` accepts. */
export const BACKENDS = BACKEND_CHOICES;
export const backend = z.enum(BACKENDS).optional().describe('tfjs backend: auto (CUDA gpu, then webgpu, native, wasm, js), or one of them forced');

/** Model names of the general tasks, from the model catalogue's light half (classify leaves out the project's MLP). */
export const REGRESSION_MODEL_NAMES = REGRESSORS;
export const CLASSIFY_MODEL_NAMES = ['knn', 'logreg', 'svm', 'tree', 'rf', 'nb'] as const satisfies readonly ClassifierName[];
export const CLUSTER_MODEL_NAMES = CLUSTERERS;

/** Lidar radii in metres: up to 8 distinct ones, none above 5 m (a dense scan would take minutes). */
export const scales = (fallback: readonly number[]) =>
  z
    .array(z.number().positive().finite())
    .min(1)
    .refine((v) => v.every((r) => r <= 5), 'radii above 5 m would take minutes on a dense scan')
    .transform((v) => [...new Set(v)].sort((a, b) => a - b))
    .refine((v) => v.length <= 8, 'at most 8 distinct radii')
    .default([...fallback])
    .describe(`neighbourhood radii in metres, comma-separated (default ${fallback.join(',')})`);

/** The neighbourhood search's relative tolerance (src/lidar/features.ts DEFAULT_TOLERANCE). */
export const tolerance = z
  .number()
  .min(0)
  .max(1)
  .default(0)
  .describe('relative tolerance of the neighbourhood sums: the default 0 is exact, 0.1 about 2× faster on dense scans');

/** Where a lidar task's points come from and how many core points get features. */
export const lidarSource = (cores: number, radii: readonly number[]) => ({
  dataset: z
    .enum(LIDAR_SCENES.map((s) => `lidar-${s}`) as [string, ...string[]])
    .optional()
    .describe("the lesson's scene as a dataset name (lidar-dunes, …)"),
  scene: z.enum(LIDAR_SCENES).optional().describe('generated scene (default dunes)'),
  size: z.number().int().min(1000).max(5_000_000).default(200_000).describe('points in the generated scene'),
  points: z.array(z.string()).min(1).optional().describe('your own point clouds, FILE:LABEL, comma-separated'),
  scales: scales(radii),
  cores: z.number().int().min(50).max(100_000).default(cores).describe('how many core points get features'),
  tolerance,
});
export const LIDAR_RADII = [0.05, 0.1, 0.25, 0.5];
export const lidarCheck = (o: { points?: string[]; scene?: string; dataset?: string }): string | undefined =>
  o.points !== undefined && (o.scene !== undefined || o.dataset !== undefined) ? 'give either points (your files) or a scene, not both' : undefined;

/** The rows and split of `eds run regression|classify|cluster` (src/experiments/common.ts DataOptions). */
export const dataFields = {
  dataset: z.string().optional().describe('a built-in dataset (eds datasets list)'),
  data: z.string().optional().describe('your own CSV/TSV file, split inside (needs --target, except for cluster)'),
  target: z.string().optional().describe("column to predict (default: the dataset's own)"),
  train: z.string().optional().describe('training file, with --test: no split'),
  test: z.string().optional().describe('test file, with --train'),
  features: z.array(z.string()).optional().describe('comma-separated feature columns, e.g. "Turbidity (NTU),Level" (default: every numeric column)'),
  testSize: z.number().gt(0).lt(1).optional().describe('fraction of rows held out for testing (default 0.25)'),
  split: z
    .enum(['random', 'stratified', 'time'])
    .optional()
    .describe('how to split: random (regression default), stratified (classify default), time (the latest rows are the test set)'),
  timeColumn: z.array(z.string()).optional().describe('column(s) giving each row its time for --split time, e.g. "Date,Hour" (default: row order)'),
  delimiter: z.string().optional().describe('field delimiter of your files (default: sniffed among , ; tab |)'),
  missing: z.array(z.string()).optional().describe('comma-separated missing-value codes (default: empty, NA, NAN, NaN, -30000, 1e+10, …)'),
};
export const cv = z.number().int().min(2).optional().describe('k-fold cross-validation on the training rows: mean ± std (stratified for classify)');
export const importance = z.boolean().optional().describe('permutation importance of each feature on the test rows');
export const standardize = z
  .boolean()
  .optional()
  .describe('standardise features, fitted on the training rows (default: on for knn, logreg, svm and clustering; off otherwise)');
/** Own lidar clouds or a scene's features instead of a table (`eds run classify --points …`). */
export const lidarTable = {
  points: z
    .array(z.string())
    .min(1)
    .optional()
    .describe('your own point cloud, FILE:LABEL, repeated (e.g. --points floor.xyz:floor --points vegetation.xyz:vegetation): features of its core points'),
  scales: z
    .array(z.number().positive().finite())
    .min(1)
    .optional()
    .describe('neighbourhood radii in metres for lidar features, comma-separated (default 0.05,0.1,0.25,0.5)'),
  corePoints: z.number().int().min(50).max(100_000).optional().describe('how many core points get features (default 2000)'),
  tolerance: z
    .number()
    .min(0)
    .max(1)
    .optional()
    .describe('lidar neighbourhood tolerance: default 0 (exact); 0.1 is about 2× faster on dense scans, features within about 0.02'),
};

// ---------------------------------------------------------------------------------------------- per task

export const RIVER_STAGES = ['inspect', 'align', 'fit', 'compare', 'season'] as const;

export const FIT_MODELS = ['linear', 'huber', 'ransac'] as const;

export const COMPARE_MODELS = ['linear', 'huber', 'ransac', 'poly', 'rf'] as const;

/** The classifiers the volcano lesson compares: the classify task's, in the order its theory pages introduce them. */
export const VOLCANO_MODELS = CLASSIFY_MODEL_NAMES;

export const SAMPLING = z.enum(['natural', 'oversample', 'undersample']).default('natural').describe('class balance of the training rows');

export const volcanoCommon = {
  dataset: z.literal('volcano').optional().describe("the lesson's dataset"),
  events: z.number().int().min(30).max(5000).default(300).describe('events in the catalogue'),
  station: z.string().default('FLK').describe('station code whose trace gives the features'),
};

export const folds = z.number().int().min(2).max(20).default(5).describe('cross-validation folds');

/** The features the volcano lesson computes, by name. */
export const VOLCANO_FEATURE_NAMES = FEATURE_NAMES;

/** A CNN's filters or pool sizes: one number or a comma list (its shape is checked with the whole network). */
export const shapeList = (what: string) =>
  z
    .preprocess(
      (v) => (typeof v === 'string' ? (v.includes(',') ? v.split(',').map((p) => (p.trim() === '' ? NaN : Number(p))) : Number(v)) : v),
      z.union([z.number(), z.array(z.number())]),
    )
    .optional()
    .describe(what);

export const regressionOptions = z
  .object({
    ...dataFields,
    model: z
      .enum(REGRESSION_MODEL_NAMES)
      .optional()
      .describe(`model: ${REGRESSION_MODEL_NAMES.join(' | ')} (default linear)`),
    degree: z.number().int().min(1).max(10).optional().describe('polynomial degree for --model poly (default 2)'),
    epsilon: z.number().min(1).optional().describe('Huber epsilon (default 1.35)'),
    residualThreshold: z.number().positive().optional().describe('RANSAC inlier threshold, target units (default: MAD of the target)'),
    neighbors: z.number().int().min(1).optional().describe('k of k-NN (default 5)'),
    trees: z.number().int().min(1).max(1000).optional().describe('random forest size (default 100)'),
    maxDepth: z.number().int().min(1).optional().describe('maximum depth of tree and rf (default unlimited)'),
    standardize,
    cv,
    importance,
  })
  .strict();

export const classifyOptions = z
  .object({
    ...dataFields,
    ...lidarTable,
    model: z
      .enum(CLASSIFY_MODEL_NAMES)
      .optional()
      .describe(`model: ${CLASSIFY_MODEL_NAMES.join(' | ')} (default rf)`),
    neighbors: z.number().int().min(1).optional().describe('k of k-NN (default 5)'),
    trees: z.number().int().min(1).max(1000).optional().describe('random forest size (default 100)'),
    maxDepth: z.number().int().min(1).optional().describe('maximum tree depth (default unlimited)'),
    C: z.number().positive().optional().describe('inverse regularisation of logreg and svm (default 1)'),
    maxIter: z.number().int().min(1).optional().describe('most solver iterations of logreg and svm (default 1000)'),
    standardize,
    cv,
    importance,
  })
  .strict();

export const clusterOptions = z
  .object({
    ...dataFields,
    ...lidarTable,
    model: z
      .enum(CLUSTER_MODEL_NAMES)
      .optional()
      .describe(`model: ${CLUSTER_MODEL_NAMES.join(' | ')} (default kmeans)`),
    k: z.number().int().min(1).optional().describe('number of clusters for kmeans and agglomerative (default 3)'),
    nInit: z.number().int().min(1).optional().describe('k-means starts, best inertia kept (default 10)'),
    eps: z.number().positive().optional().describe('DBSCAN radius in (standardised) feature units (default 0.5)'),
    minSamples: z.number().int().min(1).optional().describe('DBSCAN core-point count (default 5)'),
    standardize,
  })
  .strict();

export const tourOptions = z
  .object({
    points: z.number().int().min(5).max(200).default(20).describe('readings'),
    noise: z.number().min(0).default(5).describe('reading noise, cm'),
  })
  .strict();

export const riverOptions = z
  .object({
    dataset: z.literal('river').optional().describe("the lesson's dataset"),
    stage: z.enum(RIVER_STAGES).default('inspect').describe('which part of the practical'),
    window: z.enum(['all', 'flood']).default('all').describe('inspect: the whole record, or the week around the biggest sampled flood'),
    scale: z
      .enum(['linear', 'log'])
      .optional()
      .describe('inspect: values in the histogram; fit/compare/season: the space the model is fitted in (default linear for inspect and fit, log otherwise)'),
    method: z.enum(['linear', 'nearest']).default('linear').describe('align: how to read the probes at a sample time'),
    maxGap: z.number().min(0).max(10_080).default(30).describe('align: longest probe gap filled by interpolation, minutes'),
    model: z
      .enum(COMPARE_MODELS)
      .optional()
      .describe(`fit and season: ${FIT_MODELS.join(' | ')} (default linear); compare: the model drawn, ${COMPARE_MODELS.join(' | ')} (default rf)`),
    features: z
      .enum(['turbidity', 'turbidity+level', 'turbidity+level+temperature'])
      .optional()
      .describe('compare/season: the probe features (default turbidity+level+temperature for compare, turbidity otherwise)'),
    season: z.number().int().min(1).max(2).default(2).describe("season: the first or second year's wet season"),
    seed: z.number().int().optional().describe('ignored: the run seed decides'),
  })
  .strict();

/** The stages of the real-file step of the river lesson: what the lab file holds, then a line through it. */
export const RIVER_LAB_STAGES = ['inspect', 'fit'] as const;

export const riverLabOptions = z
  .object({
    dataset: z.literal('river-obsera').optional().describe('the ObsEra lab file shipped with eds (the default)'),
    data: z.string().optional().describe('your own WebObs RIVERS export instead (columns Date, Hour, Level, Type, Suspended Load)'),
    delimiter: z.string().optional().describe('field delimiter of --data (default: sniffed; WebObs writes ;)'),
    stage: z.enum(RIVER_LAB_STAGES).default('inspect').describe('inspect: what the file holds; fit: suspended load against the level'),
    scale: z.enum(['log', 'linear']).default('log').describe('fit: log–log (a power law) or mg/L against cm'),
    seed: z.number().int().optional().describe('ignored: the run seed decides (it draws the generated record compared with the file)'),
  })
  .strict();

export const volcanoLookOptions = z
  .object({ ...volcanoCommon, reveal: z.enum(['no', 'yes']).default('no').describe("show the two mystery events' classes") })
  .strict();

export const volcanoFeaturesOptions = z
  .object({ ...volcanoCommon, feature: z.enum(VOLCANO_FEATURE_NAMES).default('dominant_frequency_hz').describe('the feature plotted') })
  .strict();

export const volcanoSplitOptions = z
  .object({
    ...volcanoCommon,
    split: z.enum(['stratified', 'random']).default('stratified').describe('how the test events are drawn'),
    sampling: SAMPLING,
    scaling: z.enum(['train', 'all', 'none']).default('train').describe('which rows the scaler is fitted on'),
    model: z.enum(VOLCANO_MODELS).default('knn').describe('the classifier'),
  })
  .strict();

export const volcanoClassifyOptions = z
  .object({
    ...volcanoCommon,
    sampling: SAMPLING,
    folds,
    features: z.string().default('all').describe('comma-separated feature names, or all'),
  })
  .strict();

export const volcanoImportanceOptions = z
  .object({
    ...volcanoCommon,
    model: z.enum(VOLCANO_MODELS).default('rf').describe('the classifier'),
    rank: z.enum(['permutation', 'impurity']).default('permutation').describe('how features are ranked'),
    folds,
  })
  .strict();

export const lidarLookOptions = z.object(lidarSource(2000, LIDAR_RADII)).strict();

export const lidarFeaturesOptions = z.object(lidarSource(2000, [0.1])).strict();

export const lidarClassifyOptions = z
  .object({
    ...lidarSource(2000, LIDAR_RADII),
    model: z.enum(['rf', 'svm']).default('rf').describe('the classifier'),
    testSize: z.number().gt(0).lt(1).default(0.25).describe('fraction of core points held out'),
    C: z.number().positive().finite().default(1).describe('inverse regularisation of the svm'),
    trees: z.number().int().min(1).max(1000).default(100).describe('random forest size'),
    map: z.number().int().min(0).max(500_000).default(20_000).describe('points classified for the map (0: no map)'),
  })
  .strict();

export const lidarClusterOptions = z
  .object({
    ...lidarSource(1000, LIDAR_RADII),
    model: z.enum(['kmeans', 'dbscan', 'agglomerative']).default('kmeans').describe('the clustering method'),
    k: z.number().int().min(1).max(20).default(2).describe('clusters for kmeans and agglomerative'),
    eps: z.number().positive().finite().default(0.5).describe('DBSCAN radius in standardised feature units'),
    minSamples: z.number().int().min(1).max(1000).default(5).describe('DBSCAN core-point count'),
    maxK: z.number().int().min(2).max(12).default(8).describe('largest k of the silhouette sweep'),
  })
  .strict();

export const digitsLookOptions = z.object({ dataset: z.literal('digits').optional().describe("the lesson's dataset") }).strict();

export const trainOptions = z
  .object({
    dataset: z.literal('digits').default('digits').describe('the data set (only digits)'),
    model: z.enum(['mlp', 'cnn']).default('cnn').describe('mlp (784→hidden→10) or cnn (3×3 conv layers with pooling)'),
    epochs: z.number().int().min(1).max(1000).default(5).describe('passes over the training digits'),
    batchSize: z.number().int().min(1).default(64).describe('digits per gradient step'),
    learningRate: z.number().gt(0).max(1).default(1e-3).describe('Adam step size'),
    trainSize: z.number().int().min(10).max(10_000).default(8000).describe('digits to train on (of the 10,000 shipped)'),
    testSize: z.number().int().min(10).max(10_000).default(2000).describe('held-out digits to test on'),
    hiddenUnits: z.number().int().min(5).max(4096).optional().describe('MLP only: hidden units, from 5 (default 128)'),
    filters: shapeList('CNN only: filters per conv layer, comma-separated; their count is the number of layers (default 8,16)'),
    pool: shapeList('CNN only: max-pool size after every conv layer (one number) or after each (a list); 1 is none (default 2)'),
    backend,
  })
  .strict();

export const leaderboardOptions = z.object({ board: z.literal('digits').default('digits').describe('which board (only digits)') }).strict();

export const pickLookOptions = z.object({ dataset: z.literal('phases').optional().describe("the lesson's dataset") }).strict();

export const pickOptions = z
  .object({
    dataset: z
      .enum(['phases', 'phases-ncedc'])
      .optional()
      .describe('phases: synthetic windows seeded by the seed (the default); phases-ncedc: the 22 real NCEDC windows shipped'),
    data: z
      .string()
      .min(1)
      .optional()
      .describe('a .npz file or a folder of .npz windows (keys data [n, 3] at 100 Hz, itp, its), as in the PhaseNet repository'),
    weights: z
      .string()
      .min(1)
      .optional()
      .describe("shipped (eds's own, trained on synthetics: the default), published (Zhu & Beroza's), or a folder with model.json + weights.bin"),
    crop: z
      .enum(['none', 'shifted'])
      .optional()
      .describe('real records: shifted picks a 30 s crop of each, its P at a seeded random place (default none: the whole record)'),
    windows: z.number().int().min(1).optional().describe('synthetic held-out windows to pick, with --dataset phases (default 100)'),
    threshold: z.number().gt(0).lt(1).optional().describe('minimum peak probability for a P or S pick (default 0.3)'),
    tolerance: z.number().positive().optional().describe("a pick this close to the analyst's, in seconds, is a true positive (default 0.5)"),
    backend,
  })
  .strict();

export const finetuneOptions = z
  .object({
    examples: z.number().optional().describe('volcanic windows to fine-tune on (default 32)'),
    epochs: z.number().optional().describe('passes over those windows (default 10)'),
    learningRate: z.number().optional().describe('Adam step size: small, so the shipped weights are adjusted rather than erased (default 0.0003)'),
    batchSize: z.number().optional().describe('windows per gradient step (default 8)'),
    freeze: z.enum(['none', 'encoder', 'backbone']).optional().describe('which weights stay as shipped (default encoder)'),
    windows: z.number().optional().describe('held-out windows scored in each domain (default 60)'),
    weights: z
      .string()
      .min(1)
      .optional()
      .describe("weights to start from: shipped (eds's own, trained on synthetics: the default), published (Zhu & Beroza's), or a folder"),
    backend,
  })
  .strict();

export const attentionOptions = z
  .object({
    length: z.number().optional().describe('samples per trace (default 32)'),
    width: z.number().optional().describe('width of the embedding, queries, keys and values (default 16)'),
    traces: z.number().optional().describe('training traces (default 256; 128 more are held out)'),
    epochs: z.number().optional().describe('passes over the training traces, full batch (default 40)'),
    snr: z.number().optional().describe('peak signal-to-noise amplitude ratio of the arrival (default 4)'),
    backend,
  })
  .strict();

export const reviewOptions = z.object({}).strict();

export const frugalOptions = z
  .object({
    epochs: z.number().int().min(1).max(500).default(30).describe('epochs of the reference models'),
    mine: z.enum(['yes', 'no']).default('yes').describe('add your own runs from the store'),
  })
  .strict();

/** The typed options of each task, for its run function. */
export type RegressionTaskOptions = z.infer<typeof regressionOptions>;
export type ClassifyTaskOptions = z.infer<typeof classifyOptions>;
export type ClusterTaskOptions = z.infer<typeof clusterOptions>;
export type TourTaskOptions = z.infer<typeof tourOptions>;
export type RiverTaskInput = z.infer<typeof riverOptions>;
export type RiverLabTaskOptions = z.infer<typeof riverLabOptions>;
export type VolcanoLookOptions = z.infer<typeof volcanoLookOptions>;
export type VolcanoFeaturesOptions = z.infer<typeof volcanoFeaturesOptions>;
export type VolcanoSplitOptions = z.infer<typeof volcanoSplitOptions>;
export type VolcanoClassifyOptions = z.infer<typeof volcanoClassifyOptions>;
export type VolcanoImportanceOptions = z.infer<typeof volcanoImportanceOptions>;
export type LidarLookOptions = z.infer<typeof lidarLookOptions>;
export type LidarFeaturesOptions = z.infer<typeof lidarFeaturesOptions>;
export type LidarClassifyOptions = z.infer<typeof lidarClassifyOptions>;
export type LidarClusterOptions = z.infer<typeof lidarClusterOptions>;
export type TrainTaskOptions = z.infer<typeof trainOptions>;
export type PickTaskOptions = z.infer<typeof pickOptions>;
export type FinetuneTaskOptions = z.infer<typeof finetuneOptions>;
export type AttentionTaskOptions = z.infer<typeof attentionOptions>;
export type FrugalTaskOptions = z.infer<typeof frugalOptions>;
