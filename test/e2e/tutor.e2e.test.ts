// End to end in a real terminal at 80x24: start eds, answer a question, quit, restart, land on the same step.
import { afterEach, describe, expect, it } from 'vitest';
import { mkdtempSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execFileSync } from 'node:child_process';
import { Terminal, REPO, sleep } from './tmux.js';
import { openStore } from '../../src/store/index.js';
import type { ProgressReport } from '../../src/tutor/progress.js';
import { QUIET_AFTER_SUBMIT_MS } from '../../src/tui/components/LessonScreen.js';

const terminals: Terminal[] = [];
afterEach(() => {
  for (const t of terminals.splice(0)) t.stop();
});

function terminal(home: string, extra: Record<string, string> = {}): Terminal {
  // CI=true on purpose: at a real terminal the tutor must draw even when the shell exports CI (Ink would not).
  const t = new Terminal({ EDS_HOME: home, EDS_USER: 'alice', TERM: 'xterm-256color', LANG: 'C.UTF-8', CI: 'true', ...extra });
  terminals.push(t);
  return t;
}

describe('eds in tmux at 80x24', () => {
  it('is built before the end-to-end tests run', () => {
    expect(existsSync(join(REPO, 'dist/cli/main.js'))).toBe(true);
  });

  it('answers a question, quits, and resumes at the same step with the answer shown', async () => {
    const home = mkdtempSync(join(tmpdir(), 'eds-e2e-'));
    const first = terminal(home);
    first.start('node bin/eds.js');
    await first.waitFor('course map');
    first.send('Enter');
    await first.waitFor('step 1/');
    for (let i = 2; i <= 4; i++) {
      first.send('n');
      await first.waitFor(`step ${i}/`);
    }
    await first.waitFor('Which question does the first session');
    first.send('Down');
    first.send('Enter');
    const answered = await first.waitFor('Right.');
    expect(answered).toContain('step 4/');
    first.send('q');
    await sleep(500);
    first.stop();

    const second = terminal(home);
    second.start('node bin/eds.js');
    const resumed = await second.waitFor('Which question does the first session');
    expect(resumed).toContain('step 4/');
    expect(resumed).toContain('Right.');
    // Every line of the screen fits the 80 columns.
    for (const line of resumed.split('\n')) expect(line.length).toBeLessThanOrEqual(80);
  });

  it('writes almost nothing while idle (no redraw storms over SSH)', async () => {
    const home = mkdtempSync(join(tmpdir(), 'eds-e2e-'));
    const t = terminal(home);
    t.start('node bin/eds.js');
    await t.waitFor('course map');
    await sleep(300);
    const before = t.bytesWritten();
    await sleep(2000);
    const idle = t.bytesWritten() - before;
    expect(idle).toBeLessThan(64);
  });

  it('uses only ASCII with LANG=C and TERM=dumb, and no colour escapes with NO_COLOR', async () => {
    const home = mkdtempSync(join(tmpdir(), 'eds-e2e-'));
    const t = terminal(home, { LANG: 'C', LC_ALL: 'C', TERM: 'dumb', NO_COLOR: '1' });
    t.start('node bin/eds.js start intro');
    const screen = await t.waitFor('Welcome to eds');
    expect(/[^\x00-\x7f]/.test(screen)).toBe(false);
    // No SGR colour codes (38;5 / 3x foreground) in what was written.
    expect(/\x1b\[(3[0-7]|38;)/.test(t.output())).toBe(false);
  });

  it('plays the intro with the keys a student uses (Esc out of a field, p back and on, a pasted answer with more text, a prediction); eds progress agrees with the screens', async () => {
    const home = mkdtempSync(join(tmpdir(), 'eds-e2e-keys-'));
    const t = terminal(home, { EDS_USER: 'kai' });
    t.start('node bin/eds.js start intro');
    const fits = (screen: string) => {
      for (const line of screen.split('\n')) expect(line.length).toBeLessThanOrEqual(80);
      return screen;
    };
    const pause = () => sleep(QUIET_AFTER_SUBMIT_MS + 250);
    await t.waitFor('step 1/11');
    for (let i = 2; i <= 4; i++) {
      t.send('n');
      await t.waitFor(`step ${i}/11`);
    }
    // A single-choice question, answered right.
    t.send('Down');
    t.send('Enter');
    fits(await t.waitFor('Right.'));
    await pause();
    t.send('n');
    await t.waitFor('step 5/11');
    t.send('n');
    // The prediction: "It grows." (the first choice, the right one); its experiment runs, then it is graded.
    await t.waitFor('Predict, then run');
    t.send('Enter');
    const predicted = fits(await t.waitFor(/Right\.|Not quite\./, 60_000));
    expect(predicted).toContain('Your prediction: It grows.');
    expect(predicted).toContain('Right.');
    await pause();
    t.send('n');
    await t.waitFor('step 7/11');
    t.send('n');
    // The numeric question: its field has the focus. Esc leaves it, and keys are commands again: p goes back.
    await t.waitFor('What slope did your last fit find?');
    t.send('Escape');
    fits(await t.waitFor('Enter type the answer'));
    t.send('p');
    await t.waitFor('step 7/11');
    t.send('n');
    await t.waitFor('step 8/11');
    // With the field empty, p goes back too (the hint says to look at the results), and n comes back.
    t.send('p');
    await t.waitFor('step 7/11');
    t.send('n');
    const field = fits(await t.waitFor('step 8/11'));
    expect(field).toContain('Esc leave field');
    // A pasted answer followed by more text, command letters and Enters: answered once, never the next question.
    const store = openStore({ home, user: 'kai' });
    try {
      const runs = store.progress('intro')!.states['gauge-fit']!.runs ?? [];
      const slope = Number(runs.at(-1)?.results.slope ?? store.progress('intro')!.states['gauge-fit']!.results!.slope);
      expect(Number.isFinite(slope)).toBe(true);
      t.send(`${slope}\rnn q h\rnp y`, true);
      fits(await t.waitFor('Right.'));
      await sleep(1000);
      const after = fits(t.screen());
      expect(after).toContain('step 8/11');
      expect(after).toContain('Right.');
      await pause();
      t.send('n');
      await t.waitFor('step 9/11');
      t.send('q');
      await sleep(500);
    } finally {
      store.close();
    }
    // What eds progress reports is what the screens showed.
    const json = execFileSync('node', ['bin/eds.js', 'progress', '--json'], {
      cwd: REPO,
      env: { ...process.env, EDS_HOME: home, EDS_USER: 'kai' },
      encoding: 'utf8',
    });
    const report = JSON.parse(json) as ProgressReport;
    const intro = report.lessons.find((l) => l.id === 'intro')!;
    const records = Object.fromEntries(intro.question_records.map((r) => [r.id, r]));
    expect(records['first-session']).toMatchObject({ attempts: 1, correct: true });
    expect(records['predict-noise']).toMatchObject({ attempts: 1, correct: true, last_answer: 'It grows.' });
    expect(records['slope-value']).toMatchObject({ attempts: 1, correct: true });
    // The text after the pasted answer answered nothing.
    expect(records['rmse-units']).toMatchObject({ attempts: 0 });
    expect(intro.questions_correct).toBe(3);
    const check = openStore({ home, user: 'kai' });
    try {
      const [prediction] = check.attempts({ lesson: 'intro', question: 'predict-noise' });
      expect(prediction).toMatchObject({ correct: true, grading: 'predict', detail: { expected: 'It grows.', run: { step: 'gauge-fit' } } });
    } finally {
      check.close();
    }
  }, 120_000);
});
