// A text question shows its model answer once graded (right, revealed, reviewed), wrapped to the width, and again after a restart.
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { render } from 'ink-testing-library';
import { App } from '../../src/tui/App.js';
import { gradeAnswer } from '../../src/lessons/grade.js';
import { parseLesson } from '../../src/lessons/parse.js';
import type { Lesson } from '../../src/lessons/types.js';
import type { Feedback, QuestionUi } from '../../src/tutor/step-ui.js';
import { closeKeysStores, keysServices, settle, tick, until } from './keys-fixture.js';

afterEach(closeKeysStores);

/** Longer than one 80-column line, so it must wrap: every word of it has to reach the screen. */
const MODEL =
  'The measured value minus the value the fitted line gives at the same reading: the vertical gap between one point and the line, positive above it and negative below.';

const examples = (kind: 'accept' | 'refuse', answers: string[]) => answers.map((a) => `${kind}: ${a}`).join('\n');
const SOURCE = `---
id: model
session: 1
title: Model answers
summary: text questions and their model answers.
---
:::question residual
type: text
attempts: 2
match: (difference | gap | distance) + (point | measured) + line
answer: ${MODEL}
${examples('accept', ['the difference between a point and the line', 'the gap from the measured value to the line', 'distance of a point to the line', 'the difference of the measured value and the line', 'the vertical gap between point and line'])}
${examples('refuse', ['the slope of the line', 'the average of all points', 'a point far away', 'the intercept', 'it is the rmse of the fit'])}

What is a residual?
:::

:::question reflect
type: text
grading: review
answer: ${MODEL}

What is a residual, in your words?
:::

:::question count
type: numeric
answer: 42
tolerance: 0
attempts: 1

How many?
:::

:::page The end

Done.
:::
`;

let lesson: Lesson;
beforeAll(() => {
  const parsed = parseLesson(SOURCE, '/virtual/00-model.md');
  expect(parsed.problems).toEqual([]);
  lesson = parsed.lesson!;
});

/** The keys fixture's services around this lesson, with the real grader. */
function services() {
  const opened = keysServices(lesson);
  opened.services.grade = (q, answer, ctx) => gradeAnswer(q, answer, ctx);
  return opened;
}
function show(s: ReturnType<typeof services>['services'], step: string) {
  const index = lesson.steps.findIndex((x) => x.id === step);
  return render(
    <App services={s} initial={{ name: 'lesson', lesson: 'model', step: index }} caps={{ colors: 0, unicode: true }} size={{ columns: 80, rows: 24 }} />,
  );
}
const frame = (app: ReturnType<typeof render>) => app.lastFrame() ?? '';
/** The screen's text with line breaks undone, to find a wrapped sentence. */
const flat = (app: ReturnType<typeof render>) =>
  frame(app)
    .split('\n')
    .map((l) => l.trim())
    .join(' ')
    .replace(/\s+/g, ' ');
const feedbackOf = (store: ReturnType<typeof services>['store'], step: string) =>
  (store.progress('model')!.states[step]!.extra as Partial<QuestionUi>).feedback as Feedback;

describe('the model answer of a text question', () => {
  it('is shown under a right answer, wrapped to the width, and again after a restart', async () => {
    const { services: s, store } = services();
    const app = show(s, 'residual');
    await tick();
    app.stdin.write('the gap between the measured point and the line');
    await tick();
    app.stdin.write('\r');
    await until(
      () => frame(app).includes('Right.'),
      () => frame(app),
    );
    expect(frame(app)).toContain('A model answer:');
    expect(flat(app)).toContain(MODEL);
    for (const line of frame(app).split('\n')) expect(line.length).toBeLessThanOrEqual(80);
    expect(frame(app)).not.toContain('The answer:');
    expect(feedbackOf(store, 'residual')).toMatchObject({ correct: true, modelAnswer: MODEL });
    app.unmount();
    // The next eds shows the step as it was left: the verdict and the model answer.
    const again = show(s, 'residual');
    await tick();
    expect(frame(again)).toContain('Right.');
    expect(flat(again)).toContain(`A model answer: ${MODEL}`);
  });

  it('is what a revealed text question shows, once, labelled as a model answer', async () => {
    const { services: s, store } = services();
    const app = show(s, 'residual');
    await tick();
    app.stdin.write('the slope of the fitted line');
    await tick();
    app.stdin.write('\r');
    await until(
      () => frame(app).includes('Not quite.'),
      () => frame(app),
    );
    // A wrong answer before the last attempt does not give the answer away.
    expect(frame(app)).not.toContain('A model answer:');
    await settle();
    for (let i = 0; i < 'the slope of the fitted line'.length; i++) app.stdin.write('\u007f');
    await tick();
    app.stdin.write('the intercept of the regression');
    await tick();
    app.stdin.write('\r');
    await until(
      () => frame(app).includes('A model answer:'),
      () => frame(app),
    );
    expect(frame(app)).not.toContain('The answer:');
    expect(flat(app).split('A model answer:')).toHaveLength(2);
    expect(flat(app)).toContain(MODEL);
    expect(feedbackOf(store, 'residual')).toMatchObject({ correct: false, modelAnswer: MODEL });
    expect(store.attempts({ lesson: 'model', question: 'residual' }).map((a) => a.correct)).toEqual([false, false]);
  });

  it('in review mode, is shown for the y/n and stays after it', async () => {
    const { services: s, store } = services();
    const app = show(s, 'reflect');
    await tick();
    app.stdin.write('how far the point is from the line');
    await tick();
    app.stdin.write('\r');
    await until(
      () => frame(app).includes('Does your answer cover this? (y/n)'),
      () => frame(app),
    );
    expect(frame(app)).toContain('A model answer:');
    expect(flat(app)).toContain(MODEL);
    await settle();
    app.stdin.write('y');
    await until(
      () => frame(app).includes('Saved for review'),
      () => frame(app),
    );
    expect(flat(app)).toContain(`A model answer: ${MODEL}`);
    expect(feedbackOf(store, 'reflect')).toMatchObject({ selfAssessed: true, modelAnswer: MODEL });
  });

  it('is not what other questions show: a revealed number is "The answer"', async () => {
    const { services: s } = services();
    const app = show(s, 'count');
    await tick();
    app.stdin.write('7\r');
    await until(
      () => frame(app).includes('Not quite.'),
      () => frame(app),
    );
    expect(frame(app)).toContain('The answer: 42');
    expect(frame(app)).not.toContain('A model answer:');
  });
});
