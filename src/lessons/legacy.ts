// Reading attempts older eds wrote differently: predictions logged with correct = NULL before their run.
import type { QuestionStep } from './types.js';
import { gradeAnswer } from './grade.js';

/**
 * Whether a prediction that an older eds logged with `correct = NULL` (committed before its run, never updated)
 * was right, as the screen then showed it. A choice prediction's answer is the choice's text, and the lesson
 * knows whether that choice is right. A numeric one is graded against the saved results of its experiment
 * (`savedResults`, with the options of that run when known). Null when it cannot be told: report it as
 * "prediction, not graded", never as wrong.
 */
export function legacyPredictionCorrect(
  question: QuestionStep,
  answer: string,
  savedResults?: Record<string, number | string>,
  savedOptions?: Record<string, string>,
): boolean | null {
  if (question.type !== 'predict') return null;
  const text = answer.trim();
  if (question.options.length > 0) {
    // Logged as the choice's text (several picked would be joined by " | "; a prediction has one).
    const exact = question.options.find((o) => o.text === text) ?? question.options.find((o) => o.text.trim().toLowerCase() === text.toLowerCase());
    if (exact) return exact.correct;
  }
  if (question.answer === undefined || savedResults === undefined) return null;
  const step = question.answer.kind === 'result' ? question.answer.step : (question.experiment ?? '');
  const context = {
    results: { [step]: savedResults },
    ...(savedOptions ? { runs: { [step]: [{ options: savedOptions, results: savedResults }] } } : {}),
    attempt: 1,
  };
  const grade = gradeAnswer(question, text, context);
  return grade.invalid ? null : grade.correct;
}
