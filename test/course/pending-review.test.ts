// A free-text answer left for review, with no instructor's verdict yet, is pending in the instructors' reports:
// not among the wrong answers nor in the first-try rate (the student's own y/n is no grade), counted apart, and
// marked in `eds instructor show`; once a verdict is given it counts as the verdict says.
import { afterEach, describe, expect, it } from 'vitest';
import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { randomUUID } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { formatRecord, type AttemptRecord } from '../../src/course/record.js';
import { RECORDS_DIR } from '../../src/course/layout.js';
import { attemptKey, pendingReview } from '../../src/course/review.js';
import { buildReport, formatQuestions, formatStudentLog, questionsCsv, type CourseRecords } from '../../src/course/class-report.js';
import { runCli } from '../support/cli.js';

const cleanups: Array<() => void> = [];
afterEach(() => {
  while (cleanups.length) cleanups.pop()!();
});

function courseDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'eds-pending-'));
  cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
  mkdirSync(join(dir, RECORDS_DIR));
  chmodSync(join(dir, RECORDS_DIR), 0o3773);
  return dir;
}

let id = 0;
const attempt = (over: Partial<AttemptRecord>): AttemptRecord => ({
  kind: 'attempt',
  user: 'root',
  id: ++id,
  time: `2025-10-01T10:${String(id).padStart(2, '0')}:00.000Z`,
  lesson: 'synthesis',
  question: 'quiz-split',
  answer: 'B',
  correct: true,
  attempt: 1,
  seconds: 20,
  seed: 3,
  version: '0.1.0',
  grading: 'auto',
  uuid: randomUUID(),
  ...over,
});
const selfAssessed = (user: string, answer: string, covers: boolean, over: Partial<AttemptRecord> = {}) =>
  attempt({ user, question: 'review-missed', answer, correct: covers, grading: 'review', detail: { self_assessment: covers, auto: null }, ...over });

describe('pendingReview', () => {
  it('is a review answer without a verdict in force; an auto answer or one with a verdict is not pending', () => {
    expect(pendingReview(selfAssessed('ana', 'x', false))).toBe(true);
    expect(pendingReview(selfAssessed('ana', 'x', true))).toBe(true);
    expect(pendingReview(attempt({ correct: false }))).toBe(false);
    expect(pendingReview({ ...selfAssessed('ana', 'x', false), review: { verdict: 'refuse', note: null, by: 'ivy', time: 't', auto: false } })).toBe(false);
    // An old record without grading is the tutor's grade.
    const { grading: _grading, ...rest } = attempt({ correct: false });
    const old: typeof rest & { grading?: AttemptRecord['grading'] } = rest;
    expect(pendingReview(old)).toBe(false);
  });
});

describe('buildReport with answers awaiting review', () => {
  const data = (attempts: AttemptRecord[]): CourseRecords =>
    ({
      attempts: attempts.map((a) => ({ ...a, file: 'f.jsonl', line: 1 })),
      steps: [],
      problems: [],
      files: 1,
      sources: [],
      duplicates: 0,
    }) as unknown as CourseRecords;

  it('leaves them out of first_try_rate and common_wrong, and counts them as pending', () => {
    const report = buildReport(
      data([
        selfAssessed('ana', 'why-split: I thought it was luck', false),
        selfAssessed('ben', 'fan: logs make the spread even', true),
        selfAssessed('cy', 'why-split: I thought it was luck', false),
        attempt({ user: 'ana', question: 'quiz-split', answer: 'A', correct: false }),
        attempt({ user: 'ana', question: 'quiz-split', answer: 'B', correct: true, attempt: 2 }),
        attempt({ user: 'ben', question: 'quiz-split', answer: 'B', correct: true }),
      ]),
    );
    const missed = report.questions.find((q) => q.question === 'review-missed')!;
    expect(missed).toMatchObject({ students: 3, attempts: 3, first_try_rate: null, common_wrong: [], pending_review: 3 });
    const split = report.questions.find((q) => q.question === 'quiz-split')!;
    expect(split).toMatchObject({ first_try_rate: 0.5, common_wrong: [{ answer: 'a', count: 1 }], pending_review: 0 });
    // A self-assessed 'y' is not a right first try either.
    expect(report.students.find((s) => s.student === 'ben')!.first_try_right).toBe(1);
    expect(report.students.find((s) => s.student === 'cy')!.first_try_right).toBe(0);
    // Pending questions are not the hardest: with no rate, they sort after the graded ones.
    expect(report.questions.map((q) => q.question)).toEqual(['quiz-split', 'review-missed']);
    expect(formatQuestions(report.questions)).toMatch(/review-missed +3 +n\/a \(3 to review\) +3/);
    expect(questionsCsv(report.questions).split('\n')[0]).toBe('lesson,question,students,first_try_rate,attempts,median_seconds,common_wrong,pending_review');
  });

  it('a refused verdict makes the answer wrong and an accepted one right, no longer pending', () => {
    const refused = {
      ...selfAssessed('ana', 'luck', true),
      correct: false,
      review: { verdict: 'refuse' as const, note: null, by: 'ivy', time: 't', auto: true },
    };
    const accepted = {
      ...selfAssessed('ben', 'twins leak', false),
      correct: true,
      review: { verdict: 'accept' as const, note: null, by: 'ivy', time: 't', auto: false },
    };
    const report = buildReport(data([refused, accepted]));
    expect(report.questions[0]).toMatchObject({
      question: 'review-missed',
      first_try_rate: 0.5,
      common_wrong: [{ answer: 'luck', count: 1 }],
      pending_review: 0,
    });
  });

  it('instructor show marks them pending, with the student’s own y/n', () => {
    const log = formatStudentLog(data([selfAssessed('ana', 'why-split: luck', false), attempt({ user: 'ana', correct: false, answer: 'A' })]), 'ana');
    expect(log).toMatch(/review-missed #1 {2}pending review \(student: misses the model answer\) .*why-split: luck/);
    expect(log).toMatch(/quiz-split #1 {2}wrong /);
  });
});

describe('eds instructor report and show on a course directory', () => {
  it('agree with the screen: "Saved for review" is pending until a verdict, which then counts', async () => {
    const dir = courseDir();
    const pending = selfAssessed('root', 'why-split: I thought the folds were luckier', false);
    const wrong = attempt({ lesson: 'river', question: 'why-log', answer: 'luck', correct: false, detail: undefined });
    writeFileSync(join(dir, RECORDS_DIR, 'root.0.jsonl'), formatRecord(pending) + formatRecord(attempt({})) + formatRecord(wrong));

    const report = JSON.parse((await runCli(['instructor', 'report', '--json', '--dir', dir])).out) as {
      questions: Array<{ question: string; first_try_rate: number | null; common_wrong: unknown[]; pending_review: number }>;
      students: Array<{ first_try_right: number }>;
    };
    expect(report.questions.find((q) => q.question === 'review-missed')).toMatchObject({ first_try_rate: null, common_wrong: [], pending_review: 1 });
    expect(report.questions.find((q) => q.question === 'why-log')).toMatchObject({
      first_try_rate: 0,
      common_wrong: [{ answer: 'luck', count: 1 }],
      pending_review: 0,
    });
    expect(report.students[0]!.first_try_right).toBe(1);

    const text = (await runCli(['instructor', 'report', '--by', 'question', '--dir', dir])).out;
    expect(text).toMatch(/review-missed .*n\/a \(1 to review\)/);
    expect(text).not.toContain('folds were luckier');

    const show = (await runCli(['instructor', 'show', 'root', '--dir', dir])).out;
    expect(show).toContain('review-missed #1  pending review (student: misses the model answer)');
    const shown = JSON.parse((await runCli(['instructor', 'show', 'root', '--json', '--dir', dir])).out) as {
      attempts: Array<AttemptRecord & { pending_review?: boolean }>;
    };
    const record = shown.attempts.find((a) => a.question === 'review-missed')!;
    // The self-assessment stays in the record for the instructor.
    expect(record).toMatchObject({ pending_review: true, correct: false, grading: 'review', detail: { self_assessment: false } });
    expect(shown.attempts.find((a) => a.question === 'why-log')!.pending_review).toBeUndefined();

    // A verdict applied from a file: then it counts as the verdict says, and is no longer pending.
    const todo = join(dir, 'verdicts.jsonl');
    writeFileSync(todo, JSON.stringify({ key: attemptKey(pending), verdict: 'accept' }) + '\n');
    const applied = await runCli(['instructor', 'review', '--apply', todo, '--dir', dir]);
    expect(applied.code, applied.err).toBe(0);
    const after = JSON.parse((await runCli(['instructor', 'report', '--json', '--dir', dir])).out) as typeof report;
    expect(after.questions.find((q) => q.question === 'review-missed')).toMatchObject({ first_try_rate: 1, pending_review: 0 });
    expect(after.students[0]!.first_try_right).toBe(2);
    expect((await runCli(['instructor', 'show', 'root', '--dir', dir])).out).toMatch(/review-missed #1 {2}right /);
  });
});
