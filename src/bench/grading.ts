// Grading time on hostile answers: every question of the shipped lessons against 10 kB answers built to be slow
// (long words for the typo search, runs that make backtracking regexes explode, a right answer buried in prose).
// Used by `npm run bench` and by test/lessons/grading-time.test.ts (which asserts the verdicts, not the time).
import { gradeAnswer } from '../lessons/grade.js';
import { loadLessons } from '../lessons/load.js';
import type { QuestionStep } from '../lessons/types.js';
import type { BenchRow } from './row.js';
import type { BenchOptions } from './workload.js';

/** The size of each hostile answer, in characters. */
export const HOSTILE_SIZE = 10_000;

/** Answers of about 10 kB that are expensive to grade, each with a name for reports. */
export function hostileAnswers(): Array<{ name: string; text: string }> {
  const fill = (unit: string): string => unit.repeat(Math.ceil(HOSTILE_SIZE / unit.length)).slice(0, HOSTILE_SIZE);
  return [
    { name: 'one letter repeated', text: fill('a') + '!' },
    { name: 'two letters alternating', text: fill('ab') },
    { name: 'long near-words', text: fill('spreadz varaince multiplicatve ') },
    { name: 'negations and clauses', text: fill('not because of the power law, but ') },
    { name: 'prose', text: fill('The river carries sediment during floods and the probe records turbidity every five minutes. ') },
    { name: 'digits and separators', text: fill('0.1,2;3:4 ') },
  ];
}

/** The same prose with a question's model answer at its end: graded right by a text question that accepts it. */
export function buriedAnswer(model: string): string {
  const prose = hostileAnswers().find((a) => a.name === 'prose')!.text;
  return `${prose} ${model}`;
}

/** One timing: the slowest answer of the slowest question. */
export interface GradingBench {
  /** Questions timed. */
  questions: number;
  /** Gradings timed (questions × answers). */
  gradings: number;
  /** Slowest single grading, in milliseconds. */
  worstMs: number;
  /** Which question and answer that was. */
  worst: string;
  /** Median grading time, in milliseconds. */
  medianMs: number;
}

/** Every question of the given lessons (the packaged ones by default). */
export function shippedQuestions(dir?: string): Array<{ lesson: string; q: QuestionStep }> {
  const { lessons } = dir === undefined ? loadLessons() : loadLessons(dir);
  return lessons.flatMap((l) => l.steps.filter((s): s is QuestionStep => s.kind === 'question').map((q) => ({ lesson: l.id, q })));
}

/** Times every shipped question against every hostile answer (and text questions against their buried model answer). */
export function benchGrading(dir?: string): GradingBench {
  const times: number[] = [];
  let worstMs = 0;
  let worst = '';
  const questions = shippedQuestions(dir);
  const ctx = { results: {}, attempt: 1 };
  for (const { lesson, q } of questions) {
    const answers = hostileAnswers();
    if (q.type === 'text' && q.answerText) answers.push({ name: 'model answer buried in prose', text: buriedAnswer(q.answerText) });
    for (const a of answers) {
      const t0 = performance.now();
      gradeAnswer(q, a.text, ctx);
      const ms = performance.now() - t0;
      times.push(ms);
      if (ms > worstMs) {
        worstMs = ms;
        worst = `${lesson}/${q.id}, ${a.name}`;
      }
    }
  }
  const sorted = [...times].sort((a, b) => a - b);
  return { questions: questions.length, gradings: times.length, worstMs, worst, medianMs: sorted[Math.floor(sorted.length / 2)] ?? 0 };
}

/** The bench's row: the slowest grading of a 10 kB hostile answer, against 50 ms. */
export async function gradingRows(options: BenchOptions): Promise<BenchRow[]> {
  options.progress('grading: every shipped question against 10 kB hostile answers');
  const g = benchGrading();
  return [
    {
      workload: `grading, ${g.questions} shipped questions × 10 kB hostile answers (${g.gradings} gradings), slowest`,
      eds: g.worstMs,
      reference: null,
      referenceName: 'none: the goal is a time',
      unit: 'ms',
      ratio: null,
      goal: '≤ 50 ms',
      met: g.worstMs <= 50,
      how: `slowest of all (${g.worst}); median ${g.medianMs.toFixed(2)} ms`,
    },
  ];
}
