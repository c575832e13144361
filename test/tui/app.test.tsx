// The Ink screens rendered to a fake terminal: the course map, a lesson played with the keyboard, help, refusals.
import { afterEach, describe, expect, it } from 'vitest';
import { render } from 'ink-testing-library';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { App, type Screen } from '../../src/tui/App.js';
import { servicesWith, type OpenedServices } from '../../src/tutor/open-services.js';
import { loadLessons } from '../../src/lessons/load.js';
import { initCourseDir } from '../../src/course/layout.js';
import { QUIET_AFTER_SUBMIT_MS } from '../../src/tui/components/LessonScreen.js';

const LESSONS = resolve(import.meta.dirname, '../../lessons');
const KEY = { enter: '\r', down: '\u001B[B', up: '\u001B[A', right: '\u001B[C', left: '\u001B[D', esc: '\u001B' };

const opened: OpenedServices[] = [];
afterEach(() => {
  for (const o of opened.splice(0)) o.store.close();
});

function setup(lessonsDir = LESSONS): OpenedServices {
  const home = mkdtempSync(join(tmpdir(), 'eds-tui-'));
  const o = servicesWith(loadLessons(lessonsDir), { env: { ...process.env, EDS_HOME: home, EDS_USER: 'alice', EDS_JOURNAL: 'wal' } });
  opened.push(o);
  return o;
}

function show(o: OpenedServices, initial: Screen, size = { columns: 80, rows: 24 }, unicode = true) {
  return render(<App services={o.services} initial={initial} caps={{ colors: 0, unicode }} size={size} />);
}

const tick = (ms = 30) => new Promise((r) => setTimeout(r, ms));
/** Keys right after a submitted answer are dropped until the input pauses: a person reading feedback waits this long. */
const settle = () => tick(QUIET_AFTER_SUBMIT_MS + 50);
async function press(stdin: { write(s: string): void }, ...keys: string[]) {
  // Ink subscribes to input in an effect: give it a tick before the first key.
  await tick();
  for (const k of keys) {
    stdin.write(k);
    await tick();
  }
}

describe('course map', () => {
  it('shows every session and the intro lesson with its progress', () => {
    const o = setup();
    const { lastFrame } = show(o, { name: 'map', lesson: null });
    const frame = lastFrame()!;
    expect(frame).toContain('course map');
    expect(frame).toContain('Welcome to eds');
    expect(frame).toContain('Session 1');
    expect(frame).toContain('0/');
    for (const line of frame.split('\n')) expect(line.length).toBeLessThanOrEqual(80);
  });

  it('opens the highlighted lesson with Enter', async () => {
    const o = setup();
    const { lastFrame, stdin } = show(o, { name: 'map', lesson: null });
    await press(stdin, KEY.enter);
    expect(lastFrame()).toContain('step 1/');
  });

  it('says the terminal is too small instead of drawing a broken screen', () => {
    const o = setup();
    const { lastFrame } = show(o, { name: 'map', lesson: null }, { columns: 30, rows: 10 });
    expect(lastFrame()).toContain('Terminal too small (30x10)');
  });
});

describe('playing the intro lesson', () => {
  it('logs a wrong answer with its specific feedback, then a right one, and remembers the step', async () => {
    const o = setup();
    const { lastFrame, stdin } = show(o, { name: 'lesson', lesson: 'intro', step: 0 });
    await press(stdin, 'n', 'n', 'n');
    expect(lastFrame()).toContain('Which question does the first session');
    // First choice is wrong, with its own feedback.
    await press(stdin, KEY.enter);
    expect(lastFrame()).toContain('Not quite.');
    expect(lastFrame()).toContain('That is session 2');
    await settle();
    await press(stdin, KEY.down, KEY.enter);
    expect(lastFrame()).toContain('Right.');
    const attempts = o.store.attempts({ lesson: 'intro', question: 'first-session' });
    expect(attempts.map((a) => [a.attemptNumber, a.correct])).toEqual([
      [1, false],
      [2, true],
    ]);
    expect(attempts[1]!.answer).toContain('cheap river sensor');
    expect(o.store.lastPosition()).toEqual({ lesson: 'intro', step: 3 });
  });

  it('will not move past an unanswered question', async () => {
    const o = setup();
    const { lastFrame, stdin } = show(o, { name: 'lesson', lesson: 'intro', step: 3 });
    await press(stdin, 'n');
    expect(lastFrame()).toContain('Answer the question first.');
    expect(lastFrame()).toContain('step 4/');
  });

  it('runs an experiment and grades a number computed from the student’s own run', async () => {
    const o = setup();
    const lesson = o.services.lessons.find((l) => l.id === 'intro')!;
    const expIndex = lesson.steps.findIndex((s) => s.id === 'gauge-fit');
    const qIndex = lesson.steps.findIndex((s) => s.id === 'slope-value');
    const { lastFrame, stdin } = show(o, { name: 'lesson', lesson: 'intro', step: expIndex });
    await press(stdin, KEY.enter);
    // The run starts after its first frame and takes its own time: wait for its results, not a fixed time.
    for (let i = 0; i < 250 && !o.store.progress('intro')?.states['gauge-fit']?.results; i++) await tick(20);
    await tick();
    expect(lastFrame()).toContain('slope');
    const saved = o.store.progress('intro')!.states['gauge-fit']!;
    const slope = Number(saved.results!.slope);
    expect(Number.isFinite(slope)).toBe(true);
    for (let i = expIndex; i < qIndex; i++) await press(stdin, 'n');
    expect(lastFrame()).toContain('What slope did your last fit find?');
    await press(stdin, (slope + 0.5).toFixed(3), KEY.enter);
    expect(lastFrame()).toContain('Not quite.');
    expect(lastFrame()).toContain('Hint:');
    await settle();
    // Clear the wrong number, then give the right one in another accepted form (no leading zero).
    const wrong = (slope + 0.5).toFixed(3);
    await press(stdin, ...Array.from({ length: wrong.length }, () => '\u007f'));
    await press(stdin, slope.toFixed(3).replace(/^0\./, '.'), KEY.enter);
    expect(lastFrame()).toContain('Right.');
  });

  it('shows the keys with ? and hides them again', async () => {
    const o = setup();
    const { lastFrame, stdin } = show(o, { name: 'lesson', lesson: 'intro', step: 0 });
    await press(stdin, '?');
    expect(lastFrame()).toContain('Keys');
    expect(lastFrame()).toContain('quit (your place is saved)');
    await press(stdin, '?');
    expect(lastFrame()).toContain('step 1/');
  });

  it('draws only ASCII when Unicode is off', async () => {
    const o = setup();
    const { lastFrame, stdin } = show(o, { name: 'lesson', lesson: 'intro', step: 0 }, { columns: 80, rows: 24 }, false);
    await press(stdin, 'n');
    expect(/[^\x00-\x7f]/.test(lastFrame()!)).toBe(false);
  });
});

describe('broken lessons', () => {
  it('refuses a broken lesson with file:line messages instead of crashing', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'eds-broken-'));
    const { writeFileSync } = await import('node:fs');
    writeFileSync(join(dir, '01-broken.md'), '---\nid: broken\nsession: 1\ntitle: Broken\nsummary: x\n---\n\n:::quiz q1\n:::\n');
    const o = setup(dir);
    const { lastFrame } = show(o, { name: 'lesson', lesson: 'broken', step: 0 });
    expect(lastFrame()).toContain('cannot be opened');
    expect(lastFrame()).toMatch(/01-broken\.md:8: /);
  });
});

describe('when the store fails', () => {
  it('shows no feedback for an answer that could not be saved, so nothing is lost silently', async () => {
    const o = setup();
    const failing = { ...o.services };
    failing.store = new Proxy(o.store, {
      get(target, prop, receiver) {
        if (prop === 'recordAttempt')
          return () => {
            throw new Error('database is locked');
          };
        const v = Reflect.get(target, prop, receiver);
        return typeof v === 'function' ? v.bind(target) : v;
      },
    });
    const { lastFrame, stdin } = render(
      <App services={failing} initial={{ name: 'lesson', lesson: 'intro', step: 3 }} caps={{ colors: 0, unicode: true }} size={{ columns: 80, rows: 24 }} />,
    );
    await press(stdin, KEY.down, KEY.enter);
    expect(lastFrame()).toContain('could not be saved');
    expect(lastFrame()).not.toContain('Right.');
  });
});

describe('a course directory that fails during the session', () => {
  it('says so on the step where an answer could not be sent, keeps the answer, and takes each warning once', async () => {
    const course = join(mkdtempSync(join(tmpdir(), 'eds-tui-course-')), 'course');
    // Group root: the tests run as root (CI does), as the students' record files are then.
    initCourseDir(course, String(process.getgid?.() ?? 0));
    const home = mkdtempSync(join(tmpdir(), 'eds-tui-'));
    const o = servicesWith(loadLessons(LESSONS), { env: { ...process.env, EDS_HOME: home, EDS_USER: 'alice', EDS_JOURNAL: 'wal', EDS_COURSE_DIR: course } });
    opened.push(o);
    expect(o.warnings).toEqual([]);
    const { lastFrame, stdin } = show(o, { name: 'lesson', lesson: 'intro', step: 3 });
    // The drop directory goes away (an unmounted share): the next answer cannot be sent.
    rmSync(join(course, 'records'), { recursive: true });
    await press(stdin, KEY.down, KEY.enter);
    expect(lastFrame()).toContain('Right.');
    expect(lastFrame()).toMatch(/! could not send your answers to the course directory/);
    expect(o.store.attempts({ lesson: 'intro', question: 'first-session' })).toHaveLength(1);
    // Said once, on that step only.
    await settle();
    await press(stdin, 'n');
    expect(lastFrame()).not.toContain('could not send');
    expect(o.services.takeWarnings?.()).toEqual([]);
  });
});

describe('keys that arrive together', () => {
  it('a pasted answer ending in a newline is typed and submitted; "nn" in one event moves one step', async () => {
    const o = setup();
    const lesson = o.services.lessons.find((l) => l.id === 'intro')!;
    const q = lesson.steps.findIndex((s) => s.id === 'what-is-a-residual');
    const { lastFrame, stdin } = show(o, { name: 'lesson', lesson: 'intro', step: q });
    await press(stdin, 'the difference between a point and the line\r');
    expect(lastFrame()).toContain('Right.');
    const first = show(o, { name: 'lesson', lesson: 'intro', step: 0 });
    await press(first.stdin, 'nn');
    expect(first.lastFrame()).toContain('step 2/');
  });
});

describe('keys faster than frames', () => {
  it('an arrow and Enter written back to back on a new step act on that step', async () => {
    const o = setup();
    const { lastFrame, stdin } = show(o, { name: 'lesson', lesson: 'intro', step: 2 });
    await tick(50);
    // No wait between the keys: the Down arrives before the question's frame is drawn.
    stdin.write('n');
    stdin.write(KEY.down);
    stdin.write(KEY.enter);
    await tick(100);
    expect(lastFrame()).toContain('Right.');
  });
  it('Down then Enter on the course map opens the second lesson', async () => {
    const o = setup();
    const { lastFrame, stdin } = show(o, { name: 'map', lesson: null });
    await tick(50);
    stdin.write(KEY.down);
    stdin.write(KEY.enter);
    await tick(100);
    const second = o.services.lessons[1]!;
    expect(lastFrame()).toContain(second.title.slice(0, 20));
    expect(lastFrame()).toContain('step 1/');
  });
});
