// Plays whole lessons with the keyboard, as a student would, answering every question right; the store must hold it all.
import { afterEach, describe, expect, it } from 'vitest';
import { render } from 'ink-testing-library';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { App } from '../../src/tui/App.js';
import { servicesWith, type OpenedServices } from '../../src/tutor/open-services.js';
import { loadLessons } from '../../src/lessons/load.js';
import { textAnswer } from '../support/lessons.js';
import { QUIET_AFTER_SUBMIT_MS } from '../../src/tui/components/LessonScreen.js';
import type { ExperimentStep } from '../../src/lessons/types.js';

const LESSONS = resolve(import.meta.dirname, '../../lessons');
const KEY = { enter: '\r', tab: '\t', down: '\u001B[B', right: '\u001B[C' };
const tick = (ms = 25) => new Promise((r) => setTimeout(r, ms));

const opened: OpenedServices[] = [];
afterEach(() => {
  for (const o of opened.splice(0)) o.store.close();
});

async function waitFor(check: () => boolean, what: string, timeoutMs = 120_000, screen?: () => string | undefined): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}; screen:\n${screen?.() ?? ''}`);
    await tick(50);
  }
}

async function playLesson(lessonId: string): Promise<{ o: OpenedServices; frame: () => string }> {
  const home = mkdtempSync(join(tmpdir(), 'eds-play-'));
  const o = servicesWith(loadLessons(LESSONS), { env: { ...process.env, EDS_HOME: home, EDS_USER: 'dana', EDS_JOURNAL: 'wal' } });
  opened.push(o);
  const lesson = o.services.lessons.find((l) => l.id === lessonId)!;
  const { lastFrame, stdin, frames } = render(
    <App services={o.services} initial={{ name: 'lesson', lesson: lessonId, step: 0 }} caps={{ colors: 0, unicode: true }} size={{ columns: 100, rows: 60 }} />,
  );
  const press = async (...keys: string[]) => {
    for (const k of keys) {
      stdin.write(k);
      await tick();
    }
  };
  await tick(50);
  const state = (id: string) => o.store.progress(lessonId)?.states[id];
  // The latest saved run of an experiment whose options include `options` (a question's `run:`).
  const savedRun = (id: string, options: Record<string, string>) =>
    [...(state(id)?.runs ?? [])].reverse().find((r) => Object.entries(options).every(([k, v]) => r.options[k] === v));
  /** Makes the runs later questions name with other options than the first run (`run: fit-linear model=ransac`), as a student would. */
  const makeNamedRuns = async (exp: ExperimentStep) => {
    const names = Object.keys(exp.choices);
    let cursor = 0;
    let focused = false;
    for (const q of lesson.steps) {
      if (q.kind !== 'question' || q.run?.step !== exp.id || savedRun(exp.id, q.run.options)) continue;
      // An experiment opens with the focus on its page: Tab gives it to the options.
      if (!focused) await press(KEY.tab);
      focused = true;
      for (const [name, value] of Object.entries(q.run.options)) {
        const target = names.indexOf(name);
        await press(...Array.from({ length: (target - cursor + names.length) % names.length }, () => KEY.down));
        cursor = target;
        const values = exp.choices[name]!;
        const now = values.indexOf(state(exp.id)?.options?.[name] ?? values[0]!);
        await press(...Array.from({ length: (values.indexOf(value) - now + values.length) % values.length }, () => KEY.right));
      }
      await press(KEY.enter);
      await waitFor(() => savedRun(exp.id, q.run!.options) !== undefined, `run of ${exp.id} for ${q.id}`, 120_000, lastFrame);
    }
  };
  for (const [index, step] of lesson.steps.entries()) {
    await waitFor(
      () => lastFrame()!.includes(`step ${index + 1}/${lesson.steps.length}`),
      `step ${index + 1} (${step.id})`,
      120_000,
      () => frames.slice(-3).join('\n=====\n'),
    );
    if (step.kind === 'experiment') {
      if (!state(step.id)?.results) {
        await press(KEY.enter);
        await waitFor(() => state(step.id)?.results !== undefined || /✗ /.test(lastFrame()!), `experiment ${step.id}`, 120_000, lastFrame);
        expect(lastFrame(), `experiment ${step.id} failed`).not.toMatch(/✗ /);
      }
      // Also after a prediction ran it: later questions may still name runs with other options.
      await makeNamedRuns(step);
    }
    if (step.kind === 'question') {
      const right = step.options.flatMap((opt, i) => (opt.correct ? [i] : []));
      if (step.type === 'multiple') {
        let at = 0;
        for (const i of right) {
          await press(...Array.from({ length: i - at }, () => KEY.down), ' ');
          at = i;
        }
        await press(KEY.enter);
      } else if (step.options.length > 0) {
        await press(...Array.from({ length: right[0] ?? 0 }, () => KEY.down), KEY.enter);
      } else if (step.type === 'text') {
        await press(textAnswer(step), KEY.enter);
      } else {
        const answer = step.answer!;
        const run = answer.kind === 'result' ? savedRun(answer.step, step.run?.step === answer.step ? step.run.options : {}) : undefined;
        const value = answer.kind === 'literal' ? answer.value : Number(run?.results[answer.key]);
        await press(step.type === 'predict' ? '1' : String(value), KEY.enter);
      }
      if (step.type === 'predict')
        await waitFor(() => (state(step.id)?.extra as { phase?: string } | undefined)?.phase === 'graded', `prediction ${step.id}`, 120_000, lastFrame);
      // Keys right after an answer are dropped until the input pauses, as a person's would be.
      await tick(QUIET_AFTER_SUBMIT_MS + 50);
      if ((state(step.id)?.extra as { phase?: string } | undefined)?.phase === 'review') {
        await waitFor(() => lastFrame()!.includes('Does your answer cover this? (y/n)'), `review of ${step.id}`, 10_000, lastFrame);
        await press('y');
        await tick(QUIET_AFTER_SUBMIT_MS + 50);
      }
      const attempts = o.store.attempts({ lesson: lessonId, question: step.id });
      expect(attempts.length, `attempts logged for ${step.id}`).toBeGreaterThan(0);
      const last = attempts.at(-1)!;
      // Predictions are logged once, right or wrong as shown; choice predictions here are the right choice.
      if (step.type === 'predict') {
        expect(attempts, `${step.id} logged once`).toHaveLength(1);
        expect(last.grading).toBe('predict');
        expect(last.correct).toBe(lastFrame()!.includes('Right.'));
        if (step.options.length > 0) expect(last.correct, `${step.id} predicted right: ${lastFrame()}`).toBe(true);
      } else expect(last.correct, `${step.id} answered right: ${lastFrame()}`).toBe(true);
    }
    await press('n');
  }
  await waitFor(() => lastFrame()!.includes('You have finished'), 'the end of the lesson');
  return { o, frame: () => lastFrame()! };
}

describe('playing whole lessons with the keyboard', () => {
  for (const id of ['intro', 'river', 'volcano', 'lidar-supervised', 'lidar-unsupervised', 'neural', 'synthesis', 'project']) {
    it(`${id}: every step passed, every question answered right and logged`, async () => {
      const { o } = await playLesson(id);
      const lesson = o.services.lessons.find((l) => l.id === id)!;
      const questions = lesson.steps.filter((s) => s.kind === 'question');
      const logged = new Set(o.store.attempts({ lesson: id }).map((a) => a.question));
      expect(questions.every((q) => logged.has(q.id))).toBe(true);
      const progress = o.store.progress(id)!;
      expect(new Set(progress.completed).size).toBe(lesson.steps.length);
    }, 300_000);
  }
});
