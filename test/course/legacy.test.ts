// Predictions an older eds logged with correct = null (committed before the run, never updated) are read in the
// instructors' reports as the screen showed them, not as wrong answers.
import { describe, expect, it } from 'vitest';
import { writeFileSync } from 'node:fs';
import { userInfo } from 'node:os';
import { join } from 'node:path';
import { formatRecord, type AttemptRecord } from '../../src/course/record.js';
import { readCourseRecords } from '../../src/course/class-report.js';
import { questionIndex, regradeLegacyPredictions } from '../../src/course/legacy.js';
import { loadLessons } from '../../src/lessons/index.js';
import { runCli } from '../support/cli.js';
import { keptCourseDir } from '../support/course.js';

const courseDir = () => keptCourseDir('eds-legacy-');

/** A record as eds 0.1 wrote it: no uuid, no grading, a prediction with correct null. */
function old(id: number, question: string, answer: string, correct: boolean | null): AttemptRecord {
  return {
    kind: 'attempt',
    user: userInfo().username,
    id,
    time: `2026-10-0${id}T10:00:00.000Z`,
    lesson: 'intro',
    question,
    answer,
    correct,
    attempt: 1,
    seconds: 5,
    seed: 3,
    version: '0.1.0',
  };
}

describe('old predictions in the course records', () => {
  const dir = courseDir();
  const file = join(dir, 'records', `${userInfo().username}.${process.getuid!()}.jsonl`);
  writeFileSync(
    file,
    [
      old(1, 'predict-noise', 'It grows.', null),
      old(2, 'predict-noise', 'It stays the same.', null),
      old(3, 'what-is-a-residual', 'the distance of a point from the line', true),
    ]
      .map(formatRecord)
      .join(''),
    { mode: 0o640 },
  );
  const questions = questionIndex(loadLessons().lessons);

  it('get the correctness of the choice they name, and grading predict; other records are untouched', () => {
    const data = regradeLegacyPredictions(readCourseRecords(dir), questions);
    expect(data.attempts.map((a) => [a.question, a.correct, a.grading ?? null])).toEqual([
      ['predict-noise', true, 'predict'],
      ['predict-noise', false, 'predict'],
      ['what-is-a-residual', true, null],
    ]);
  });

  it('count as right in eds instructor report --json when the screen said right', async () => {
    const r = await runCli(['instructor', 'report', '--json', '--dir', dir]);
    expect(r.code).toBe(0);
    const report = JSON.parse(r.out) as { questions: Array<{ question: string; first_try_rate: number | null; common_wrong: Array<{ answer: string }> }> };
    const row = report.questions.find((q) => q.question === 'predict-noise')!;
    // The first attempt is the one the rate judges: shown as right, it was read as not graded (null) or wrong before.
    expect(row.first_try_rate).toBe(1);
    expect(row.common_wrong.map((w) => w.answer)).toEqual(['it stays the same.']);
  });
});
