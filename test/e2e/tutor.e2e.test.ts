// End to end in a real terminal at 80x24: start eds, answer a question, quit, restart, land on the same step.
import { afterEach, describe, expect, it } from 'vitest';
import { mkdtempSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Terminal, REPO, sleep } from './tmux.js';

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
});
