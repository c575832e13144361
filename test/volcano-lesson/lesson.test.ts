// The volcano lesson end to end: it passes the checker, covers every question kind, and every experiment it names runs
// through the task registry on a small seeded catalogue and returns the keys its questions read.
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { gradeAnswer } from '../../src/lessons/grade.js';
import { EXPERIMENT_TASKS } from '../../src/lessons/validate.js';
import type { ExperimentStep, Lesson, QuestionStep } from '../../src/lessons/types.js';
import { knownTasks } from '../../src/experiments/registry.js';
import type { ExperimentResult } from '../../src/experiments/types.js';
import { VOLCANO_TASKS } from '../../src/experiments/volcano.js';
import { displayWidth } from '../../src/render/text.js';
import { expectResultKeys, resultReferences, runLessonExperiments, type LessonRuns } from '../support/lessons.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const FILE = path.join(root, 'lessons/02-volcano.md');
const SEED = 4242;
// Small catalogue: every class is present and the whole lesson runs in a few seconds.
const EVENTS = '120';

let lesson: Lesson;
let results = new Map<string, ExperimentResult>();
let context: LessonRuns['context'];

const questions = (): QuestionStep[] => lesson.steps.filter((s): s is QuestionStep => s.kind === 'question');
const experiments = (): ExperimentStep[] => lesson.steps.filter((s): s is ExperimentStep => s.kind === 'experiment');

beforeAll(async () => {
  ({ lesson, results, context } = await runLessonExperiments(FILE, SEED, () => ({ events: EVENTS })));
}, 120_000);

describe('lessons/02-volcano.md', () => {
  it('passes the checker as the volcano lesson of session 2', () => {
    expect(lesson.id).toBe('volcano');
    expect(lesson.session).toBe(2);
    expect(lesson.dataset).toBe('volcano');
  });

  it('asks at least 12 questions of every kind, with enough predictions, interpretations and answers from the run', () => {
    const qs = questions();
    expect(qs.length).toBeGreaterThanOrEqual(12);
    for (const kind of ['single', 'multiple', 'numeric', 'text', 'predict'] as const) expect(qs.some((q) => q.type === kind)).toBe(true);
    expect(qs.filter((q) => q.type === 'predict').length).toBeGreaterThanOrEqual(2);
    expect(qs.filter((q) => q.type === 'text').length).toBeGreaterThanOrEqual(2);
    expect(qs.filter((q) => q.answer?.kind === 'result').length).toBeGreaterThanOrEqual(3);
    // Every question teaches: an explanation, and hints where hints apply.
    for (const q of qs) {
      expect(q.explain, q.id).not.toBe('');
      if (q.type !== 'predict') expect(q.hints.length, q.id).toBeGreaterThan(0);
    }
    // The computed answers include the ones the brief names.
    const keys = qs.flatMap(resultReferences).map((r) => r.key);
    expect(keys).toContain('macro_f1');
    expect(keys).toContain('lowest_recall');
  });

  it('uses only the volcano tasks, all registered and allowed by the checker', () => {
    for (const task of VOLCANO_TASKS) {
      expect(knownTasks()).toContain(task);
      expect(EXPERIMENT_TASKS).toContain(task);
    }
    for (const exp of experiments()) expect(VOLCANO_TASKS as readonly string[]).toContain(exp.task);
  });

  it('gets from each experiment every key its questions read, as a finite number', () => {
    expectResultKeys(questions(), results);
  });

  it('grades the value from the student’s own run as right, and the anticipated mix-ups with their own feedback', () => {
    const ctx = (attempt: number) => context(attempt);
    for (const q of questions().filter((x) => x.type === 'numeric' && x.answer?.kind === 'result')) {
      const a = q.answer as { step: string; key: string };
      const right = gradeAnswer(q, String(results.get(a.step)!.json[a.key]), ctx(1));
      expect(right.correct, q.id).toBe(true);
      for (const w of q.wrong) {
        if (w.kind !== 'result') continue;
        const value = results.get(w.step)!.json[w.key] as number;
        // A mix-up that happens to equal the right value on this seed is not a mistake to flag.
        if (Math.abs(value - (results.get(a.step)!.json[a.key] as number)) <= 0.02) continue;
        const grade = gradeAnswer(q, String(value), ctx(1));
        expect(grade.correct, `${q.id} with ${w.key}`).toBe(false);
        expect(grade.feedback.startsWith(w.feedback), grade.feedback).toBe(true);
      }
    }
  });

  it('labels the mystery events as the predict questions expect, and only after the reveal', () => {
    const look = results.get('look')!.json;
    const reveal = results.get('reveal')!.json;
    expect(look.mystery_a_label).toBeUndefined();
    expect(look.mystery_b_label).toBeUndefined();
    expect(reveal.mystery_a_id).toBe(look.mystery_a_id);
    for (const [id, key] of [
      ['mystery-a', 'mystery_a_label'],
      ['mystery-b', 'mystery_b_label'],
    ] as const) {
      const q = questions().find((x) => x.id === id)!;
      expect(q.experiment).toBe('reveal');
      const right = q.options.find((o) => o.correct)!;
      expect(right.text.split(' ')[0]).toBe(reveal[key]);
    }
  });

  it('draws every figure of every experiment within 80 columns, in colour-less ASCII too', () => {
    for (const [id, r] of results) {
      expect(r.figures.length, id).toBeGreaterThan(0);
      for (const unicode of [true, false]) {
        for (const f of r.figures) {
          const text = f.render({ width: 80, height: 18, colors: 0, unicode });
          expect(text.length, `${id}: ${f.title}`).toBeGreaterThan(0);
          expect(text, `${id}: ${f.title}`).not.toMatch(/figure unavailable|NaN/);
          for (const line of text.split('\n')) expect(displayWidth(line), `${id}: ${f.title}`).toBeLessThanOrEqual(80);
          if (!unicode) expect(/^[\x20-\x7e\n]*$/.test(text), `${id}: ${f.title} is ASCII`).toBe(true);
        }
      }
    }
  });
});
