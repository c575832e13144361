// `eds project` end to end in a real terminal at 80x24 (with CI=true exported): read, train, answer, export, quit; then the notebook is validated and run with scikit-learn, and holds what the student typed.
import { afterEach, describe, expect, it } from 'vitest';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Terminal, REPO } from './tmux.js';
import { foldRowsOff, runNotebook } from '../support/notebook.js';
import { openStore } from '../../src/store/index.js';
import { initCourseDir } from '../../src/course/layout.js';
import { readCourseRecords } from '../../src/course/class-report.js';
import { DETERMINISTIC_MODELS } from '../../src/project/compare.js';
import { REPRODUCTION_TOLERANCE_ROWS, type Notebook } from '../../src/project/notebook.js';
import { INTERPRETATION_PROMPTS, PROJECT_LESSON } from '../../src/project/prompts.js';
import { stationCsv } from '../support/station.js';

const terminals: Terminal[] = [];
afterEach(() => {
  for (const t of terminals.splice(0)) t.stop();
});

const quote = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;

/** The answers typed, one per prompt, each as the lines typed (the last one in another script, to check the text survives as typed). */
const ANSWERS: Record<string, string[]> = {
  choice: ['Logistic regression: the best balanced accuracy,', 'but naive Bayes is within one std.'],
  errors: ['class_1 is confused with class_2 and class_0.'],
  features: ['Proline and flavanoids; plausible chemistry, no leakage.'],
  trust: ['Only 178 wines from one region (acidité, millésime):', 'a new harvest could differ.'],
};

/** The screen fits 80x24: no line wider, the header on the top row, and the last row left free (frames are rows-1 tall). */
function expectFits(screen: string): void {
  const rows = screen.replace(/\n$/, '').split('\n');
  for (const line of rows) expect(line.length, line).toBeLessThanOrEqual(80);
  expect(rows[0], screen).toMatch(/Overview\W.*Comparison\W.*Figures\W.*Interpretation\W.*Export/);
  expect(rows[23] ?? '', screen).toBe('');
}

describe('eds project in tmux at 80x24', () => {
  it('is built before the end-to-end tests run', () => {
    expect(existsSync(join(REPO, 'dist/tui/project/run.js'))).toBe(true);
  });

  it('walks the sections, saves each answer, exports a notebook that runs in scikit-learn and holds the answers', async () => {
    const home = mkdtempSync(join(tmpdir(), 'eds-e2e-home-'));
    const work = mkdtempSync(join(tmpdir(), 'eds-e2e-project-'));
    // A course directory (group root: CI runs as root), where the instructor reads the interpretations.
    const course = join(mkdtempSync(join(tmpdir(), 'eds-e2e-course-')), 'course');
    initCourseDir(course, '0');
    // CI=true on purpose: at a real terminal the screen must draw even when the shell exports CI (Ink would not).
    const t = new Terminal({
      EDS_HOME: home,
      EDS_USER: 'alice',
      EDS_JOURNAL: 'wal',
      TERM: 'xterm-256color',
      LANG: 'C.UTF-8',
      CI: 'true',
      EDS_COURSE_DIR: course,
    });
    terminals.push(t);
    // Run from a folder of its own, so the default export names land there.
    const eds = `node ${quote(join(REPO, 'bin/eds.js'))} project ${quote(join(REPO, 'datasets/wine/wine.csv'))} --target cultivar --models knn,logreg,nb`;
    t.start(`sh -c ${quote(`cd ${quote(work)} && exec ${eds}`)}`);

    let screen = await t.waitFor('[Overview]');
    expect(screen).toContain('wine.csv: 178 rows read, 178 used; 13 features');
    expectFits(screen);

    t.send('n');
    screen = await t.waitFor('Model comparison (cross-validated)');
    expect(screen).toContain('[Comparison]');
    for (const model of ['knn', 'logreg', 'nb']) expect(screen).toMatch(new RegExp(`\\n ${model}[ *]+0\\.\\d+ ± 0\\.\\d+`));
    expectFits(screen);

    t.send('n');
    screen = await t.waitFor(/\[Figures\][\s\S]*Learning curves/);
    expectFits(screen);
    t.send('PgDn');
    screen = await t.waitFor(/\n Confusion matrix of /);
    expectFits(screen);

    t.send('Right');
    for (const [i, prompt] of INTERPRETATION_PROMPTS.entries()) {
      screen = await t.waitFor(`[Interpretation ${i + 1}/4]`);
      expect(screen).toContain(prompt.question);
      for (const line of ANSWERS[prompt.id]!) {
        t.send(line, true);
        t.send('Enter');
      }
      // The answer is on screen as typed, still unsaved; the second Enter saves it and moves on.
      await t.waitFor(ANSWERS[prompt.id]!.at(-1)!);
      expectFits(await t.waitFor('Enter on an empty line saves the answer'));
      t.send('Enter');
    }

    screen = await t.waitFor('[Export]');
    expect(screen).toContain('Your answers: 4 of 4 saved.');
    expect(screen).toContain('wine-project.ipynb');
    t.send('Enter');
    screen = await t.waitFor('wrote wine-project.md (Markdown report)');
    expect(screen).toContain('✓ wrote wine-project.ipynb (Jupyter notebook: your text, the results,');
    expectFits(screen);

    t.send('q');
    // After the screen closes, the same lines as without a terminal stay in the scrollback.
    screen = await t.waitFor(/^wrote wine-project\.md \(Markdown report\)$/m);
    expect(screen).toMatch(/^wrote wine-project\.ipynb \(Jupyter notebook: your text, the results, scikit-learn$/m);
    for (const line of screen.split('\n')) expect(line.length).toBeLessThanOrEqual(80);

    // The answers are in the store as typed, logged as the plain prompt logged them.
    const store = openStore({ home, user: 'alice', env: { EDS_JOURNAL: 'wal' } });
    try {
      const logged = store.attempts({ lesson: PROJECT_LESSON });
      expect(logged.map((a) => [a.question, a.answer, a.correct, a.seed])).toEqual(
        INTERPRETATION_PROMPTS.map((p) => [p.id, ANSWERS[p.id]!.join('\n'), null, 0]),
      );
      for (const a of logged) expect(a.secondsSpent).toBeGreaterThan(0);
    } finally {
      store.close();
    }
    // And in the course directory, for the instructor.
    const sent = readCourseRecords(course).attempts.filter((a) => a.lesson === PROJECT_LESSON);
    expect(sent.map((a) => [a.question, a.answer])).toEqual(INTERPRETATION_PROMPTS.map((p) => [p.id, ANSWERS[p.id]!.join('\n')]));

    // The notebook: valid nbformat 4, its cells run with scikit-learn, the deterministic models' folds reproduced, the text in it.
    const path = join(work, 'wine-project.ipynb');
    const run = runNotebook(path);
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    for (const model of DETERMINISTIC_MODELS) {
      expect(foldRowsOff(run.edsFolds[model]!, run.folds[model]!, run.foldSizes), model).toBeLessThanOrEqual(REPRODUCTION_TOLERANCE_ROWS);
    }
    expect(run.printed).not.toContain('DIFFERS');
    expect(run.printed).toMatch(/knn +largest fold difference: [01] test row/);
    const nb = JSON.parse(readFileSync(path, 'utf8')) as Notebook;
    const markdown = nb.cells.filter((c) => c.cell_type === 'markdown').map((c) => c.source.join(''));
    for (const prompt of INTERPRETATION_PROMPTS) {
      expect(
        markdown.some((m) => m.includes(prompt.question) && m.includes(ANSWERS[prompt.id]!.join('\n'))),
        prompt.id,
      ).toBe(true);
    }
    expect(readFileSync(join(work, 'wine-project.md'), 'utf8')).toContain(ANSWERS.trust!.join('\n'));
  }, 120_000);

  it('on a time series: offers blocks of time, trains again in the worker with them, exports a notebook that runs; reopens where it was left', async () => {
    const home = mkdtempSync(join(tmpdir(), 'eds-e2e-home-'));
    const work = mkdtempSync(join(tmpdir(), 'eds-e2e-time-'));
    writeFileSync(join(work, 'station.csv'), stationCsv());
    const env = { EDS_HOME: home, EDS_USER: 'alice', EDS_JOURNAL: 'wal', TERM: 'xterm-256color', LANG: 'C.UTF-8', EDS_COURSE_DIR: '' };
    const eds = `node ${quote(join(REPO, 'bin/eds.js'))} project station.csv --target regime --models knn,nb`;
    const t = new Terminal(env);
    terminals.push(t);
    t.start(`sh -c ${quote(`cd ${quote(work)} && exec ${eds}`)}`);
    let screen = await t.waitFor('[Overview]');
    expect(screen).toContain('folds: shuffled');
    await t.waitFor('best: ');
    // The warning is under the columns and classes: scroll to it.
    for (let i = 0; i < 8; i++) {
      t.send('Down');
      await new Promise((r) => setTimeout(r, 50));
    }
    screen = await t.waitFor(/"date"\s+gives\s+each\s+row\s+a\s+time/);
    expect(screen.replace(/\s+/g, ' ')).toMatch(/shuffled \(stratified\) folds .*flatter/);
    t.send('t');
    screen = await t.waitFor('folds: time blocks');
    expect(screen).toContain('Folds are now blocks of time by "date"');
    t.send('n');
    screen = await t.waitFor('folds in blocks of time ("date")');
    expectFits(screen);
    for (let i = 0; i < 7; i++) t.send('Right');
    await t.waitFor('[Export]');
    t.send('Enter');
    await t.waitFor('wrote station-project.md (Markdown report)');
    t.send('q');
    await t.waitFor(/^wrote station-project\.md \(Markdown report\)$/m);
    const run = runNotebook(join(work, 'station-project.ipynb'));
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    expect(run.printed).toMatch(/knn +balanced accuracy: blocks of time \d\.\d{3} +shuffled \d\.\d{3}/);
    expect(run.printed).not.toContain('DIFFERS');

    // Again on the same data: the screen opens at the Export page it was left on.
    const again = new Terminal(env);
    terminals.push(again);
    again.start(`sh -c ${quote(`cd ${quote(work)} && exec ${eds}`)}`);
    screen = await again.waitFor('[Export]');
    expect(screen).toContain('Welcome back: the page you left');
    again.send('q');
  }, 120_000);
});
