// The digits leaderboard's rules: which runs enter (at least 95 % test accuracy, under 5 minutes of training), how
// entries rank (above the bar, fewest parameters first), and the student's best entry kept in their store.

/** The course leaderboard's rules: a run enters with at least this test accuracy and this training time; fewest parameters wins. */
export const LEADERBOARD_RULES = {
  /** Minimum test accuracy, fraction. */
  minAccuracy: 0.95,
  /** Maximum training time (s): the sum of the epochs' training time, evaluation excluded. */
  maxTrainingSeconds: 300,
} as const;

/** The store key of the student's best leaderboard entry (JSON of `LeaderboardEntry`). */
export const LEADERBOARD_SETTING = 'leaderboard:digits';

/** One run, as the leaderboard sees it. */
export interface LeaderboardEntry {
  /** 'mlp' or 'cnn'. */
  model: string;
  /** Trainable parameters (what is ranked: fewer is better). */
  params: number;
  /** Test accuracy, fraction in [0, 1]. */
  accuracy: number;
  /** Training time (s), all epochs. */
  trainingSeconds: number;
  /** Backend that trained it ('wasm', 'native', 'gpu', 'js'): times only compare on the same one. */
  backend: string;
  /** Hidden units (MLP only). */
  hiddenUnits?: number;
  /** CNN only: filters per conv layer. Absent in entries logged before the CNN could be reshaped: the default 8,16. */
  filters?: number[];
  /** CNN only: max-pool size after each conv layer (1: none); absent with `filters`: 2,2. */
  pool?: number[];
  /** Epochs, batch size and learning rate, so the run can be repeated. */
  epochs: number;
  /** Digits per gradient step. */
  batchSize: number;
  /** Adam step size. */
  learningRate: number;
  /** Seed of the run. */
  seed: number;
  /** When it was recorded (ISO 8601). */
  recordedAt: string;
}

/** Whether a run qualifies, and why not. */
export interface LeaderboardCheck {
  /** True when every rule holds. */
  eligible: boolean;
  /** One line per broken rule (empty when eligible). */
  reasons: string[];
  /** The entry the run would make. */
  entry: LeaderboardEntry;
}

/** Checks a `runTrain` JSON result against the leaderboard rules (pure: no store). */
export function checkLeaderboard(json: Record<string, unknown>, now: Date = new Date()): LeaderboardCheck {
  const num = (k: string): number => Number(json[k]);
  const trainingSeconds = Math.round(num('seconds_per_epoch') * num('epochs') * 1000) / 1000;
  const entry: LeaderboardEntry = {
    model: String(json.model),
    params: num('params'),
    accuracy: num('accuracy'),
    trainingSeconds,
    backend: String(json.backend),
    ...(json.model === 'mlp' && json.hidden_units !== undefined ? { hiddenUnits: num('hidden_units') } : {}),
    ...(json.model === 'cnn' && Array.isArray(json.filters) && Array.isArray(json.pool)
      ? { filters: json.filters.map(Number), pool: json.pool.map(Number) }
      : {}),
    epochs: num('epochs'),
    batchSize: num('batch_size'),
    learningRate: num('learning_rate'),
    seed: num('seed'),
    recordedAt: now.toISOString(),
  };
  const reasons: string[] = [];
  if (!(entry.accuracy >= LEADERBOARD_RULES.minAccuracy))
    reasons.push(`test accuracy ${(entry.accuracy * 100).toFixed(1)} % is below ${LEADERBOARD_RULES.minAccuracy * 100} %`);
  if (!(entry.trainingSeconds <= LEADERBOARD_RULES.maxTrainingSeconds))
    reasons.push(`training took ${entry.trainingSeconds.toFixed(0)} s, more than ${LEADERBOARD_RULES.maxTrainingSeconds / 60} minutes`);
  // The leaderboard is about the test digits the tutor holds out, so the standard split must be kept.
  if (num('n_test') < 2000) reasons.push(`only ${num('n_test')} test digits: the leaderboard needs the standard 2,000`);
  return { eligible: reasons.length === 0, reasons, entry };
}

/**
 * True when `a` ranks above `b`: above the accuracy bar first (every ranked entry is), then fewer parameters,
 * then higher accuracy, then faster. Accuracy past the bar only breaks ties: a smaller network that does the
 * job wins.
 */
export function betterEntry(a: LeaderboardEntry, b: LeaderboardEntry): boolean {
  const aboveA = a.accuracy >= LEADERBOARD_RULES.minAccuracy;
  const aboveB = b.accuracy >= LEADERBOARD_RULES.minAccuracy;
  if (aboveA !== aboveB) return aboveA;
  if (a.params !== b.params) return a.params < b.params;
  if (a.accuracy !== b.accuracy) return a.accuracy > b.accuracy;
  return a.trainingSeconds < b.trainingSeconds;
}

/**
 * Keeps the student's best eligible run in the store setting `leaderboard:digits` (JSON); returns what is kept
 * now, or null when nothing qualifies yet. A damaged stored value is replaced, not trusted.
 */
export function recordLeaderboard(
  store: { setting(key: string): string | null; setSetting(key: string, value: string): void },
  check: LeaderboardCheck,
): LeaderboardEntry | null {
  let best = savedBest(store);
  if (check.eligible && (best === null || betterEntry(check.entry, best))) {
    best = check.entry;
    store.setSetting(LEADERBOARD_SETTING, JSON.stringify(best));
  }
  return best;
}

/** The student's best entry kept in their store, or null; an unreadable value (a previous bug, a hand edit) counts as none. */
export function savedBest(store: { setting(key: string): string | null }): LeaderboardEntry | null {
  const saved = store.setting(LEADERBOARD_SETTING);
  if (saved === null) return null;
  try {
    const parsed = JSON.parse(saved) as LeaderboardEntry;
    return parsed !== null && Number.isFinite(parsed.params) && Number.isFinite(parsed.accuracy) ? parsed : null;
  } catch {
    return null;
  }
}

/**
 * For the caller that owns the store (the TUI's services): checks a finished `train` result and
 * keeps the best eligible run in `leaderboard:digits`. Other tasks' results are ignored (returns null).
 */
export function recordTrainResult(
  store: { setting(key: string): string | null; setSetting(key: string, value: string): void },
  json: Record<string, unknown>,
): LeaderboardEntry | null {
  if (json.task !== 'train' || json.dataset !== 'digits') return null;
  return recordLeaderboard(store, checkLeaderboard(json));
}
