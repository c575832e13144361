// Drives `eds` in a real terminal: tmux runs it at a fixed size, send-keys types, capture-pane reads the screen.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, existsSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

export const REPO = resolve(import.meta.dirname, '../..');

/** A tmux server of our own (its own socket), so tests never touch a user's sessions. */
export class Terminal {
  readonly socket: string;
  readonly session = 'eds';
  readonly log: string;

  constructor(
    readonly env: Record<string, string>,
    readonly size = { columns: 80, rows: 24 },
  ) {
    const dir = mkdtempSync(join(tmpdir(), 'eds-tmux-'));
    this.socket = join(dir, 'sock');
    this.log = join(dir, 'pane.log');
  }

  private tmux(...args: string[]): string {
    return execFileSync('tmux', ['-S', this.socket, ...args], { encoding: 'utf8' });
  }

  /** Starts `command` (run by sh in the repo) in a detached session of the given size, recording every byte it writes. */
  start(command: string): void {
    const envs = Object.entries(this.env)
      .map(([k, v]) => `${k}=${shellQuote(v)}`)
      .join(' ');
    this.tmux(
      'new-session',
      '-d',
      '-s',
      this.session,
      '-x',
      String(this.size.columns),
      '-y',
      String(this.size.rows),
      `cd ${shellQuote(REPO)} && env ${envs} ${command}; sleep 30`,
    );
    this.tmux('pipe-pane', '-t', this.session, '-o', `cat >> ${shellQuote(this.log)}`);
  }

  /** Sends keys as tmux names them (`Enter`, `Down`, `q`, `C-c`), or literal text with `literal`. */
  send(keys: string, literal = false): void {
    this.tmux('send-keys', '-t', this.session, ...(literal ? ['-l', keys] : [keys]));
  }

  /** The visible screen as text. */
  screen(): string {
    return this.tmux('capture-pane', '-p', '-t', this.session);
  }

  /** Waits until the screen contains `text` (or matches), polling; throws with the screen if it never does. */
  async waitFor(text: string | RegExp, timeoutMs = 20_000): Promise<string> {
    const deadline = Date.now() + timeoutMs;
    let last = '';
    while (Date.now() < deadline) {
      last = this.screen();
      if (typeof text === 'string' ? last.includes(text) : text.test(last)) return last;
      await sleep(100);
    }
    throw new Error(`screen never showed ${String(text)}; last screen:\n${last}`);
  }

  /** Bytes the program has written to the terminal so far. */
  bytesWritten(): number {
    return existsSync(this.log) ? statSync(this.log).size : 0;
  }

  /** Everything written so far (with escape sequences). */
  output(): string {
    return existsSync(this.log) ? readFileSync(this.log, 'utf8') : '';
  }

  stop(): void {
    try {
      this.tmux('kill-server');
    } catch {
      // Already gone: nothing to clean.
    }
  }
}

export function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

function shellQuote(s: string): string {
  return `'${s.replace(/'/g, `'\\''`)}'`;
}
