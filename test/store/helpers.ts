// Shared by the store tests: throwaway data directories and the child processes that write to them.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createRequire } from 'node:module';

/** Both journal modes, for tests that must hold in each. */
export const MODES = ['wal', 'delete'] as const;

/**
 * A fresh data directory. EDS_TEST_TMPDIR puts it elsewhere than the system temp directory, so
 * the suite can be run on the filesystem students will really use (e.g. an NFS home).
 */
export function tempHome(): { home: string; cleanup: () => void } {
  const base = process.env.EDS_TEST_TMPDIR ?? tmpdir();
  const home = mkdtempSync(join(base, 'eds-store-'));
  return { home, cleanup: () => rmSync(home, { recursive: true, force: true }) };
}

const here = fileURLToPath(new URL('.', import.meta.url));
const viteNode = join(createRequire(import.meta.url).resolve('vite-node/package.json'), '..', 'vite-node.mjs');

/** Runs a TypeScript script under test/store/ in a separate Node process (vite-node runs it in-process, so its pid is the writer's). */
export function spawnScript(script: string, args: string[], env: NodeJS.ProcessEnv, uid?: number): ChildProcess {
  return spawn(process.execPath, [viteNode, join(here, script), ...args], {
    env: { ...process.env, ...env },
    stdio: ['pipe', 'pipe', 'pipe'],
    ...(uid === undefined ? {} : { uid, gid: uid }),
  });
}

/** Collects a child's stdout lines, calling `onLine` for each complete one. */
export function readLines(child: ChildProcess, onLine: (line: string) => void): { stderr: () => string } {
  let buffered = '';
  let stderr = '';
  child.stdout!.setEncoding('utf8').on('data', (chunk: string) => {
    buffered += chunk;
    let nl: number;
    while ((nl = buffered.indexOf('\n')) >= 0) {
      onLine(buffered.slice(0, nl));
      buffered = buffered.slice(nl + 1);
    }
  });
  child.stderr!.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  return { stderr: () => stderr };
}

/** Resolves with the exit code and signal once the child has exited. */
export function exited(child: ChildProcess): Promise<{ code: number | null; signal: NodeJS.Signals | null }> {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) resolve({ code: child.exitCode, signal: child.signalCode });
    else child.once('exit', (code, signal) => resolve({ code, signal }));
  });
}
