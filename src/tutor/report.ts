// What a student has done, as plain data: the payload of `eds lessons --json` and `eds progress --json`.
import type { Lesson } from '../lessons/types.js';
import type { Attempt, LessonProgress } from '../store/types.js';
import { lessonStatus } from './course.js';

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
  /** Whether any attempt was right. */
  correct: boolean;
  /** Last answer given. */
  last_answer: string | null;
}

/** The payload of `eds progress --json`. */
export interface ProgressReport {
  user: string;
  lessons: Array<LessonRow & { questions_correct: number; question_records: QuestionRecord[]; updated: string | null }>;
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
      const records: QuestionRecord[] = lesson.steps
        .filter((s) => s.kind === 'question')
        .map((q) => {
          const mine = attempts.filter((a) => a.lesson === lesson.id && a.question === q.id);
          return {
            id: q.id,
            attempts: mine.length,
            correct: mine.some((a) => a.correct === true),
            last_answer: mine.length > 0 ? mine[mine.length - 1]!.answer : null,
          };
        });
      return { ...row, questions_correct: records.filter((r) => r.correct).length, question_records: records, updated: byId.get(row.id)?.updated ?? null };
    }),
  };
}

/** The report as a table for people. */
export function formatProgress(report: ProgressReport): string {
  const lines = [`Progress of ${report.user}`, ''];
  lines.push(`${'lesson'.padEnd(16)} ${'steps'.padStart(9)} ${'questions'.padStart(11)}  state`);
  for (const l of report.lessons) {
    const steps = `${l.progress.completed_steps}/${l.steps}`;
    const qs = `${l.questions_correct}/${l.questions}`;
    lines.push(`${l.id.padEnd(16)} ${steps.padStart(9)} ${qs.padStart(11)}  ${l.progress.state}`);
  }
  lines.push('', `${report.attempts_total} answers logged.`);
  return lines.join('\n') + '\n';
}
