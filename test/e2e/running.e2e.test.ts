// A real lesson training step at 80x24, in a real terminal: while the MLP trains, captures 0.1 s apart show the
// spinner moving (judged on captures at least 0.3 s apart, as the spinner turns every 0.2 s), one bar for the whole run growing, and the loss and accuracy curves growing after each epoch.
import { afterEach, describe, expect, it } from 'vitest';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openStore } from '../../src/store/index.js';
import { loadLessons } from '../../src/lessons/index.js';
import { UNICODE_SYMBOLS } from '../../src/render/symbols.js';
import { Terminal, sleep } from './tmux.js';

const terminals: Terminal[] = [];
afterEach(() => {
  for (const t of terminals.splice(0)) t.stop();
});

/** What one capture shows of the run: the spinner frame, the bar's epoch and percentage, the legend's last loss. */
function read(screen: string) {
  const lines = screen.split('\n');
  const spin = lines.find((l) => /running…/.test(l))?.trim()[0] ?? null;
  const bar = screen.match(/epoch (\d+)\/(\d+) [█░]+ (\d+)%/);
  const loss = screen.match(/── loss (\d[\d.]*)/);
  // Plotted cells of the curves: more of them as epochs end.
  const plotted = lines
    .filter((l) => /[┤│]/.test(l))
    .join('')
    .replace(/[^─═╭╮╯╰╔╗╚╝]/g, '').length;
  return { spin, epoch: bar ? Number(bar[1]) : null, percent: bar ? Number(bar[3]) : null, loss: loss ? loss[1] : null, plotted };
}

/** The captures taken at least `ms` after the previous one kept. */
function spacedApart<T extends { at: number }>(captures: T[], ms: number): T[] {
  const kept: T[] = [];
  for (const c of captures) if (kept.length === 0 || c.at - kept[kept.length - 1]!.at >= ms) kept.push(c);
  return kept;
}

describe('a lesson training step at 80x24', () => {
  it('shows the spinner moving and the bar and curves growing while the MLP trains', async () => {
    const home = mkdtempSync(join(tmpdir(), 'eds-e2e-running-'));
    const lesson = loadLessons().lessons.find((l) => l.id === 'neural')!;
    const at = lesson.steps.findIndex((s) => s.id === 'mlp');
    // The student reached the MLP step (the tutor reopens there).
    const store = openStore({ home, user: 'erin', env: { EDS_JOURNAL: 'wal' } });
    store.saveStep('neural', 'mlp', at, {});
    store.close();
    const t = new Terminal({ EDS_HOME: home, EDS_USER: 'erin', TERM: 'xterm-256color', LANG: 'C.UTF-8', CI: 'false' });
    terminals.push(t);
    t.start('node bin/eds.js start neural');
    await t.waitFor(`step ${at + 1}/${lesson.steps.length}`);
    await t.waitFor('A fully connected network');
    await sleep(300);
    t.send('Enter');
    await t.waitFor('running…', 5000);
    const started = Date.now();
    const bytesAtStart = t.bytesWritten();
    const charsAtStart = t.output().length;
    const captures: Array<ReturnType<typeof read> & { at: number }> = [];
    let screen = t.screen();
    const done = (text: string) => /^ Results$/m.test(text) && !text.includes('running…');
    // Polled often: on a fast machine the five epochs take little more than a second.
    while (!done(screen) && Date.now() - started < 240_000) {
      captures.push({ ...read(screen), at: Date.now() });
      await sleep(100);
      screen = t.screen();
    }
    const seconds = (Date.now() - started) / 1000;
    const bytes = t.bytesWritten() - bytesAtStart;
    const written = t.output().slice(charsAtStart);
    expect(done(screen)).toBe(true);
    expect(screen).not.toContain('stale');

    const training = captures.filter((c) => c.percent !== null);
    // Several captures during training (5 epochs of 8,000 digits take seconds on any backend).
    expect(training.length).toBeGreaterThanOrEqual(5);
    // The spinner: a frame of its own at most captures 0.3 s apart, not one frame for the whole run.
    const spins = spacedApart(captures, 300).map((c) => c.spin);
    expect(spins.length).toBeGreaterThanOrEqual(3);
    for (const s of spins) expect(UNICODE_SYMBOLS.spinner).toContain(s);
    const moved = spins.slice(1).filter((s, i) => s !== spins[i]).length;
    expect(moved / (spins.length - 1)).toBeGreaterThan(0.6);
    expect(new Set(spins).size).toBeGreaterThanOrEqual(Math.min(5, spins.length));
    // One bar for the whole run: it never goes back (no restart at an epoch) and passes through several epochs.
    const percents = training.map((c) => c.percent!);
    for (let i = 1; i < percents.length; i++) expect(percents[i]).toBeGreaterThanOrEqual(percents[i - 1]!);
    expect(percents[percents.length - 1]! - percents[0]!).toBeGreaterThanOrEqual(40);
    expect(new Set(training.map((c) => c.epoch)).size).toBeGreaterThanOrEqual(3);
    // The curves: drawn after the first epoch, longer and with a new last loss as epochs end.
    const curves = captures.filter((c) => c.loss !== null);
    expect(curves.length).toBeGreaterThanOrEqual(2);
    expect(new Set(curves.map((c) => c.loss)).size).toBeGreaterThanOrEqual(3);
    expect(curves[curves.length - 1]!.plotted).toBeGreaterThan(curves[0]!.plotted);
    // What that cost the link: redraws (each whole frame has one spinner line) and bytes per second.
    const frames = written.split('running…').length - 1;
    console.log(
      `running step: ${seconds.toFixed(1)} s, ${captures.length} captures, ${frames} frames (${(frames / seconds).toFixed(1)}/s), ${Math.round(bytes / seconds)} B/s`,
    );
    expect(frames / seconds).toBeLessThanOrEqual(1000 / 200 + 1);
  }, 300_000);
});

describe('a predict-then-run at 80x24', () => {
  it('shows its run within a few frames of Enter, not when the run ends', async () => {
    const home = mkdtempSync(join(tmpdir(), 'eds-e2e-running-'));
    const lesson = loadLessons().lessons.find((l) => l.id === 'intro')!;
    const at = lesson.steps.findIndex((s) => s.id === 'predict-noise');
    const store = openStore({ home, user: 'erin', env: { EDS_JOURNAL: 'wal' } });
    store.saveStep('intro', 'predict-noise', at, {});
    store.close();
    const t = new Terminal({ EDS_HOME: home, EDS_USER: 'erin', TERM: 'xterm-256color', LANG: 'C.UTF-8', CI: 'false' });
    terminals.push(t);
    t.start('node bin/eds.js start intro');
    await t.waitFor('Predict, then run');
    await sleep(300);
    t.send('Enter');
    const sent = Date.now();
    // Polled every 50 ms: when the run shows, and when the verdict does.
    let shownAfter: number | null = null;
    let verdictAfter: number | null = null;
    while (verdictAfter === null && Date.now() - sent < 60_000) {
      const screen = t.screen();
      if (shownAfter === null && screen.includes('running the experiment…')) shownAfter = Date.now() - sent;
      if (/Right\.|Not quite\./.test(screen)) verdictAfter = Date.now() - sent;
      await sleep(50);
    }
    console.log(`predict-then-run: run shown after ${shownAfter} ms, verdict after ${verdictAfter} ms`);
    expect(verdictAfter).not.toBeNull();
    expect(shownAfter).not.toBeNull();
    expect(shownAfter!).toBeLessThan(1000);
    expect(shownAfter!).toBeLessThan(verdictAfter!);
  }, 120_000);
});
