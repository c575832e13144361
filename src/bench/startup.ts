// Start-up, as a student feels it (issue 19): launch to the course map drawn in an 80×24 pseudo-terminal, and
// `eds --version`, each against plain Node measured alternately in the same run.
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { median } from '../util/stats.js';
import { PACKAGE_ROOT } from '../version.js';
import type { BenchRow } from './row.js';
import { timeRatio, type BenchOptions } from './workload.js';

/** Words the course map shows (its title line). */
const MAP_MARKER = 'course map';
/** Launches timed for the first frame, and for `--version`. */
const LAUNCHES = 10;
/** A launch that has not drawn after this long has failed. */
const LAUNCH_TIMEOUT_MS = 30_000;

/** Whether `script` (util-linux) is here to give a pseudo-terminal. */
function hasScript(): boolean {
  return spawnSync('script', ['--version'], { stdio: 'ignore' }).status === 0;
}

/**
 * Seconds from spawning `command` in a fresh 80×24 pseudo-terminal (`script -qfec`) to `marker` in what it drew.
 * The process is killed once it is seen.
 */
export function timeToMarker(command: string, env: NodeJS.ProcessEnv, marker = MAP_MARKER): Promise<number> {
  return new Promise((resolve, reject) => {
    const t0 = performance.now();
    const child = spawn('script', ['-qfec', `stty cols 80 rows 24; exec ${command}`, '/dev/null'], {
      cwd: PACKAGE_ROOT,
      env,
      stdio: ['pipe', 'pipe', 'ignore'],
    });
    let seen = '';
    let done = false;
    const finish = (err: Error | null, seconds = 0): void => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      child.kill('SIGKILL');
      if (err) reject(err);
      else resolve(seconds);
    };
    const timer = setTimeout(() => finish(new Error(`${command}: nothing drawn after ${LAUNCH_TIMEOUT_MS / 1000} s`)), LAUNCH_TIMEOUT_MS);
    child.stdout.setEncoding('utf8').on('data', (text: string) => {
      // Only the last few hundred characters can hold the start of a marker not yet seen whole.
      seen = (seen + text).slice(-4096);
      if (seen.includes(marker)) finish(null, (performance.now() - t0) / 1000);
    });
    child.on('error', (err) => finish(err));
    child.on('exit', () => setTimeout(() => finish(new Error(`${command} ended before drawing "${marker}": ${seen.slice(-200)}`)), 100));
  });
}

/** The environment of a student's launch: their own store (already created), a terminal, no course directory. */
function studentEnv(home: string): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, EDS_HOME: home, EDS_USER: 'bench', TERM: 'xterm-256color', LANG: 'C.UTF-8' };
  for (const key of ['EDS_COURSE_DIR', 'EDS_LESSONS_DIR', 'EDS_JOURNAL', 'CI']) delete env[key];
  return env;
}

/** Seconds of one run of `node args` to its end. */
function timeNode(args: string[]): number {
  const t0 = performance.now();
  const r = spawnSync(process.execPath, args, { cwd: PACKAGE_ROOT, stdio: ['ignore', 'ignore', 'pipe'], encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`node ${args.join(' ')} failed: ${(r.stderr ?? '').trim().split('\n').pop() ?? ''}`);
  return (performance.now() - t0) / 1000;
}

/** The first frame and `eds --version`, each against plain Node, launched alternately. */
export async function startupRows(options: BenchOptions): Promise<BenchRow[]> {
  const rows: BenchRow[] = [];
  const bin = join(PACKAGE_ROOT, 'bin', 'eds.js');
  if (!hasScript()) {
    options.progress('first frame: not measured (no script(1) for a pseudo-terminal; it is in util-linux)');
  } else {
    options.progress(`first frame: ${LAUNCHES} launches of eds and of node, alternately`);
    const home = mkdtempSync(join(tmpdir(), 'eds-bench-home-'));
    try {
      const env = studentEnv(home);
      const eds = `${JSON.stringify(process.execPath)} ${JSON.stringify(bin)}`;
      const plain = `${JSON.stringify(process.execPath)} -e ${JSON.stringify(`process.stdout.write(${JSON.stringify(MAP_MARKER)})`)}`;
      // A student's store exists after their first start: that start is not timed.
      await timeToMarker(eds, env);
      const mine: number[] = [];
      const node: number[] = [];
      for (let i = 0; i < LAUNCHES; i++) {
        mine.push(await timeToMarker(eds, env));
        node.push(await timeToMarker(plain, env));
      }
      const m = median(mine);
      const ref = median(node);
      rows.push({
        workload: 'first frame: launch to the course map, 80×24 terminal',
        eds: m,
        reference: ref,
        referenceName: 'node printing the same words in the same terminal',
        unit: 's',
        ratio: timeRatio(m, ref),
        goal: '≤ 0.3 s',
        met: m <= 0.3,
        how: `median of ${LAUNCHES} launches in script(1)'s pseudo-terminal, alternating with the reference (range ${Math.min(...mine).toFixed(2)}–${Math.max(...mine).toFixed(2)} s)`,
      });
    } finally {
      rmSync(home, { recursive: true, force: true });
    }
  }
  options.progress(`eds --version: ${LAUNCHES + 1} runs of it and of node -e 0, alternately`);
  timeNode([bin, '--version']);
  const version: number[] = [];
  const empty: number[] = [];
  for (let i = 0; i < LAUNCHES + 1; i++) {
    version.push(timeNode([bin, '--version']));
    empty.push(timeNode(['-e', '0']));
  }
  const v = median(version);
  const e = median(empty);
  const ratio = timeRatio(v, e);
  rows.push({
    workload: 'eds --version',
    eds: v,
    reference: e,
    referenceName: 'node -e 0',
    unit: 's',
    ratio,
    goal: '≤ 1.5× node -e 0',
    met: ratio === null ? null : ratio <= 1.5,
    how: `median of ${LAUNCHES + 1} runs, alternating with the reference`,
  });
  return rows;
}
