// Predictions and reviewed text answers as the student meets them: saved before the run or the y/n, logged once, as shown.
import { afterEach, describe, expect, it } from 'vitest';
import { render } from 'ink-testing-library';
import { App } from '../../src/tui/App.js';
import { statusLine } from '../../src/tutor/step-view.js';
import { initialUi, type QuestionUi } from '../../src/tutor/step-ui.js';
import type { QuestionStep } from '../../src/lessons/types.js';
import { KEYS_LESSON, closeKeysStores, keysServices, settle, tick, until } from './keys-fixture.js';

afterEach(closeKeysStores);
const index = (id: string) => KEYS_LESSON.steps.findIndex((s) => s.id === id);
const question = (id: string) => KEYS_LESSON.steps.find((s) => s.id === id) as QuestionStep;

/** Services whose experiment waits until the test lets it finish. */
function gatedServices() {
  const opened = keysServices();
  let release: () => void = () => {};
  let runs = 0;
  opened.services.runTask = async (_task, options) => {
    runs++;
    await new Promise<void>((r) => (release = r));
    return { json: { task: 'fake', value: 42, ...options }, figures: [] };
  };
  return { ...opened, release: () => release(), runs: () => runs };
}

function show(services: ReturnType<typeof keysServices>['services'], step: string) {
  return render(
    <App
      services={services}
      initial={{ name: 'lesson', lesson: 'keys', step: index(step) }}
      caps={{ colors: 0, unicode: true }}
      size={{ columns: 80, rows: 24 }}
    />,
  );
}

describe('a prediction', () => {
  it('is saved before the run, cannot change during it, and is logged once, right as shown, with what it was checked against', async () => {
    const g = gatedServices();
    const app = show(g.services, 'guess');
    await tick();
    app.stdin.write('\u001B[B'); // highlight "Choice two" (the right one)
    await until(
      () => app.lastFrame()!.includes('› ( ) Choice two'),
      () => app.lastFrame()!,
    );
    app.stdin.write('\r');
    await until(
      () => app.lastFrame()!.includes('Your prediction: Choice two'),
      () => app.lastFrame()!,
    );
    const saved = g.store.progress('keys')!.states.guess!.extra as Partial<QuestionUi>;
    expect(saved.guess).toBe('Choice two');
    expect(saved.picked).toEqual([1]);
    expect(saved.phase).toBe('committed');
    expect(g.store.attempts({ lesson: 'keys' })).toHaveLength(0);
    expect(app.lastFrame()).toContain('Your prediction: Choice two');
    // Keys during the run change nothing.
    await settle();
    app.stdin.write('\u001B[A');
    app.stdin.write(' ');
    await tick();
    g.release();
    await until(
      () => app.lastFrame()!.includes('Right.'),
      () => app.lastFrame()!,
    );
    const attempts = g.store.attempts({ lesson: 'keys', question: 'guess' });
    expect(attempts).toHaveLength(1);
    expect(attempts[0]!.correct).toBe(true);
    expect(attempts[0]!.answer).toBe('Choice two');
    expect(attempts[0]!.grading).toBe('predict');
    expect(attempts[0]!.detail).toMatchObject({ expected: 'Choice two', run: { step: 'plain' } });
    expect(app.lastFrame()).toContain('✓ Right.');
    expect(app.lastFrame()).not.toMatch(/tries|more wrong answer/);
  });

  it('a wrong one is logged wrong, once, and shows the right answer', async () => {
    const { services, store } = keysServices();
    const app = show(services, 'guess');
    await tick();
    app.stdin.write('\r');
    await until(
      () => app.lastFrame()!.includes('The answer: Choice two'),
      () => app.lastFrame()!,
    );
    const attempts = store.attempts({ lesson: 'keys', question: 'guess' });
    expect(attempts.map((a) => [a.correct, a.grading])).toEqual([[false, 'predict']]);
    expect(app.lastFrame()).toContain('✗ Not quite.');
    expect(app.lastFrame()).toContain('The answer: Choice two');
  });

  it('survives a restart during its run: the saved guess is graded by the next run', async () => {
    const g = gatedServices();
    const first = show(g.services, 'guess');
    await tick();
    first.stdin.write('\r'); // "Choice one"
    // The run starts once its first frame is drawn (a tenth of a second).
    await until(
      () => g.runs() === 1,
      () => first.lastFrame()!,
    );
    // The process ends during the run.
    first.unmount();
    const second = show(g.services, 'guess');
    await tick();
    expect(second.lastFrame()).toContain('Your prediction: Choice one');
    expect(second.lastFrame()).toContain('Press Enter to run the experiment and check it');
    // The guess cannot be changed now: arrows and Space do nothing to it.
    second.stdin.write('\u001B[B');
    second.stdin.write(' ');
    await tick();
    second.stdin.write('\r');
    await until(
      () => g.runs() === 2,
      () => second.lastFrame()!,
    );
    g.release();
    await tick(100);
    const attempts = g.store.attempts({ lesson: 'keys', question: 'guess' });
    expect(attempts.map((a) => [a.answer, a.correct])).toEqual([['Choice one', false]]);
    expect((g.store.progress('keys')!.states.guess!.extra as Partial<QuestionUi>).phase).toBe('graded');
  });
});

describe('a typed prediction', () => {
  it('that cannot be read is not committed: the field stays open and nothing runs', async () => {
    const g = gatedServices();
    const app = show(g.services, 'npred');
    await tick();
    app.stdin.write('abc\r');
    await until(
      () => app.lastFrame()!.includes('Type a number.'),
      () => app.lastFrame()!,
    );
    expect(g.runs()).toBe(0);
    expect((g.store.progress('keys')?.states.npred?.extra as Partial<QuestionUi> | undefined)?.guess ?? null).toBeNull();
    await settle();
    // Corrected, it is committed and graded once against the run.
    for (let i = 0; i < 3; i++) app.stdin.write('\u007f');
    await tick();
    app.stdin.write('42\r');
    await until(
      () => g.runs() === 1,
      () => app.lastFrame()!,
    );
    g.release();
    await until(
      () => app.lastFrame()!.includes('Right.'),
      () => app.lastFrame()!,
    );
    expect(g.store.attempts({ lesson: 'keys', question: 'npred' }).map((a) => [a.answer, a.correct, a.grading])).toEqual([['42', true, 'predict']]);
  });
});

describe('a text answer in review mode', () => {
  it('is saved first, shows the model answer, and is logged with the student’s y/n and the automatic verdict', async () => {
    const { services, store } = keysServices();
    const app = show(services, 'rev');
    await tick();
    app.stdin.write('because the points scatter');
    await tick();
    app.stdin.write('\r');
    // Under load Ink may draw the review a little later than one tick.
    await until(
      () => app.lastFrame()?.includes('Does your answer cover this? (y/n)') ?? false,
      () => app.lastFrame() ?? '',
    );
    const saved = store.progress('keys')!.states.rev!.extra as Partial<QuestionUi>;
    expect(saved.input).toBe('because the points scatter');
    expect(saved.phase).toBe('review');
    expect(store.attempts({ lesson: 'keys' })).toHaveLength(0);
    expect(app.lastFrame()).toContain('The model answer.');
    expect(app.lastFrame()).toContain('Does your answer cover this? (y/n)');
    await settle();
    app.stdin.write('n');
    await tick();
    const [a] = store.attempts({ lesson: 'keys', question: 'rev' });
    expect(a).toMatchObject({ answer: 'because the points scatter', correct: false, grading: 'review', detail: { self_assessment: false, auto: null } });
    expect(app.lastFrame()).toContain('Saved for review');
    // The step is finished: n now moves on.
    await settle();
    app.stdin.write('n');
    await tick();
    expect(app.lastFrame()).toContain(`step ${index('rev') + 2}/`);
  });

  it('a y typed right after the answer (in the same paste) does not answer the y/n', async () => {
    const { services, store } = keysServices();
    const app = show(services, 'rev');
    await tick();
    app.stdin.write('my answer\ry');
    await until(
      () => app.lastFrame()?.includes('Does your answer cover this? (y/n)') ?? false,
      () => app.lastFrame() ?? '',
    );
    await tick();
    expect(store.attempts({ lesson: 'keys' })).toHaveLength(0);
    expect(app.lastFrame()).toContain('Does your answer cover this? (y/n)');
  });
});

describe('the line under a question says only what is true', () => {
  const ui = (id: string, attempts = 0): QuestionUi => initialUi(question(id), undefined, attempts, 0) as QuestionUi;
  it('a prediction is graded once: no tries', () => {
    expect(statusLine(question('guess'), ui('guess'))).toBe('A prediction is graded once, after the run.');
  });
  it('a reviewed text answer has no tries either', () => {
    expect(statusLine(question('rev'), ui('rev'))).toMatch(/compare it with a model answer/);
  });
  it('a question that reveals its answer counts down to it, and never says 0', () => {
    expect(statusLine(question('single'), ui('single', 0))).toBe('The answer is shown after 3 more wrong answers.');
    expect(statusLine(question('single'), ui('single', 2))).toBe('The answer is shown after one more wrong answer.');
    // More attempts than allowed (a reset lesson keeps its log): the next wrong one reveals.
    expect(statusLine(question('single'), ui('single', 7))).toBe('The answer is shown after one more wrong answer.');
  });
  it('nothing once answered, committed or under review', () => {
    expect(statusLine(question('single'), { ...ui('single'), solved: true })).toBeNull();
    expect(statusLine(question('guess'), { ...ui('guess'), phase: 'committed' })).toBeNull();
    expect(statusLine(question('rev'), { ...ui('rev'), phase: 'review' })).toBeNull();
  });
});
