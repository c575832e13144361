// Every key the help lists, on every kind of step, pressed in the real screen: each must do what the help says.
import { afterEach, describe, expect, it } from 'vitest';
import { render } from 'ink-testing-library';
import { App } from '../../src/tui/App.js';
import type { Step } from '../../src/lessons/types.js';
import type { StepState } from '../../src/store/types.js';
import { KEYS_LESSON, closeKeysStores, keysServices } from './keys-fixture.js';
import { KEY_MODES, STEP_KEYS, footerFor, type Action, type KeyMode } from '../../src/tutor/step-keys.js';
import { QUIET_AFTER_SUBMIT_MS } from '../../src/tui/components/LessonScreen.js';

/** Bytes a terminal sends for each key name of the table. */
const BYTES: Record<string, string> = {
  Enter: '\r',
  Esc: '\u001B',
  Tab: '\t',
  Up: '\u001B[A',
  Down: '\u001B[B',
  Right: '\u001B[C',
  Left: '\u001B[D',
  PgUp: '\u001B[5~',
  PgDn: '\u001B[6~',
  Space: ' ',
  Backspace: '\u007f',
  'Ctrl-C': '\u0003',
};
const bytes = (name: string) => BYTES[name] ?? name;
const tick = (ms = 30) => new Promise((r) => setTimeout(r, ms));
afterEach(closeKeysStores);

const stepIndex = (id: string) => KEYS_LESSON.steps.findIndex((s: Step) => s.id === id);

/** Saved states that put a step straight into a mode. */
const SEEDED: Partial<Record<KeyMode, [string, StepState]>> = {
  'predict-committed': ['guess', { extra: { guess: 'Choice two', picked: [1], phase: 'committed', pendingSeconds: 3 } }],
  review: ['rev', { extra: { input: 'my own words', phase: 'review', review: { modelAnswer: 'The model answer.', auto: null }, pendingSeconds: 4 } }],
  answered: ['single', { extra: { solved: true, picked: [1], phase: 'graded', feedback: { correct: true, text: 'Correct!' } } }],
};

/** Where each mode is reached: the step, and the keys that lead there from its first frame. */
const SETUP: Record<KeyMode, { step: string; keys?: string[] }> = {
  page: { step: 'middle' },
  experiment: { step: 'plain' },
  'experiment-page': { step: 'exp' },
  'experiment-options': { step: 'exp', keys: ['Tab'] },
  single: { step: 'single' },
  multiple: { step: 'multi' },
  predict: { step: 'guess' },
  'predict-committed': { step: 'guess' },
  'field-empty': { step: 'num' },
  'field-typed': { step: 'num', keys: ['4'] },
  'field-left': { step: 'num', keys: ['Esc'] },
  review: { step: 'rev' },
  answered: { step: 'single' },
};

async function open(mode: KeyMode) {
  const { services, store } = keysServices();
  const seeded = SEEDED[mode];
  if (seeded) store.saveStep('keys', seeded[0], stepIndex(seeded[0]), seeded[1]);
  const setup = SETUP[mode];
  let quits = 0;
  const app = render(
    <App
      services={services}
      initial={{ name: 'lesson', lesson: 'keys', step: stepIndex(setup.step) }}
      caps={{ colors: 0, unicode: true }}
      size={{ columns: 80, rows: 24 }}
      onQuit={() => quits++}
    />,
  );
  // Frames can lag a key on a loaded machine (the screen scrolls to the highlighted row in a later frame): wait until
  // no new frame has come for 200 ms. 50 ms was too short in CI with the whole suite on two cores.
  const quiet = async () => {
    const deadline = Date.now() + 5000;
    let calm = 0;
    for (let n = app.frames.length; calm < 4 && Date.now() < deadline; ) {
      await tick(50);
      calm = app.frames.length === n ? calm + 1 : 0;
      n = app.frames.length;
    }
  };
  await quiet();
  for (const k of setup.keys ?? []) {
    app.stdin.write(bytes(k));
    await quiet();
  }
  const frame = () => app.lastFrame() ?? '';
  expect(frame(), `setting up ${mode}`).toContain(footerFor(mode).slice(0, 20));
  const press = async (name: string) => {
    app.stdin.write(bytes(name));
    await quiet();
  };
  /** Types keys as a paste or a fast typist does: 20 ms apart, then waits for the screen to settle. */
  const burst = async (...names: string[]) => {
    for (const name of names) {
      app.stdin.write(bytes(name));
      await tick(20);
    }
    await quiet();
  };
  return { app, store, frame, press, burst, quits: () => quits };
}

const stepOf = (frame: string) => Number(/step (\d+)\//.exec(frame)?.[1] ?? NaN);
const scrollOf = (frame: string) => Number(/ (\d+)%\n/.exec(frame.split('\n')[0] + '\n')?.[1] ?? 0);
const pointerLine = (frame: string) => frame.split('\n').find((l) => l.includes('› ')) ?? '';

/** Presses `key` in `mode` and checks that it does `action`. */
async function check(mode: KeyMode, key: string, action: Action): Promise<void> {
  const s = await open(mode);
  const before = s.frame();
  const where = `${mode}: ${key} (${action})`;
  const attempts = () => s.store.attempts({ lesson: 'keys' });
  const state = (id: string) => s.store.progress('keys')?.states[id];
  const step = stepOf(before);
  switch (action) {
    case 'next': {
      await s.press(key);
      const finished = mode === 'page' || mode === 'answered';
      if (finished) expect(stepOf(s.frame()), where).toBe(step + 1);
      else {
        expect(stepOf(s.frame()), where).toBe(step);
        expect(s.frame(), where).toMatch(/first/);
      }
      return;
    }
    case 'prev':
      await s.press(key);
      expect(stepOf(s.frame()), where).toBe(step - 1);
      return;
    case 'scrollDown':
    case 'pageDown': {
      // A step that opens scrolled to the bottom (its cursor or question is there) is scrolled up first.
      if (scrollOf(before) === 100) await s.press('PgUp');
      const from = scrollOf(s.frame());
      await s.press(key);
      expect(scrollOf(s.frame()), where).toBeGreaterThan(from);
      expect(stepOf(s.frame()), where).toBe(step);
      return;
    }
    case 'scrollUp':
    case 'pageUp': {
      await s.press('PgDn');
      await s.press('PgDn');
      const from = scrollOf(s.frame());
      expect(from, `${where}: scrolled down first`).toBeGreaterThan(0);
      await s.press(key);
      expect(scrollOf(s.frame()), where).toBeLessThan(from);
      return;
    }
    case 'cursorUp':
    case 'cursorDown': {
      const from = pointerLine(before);
      expect(from, `${where}: a highlighted row in\n${before}`).not.toBe('');
      await s.press(key);
      expect(pointerLine(s.frame()), where).not.toBe(from);
      expect(pointerLine(s.frame()), where).not.toBe('');
      return;
    }
    case 'optionLeft':
    case 'optionRight': {
      await s.press(key);
      const alpha = state('exp')?.options?.alpha;
      expect(alpha, where).toBe(action === 'optionRight' ? '2' : '3');
      return;
    }
    case 'toggle':
      await s.press(key);
      expect((state('multi')?.extra as { picked?: number[] } | undefined)?.picked, where).toEqual([0]);
      return;
    case 'answer': {
      if (mode === 'multiple') {
        await s.press('Space');
        await tick(QUIET_AFTER_SUBMIT_MS);
      }
      await s.press(key);
      await tick(100);
      if (mode === 'field-empty') {
        expect(s.frame(), where).toContain('Type an answer first');
        expect(attempts(), where).toHaveLength(0);
      } else {
        expect(attempts().length, `${where}: ${s.frame()}`).toBe(1);
        if (mode === 'predict' || mode === 'predict-committed') expect(attempts()[0]!.grading, where).toBe('predict');
      }
      return;
    }
    case 'run': {
      await s.press(key);
      await tick(100);
      expect(state(mode === 'experiment' ? 'plain' : 'exp')?.results, where).toBeDefined();
      return;
    }
    case 'where': {
      // These services offer no Slurm: the key says so, and the experiment still runs here.
      await s.press(key);
      expect(s.frame(), where).toContain('Slurm is not enabled for this course');
      return;
    }
    case 'focus': {
      await s.press(key);
      const to: Record<string, KeyMode> = { 'experiment-page': 'experiment-options', 'experiment-options': 'experiment-page', 'field-left': 'field-empty' };
      expect(s.frame(), where).toContain(footerFor(to[mode]!));
      return;
    }
    case 'leaveField':
      await s.press(key);
      expect(s.frame(), where).toContain(footerFor('field-left'));
      // Now keys are commands: p goes back.
      await s.press('p');
      expect(stepOf(s.frame()), where).toBe(step - 1);
      return;
    case 'erase':
      await s.press(key);
      expect((state('num')?.extra as { input?: string } | undefined)?.input, where).toBe('');
      return;
    case 'yes':
    case 'no': {
      await s.press(key);
      const [a] = attempts();
      expect(a, where).toBeDefined();
      expect(a!.grading, where).toBe('review');
      expect(a!.correct, where).toBe(action === 'yes');
      expect(a!.detail, where).toEqual({ self_assessment: action === 'yes', auto: null });
      expect(s.frame(), where).toContain('Saved for review');
      return;
    }
    case 'help':
      await s.press(key);
      expect(s.frame(), where).toContain('Keys on ');
      for (const row of STEP_KEYS[mode]) expect(s.frame(), where).toContain(row.description.slice(0, 30));
      await s.press('?');
      expect(s.frame(), where).not.toContain('Keys on ');
      return;
    case 'home':
      await s.press(key);
      expect(s.frame(), where).toContain('course map');
      return;
    case 'quit':
      await s.press(key);
      expect(s.quits(), where).toBe(1);
      return;
    default: {
      const unreachable: never = action;
      throw new Error(String(unreachable));
    }
  }
}

describe('the keys of every kind of step do what the help says', () => {
  for (const mode of KEY_MODES) {
    it(mode, async () => {
      for (const row of STEP_KEYS[mode]) for (const key of row.keys) await check(mode, key, row.action);
    }, 60_000);
  }
});

describe('an answer field', () => {
  it('once something is typed, p, q, ? and h are text; Esc still leaves', async () => {
    const s = await open('field-typed');
    for (const k of ['p', 'q', '?', 'h', 'Left']) await s.press(k);
    expect((s.store.progress('keys')?.states.num?.extra as { input?: string } | undefined)?.input).toBe('4pq?h');
    expect(s.quits()).toBe(0);
    expect(stepOf(s.frame())).toBe(stepIndex('num') + 1);
    await s.press('Esc');
    expect(s.frame()).toContain(footerFor('field-left'));
  });

  it('a pasted answer starting with p is text, not a step back', async () => {
    const s = await open('field-empty');
    await s.press('pq');
    expect(stepOf(s.frame())).toBe(stepIndex('num') + 1);
    expect(s.quits()).toBe(0);
    expect((s.store.progress('keys')?.states.num?.extra as { input?: string } | undefined)?.input).toBe('pq');
  });

  it('p and ← from an unanswered numeric question each go back one step', async () => {
    const s = await open('field-empty');
    await s.press('p');
    expect(stepOf(s.frame())).toBe(stepIndex('num'));
    await s.press('Left');
    expect(stepOf(s.frame())).toBe(stepIndex('num') - 1);
  });
});

describe('characters after a submitted answer', () => {
  it('a pasted answer with trailing text answers once, never the next question, and stays in the lesson', async () => {
    const s = await open('field-empty');
    // The answer, Enter, then the rest of a sentence full of command letters, in one event and then a few more.
    await s.burst('42\rnn q hjp\r', 'n', '\r', 'q');
    expect(s.quits()).toBe(0);
    expect(stepOf(s.frame())).toBe(stepIndex('num') + 1);
    const attempts = s.store.attempts({ lesson: 'keys' });
    expect(attempts.map((a) => [a.question, a.correct])).toEqual([['num', true]]);
    // After a pause, keys count again: one n moves one step.
    await tick(QUIET_AFTER_SUBMIT_MS + 50);
    await s.press('n');
    expect(stepOf(s.frame())).toBe(stepIndex('num') + 2);
  });

  it('one event never moves more than one step', async () => {
    const s = await open('page');
    await s.press('nnnn');
    expect(stepOf(s.frame())).toBe(stepIndex('middle') + 2);
  });
});

describe('experiment focus', () => {
  it('an option off screen does not change: the first ← → brings it into view', async () => {
    const s = await open('experiment-options');
    const before = s.frame();
    expect(pointerLine(before)).toContain('alpha');
    // Scroll the option row away, then press →: it comes back into view, the value stays.
    for (let i = 0; i < 4; i++) await s.press('PgUp');
    expect(pointerLine(s.frame())).toBe('');
    await s.press('Right');
    expect(pointerLine(s.frame())).toContain('alpha');
    expect(s.store.progress('keys')?.states.exp?.options?.alpha ?? '1').toBe('1');
    await s.press('Right');
    expect(s.store.progress('keys')?.states.exp?.options?.alpha).toBe('2');
  });

  it('with the page focused, ↑↓ scroll and the options show no highlight', async () => {
    const s = await open('experiment-page');
    expect(pointerLine(s.frame())).toBe('');
    await s.press('Down');
    expect(scrollOf(s.frame())).toBeGreaterThan(0);
    expect(s.store.progress('keys')?.states.exp?.options?.alpha ?? '1').toBe('1');
  });
});

describe('a terminal shrunk below the minimum and back', () => {
  it('keeps the step and what was typed', async () => {
    const { services } = keysServices();
    const initial = { name: 'lesson' as const, lesson: 'keys', step: stepIndex('num') };
    const tree = (columns: number, rows: number) => <App services={services} initial={initial} caps={{ colors: 0, unicode: true }} size={{ columns, rows }} />;
    const app = render(tree(80, 24));
    await tick();
    app.stdin.write('4');
    await tick();
    app.stdin.write('\u001B');
    await tick();
    app.rerender(tree(30, 10));
    await tick();
    expect(app.lastFrame()).toContain('Terminal too small');
    // Keys do nothing to the hidden lesson.
    app.stdin.write('p');
    await tick();
    app.rerender(tree(80, 24));
    await tick();
    expect(app.lastFrame()).toContain(`step ${stepIndex('num') + 1}/`);
    expect(app.lastFrame()).toContain('4  (Enter: back to your answer)');
    expect(app.lastFrame()).toContain(footerFor('field-left'));
  });
});
