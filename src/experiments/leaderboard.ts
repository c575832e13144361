// `leaderboard` task: the student's best digits run and, where an instructor published one, the class ranking
// with the student's place in it (the neural lesson's last digits step, and `eds leaderboard`).
import { wrapWords } from '../render/text.js';
import { LEADERBOARD_RULES, savedBest, type LeaderboardEntry } from '../leaderboard/rules.js';
import { entryModelLabel, formatRanking, standingOf, type PublishedRanking } from '../leaderboard/ranking.js';
import { keyValueFigure } from './common.js';
import type { ExperimentCallbacks, ExperimentResult, Figure, TaskContext } from './types.js';

/** Where the class ranking came from, as the task sees it. */
export type ClassRanking =
  | { state: 'published'; ranking: PublishedRanking; dir: string }
  | { state: 'none'; why: string }
  | { state: 'unavailable'; why: string };

/** Finds the published class ranking through the course directory setting; never throws. */
export async function classRanking(env: NodeJS.ProcessEnv = process.env): Promise<ClassRanking> {
  const { resolveCourseDir } = await import('../course/config.js');
  const { readPublishedRanking } = await import('../course/ranking-file.js');
  let dir: string;
  try {
    const setting = resolveCourseDir(env);
    if (!setting) return { state: 'none', why: 'no course directory is configured on this machine' };
    dir = setting.dir;
  } catch (err) {
    return { state: 'unavailable', why: err instanceof Error ? err.message : String(err) };
  }
  const read = readPublishedRanking(dir);
  if ('ranking' in read) return { state: 'published', ranking: read.ranking, dir };
  if ('missing' in read) return { state: 'none', why: 'your instructor has not published a class ranking yet (eds instructor leaderboard --publish)' };
  return { state: 'unavailable', why: read.problem };
}

/** Builds the task's result from the student's entry and the class ranking (pure). */
export function leaderboardResult(mine: LeaderboardEntry | null, cls: ClassRanking): ExperimentResult {
  const rules = `at least ${LEADERBOARD_RULES.minAccuracy * 100} % test accuracy, training under ${LEADERBOARD_RULES.maxTrainingSeconds / 60} minutes; above that bar, fewest parameters wins`;
  const json: Record<string, unknown> = {
    task: 'leaderboard',
    board: 'digits',
    has_entry: mine !== null,
    best_model: mine?.model ?? null,
    best_params: mine?.params ?? null,
    best_accuracy: mine?.accuracy ?? null,
    best_training_seconds: mine?.trainingSeconds ?? null,
    ranking: cls.state,
  };
  const entry = keyValueFigure(
    'Your best leaderboard entry',
    mine
      ? [
          // A CNN by its shape (`cnn 4,8/2`: filters per layer / pooling), an MLP by its hidden units.
          ['model', mine.model === 'cnn' ? entryModelLabel(mine) : mine.model + (mine.hiddenUnits !== undefined ? ` (${mine.hiddenUnits} hidden units)` : '')],
          ['parameters', mine.params.toLocaleString('en-US')],
          ['test accuracy', `${(mine.accuracy * 100).toFixed(1)} %`],
          ['training time', `${mine.trainingSeconds.toFixed(1)} s on ${mine.backend}`],
        ]
      : [['entry', 'none yet: no run of yours has qualified']],
  );
  const figures: Figure[] = [{ title: entry.title, render: (caps) => `${entry.render(caps)}\n${wrapWords(`Rules: ${rules}.`, caps.width).join('\n')}` }];
  if (cls.state === 'published') {
    const standing = standingOf(cls.ranking, mine);
    Object.assign(json, { class_size: standing.students, rank: standing.published, would_rank: standing.wouldBe, published_at: cls.ranking.published });
    const when = cls.ranking.published.slice(0, 16).replace('T', ' ');
    const place =
      standing.published !== null
        ? `You are number ${standing.published} of ${standing.students}.`
        : standing.wouldBe !== null
          ? `Your best run is newer than this ranking: it would be number ${standing.wouldBe} of ${standing.students + 1}. It is in the course records; it shows here once your instructor publishes again.`
          : 'Train a qualifying run to enter.';
    figures.push({
      title: `Class ranking (published ${when} UTC)`,
      render: (caps) =>
        cls.ranking.entries.length === 0
          ? wrapWords(`No student has a qualifying run in this ranking yet. ${place}`, caps.width).join('\n')
          : `${formatRanking(cls.ranking, mine, { top: Math.max(3, Math.min(10, caps.height - 6)), unicode: caps.unicode })}\n\n${wrapWords(place, caps.width).join('\n')}`,
    });
  } else {
    json.why = cls.why;
    figures.push({ title: 'Class ranking', render: (caps) => wrapWords(`No class ranking to show: ${cls.why}.`, caps.width).join('\n') });
  }
  return { json, figures };
}

/** The task: reads the student's store (the TUI's, through `context`) and the course directory. */
export async function runLeaderboardTask(
  _options?: unknown,
  _seed?: number,
  _callbacks?: ExperimentCallbacks,
  context?: TaskContext,
): Promise<ExperimentResult> {
  const { openStore } = await import('../store/index.js');
  const store = openStore(context ?? {});
  let mine: LeaderboardEntry | null;
  try {
    mine = savedBest(store);
  } finally {
    store.close();
  }
  return leaderboardResult(mine, await classRanking());
}
