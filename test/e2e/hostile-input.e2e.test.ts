// Escape sequences a student pastes (a colour code from a log, a screen clear, a window title) at a real terminal:
// Ink 6.8 crashed on ESC[31m (a key with modifiers and no name); the tutor must drop them and keep working.
import { execFileSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { sleep, Terminal } from './tmux.js';

const terminals: Terminal[] = [];
afterEach(() => {
  for (const t of terminals.splice(0)) t.stop();
});

/** Bytes as tmux send-keys -H takes them. */
const hex = (s: string): string[] => Array.from(Buffer.from(s, 'utf8'), (b) => b.toString(16).padStart(2, '0'));

describe('pasted escape sequences at 80x24', () => {
  it('are dropped: the tutor survives colour codes, a clear, a title and an unknown key, and still answers keys', async () => {
    const home = mkdtempSync(join(tmpdir(), 'eds-e2e-'));
    const t = new Terminal({ EDS_HOME: home, EDS_USER: 'mallory', TERM: 'xterm-256color', LANG: 'C.UTF-8', CI: 'true' });
    terminals.push(t);
    t.start('node bin/eds.js');
    await t.waitFor('course map');
    for (const paste of [' x\u001B[31my', '\u001B[0m', '\u001B[2J', '\u001B]0;pwned\u0007', '\u001B[99;5~', '\u001B[38;5;196mred\u001B[0m']) {
      execFileSync('tmux', ['-S', t.socket, 'send-keys', '-t', t.session, '-H', ...hex(paste)]);
      await sleep(150);
    }
    await sleep(500);
    const after = t.screen();
    expect(after).not.toMatch(/TypeError|Node\.js v|at EventEmitter/);
    expect(after).toContain('course map');
    // Still alive and listening: Enter opens the first lesson.
    t.send('Enter');
    await t.waitFor('step 1/');
  });
});
