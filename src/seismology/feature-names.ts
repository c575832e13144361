// The volcano lesson's feature names, apart from the feature code so the task declarations can list them without loading it.

/** Column names of the feature table, in this order (snake_case, units in the name where there is one). */
export const FEATURE_NAMES = [
  'snr_db',
  'duration_s',
  'rise_time_s',
  'decay_time_s',
  'dominant_frequency_hz',
  'spectral_centroid_hz',
  'spectral_spread_hz',
  'spectral_entropy',
  'q25_s',
  'q50_s',
  'q75_s',
  'kurtosis',
  'skewness',
  'peak_amplitude',
] as const;
