// eds progress says what the screen said: a free-text answer left for the instructor's review is "awaiting review"
// (neither right nor wrong, whatever the student's own y/n), and a lesson whose file fails `eds lessons check` keeps
// its recorded answers in the listing, with a note saying why the lesson is not offered.
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { parseLesson } from '../../src/lessons/index.js';
import { openStore, type Store } from '../../src/store/index.js';
import { formatProgress, LESSON_FILE_PROBLEMS, LESSON_NOT_INSTALLED, progressReport, type ProgressReport } from '../../src/tutor/progress.js';
import { runCli } from '../support/cli.js';

const root = join(import.meta.dirname, '../..');
const synthesis = parseLesson(readFileSync(join(root, 'lessons/06-synthesis.md'), 'utf8'), 'lessons/06-synthesis.md').lesson!;

const tmpStore = (user: string): Store => openStore({ home: mkdtempSync(join(tmpdir(), 'eds-pending-')), user, env: { EDS_JOURNAL: 'wal' } });
const reviewed = (store: Store, answer: string, covers: boolean) =>
  store.recordAttempt({
    lesson: 'synthesis',
    question: 'review-missed',
    answer,
    correct: covers,
    secondsSpent: 30,
    seed: 1,
    grading: 'review',
    detail: { self_assessment: covers, auto: null },
  });
const recordOf = (report: ProgressReport, question: string) =>
  report.lessons.find((l) => l.id === 'synthesis')!.question_records.find((r) => r.id === question)!;

describe('a reviewed free-text answer in eds progress', () => {
  let store: Store | null = null;
  afterEach(() => store?.close());

  it('is awaiting review, not wrong, when the student said it misses the model answer', () => {
    store = tmpStore('ana');
    reviewed(store, 'why-split: I thought shuffling was fine; twins of one flood leak.', false);
    store.recordAttempt({ lesson: 'synthesis', question: 'quiz-split', answer: 'B', correct: true, secondsSpent: 5, seed: 1 });
    const report = progressReport('ana', [synthesis], store.allProgress(), store.attempts());
    expect(recordOf(report, 'review-missed')).toEqual({
      id: 'review-missed',
      attempts: 1,
      correct: null,
      review: 'pending',
      last_answer: 'why-split: I thought shuffling was fine; twins of one flood leak.',
    });
    const row = report.lessons.find((l) => l.id === 'synthesis')!;
    expect(row).toMatchObject({ questions_correct: 1, questions_not_graded: 0, questions_pending_review: 1 });
    // The self-assessment stays in the store for the instructor.
    expect(store.attempts({ question: 'review-missed' })[0]).toMatchObject({ correct: false, grading: 'review', detail: { self_assessment: false } });
    const text = formatProgress(report);
    expect(text).toMatch(/synthesis .*\(1 awaiting review\)/);
    expect(text).not.toContain('not graded');
  });

  it('is awaiting review, not right, when the student said it covers it', () => {
    store = tmpStore('ben');
    reviewed(store, 'fan: the spread grows with the level, so logs make it constant.', true);
    const report = progressReport('ben', [synthesis], store.allProgress(), store.attempts());
    expect(recordOf(report, 'review-missed')).toMatchObject({ correct: null, review: 'pending' });
    expect(report.lessons.find((l) => l.id === 'synthesis')).toMatchObject({ questions_correct: 0, questions_pending_review: 1 });
  });

  it('an auto-graded answer is right or wrong as before, and an unanswered question neither pending nor graded', () => {
    store = tmpStore('cy');
    store.recordAttempt({ lesson: 'synthesis', question: 'quiz-split', answer: 'A', correct: false, secondsSpent: 5, seed: 1 });
    const report = progressReport('cy', [synthesis], store.allProgress(), store.attempts());
    expect(recordOf(report, 'quiz-split')).toEqual({ id: 'quiz-split', attempts: 1, correct: false, last_answer: 'A' });
    expect(recordOf(report, 'review-missed')).toEqual({ id: 'review-missed', attempts: 0, correct: false, last_answer: null });
    expect(report.lessons.find((l) => l.id === 'synthesis')!.questions_pending_review).toBe(0);
  });
});

describe('eds progress with a lesson whose file has problems', () => {
  const saved = { home: process.env.EDS_HOME, user: process.env.EDS_USER, lessons: process.env.EDS_LESSONS_DIR };
  let home: string;
  let lessons: string;

  beforeAll(() => {
    home = mkdtempSync(join(tmpdir(), 'eds-broken-home-'));
    lessons = mkdtempSync(join(tmpdir(), 'eds-broken-lessons-'));
    mkdirSync(lessons, { recursive: true });
    copyFileSync(join(root, 'lessons/00-intro.md'), join(lessons, '00-intro.md'));
    // The river lesson with one broken field: it fails eds lessons check, so the tutor leaves it out.
    const river = readFileSync(join(root, 'lessons/01-river.md'), 'utf8');
    expect(river).toContain('\nanswer: =align.samples_kept\n');
    writeFileSync(join(lessons, '01-river.md'), river.replace('\nanswer: =align.samples_kept\n', '\nanswer: =align.no_such_key\n'));
    process.env.EDS_HOME = home;
    process.env.EDS_USER = 'dora';
    process.env.EDS_LESSONS_DIR = lessons;
    const store = openStore({ home, user: 'dora', env: { EDS_JOURNAL: 'wal' } });
    store.saveStep('river', 'align', 5, { options: {} });
    store.recordAttempt({ lesson: 'river', question: 'kept', answer: '48 samples', correct: false, secondsSpent: 9, seed: 3 });
    store.recordAttempt({ lesson: 'river', question: 'kept', answer: '47', correct: true, secondsSpent: 9, seed: 3 });
    store.recordAttempt({
      lesson: 'river',
      question: 'why-split',
      answer: 'samples of one flood are \u001b[31mtwins',
      correct: false,
      secondsSpent: 40,
      seed: 3,
    });
    store.recordAttempt({ lesson: 'ghost', question: 'q1', answer: 'x', correct: true, secondsSpent: 1, seed: 3 });
    store.recordAttempt({ lesson: 'intro', question: 'slope-value', answer: '0.95', correct: true, secondsSpent: 3, seed: 3 });
    store.close();
  });
  afterAll(() => {
    for (const [key, value] of [
      ['EDS_HOME', saved.home],
      ['EDS_USER', saved.user],
      ['EDS_LESSONS_DIR', saved.lessons],
    ] as const) {
      if (value === undefined) delete process.env[key];
      else process.env[key] = value;
    }
  });

  it('--json lists the answers of the lesson left out, by question id, with the note', async () => {
    const r = await runCli(['progress', '--json']);
    expect(r.code, r.err).toBe(0);
    const report = JSON.parse(r.out) as ProgressReport;
    expect(report.lessons.map((l) => l.id)).toEqual(['intro']);
    expect(report.attempts_total).toBe(5);
    const river = report.lessons_unavailable!.find((l) => l.id === 'river')!;
    expect(river).toMatchObject({ note: LESSON_FILE_PROBLEMS, questions_answered: 2, questions_correct: 1, questions_pending_review: 0 });
    expect(river.updated).not.toBeNull();
    expect(river.question_records).toEqual([
      { id: 'kept', attempts: 2, correct: true, last_answer: '47' },
      { id: 'why-split', attempts: 1, correct: false, last_answer: 'samples of one flood are \u001b[31mtwins' },
    ]);
    expect(report.lessons_unavailable!.find((l) => l.id === 'ghost')).toMatchObject({ note: LESSON_NOT_INSTALLED, questions_answered: 1 });
  });

  it('the table says so in one line per lesson and lists each answer, inert', async () => {
    const r = await runCli(['progress']);
    expect(r.code, r.err).toBe(0);
    expect(r.out).toContain('river: the lesson file has problems (`eds lessons check` to see them); your answers are kept');
    expect(r.out).toMatch(/^ {2}kept +right +2 attempts +last: 47$/m);
    expect(r.out).toMatch(/^ {2}why-split +wrong +1 attempt +last: samples of one flood are/m);
    expect(r.out).not.toContain('\u001b');
    expect(r.out).toContain('ghost: this lesson is not installed any more');
    expect(r.out).toContain('5 answers logged.');
  });

  it('eds lessons try names the lesson file problem', async () => {
    const r = await runCli(['lessons', 'try', 'river', 'kept', '47']);
    expect(r.code).not.toBe(0);
    expect(r.err).toMatch(/problem.*01-river\.md/);
    expect(r.err).toContain('eds lessons check');
  });
});
