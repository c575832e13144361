// The river lesson's experiments, run for real and laid out by the pure step view at 80 and 40 columns: figure
// titles (the test split names its dates), option rows, results, tables and plots fit the body, and every title,
// option value and result name is shown whole.
import { describe, expect, it } from 'vitest';
import { loadLessons } from '../../src/lessons/index.js';
import type { ExperimentStep } from '../../src/lessons/types.js';
import { runTask } from '../../src/experiments/registry.js';
import type { RenderCaps } from '../../src/render/caps.js';
import { initialUi, type ExperimentUi } from '../../src/tutor/step-ui.js';
import { viewStep, type Line } from '../../src/tutor/step-view.js';
import { symbolsFor } from '../../src/render/symbols.js';
import { displayWidth, stripAnsi } from '../../src/util/text.js';

const plain = (line: Line) => (typeof line === 'string' ? stripAnsi(line) : line.map((s) => s.text).join(''));
const flat = (s: string) => s.replace(/\s+/g, ' ').trim();

const river = loadLessons('lessons').lessons.find((l) => l.id === 'river')!;
const experiments = river.steps.filter((s): s is ExperimentStep => s.kind === 'experiment');

describe('the river experiments on the lesson screen', () => {
  it('has a figure title wider than an 80-column body', async () => {
    const compare = experiments.find((e) => e.defaults.stage === 'compare')!;
    const result = await runTask(compare.task, { ...compare.defaults, dataset: 'river' }, 7);
    expect(result.figures.some((f) => displayWidth(f.title) > 78)).toBe(true);
  }, 120_000);

  for (const caps of [
    { width: 78, height: 19, colors: 256, unicode: true },
    { width: 38, height: 7, colors: 0, unicode: false },
  ] satisfies RenderCaps[]) {
    it(`at ${caps.width + 2} columns every line fits and every figure title is whole`, async () => {
      const problems: string[] = [];
      for (const exp of experiments) {
        const result = await runTask(exp.task, { ...exp.defaults, dataset: 'river' }, 7);
        const ui: ExperimentUi = { ...(initialUi(exp, undefined, 0, 0) as ExperimentUi), results: result.json, figures: result.figures, restored: false };
        const view = viewStep(exp, ui, caps, symbolsFor(caps.unicode), 'page');
        for (const line of view.lines) {
          const w = displayWidth(plain(line));
          if (w > caps.width) problems.push(`${exp.id}: ${w} columns: ${plain(line)}`);
        }
        const text = flat(view.lines.map(plain).join('\n'));
        for (const f of result.figures) if (caps.unicode && !text.includes(flat(f.title))) problems.push(`${exp.id}: title not whole: ${f.title}`);
        // Every option value can be read, and every result's name.
        for (const values of Object.values(exp.choices)) for (const v of values) if (!text.includes(v)) problems.push(`${exp.id}: option value ${v} not shown`);
        for (const [k, v] of Object.entries(result.json)) if (typeof v === 'number' && !text.includes(k)) problems.push(`${exp.id}: result ${k} not shown whole`);
      }
      expect(problems).toEqual([]);
    }, 240_000);
  }
});
