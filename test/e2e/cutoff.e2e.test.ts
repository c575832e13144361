// Nothing the tutor says about an answer is cut off at 80x24: a long choice, its feedback, the hint and the
// "Checked against your run …" line wrap instead of ending in "…".
import { afterEach, describe, expect, it } from 'vitest';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Terminal, sleep } from './tmux.js';

const terminals: Terminal[] = [];
afterEach(() => {
  for (const t of terminals.splice(0)) t.stop();
});

/** The screen as one line of words, so that a sentence wrapped over several rows is found whole. */
function flat(screen: string): string {
  return screen.replace(/\s+/g, ' ');
}

describe('feedback at 80x24', () => {
  it('shows a wrong choice, its feedback, the hint and the checked run in full', async () => {
    const home = mkdtempSync(join(tmpdir(), 'eds-e2e-cutoff-'));
    const t = new Terminal({ TERM: 'xterm-256color', LANG: 'C.UTF-8', EDS_HOME: home });
    terminals.push(t);
    t.start('node bin/eds.js start intro');
    await t.waitFor('Welcome to eds · step 1/11');
    // One key per step: keys that arrive together move at most one step.
    for (let i = 2; i <= 4; i++) {
      t.send('n');
      await t.waitFor(`step ${i}/11`);
    }
    t.send('Enter'); // the first choice, wrong
    const hinted = await t.waitFor('Hint:');
    expect(flat(hinted)).toContain('Think of a probe that reads continuously against a lab that measures rarely.');
    expect(hinted).not.toMatch(/…$/m);

    // Keys right after an answer are dropped (a paste must not answer on): wait for the pause.
    await sleep(400);
    t.send('Down');
    await sleep(300);
    t.send('Enter');
    await t.waitFor('✓ Right.');
    await sleep(400);
    t.send('n');
    await t.waitFor('step 5/11');
    t.send('n');
    await t.waitFor('Predict, then run');
    t.send('Down');
    await sleep(300);
    t.send('Enter');
    const predicted = await t.waitFor('The answer: It grows.', 30_000);
    expect(flat(predicted)).toContain('The RMSE measures how far the points are from the line: noisier points are farther.');

    // A numeric answer: the run it was checked against is named on the screen, not only in eds lessons try.
    await sleep(400);
    t.send('n');
    await t.waitFor('Fit a line to your gauge readings');
    t.send('n');
    await t.waitFor('What slope did your last fit find?');
    await sleep(300);
    // Far from any slope a run gives (reading noise only flattens a true 0.95 a little): graded wrong, so the hint shows.
    t.send('0.5', true);
    t.send('Enter');
    const checked = await t.waitFor('Hint:');
    // The run, with the options it ran with, in one sentence; the hint's `slope` drawn as code, without backticks.
    expect(flat(checked)).toMatch(/Checked against your latest run of "Fit a line to your gauge readings": noise=\d+ points=\d+\./);
    expect(flat(checked)).toContain('Hint: It is in the results of the experiment, under slope.');
    for (const screen of [hinted, predicted, checked]) expect(screen).not.toMatch(/…\s*$/m);
  }, 90_000);

  it('shows choices wider than the screen whole, without backticks, with their marks after answering', async () => {
    const home = mkdtempSync(join(tmpdir(), 'eds-e2e-cutoff-'));
    const t = new Terminal({ TERM: 'xterm-256color', LANG: 'C.UTF-8', EDS_HOME: home });
    terminals.push(t);
    t.start('node bin/eds.js start river');
    const first = await t.waitFor(/step 1\/(\d+)/);
    const total = /step 1\/(\d+)/.exec(first)![1]!;
    // The pages, then the first experiment: run it.
    for (let i = 2; i <= 9; i++) {
      t.send('n');
      await t.waitFor(`step ${i}/${total}`);
    }
    await t.waitFor('Inspect the probes and the samples');
    t.send('Enter');
    await t.waitFor('Results', 60_000);
    t.send('n');
    // Codes written as `code` in the lesson: drawn as code, not with their backticks; the right ones get ✓.
    const codes = await t.waitFor('[ ] 0.0 in the turbidity column');
    expect(codes).toContain('-30000.0');
    expect(codes).not.toContain('`');
    for (let i = 0; i < 3; i++) {
      t.send('Space');
      await sleep(150);
      t.send('Down');
      await sleep(150);
    }
    t.send('Enter');
    const right = await t.waitFor('✓ Right.');
    for (const code of ['-30000.0', '1e+10', 'NAN']) expect(right).toMatch(new RegExp(`\\[x\\] ${code.replace(/[.+]/g, '\\$&')}  ✓`));
    expect(right).not.toMatch(/…\s*$/m);

    // A number from the run: three wrong answers, each checked against the named run, then the answer.
    await sleep(400);
    t.send('n');
    await t.waitFor('What is the median SSC of your lab samples, in mg/L?');
    await sleep(300);
    t.send('1', true);
    t.send('Enter');
    const wrong = await t.waitFor('Hint:');
    expect(flat(wrong)).toContain('Checked against your latest run of experiment 1: window=all scale=linear.');
    expect(flat(wrong)).toContain('Hint: The summary table has a median column; read it on the SSC (lab) row.');
    expect(wrong).not.toMatch(/…\s*$/m);
    for (let i = 0; i < 2; i++) {
      await sleep(400);
      t.send('Enter');
      await sleep(300);
    }
    await t.waitFor('The answer:');

    // Choices wider than 80 columns wrap under their own text; a wrong one's feedback and the hint are whole.
    await sleep(400);
    t.send('n');
    const skew = await t.waitFor('What do the two histograms of SSC show?');
    expect(flat(skew)).toContain('SSC is strongly right-skewed in linear bins, much more symmetric in log bins.');
    expect(skew).not.toMatch(/…\s*$/m);
    await sleep(300);
    t.send('Enter'); // the first choice, wrong
    const skewWrong = await t.waitFor('Hint:');
    expect(flat(skewWrong)).toContain('Look again at the linear histogram: most bars are at the left.');
    expect(flat(skewWrong)).toContain('Hint: Compare the two histograms: where do most samples sit in the linear one?');
    await sleep(400);
    t.send('Down');
    await sleep(300);
    t.send('Enter');
    const skewRight = await t.waitFor('✓ Right.');
    // The ✓ of the right choice, at the end of its last line, is on the screen.
    expect(flat(skewRight)).toContain('SSC is strongly right-skewed in linear bins, much more symmetric in log bins. ✓');
    for (const screen of [skew, skewWrong, skewRight]) {
      expect(screen).not.toMatch(/…\s*$/m);
      for (const line of screen.split('\n')) expect(line.length).toBeLessThanOrEqual(80);
    }
  }, 150_000);
});
