// Every question of the shipped lessons graded against 10 kB hostile answers (the time is measured by `npm run
// bench`, src/bench/grading.ts; here only the verdicts are checked: nonsense is never right, and a right answer
// buried at the end of 10 kB of prose is still found by match: lines).
import { describe, expect, it } from 'vitest';
import { benchGrading, buriedAnswer, hostileAnswers, shippedQuestions } from '../../src/bench/grading.js';
import { gradeAnswer } from '../../src/lessons/index.js';

const ctx = { results: {}, attempt: 1 };

describe('grading 10 kB answers on every shipped question', () => {
  const questions = shippedQuestions();
  it('finds the questions', () => {
    expect(questions.length).toBeGreaterThan(50);
    expect(questions.filter(({ q }) => q.type === 'text').length).toBeGreaterThan(20);
  });

  it('never accepts keyboard mash, whatever the question', () => {
    const nonsense = hostileAnswers().filter((a) => ['one letter repeated', 'two letters alternating'].includes(a.name));
    for (const { lesson, q } of questions) {
      for (const a of nonsense) expect(gradeAnswer(q, a.text, ctx).correct, `${lesson}/${q.id}: ${a.name}`).toBe(false);
    }
  });

  it('a text question graded by match: lines finds its model answer after 10 kB of prose', () => {
    for (const { lesson, q } of questions) {
      if (q.type !== 'text' || !q.answerText || q.patterns.length > 0 || (q.match ?? []).length === 0) continue;
      const alone = gradeAnswer(q, q.answerText, ctx);
      const buried = gradeAnswer(q, buriedAnswer(q.answerText), ctx);
      expect(buried.review?.auto ?? buried.correct, `${lesson}/${q.id}`).toBe(alone.review?.auto ?? alone.correct);
    }
  });

  it('the bench grades every question against every hostile answer', () => {
    const b = benchGrading();
    expect(b.questions).toBe(questions.length);
    expect(b.gradings).toBeGreaterThanOrEqual(questions.length * hostileAnswers().length);
    expect(b.worst).not.toBe('');
  });
});
