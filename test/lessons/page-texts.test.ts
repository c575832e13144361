// What a page says about the steps after it holds: "the next step is …" names the kind of step that follows, and a
// page that says how the next experiment fits ("in log space") does not deny an option the experiment offers.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseLesson } from '../../src/lessons/index.js';
import type { ExperimentStep, Lesson, PageStep, Step } from '../../src/lessons/index.js';

const DIR = 'lessons';
const lessons: Lesson[] = readdirSync(DIR)
  .filter((f) => /^\d+-.*\.md$/.test(f))
  .map((f) => parseLesson(readFileSync(join(DIR, f), 'utf8'), join(DIR, f)).lesson!)
  .filter((l) => l !== undefined);

/** The kind a page's "the next step is a …" names, or null when it names none. */
function namedNext(text: string): 'experiment' | 'question' | null {
  const m = /\bthe next step is (?:an? |the )?([^.]*)/i.exec(text.replace(/\s+/g, ' '));
  if (!m) return null;
  if (/\b(question|prediction|predict|quiz)\b/i.test(m[1]!)) return 'question';
  if (/\bexperiment\b/i.test(m[1]!)) return 'experiment';
  return null;
}

describe('page texts about the steps that follow', () => {
  it('the lessons load', () => {
    expect(lessons.map((l) => l.id)).toEqual(expect.arrayContaining(['intro', 'river']));
  });

  it('"the next step is …" names the kind of the next step', () => {
    const wrong: string[] = [];
    for (const l of lessons) {
      l.steps.forEach((s: Step, i) => {
        if (s.kind !== 'page') return;
        const named = namedNext((s as PageStep).body);
        const next = l.steps[i + 1];
        if (named !== null && next && next.kind !== named) wrong.push(`${l.id}/${s.id}: says ${named}, next is ${next.kind} ${next.id}`);
      });
    }
    expect(wrong).toEqual([]);
    // The check itself sees the sentence the intro had.
    expect(namedNext('The next step is a tiny experiment. A hydrologist…')).toBe('experiment');
  });

  it('the intro page before the first prediction says a prediction comes before the experiment', () => {
    const intro = lessons.find((l) => l.id === 'intro')!;
    const at = intro.steps.findIndex((s) => s.id === 'predict-noise');
    const page = intro.steps[at - 1] as PageStep;
    expect(page.kind).toBe('page');
    expect(page.body).toMatch(/prediction/);
    expect(intro.steps[at + 1]!.kind).toBe('experiment');
  });

  it('a page does not say "all in log space" before an experiment that offers scale=linear', () => {
    const wrong: string[] = [];
    for (const l of lessons) {
      l.steps.forEach((s, i) => {
        if (s.kind !== 'page') return;
        const exp = l.steps.slice(i + 1).find((x): x is ExperimentStep => x.kind === 'experiment');
        const body = (s as PageStep).body.replace(/\s+/g, ' ');
        for (const [scale, other] of [
          ['log', 'linear'],
          ['linear', 'log'],
        ] as const) {
          const all = new RegExp(`\\ball in ${scale}\\b`, 'i').test(body);
          if (all && exp?.choices.scale?.includes(other)) wrong.push(`${l.id}/${s.id}: "all in ${scale}" but ${exp.id} offers scale=${other}`);
        }
      });
    }
    expect(wrong).toEqual([]);
    const river = lessons.find((l) => l.id === 'river')!;
    const page = river.steps.find((s) => s.kind === 'page' && /several features/i.test((s as PageStep).title)) as PageStep;
    expect(page.body).toContain('scale=linear');
  });
});
