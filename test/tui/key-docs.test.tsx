// The keys as documented (the README's table, the course map's `?`, the intro's "The keys" page) agree with the
// table the lesson screen acts on (tutor/step-keys.ts), and the course map's keys do what its help says.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { render } from 'ink-testing-library';
import { App } from '../../src/tui/App.js';
import {
  KEY_MODES,
  KEY_SUMMARY,
  MAP_KEYS,
  STEP_KEYS,
  SUMMARY_LEAVES_OUT,
  actionFor,
  mapActionFor,
  type Action,
  type KeyMode,
} from '../../src/tutor/step-keys.js';
import { checkLessons } from '../../src/lessons/load.js';
import { wrapSegments } from '../../src/tutor/step-view.js';
import { noticeLines } from '../../src/tui/components/LessonScreen.js';
import type { StepState } from '../../src/store/types.js';
import { parseLesson } from '../../src/lessons/parse.js';
import { renderMarkdown } from '../../src/lessons/markdown.js';
import type { Lesson, PageStep, QuestionStep } from '../../src/lessons/types.js';
import { KEYS_LESSON, closeKeysStores, keysServices } from './keys-fixture.js';

const root = join(import.meta.dirname, '../..');
const tick = (ms = 40) => new Promise((r) => setTimeout(r, ms));
afterEach(closeKeysStores);

/** The rows of the README's keys table, backticks dropped: [keys, does]. */
function readmeKeyRows(): Array<[string, string]> {
  const readme = readFileSync(join(root, 'README.md'), 'utf8');
  const section = readme.slice(readme.indexOf('\n### Keys\n'));
  const table = section.split('\n').slice(1);
  const start = table.findIndex((l) => /^\|\s*keys\s*\|\s*does\s*\|$/.test(l));
  expect(start, 'a "| keys | does |" table under ### Keys').toBeGreaterThanOrEqual(0);
  const rows: Array<[string, string]> = [];
  for (const line of table.slice(start + 2)) {
    if (!line.startsWith('|')) break;
    const cells = line
      .split('|')
      .slice(1, -1)
      .map((c) => c.trim().replace(/`/g, ''));
    expect(cells, line).toHaveLength(2);
    rows.push([cells[0]!, cells[1]!]);
  }
  return rows;
}

describe('the lesson keys in brief', () => {
  it('say what each key does on every kind of step they name', () => {
    for (const row of KEY_SUMMARY)
      for (const [keys, modes] of row.covers)
        for (const mode of modes)
          for (const key of keys) expect(row.actions, `${row.label}: ${key} on ${mode} does ${actionFor(mode, key)}`).toContain(actionFor(mode, key));
  });

  it('leave out no key of any step (but Backspace, which erases)', () => {
    for (const mode of KEY_MODES)
      for (const row of STEP_KEYS[mode])
        for (const key of row.keys) {
          if (SUMMARY_LEAVES_OUT.includes(key)) continue;
          const told = KEY_SUMMARY.some((s) => s.covers.some(([keys, modes]) => keys.includes(key) && modes.includes(mode)));
          expect(told, `${key} (${row.description}) on ${mode}`).toBe(true);
        }
  });

  it('fit beside their keys at 80 columns, as the help draws them', () => {
    for (const row of [...KEY_SUMMARY, ...MAP_KEYS]) {
      expect(row.label.length, row.label).toBeLessThan(16);
      expect(16 + row.description.length, row.description).toBeLessThanOrEqual(79);
    }
  });

  it('are the README’s table, row for row', () => {
    expect(readmeKeyRows()).toEqual(KEY_SUMMARY.map((r) => [r.label, r.description]));
  });
});

describe('the intro’s page on the keys', () => {
  it('says what the keys do now: Tab to the options, scrolling, Esc out of a field, p and ← back, n in review', () => {
    const parsed = parseLesson(readFileSync(join(root, 'lessons/00-intro.md'), 'utf8'), 'lessons/00-intro.md');
    expect(parsed.problems).toEqual([]);
    const page = (parsed.lesson as Lesson).steps.find((s): s is PageStep => s.kind === 'page' && s.title === 'The keys');
    expect(page).toBeDefined();
    // As the lesson screen lays a page out at 80×24: its title, then the body, 78 columns wide.
    const lines = renderMarkdown(`# ${page!.title}\n\n${page!.body}`, { width: 78, height: 23, colors: 0, unicode: true });
    const text = lines.join(' ').replace(/\s+/g, ' ');
    expect(text).toMatch(/Tab — to an experiment's options: `↑` `↓` pick one, `←` `→` change it/);
    expect(text).toMatch(/`↑` `↓` — scroll \(`PgUp` \/ `PgDn`/);
    expect(text).toMatch(/`n` \/ `p` \(or `→` \/ `←`\) — next and previous step/);
    expect(text).toMatch(/Esc leaves the field/);
    expect(text).toMatch(/`p`, `←`, `q` and `\?` still act as keys/);
    expect(text).toMatch(/there `n` means "no", not "next"/);
    // The page fits one 80×24 screen without scrolling: 19 lines between the header and the notice and footer.
    expect(lines.length).toBeLessThanOrEqual(19);
  });
});

describe('the course map', () => {
  function open() {
    const { services } = keysServices({ ...KEYS_LESSON });
    let quits = 0;
    const app = render(
      <App
        services={services}
        initial={{ name: 'map', lesson: null }}
        caps={{ colors: 0, unicode: true }}
        size={{ columns: 80, rows: 24 }}
        onQuit={() => quits++}
      />,
    );
    return { app, frame: () => app.lastFrame() ?? '', quits: () => quits };
  }

  it('`?` lists its own keys and the lesson keys in brief, all on one 80×24 screen', async () => {
    const s = open();
    await tick();
    s.app.stdin.write('?');
    await tick();
    const frame = s.frame();
    expect(frame).toContain('Keys on the course map');
    for (const row of [...MAP_KEYS, ...KEY_SUMMARY]) expect(frame, row.label).toContain(`${row.label.padEnd(16)}${row.description}`);
    expect(frame).toContain('Press ? to go back.');
    expect(frame.split('\n').length).toBeLessThanOrEqual(23);
    s.app.stdin.write('?');
    await tick();
    expect(s.frame()).not.toContain('Keys on the course map');
  });

  it('a window too short for the list cuts it and says so', async () => {
    const { services } = keysServices();
    const app = render(
      <App services={services} initial={{ name: 'map', lesson: null }} caps={{ colors: 0, unicode: true }} size={{ columns: 80, rows: 14 }} />,
    );
    await tick();
    app.stdin.write('?');
    await tick();
    const frame = app.lastFrame() ?? '';
    expect(frame).toContain('a taller window shows every key');
    expect(frame).toContain('Press ? to go back.');
    expect(frame.split('\n').length).toBeLessThanOrEqual(13);
  });

  it('its keys do what its help says', async () => {
    for (const row of MAP_KEYS)
      for (const key of row.keys) {
        const action = mapActionFor(key);
        const s = open();
        await tick();
        const bytes: Record<string, string> = { Up: '\u001B[A', Down: '\u001B[B', Right: '\u001B[C', Enter: '\r', 'Ctrl-C': '\u0003' };
        s.app.stdin.write(bytes[key] ?? key);
        await tick();
        const where = `${key} (${action})`;
        if (action === 'open') expect(s.frame(), where).toContain('step 1/');
        else if (action === 'help') expect(s.frame(), where).toContain('Keys on the course map');
        else if (action === 'quit') expect(s.quits(), where).toBe(1);
        else {
          // One lesson: the highlight wraps around onto it, and stays on the map.
          expect(action === 'cursorUp' || action === 'cursorDown', where).toBe(true);
          expect(s.frame(), where).toContain('course map');
          expect(s.frame(), where).not.toContain('step 1/');
        }
        s.app.unmount();
      }
    expect(mapActionFor('Down')).toBe('cursorDown');
    expect(mapActionFor('k')).toBe('cursorUp');
    expect(mapActionFor('Esc')).toBeNull();
  });
});

describe('what the screen tells the student about keys', () => {
  const at = (id: string) => KEYS_LESSON.steps.findIndex((x) => x.id === id);
  async function screen(step: string, saved?: StepState, keys: string[] = []) {
    const { services, store } = keysServices();
    if (saved) store.saveStep('keys', step, at(step), saved);
    const app = render(
      <App
        services={services}
        initial={{ name: 'lesson', lesson: 'keys', step: at(step) }}
        caps={{ colors: 0, unicode: true }}
        size={{ columns: 80, rows: 24 }}
      />,
    );
    await tick();
    for (const k of keys) {
      app.stdin.write(k);
      await tick();
    }
    return app;
  }
  /** The frame once it says `said` (frames can lag keys on a loaded machine), or the last one after 3 s. */
  async function saying(app: ReturnType<typeof render>, said: RegExp): Promise<string> {
    for (const deadline = Date.now() + 3000; !said.test(app.lastFrame() ?? '') && Date.now() < deadline; ) await tick(30);
    return app.lastFrame() ?? '';
  }
  // The fixture's steps are long: what an experiment says under its options is at the bottom.
  const BOTTOM = Array<string>(6).fill('\u001B[6~');
  /** [where, what the screen says, the mode it is in, and the keys it names with what they must do there]. */
  const SAID: Array<[string, () => Promise<ReturnType<typeof render>>, RegExp, KeyMode, Array<[string, Action]>]> = [
    ['an experiment, page focused', () => screen('exp', undefined, BOTTOM), /Options {2}\(Tab to change them\)/, 'experiment-page', [['Tab', 'focus']]],
    ['an experiment, not run yet', () => screen('exp', undefined, BOTTOM), /Press Enter to run the experiment\./, 'experiment-page', [['Enter', 'run']]],
    [
      'an experiment, options focused',
      () => screen('exp', undefined, ['\t']),
      /\(↑↓ choose, ←→ change, Enter run, Tab back to the page\)/,
      'experiment-options',
      [
        ['Up', 'cursorUp'],
        ['Down', 'cursorDown'],
        ['Left', 'optionLeft'],
        ['Right', 'optionRight'],
        ['Enter', 'run'],
        ['Tab', 'focus'],
      ],
    ],
    [
      'an experiment run in an earlier session',
      () => screen('plain', { results: { value: 42 } }, BOTTOM),
      /Press r to draw the plots again\./,
      'experiment',
      [['r', 'run']],
    ],
    [
      'a committed prediction',
      () => screen('guess', { extra: { guess: 'Choice two', picked: [1], phase: 'committed' } }),
      /Press Enter to run the experiment and check it\./,
      'predict-committed',
      [['Enter', 'answer']],
    ],
    [
      'a review',
      () => screen('rev', { extra: { input: 'mine', phase: 'review', review: { modelAnswer: 'M.', auto: null } } }),
      /Does your answer cover this\? \(y\/n\)/,
      'review',
      [
        ['y', 'yes'],
        ['n', 'no'],
      ],
    ],
    ['a field left with Esc', () => screen('num', undefined, ['\u001B']), /\(Enter: back to your answer\)/, 'field-left', [['Enter', 'focus']]],
    [
      'a long page',
      () => screen('middle'),
      /more below \(↓\/PgDn\)/,
      'page',
      [
        ['Down', 'scrollDown'],
        ['PgDn', 'pageDown'],
      ],
    ],
    ['a long question with choices', () => screen('single'), /more below \(PgDn\)/, 'single', [['PgDn', 'pageDown']]],
  ];
  for (const [where, open, said, mode, keys] of SAID) {
    it(`${where}: the keys it names do what it says`, async () => {
      const frame = await saying(await open(), said);
      expect(frame, where).toMatch(said);
      for (const [key, action] of keys) expect(actionFor(mode, key), `${where}: ${key}`).toBe(action);
    });
  }
  it('a list does not say ↓ scrolls: there ↓ moves the highlight', async () => {
    expect(actionFor('single', 'Down')).toBe('cursorDown');
    expect(await saying(await screen('single'), /more below/)).not.toMatch(/more below \(↓/);
  });

  it('a notice longer than the width is wrapped over up to three lines, not cut', async () => {
    const { services } = keysServices();
    const long =
      'Run experiment 3a with model=ransac, scale=log first (there, Tab to the options, ←→ to change them, Enter to run): the expected value comes from your own run.';
    services.grade = () => ({ correct: false, invalid: true, feedback: long, normalized: '' });
    const app = render(
      <App
        services={services}
        initial={{ name: 'lesson', lesson: 'keys', step: at('num') }}
        caps={{ colors: 0, unicode: true }}
        size={{ columns: 80, rows: 24 }}
      />,
    );
    await tick();
    app.stdin.write('7');
    await tick();
    app.stdin.write('\r');
    await tick(100);
    const frame = app.lastFrame() ?? '';
    expect(
      frame
        .split('\n')
        .map((l) => l.trim())
        .join(' '),
    ).toContain(long);
    expect(frame.split('\n').length).toBeLessThanOrEqual(23);
    for (const line of frame.split('\n')) expect(line.length).toBeLessThanOrEqual(80);
    // The footer is still there, under the notice and the answer field.
    expect(frame).toContain('Enter check');
    expect(noticeLines('x '.repeat(200), 80)).toHaveLength(3);
    expect(noticeLines('x '.repeat(200), 80)[2]).toMatch(/…$/);
  });

  it('feedback and hints wrap to the width, keeping their styles', () => {
    const lines = wrapSegments([{ text: '✗ Not quite. ', bold: true, role: 'error' }, { text: 'word '.repeat(30) + 'x'.repeat(100) }], 40);
    for (const line of lines) expect(line.reduce((n, seg) => n + [...seg.text].length, 0)).toBeLessThanOrEqual(40);
    expect(lines[0]![0]).toEqual({ text: '✗ Not quite. ', bold: true, role: 'error' });
    // Nothing lost: the words in order, the one wider than a line broken over several.
    const text = lines.map((l) => l.map((seg) => seg.text).join('')).join(' ');
    expect(text.replace(/ /g, '')).toBe(`✗ Not quite. ${'word '.repeat(30)}${'x'.repeat(100)}`.replace(/ /g, ''));
    expect(text.split(' ').filter((w) => w === 'word')).toHaveLength(30);
    expect(lines.flat().every((seg) => seg.text !== '')).toBe(true);
  });
});

describe('hints in the lesson files', () => {
  it('that send the student back with p say Esc first where the field holds their answer', () => {
    const { lessons } = checkLessons(join(root, 'lessons'));
    expect(lessons.length).toBeGreaterThan(0);
    const typed = (q: QuestionStep) => q.type === 'numeric' || q.type === 'text' || (q.type === 'predict' && q.options.length === 0);
    for (const lesson of lessons)
      for (const q of lesson.steps.filter((x): x is QuestionStep => x.kind === 'question' && typed(x)))
        for (const hint of q.hints) {
          // A hint is shown after a wrong answer, which stays in the field: there p is a letter, not a key.
          if (/(with|press) `?p`?\b|`p`/i.test(hint)) expect(hint, `${lesson.id}/${q.id}`).toMatch(/\bEsc\b/);
        }
  });
});
