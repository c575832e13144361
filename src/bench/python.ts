// Runs a committed reference script (PyTorch, SciPy) with Debian's python3 for `npm run bench`, or says why it cannot.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { PACKAGE_ROOT } from '../version.js';

const PYTHON = '/usr/bin/python3';

let skipped: string | undefined;
/** `npm run bench -- --no-torch`: no Python reference runs at all (PyTorch, SciPy); rows say why they have none. */
export function skipReferences(why: string): void {
  skipped = why;
}
/** Why reference runs are skipped, or undefined when they run. */
export function referencesSkipped(): string | undefined {
  return skipped;
}

/** The script's last stdout line parsed as JSON, or why there is none (no python, module missing, script failed). */
export function runReference<T>(script: string, args: string[], needs: string, timeoutMs = 600_000): { ok: true; value: T } | { ok: false; why: string } {
  if (skipped) return { ok: false, why: skipped };
  const path = join(PACKAGE_ROOT, script);
  if (!existsSync(PYTHON) || !existsSync(path)) return { ok: false, why: `no ${PYTHON} or no ${script}` };
  if (spawnSync(PYTHON, ['-c', `import ${needs}`], { stdio: 'ignore' }).status !== 0) return { ok: false, why: `python3 has no ${needs}` };
  const r = spawnSync(PYTHON, [path, ...args], { stdio: ['ignore', 'pipe', 'pipe'], encoding: 'utf8', timeout: timeoutMs, maxBuffer: 64 << 20 });
  if (r.status !== 0) return { ok: false, why: `${script} failed: ${(r.stderr ?? '').trim().split('\n').pop() ?? r.signal ?? ''}` };
  const last = (r.stdout ?? '').trim().split('\n').pop() ?? '';
  try {
    return { ok: true, value: JSON.parse(last) as T };
  } catch {
    return { ok: false, why: `${script} printed no JSON line` };
  }
}
