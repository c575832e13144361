// eds project against scikit-learn: the exported notebook validates with nbformat and, executed with Debian's python3-sklearn, reproduces the tutor's fold accuracies on the same folds.
import { describe, expect, it } from 'vitest';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { runProject, exportTexts } from '../../src/project/run.js';
import { DETERMINISTIC_MODELS } from '../../src/project/compare.js';
import { REPRODUCTION_TOLERANCE_ROWS, type Notebook } from '../../src/project/notebook.js';
import { stratifiedKFold } from '../../src/ml/validation.js';
import { foldRowsOff, runNotebook } from '../support/notebook.js';

const REPO = resolve(import.meta.dirname, '../..');

const CASES = [
  { name: 'iris', target: 'species' },
  { name: 'wine', target: 'cultivar' },
  { name: 'breast-cancer', target: 'diagnosis' },
];

describe.each(CASES)('$name: the notebook reproduces the tutor with scikit-learn', ({ name, target }) => {
  it('same folds, and kNN / naive Bayes / logistic regression fold accuracies within one test row', async () => {
    const seed = 3;
    // Small forest and few MLP epochs keep the test fast; the deterministic models are what is compared.
    const run = await runProject(join(REPO, 'datasets', name, `${name}.csv`), { target, seed, trees: 10, epochs: 10 });
    const cmp = run.comparison;
    // The tutor's folds are stratified k-fold with the seed, and they are what the notebook holds.
    expect(cmp.testFolds).toEqual(stratifiedKFold(run.data.y, 5, seed).map((s) => s.test));
    const { notebook } = exportTexts(run, {
      user: 'carol',
      version: 'test',
      time: '2026-01-01T00:00:00Z',
      file: name,
      answers: [{ id: 'choice', text: 'Logistic regression: as good as the best, cheaper.', seconds: 12 }],
    });
    const nb = JSON.parse(notebook) as Notebook;
    const foldCell = nb.cells.find((c) => c.source.join('').includes('test_folds = ['))!;
    const written = JSON.parse(
      foldCell.source
        .join('')
        .match(/test_folds = (\[[\s\S]*?\n\])/)![1]!
        .replace(/,\n\]/, '\n]'),
    ) as number[][];
    expect(written).toEqual(cmp.testFolds);
    expect(nb.cells.some((c) => c.cell_type === 'markdown' && c.source.join('').includes('as good as the best, cheaper'))).toBe(true);

    const dir = mkdtempSync(join(tmpdir(), 'eds-project-'));
    const path = join(dir, `${name}.ipynb`);
    writeFileSync(path, notebook);
    const result = runNotebook(path);
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    const sizes = cmp.testFolds.map((f) => f.length);
    for (const model of DETERMINISTIC_MODELS) {
      const ours = cmp.results.find((r) => r.model === model)!.accuracy.folds;
      expect(foldRowsOff(ours, result.folds[model]!, sizes), `${model} on ${name}`).toBeLessThanOrEqual(REPRODUCTION_TOLERANCE_ROWS);
    }
    // On these three data sets no borderline row flips: the fold accuracies are identical.
    for (const model of DETERMINISTIC_MODELS) expect(cmp.results.find((r) => r.model === model)!.accuracy.folds, model).toEqual(result.folds[model]);
    expect(result.printed).not.toContain('DIFFERS');
    expect(result.printed).toMatch(/knn +largest fold difference: [01] test row/);
  }, 120_000);
});
