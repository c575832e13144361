// The `eds project` screen rendered to a fake terminal: every section driven with keys, answers in the store as soon as they are given, exports with the student's text.
import { afterEach, describe, expect, it } from 'vitest';
import { render } from 'ink-testing-library';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { ProjectApp } from '../../src/tui/project/ProjectApp.js';
import type { ProjectServices } from '../../src/project/services.js';
import { projectSession, type ProjectSession } from '../../src/project/session.js';
import { loadProjectData } from '../../src/project/data.js';
import { overview } from '../../src/project/overview.js';
import { compareModels, type Comparison } from '../../src/project/compare.js';
import { INTERPRETATION_PROMPTS, PROJECT_LESSON } from '../../src/project/prompts.js';
import { openStore } from '../../src/store/index.js';
import type { Store } from '../../src/store/types.js';
import type { Notebook } from '../../src/project/notebook.js';
import { stationCsv } from '../support/station.js';

const WINE = resolve(import.meta.dirname, '../../datasets/wine/wine.csv');
const KEY = { enter: '\r', right: '\u001B[C', left: '\u001B[D', pageDown: '\u001B[6~', backspace: '\u007f', ctrlC: '\u0003' };
const SEED = 3;

const stores: Store[] = [];
afterEach(() => {
  for (const s of stores.splice(0)) s.close();
});

const tick = (ms = 30) => new Promise((r) => setTimeout(r, ms));
// Ink subscribes to keys in an effect after the first frame: give it time before the first key (the machine may be busy).
const ready = () => tick(150);

async function waitFor(check: () => boolean, what: string, screen: () => string | undefined, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}; screen:\n${screen() ?? ''}`);
    await tick(20);
  }
}

/** A real session on the wine data (three quick models), a temporary store and export folder, and a clock the test moves. */
async function setup(home?: string): Promise<{ session: ProjectSession; store: Store; dir: string; clock: { t: number } }> {
  const dir = mkdtempSync(join(tmpdir(), 'eds-project-tui-'));
  const store = openStore({ home: home ?? join(dir, 'home'), user: 'erin', env: { EDS_JOURNAL: 'wal' } });
  stores.push(store);
  const options = { target: 'cultivar', seed: SEED, models: ['knn', 'logreg', 'nb'] as const };
  const data = await loadProjectData(WINE, options);
  const clock = { t: 1_000_000 };
  const session = projectSession({
    file: WINE,
    data,
    overview: overview(data),
    options: { ...options, models: [...options.models] },
    store,
    targets: { notebook: join(dir, 'wine.ipynb'), report: join(dir, 'wine.md') },
    version: 'test',
    now: () => clock.t,
  });
  return { session, store, dir, clock };
}

function show(services: ProjectServices, size = { columns: 80, rows: 24 }, unicode = true) {
  return render(<ProjectApp services={services} caps={{ colors: 0, unicode }} size={size} />);
}

/** Every frame fits the terminal: no line wider than it, and one row short of its height. */
function expectFits(frame: string, size: { columns: number; rows: number }): void {
  const lines = frame.split('\n');
  expect(lines.length).toBeLessThanOrEqual(size.rows - 1);
  for (const line of lines) expect(line.length, line).toBeLessThanOrEqual(size.columns);
}

function bodyTop(frame: string): string {
  return frame.split('\n')[1]!.trim();
}

describe('eds project screen', () => {
  it('walks through every section with the keys; each answer is in the store as soon as it is given; the export holds them', async () => {
    const { session, store, dir, clock } = await setup();
    const { lastFrame, stdin, frames } = show(session.services);
    const screen = () => lastFrame() ?? '';
    const press = async (...keys: string[]) => {
      await tick();
      for (const k of keys) {
        stdin.write(k);
        await tick();
      }
    };
    expect(screen()).toContain('[Overview]');
    expect(screen()).toContain('wine.csv: 178 rows read, 178 used; 13 features');
    expectFits(screen(), { columns: 80, rows: 24 });
    await ready();
    // Figure by figure through the overview.
    await press(KEY.pageDown);
    expect(bodyTop(screen())).toBe('Class balance (rows per class)');
    await press(KEY.pageDown);
    expect(bodyTop(screen())).toBe('Feature distributions');

    await waitFor(() => screen().includes('best: '), 'the comparison', screen);
    await press('n');
    expect(screen()).toContain('[Comparison]');
    expect(screen()).toContain('Model comparison (cross-validated)');
    for (const model of ['knn', 'logreg', 'nb']) expect(screen()).toMatch(new RegExp(`\\n ${model}[ *]+0\\.\\d{2,3} ± 0\\.\\d{2,3}`));
    expectFits(screen(), { columns: 80, rows: 24 });

    await press('n');
    expect(screen()).toContain('[Figures]');
    expect(bodyTop(screen())).toMatch(/^Learning curves: /);
    await press(KEY.pageDown);
    expect(bodyTop(screen())).toMatch(/^Confusion matrix of /);
    expectFits(screen(), { columns: 80, rows: 24 });

    // Interpretation: the arrow moves on, as n does elsewhere.
    await press(KEY.right);
    expect(screen()).toContain('[Interpretation 1/4]');
    expect(screen()).toContain(INTERPRETATION_PROMPTS[0]!.question);
    // n, p, q and ? are text here.
    await press('Logistic regression, quick and accurate?', KEY.enter, 'No: within the noise of nb', KEY.backspace, 'b.');
    expect(screen()).toContain('› Logistic regression, quick and accurate?');
    expect(screen()).toContain('  No: within the noise of nb.');
    expect(store.attempts({ lesson: PROJECT_LESSON })).toEqual([]);
    clock.t += 42_000;
    await press(KEY.enter, KEY.enter);
    const first = store.attempts({ lesson: PROJECT_LESSON });
    expect(first.map((a) => [a.question, a.answer, a.correct, a.seed, a.secondsSpent])).toEqual([
      ['choice', 'Logistic regression, quick and accurate?\nNo: within the noise of nb.', null, SEED, 42],
    ]);
    expect(screen()).toContain('[Interpretation 2/4]');

    // A paste arrives as one chunk, with its line breaks: two in a row end the answer.
    await press('class_1 and class_2\r\r');
    expect(store.attempts({ lesson: PROJECT_LESSON, question: 'errors' }).map((a) => a.answer)).toEqual(['class_1 and class_2']);
    expect(screen()).toContain('[Interpretation 3/4]');

    // Skip the third for now; type the fourth without saving it, look at the export, come back: the text is still there.
    await press(KEY.enter);
    expect(screen()).toContain('[Interpretation 4/4]');
    await press('Rows in time order would leak');
    await press(KEY.right);
    expect(screen()).toContain('[Export]');
    expect(screen()).toContain('Your answers: 2 of 4 saved');
    await press(KEY.left);
    expect(screen()).toContain('› Rows in time order would leak');
    expect(store.attempts({ lesson: PROJECT_LESSON, question: 'trust' })).toEqual([]);
    await press(KEY.enter, KEY.enter);
    expect(store.attempts({ lesson: PROJECT_LESSON, question: 'trust' }).map((a) => a.answer)).toEqual(['Rows in time order would leak']);

    // Back to the first answer and change it: a second attempt is logged; an unchanged one is not logged again.
    expect(screen()).toContain('[Export]');
    for (let i = 0; i < 4; i++) await press(KEY.left);
    expect(screen()).toContain('[Interpretation 1/4]');
    expect(screen()).toContain('✓ Saved.');
    await press(' Maybe.', KEY.enter, KEY.enter);
    expect(store.attempts({ lesson: PROJECT_LESSON, question: 'choice' }).map((a) => a.attemptNumber)).toEqual([1, 2]);
    expect(screen()).toContain('[Interpretation 2/4]');
    await press(KEY.enter, KEY.enter);
    expect(store.attempts({ lesson: PROJECT_LESSON, question: 'errors' })).toHaveLength(1);
    expect(screen()).toContain('[Interpretation 3/4]');

    for (let i = 0; i < 5; i++) await press(KEY.right);
    expect(screen()).toContain('[Export]');
    expect(screen()).toContain('Your answers: 3 of 4 saved');
    await press(KEY.enter);
    await waitFor(() => screen().includes('wine.md (Markdown report)'), 'the export', screen);
    expect(screen()).toContain(`wrote ${join(dir, 'wine.ipynb')}`);
    expectFits(screen(), { columns: 80, rows: 24 });
    expect(session.written).toEqual([
      `wrote ${join(dir, 'wine.ipynb')} (Jupyter notebook: your text, the results, scikit-learn code on the same folds)`,
      `wrote ${join(dir, 'wine.md')} (Markdown report)`,
    ]);
    const nb = JSON.parse(readFileSync(join(dir, 'wine.ipynb'), 'utf8')) as Notebook;
    const markdown = nb.cells.filter((c) => c.cell_type === 'markdown').map((c) => c.source.join(''));
    expect(markdown.some((m) => m.includes('Logistic regression, quick and accurate?\nNo: within the noise of nb. Maybe.'))).toBe(true);
    expect(markdown.some((m) => m.includes('class_1 and class_2'))).toBe(true);
    expect(markdown.some((m) => m.includes('Rows in time order would leak'))).toBe(true);
    const report = readFileSync(join(dir, 'wine.md'), 'utf8');
    expect(report).toContain('class_1 and class_2');
    expect(nb.metadata.eds).toMatchObject({ user: 'erin', seed: SEED, folds: 5 });

    // q quits without asking: everything is already saved.
    await press('q');
    expect(store.attempts({ lesson: PROJECT_LESSON })).toHaveLength(4);
    for (const frame of frames) expectFits(frame, { columns: 80, rows: 24 });
  });

  it('saves an answer typed but not saved when the student quits (Ctrl-C)', async () => {
    const { session, store } = await setup();
    const { stdin, lastFrame } = show(session.services);
    await ready();
    for (let i = 0; i < 3; i++) {
      stdin.write('n');
      await tick();
    }
    expect(lastFrame()).toContain('[Interpretation 1/4]');
    stdin.write('unfinished thought');
    await tick();
    stdin.write(KEY.ctrlC);
    await tick();
    expect(store.attempts({ lesson: PROJECT_LESSON }).map((a) => [a.question, a.answer])).toEqual([['choice', 'unfinished thought']]);
  });

  it('gives a student who comes back to the same data their saved answers to edit, and not on other data', async () => {
    const home = mkdtempSync(join(tmpdir(), 'eds-project-home-'));
    const first = await setup(home);
    const one = show(first.session.services);
    await ready();
    for (const k of ['n', 'n', 'n', 'kNN is as good as logreg', '\r', '\r']) {
      one.stdin.write(k);
      await tick();
    }
    one.stdin.write(KEY.ctrlC);
    await tick();
    one.unmount();
    first.store.close();
    stores.splice(stores.indexOf(first.store), 1);

    const again = await setup(home);
    expect(again.session.services.earlierAnswers?.map((a) => [a.id, a.text])).toEqual([['choice', 'kNN is as good as logreg']]);
    const two = show(again.session.services);
    // It reopens where the student left: the second question, the answer to the first one page back.
    expect(two.lastFrame()).toContain('Welcome back: your 1 answer on this data, and the page you left.');
    expect(two.lastFrame()).toContain('[Interpretation 2/4]');
    await ready();
    two.stdin.write(KEY.left);
    await tick();
    expect(two.lastFrame()).toContain('[Interpretation 1/4]');
    expect(two.lastFrame()).toContain('kNN is as good as logreg');
    expect(two.lastFrame()).toContain('✓ Saved.');
    // Enter twice on an unchanged answer moves on without logging it again.
    two.stdin.write('\r\r');
    await tick();
    expect(again.store.attempts({ lesson: PROJECT_LESSON })).toHaveLength(1);
    two.unmount();

    // Another target on the same file is another project: nothing comes back. Another seed is the same project.
    const services = again.session.services;
    const other = (target: string, seed: number) =>
      projectSession({
        file: WINE,
        data: { ...services.data, target },
        overview: services.overview,
        options: { seed },
        store: again.store,
        targets: {},
        version: 'test',
      }).services.earlierAnswers;
    expect(other('cultivar', SEED)).toHaveLength(1);
    expect(other('alcohol', SEED)).toEqual([]);
    expect(other('cultivar', SEED + 1)).toHaveLength(1);
  });

  it('keys answers by the data itself: other data under the same file name shares nothing, a copy of the same data does', async () => {
    const home = mkdtempSync(join(tmpdir(), 'eds-project-home-'));
    const dir = mkdtempSync(join(tmpdir(), 'eds-project-data-'));
    const file = join(dir, 'data.csv');
    const wine = readFileSync(WINE, 'utf8');
    writeFileSync(file, wine);
    const store = openStore({ home, user: 'erin', env: { EDS_JOURNAL: 'wal' } });
    stores.push(store);
    const open = async (path: string) => {
      const data = await loadProjectData(path, { target: 'cultivar' });
      return projectSession({ file: path, data, overview: overview(data), options: { seed: SEED }, store, targets: {}, version: 'test' }).services;
    };
    const first = await open(file);
    first.recordAnswer({ id: 'choice', text: 'on all 178 wines', seconds: 5 });
    first.savePage!(4);
    // The student replaces data.csv with other rows (a subset): another project, in the same home and folder.
    writeFileSync(file, wine.split('\n').slice(0, 101).join('\n') + '\n');
    const second = await open(file);
    expect(second.earlierAnswers).toEqual([]);
    expect(second.startPage).toBe(0);
    second.recordAnswer({ id: 'choice', text: 'on 100 wines', seconds: 5 });
    // The first data, copied elsewhere, is the first project again.
    const copy = join(mkdtempSync(join(tmpdir(), 'eds-project-copy-')), 'wine-copy.csv');
    writeFileSync(copy, wine);
    const back = await open(copy);
    expect(back.earlierAnswers?.map((a) => a.text)).toEqual(['on all 178 wines']);
    expect(back.startPage).toBe(4);
    expect((await open(file)).earlierAnswers?.map((a) => a.text)).toEqual(['on 100 wines']);
    // The log tells the two projects' answers apart too.
    const logged = store.attempts({ lesson: PROJECT_LESSON }).map((a) => a.detail as { dataset: string; target: string; data_key: string });
    expect(logged.map((d) => [d.dataset, d.target])).toEqual([
      ['data.csv', 'cultivar'],
      ['data.csv', 'cultivar'],
    ]);
    expect(logged[0]!.data_key).not.toBe(logged[1]!.data_key);
  });

  it('reopens at the page the student left', async () => {
    const home = mkdtempSync(join(tmpdir(), 'eds-project-home-'));
    const first = await setup(home);
    const one = show(first.session.services);
    await ready();
    for (const k of ['n', 'n', KEY.right, KEY.right]) {
      one.stdin.write(k);
      await tick();
    }
    // Under load Ink may draw the page a little later than one tick.
    await waitFor(
      () => one.lastFrame()?.includes('[Interpretation 2/4]') ?? false,
      'the second interpretation page',
      () => one.lastFrame(),
    );
    one.stdin.write(KEY.ctrlC);
    await tick();
    one.unmount();
    first.store.close();
    stores.splice(stores.indexOf(first.store), 1);

    const again = await setup(home);
    expect(again.session.services.startPage).toBe(4);
    const two = show(again.session.services);
    expect(two.lastFrame()).toContain('[Interpretation 2/4]');
    expect(two.lastFrame()).toContain('Welcome back: the page you left (h: the overview).');
    expect(two.lastFrame()).toContain(INTERPRETATION_PROMPTS[1]!.question);
    await ready();
    // Back to the overview: that is where the next session opens.
    for (let i = 0; i < 4; i++) {
      two.stdin.write(KEY.left);
      await tick();
    }
    expect(two.lastFrame()).toContain('[Overview]');
    two.unmount();
    again.store.close();
    stores.splice(stores.indexOf(again.store), 1);
    expect((await setup(home)).session.services.startPage).toBe(0);
  });

  it('offers folds in blocks of time on data with a date column, trains again with them, and exports them', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'eds-project-time-'));
    const file = join(dir, 'station.csv');
    writeFileSync(file, stationCsv());
    const store = openStore({ home: join(dir, 'home'), user: 'erin', env: { EDS_JOURNAL: 'wal' } });
    stores.push(store);
    const data = await loadProjectData(file, { target: 'regime' });
    const session = projectSession({
      file,
      data,
      overview: overview(data),
      options: { seed: SEED, models: ['knn', 'nb'] },
      store,
      targets: { notebook: join(dir, 'station.ipynb') },
      version: 'test',
    });
    const size = { columns: 120, rows: 40 };
    const { stdin, lastFrame } = show(session.services, size);
    const screen = () => lastFrame() ?? '';
    expect(screen().replace(/\s+/g, ' ')).toMatch(/shuffled \(stratified\) folds put rows a moment apart .* flatter every model .*press t to switch/);
    expect(screen()).toContain('folds: shuffled');
    await waitFor(() => screen().includes('best: '), 'the shuffled comparison', screen);
    await ready();
    stdin.write('t');
    await tick();
    expect(screen()).toContain('Folds are now blocks of time by "date": the models train again.');
    expect(screen()).toContain('folds: time blocks');
    stdin.write('n');
    await tick();
    await waitFor(() => screen().includes('best: '), 'the comparison in blocks of time', screen);
    expect(screen()).toContain('5 folds in blocks of time ("date"), seed 3');
    for (let i = 0; i < 7; i++) {
      stdin.write(KEY.right);
      await tick();
    }
    expect(screen()).toContain('[Export]');
    stdin.write(KEY.enter);
    await waitFor(() => screen().includes('station.ipynb (Jupyter notebook'), 'the export', screen);
    const nb = JSON.parse(readFileSync(join(dir, 'station.ipynb'), 'utf8')) as Notebook;
    expect(nb.metadata.eds).toMatchObject({ split: 'time', time_column: 'date' });
    expect(nb.cells.map((c) => c.source.join('')).join('\n')).toContain('KFold(n_splits=5, shuffle=False).split(time_order)');
    for (const f of [screen()]) expectFits(f, size);
  });

  it('keeps drawing and reading keys while the models train, and stops the training on quit', async () => {
    const { session } = await setup();
    const { data } = session.services;
    const done = compareModels(data.X, data.y, data.labels.length, { seed: SEED, models: ['knn', 'nb'] });
    let finish: (c: Comparison) => void = () => {};
    let signal: AbortSignal | null = null;
    const services: ProjectServices = {
      ...session.services,
      compare: (onStatus, s) => {
        signal = s;
        onStatus('cross-validating k-nearest neighbours (k=5) (5 folds)');
        onStatus('cross-validating Gaussian naive Bayes (5 folds)');
        return new Promise((resolve) => (finish = resolve));
      },
    };
    const { stdin, lastFrame } = show(services);
    await ready();
    stdin.write('n');
    await tick();
    let frame = lastFrame()!;
    expect(frame).toContain('✓ cross-validating k-nearest neighbours (k=5) (5 folds)');
    expect(frame).toContain('› cross-validating Gaussian naive Bayes (5 folds)…');
    expect(frame).toContain('training…');
    // Figures and Export wait for the comparison, and say so.
    stdin.write('n');
    await tick();
    expect(lastFrame()).toContain('The figures appear when the comparison has finished');
    for (let i = 0; i < 5; i++) {
      stdin.write(KEY.right);
      await tick();
    }
    expect(lastFrame()).toContain('[Export]');
    stdin.write(KEY.enter);
    await tick();
    expect(lastFrame()).toContain('The models are still training');
    finish(done);
    await tick();
    frame = lastFrame()!;
    expect(frame).toContain('Press Enter to write the files.');
    expect(frame).toContain('best: ');
    stdin.write('q');
    await tick();
    expect(signal!.aborted).toBe(true);
  });

  it('says why when the comparison fails, and keeps the overview readable', async () => {
    const { session } = await setup();
    const services: ProjectServices = { ...session.services, compare: () => Promise.reject(new Error('out of memory\n    at somewhere.js:1:1')) };
    const { stdin, lastFrame } = show(services);
    await ready();
    stdin.write('n');
    await tick();
    expect(lastFrame()).toContain('✗ The comparison failed: out of memory');
    expect(lastFrame()).not.toContain('somewhere.js');
    stdin.write('p');
    await tick();
    expect(lastFrame()).toContain('wine.csv: 178 rows read');
  });

  it('shows its own keys with ?; ? closes them, and ?q closes them and quits', async () => {
    const { session } = await setup();
    const { stdin, lastFrame, frames } = show(session.services);
    await ready();
    stdin.write('?');
    await tick();
    expect(lastFrame()).toContain('Keys');
    expect(lastFrame()).toContain('write the notebook and the report');
    stdin.write('?');
    await tick();
    expect(lastFrame()).toContain('[Overview]');
    stdin.write('?');
    await tick();
    stdin.write('?q');
    await tick();
    // Quit: later keys reach nothing (had q only toggled the help, ? would close it and draw the overview).
    const drawn = frames.length;
    stdin.write('?');
    await tick();
    stdin.write('n');
    await tick();
    expect(frames.length).toBe(drawn);
  });

  it('fits 40x12 and ASCII terminals, and a tiny terminal gets one line until it grows back', async () => {
    const { session } = await setup();
    for (const size of [
      { columns: 40, rows: 12 },
      { columns: 100, rows: 30 },
    ]) {
      const { lastFrame, stdin, unmount } = show(session.services, size, false);
      await ready();
      stdin.write('n');
      await waitFor(() => lastFrame()!.includes('Model comparison'), 'the comparison', lastFrame);
      for (const key of ['', 'p', 'n', 'n', 'n', 'x', 'n', KEY.right, KEY.right, KEY.right, KEY.enter]) {
        if (key) stdin.write(key);
        await tick();
        expectFits(lastFrame()!, size);
        expect(/[^\x00-\x7f]/.test(lastFrame()!), lastFrame()).toBe(false);
      }
      unmount();
    }
    const tiny = show(session.services, { columns: 30, rows: 10 });
    expect(tiny.lastFrame()).toBe('Too small: need 40x12; q quits');
    tiny.rerender(<ProjectApp services={session.services} caps={{ colors: 0, unicode: true }} size={{ columns: 80, rows: 24 }} />);
    await tick();
    expect(tiny.lastFrame()).toContain('[Overview]');
  });
});
