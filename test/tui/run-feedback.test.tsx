// A running step says so at once and while it runs: a re-run marks the last results stale until the new ones come,
// the spinner moves, one bar and the curves follow the training, and a predict-then-run shows its run at once.
import { afterEach, describe, expect, it } from 'vitest';
import { render } from 'ink-testing-library';
import { App } from '../../src/tui/App.js';
import type { Lesson, QuestionStep } from '../../src/lessons/types.js';
import type { ExperimentCallbacks } from '../../src/experiments/types.js';
import { UNICODE_SYMBOLS } from '../../src/render/symbols.js';
import { closeKeysStores, keysServices, settle, tick, until } from './keys-fixture.js';

afterEach(closeKeysStores);

const guess: QuestionStep = {
  kind: 'question',
  id: 'guess',
  line: 1,
  type: 'predict',
  prompt: 'Will the loss fall?',
  options: [
    { text: 'Yes', correct: true },
    { text: 'No', correct: false },
  ],
  patterns: [],
  wrong: [],
  hints: [],
  explain: '',
  attempts: 1,
  experiment: 'fit',
};

const LESSON: Lesson = {
  id: 'runs',
  session: 1,
  title: 'Runs',
  summary: 'a training step',
  file: '/dev/null',
  steps: [
    {
      kind: 'experiment',
      id: 'fit',
      line: 1,
      title: 'Train',
      body: 'Watch the loss after each epoch.',
      task: 'fake',
      defaults: {},
      choices: { alpha: ['1', '2'] },
    },
    guess,
  ],
};

/** Services whose runs wait for the test: each run's callbacks are handed out, and `finish(value)` ends it. */
function gated() {
  const opened = keysServices(LESSON);
  const pending: Array<{ callbacks: ExperimentCallbacks; finish: (value: number) => void }> = [];
  opened.services.runTask = (_task, options, _seed, callbacks = {}) =>
    new Promise((resolve) => {
      pending.push({ callbacks, finish: (value) => resolve({ json: { task: 'fake', value, ...options }, figures: [] }) });
    });
  return { ...opened, pending };
}

const show = (services: ReturnType<typeof keysServices>['services'], step: number) =>
  render(<App services={services} initial={{ name: 'lesson', lesson: 'runs', step }} caps={{ colors: 0, unicode: true }} size={{ columns: 80, rows: 24 }} />);

/** The spinner line of a frame (the one that says what runs), or ''. */
const spinnerLine = (frame: string) => frame.split('\n').find((l) => /running/.test(l) && UNICODE_SYMBOLS.spinner.some((s) => l.includes(s))) ?? '';

describe('a re-run', () => {
  it('marks the last results stale while it runs, moves the spinner, draws one bar and the curves, then shows the new results', async () => {
    const g = gated();
    const app = show(g.services, 0);
    const frame = () => app.lastFrame()!;
    await tick();
    app.stdin.write('\r');
    await until(() => g.pending.length === 1, frame);
    g.pending[0]!.finish(1);
    await until(() => /value\s+1/.test(frame()), frame);
    expect(frame()).not.toContain('stale');

    // Another option, and run again: the results of alpha=1 stay on screen, marked as the previous run's.
    await settle();
    app.stdin.write('\t');
    await tick();
    app.stdin.write('\u001B[C');
    await until(() => frame().includes('[2]'), frame);
    app.stdin.write('\r');
    await until(() => frame().includes('(previous run, options alpha=1) — stale'), frame);
    expect(frame()).toMatch(/value\s+1/);
    expect(frame()).not.toContain('Results');
    expect(spinnerLine(frame())).toContain('running…');

    // The spinner moves while the task computes, without any report from it.
    const spinners = new Set<string>();
    for (let i = 0; i < 5; i++) {
      spinners.add(spinnerLine(frame()));
      await tick(250);
    }
    expect(spinners.size).toBeGreaterThanOrEqual(4);

    // Training reports: one bar for the run, the curve after the first epoch.
    await until(() => g.pending.length === 2, frame);
    const { callbacks, finish } = g.pending[1]!;
    callbacks.onStatus?.('training a small network…');
    callbacks.onProgress?.(0.25, 'epoch 1/2');
    await until(() => /epoch 1\/2 █+░+ 25%/.test(frame()), frame);
    expect(frame()).toContain('The curves appear when the first epoch ends.');
    callbacks.onProgress?.(0.5, 'epoch 1/2');
    callbacks.onEpochEnd?.(0, { loss: 0.9, val_loss: 1.0, accuracy: 0.6, val_accuracy: 0.55 }, 2);
    await until(() => frame().includes('val_loss 1'), frame);
    expect(frame()).toMatch(/epoch 1\/2 █+░+ 50%/);
    expect(frame()).toContain('loss 0.9');
    expect(frame()).toContain('training a small network…');
    callbacks.onProgress?.(0.75, 'epoch 2/2');
    callbacks.onEpochEnd?.(1, { loss: 0.5, val_loss: 0.7, accuracy: 0.8, val_accuracy: 0.75 }, 2);
    await until(() => frame().includes('val_loss 0.7'), frame);
    expect(frame()).toMatch(/epoch 2\/2 █+░+ 75%/);
    for (const line of frame().split('\n')) expect(line.length).toBeLessThanOrEqual(80);

    // The new results replace the stale ones.
    finish(2);
    await until(() => /value\s+2/.test(frame()), frame);
    expect(frame()).toContain('Results');
    expect(frame()).not.toContain('stale');
    expect(frame()).not.toMatch(/value\s+1\b/);
    expect(spinnerLine(frame())).toBe('');
  }, 20_000);
});

describe('a predict-then-run', () => {
  it('shows its run at once, with the spinner moving, until the verdict', async () => {
    const g = gated();
    const app = show(g.services, 1);
    const frame = () => app.lastFrame()!;
    await tick();
    app.stdin.write('\r'); // "Yes"
    await until(() => frame().includes('running the experiment…'), frame);
    expect(frame()).toContain('Your prediction: Yes');
    const first = spinnerLine(frame());
    await tick(450);
    expect(spinnerLine(frame())).not.toBe(first);
    await until(() => g.pending.length === 1, frame);
    g.pending[0]!.callbacks.onProgress?.(0.5, 'epoch 1/2');
    await until(() => /epoch 1\/2 █+░+ 50%/.test(frame()), frame);
    g.pending[0]!.finish(1);
    await until(() => frame().includes('Right.'), frame);
    expect(frame()).not.toContain('running the experiment…');
  }, 20_000);
});
