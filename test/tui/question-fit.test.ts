// Every question of every shipped lesson, laid out by the pure step view in each state a student meets (unanswered,
// wrong with each hint, revealed, right, under review), fits the body of an 80- and a 40-column terminal: no line is
// wider than the body (the TUI would cut it), every choice, feedback, hint and answer is there whole, a right
// choice keeps its ✓, and inline Markdown is drawn, not printed with its backticks.
import { describe, expect, it } from 'vitest';
import { loadLessons } from '../../src/lessons/index.js';
import { gradeAnswer } from '../../src/lessons/grade.js';
import { inlineSpans } from '../../src/lessons/markdown.js';
import type { ExperimentRun, GradeContext, Lesson, QuestionStep } from '../../src/lessons/types.js';
import type { RenderCaps } from '../../src/render/caps.js';
import { feedbackFor, initialUi, MAX_ANSWER_CHARS, type Feedback, type QuestionUi } from '../../src/tutor/step-ui.js';
import { viewStep, wrapSegments, type Line } from '../../src/tutor/step-view.js';
import { symbolsFor } from '../../src/render/symbols.js';
import { noticeLines, fieldLines } from '../../src/tui/components/LessonScreen.js';
import { displayWidth, stripAnsi } from '../../src/util/text.js';

const { lessons } = loadLessons('lessons');

/** The text of a laid-out line, as the terminal shows it. */
function plain(line: Line): string {
  return typeof line === 'string' ? stripAnsi(line) : line.map((s) => s.text).join('');
}
/** Whitespace collapsed, so a sentence wrapped over several lines is found whole. */
const flat = (text: string) => text.replace(/\s+/g, ' ').trim();
/** Inline Markdown as the view draws it (without its backticks when there is colour). */
const shown = (md: string, caps: RenderCaps) =>
  flat(
    inlineSpans(md, caps)
      .map((s) => s.text)
      .join(''),
  );

/** A run of every experiment a question reads, with a value for every key questions and their wrong answers name. */
function contextFor(lesson: Lesson, attempt: number): GradeContext {
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
  if (q.options.length > 0) {
    const right = q.options.flatMap((o, i) => (o.correct ? [i] : []));
    return [...q.options.map((_, i) => [i]), right];
  }
  if (q.type === 'numeric' || q.type === 'predict') {
    const expected = q.answer?.kind === 'literal' ? q.answer.value : q.answer?.kind === 'result' ? Number(ctx.results[q.answer.step]?.[q.answer.key] ?? 1) : 1;
    const wrong = q.wrong.flatMap((w) => (w.kind === 'numeric' ? [String(w.value)] : w.kind === 'result' ? [String(ctx.results[w.step]?.[w.key] ?? '')] : []));
    return [String(expected), String(expected * 10 + 3), ...wrong, 'about a lot', 'x'.repeat(200)];
  }
  return [...(q.accept ?? []).map((e) => e.text), ...(q.refuse ?? []).map((e) => e.text), 'idk', 'asdf', 'the'];
}

interface State {
  name: string;
  ui: QuestionUi;
}

/** Every state of one question worth drawing. */
function statesOf(lesson: Lesson, q: QuestionStep): { states: State[]; notices: string[] } {
  const base = initialUi(q, undefined, 0, 0) as QuestionUi;
  const states: State[] = [];
  const notices: string[] = [];
  // Unanswered, the highlight on each choice in turn (the highlighted one is drawn inverse).
  for (let c = 0; c < Math.max(1, q.options.length); c++) states.push({ name: `unanswered, cursor ${c}`, ui: { ...base, cursor: c } });
  if (q.options.length === 0) states.push({ name: 'typing', ui: { ...base, input: 'because '.repeat(30) } });
  for (const attempt of [1, q.attempts]) {
    const ctx = contextFor(lesson, attempt);
    for (const answer of answersFor(q, ctx)) {
      const grade = gradeAnswer(q, answer, ctx);
      if (grade.invalid) {
        notices.push(grade.feedback);
        continue;
      }
      const picked = Array.isArray(answer) ? answer : [];
      const guess = q.type === 'predict' ? (Array.isArray(answer) ? q.options[answer[0]!]!.text : answer) : null;
      if (grade.review) {
        states.push({ name: `review of ${JSON.stringify(answer)}`, ui: { ...base, input: String(answer), phase: 'review', review: grade.review } });
        const text = 'You said your answer misses part of the model answer. It is saved for your instructor, who may review it.';
        const feedback: Feedback = { correct: false, selfAssessed: true, text, modelAnswer: grade.review.modelAnswer, explain: q.explain || undefined };
        states.push({ name: `reviewed ${JSON.stringify(answer)}`, ui: { ...base, input: String(answer), solved: true, phase: 'graded', feedback } });
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
  // Each hint in turn, after a wrong answer (whichever answer brings it).
  q.hints.forEach((hint, i) =>
    states.push({ name: `hint ${i + 1}`, ui: { ...base, attempts: i + 1, feedback: { correct: false, text: 'Not quite.', hint } } }),
  );
  // Every anticipated mistake's and every choice's own feedback, as the verdict's detail.
  for (const w of q.wrong)
    states.push({ name: `wrong: ${w.feedback.slice(0, 30)}`, ui: { ...base, attempts: 1, feedback: { correct: false, text: `Not quite. ${w.feedback}` } } });
  return { states, notices };
}

const SIZES: Array<{ label: string; caps: RenderCaps }> = [
  // The lesson screen draws the body two columns narrower than the terminal (a margin each side).
  { label: '80 columns', caps: { width: 78, height: 19, colors: 256, unicode: true } },
  { label: '40 columns', caps: { width: 38, height: 7, colors: 256, unicode: true } },
  { label: '80 columns, no colour, ASCII', caps: { width: 78, height: 19, colors: 0, unicode: false } },
];

describe('every shipped question fits the lesson screen', () => {
  const questions = lessons.flatMap((lesson) => lesson.steps.flatMap((s) => (s.kind === 'question' ? [{ lesson, q: s }] : [])));

  it('the shipped lessons have questions, some with choices wider than 80 columns', () => {
    expect(questions.length).toBeGreaterThan(40);
    const wide = questions.flatMap(({ q }) => q.options.filter((o) => displayWidth(o.text) + 6 > 78));
    expect(wide.length).toBeGreaterThan(10);
  });

  for (const { label, caps } of SIZES) {
    it(`at ${label}: nothing is cut, every piece is there whole, marks stay`, () => {
      const sym = symbolsFor(caps.unicode);
      const problems: string[] = [];
      let drawn = 0;
      for (const { lesson, q } of questions) {
        const { states, notices } = statesOf(lesson, q);
        for (const { name, ui } of states) {
          drawn++;
          const where = `${lesson.id}/${q.id} ${name}`;
          const view = viewStep(q, ui, caps, sym);
          view.lines.forEach((line, i) => {
            const w = displayWidth(plain(line));
            if (w > caps.width) problems.push(`${where}: line ${i} is ${w} columns: ${plain(line)}`);
            // Inline code is drawn as code: its backticks are not printed (without colour they stay, as on a page).
            if (caps.colors !== 0 && typeof line !== 'string' && line.some((s) => s.text.includes('`')))
              problems.push(`${where}: backticks printed: ${plain(line)}`);
            // Without Unicode the lines are laid out already 7-bit, so spelling a character out cannot widen them.
            if (!caps.unicode && /[^\x00-\x7f]/.test(plain(line))) problems.push(`${where}: not 7-bit: ${plain(line)}`);
          });
          const text = flat(view.lines.map(plain).join('\n'));
          const want = (piece: string, what: string) => {
            if (piece !== '' && !text.includes(piece)) problems.push(`${where}: ${what} not shown whole: ${piece}`);
          };
          const done = ui.solved || ui.revealed || ui.phase !== 'answer';
          q.options.forEach((o, i) => {
            const choice = shown(o.text, caps);
            want(choice, `choice ${i + 1}`);
            // After answering: every right choice says so, and a wrong pick says it was wrong.
            if (done && o.correct) want(`${choice} ${sym.ok}`, `the ${sym.ok} of right choice ${i + 1}`);
            if (done && !o.correct && ui.picked.includes(i)) want(`${choice} ${sym.wrong}`, `the ${sym.wrong} of wrong pick ${i + 1}`);
          });
          const f = ui.feedback;
          if (f) {
            want(shown(f.text.replace(/^(Correct!|Not quite\.)\s*/, ''), caps), 'the feedback');
            if (f.hint) want(shown(`Hint: ${f.hint}`, caps), 'the hint');
            if (f.answer !== undefined && f.modelAnswer === undefined) want(shown(`The answer: ${f.answer}`, caps), 'the answer');
          }
        }
        // A message that does not count the answer (not a number, not a sentence, which run to make) is wrapped
        // under the body, in the rows a window of this size leaves it.
        for (const n of notices) {
          const terminal = caps.width + 2;
          const lines = noticeLines(n, terminal, Math.max(3, caps.height + 5 - 3 - 1 - 3));
          for (const l of lines) if (displayWidth(l) > terminal) problems.push(`${lesson.id}/${q.id}: notice line wider than ${terminal}: ${l}`);
          if (lines.some((l) => l.endsWith('…'))) problems.push(`${lesson.id}/${q.id}: notice cut: ${n}`);
        }
      }
      expect(drawn).toBeGreaterThan(400);
      expect(problems.slice(0, 20)).toEqual([]);
    });
  }
});

describe('wrapSegments', () => {
  it('hangs continuation lines under a lead and keeps each word’s style', () => {
    const lines = wrapSegments([{ text: 'a long choice with ' }, { text: 'code', code: true }, { text: ' in it' }, { text: '  ✓', role: 'success' }], 16, [
      { text: '› ' },
      { text: '( ) ' },
    ]);
    expect(lines.map((l) => l.map((s) => s.text).join(''))).toEqual(['› ( ) a long', '      choice', '      with code', '      in it  ✓']);
    expect(lines[2]!.find((s) => s.text === 'code')).toMatchObject({ code: true });
    expect(lines[3]!.at(-1)).toMatchObject({ text: '  ✓', role: 'success' });
    for (const l of lines) expect(displayWidth(l.map((s) => s.text).join(''))).toBeLessThanOrEqual(16);
  });

  it('breaks a word wider than the line, under the lead too', () => {
    const lines = wrapSegments([{ text: 'x'.repeat(30) }], 12, [{ text: '  ' }, { text: '[ ] ' }]).map((l) => l.map((s) => s.text).join(''));
    for (const l of lines) expect(displayWidth(l)).toBeLessThanOrEqual(12);
    expect(lines.join('').replace(/[^x]/g, '')).toHaveLength(30);
    expect(lines[0]).toMatch(/^ {2}\[ \] x+$/);
  });
});

describe('the answer field', () => {
  it('wraps a long answer over at most three lines, its end and the cursor always shown', () => {
    const text = Array.from({ length: 40 }, (_, i) => `w${i}`).join(' ');
    const lines = fieldLines(text, 40, true, '›');
    expect(lines).toHaveLength(3);
    for (const l of lines) expect(displayWidth(l.lead + l.text) + (l.cursor ? 1 : 0)).toBeLessThanOrEqual(40);
    expect(lines[0]!.lead).toBe('… ');
    expect(lines.at(-1)!.cursor).toBe(true);
    expect(lines.map((l) => l.text).join('')).toBe(text.slice(-lines.map((l) => l.text).join('').length));
    expect(
      lines
        .map((l) => l.text)
        .join('')
        .endsWith('w39'),
    ).toBe(true);
  });

  it('says so at the 500-character limit, where a long paste loses its end', () => {
    const full = fieldLines('x'.repeat(MAX_ANSWER_CHARS), 80, true, '›');
    expect(full.map((l) => l.text).join('')).toMatch(/\(500 characters at most: the rest was not kept\)$/);
    expect(
      fieldLines('x'.repeat(MAX_ANSWER_CHARS - 1), 80, true, '›')
        .map((l) => l.text)
        .join(''),
    ).not.toContain('at most');
  });

  it('keeps a short answer on one line, spaces as typed', () => {
    expect(fieldLines('0.95 ', 80, true, '›')).toEqual([{ lead: '› ', text: '0.95 ', cursor: true }]);
    expect(fieldLines('', 80, false, '›')).toEqual([{ lead: '  ', text: '(Enter: back to your answer)', cursor: false }]);
  });
});
