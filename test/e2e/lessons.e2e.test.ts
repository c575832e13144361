// Whole lessons played in a real terminal (tmux, 80x24): every step, every question answered right, all of it logged.
import { afterEach, describe, expect, it } from 'vitest';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Terminal, REPO, sleep } from './tmux.js';
import { loadLessons } from '../../src/lessons/index.js';
import { openStore, type Store } from '../../src/store/index.js';
import { textAnswer } from '../support/lessons.js';
import { initCourseDir } from '../../src/course/layout.js';
import { publishRanking } from '../../src/course/ranking-file.js';
import { readCourseRecords } from '../../src/course/class-report.js';
import { buildRanking } from '../../src/leaderboard/ranking.js';
import { QUIET_AFTER_SUBMIT_MS } from '../../src/tui/components/LessonScreen.js';

const terminals: Terminal[] = [];
const stores: Store[] = [];
afterEach(() => {
  for (const t of terminals.splice(0)) t.stop();
  for (const s of stores.splice(0)) s.close();
});

async function until(check: () => boolean, what: string, screen: () => string, timeoutMs = 120_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}; screen:\n${screen()}`);
    await sleep(100);
  }
}

/** How to play a lesson: keys typed on an experiment step before running it, extra environment, a look at each step once it is done. */
interface PlayOptions {
  keysBefore?: Record<string, string[]>;
  env?: Record<string, string>;
  afterStep?: (stepId: string, terminal: Terminal) => Promise<void>;
}

async function play(lessonId: string, options: PlayOptions = {}): Promise<Store> {
  const lesson = loadLessons(join(REPO, 'lessons')).lessons.find((l) => l.id === lessonId)!;
  const home = mkdtempSync(join(tmpdir(), 'eds-e2e-play-'));
  const t = new Terminal({ EDS_HOME: home, EDS_USER: 'erin', TERM: 'xterm-256color', LANG: 'C.UTF-8', CI: 'false', ...options.env });
  terminals.push(t);
  t.start(`node bin/eds.js start ${lessonId}`);
  const screen = () => t.screen();
  await t.waitFor(`step 1/${lesson.steps.length}`);
  // The test reads the student's store beside the running tutor (WAL: readers never block the writer).
  const store = openStore({ home, user: 'erin' });
  stores.push(store);
  const state = (id: string) => store.progress(lessonId)?.states[id];
  // The latest saved run of an experiment whose options include `options` (a question's `run:`).
  const savedRun = (id: string, options: Record<string, string>) =>
    [...(state(id)?.runs ?? [])].reverse().find((r) => Object.entries(options).every(([k, v]) => r.options[k] === v));
  for (const [index, step] of lesson.steps.entries()) {
    await t.waitFor(`step ${index + 1}/${lesson.steps.length}`);
    const keys = options.keysBefore?.[step.id];
    if (step.kind === 'experiment' && (keys || !state(step.id)?.results)) {
      // A predict-then-run question may have run it already with the defaults: then r runs it again with the keys' options.
      const before = JSON.stringify(state(step.id)?.results ?? null);
      // An experiment opens with the focus on its page: Tab gives it to the options the keys change.
      let optionsFocused = false;
      if (keys) {
        t.send('Tab');
        optionsFocused = true;
      }
      for (const key of keys ?? []) t.send(key);
      t.send(before === 'null' ? 'Enter' : 'r');
      await until(() => state(step.id)?.results !== undefined && JSON.stringify(state(step.id)?.results) !== before, `experiment ${step.id}`, screen);
      // The runs later questions name with other options (`run: fit-linear model=ransac`), made as a student would.
      const names = Object.keys(step.choices);
      let cursor = 0;
      for (const q of lesson.steps) {
        if (q.kind !== 'question' || q.run?.step !== step.id || savedRun(step.id, q.run.options)) continue;
        if (!optionsFocused) t.send('Tab');
        optionsFocused = true;
        for (const [name, value] of Object.entries(q.run.options)) {
          for (; cursor !== names.indexOf(name); cursor = (cursor + 1) % names.length) t.send('Down');
          const values = step.choices[name]!;
          for (let at = values.indexOf(state(step.id)?.options?.[name] ?? values[0]!); at !== values.indexOf(value); at = (at + 1) % values.length)
            t.send('Right');
        }
        t.send('r');
        await until(() => savedRun(step.id, q.run!.options) !== undefined, `run of ${step.id} for ${q.id}`, screen);
      }
    }
    if (step.kind === 'question') {
      const right = step.options.flatMap((o, i) => (o.correct ? [i] : []));
      if (step.type === 'multiple') {
        let at = 0;
        for (const i of right) {
          for (; at < i; at++) t.send('Down');
          t.send('Space');
        }
        t.send('Enter');
      } else if (step.options.length > 0) {
        for (let k = 0; k < (right[0] ?? 0); k++) t.send('Down');
        t.send('Enter');
      } else {
        let text: string;
        if (step.type === 'text') text = textAnswer(step);
        else if (step.type === 'predict') text = '1';
        else {
          const a = step.answer!;
          text = a.kind === 'literal' ? String(a.value) : String(savedRun(a.step, step.run?.step === a.step ? step.run.options : {})?.results[a.key]);
        }
        t.send(text, true);
        t.send('Enter');
      }
      const extra = () => state(step.id)?.extra as { solved?: boolean; phase?: string } | undefined;
      // A review-mode text answer is shown beside the model answer: the student says it covers it.
      await until(
        () => extra()?.phase === 'review' || (step.type === 'predict' ? extra()?.phase === 'graded' : extra()?.solved === true),
        `question ${step.id} answered`,
        screen,
      );
      if (extra()?.phase === 'review') {
        await t.waitFor('Does your answer cover this? (y/n)');
        await sleep(QUIET_AFTER_SUBMIT_MS + 150);
        t.send('y');
        await until(() => extra()?.solved === true, `review of ${step.id}`, screen);
      }
      // Keys right after an answer are dropped until the input pauses.
      await sleep(QUIET_AFTER_SUBMIT_MS + 150);
    }
    await options.afterStep?.(step.id, t);
    t.send('n');
  }
  const end = await t.waitFor('You have finished');
  for (const line of end.split('\n')) expect(line.length).toBeLessThanOrEqual(80);
  return store;
}

describe('whole lessons in tmux at 80x24', () => {
  for (const id of ['intro', 'river', 'volcano']) {
    it(`${id}: played to the end with every answer logged`, async () => {
      const store = await play(id);
      const lesson = loadLessons(join(REPO, 'lessons')).lessons.find((l) => l.id === id)!;
      const logged = new Set(store.attempts({ lesson: id }).map((a) => a.question));
      for (const q of lesson.steps.filter((s) => s.kind === 'question')) expect(logged.has(q.id), q.id).toBe(true);
      expect(new Set(store.progress(id)!.completed).size).toBe(lesson.steps.length);
    }, 400_000);
  }
});

describe('the neural lesson in tmux at 80x24, with short training and a class ranking', () => {
  it('trains both networks for one or two epochs, shows the published ranking, and every answer reaches the course directory', async () => {
    // A course directory (group root: CI runs as root) with a ranking the instructor published before the student came.
    const course = join(mkdtempSync(join(tmpdir(), 'eds-e2e-course-')), 'course');
    initCourseDir(course, '0');
    const entry = (params: number, hiddenUnits?: number) => ({
      model: hiddenUnits === undefined ? 'cnn' : 'mlp',
      params,
      accuracy: 0.96,
      trainingSeconds: 30,
      backend: 'wasm',
      ...(hiddenUnits === undefined ? {} : { hiddenUnits }),
      epochs: 5,
      batchSize: 64,
      learningRate: 0.001,
      seed: 1,
      recordedAt: '2026-11-20T10:00:00.000Z',
    });
    const logged = (user: string, e: object) => ({ user, lesson: 'neural', question: 'leaderboard-digits', answer: JSON.stringify(e) });
    publishRanking(course, buildRanking([logged('ann', entry(5258)), logged('bob', entry(795 * 16 + 10, 16))], { names: false }).ranking);

    let ranking = '';
    const store = await play('neural', {
      // MLP: the fourth option (epochs) one step left, 5 → 2; CNN (already run by its predict-then-run question): its
      // third option (epochs, after filters and pool) one step left, 3 → 1.
      keysBefore: { mlp: ['Down', 'Down', 'Down', 'Left'], cnn: ['Down', 'Down', 'Left'] },
      env: { EDS_COURSE_DIR: course },
      afterStep: async (id, t) => {
        if (id !== 'leaderboard') return;
        // The ranking is under the results and the student's own entry: scroll down to it, as a student would.
        t.send('NPage');
        ranking = await t.waitFor('Class ranking (published 2026-');
      },
    });
    const results = (id: string) => store.progress('neural')!.states[id]!.results as Record<string, unknown>;
    expect(results('mlp')).toMatchObject({ epochs: 2, model: 'mlp' });
    expect(results('cnn')).toMatchObject({ epochs: 1, model: 'cnn' });
    expect(results('leaderboard')).toMatchObject({ ranking: 'published', class_size: 2 });
    // The student has no qualifying run after so little training: the ranking is shown with the way to enter it.
    // A CNN entry names its shape (filters per layer / pooling): an old entry is the default 8,16/2.
    expect(ranking).toMatch(/1\s+cnn 8,16\/2\s+5,258/);

    const lesson = loadLessons(join(REPO, 'lessons')).lessons.find((l) => l.id === 'neural')!;
    const questions = lesson.steps.filter((s) => s.kind === 'question').map((s) => s.id);
    const local = new Set(store.attempts({ lesson: 'neural' }).map((a) => a.question));
    for (const q of questions) expect(local.has(q), q).toBe(true);
    // What the instructor reads: every question of the lesson, from the record file the tutor wrote (named after
    // the real login, root in CI, and checked against its owner as in a real class).
    const sent = new Set(
      readCourseRecords(course)
        .attempts.filter((a) => a.lesson === 'neural')
        .map((a) => a.question),
    );
    for (const q of questions) expect(sent.has(q), q).toBe(true);
  }, 600_000);
});
