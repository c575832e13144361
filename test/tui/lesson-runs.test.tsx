// The lesson hook keeps every option combination a student runs, grades a numeric answer against the run its
// question names (not the last one), logs that run as the attempt's detail, and counts nothing when the run is missing.
import { afterEach, describe, expect, it } from 'vitest';
import { render } from 'ink-testing-library';
import { Text } from 'ink';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { servicesWith, type OpenedServices } from '../../src/tutor/open-services.js';
import { loadLessons } from '../../src/lessons/load.js';
import { useLesson, type LessonSession } from '../../src/tui/hooks/use-lesson.js';
import type { TutorServices } from '../../src/tutor/services.js';
import type { Lesson } from '../../src/lessons/types.js';
import type { ExperimentUi } from '../../src/tutor/step-ui.js';

const tick = (ms = 30) => new Promise((r) => setTimeout(r, ms));
const LESSONS = resolve(import.meta.dirname, '../../lessons');
const opened: OpenedServices[] = [];
afterEach(() => {
  for (const o of opened.splice(0)) o.store.close();
});

function Harness(props: { lesson: Lesson; services: TutorServices; start: number; onSession: (s: LessonSession) => void }) {
  const s = useLesson(props.lesson, props.services, props.start);
  props.onSession(s);
  return <Text>{`step ${s.index + 1}`}</Text>;
}

/** The river lesson at experiment 3a, driven through the hook as the keys would drive it. */
function river(home = mkdtempSync(join(tmpdir(), 'eds-runs-tui-'))) {
  const o = servicesWith(loadLessons(LESSONS), { env: { ...process.env, EDS_HOME: home, EDS_USER: 'frank', EDS_JOURNAL: 'wal' } });
  opened.push(o);
  const lesson = o.services.lessons.find((l) => l.id === 'river')!;
  let session!: LessonSession;
  render(<Harness lesson={lesson} services={o.services} start={lesson.steps.findIndex((x) => x.id === 'fit-linear')} onSession={(s) => (session = s)} />);
  const s = () => session;
  const experiment = () => s().now().ui as ExperimentUi;
  const runWith = async (model: string) => {
    const values = ['linear', 'huber', 'ransac'];
    s().changeOption((values.indexOf(model) - values.indexOf(experiment().values.model!) + 3) % 3);
    expect(experiment().values.model).toBe(model);
    const before = experiment().runs.length;
    s().run();
    for (let i = 0; i < 600 && (experiment().running || experiment().results === null); i++) await new Promise((r) => setTimeout(r, 20));
    expect(experiment().running).toBe(false);
    expect(experiment().runs.length).toBeGreaterThanOrEqual(before);
    return experiment().results!.n_outliers as number;
  };
  const answer = async (text: string) => {
    for (let i = 0; i < 20; i++) s().backspace();
    s().type(text);
    s().submit();
    await tick();
  };
  return { o, s, runWith, answer, experiment };
}

describe('runs kept per option combination', () => {
  it('grades against the run the question names, logs it as the detail, and keeps every combination', async () => {
    const { o, s, runWith, answer } = river();
    await runWith('linear');
    const ransac = await runWith('ransac');
    const huber = await runWith('huber');
    // The last run is Huber's; the question is about RANSAC's.
    expect(ransac).not.toBe(huber);
    const saved = o.store.progress('river')!.states['fit-linear']!;
    expect(saved.runs!.map((r) => r.options.model)).toEqual(['linear', 'ransac', 'huber']);
    s().go(1);
    expect(s().now().step.id).toBe('ransac-outliers');
    await answer(String(huber));
    await answer(String(ransac));
    const attempts = o.store.attempts({ lesson: 'river', question: 'ransac-outliers' });
    expect(attempts.map((a) => [a.answer, a.correct])).toEqual([
      [String(huber), false],
      [String(ransac), true],
    ]);
    for (const a of attempts)
      expect(a.detail).toEqual({ run: { step: 'fit-linear', options: { stage: 'fit', scale: 'linear', model: 'ransac' } }, expected: ransac });
    expect((s().now().ui as { feedback: { text: string } }).feedback.text).toContain('Checked against your run of experiment 3a with model=ransac.');
  }, 60_000);

  it('without the named run, says which run to make and logs nothing; the runs survive a restart', async () => {
    const home = mkdtempSync(join(tmpdir(), 'eds-runs-tui-'));
    const first = river(home);
    const linear = await first.runWith('linear');
    first.s().go(1);
    await first.answer(String(linear));
    expect(first.s().notice).toBe(
      'Run experiment 3a with model=ransac first (there, Tab to the options, ←→ to change it, Enter to run): the expected value comes from your own run.',
    );
    expect(first.o.store.attempts({ lesson: 'river', question: 'ransac-outliers' })).toEqual([]);
    first.s().go(-1);
    const ransac = await first.runWith('ransac');
    first.o.store.close();
    opened.splice(opened.indexOf(first.o), 1);
    // A new tutor process on the same store: the RANSAC run is still there to grade against.
    const again = river(home);
    expect(again.experiment().runs.map((r) => r.options.model)).toEqual(['linear', 'ransac']);
    again.s().go(1);
    await again.answer(String(ransac));
    expect(again.o.store.attempts({ lesson: 'river', question: 'ransac-outliers' }).map((a) => a.correct)).toEqual([true]);
  }, 60_000);
});
