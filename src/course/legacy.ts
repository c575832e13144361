// Course records older eds wrote differently: a prediction was logged with `correct = null` before its run and never
// updated, so reports counted a prediction shown as "✓ Right." as wrong. The lesson still knows the answer.
import type { QuestionStep } from '../lessons/types.js';
import { legacyPredictionCorrect } from '../lessons/legacy.js';
import type { AttemptRecord } from './record.js';

/** The lessons' question steps by `lesson\u0000question`, for `regradeLegacyPredictions`. */
export type QuestionIndex = ReadonlyMap<string, QuestionStep>;

/** Indexes the question steps of loaded lessons. */
export function questionIndex(lessons: ReadonlyArray<{ id: string; steps: ReadonlyArray<{ kind: string }> }>): QuestionIndex {
  const out = new Map<string, QuestionStep>();
  for (const l of lessons) for (const s of l.steps) if (s.kind === 'question') out.set(`${l.id}\u0000${(s as QuestionStep).id}`, s as QuestionStep);
  return out;
}

/**
 * Reads old predictions as the screen showed them: a choice prediction logged with `correct: null` gets its choice's
 * correctness (the answer is the choice's text) and `grading: 'predict'`. A numeric one stays null: the instructors'
 * side has no saved results to grade it against, and null is reported as not graded, never as wrong. Records an
 * instructor reviewed, and everything else, are left as they are.
 */
export function regradeLegacyPredictions<A extends AttemptRecord, D extends { attempts: A[] }>(data: D, questions: QuestionIndex): D {
  let changed = 0;
  const attempts = data.attempts.map((a) => {
    const b = regradeLegacyPrediction(a, questions);
    if (b !== a) changed++;
    return b;
  });
  return changed === 0 ? data : { ...data, attempts };
}

/** `regradeLegacyPredictions` for one attempt: the attempt itself when nothing changes, else a regraded copy. */
export function regradeLegacyPrediction<A extends AttemptRecord>(a: A, questions: QuestionIndex): A {
  if (a.correct !== null || a.grading !== undefined) return a;
  const q = questions.get(`${a.lesson}\u0000${a.question}`);
  if (q?.type !== 'predict') return a;
  const correct = legacyPredictionCorrect(q, a.answer);
  if (correct === null) return a;
  return { ...a, correct, grading: 'predict' as const };
}
