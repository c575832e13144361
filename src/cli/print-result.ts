// An experiment's result on stdout: its JSON (`--json`), or its figures one after the other, each sized to fit a screen.
import type { ExperimentResult } from '../experiments/types.js';
import type { RenderCaps } from '../render/caps.js';

/** The size each figure is drawn at: at most one screen, less its title line, so a table and a plot fit a 24-row terminal one after the other. */
export async function figureCaps(): Promise<RenderCaps> {
  const { detectCaps } = await import('../render/caps.js');
  const caps = detectCaps();
  return { ...caps, height: Math.max(8, Math.min(caps.height - 2, 30)) };
}

/** Prints `result` as JSON or as titled figures drawn for this terminal. */
export async function printResult(result: Pick<ExperimentResult, 'json' | 'figures'>, json: boolean): Promise<void> {
  if (json) {
    process.stdout.write(JSON.stringify(result.json, null, 2) + '\n');
    return;
  }
  const caps = await figureCaps();
  for (const figure of result.figures) process.stdout.write(`\n${figure.title}\n${figure.render(caps)}\n`);
}
