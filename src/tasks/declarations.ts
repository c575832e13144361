// Every experiment task, declared once: options (types, defaults, ranges, choices) and result keys; its run function
// is paired with it in experiments/registry.ts. Light on purpose (zod and word lists only): the TUI's first frame and
// `eds lessons check` read it without loading a model. The result keys are kept true by test/experiments/result-keys.test.ts, which runs every
// lesson experiment and compares.
import { declareTask, type TaskDeclaration } from './declare.js';
import {
  COMPARE_MODELS,
  FIT_MODELS,
  type RIVER_LAB_STAGES,
  type RIVER_STAGES,
  attentionOptions,
  classifyOptions,
  clusterOptions,
  digitsLookOptions,
  finetuneOptions,
  frugalOptions,
  leaderboardOptions,
  lidarCheck,
  lidarClassifyOptions,
  lidarClusterOptions,
  lidarFeaturesOptions,
  lidarLookOptions,
  pickLookOptions,
  pickOptions,
  regressionOptions,
  reviewOptions,
  riverLabOptions,
  riverOptions,
  tourOptions,
  trainOptions,
  volcanoClassifyOptions,
  volcanoFeaturesOptions,
  volcanoImportanceOptions,
  volcanoLookOptions,
  volcanoSplitOptions,
} from './options.js';

// ---------------------------------------------------------------------------------------------- general tasks

const regression = declareTask({
  name: 'regression',
  summary: 'fit a regression model on a table and score it on held-out rows',
  options: regressionOptions,
  resultKeys: () => ['seed', 'n_train', 'n_test', 'n_dropped', 'rmse_test', 'mae_test', 'r2_test', 'rmse_train', 'r2_train'],
});

const classify = declareTask({
  name: 'classify',
  summary: 'train a classifier on a table (or lidar features) and score it on held-out rows',
  options: classifyOptions,
  resultKeys: () => ['seed', 'n_train', 'n_test', 'n_dropped', 'accuracy', 'balanced_accuracy', 'macro_f1', 'train_accuracy', 'mean_iou', 'roc_auc?'],
});

const cluster = declareTask({
  name: 'cluster',
  summary: 'cluster the rows of a table (or lidar features) and compare with the labels when there are any',
  options: clusterOptions,
  resultKeys: (o) => [
    'seed',
    'n_train',
    'n_test',
    'n_dropped',
    'n_clusters',
    'inertia',
    'silhouette?',
    'ari?',
    'nmi?',
    ...((o.model ?? 'kmeans') === 'dbscan' ? [] : ['k']),
  ],
});

// ---------------------------------------------------------------------------------------------- tour

const tour = declareTask({
  name: 'tour',
  summary: "the intro lesson's gauge: fit the stage against a noisy reading",
  options: tourOptions,
  resultKeys: () => ['seed', 'n_points', 'noise_cm', 'slope', 'attenuation', 'expected_slope', 'intercept_cm', 'rmse_cm', 'r2'],
});

// ---------------------------------------------------------------------------------------------- river

const RIVER_KEYS: Record<(typeof RIVER_STAGES)[number], readonly string[]> = {
  inspect: [
    'seed',
    'n_probe_rows',
    'n_grid_steps',
    'n_missing_rows',
    'missing_level',
    'missing_turbidity',
    'missing_temperature',
    'n_samples',
    'n_samples_missing_ssc',
    'ssc_min_mg_l',
    'ssc_median_mg_l',
    'ssc_mean_mg_l',
    'ssc_max_mg_l',
    'turbidity_max_ntu',
    'corr_ssc_turbidity',
    'corr_ssc_level',
    'corr_ssc_temperature',
  ],
  align: [
    'seed',
    'max_gap_min',
    'samples_total',
    'samples_kept',
    'dropped_missing_ssc',
    'dropped_outside_record',
    'dropped_probe_gap',
    'gaps_level',
    'gaps_turbidity',
    'gaps_temperature',
    'grid_steps',
    'grid_missing_turbidity',
  ],
  fit: ['seed', 'n_samples', 'n_excluded_nonpositive', 'slope', 'intercept', 'n_outliers', 'rmse', 'r2', 'rmse_mg_l', 'r2_mg_l'],
  compare: [
    'seed',
    'n_samples',
    'n_excluded_nonpositive',
    'n_test',
    ...COMPARE_MODELS.flatMap((m) => [`rmse_random_${m}`, `r2_random_${m}`, `rmse_time_${m}`, `r2_time_${m}`, `cv_rmse_random_${m}`, `cv_rmse_time_${m}`]),
  ],
  season: [
    'seed',
    'season',
    'n_calibration',
    'n_season_samples',
    'flux_t',
    'flux_low_t',
    'flux_high_t',
    'coverage',
    'smearing',
    'flux_unsmeared_t',
    'residual_sd_log10',
    'rmse_season_log10?',
    'flux_true_t',
    'flux_true_covered_t',
  ],
};

const river = declareTask({
  name: 'river',
  summary: 'the river practical: inspect, align, fit SSC from turbidity, compare models on two splits, predict a season',
  options: riverOptions,
  check: (o) =>
    o.model !== undefined && o.stage !== 'compare' && !(FIT_MODELS as readonly string[]).includes(o.model)
      ? `option model: expected one of ${FIT_MODELS.join(', ')} for stage ${o.stage}, got "${o.model}"`
      : undefined,
  resultKeys: (o) => {
    const keys = RIVER_KEYS[o.stage];
    // Only a fit in log–log space has a power law to report.
    const scale = o.scale ?? (o.stage === 'fit' || o.stage === 'inspect' ? 'linear' : 'log');
    return o.stage === 'fit' && scale === 'log' ? [...keys, 'exponent', 'prefactor_mg_l'] : keys;
  },
});

const RIVER_LAB_KEYS: Record<(typeof RIVER_LAB_STAGES)[number], readonly string[]> = {
  inspect: [
    'n_rows',
    'n_columns',
    'n_short_rows',
    'n_ssc',
    'n_level',
    'n_pairs',
    'n_pair_events',
    'n_ssc_events',
    'n_type1',
    'n_type2',
    'n_temperature',
    'n_comments',
    'n_times_with_seconds',
    'n_duplicate_times',
    'first_year',
    'last_year',
    'n_years_without_ssc',
    'ssc_min_mg_l',
    'ssc_median_mg_l',
    'ssc_max_mg_l',
    'level_min_cm',
    'level_max_cm',
  ],
  fit: [
    'seed',
    'n_pairs',
    'n_excluded_nonpositive',
    'n_events',
    'slope',
    'intercept',
    'r2',
    'rmse',
    'cv_rmse_loo',
    'cv_rmse_event',
    'top3_share',
    'gen_n_pairs',
    'gen_n_events',
    'gen_slope',
    'gen_r2',
    'gen_rmse',
    'gen_cv_rmse_loo',
    'gen_cv_rmse_event',
  ],
};

const riverLab = declareTask({
  name: 'river-lab',
  summary: "the river lesson's real file: the ObsEra lab samples, and suspended load against the level beside your generated record",
  options: riverLabOptions,
  check: (o) => (o.data !== undefined && o.dataset !== undefined ? 'option data: give either data (your file) or dataset, not both' : undefined),
  // Only a log–log line is a power law, with an exponent, a prefactor and a smearing factor.
  resultKeys: (o) => (o.stage === 'fit' && o.scale === 'log' ? [...RIVER_LAB_KEYS.fit, 'exponent', 'prefactor_mg_l', 'smearing'] : RIVER_LAB_KEYS[o.stage]),
});

// ---------------------------------------------------------------------------------------------- volcano

const volcanoLook = declareTask({
  name: 'volcano-look',
  summary: 'the volcano catalogue: class counts, and two unlabelled events to label by eye',
  options: volcanoLookOptions,
  resultKeys: () => [
    'seed',
    'n_events',
    'count_vt',
    'count_lp',
    'count_tr',
    'count_av',
    'count_ic',
    'count_noise',
    'imbalance_ratio',
    'majority_share',
    'mystery_a_id',
    'mystery_b_id',
  ],
});

const volcanoFeatures = declareTask({
  name: 'volcano-features',
  summary: 'how well each signal feature separates the volcano classes',
  options: volcanoFeaturesOptions,
  resultKeys: () => [
    'seed',
    'n_events',
    'n_features',
    'top_separation',
    'second_separation',
    'feature_separation',
    'lp_median_dominant_frequency_hz?',
    'vt_median_dominant_frequency_hz?',
    'ic_median_duration_s?',
    'tr_median_duration_s?',
  ],
});

const volcanoSplit = declareTask({
  name: 'volcano-split',
  summary: 'split, balance and scale the volcano features, then score one classifier',
  options: volcanoSplitOptions,
  resultKeys: () => [
    'seed',
    'n_train',
    'n_train_resampled',
    'n_test',
    'test_count_ic',
    'test_share_deviation',
    'accuracy',
    'balanced_accuracy',
    'macro_f1',
    'lowest_recall',
    'recall_ic',
  ],
});

const volcanoClassify = declareTask({
  name: 'volcano-classify',
  summary: 'compare the classifiers on the volcano features by cross-validation',
  options: volcanoClassifyOptions,
  resultKeys: () => [
    'seed',
    'folds',
    'n_train',
    'n_test',
    'best_cv_macro_f1',
    'best_cv_macro_f1_std',
    'worst_cv_macro_f1',
    'accuracy',
    'balanced_accuracy',
    'macro_f1',
    'worst_macro_f1',
    'lowest_recall',
    'most_confused_count',
    'second_cv_macro_f1',
    'second_cv_macro_f1_std',
    'paired_diff_second',
    'paired_diff_second_std',
    'paired_wins_second',
  ],
});

const volcanoImportance = declareTask({
  name: 'volcano-importance',
  summary: 'rank the volcano features by importance and refit on the top three',
  options: volcanoImportanceOptions,
  resultKeys: () => [
    'seed',
    'top_feature_permutation_drop',
    'last_feature_permutation_drop',
    'macro_f1_all',
    'macro_f1_top3',
    'cv_macro_f1_all',
    'cv_macro_f1_top3',
    'macro_f1_change',
  ],
});

// ---------------------------------------------------------------------------------------------- lidar

const lidarLook = declareTask({
  name: 'lidar-look',
  summary: 'a lidar scan: its classes, extent and point density near and far from the scanner',
  options: lidarLookOptions,
  check: lidarCheck,
  resultKeys: () => [
    'seed',
    'n_points',
    'points_per_m2',
    'minority_share?',
    'majority_share?',
    'density_near_per_m2?',
    'density_far_per_m2?',
    'density_ratio?',
  ],
});

const lidarFeatures = declareTask({
  name: 'lidar-features',
  summary: 'eigenvalue features of lidar neighbourhoods at each radius, and how well they separate the classes',
  options: lidarFeaturesOptions,
  check: lidarCheck,
  resultKeys: () => [
    'seed',
    'n_cores',
    'n_filled',
    'mean_neighbours',
    'n_sparse',
    'sparse_share',
    'separation?',
    'best_scale_m?',
    'best_separation?',
    'worst_scale_m?',
    'worst_separation?',
    'chance?',
  ],
});

const lidarClassify = declareTask({
  name: 'lidar-classify',
  summary: 'classify lidar core points from their multiscale features, and map the errors',
  options: lidarClassifyOptions,
  check: lidarCheck,
  resultKeys: () => [
    'seed',
    'n_cores',
    'n_filled',
    'n_dropped',
    'n_train',
    'n_test',
    'accuracy',
    'balanced_accuracy',
    'macro_f1',
    'train_accuracy',
    'mean_iou',
    'minority_precision',
    'minority_recall',
    'minority_f1',
    'minority_iou',
    'majority_share_test',
    'map_points?',
    'map_accuracy?',
    'map_balanced_accuracy?',
    'map_errors?',
    'map_error_share?',
  ],
});

const lidarCluster = declareTask({
  name: 'lidar-cluster',
  summary: 'cluster lidar core points by their features and compare with the classes',
  options: lidarClusterOptions,
  check: lidarCheck,
  resultKeys: (o) => {
    const base = ['seed', 'n_cores', 'n_clusters', 'inertia', 'silhouette?', 'ari?', 'nmi?', 'n_classes?'];
    if (o.model === 'dbscan') return [...base, 'eps', 'min_samples', 'noise_share', 'k_distance_median', 'k_distance_p90'];
    if (o.model === 'kmeans') return [...base, 'k', 'best_k_silhouette', 'best_silhouette'];
    return [...base, 'k'];
  },
});

// ---------------------------------------------------------------------------------------------- neural networks

const TRAIN_KEYS = [
  'seed',
  'n_train',
  'n_test',
  'params',
  'epochs',
  'batch_size',
  'learning_rate',
  'seconds_per_epoch',
  'accuracy',
  'macro_f1',
  'training_seconds',
];

const digitsLook = declareTask({
  name: 'digits-look',
  summary: 'the handwritten digits: a strip of them with their labels, and how many of each class',
  options: digitsLookOptions,
  resultKeys: () => ['seed', 'n_train', 'n_test', 'width', 'height', 'inputs', 'classes', 'first_label', 'first_ink_pixels'],
});

const train = declareTask({
  name: 'train',
  summary: 'train an MLP or a CNN on the handwritten digits',
  options: trainOptions,
  aliases: { hidden: 'hiddenUnits', lr: 'learningRate', batch: 'batchSize' },
  check: (o) =>
    o.model === 'mlp' && (o.filters !== undefined || o.pool !== undefined) ? 'filters and pool shape the CNN: use them with model cnn' : undefined,
  resultKeys: (o) => (o.model === 'mlp' ? [...TRAIN_KEYS, 'hidden_units'] : TRAIN_KEYS),
});

const leaderboard = declareTask({
  name: 'leaderboard',
  summary: "your best digits run against the class's ranking",
  options: leaderboardOptions,
  resultKeys: () => ['best_params?', 'best_accuracy?', 'best_training_seconds?', 'class_size?', 'rank?', 'would_rank?'],
});

const pickLook = declareTask({
  name: 'pick-look',
  summary: 'one three-component seismic window: where do P and S arrive?',
  options: pickLookOptions,
  resultKeys: () => ['seed', 'sample_rate_hz', 'samples', 'duration_s'],
});

const pick = declareTask({
  name: 'pick',
  summary: 'PhaseNet P and S picks (shipped or published weights) on held-out or real windows, scored against the analyst',
  options: pickOptions,
  resultKeys: () => [
    'seed',
    'params',
    'weights_total',
    'records',
    'windows',
    'windows_per_second',
    'threshold',
    'tolerance_s',
    ...['precision', 'recall', 'f1'].flatMap((m) => [`p_${m}`, `s_${m}`]),
    'p_true_positives',
    'p_false_positives',
    'p_false_negatives',
    's_true_positives',
    's_false_positives',
    's_false_negatives',
    'residual_p_mean_s?',
    'residual_p_std_s?',
    'residual_s_mean_s?',
    'residual_s_std_s?',
    'residual_p_median_samples?',
    'residual_p_mad_samples?',
    'residual_s_median_samples?',
    'residual_s_mad_samples?',
    'window_samples',
    'example_p_s?',
    'example_s_s?',
    'example_s_minus_p_s?',
  ],
});

/** Fine-tuning scores both domains (volcanic, and `local_` for the original one) before and after. */
const finetuneScores = (when: 'before' | 'after'): string[] =>
  ['', 'local_'].flatMap((d) =>
    ['p', 's'].flatMap((ph) => [
      `${d}${ph}_precision_${when}`,
      `${d}${ph}_recall_${when}`,
      `${d}${ph}_f1_${when}`,
      `${d}residual_${ph}_mean_s_${when}`,
      `${d}residual_${ph}_std_s_${when}`,
    ]),
  );

const finetune = declareTask({
  name: 'finetune',
  summary: 'fine-tune PhaseNet on a few volcanic windows and score both domains before and after',
  options: finetuneOptions,
  aliases: { lr: 'learningRate', batch: 'batchSize' },
  resultKeys: () => [
    'seed',
    'examples',
    'epochs',
    'learning_rate',
    'batch_size',
    'params_trained',
    'params_total',
    'held_out_windows',
    'local_windows',
    'threshold',
    'tolerance_s',
    ...finetuneScores('before'),
    ...finetuneScores('after'),
    'p_f1_change',
    's_f1_change',
    'local_p_f1_change',
    'local_s_f1_change',
    'loss_first',
    'loss_last',
    'training_seconds',
    'seconds_per_epoch',
    'example_window?',
  ],
});

const attention = declareTask({
  name: 'attention',
  summary: 'a one-head attention model finds the onset of a toy arrival; where does it look?',
  options: attentionOptions,
  resultKeys: () => [
    'seed',
    'length',
    'width',
    'n_train',
    'n_test',
    'epochs',
    'snr',
    'parameters',
    'seconds_train',
    'final_loss',
    'accuracy_within_1',
    'mean_abs_error_samples',
    'chance_within_1',
    'attention_near_onset',
    'attention_uniform',
    'example_onset',
    'example_predicted',
  ],
});

// ---------------------------------------------------------------------------------------------- synthesis

const review = declareTask({
  name: 'review',
  summary: 'your own course so far: lessons started, questions answered, first-try share',
  options: reviewOptions,
  resultKeys: () => ['lessons_started', 'questions_answered', 'first_try_share?', 'wrong_attempts'],
});

const frugal = declareTask({
  name: 'frugal',
  summary: 'reference networks and your own runs: accuracy against parameters and energy',
  options: frugalOptions,
  resultKeys: () => ['seed', 'epochs', 'best_accuracy', 'good_enough_parameters', 'largest_parameters', 'largest_accuracy', 'parameter_ratio', 'energy_ratio'],
});

/** Every task, by name, in the order `eds run --help` lists them. */
export const TASKS: Readonly<Record<string, TaskDeclaration>> = Object.fromEntries(
  [
    regression,
    classify,
    cluster,
    tour,
    river,
    riverLab,
    volcanoLook,
    volcanoFeatures,
    volcanoSplit,
    volcanoClassify,
    volcanoImportance,
    review,
    frugal,
    attention,
    digitsLook,
    train,
    leaderboard,
    pickLook,
    pick,
    finetune,
    lidarLook,
    lidarFeatures,
    lidarClassify,
    lidarCluster,
  ].map((t) => [t.name, t as unknown as TaskDeclaration]),
);
