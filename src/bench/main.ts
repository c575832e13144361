// `npm run bench`: every workload of WORKLOADS in turn, one table of rows (row.ts: workload, eds, reference, ratio,
// goal, met), or the same rows as JSON with `--json`. Flags: --json, --no-torch (no Python reference runs: PyTorch, SciPy),
// --big-class (also report a 1 GiB class, for its memory), --only=WORDS (the workloads whose name holds WORDS,
// e.g. --only=start). A workload module adds itself with one line below.
import { availableParallelism, cpus, loadavg, totalmem } from 'node:os';
import { pathToFileURL } from 'node:url';
import { classReportRows } from './class-report.js';
import { classicalRows } from './classical.js';
import { gradingRows } from './grading.js';
import { backendRows } from './backends.js';
import { lidarExactRows } from './lidar-exact.js';
import { phasenetInferenceRows } from './phasenet-inference.js';
import { skipReferences } from './python.js';
import type { BenchRow } from './row.js';
import { startupRows } from './startup.js';
import { trainingRows } from './training.js';
import type { BenchOptions, Workload } from './workload.js';

/** Every workload, in the order they run (the quick ones first, so a broken bench fails early). */
const WORKLOADS: ReadonlyArray<{ name: string; run: Workload }> = [
  { name: 'start-up', run: startupRows },
  { name: 'instructor report', run: classReportRows },
  { name: 'grading', run: gradingRows },
  { name: 'classical models and lidar', run: classicalRows },
  { name: 'lidar features against SciPy', run: lidarExactRows },
  { name: 'PhaseNet inference against PyTorch', run: phasenetInferenceRows },
  { name: 'network training against PyTorch', run: trainingRows },
  { name: 'training on each backend', run: backendRows },
];

/** The machine the figures come from, as the README quotes it. */
function machine(): Record<string, string | number> {
  return {
    node: process.versions.node,
    cores: availableParallelism(),
    cpu: cpus()[0]?.model?.trim() ?? '?',
    memory_gib: Math.round(totalmem() / 2 ** 30),
    load_average: Math.round(loadavg()[0]! * 10) / 10,
    date: new Date().toISOString().slice(0, 10),
  };
}

/** A figure in its unit, to three significant digits (no exponent). */
export function formatFigure(value: number | null, unit: string): string {
  if (value === null || !Number.isFinite(value)) return '-';
  const digits = Math.abs(value) >= 100 ? 0 : Math.abs(value) >= 10 ? 1 : Math.abs(value) >= 1 ? 2 : 3;
  return `${value.toFixed(digits)} ${unit}`;
}

/** The rows as a text table: workload, eds, reference, ratio, goal, met; each row's reference and method under it. */
export function formatTable(rows: readonly BenchRow[]): string {
  const cells = rows.map((r) => [
    r.workload,
    formatFigure(r.eds, r.unit),
    formatFigure(r.reference, r.unit),
    r.ratio === null ? '-' : `${r.ratio.toFixed(2)}×`,
    r.goal || '-',
    r.met === null ? '-' : r.met ? 'yes' : 'NO',
  ]);
  const header = ['workload', 'eds', 'reference', 'ratio', 'goal', 'met'];
  const widths = header.map((h, i) => Math.max(h.length, ...cells.map((c) => c[i]!.length)));
  const line = (c: string[]) =>
    c
      .map((x, i) => (i === 0 || i === 4 ? x.padEnd(widths[i]!) : x.padStart(widths[i]!)))
      .join('  ')
      .trimEnd();
  const out = [line(header), line(widths.map((w) => '-'.repeat(w)))];
  rows.forEach((r, i) => {
    out.push(line(cells[i]!));
    out.push(`    reference: ${r.referenceName}; ${r.how}`);
  });
  return `${out.join('\n')}\n`;
}

async function main(): Promise<void> {
  const flags = new Set(process.argv.slice(2));
  const json = flags.has('--json');
  const options: BenchOptions = { flags, progress: (line) => process.stderr.write(`bench: ${line}\n`) };
  if (flags.has('--no-torch')) skipReferences('--no-torch');
  const rows: BenchRow[] = [];
  const failures: Array<{ workload: string; error: string }> = [];
  const only = [...flags].find((f) => f.startsWith('--only='))?.slice('--only='.length);
  for (const w of WORKLOADS) {
    if (only !== undefined && !w.name.includes(only)) continue;
    try {
      for (const row of await w.run(options)) rows.push(row);
    } catch (err) {
      // One broken workload does not lose the others' figures; it is said in the table's notes and in the JSON.
      failures.push({ workload: w.name, error: err instanceof Error ? err.message : String(err) });
      options.progress(`${w.name} failed: ${failures.at(-1)!.error}`);
    }
  }
  const m = machine();
  if (json) {
    process.stdout.write(`${JSON.stringify({ machine: m, rows, failures }, null, 2)}\n`);
  } else {
    process.stdout.write(
      `eds bench: Node ${m.node}, ${m.cores} cores (${m.cpu}), ${m.memory_gib} GiB, load average ${m.load_average} at the end, ${m.date}\n\n`,
    );
    process.stdout.write(formatTable(rows));
    for (const f of failures) process.stdout.write(`\n${f.workload}: not measured (${f.error})\n`);
  }
  if (failures.length > 0) process.exitCode = 1;
}

// Run as a program (`node dist/bench/main.js`), not when a test imports the table's formatting.
if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  main().catch((err: unknown) => {
    process.stderr.write(`bench failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
    process.exitCode = 1;
  });
}
