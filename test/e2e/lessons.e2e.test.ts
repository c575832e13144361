// Whole lessons played in a real terminal (tmux, 80x24): every step, every question answered right, all of it logged.
import { afterEach, describe, expect, it } from 'vitest';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Terminal, REPO, sleep } from './tmux.js';
import { loadLessons } from '../../src/lessons/index.js';
import { openStore, type Store } from '../../src/store/index.js';
import { textAnswer } from '../support/lessons.js';

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

async function play(lessonId: string): Promise<Store> {
  const lesson = loadLessons(join(REPO, 'lessons')).lessons.find((l) => l.id === lessonId)!;
  const home = mkdtempSync(join(tmpdir(), 'eds-e2e-play-'));
  const t = new Terminal({ EDS_HOME: home, EDS_USER: 'erin', TERM: 'xterm-256color', LANG: 'C.UTF-8', CI: 'false' });
  terminals.push(t);
  t.start(`node bin/eds.js start ${lessonId}`);
  const screen = () => t.screen();
  await t.waitFor(`step 1/${lesson.steps.length}`);
  // The test reads the student's store beside the running tutor (WAL: readers never block the writer).
  const store = openStore({ home, user: 'erin' });
  stores.push(store);
  const state = (id: string) => store.progress(lessonId)?.states[id];
  for (const [index, step] of lesson.steps.entries()) {
    await t.waitFor(`step ${index + 1}/${lesson.steps.length}`);
    if (step.kind === 'experiment' && !state(step.id)?.results) {
      t.send('Enter');
      await until(() => state(step.id)?.results !== undefined, `experiment ${step.id}`, screen);
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
          text = a.kind === 'literal' ? String(a.value) : String(state(a.step)?.results?.[a.key]);
        }
        t.send(text, true);
        t.send('Enter');
      }
      await until(() => {
        const extra = state(step.id)?.extra as { solved?: boolean; phase?: string } | undefined;
        return step.type === 'predict' ? extra?.phase === 'graded' : extra?.solved === true;
      }, `question ${step.id} answered right`, screen);
    }
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
