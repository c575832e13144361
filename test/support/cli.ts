// Runs `eds` in this process with its output captured: for CLI tests that need no real terminal.
import { vi } from 'vitest';
import { main } from '../../src/cli/main.js';

/** The command's stdout, stderr and exit code. */
export interface CliRun {
  out: string;
  err: string;
  code: number;
}

/** Runs `eds <args>` and captures what it writes; process.exitCode is reset afterwards. */
export async function runCli(args: string[]): Promise<CliRun> {
  let out = '';
  let err = '';
  const o = vi.spyOn(process.stdout, 'write').mockImplementation((c: string | Uint8Array) => {
    out += String(c);
    return true;
  });
  const e = vi.spyOn(process.stderr, 'write').mockImplementation((c: string | Uint8Array) => {
    err += String(c);
    return true;
  });
  process.exitCode = undefined;
  try {
    await main(args);
    return { out, err, code: Number(process.exitCode ?? 0) };
  } finally {
    o.mockRestore();
    e.mockRestore();
    process.exitCode = undefined;
  }
}
