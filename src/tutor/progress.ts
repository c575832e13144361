// What a student has done, as plain data: the payload of `eds lessons --json` and `eds progress --json`.
import { basename } from 'node:path';
import type { Lesson, LessonProblem, QuestionStep } from '../lessons/types.js';
import { LEADERBOARD_QUESTION } from '../leaderboard/ranking.js';
import { legacyPredictionCorrect } from '../lessons/legacy.js';
import type { Attempt, LessonProgress } from '../store/types.js';
import { lessonStatus } from './course-map.js';
import { safeLine } from '../util/safe-text.js';
import { displayWidth } from '../util/text.js';

/** One row of `eds lessons --json`. */
export interface LessonRow {
  id: string;
  session: number;
  title: string;
  /** Number of steps. */
  steps: number;
  /** Number of questions. */
  questions: number;
  /** The student's progress. */
  progress: { completed_steps: number; current_step: number; state: 'new' | 'started' | 'done' };
}

/** The lessons with counts and progress. */
export function lessonRows(lessons: readonly Lesson[], progress: readonly LessonProgress[]): LessonRow[] {
  const byId = new Map(progress.map((p) => [p.lesson, p]));
  return lessons.map((lesson) => {
    const status = lessonStatus(lesson, byId.get(lesson.id));
    return {
      id: lesson.id,
      session: lesson.session,
      title: lesson.title,
      steps: lesson.steps.length,
      questions: lesson.steps.filter((s) => s.kind === 'question').length,
      progress: { completed_steps: status.done, current_step: status.currentStep, state: status.state },
    };
  });
}

/** One question's record in `eds progress --json`. */
export interface QuestionRecord {
  id: string;
  /** Attempts logged (all time, resets included). */
  attempts: number;
  /**
   * Whether any attempt was right (as the screen showed it). Null for a free-text answer left for the instructor's
   * review (`review: 'pending'`: the student's own y/n is not a grade), and for a prediction an older eds logged
   * without its verdict when the verdict cannot be told any more ("prediction, not graded"): neither is wrong.
   */
  correct: boolean | null;
  /** Present when `correct` is null for a prediction: why. */
  note?: 'prediction, not graded';
  /** Present when `correct` is null because the answer awaits an instructor's review. */
  review?: 'pending';
  /** Last answer given. */
  last_answer: string | null;
}

/** The payload of `eds progress --json`. */
export interface ProgressReport {
  user: string;
  lessons: Array<
    LessonRow & {
      questions_correct: number;
      questions_not_graded: number;
      questions_pending_review: number;
      question_records: QuestionRecord[];
      updated: string | null;
    }
  >;
  /**
   * Lessons the student has answers or progress in that eds cannot offer now (their file fails `eds lessons check`,
   * or is gone): their answers are still listed, by the ids the store keeps.
   */
  lessons_unavailable?: UnavailableLesson[];
  attempts_total: number;
}

/** A lesson of the store that is not among the lessons loaded, with what the student recorded in it. */
export interface UnavailableLesson {
  /** Lesson id, as stored. */
  id: string;
  /** Why it is not offered, in one line. */
  note: string;
  /** Questions answered at least once. */
  questions_answered: number;
  /** Questions with a right attempt. */
  questions_correct: number;
  /** Questions awaiting an instructor's review. */
  questions_pending_review: number;
  /** One record per question answered, in the order first answered. */
  question_records: QuestionRecord[];
  /** ISO time of the last change to its progress, or null. */
  updated: string | null;
}

/** The note for a lesson whose file fails the checker. */
export const LESSON_FILE_PROBLEMS = 'the lesson file has problems (`eds lessons check` to see them); your answers are kept';
/** The note for a lesson that is not installed any more. */
export const LESSON_NOT_INSTALLED = 'this lesson is not installed any more; your answers are kept';

/**
 * Builds the progress report from the lessons, the stored progress and the attempt log; `problems` (those of the
 * lesson files left out) say why a lesson of the store is not among `lessons`.
 */
export function progressReport(
  user: string,
  lessons: readonly Lesson[],
  progress: readonly LessonProgress[],
  attempts: readonly Attempt[],
  problems: readonly LessonProblem[] = [],
): ProgressReport {
  const rows = lessonRows(lessons, progress);
  const byId = new Map(progress.map((p) => [p.lesson, p]));
  const unavailable = unavailableLessons(lessons, progress, attempts, problems);
  return {
    user,
    attempts_total: attempts.length,
    ...(unavailable.length > 0 ? { lessons_unavailable: unavailable } : {}),
    lessons: rows.map((row) => {
      const lesson = lessons.find((l) => l.id === row.id)!;
      const states = byId.get(row.id)?.states ?? {};
      const records: QuestionRecord[] = lesson.steps
        .filter((s): s is QuestionStep => s.kind === 'question')
        .map((q) => {
          const mine = attempts.filter((a) => a.lesson === lesson.id && a.question === q.id);
          return questionRecord(q.id, mine, (a) => verdictOf(q, a, states));
        });
      return {
        ...row,
        questions_correct: records.filter((r) => r.correct === true).length,
        questions_not_graded: records.filter((r) => r.note !== undefined).length,
        questions_pending_review: records.filter((r) => r.review === 'pending').length,
        question_records: records,
        updated: byId.get(row.id)?.updated ?? null,
      };
    }),
  };
}

/**
 * One question's record from its attempts: right when one was; else awaiting review when a free-text answer was left
 * for the instructor (the student's own y/n is no grade, and the store never learns the instructor's verdict); else
 * not graded when every verdict is unknown (an older eds's prediction); else wrong.
 */
function questionRecord(id: string, mine: readonly Attempt[], verdict: (a: Attempt) => boolean | null): QuestionRecord {
  const graded = mine.filter((a) => a.grading !== 'review').map(verdict);
  const pending = mine.some((a) => a.grading === 'review');
  const correct = graded.includes(true) ? true : pending ? null : graded.length > 0 && !graded.includes(false) ? null : false;
  return {
    id,
    attempts: mine.length,
    correct,
    ...(correct === null ? (pending ? { review: 'pending' as const } : { note: 'prediction, not graded' as const }) : {}),
    last_answer: mine.length > 0 ? mine[mine.length - 1]!.answer : null,
  };
}

/** Lesson files named `NN-id.md`: a problem in one is a problem of lesson `id`. */
const LESSON_FILE = /^\d+-(.+)\.md$/;

/**
 * The lessons of the store (answers or progress) that are not loaded, with their answers by question id: a lesson
 * file that fails the checker is left out of the tutor, but what the student did in it is theirs.
 */
function unavailableLessons(
  lessons: readonly Lesson[],
  progress: readonly LessonProgress[],
  attempts: readonly Attempt[],
  problems: readonly LessonProblem[],
): UnavailableLesson[] {
  const loaded = new Set(lessons.map((l) => l.id));
  const broken = new Set(problems.map((p) => LESSON_FILE.exec(basename(p.file))?.[1]).filter((id): id is string => id !== undefined));
  const byLesson = new Map<string, Map<string, Attempt[]>>();
  for (const p of progress) if (!loaded.has(p.lesson) && !byLesson.has(p.lesson)) byLesson.set(p.lesson, new Map());
  for (const a of attempts) {
    // A leaderboard entry is logged like an answer, but is none.
    if (loaded.has(a.lesson) || (a.lesson === LEADERBOARD_QUESTION.lesson && a.question === LEADERBOARD_QUESTION.question)) continue;
    let questions = byLesson.get(a.lesson);
    if (!questions) byLesson.set(a.lesson, (questions = new Map()));
    let mine = questions.get(a.question);
    if (!mine) questions.set(a.question, (mine = []));
    mine.push(a);
  }
  const updated = new Map(progress.map((p) => [p.lesson, p.updated]));
  return [...byLesson.entries()]
    .sort(([x], [y]) => x.localeCompare(y))
    .map(([id, questions]) => {
      // Without the lesson, an old prediction's verdict cannot be read from it: not graded.
      const records = [...questions.entries()].map(([q, mine]) => questionRecord(q, mine, (a) => a.correct));
      return {
        id,
        note: broken.has(id) ? LESSON_FILE_PROBLEMS : LESSON_NOT_INSTALLED,
        questions_answered: records.length,
        questions_correct: records.filter((r) => r.correct === true).length,
        questions_pending_review: records.filter((r) => r.review === 'pending').length,
        question_records: records,
        updated: updated.get(id) ?? null,
      };
    });
}

/**
 * An attempt's verdict as the student saw it. A prediction older eds logged with correct = NULL is read from its
 * answer (the choice's correctness, or its experiment's saved results); null when that cannot be told.
 */
function verdictOf(q: QuestionStep, a: Attempt, states: LessonProgress['states']): boolean | null {
  if (a.correct !== null) return a.correct;
  const exp = q.answer?.kind === 'result' ? q.answer.step : q.experiment;
  const saved = exp !== undefined ? states[exp] : undefined;
  return legacyPredictionCorrect(q, a.answer, saved?.results, saved?.options);
}

/** The report as a table for people: each column as wide as its longest cell, so a long lesson id keeps it aligned. */
export function formatProgress(report: ProgressReport): string {
  const lines = [`Progress of ${safeLine(report.user)}`, ''];
  const rows = report.lessons.map((l) => {
    const ungraded =
      l.questions_not_graded > 0 ? `  (${l.questions_not_graded} ${l.questions_not_graded === 1 ? 'prediction' : 'predictions'} not graded)` : '';
    const pending = l.questions_pending_review > 0 ? `  (${l.questions_pending_review} awaiting review)` : '';
    return [
      safeLine(l.id),
      `${l.progress.completed_steps}/${l.steps}`,
      `${l.questions_correct}/${l.questions}`,
      `${l.progress.state}${ungraded}${pending}`,
    ] as const;
  });
  const header = ['lesson', 'steps', 'questions', 'state'] as const;
  const widthOf = (k: 0 | 1 | 2) => Math.max(displayWidth(header[k]), ...rows.map((r) => displayWidth(r[k])));
  const [w0, w1, w2] = [widthOf(0), widthOf(1), widthOf(2)];
  // Ids are left-aligned, counts right-aligned, as before.
  const row = (r: readonly [string, string, string, string]) =>
    `${r[0]}${' '.repeat(w0 - displayWidth(r[0]))}  ${r[1].padStart(w1)}  ${r[2].padStart(w2)}  ${r[3]}`;
  lines.push(row(header));
  for (const r of rows) lines.push(row(r));
  for (const u of report.lessons_unavailable ?? []) lines.push('', ...unavailableLines(u));
  lines.push('', `${report.attempts_total} answers logged.`);
  return lines.join('\n') + '\n';
}

/** A lesson eds cannot offer: its note, then each answered question with its verdict and last answer, inert. */
function unavailableLines(u: UnavailableLesson): string[] {
  const verdict = (r: QuestionRecord) =>
    r.correct === true ? 'right' : r.review === 'pending' ? 'awaiting review' : r.correct === null ? 'not graded' : 'wrong';
  const cells = u.question_records.map((r) => [
    safeLine(r.id, 60),
    verdict(r),
    `${r.attempts} ${r.attempts === 1 ? 'attempt' : 'attempts'}`,
    r.last_answer === null ? '' : `last: ${safeLine(r.last_answer, 50)}`,
  ]);
  const width = (k: number) => Math.max(0, ...cells.map((c) => displayWidth(c[k]!)));
  const [w0, w1, w2] = [width(0), width(1), width(2)];
  const pad = (t: string, w: number) => t + ' '.repeat(Math.max(0, w - displayWidth(t)));
  return [`${safeLine(u.id, 60)}: ${u.note}`, ...cells.map((c) => `  ${pad(c[0]!, w0)}  ${pad(c[1]!, w1)}  ${pad(c[2]!, w2)}  ${c[3]}`.trimEnd())];
}
