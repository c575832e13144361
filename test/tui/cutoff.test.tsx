// The lesson screen at 80x24 and at 40x12 (the smallest eds draws) cuts nothing the student must read: long choices,
// their feedback, hints with inline code, the run a number was checked against and the messages that do not count an
// answer wrap, and what is below the body is reached with PgDn.
import { afterEach, describe, expect, it } from 'vitest';
import { render } from 'ink-testing-library';
import { App } from '../../src/tui/App.js';
import { gradeAnswer } from '../../src/lessons/grade.js';
import type { Lesson, QuestionStep } from '../../src/lessons/types.js';
import { displayWidth } from '../../src/util/text.js';
import { closeKeysStores, keysServices, settle, tick, until } from './keys-fixture.js';

afterEach(closeKeysStores);

const WRONG_FEEDBACK = 'Residuals measure how far each point lies from the fitted line, not how much data was dropped while cleaning the record.';
const HINT = 'Think of a probe that reads continuously against a lab that measures rarely: the `residual` of one reading is its distance from the line.';
const question = (id: string, extra: Partial<QuestionStep>): QuestionStep => ({
  kind: 'question',
  id,
  line: 1,
  type: 'single',
  prompt: 'Pick one.',
  options: [],
  patterns: [],
  wrong: [],
  hints: [],
  explain: '',
  attempts: 3,
  ...extra,
});

const LESSON: Lesson = {
  id: 'cut',
  session: 1,
  title: 'Cut',
  summary: 'long texts',
  file: '/dev/null',
  steps: [
    question('pick', {
      options: [
        {
          text: 'The residuals tell how many samples were dropped from the record while it was being cleaned of outages.',
          correct: false,
          feedback: WRONG_FEEDBACK,
        },
        { text: 'The residual of a sample is its measured value minus the value the fitted line gives at the same `turbidity`.', correct: true },
        { text: 'The residuals are the coefficients of the fit, the slope and the intercept, as the fitting routine returned them.', correct: false },
      ],
      hints: [HINT],
      explain: 'A residual is observed minus fitted: the part of each measurement that the line does not explain.',
    }),
    { kind: 'experiment', id: 'fit', line: 1, title: 'Fit a line to your gauge readings', body: 'Run it.', task: 'fake', defaults: {}, choices: {} },
    question('slope', {
      type: 'numeric',
      prompt: 'What slope did your last fit find?',
      answer: { kind: 'result', step: 'fit', key: 'value' },
      tolerance: { kind: 'absolute', value: 0.01 },
      run: { step: 'fit', options: {}, label: '"Fit a line to your gauge readings"' },
      hints: ['It is in the results of the experiment, under `value`: Esc, then `p`, goes back to them.'],
    }),
  ],
};

function show(size: { columns: number; rows: number }, step = 0) {
  const { services, store } = keysServices(LESSON);
  services.grade = (q, answer, ctx) => gradeAnswer(q, answer, ctx);
  const app = render(<App services={services} initial={{ name: 'lesson', lesson: 'cut', step }} caps={{ colors: 0, unicode: true }} size={size} />);
  return { app, store };
}

/**
 * Every line above the footer (the body, the notice, the answer field) fits the width and none was cut by the
 * renderer (its … at the end). The footer's key hints give way at 40 columns by design (? lists them all).
 */
function expectUncut(frame: string, columns: number): void {
  for (const line of frame.split('\n').slice(0, -2)) {
    expect(displayWidth(line), line).toBeLessThanOrEqual(columns);
    expect(line, frame).not.toMatch(/…\s*$/);
  }
}

/**
 * What the body shows from here down, paging with PgDn until nothing is below, as one line of words (a sentence
 * wrapped over rows, or over two pages, is found whole). `below`: the lines under the body (the notice, the answer
 * field, the footer's two).
 */
async function readDown(app: ReturnType<typeof render>, columns: number, below: number): Promise<string> {
  const body: string[] = [];
  for (let i = 0; i < 30; i++) {
    const frame = app.lastFrame()!;
    expectUncut(frame, columns);
    const page = frame.split('\n').slice(1, -below);
    // Pages overlap (PgDn keeps a line, the last page ends at the bottom): the new lines are those after the overlap.
    let overlap = Math.min(page.length, body.length);
    while (overlap > 0 && body.slice(-overlap).join('\n') !== page.slice(0, overlap).join('\n')) overlap--;
    body.push(...page.slice(overlap));
    if (!frame.includes('more below')) break;
    app.stdin.write('\u001B[6~');
    await tick();
  }
  return body.join('\n').replace(/\s+/g, ' ');
}

for (const size of [
  { columns: 80, rows: 24 },
  { columns: 40, rows: 12 },
]) {
  describe(`at ${size.columns}x${size.rows}`, () => {
    it('a wrong long choice: the choices, its feedback and the hint are shown whole, code without backticks', async () => {
      const { app, store } = show(size);
      await tick();
      expectUncut(app.lastFrame()!, size.columns);
      app.stdin.write('\r'); // the first choice, wrong
      await until(
        () => store.attempts({ lesson: 'cut' }).length === 1,
        () => app.lastFrame()!,
      );
      await tick();
      // The verdict comes on screen, even where it does not fit with the long choice answered.
      await until(
        () => app.lastFrame()!.includes('✗ Not quite.'),
        () => app.lastFrame()!,
      );
      // Keys right after an answer are dropped (a paste must not answer on): wait for the pause.
      await settle();
      app.stdin.write('\u001B[5~'.repeat(10));
      await tick();
      const text = await readDown(app, size.columns, 3);
      expect(text).toContain('The residuals tell how many samples were dropped from the record while it was being cleaned of outages.');
      expect(text).toContain(WRONG_FEEDBACK);
      expect(text).toContain(
        'Hint: Think of a probe that reads continuously against a lab that measures rarely: the `residual` of one reading is its distance from the line.',
      );
      // Without colour code keeps its backticks, as on a page; with colour it is drawn as code (test/tui/question-fit).
      await settle();
      // Answered right: every right choice is marked, the wrong pick too.
      app.stdin.write('\u001B[5~'.repeat(3));
      await tick();
      app.stdin.write('\u001B[B');
      await tick();
      app.stdin.write('\r');
      await until(
        () => app.lastFrame()!.includes('✓ Right.'),
        () => app.lastFrame()!,
      );
      await settle();
      app.stdin.write('\u001B[5~'.repeat(10));
      await tick();
      const right = await readDown(app, size.columns, 3);
      expect(right).toContain('The residual of a sample is its measured value minus the value the fitted line gives at the same `turbidity`. ✓');
      expect(right).toContain('✓ Right.');
      expect(right).toContain('A residual is observed minus fitted: the part of each measurement that the line does not explain.');
    });

    it('a number: which run to make, the run it was checked against and a hint are shown whole', async () => {
      const { app, store } = show(size, 2);
      await tick();
      // A number before any run: the notice says which run to make, not cut, and nothing is counted.
      app.stdin.write('7');
      await tick();
      app.stdin.write('\r');
      await until(
        () => app.lastFrame()!.includes('first'),
        () => app.lastFrame()!,
      );
      const before = app.lastFrame()!;
      expectUncut(before, size.columns);
      expect(before.replace(/\s+/g, ' ')).toContain('"Fit a line to your gauge readings"');
      expect(store.attempts({ lesson: 'cut', question: 'slope' })).toHaveLength(0);
      await settle();
      app.stdin.write('\u001B'); // out of the field
      await tick();
      app.stdin.write('p');
      await until(
        () => app.lastFrame()!.includes('Run it.'),
        () => app.lastFrame()!,
      );
      app.stdin.write('\r'); // run
      await until(
        () => app.lastFrame()!.includes('Results'),
        () => app.lastFrame()!,
      );
      app.stdin.write('n');
      await until(
        () => app.lastFrame()!.includes('What slope did your last fit find?'),
        () => app.lastFrame()!,
      );
      await settle();
      for (let i = 0; i < 3; i++) app.stdin.write('\u007F');
      await tick();
      app.stdin.write('abc');
      await tick();
      app.stdin.write('\r');
      await until(
        () => app.lastFrame()!.includes('is not a number I can read'),
        () => app.lastFrame()!,
      );
      const notice = app.lastFrame()!;
      expectUncut(notice, size.columns);
      expect(notice.replace(/\s+/g, ' ')).toContain('"abc" is not a number I can read: type a number such as 0.42, 4.2e-1, 42% or 1/2 (no units).');
      expect(store.attempts({ lesson: 'cut', question: 'slope' })).toHaveLength(0);
      await settle();
      for (let i = 0; i < 3; i++) app.stdin.write('\u007F');
      await tick();
      app.stdin.write('7');
      await tick();
      app.stdin.write('\r');
      await until(
        () => store.attempts({ lesson: 'cut', question: 'slope' }).length === 1,
        () => app.lastFrame()!,
      );
      await settle();
      const text = await readDown(app, size.columns, 4);
      expect(text).toContain('Checked against your latest run of "Fit a line to your gauge readings".');
      expect(text).toContain('Hint: It is in the results of the experiment, under `value`: Esc, then `p`, goes back to them.');
    });

    it('a long typed answer stays in view: its end and the cursor, over a few lines', async () => {
      const { app } = show(size, 2);
      await tick();
      const typed = `${'1234567890'.repeat(15)}END`;
      app.stdin.write(typed);
      await tick();
      const frame = app.lastFrame()!;
      expectUncut(frame, size.columns);
      // The end of the answer, wrapped over the field's lines, with the cursor after it.
      const field = frame
        .split('\n')
        .slice(-5, -2)
        .map((l) => l.slice(2))
        .join('');
      expect(field).toMatch(/1234567890END\s*$/);
      // The body still has its rows: the question is on screen.
      expect(frame).toContain('What slope did your last fit find?');
    });
  });
}
