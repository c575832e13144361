// The Slurm the runner's tests submit to: a real one answering on this machine (scripts/slurm-test-cluster.sh starts
// a one-node cluster; .ci/run does). Without one these tests fail, saying so, locally and under CI alike: a test of
// the Slurm runner that passes without Slurm proves nothing.
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { underCi } from './golden.js';

/** The partition the test cluster has (scripts/slurm-test-cluster.sh). */
export const TEST_PARTITION = process.env.EDS_SLURM_TEST_PARTITION ?? 'debug';

/** Why no usable Slurm answers here, or null when a partition has a node up. */
export function slurmMissing(): string | null {
  const r = spawnSync('sinfo', ['-h', '-p', TEST_PARTITION, '-o', '%T'], { encoding: 'utf8', timeout: 15_000 });
  if (r.error) return `sinfo cannot run (${(r.error as NodeJS.ErrnoException).code ?? r.error.message}): Slurm is not installed`;
  if (r.status !== 0) return `sinfo failed: ${r.stderr.trim().split('\n')[0]}`;
  const states = r.stdout.split('\n').filter(Boolean);
  if (!states.some((s) => /^(idle|mixed|allocated|completing)/.test(s)))
    return `partition ${TEST_PARTITION} has no node up (${states.join(', ') || 'no nodes'})`;
  return null;
}

/** Throws, failing the suite, when there is no Slurm to test against (never a skip: see the file's first comment). */
export function requireSlurm(file: string): void {
  const missing = slurmMissing();
  if (missing === null) return;
  const how = 'start the one-node test cluster first: sudo scripts/slurm-test-cluster.sh';
  throw new Error(`${file} submits real Slurm jobs, and ${missing}. ${underCi() ? `CI must run ${how} (.ci/run does)` : how}`);
}

/** A student's eds home and config on this machine, with Slurm enabled by their config file for the test partition. */
export function slurmStudent(
  prefix: string,
  slurm: Record<string, unknown> = { partition: TEST_PARTITION },
): { home: string; config: string; env: Record<string, string> } {
  const home = mkdtempSync(join(tmpdir(), `${prefix}-`));
  const config = join(home, 'config');
  mkdirSync(join(config, 'eds'), { recursive: true });
  writeFileSync(join(config, 'eds', 'config.json'), JSON.stringify({ slurm }));
  return { home, config, env: { EDS_HOME: join(home, 'eds'), XDG_CONFIG_HOME: config, EDS_SLURM_JOBS: join(home, 'jobs') } };
}

/** The processes whose command line mentions `text` (a job folder), as `pid command` lines; this test's own excluded. */
export function processesMentioning(text: string): string[] {
  const out = execFileSync('ps', ['-eo', 'pid=,args='], { encoding: 'utf8' });
  return out
    .split('\n')
    .filter((l) => l.includes(text) && !l.includes(' ps -eo'))
    .map((l) => l.trim());
}

/** The state Slurm reports for a job (scontrol, while it remembers the job), or null. */
export function slurmState(id: string): string | null {
  const r = spawnSync('scontrol', ['-o', 'show', 'job', id], { encoding: 'utf8', timeout: 15_000 });
  return r.status === 0 ? (/JobState=(\S+)/.exec(r.stdout)?.[1] ?? null) : null;
}
