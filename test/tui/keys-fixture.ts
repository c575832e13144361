// A lesson with one step of every kind, and services around it with a real store, a fake task and a fake grader.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { QUIET_AFTER_SUBMIT_MS } from '../../src/tui/components/LessonScreen.js';
import { openStore, type Store } from '../../src/store/index.js';
import type { TutorServices } from '../../src/tutor/services.js';
import type { Grade, Lesson, QuestionStep } from '../../src/lessons/types.js';

const LONG = Array.from({ length: 40 }, (_, i) => `Line ${i + 1} of a long text that has to be scrolled.`).join('\n\n');

function question(id: string, type: QuestionStep['type'], extra: Partial<QuestionStep> = {}): QuestionStep {
  return { kind: 'question', id, line: 1, type, prompt: `${id}: ${LONG}`, options: [], patterns: [], wrong: [], hints: [], explain: '', attempts: 3, ...extra };
}
const choices = [
  { text: 'Choice one', correct: false },
  { text: 'Choice two', correct: true },
  { text: 'Choice three', correct: false },
];

/** A lesson with one step of every kind, each long enough to scroll at 80×24. */
export const KEYS_LESSON: Lesson = {
  id: 'keys',
  session: 1,
  title: 'Keys',
  summary: 'every kind of step',
  file: '/dev/null',
  steps: [
    { kind: 'page', id: 'intro', line: 1, title: 'A page', body: LONG },
    {
      kind: 'experiment',
      id: 'exp',
      line: 1,
      title: 'An experiment',
      body: LONG,
      task: 'fake',
      defaults: {},
      choices: { alpha: ['1', '2', '3'], beta: ['x', 'y'] },
    },
    { kind: 'experiment', id: 'plain', line: 1, title: 'A plain experiment', body: LONG, task: 'fake', defaults: {}, choices: {} },
    { kind: 'page', id: 'middle', line: 1, title: 'Another page', body: LONG },
    question('single', 'single', { options: choices }),
    question('multi', 'multiple', { options: choices }),
    question('guess', 'predict', { options: choices, experiment: 'plain', attempts: 1 }),
    question('num', 'numeric', { answer: { kind: 'literal', value: 42 }, tolerance: { kind: 'absolute', value: 0 } }),
    question('txt', 'text', { answerText: 'something right' }),
    question('rev', 'text', { answerText: 'The model answer.', grading: 'review' }),
    question('npred', 'predict', {
      answer: { kind: 'result', step: 'plain', key: 'value' },
      tolerance: { kind: 'absolute', value: 0 },
      experiment: 'plain',
      attempts: 1,
    }),
    { kind: 'page', id: 'end', line: 1, title: 'The end', body: 'Done.' },
  ],
};

/** A grader that does not depend on the lesson engine's rules: this test is about keys. */
function fakeGrade(q: QuestionStep, answer: string | number[]): Grade {
  if (Array.isArray(answer)) {
    const ok = q.type === 'multiple' ? answer.length === 1 && answer[0] === 1 : q.options[answer[0]!]!.correct;
    return {
      correct: ok,
      feedback: ok ? 'Correct!' : 'Not quite.',
      normalized: answer.join(','),
      ...(ok || q.type !== 'predict' ? {} : { revealed: { answer: 'Choice two', explain: '' } }),
    };
  }
  const text = answer.trim();
  if (q.id === 'rev') return { correct: false, feedback: '', normalized: text, review: { modelAnswer: 'The model answer.', auto: null } };
  if (q.type === 'numeric' || q.type === 'predict') {
    if (!/^\d+$/.test(text)) return { correct: false, invalid: true, feedback: 'Type a number.', normalized: text };
    return { correct: text === '42', feedback: text === '42' ? 'Correct!' : 'Not quite.', normalized: text };
  }
  return { correct: /right/.test(text), feedback: /right/.test(text) ? 'Correct!' : 'Not quite.', normalized: text };
}

const stores: Store[] = [];
/** Closes the stores `keysServices` opened (call from afterEach). */
export function closeKeysStores(): void {
  for (const s of stores.splice(0)) s.close();
}

export function keysServices(lesson: Lesson = KEYS_LESSON): { services: TutorServices; store: Store } {
  const home = mkdtempSync(join(tmpdir(), 'eds-keys-'));
  const store = openStore({ home, user: 'kim', env: { EDS_JOURNAL: 'wal' } });
  stores.push(store);
  const services: TutorServices = {
    store,
    lessons: [lesson],
    problems: [],
    user: 'kim',
    seedFor: () => 7,
    runTask: async (_task, options) => {
      await tick(5);
      return { json: { task: 'fake', value: 42, ...options }, figures: [] };
    },
    grade: (q, answer) => fakeGrade(q, answer),
    backendLabel: () => 'backend: none',
    now: () => Date.now(),
  };
  return { services, store };
}

/** Waits `ms` of real time (Ink draws on its own schedule). */
export const tick = (ms = 40) => new Promise((r) => setTimeout(r, ms));
/** Waits out the pause after a submitted answer, during which the screen drops keys by design. */
export const settle = () => tick(QUIET_AFTER_SUBMIT_MS + 60);
/** Waits until `check` holds (the screen or the store caught up), failing with `what` after 5 s. */
export async function until(check: () => boolean, what: () => string): Promise<void> {
  const deadline = Date.now() + 5000;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out: ${what()}`);
    await tick(20);
  }
}
