// The states a student meets on a question, for layout tests: unanswered with the highlight on each choice, graded
// (right, wrong, revealed) for each choice and for right, wrong and typical typed answers, each hint, each
// anticipated mistake's feedback, and the review of a text answer. Graded by the real grader with a run of every
// experiment the question reads.
import { gradeAnswer } from '../../src/lessons/grade.js';
import type { ExperimentRun, GradeContext, Lesson, QuestionStep } from '../../src/lessons/types.js';
import { feedbackFor, initialUi, type Feedback, type QuestionUi } from '../../src/tutor/step-ui.js';

/** A question state worth drawing, and what the student typed or picked (for the test to look for). */
export interface QuestionState {
  name: string;
  ui: QuestionUi;
}

/** A run of every experiment a question reads, with a value for every key questions and their wrong answers name. */
export function contextFor(lesson: Lesson, attempt: number): GradeContext {
  const runs: Record<string, ExperimentRun[]> = {};
  const results: Record<string, Record<string, number | string>> = {};
  let v = 0.4321;
  const put = (step: string, key: string, options: Record<string, string>) => {
    const list = (runs[step] ??= []);
    let run = list.find((r) => JSON.stringify(r.options) === JSON.stringify(options));
    if (!run) list.push((run = { options, results: {} }));
    run.results[key] ??= v *= 1.7;
    results[step] = { ...results[step], ...run.results };
  };
  for (const s of lesson.steps) {
    if (s.kind !== 'question') continue;
    const options = s.run?.options ?? {};
    if (s.answer?.kind === 'result') put(s.answer.step, s.answer.key, options);
    for (const w of s.wrong) if (w.kind === 'result') put(w.step, w.key, options);
  }
  return { results, runs, attempt };
}

/** The answers a student might give: each choice alone, the right set, a right and a wrong number, the examples. */
function answersFor(q: QuestionStep, ctx: GradeContext): Array<string | number[]> {
  if (q.options.length > 0) return [...q.options.map((_, i) => [i]), q.options.flatMap((o, i) => (o.correct ? [i] : []))];
  if (q.type === 'numeric' || q.type === 'predict') {
    const expected = q.answer?.kind === 'literal' ? q.answer.value : q.answer?.kind === 'result' ? Number(ctx.results[q.answer.step]?.[q.answer.key] ?? 1) : 1;
    const wrong = q.wrong.flatMap((w) => (w.kind === 'numeric' ? [String(w.value)] : w.kind === 'result' ? [String(ctx.results[w.step]?.[w.key] ?? '')] : []));
    return [String(expected), String(expected * 10 + 3), ...wrong];
  }
  return [...(q.accept ?? []).map((e) => e.text), ...(q.refuse ?? []).map((e) => e.text)];
}

/** Every state of one question worth drawing. */
export function questionStates(lesson: Lesson, q: QuestionStep): QuestionState[] {
  const base = initialUi(q, undefined, 0, 0) as QuestionUi;
  const states: QuestionState[] = [];
  for (let c = 0; c < Math.max(1, q.options.length); c++) states.push({ name: `unanswered, cursor ${c}`, ui: { ...base, cursor: c } });
  if (q.options.length === 0) states.push({ name: 'typing', ui: { ...base, input: 'because the split by time '.repeat(8) } });
  for (const attempt of [1, q.attempts]) {
    const ctx = contextFor(lesson, attempt);
    for (const answer of answersFor(q, ctx)) {
      const grade = gradeAnswer(q, answer, ctx);
      if (grade.invalid) continue;
      const picked = Array.isArray(answer) ? answer : [];
      const guess = q.type === 'predict' ? (Array.isArray(answer) ? q.options[answer[0]!]!.text : answer) : null;
      if (grade.review) {
        states.push({
          name: `review of ${JSON.stringify(answer).slice(0, 40)}`,
          ui: { ...base, input: String(answer), phase: 'review', review: grade.review },
        });
        const feedback: Feedback = {
          correct: false,
          selfAssessed: true,
          text: 'Saved for your instructor.',
          modelAnswer: grade.review.modelAnswer,
          explain: q.explain || undefined,
        };
        states.push({
          name: `reviewed ${JSON.stringify(answer).slice(0, 40)}`,
          ui: { ...base, input: String(answer), solved: true, phase: 'graded', feedback },
        });
        continue;
      }
      const { feedback, revealed } = feedbackFor(q, grade);
      const done = grade.correct || revealed || q.type === 'predict';
      states.push({
        name: `${grade.correct ? 'right' : revealed ? 'revealed' : 'wrong'} (attempt ${attempt}) with ${JSON.stringify(answer).slice(0, 40)}`,
        ui: {
          ...base,
          cursor: picked[0] ?? 0,
          picked,
          guess,
          attempts: attempt,
          solved: grade.correct || q.type === 'predict',
          revealed,
          phase: done ? 'graded' : 'answer',
          feedback,
        },
      });
    }
  }
  q.hints.forEach((hint, i) =>
    states.push({ name: `hint ${i + 1}`, ui: { ...base, attempts: i + 1, feedback: { correct: false, text: 'Not quite.', hint } } }),
  );
  for (const w of q.wrong)
    states.push({ name: `wrong: ${w.feedback.slice(0, 30)}`, ui: { ...base, attempts: 1, feedback: { correct: false, text: `Not quite. ${w.feedback}` } } });
  q.options.forEach((o, i) => {
    if (o.feedback)
      states.push({ name: `choice ${i + 1}'s feedback`, ui: { ...base, attempts: 1, picked: [i], feedback: { correct: o.correct, text: o.feedback } } });
  });
  return states;
}
