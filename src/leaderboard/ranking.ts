// The class ranking of the digits leaderboard: built by an instructor from the class's logged entries, published
// as one JSON file in the course directory, read by every student's tutor (students cannot read each other's
// records, so a published file is the only way they see the class).
import { z } from 'zod/v4';
import { betterEntry, LEADERBOARD_RULES, type LeaderboardEntry } from './rules.js';
import { safeLine } from '../util/safe-text.js';
import { LEADERBOARD_QUESTION } from './question.js';
import { cnnArchProblem, cnnLabel, cnnParams, DEFAULT_CNN, type CnnArch } from '../nn/cnn-arch.js';

/** Tells a ranking file from any other JSON. */
export const RANKING_FORMAT = 'eds-leaderboard';

export { LEADERBOARD_QUESTION };

/** One line of the ranking. */
export interface RankedEntry extends LeaderboardEntry {
  /** 1 for the best; entries equal on parameters, accuracy and time share a rank. */
  rank: number;
  /** The student's login, only when the instructor published with names. */
  student?: string;
  /**
   * True when the instructor trained the entry again from its logged configuration and seed and it reproduced
   * (`eds instructor leaderboard --verify`); false or absent: the student's word only.
   */
  verified?: boolean;
}

/** What `leaderboard.json` holds. */
export interface PublishedRanking {
  /** Always `eds-leaderboard`. */
  format: typeof RANKING_FORMAT;
  /** File layout version. */
  version: 1;
  /** Which leaderboard: the digits one is the only one so far. */
  board: 'digits';
  /** When the instructor published it (ISO 8601). */
  published: string;
  /** The rules the entries were checked against. */
  rules: { min_accuracy: number; max_training_seconds: number };
  /** Best entry per student, best first. */
  entries: RankedEntry[];
}

/** A logged attempt, as far as the ranking needs it. */
export interface LoggedEntry {
  /** Login of the student (verified from the record file's owner). */
  user: string;
  /** Lesson id of the attempt. */
  lesson: string;
  /** Question id of the attempt. */
  question: string;
  /** The answer: the entry as JSON. */
  answer: string;
}

/**
 * Trainable parameters of the lesson's digits models, so a logged entry can be checked: an MLP with h hidden
 * units has 784·h + h weights and biases into the hidden layer and 10·h + 10 out of it; a CNN has f·(9c + 1) per
 * conv layer and side²·f·10 + 10 in its dense layer (`cnnParams`). A CNN entry without `filters` and `pool` was
 * logged when the CNN was fixed: the default 8,16/2 (5,258). Null for a model or shape the lesson cannot train.
 */
export function digitsModelParams(model: string, hiddenUnits?: number, shape?: { filters?: unknown; pool?: unknown }): number | null {
  if (model === 'mlp') return hiddenUnits !== undefined && Number.isInteger(hiddenUnits) && hiddenUnits >= 5 ? 795 * hiddenUnits + 10 : null;
  if (model === 'cnn') {
    const arch = entryCnn(shape ?? {});
    return arch === null ? null : cnnParams(arch);
  }
  return null;
}

/**
 * The CNN shape an entry declares: its `filters` and `pool`, or the default when it has neither (an entry logged
 * before the CNN could be reshaped). Null when only one is there or the shape cannot be built.
 */
export function entryCnn(e: { filters?: unknown; pool?: unknown }): CnnArch | null {
  if (e.filters === undefined && e.pool === undefined) return { filters: [...DEFAULT_CNN.filters], pool: [...DEFAULT_CNN.pool] };
  if (!Array.isArray(e.filters) || !Array.isArray(e.pool)) return null;
  const arch = { filters: e.filters as number[], pool: e.pool as number[] };
  return cnnArchProblem(arch) === null ? { filters: [...arch.filters], pool: [...arch.pool] } : null;
}

/** The model as the ranking shows it: `mlp 16`, `cnn 4,8/2` (filters per layer / pooling). */
export function entryModelLabel(e: LeaderboardEntry): string {
  if (e.model === 'cnn') {
    const arch = entryCnn(e);
    return arch ? `cnn ${cnnLabel(arch)}` : 'cnn ?';
  }
  // A published file an older eds wrote may hold anything here: printed, so made safe.
  return safeLine(e.model, 8) + (e.hiddenUnits !== undefined ? ` ${safeLine(e.hiddenUnits, 6)}` : '');
}

/** Why a logged entry cannot be ranked, or null when it can: the rules again, and a parameter count its model can have. */
export function entryProblem(entry: LeaderboardEntry): string | null {
  if (!Number.isFinite(entry.params) || !Number.isFinite(entry.accuracy) || !Number.isFinite(entry.trainingSeconds))
    return 'parameters, accuracy or training time missing';
  // What the ranking shows and the instructor trains again: only what `eds run train` itself accepts (a string of
  // escape codes as a CNN's hidden units reached every student's terminal through the published file).
  const whole = (v: unknown, min: number, max: number) => typeof v === 'number' && Number.isInteger(v) && v >= min && v <= max;
  if (entry.model === 'mlp' ? !whole(entry.hiddenUnits, 1, 4096) : entry.hiddenUnits !== undefined)
    return "hidden units not a whole number from 1 to 4096 (an MLP's only)";
  if (entry.model === 'mlp' && (entry.filters !== undefined || entry.pool !== undefined)) return "filters or pool on an MLP (a CNN's only)";
  if (entry.model === 'cnn' && entryCnn(entry) === null) {
    const listed = Array.isArray(entry.filters) && Array.isArray(entry.pool);
    return listed
      ? `CNN shape that eds run train refuses (${safeLine(cnnArchProblem({ filters: entry.filters!, pool: entry.pool! }) ?? '', 120)})`
      : 'CNN with only one of filters and pool, or not lists';
  }
  if (!whole(entry.epochs, 1, 1000) || !whole(entry.batchSize, 1, 10_000) || !whole(entry.seed, 0, 2 ** 32 - 1))
    return 'epochs, batch size or seed not as eds run train takes them';
  if (!(typeof entry.learningRate === 'number' && entry.learningRate > 0 && entry.learningRate <= 1)) return 'learning rate not in (0, 1]';
  if (typeof entry.backend !== 'string' || typeof entry.recordedAt !== 'string') return 'backend or time missing';
  if (entry.accuracy < LEADERBOARD_RULES.minAccuracy || entry.accuracy > 1) return `accuracy ${entry.accuracy} outside [${LEADERBOARD_RULES.minAccuracy}, 1]`;
  if (entry.trainingSeconds < 0 || entry.trainingSeconds > LEADERBOARD_RULES.maxTrainingSeconds)
    return `training time ${entry.trainingSeconds} s outside the rules`;
  const expected = digitsModelParams(entry.model, entry.hiddenUnits, entry);
  // A hand-edited record could claim any count; the lesson's models can only have these.
  const what =
    entry.model === 'cnn'
      ? entryModelLabel(entry)
      : `${safeLine(entry.model, 8)}${entry.hiddenUnits !== undefined ? ` with ${entry.hiddenUnits} hidden units` : ''}`;
  if (expected === null || expected !== entry.params) return `${entry.params} parameters is not what a ${what} has`;
  return null;
}

/**
 * Ranks the class: each student's best valid entry, best first (all are above the accuracy bar: fewest parameters,
 * then accuracy, then time).
 * Entries that break the rules or cannot be read are left out with a line in `problems`.
 */
export function buildRanking(logged: readonly LoggedEntry[], options: { names: boolean; now?: Date }): { ranking: PublishedRanking; problems: string[] } {
  const best = new Map<string, LeaderboardEntry>();
  const problems: string[] = [];
  for (const a of logged) {
    if (a.lesson !== LEADERBOARD_QUESTION.lesson || a.question !== LEADERBOARD_QUESTION.question) continue;
    let entry: LeaderboardEntry;
    try {
      entry = JSON.parse(a.answer) as LeaderboardEntry;
    } catch {
      problems.push(`${a.user}: a leaderboard entry that is not JSON; left out`);
      continue;
    }
    const why = entry !== null && typeof entry === 'object' ? entryProblem(entry) : 'not an entry';
    if (why) {
      problems.push(`${a.user}: leaderboard entry left out (${why})`);
      continue;
    }
    const kept = best.get(a.user);
    if (!kept || betterEntry(entry, kept)) best.set(a.user, entry);
  }
  const sorted = [...best.entries()].sort(([ua, a], [ub, b]) => (betterEntry(a, b) ? -1 : betterEntry(b, a) ? 1 : ua < ub ? -1 : 1));
  const entries: RankedEntry[] = [];
  sorted.forEach(([user, e], i) => {
    const previous = entries[i - 1];
    const tied = previous !== undefined && !betterEntry(previous, e);
    entries.push({ ...pickEntry(e), rank: tied ? previous.rank : i + 1, ...(options.names ? { student: safeLine(user, 64) } : {}) });
  });
  return {
    ranking: {
      format: RANKING_FORMAT,
      version: 1,
      board: 'digits',
      published: (options.now ?? new Date()).toISOString(),
      rules: { min_accuracy: LEADERBOARD_RULES.minAccuracy, max_training_seconds: LEADERBOARD_RULES.maxTrainingSeconds },
      entries,
    },
    problems,
  };
}

/** Only the entry's known fields: a record could carry anything else, and the file is read by the whole class. */
function pickEntry(e: LeaderboardEntry): LeaderboardEntry {
  return {
    model: safeLine(e.model, 8),
    params: e.params,
    accuracy: e.accuracy,
    trainingSeconds: e.trainingSeconds,
    // Written by the student: the whole class reads the published file in a terminal.
    backend: safeLine(e.backend, 16),
    ...(e.hiddenUnits !== undefined ? { hiddenUnits: e.hiddenUnits } : {}),
    // Checked by entryProblem: whole numbers only.
    ...(e.filters !== undefined && e.pool !== undefined ? { filters: e.filters.map(Number), pool: e.pool.map(Number) } : {}),
    epochs: Number(e.epochs),
    batchSize: Number(e.batchSize),
    learningRate: Number(e.learningRate),
    seed: Number(e.seed),
    recordedAt: safeLine(e.recordedAt, 40),
  };
}

// What a tutor needs of a published file to show it: the rest of each entry is shown through safeLine.
// Loose objects: a file from a newer eds with extra fields still reads.
const RankingFileSchema = z.looseObject({
  format: z.literal(RANKING_FORMAT),
  version: z.literal(1),
  published: z.string(),
  entries: z.array(z.unknown()),
});
const RankedEntrySchema = z.looseObject({ rank: z.number().int(), params: z.number(), accuracy: z.number(), trainingSeconds: z.number() });

/** Reads a ranking file's text; throws an Error with a one-line reason when it is not one. */
export function parseRanking(text: string): PublishedRanking {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err) {
    throw new Error(`not valid JSON (${(err as Error).message})`);
  }
  const file = RankingFileSchema.safeParse(value);
  if (!file.success) {
    // One message per part, the most basic first: not ours at all, a newer layout, then missing parts.
    const wrong = new Set(file.error.issues.map((issue) => String(issue.path[0] ?? '')));
    if (wrong.has('') || wrong.has('format')) throw new Error(`not an eds leaderboard file (format is not "${RANKING_FORMAT}")`);
    if (wrong.has('version'))
      throw new Error(`leaderboard file version ${String((value as { version?: unknown }).version)}, this eds reads version 1 (update eds)`);
    throw new Error('leaderboard file without entries or publication time');
  }
  for (const [i, e] of file.data.entries.entries()) {
    if (!RankedEntrySchema.safeParse(e).success) throw new Error(`leaderboard entry ${i + 1} is damaged`);
  }
  return value as PublishedRanking;
}

/** Where a student stands in a published ranking. */
export interface Standing {
  /** Their rank in the published file, when their current best is in it. */
  published: number | null;
  /** The rank their current best would take among the published entries (it may be newer than the file). */
  wouldBe: number | null;
  /** Students in the published ranking. */
  students: number;
}

/** Same run: the tutor finds a student's line by their own best entry, so an anonymous ranking still works. */
function sameRun(a: LeaderboardEntry, b: LeaderboardEntry): boolean {
  return a.recordedAt === b.recordedAt && a.params === b.params && a.accuracy === b.accuracy && a.seed === b.seed;
}

/** Finds the student's line (matched by their own best entry) and where that entry would rank now. */
export function standingOf(ranking: PublishedRanking, mine: LeaderboardEntry | null): Standing {
  const students = ranking.entries.length;
  if (!mine) return { published: null, wouldBe: null, students };
  const line = ranking.entries.find((e) => sameRun(e, mine));
  const others = ranking.entries.filter((e) => e !== line);
  const wouldBe = 1 + others.filter((e) => betterEntry(e, mine)).length;
  return { published: line ? line.rank : null, wouldBe, students };
}

/** The ranking as text lines: the top `top` entries, plus the student's own line marked when it is further down. */
export function formatRanking(ranking: PublishedRanking, mine: LeaderboardEntry | null, options: { top?: number; unicode?: boolean } = {}): string {
  const top = options.top ?? 10;
  const marker = options.unicode === false ? '>' : '▶';
  // 'time' is the training time; the model cell carries a CNN's shape (`cnn 8,16/2`), and the figure must fit 60 columns.
  const head = ['', 'rank', 'model', 'parameters', 'test acc.', 'time', 'backend'];
  // A mark beside the rank, not a column: the lesson's figure must fit 60 columns.
  const check = options.unicode === false ? '*' : '✓';
  const anyVerified = ranking.entries.some((e) => e.verified === true);
  const withNames = ranking.entries.some((e) => e.student !== undefined);
  if (withNames) head.splice(2, 0, 'student');
  const row = (e: RankedEntry): string[] => {
    const cells = [
      mine && sameRun(e, mine) ? marker : '',
      `${e.rank}${e.verified === true ? check : ''}`,
      entryModelLabel(e),
      e.params.toLocaleString('en-US'),
      `${(e.accuracy * 100).toFixed(1)} %`,
      `${e.trainingSeconds.toFixed(0)} s`,
      safeLine(e.backend, 16),
    ];
    if (withNames) cells.splice(2, 0, safeLine(e.student ?? '', 32));
    return cells;
  };
  const shown = ranking.entries.slice(0, top);
  const own = mine ? ranking.entries.findIndex((e) => sameRun(e, mine)) : -1;
  const rows = shown.map(row);
  if (own >= top)
    rows.push(
      head.map(() => (options.unicode === false ? '...' : '…')),
      row(ranking.entries[own]!),
    );
  const widths = head.map((h, j) => Math.max(h.length, ...rows.map((r) => r[j]!.length)));
  // Numbers right-aligned, words left-aligned.
  const numeric = new Set(['parameters', 'test acc.', 'time']);
  const line = (cells: string[]) =>
    cells
      .map((c, j) => (numeric.has(head[j]!) ? c.padStart(widths[j]!) : c.padEnd(widths[j]!)))
      .join('  ')
      .trimEnd();
  const legend = anyVerified ? [`${check} trained again by the instructor and reproduced; the others are as the student logged them`] : [];
  return [line(head), ...rows.map(line), ...legend].join('\n');
}
