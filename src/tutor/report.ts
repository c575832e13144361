// What a student has done, as plain data: the payload of `eds lessons --json` and `eds progress --json`.
import type { Lesson, QuestionStep } from '../lessons/types.js';
import { legacyPredictionCorrect } from '../lessons/legacy.js';
import type { Attempt, LessonProgress } from '../store/types.js';
import { lessonStatus } from './course.js';
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
   * Whether any attempt was right (as the screen showed it). Null only for a prediction an older eds logged
   * without its verdict when the verdict cannot be told any more: "prediction, not graded", not wrong.
   */
  correct: boolean | null;
  /** Present when `correct` is null: why. */
  note?: 'prediction, not graded';
  /** Last answer given. */
  last_answer: string | null;
}

/** The payload of `eds progress --json`. */
export interface ProgressReport {
  user: string;
  lessons: Array<LessonRow & { questions_correct: number; questions_not_graded: number; question_records: QuestionRecord[]; updated: string | null }>;
  attempts_total: number;
}

/** Builds the progress report from the lessons, the stored progress and the attempt log. */
export function progressReport(user: string, lessons: readonly Lesson[], progress: readonly LessonProgress[], attempts: readonly Attempt[]): ProgressReport {
  const rows = lessonRows(lessons, progress);
  const byId = new Map(progress.map((p) => [p.lesson, p]));
  return {
    user,
    attempts_total: attempts.length,
    lessons: rows.map((row) => {
      const lesson = lessons.find((l) => l.id === row.id)!;
      const states = byId.get(row.id)?.states ?? {};
      const records: QuestionRecord[] = lesson.steps
        .filter((s): s is QuestionStep => s.kind === 'question')
        .map((q) => {
          const mine = attempts.filter((a) => a.lesson === lesson.id && a.question === q.id);
          const verdicts = mine.map((a) => verdictOf(q, a, states));
          const correct = verdicts.includes(true) ? true : verdicts.length > 0 && !verdicts.includes(false) ? null : false;
          return {
            id: q.id,
            attempts: mine.length,
            correct,
            ...(correct === null ? { note: 'prediction, not graded' as const } : {}),
            last_answer: mine.length > 0 ? mine[mine.length - 1]!.answer : null,
          };
        });
      return {
        ...row,
        questions_correct: records.filter((r) => r.correct === true).length,
        questions_not_graded: records.filter((r) => r.correct === null).length,
        question_records: records,
        updated: byId.get(row.id)?.updated ?? null,
      };
    }),
  };
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
    const ungraded = l.questions_not_graded > 0 ? `  (${l.questions_not_graded} ${l.questions_not_graded === 1 ? 'prediction' : 'predictions'} not graded)` : '';
    return [safeLine(l.id), `${l.progress.completed_steps}/${l.steps}`, `${l.questions_correct}/${l.questions}`, `${l.progress.state}${ungraded}`] as const;
  });
  const header = ['lesson', 'steps', 'questions', 'state'] as const;
  const widthOf = (k: 0 | 1 | 2) => Math.max(displayWidth(header[k]), ...rows.map((r) => displayWidth(r[k])));
  const [w0, w1, w2] = [widthOf(0), widthOf(1), widthOf(2)];
  // Ids are left-aligned, counts right-aligned, as before.
  const row = (r: readonly [string, string, string, string]) =>
    `${r[0]}${' '.repeat(w0 - displayWidth(r[0]))}  ${r[1].padStart(w1)}  ${r[2].padStart(w2)}  ${r[3]}`;
  lines.push(row(header));
  for (const r of rows) lines.push(row(r));
  lines.push('', `${report.attempts_total} answers logged.`);
  return lines.join('\n') + '\n';
}
