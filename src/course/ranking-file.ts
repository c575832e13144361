// The published class ranking on disk: `eds instructor leaderboard --publish` writes `DIR/leaderboard.json`
// (0644, beside course.json, where only the course directory's owner writes), every student's tutor reads it.
import { existsSync, lstatSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { UserError } from '../errors.js';
import { replaceFile } from '../util/replace-file.js';
import { parseRanking, type PublishedRanking } from '../leaderboard/ranking.js';
import { errnoText, RANKING_FILE } from './layout.js';

/**
 * Writes the ranking atomically (a temporary file renamed over the old one), so a student's tutor reading it
 * at that moment sees the old or the new file, never half of one. Returns the path written.
 */
export function publishRanking(dir: string, ranking: PublishedRanking): string {
  const path = join(dir, RANKING_FILE);
  try {
    replaceFile(path, JSON.stringify(ranking, null, 1) + '\n');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw new UserError(
      `cannot publish ${path}: ${errnoText(err)}`,
      code === 'EACCES' || code === 'EPERM' ? { hint: `run it as the owner of ${dir}, or give the instructors' group write access to it (chmod g+w)` } : {},
    );
  }
  return path;
}

/** What a student's tutor finds in the course directory. */
export type PublishedRankingRead = { ranking: PublishedRanking } | { missing: true } | { problem: string };

/** Reads the published ranking; no file is `missing` (nothing published yet), anything wrong is one line in `problem`. */
export function readPublishedRanking(dir: string): PublishedRankingRead {
  const path = join(dir, RANKING_FILE);
  try {
    const st = lstatSync(path);
    if (!st.isFile()) return { problem: `${path} is not a regular file; ask your instructor to publish the ranking again` };
    return { ranking: parseRanking(readFileSync(path, 'utf8')) };
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') {
      // No file in a course directory that exists means nothing published yet; no directory is a setup problem.
      return existsSync(dir) ? { missing: true } : { problem: `the course directory ${dir} does not exist` };
    }
    if (code) return { problem: `cannot read ${path}: ${errnoText(err)}` };
    return { problem: `${path}: ${(err as Error).message}` };
  }
}
