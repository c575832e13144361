// The Slurm runner against a real Slurm: the one-node cluster scripts/slurm-test-cluster.sh starts on this machine
// (needs `npm run build`: the jobs run bin/eds.js on the node). Jobs really queue, run, stream their progress through
// the shared job folder, get cancelled mid-run and run past their time limit; nothing here reaches beyond this machine.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { REPO } from '../e2e/tmux.js';
import { RunCancelled, slurmRunner } from '../../src/runner/index.js';
import { processesMentioning, requireSlurm, slurmState, slurmStudent, TEST_PARTITION } from '../support/slurm.js';

beforeAll(() => requireSlurm('test/runner/slurm.system.test.ts'));

const EDS = [process.execPath, join(REPO, 'bin', 'eds.js')];

/** `eds …` as the student `env` describes, its output and how long it took. */
function eds(args: string[], env: Record<string, string>, timeout = 240_000) {
  const started = Date.now();
  const r = spawnSync(process.execPath, [join(REPO, 'bin', 'eds.js'), ...args], {
    cwd: REPO,
    encoding: 'utf8',
    timeout,
    env: { ...process.env, ...env, CI: 'false', EDS_USER: 'erin' },
  });
  return { out: r.stdout, err: r.stderr, code: r.status, seconds: (Date.now() - started) / 1000 };
}

/** The keys that measure time, which no two runs share. */
const TIMING = ['seconds_per_epoch'];

function withoutTiming(json: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(json).filter(([k]) => !TIMING.includes(k)));
}

/** A runner for the test partition, its job folders under `jobs`. */
function runner(jobs: string, settings: Record<string, string> = {}) {
  return slurmRunner({ settings: { partition: TEST_PARTITION, ...settings }, jobsDir: jobs, eds: EDS, cwd: REPO, pollMs: 100, statePollMs: 1000 });
}

describe('eds run --slurm', () => {
  it('gives the same numbers as the local run with the same seed, with the job id and node added', () => {
    const { env } = slurmStudent('eds-slurm-cli');
    const args = ['run', 'train', '--dataset', 'digits', '--model', 'cnn', '--epochs', '1', '--json'];
    const local = eds(args, env);
    expect(local.code, local.err).toBe(0);
    const job = eds([...args, '--slurm', '--partition', TEST_PARTITION], env);
    expect(job.code, job.err).toBe(0);
    const a = JSON.parse(local.out) as Record<string, unknown>;
    const b = JSON.parse(job.out) as Record<string, unknown>;
    expect(b.slurm_job_id).toMatch(/^\d+$/);
    expect(b.slurm_node).toEqual(expect.any(String));
    expect(slurmState(String(b.slurm_job_id))).toBe('COMPLETED');
    const { slurm_job_id: _id, slurm_node: _node, ...rest } = b;
    expect(withoutTiming(rest)).toEqual(withoutTiming(a));
    expect(a.accuracy).toEqual(expect.any(Number));
    console.log(`eds run train --epochs 1: local ${local.seconds.toFixed(1)} s, as a Slurm job ${job.seconds.toFixed(1)} s`);
  }, 600_000);

  it('prints the figures the job drew, and its status lines, without --json', () => {
    const { env } = slurmStudent('eds-slurm-cli');
    const r = eds(['run', 'classify', '--dataset', 'iris', '--model', 'knn', '--slurm'], env);
    expect(r.code, r.err).toBe(0);
    expect(r.err).toMatch(/Slurm job \d+ submitted to partition/);
    expect(r.err).toMatch(/Slurm job \d+ running on \S+/);
    expect(r.out).toContain('accuracy');
    expect(r.out).not.toContain('\u001b');
  }, 300_000);

  it('refuses a partition Slurm does not have, in one line, and leaves no job folder', () => {
    const { env } = slurmStudent('eds-slurm-cli');
    const r = eds(['run', 'classify', '--dataset', 'iris', '--slurm', '--partition', 'no-such-partition'], env, 60_000);
    expect(r.code).toBe(1);
    expect(r.err.trim().split('\n')[0]).toMatch(/^eds: Slurm refused the job: .*[Pp]artition/);
    expect(existsSync(env.EDS_SLURM_JOBS!) ? readdirSync(env.EDS_SLURM_JOBS!) : []).toEqual([]);
  }, 120_000);

  it('says in one line why a job failed on its node, with the task’s own message', () => {
    const { env } = slurmStudent('eds-slurm-cli');
    const r = eds(['run', 'classify', '--data', '/nonexistent/table.csv', '--target', 'y', '--slurm'], env);
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/^eds: Slurm job \d+ failed on \S+ with exit code 1:0: .*nonexistent\/table\.csv/m);
    expect(r.err).toContain('its log:');
  }, 300_000);

  it('refuses a misspelt option before anything is submitted', () => {
    const { env } = slurmStudent('eds-slurm-cli');
    const r = eds(['run', 'train', '--epoch', '1', '--slurm'], env, 60_000);
    expect(r.code).toBe(2);
    expect(r.err).toContain('did you mean --epochs');
    expect(existsSync(env.EDS_SLURM_JOBS!) ? readdirSync(env.EDS_SLURM_JOBS!) : []).toEqual([]);
  }, 120_000);

  it('cancels the job when interrupted (Ctrl-C), leaving no process', async () => {
    const { env } = slurmStudent('eds-slurm-cli');
    const child = spawn(process.execPath, [join(REPO, 'bin', 'eds.js'), 'run', 'train', '--model', 'cnn', '--epochs', '30', '--slurm'], {
      cwd: REPO,
      env: { ...process.env, ...env, CI: 'false', EDS_USER: 'erin' },
    });
    let err = '';
    child.stderr.on('data', (d: Buffer) => {
      err += d.toString();
    });
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    const deadline = Date.now() + 120_000;
    while (!/training cnn/.test(err) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
    const id = /Slurm job (\d+)/.exec(err)?.[1];
    expect(id, err).toBeDefined();
    expect(slurmState(id!)).toBe('RUNNING');
    child.kill('SIGINT');
    expect(await exited).toBe(130);
    expect(err).toContain(`Slurm job ${id} cancelled; nothing was recorded`);
    expect(slurmState(id!)).toBe('CANCELLED');
    expect(processesMentioning(` job ${env.EDS_SLURM_JOBS}/`)).toEqual([]);
  }, 300_000);
});

describe('the Slurm runner', () => {
  it('streams the job’s progress while it runs: status, the job’s state, every epoch before the result', async () => {
    const { env } = slurmStudent('eds-slurm-runner');
    const seen: string[] = [];
    const epochs: Array<{ epoch: number; loss: number | undefined; at: number }> = [];
    const states: string[] = [];
    const result = await runner(env.EDS_SLURM_JOBS!).run(
      { task: 'train', options: { model: 'mlp', epochs: 3, hiddenUnits: 16 }, seed: 4, surface: 'cli' },
      {
        onStatus: (m) => seen.push(m),
        onEpochEnd: (epoch, logs) => epochs.push({ epoch, loss: logs.loss, at: Date.now() }),
      },
      { onJob: (job) => states.push(job.state) },
    );
    const ended = Date.now();
    expect(epochs.map((e) => e.epoch)).toEqual([0, 1, 2]);
    for (const e of epochs) expect(e.loss).toEqual(expect.any(Number));
    // Streamed: each epoch was known before the job ended, not read in one go at the end.
    expect(epochs[0]!.at).toBeLessThan(ended);
    expect(new Set(epochs.map((e) => e.at)).size).toBeGreaterThan(1);
    expect(seen.some((m) => /^Slurm job \d+ submitted to partition/.test(m))).toBe(true);
    expect(seen.some((m) => /training mlp/.test(m))).toBe(true);
    expect(states).toContain('RUNNING');
    // The streamed losses are the result's (which rounds them to 5 decimals).
    const history = (result.json.history as { loss: number[] }).loss;
    expect(history).toHaveLength(3);
    history.forEach((loss, i) => expect(loss).toBeCloseTo(epochs[i]!.loss!, 4));
    expect(slurmState(String(result.json.slurm_job_id))).toBe('COMPLETED');
  }, 300_000);

  it('cancels a job mid-run: no process left, no result, its folder gone', async () => {
    const { env } = slurmStudent('eds-slurm-runner');
    const jobs = env.EDS_SLURM_JOBS!;
    const abort = new AbortController();
    let id: string | undefined;
    let epochsSeen = 0;
    let during: string[] = [];
    const run = runner(jobs).run(
      { task: 'train', options: { model: 'cnn', epochs: 40 }, seed: 1, surface: 'cli' },
      {
        onEpochEnd: () => {
          epochsSeen++;
          if (epochsSeen === 1) {
            during = processesMentioning(` job ${jobs}/`);
            abort.abort();
          }
        },
      },
      { signal: abort.signal, onJob: (job) => (id = job.id) },
    );
    await expect(run).rejects.toBeInstanceOf(RunCancelled);
    await expect(run).rejects.toThrow(/Slurm job \d+ cancelled; nothing was recorded/);
    expect(during.length, 'eds ran on the node until cancelled').toBeGreaterThan(0);
    expect(slurmState(id!)).toBe('CANCELLED');
    expect(processesMentioning(` job ${jobs}/`)).toEqual([]);
    expect(readdirSync(jobs)).toEqual([]);
    expect(epochsSeen).toBeLessThan(40);
  }, 300_000);

  it('says a job ran past its time limit in one line, after its progress, and returns no result', async () => {
    const { env } = slurmStudent('eds-slurm-runner');
    const jobs = env.EDS_SLURM_JOBS!;
    let epochsSeen = 0;
    let id: string | undefined;
    // 5 s asked, one minute given (Slurm counts whole minutes, and checks limits every 30 s); 100 CNN epochs take longer.
    const run = runner(jobs, { time: '00:00:05' }).run(
      { task: 'train', options: { model: 'cnn', epochs: 100 }, seed: 2, surface: 'cli' },
      { onEpochEnd: () => epochsSeen++ },
      { onJob: (job) => (id = job.id) },
    );
    await expect(run).rejects.toThrow(/^Slurm job \d+ timed out on \S+: it ran past its time limit of 1 minute/);
    expect(epochsSeen).toBeGreaterThan(0);
    expect(epochsSeen).toBeLessThan(100);
    expect(slurmState(id!)).toBe('TIMEOUT');
    expect(processesMentioning(` job ${jobs}/`)).toEqual([]);
  }, 400_000);
});

describe('eds doctor', () => {
  it('says Slurm answers, the settings in force from the config file, and the partition the student may use', () => {
    const { env, config } = slurmStudent('eds-slurm-doctor', { partition: TEST_PARTITION, time: '00:10:00' });
    const r = eds(['doctor', '--json'], env, 120_000);
    expect(r.code, r.err).toBe(0);
    const slurm = (JSON.parse(r.out) as { slurm: Record<string, unknown> }).slurm as {
      available: boolean;
      enabled: boolean;
      settings: Record<string, string>;
      sources: string[];
      problems: string[];
      partitions: Array<{ name: string; usable: boolean; gres: string[]; nodes: Record<string, number> }>;
    };
    expect(slurm.available).toBe(true);
    expect(slurm.enabled).toBe(true);
    expect(slurm.settings).toEqual({ partition: TEST_PARTITION, time: '00:10:00' });
    expect(slurm.sources).toEqual([join(config, 'eds', 'config.json')]);
    expect(slurm.problems).toEqual([]);
    const p = slurm.partitions.find((x) => x.name === TEST_PARTITION);
    expect(p?.usable).toBe(true);
    expect(Object.values(p?.nodes ?? {}).reduce((a, b) => a + b, 0)).toBeGreaterThanOrEqual(1);
    const human = eds(['doctor'], env, 120_000);
    expect(human.out).toMatch(new RegExp(`partition: +${TEST_PARTITION}.*you may use it`));
  }, 300_000);

  it('names a configured partition the cluster does not have', () => {
    const { env } = slurmStudent('eds-slurm-doctor', { partition: 'no-such-partition' });
    const r = eds(['doctor', '--json'], env, 120_000);
    const slurm = (JSON.parse(r.out) as { slurm: { problems: string[] } }).slurm;
    expect(slurm.problems.join('\n')).toContain('the partition no-such-partition');
  }, 300_000);
});
