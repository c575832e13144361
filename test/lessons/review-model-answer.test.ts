// A review question asks the student "Does your answer cover this? (y/n)" beside its model answer: where the student
// chooses what to write about (synthesis review-missed: any question they missed), the model answer must say what a
// good answer covers, whatever was chosen, not only give an example about another question.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseLesson } from '../../src/lessons/index.js';
import type { QuestionStep } from '../../src/lessons/index.js';

const file = 'lessons/06-synthesis.md';
const { lesson, problems } = parseLesson(readFileSync(file, 'utf8'), file);

describe('synthesis review-missed: a model answer the student can compare any answer with', () => {
  const q = lesson?.steps.find((s) => s.id === 'review-missed') as QuestionStep | undefined;

  it('is a review question with a model answer', () => {
    expect(problems).toEqual([]);
    expect(q).toMatchObject({ type: 'text', grading: 'review' });
    expect(q!.answerText).toBeTruthy();
  });

  it('says what a good answer does before any example, so "does your answer cover this?" has an answer', () => {
    const text = q!.answerText!.replace(/\s+/g, ' ');
    const [criteria] = text.split(/\bfor example\b/i);
    expect(criteria!.trim()).not.toBe('');
    // The three things the prompt asks for: a question named, what was thought, what is understood now.
    expect(q!.prompt).toMatch(/Name one question you missed/);
    expect(q!.prompt).toMatch(/what you understand now/);
    expect(criteria).toMatch(/\bnames\b.*\bquestion\b/i);
    expect(criteria).toMatch(/\bthought\b/i);
    expect(criteria).toMatch(/\bunderstand now\b/i);
    // Any question will do: the criteria are not about the example's question.
    expect(criteria).not.toMatch(/why-split|flood|fold/i);
    expect(criteria).toMatch(/whichever question/i);
  });
});
