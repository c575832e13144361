// The pure parts under the project screen: answers as they are typed and saved, each page laid out within the terminal, the comparison that yields to the screen, the export names.
import { describe, expect, it } from 'vitest';
import { resolve } from 'node:path';
import { loadProjectData, type ProjectData } from '../../src/project/data.js';
import { overview, type Overview } from '../../src/project/overview.js';
import { compareModels, compareModelsAsync, type Comparison } from '../../src/project/compare.js';
import { exportTargets } from '../../src/project/export.js';
import { INTERPRETATION_PROMPTS } from '../../src/project/prompts.js';
import {
  MAX_ANSWER_CHARS,
  PROJECT_PAGES,
  acceptAnswer,
  backspaceDraft,
  goToPage,
  initialAnswersUi,
  pressEnter,
  savedAnswers,
  typeIntoDraft,
  unsavedAnswers,
  type AnswersUi,
} from '../../src/project/sections.js';
import { pageJump, projectHeader, viewPage, wrapChars, type ComparisonProgress, type ProjectViewInput } from '../../src/project/section-view.js';
import { symbolsFor } from '../../src/render/symbols.js';
import { displayWidth, stripAnsi } from '../../src/util/text.js';

const DATA = resolve(import.meta.dirname, '../../datasets');
const FIRST_PROMPT = PROJECT_PAGES.findIndex((p) => p.kind === 'prompt');

/** The UI on the first prompt, shown at `t`. */
function onFirstPrompt(t = 0): AnswersUi {
  return goToPage(initialAnswersUi(), FIRST_PROMPT, t);
}

function typed(ui: AnswersUi, ...keys: string[]): AnswersUi {
  let out = ui;
  for (const k of keys) {
    if (k === '\r') {
      const r = pressEnter(out, 0);
      if (r.kind !== 'newline') throw new Error(`Enter did ${r.kind}`);
      out = r.ui;
    } else out = typeIntoDraft(out, k);
  }
  return out;
}

describe('answers on the project screen', () => {
  it('Enter breaks a line; Enter on an empty line submits the trimmed lines, with the seconds since the prompt was shown', () => {
    const ui = typed(onFirstPrompt(1_000), '  The forest ', '\r', 'within noise.', '\r');
    const r = pressEnter(ui, 31_000);
    expect(r).toEqual({ kind: 'submit', answer: { id: 'choice', text: 'The forest\nwithin noise.', seconds: 30 } });
  });

  it('an empty answer skips, and an answer saved unchanged is not submitted again', () => {
    expect(pressEnter(onFirstPrompt(), 5).kind).toBe('next');
    const ui = typed(onFirstPrompt(), 'kNN', '\r');
    const r = pressEnter(ui, 5);
    if (r.kind !== 'submit') throw new Error('expected a submit');
    const saved = acceptAnswer(ui, r.answer);
    expect(unsavedAnswers(saved, 9)).toEqual([]);
    expect(pressEnter(typed(saved, '\r'), 9).kind).toBe('next');
    const changed = typed(saved, ' or nb');
    expect(unsavedAnswers(changed, 9)).toEqual([{ id: 'choice', text: 'kNN or nb', seconds: 9 / 1000 }]);
    expect(savedAnswers(changed)).toEqual([r.answer]);
  });

  it('backspace joins lines; control characters are dropped; an answer is capped', () => {
    let ui = typed(onFirstPrompt(), 'ab', '\r');
    ui = backspaceDraft(ui);
    expect(ui.drafts.choice).toBe('ab');
    ui = typeIntoDraft(ui, 'c\u0007\td\r\ne');
    expect(ui.drafts.choice).toBe('abcd\ne');
    ui = typeIntoDraft(ui, 'x'.repeat(2 * MAX_ANSWER_CHARS));
    expect(ui.drafts.choice).toHaveLength(MAX_ANSWER_CHARS);
    // Off a prompt page, typing does nothing.
    expect(typeIntoDraft(initialAnswersUi(), 'n')).toEqual(initialAnswersUi());
  });

  it('starts from earlier answers as saved and editable, leaving out unknown prompts and empty texts', () => {
    const ui = initialAnswersUi([
      { id: 'choice', text: 'logreg', seconds: 30 },
      { id: 'gone', text: 'a prompt that no longer exists', seconds: 1 },
      { id: 'errors', text: '  ', seconds: 2 },
    ]);
    expect(ui.saved).toEqual({ choice: { id: 'choice', text: 'logreg', seconds: 30 } });
    expect(ui.drafts).toEqual({ choice: 'logreg' });
    expect(ui.page).toBe(0);
  });

  it('pages are clamped, and every prompt has its page', () => {
    expect(goToPage(initialAnswersUi(), -3, 0).page).toBe(0);
    expect(goToPage(initialAnswersUi(), 99, 0).page).toBe(PROJECT_PAGES.length - 1);
    expect(PROJECT_PAGES.flatMap((p) => (p.kind === 'prompt' ? [p.prompt.id] : []))).toEqual(INTERPRETATION_PROMPTS.map((p) => p.id));
  });
});

describe('the comparison while a screen draws', () => {
  it('gives the same results as the plain comparison, and stops when aborted', async () => {
    const data = await loadProjectData(resolve(DATA, 'iris/iris.csv'), { target: 'species' });
    const options = { seed: 2, trees: 5, epochs: 5, models: ['knn', 'rf', 'nb'] as ('knn' | 'rf' | 'nb')[] };
    const statuses: string[] = [];
    const plain = compareModels(data.X, data.y, data.labels.length, options);
    const yielding = await compareModelsAsync(data.X, data.y, data.labels.length, { ...options, onStatus: (m) => statuses.push(m) });
    const noTimes = (c: Comparison) => ({ ...c, results: c.results.map((r) => ({ ...r, fitSeconds: null })) });
    expect(noTimes(yielding)).toEqual(noTimes(plain));
    expect(statuses[0]).toBe('cross-validating k-nearest neighbours (k=5) (5 folds)');
    expect(statuses.at(-1)).toMatch(/^permutation importance of /);

    const controller = new AbortController();
    let turns = 0;
    const aborted = compareModelsAsync(data.X, data.y, data.labels.length, {
      ...options,
      onStatus: () => {
        if (++turns === 2) controller.abort();
      },
      signal: controller.signal,
    });
    await expect(aborted).rejects.toThrow(/abort/i);
    expect(turns).toBe(2);
  });
});

describe('the comparison in a worker thread (the built package)', () => {
  it("gives the plain comparison's results and status lines, and is stopped by an abort", async () => {
    // The worker runs compiled JavaScript: load the built module (as bin/eds.js does), not the TypeScript source.
    const built = (await import(resolve(import.meta.dirname, '../../dist/project/background.js'))) as typeof import('../../src/project/background.js');
    const data = await loadProjectData(resolve(DATA, 'iris/iris.csv'), { target: 'species' });
    const options = { seed: 1, trees: 5, epochs: 5, models: ['knn', 'logreg', 'rf'] as ('knn' | 'logreg' | 'rf')[] };
    const statuses: string[] = [];
    const inWorker = await built.compareInWorker(
      { X: data.X, y: data.y, nClasses: data.labels.length, options },
      (m) => statuses.push(m),
      new AbortController().signal,
    );
    const plain = compareModels(data.X, data.y, data.labels.length, options);
    const noTimes = (c: Comparison) => ({ ...c, results: c.results.map((r) => ({ ...r, fitSeconds: null })) });
    expect(noTimes(inWorker)).toEqual(noTimes(plain));
    expect(statuses).toHaveLength(6);

    const controller = new AbortController();
    const stopped = built.compareInWorker(
      { X: data.X, y: data.y, nClasses: data.labels.length, options: { ...options, trees: 200 } },
      () => controller.abort(),
      controller.signal,
    );
    await expect(stopped).rejects.toThrow(/abort/i);
  });
});

describe('export file names', () => {
  it('both default files beside the working directory, or only the ones named', () => {
    expect(exportTargets('data/wine.csv')).toEqual({ notebook: 'wine-project.ipynb', report: 'wine-project.md' });
    expect(exportTargets('x.npy', 'a.ipynb')).toEqual({ notebook: 'a.ipynb', report: undefined });
    expect(exportTargets('x.npy', undefined, 'r.md')).toEqual({ notebook: undefined, report: 'r.md' });
    expect(exportTargets('x.npy', 'a.ipynb', 'r.md')).toEqual({ notebook: 'a.ipynb', report: 'r.md' });
  });
});

describe('page layout', () => {
  let cached: { data: ProjectData; ov: Overview; cmp: Comparison } | null = null;
  async function wine() {
    if (!cached) {
      // Its overview's first line is 80 columns: prose to wrap at the narrower widths.
      const data = await loadProjectData(resolve(DATA, 'wine/wine.csv'), { target: 'cultivar' });
      cached = { data, ov: overview(data), cmp: compareModels(data.X, data.y, data.labels.length, { trees: 5, epochs: 5 }) };
    }
    return cached;
  }

  it('every page of every state stays within the width, in the terminal character set', async () => {
    const { data, ov, cmp } = await wine();
    const progresses: ComparisonProgress[] = [
      { phase: 'running', steps: ['cross-validating k-nearest neighbours (k=5) (5 folds)', 'cross-validating random forest (5 folds)'] },
      { phase: 'done', comparison: cmp },
      { phase: 'failed', error: 'the forest ran out of memory while growing tree 12 of 100 on fold 3 of 5' },
    ];
    let ui = typed(onFirstPrompt(), 'é'.repeat(150), '\r', 'a line of an answer that is much longer than a narrow terminal is wide, so it wraps');
    ui = acceptAnswer(ui, { id: 'errors', text: 'saved', seconds: 1 });
    for (const unicode of [true, false]) {
      for (const width of [38, 78, 120]) {
        const caps = { width, height: 19, colors: 16 as const, unicode };
        for (const progress of progresses) {
          const input: ProjectViewInput = {
            data,
            overview: ov,
            progress,
            ui,
            targets: { notebook: 'a/very/long/path/to/where/the/student/keeps/the/project/notebook/wine-project.ipynb', report: 'wine-project.md' },
            folder: '/home/student/projects/earth-data-science/final',
            exportState: {
              writing: false,
              written: ['wrote wine-project.ipynb (Jupyter notebook: your text, the results, scikit-learn code on the same folds)'],
              answersWritten: null,
              error: 'EACCES: permission denied',
            },
          };
          for (const page of PROJECT_PAGES) {
            const view = viewPage(page, input, caps, symbolsFor(unicode));
            expect(view.lines.length, page.kind).toBeGreaterThan(0);
            for (const line of view.lines) {
              const text = typeof line === 'string' ? line : line.map((s) => s.text).join('');
              expect(displayWidth(text), `${page.kind} at ${width}: ${text}`).toBeLessThanOrEqual(width);
              if (!unicode) expect(/[^\x00-\x7f]/.test(stripAnsi(text)), `${page.kind}: ${text}`).toBe(false);
            }
            expect(view.hints).not.toBe('');
          }
        }
      }
    }
  });

  it('the Figures page starts each figure on an anchor, and PgDn/PgUp jump between them', async () => {
    const { data, ov, cmp } = await wine();
    const input = {
      data,
      overview: ov,
      progress: { phase: 'done', comparison: cmp },
      ui: initialAnswersUi(),
      targets: {},
      folder: '/',
      exportState: { writing: false, written: [], answersWritten: null, error: null },
    } as ProjectViewInput;
    const caps = { width: 78, height: 19, colors: 0 as const, unicode: true };
    const view = viewPage(PROJECT_PAGES[2]!, input, caps, symbolsFor(true));
    const titles = view.anchors.map((a) => view.lines[a] ?? '').map((l) => (typeof l === 'string' ? l : l.map((s) => s.text).join('')));
    expect(titles[0]).toMatch(/^Learning curves/);
    expect(titles.filter((t) => t.startsWith('Confusion matrix of '))).toHaveLength(2);
    expect(titles.some((t) => t.startsWith('Model comparison'))).toBe(false);
    // Each figure with its title fits one body height, so a jump shows a whole figure.
    view.anchors.forEach((a, i) => expect((view.anchors[i + 1] ?? view.lines.length) - a, titles[i]).toBeLessThanOrEqual(caps.height + 1));
    expect(pageJump(view.anchors, 0, 19, 1)).toBe(view.anchors[1]);
    expect(pageJump(view.anchors, view.anchors[2]!, 19, -1)).toBe(view.anchors[1]);
    expect(pageJump([], 10, 19, 1)).toBe(28);
    expect(pageJump([], 10, 19, -1)).toBe(-8);
  });

  it('the header shows all sections as tabs, or the short form where they do not fit; typed text wraps without splitting characters', () => {
    const ui = goToPage(initialAnswersUi(), FIRST_PROMPT + 1, 0);
    expect(projectHeader(ui, 80, '12%')).toMatch(/^ {2}Overview {3}Comparison {3}Figures {2}\[Interpretation 2\/4\] {2}Export +12%$/);
    expect(projectHeader(ui, 80, '12%')).toHaveLength(80);
    expect(projectHeader(ui, 40)).toBe(' 4/5 Interpretation 2/4'.padEnd(40));
    expect(wrapChars('ab界cd', 3)).toEqual(['ab', '界c', 'd']);
    expect(wrapChars('', 5)).toEqual(['']);
  });
});
