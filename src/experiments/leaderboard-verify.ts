// Re-training the class ranking's candidates on the instructor's machine: a student owns their record file and can
// write any entry into it, so an entry is published as verified only when its logged configuration and seed,
// trained again here, give the same model and an accuracy within the tolerance.
import { LEADERBOARD_RULES, type LeaderboardEntry } from '../leaderboard/rules.js';
import { safeLine } from '../util/safe-text.js';
import {
  buildRanking,
  digitsModelParams,
  entryCnn,
  entryModelLabel,
  type LoggedEntry,
  type PublishedRanking,
  type RankedEntry,
} from '../leaderboard/ranking.js';

/**
 * How far a re-trained accuracy may be from the logged one. Same seed and backend give the same numbers; another
 * backend (the student's GPU, the instructor's WebAssembly) sums floats in another order, which moves the test
 * accuracy of a digits model by a few test digits out of 2,000 (0.1–0.3 points). One point is far above that and
 * far below what a forged entry claims (an MLP of 5 hidden units reaches about 85 %, not 100 %).
 */
export const VERIFY_ACCURACY_TOLERANCE = 0.01;

/** Entries of one student that may fail to reproduce before the rest of theirs are left out untried. */
export const MAX_FAILED_PER_STUDENT = 2;

/** What re-training an entry gave. */
export interface Retrained {
  /** Trainable parameters of the model built from the entry's configuration. */
  params: number;
  /** Test accuracy on the standard 2,000 held-out digits, fraction. */
  accuracy: number;
  /** Training time here (s), all epochs. */
  trainingSeconds: number;
  /** Backend it ran on here. */
  backend: string;
}

/** Trains the entry's configuration again (in the CLI: `runTrain`; in tests, the same with a smaller budget). */
export type Retrain = (entry: LeaderboardEntry) => Promise<Retrained>;

/** The verdict on one candidate. */
export interface Verification {
  /** The entry as logged. */
  entry: RankedEntry;
  /** True when it reproduced within the tolerance and the rules. */
  verified: boolean;
  /** What the re-training gave (absent when it could not run). */
  retrained?: Retrained;
  /** Why it was not verified (one line), when it was not. */
  why?: string;
}

/** Whether a re-trained run confirms the logged entry (pure). */
export function confirms(entry: LeaderboardEntry, run: Retrained): string | null {
  const expected = digitsModelParams(entry.model, entry.hiddenUnits, entry);
  if (run.params !== entry.params || (expected !== null && run.params !== expected))
    return `re-trained model has ${run.params} parameters, the entry says ${entry.params}`;
  if (!Number.isFinite(run.accuracy)) return 're-training gave no accuracy';
  const delta = Math.abs(run.accuracy - entry.accuracy);
  if (delta > VERIFY_ACCURACY_TOLERANCE) {
    return `re-trained accuracy ${(run.accuracy * 100).toFixed(1)} %, the entry says ${(entry.accuracy * 100).toFixed(1)} % (tolerance ${VERIFY_ACCURACY_TOLERANCE * 100} point)`;
  }
  if (run.accuracy < LEADERBOARD_RULES.minAccuracy)
    return `re-trained accuracy ${(run.accuracy * 100).toFixed(1)} % is below ${LEADERBOARD_RULES.minAccuracy * 100} %`;
  if (!(run.trainingSeconds <= LEADERBOARD_RULES.maxTrainingSeconds)) {
    return `re-training took ${run.trainingSeconds.toFixed(0)} s here on ${run.backend}, more than ${LEADERBOARD_RULES.maxTrainingSeconds / 60} minutes`;
  }
  return null;
}

/**
 * Verifies the best entries in rank order until `top` of them are verified (or the candidates run out): entries
 * that do not reproduce are left out of the ranking with a line in `problems`, verified ones are marked, the rest
 * stay marked unverified. Ranks are computed again over what remains. `onProgress` says which one is training.
 */
export async function verifyRanking(
  ranking: PublishedRanking,
  retrain: Retrain,
  options: { top: number; onProgress?: (line: string) => void },
): Promise<{ ranking: PublishedRanking; verifications: Verification[]; problems: string[] }> {
  const verifications: Verification[] = [];
  const problems: string[] = [];
  const left: RankedEntry[] = [];
  let verified = 0;
  for (const entry of ranking.entries) {
    if (verified >= options.top) {
      left.push({ ...entry, verified: false });
      continue;
    }
    const who = entry.student ?? `rank ${entry.rank}`;
    options.onProgress?.(`re-training ${who}'s ${entryModelLabel(entry)}, seed ${entry.seed}, ${entry.epochs} epochs…`);
    let run: Retrained;
    try {
      run = await retrain(entry);
    } catch (err) {
      const why = `re-training failed: ${err instanceof Error ? err.message.split('\n')[0]! : String(err)}`;
      verifications.push({ entry, verified: false, why });
      problems.push(`${who}: leaderboard entry left out (${why})`);
      continue;
    }
    const why = confirms(entry, run);
    verifications.push({ entry, verified: why === null, retrained: run, ...(why ? { why } : {}) });
    if (why) {
      problems.push(`${who}: leaderboard entry left out, it does not reproduce (${why})`);
      continue;
    }
    verified++;
    left.push({ ...entry, verified: true });
  }
  return { ranking: { ...ranking, entries: rerank(left) }, verifications, problems };
}

/**
 * The class ranking from the logged entries with the best `top` verified: a student whose best entry does not
 * reproduce is ranked by their next best logged entry (verified in turn), never by the one that failed. Each
 * configuration is trained once.
 */
export async function verifyLogged(
  logged: readonly LoggedEntry[],
  retrain: Retrain,
  options: { top: number; now?: Date; onProgress?: (line: string) => void },
): Promise<{ ranking: PublishedRanking; problems: string[] }> {
  const cache = new Map<string, Promise<Retrained>>();
  const cached: Retrain = (entry) => {
    const shape = entry.model === 'cnn' ? entryCnn(entry) : null;
    const key = JSON.stringify([
      entry.model,
      entry.hiddenUnits ?? null,
      shape?.filters ?? null,
      shape?.pool ?? null,
      entry.epochs,
      entry.batchSize,
      entry.learningRate,
      entry.seed,
    ]);
    let run = cache.get(key);
    if (!run) {
      run = retrain(entry);
      cache.set(key, run);
    }
    return run;
  };
  let remaining = [...logged];
  const problems: string[] = [];
  // Entries of each student that did not reproduce: past MAX_FAILED_PER_STUDENT the student's others are not tried.
  const failures = new Map<string, number>();
  // Each round leaves out at least one logged entry, so this ends; the bound is a guard, not the rule.
  for (let round = 0; round <= logged.length; round++) {
    const built = buildRanking(remaining, { names: true, ...(options.now ? { now: options.now } : {}) });
    const checked = await verifyRanking(built.ranking, cached, options);
    const failedOnes = checked.verifications.filter((v) => !v.verified);
    const failed = new Set(failedOnes.map((v) => `${v.entry.student}\u0000${v.entry.recordedAt}\u0000${v.entry.params}\u0000${v.entry.accuracy}`));
    if (failed.size === 0) return { ranking: checked.ranking, problems: [...built.problems, ...problems] };
    problems.push(...checked.problems);
    const givenUp = new Set<string>();
    for (const v of failedOnes) {
      const n = (failures.get(v.entry.student ?? '') ?? 0) + 1;
      failures.set(v.entry.student ?? '', n);
      if (n === MAX_FAILED_PER_STUDENT) {
        // A student can log a thousand forged entries, each costing up to ten minutes to train here.
        givenUp.add(v.entry.student ?? '');
        problems.push(`${v.entry.student}: ${n} leaderboard entries did not reproduce; their other entries were not tried`);
      }
    }
    remaining = remaining.filter((a) => {
      if (givenUp.has(safeLine(a.user, 64))) return false;
      try {
        const e = JSON.parse(a.answer) as LeaderboardEntry;
        return !failed.has(`${safeLine(a.user, 64)}\u0000${e.recordedAt}\u0000${e.params}\u0000${e.accuracy}`);
      } catch {
        return true;
      }
    });
  }
  throw new Error('leaderboard verification did not settle (a bug: please report it)');
}

/** Ranks again after entries were left out: equal neighbours keep sharing a rank. */
function rerank(entries: RankedEntry[]): RankedEntry[] {
  const out: RankedEntry[] = [];
  entries.forEach((e, i) => {
    const previous = out[i - 1];
    const tied = previous !== undefined && previous.params === e.params && previous.accuracy === e.accuracy && previous.trainingSeconds === e.trainingSeconds;
    out.push({ ...e, rank: tied ? previous.rank : i + 1 });
  });
  return out;
}

/**
 * The real re-training: the entry's model, hidden units or CNN shape (filters and pooling; the default 8,16/2 for
 * an entry logged before the CNN could be reshaped), epochs, batch size, step size and seed, on the standard split.
 */
export async function retrainDigits(entry: LeaderboardEntry): Promise<Retrained> {
  const { runTrain } = await import('./train.js');
  // A forged entry may claim a thousand epochs in one second: stop once the rules are clearly broken here.
  const started = Date.now();
  const limitMs = 2 * LEADERBOARD_RULES.maxTrainingSeconds * 1000;
  const { json } = await runTrain(
    {
      model: entry.model === 'mlp' ? 'mlp' : 'cnn',
      ...(entry.hiddenUnits !== undefined ? { hiddenUnits: entry.hiddenUnits } : {}),
      ...cnnOptions(entry),
      epochs: entry.epochs,
      batchSize: entry.batchSize,
      learningRate: entry.learningRate,
      seed: entry.seed,
    },
    {
      onEpochEnd: (epoch) => {
        if (Date.now() - started > limitMs)
          throw new Error(
            `stopped after ${epoch + 1} of ${entry.epochs} epochs: more than twice the ${LEADERBOARD_RULES.maxTrainingSeconds / 60}-minute limit here`,
          );
      },
    },
  );
  const num = (k: string): number => Number(json[k]);
  return { params: num('params'), accuracy: num('accuracy'), trainingSeconds: num('seconds_per_epoch') * num('epochs'), backend: String(json.backend) };
}

/** The CNN shape to train again: the declared one, so a forged count meets the real model's. */
function cnnOptions(entry: LeaderboardEntry): { filters?: number[]; pool?: number[] } {
  if (entry.model !== 'cnn') return {};
  const arch = entryCnn(entry);
  if (!arch) throw new Error('the entry declares a CNN shape eds cannot build');
  return { filters: arch.filters, pool: arch.pool };
}
