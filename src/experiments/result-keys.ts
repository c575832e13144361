// The numbers each experiment task puts in its result (`eds run … --json`), declared without running it, so
// `eds lessons check` can tell a lesson author that `=fit-linear.n_outlier` does not exist. Kept true by
// test/experiments/result-keys.test.ts, which runs every lesson experiment and compares.

/** Options as a lesson gives them (`stage=fit`, `model=kmeans`). */
type Options = Readonly<Record<string, string>>;

/**
 * The numeric keys a task's result holds for the given options. A key ending in `?` is a number only when it can be
 * computed (otherwise null or absent, e.g. a silhouette with one cluster); the others are always numbers.
 */
type KeysOf = (options: Options) => readonly string[];

const RIVER: Record<string, readonly string[]> = {
  inspect: [
    'seed', 'n_probe_rows', 'n_grid_steps', 'n_missing_rows', 'missing_level', 'missing_turbidity', 'missing_temperature', 'n_samples',
    'n_samples_missing_ssc', 'ssc_min_mg_l', 'ssc_median_mg_l', 'ssc_mean_mg_l', 'ssc_max_mg_l', 'turbidity_max_ntu', 'corr_ssc_turbidity',
    'corr_ssc_level', 'corr_ssc_temperature',
  ],
  align: [
    'seed', 'max_gap_min', 'samples_total', 'samples_kept', 'dropped_missing_ssc', 'dropped_outside_record', 'dropped_probe_gap', 'gaps_level',
    'gaps_turbidity', 'gaps_temperature', 'grid_steps', 'grid_missing_turbidity',
  ],
  fit: ['seed', 'n_samples', 'n_excluded_nonpositive', 'slope', 'intercept', 'n_outliers', 'rmse', 'r2', 'rmse_mg_l', 'r2_mg_l'],
  compare: [
    'seed', 'n_samples', 'n_excluded_nonpositive', 'n_test',
    ...['linear', 'huber', 'ransac', 'poly', 'forest'].flatMap((m) => [`rmse_random_${m}`, `r2_random_${m}`, `rmse_time_${m}`, `r2_time_${m}`, `cv_rmse_random_${m}`, `cv_rmse_time_${m}`]),
  ],
  season: [
    'seed', 'season', 'n_calibration', 'n_season_samples', 'flux_t', 'flux_low_t', 'flux_high_t', 'coverage', 'smearing', 'flux_unsmeared_t',
    'residual_sd_log10', 'rmse_season_log10?', 'flux_true_t', 'flux_true_covered_t',
  ],
};

const VOLCANO_LOOK = ['seed', 'n_events', 'count_vt', 'count_lp', 'count_tr', 'count_av', 'count_ic', 'count_noise', 'imbalance_ratio', 'majority_share', 'mystery_a_id', 'mystery_b_id'];
const LIDAR_CLASSIFY = [
  'seed', 'n_cores', 'n_filled', 'n_dropped', 'n_train', 'n_test', 'accuracy', 'balanced_accuracy', 'macro_f1', 'train_accuracy', 'mean_iou',
  'minority_precision', 'minority_recall', 'minority_f1', 'minority_iou', 'majority_share_test', 'map_points?', 'map_accuracy?',
  'map_balanced_accuracy?', 'map_errors?', 'map_error_share?',
];
const TRAIN = ['seed', 'n_train', 'n_test', 'params', 'epochs', 'batch_size', 'learning_rate', 'seconds_per_epoch', 'accuracy', 'macro_f1', 'training_seconds'];
const PICK_SCORES = ['precision', 'recall', 'f1'].flatMap((m) => [`p_${m}`, `s_${m}`]);
/** Fine-tuning scores both domains (volcanic, and `local_` for the original one) before and after. */
const FINETUNE_SCORES = (when: 'before' | 'after'): string[] =>
  ['', 'local_'].flatMap((d) =>
    ['p', 's'].flatMap((ph) => [`${d}${ph}_precision_${when}`, `${d}${ph}_recall_${when}`, `${d}${ph}_f1_${when}`, `${d}residual_${ph}_mean_s_${when}`, `${d}residual_${ph}_std_s_${when}`]),
  );

const declared: Record<string, KeysOf> = {
  tour: () => ['seed', 'n_points', 'noise_cm', 'slope', 'attenuation', 'expected_slope', 'intercept_cm', 'rmse_cm', 'r2'],
  river: (o) => {
    const stage = o.stage ?? 'inspect';
    const keys = RIVER[stage] ?? [];
    // Only a fit in log–log space has a power law to report.
    const scale = o.scale ?? (stage === 'fit' || stage === 'inspect' ? 'linear' : 'log');
    return stage === 'fit' && scale === 'log' ? [...keys, 'exponent', 'prefactor_mg_l'] : keys;
  },
  'volcano-look': () => VOLCANO_LOOK,
  'volcano-features': () => [
    'seed', 'n_events', 'n_features', 'top_separation', 'second_separation', 'feature_separation', 'lp_median_dominant_frequency_hz?',
    'vt_median_dominant_frequency_hz?', 'ic_median_duration_s?', 'tr_median_duration_s?',
  ],
  'volcano-split': () => ['seed', 'n_train', 'n_train_resampled', 'n_test', 'test_count_ic', 'test_share_deviation', 'accuracy', 'balanced_accuracy', 'macro_f1', 'lowest_recall', 'recall_ic'],
  'volcano-classify': () => [
    'seed', 'folds', 'n_train', 'n_test', 'best_cv_macro_f1', 'best_cv_macro_f1_std', 'worst_cv_macro_f1', 'accuracy', 'balanced_accuracy', 'macro_f1',
    'worst_macro_f1', 'lowest_recall', 'most_confused_count', 'second_cv_macro_f1', 'second_cv_macro_f1_std', 'paired_diff_second',
    'paired_diff_second_std', 'paired_wins_second',
  ],
  'volcano-importance': () => ['seed', 'top_feature_permutation_drop', 'last_feature_permutation_drop', 'macro_f1_all', 'macro_f1_top3', 'cv_macro_f1_all', 'cv_macro_f1_top3', 'macro_f1_change'],
  'lidar-look': () => ['seed', 'n_points', 'points_per_m2', 'minority_share?', 'majority_share?', 'density_near_per_m2?', 'density_far_per_m2?', 'density_ratio?'],
  'lidar-features': () => [
    'seed', 'n_cores', 'n_filled', 'mean_neighbours', 'n_sparse', 'sparse_share', 'separation?', 'best_scale_m?', 'best_separation?',
    'worst_scale_m?', 'worst_separation?', 'chance?',
  ],
  'lidar-classify': () => LIDAR_CLASSIFY,
  'lidar-cluster': (o) => {
    const model = o.model ?? 'kmeans';
    const base = ['seed', 'n_cores', 'n_clusters', 'inertia', 'silhouette?', 'ari?', 'nmi?', 'n_classes?'];
    if (model === 'dbscan') return [...base, 'eps', 'min_samples', 'noise_share', 'k_distance_median', 'k_distance_p90'];
    if (model === 'kmeans') return [...base, 'k', 'best_k_silhouette', 'best_silhouette'];
    return [...base, 'k'];
  },
  'digits-look': () => ['seed', 'n_train', 'n_test', 'width', 'height', 'inputs', 'classes', 'first_label', 'first_ink_pixels'],
  train: (o) => ((o.model ?? 'mlp') === 'mlp' ? [...TRAIN, 'hidden_units'] : TRAIN),
  leaderboard: () => ['best_params?', 'best_accuracy?', 'best_training_seconds?', 'class_size?', 'rank?', 'would_rank?'],
  'pick-look': () => ['seed', 'sample_rate_hz', 'samples', 'duration_s'],
  pick: () => [
    'seed', 'params', 'weights_total', 'records', 'windows', 'windows_per_second', 'threshold', 'tolerance_s', ...PICK_SCORES,
    'p_true_positives', 'p_false_positives', 'p_false_negatives', 's_true_positives', 's_false_positives', 's_false_negatives',
    'residual_p_mean_s?', 'residual_p_std_s?', 'residual_s_mean_s?', 'residual_s_std_s?', 'example_p_s?', 'example_s_s?', 'example_s_minus_p_s?',
  ],
  review: () => ['lessons_started', 'questions_answered', 'first_try_share?', 'wrong_attempts'],
  attention: () => [
    'seed', 'length', 'width', 'n_train', 'n_test', 'epochs', 'snr', 'parameters', 'seconds_train', 'final_loss', 'accuracy_within_1',
    'mean_abs_error_samples', 'chance_within_1', 'attention_near_onset', 'attention_uniform', 'example_onset', 'example_predicted',
  ],
  finetune: () => [
    'seed', 'examples', 'epochs', 'learning_rate', 'batch_size', 'params_trained', 'params_total', 'held_out_windows', 'local_windows', 'threshold',
    'tolerance_s', ...FINETUNE_SCORES('before'), ...FINETUNE_SCORES('after'), 'p_f1_change', 's_f1_change', 'local_p_f1_change',
    'local_s_f1_change', 'loss_first', 'loss_last', 'training_seconds', 'seconds_per_epoch', 'example_window?',
  ],
  frugal: () => ['seed', 'epochs', 'best_accuracy', 'good_enough_parameters', 'largest_parameters', 'largest_accuracy', 'parameter_ratio', 'energy_ratio'],
  // The general tasks of `eds run`: the keys every run has (cross-validation and ROC add nested or optional ones).
  regression: () => ['seed', 'n_train', 'n_test', 'n_dropped', 'rmse_test', 'mae_test', 'r2_test', 'rmse_train', 'r2_train'],
  classify: () => ['seed', 'n_train', 'n_test', 'n_dropped', 'accuracy', 'balanced_accuracy', 'macro_f1', 'train_accuracy', 'mean_iou', 'roc_auc?'],
  cluster: (o) => [
    'seed', 'n_train', 'n_test', 'n_dropped', 'n_clusters', 'inertia', 'silhouette?', 'ari?', 'nmi?', ...((o.model ?? 'kmeans') === 'dbscan' ? [] : ['k']),
  ],
};

/** A declared key: its name, and whether it may be missing (null) when it cannot be computed. */
export interface ResultKey {
  /** Key in the result JSON. */
  key: string;
  /** True when the task gives null (or leaves it out) when it cannot compute it. */
  optional: boolean;
}

/** The numeric keys `task` produces with `options`, or null when the task declares none (unknown task). */
export function resultKeys(task: string, options: Options): ResultKey[] | null {
  const of = declared[task];
  if (!of) return null;
  return of(options).map((k) => (k.endsWith('?') ? { key: k.slice(0, -1), optional: true } : { key: k, optional: false }));
}

/** The tasks with declared result keys. */
export function tasksWithResultKeys(): string[] {
  return Object.keys(declared);
}
