// A lesson's training step run as a real Slurm job, in a real terminal at 80x24 (needs the one-node test cluster of
// scripts/slurm-test-cluster.sh): the step says where it runs, the live curves of the job grow on the login side
// while it trains on the node, and the result is recorded with its job id and node. Leaving the step while a job
// runs asks first; y cancels it: no process of it is left, Slurm says CANCELLED, and the step records nothing.
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { existsSync, readdirSync } from 'node:fs';
import { openStore } from '../../src/store/index.js';
import { loadLessons } from '../../src/lessons/index.js';
import { Terminal, sleep } from './tmux.js';
import { processesMentioning, requireSlurm, slurmState, slurmStudent, TEST_PARTITION } from '../support/slurm.js';

const terminals: Terminal[] = [];
afterEach(() => {
  for (const t of terminals.splice(0)) t.stop();
});
beforeAll(() => requireSlurm('test/e2e/slurm.e2e.test.ts'));

const lesson = loadLessons().lessons.find((l) => l.id === 'neural')!;

/** A student at a step of the neural lesson, Slurm enabled by their config file, the tutor open there. */
async function openAt(stepId: string, options: Record<string, string> = {}) {
  const student = slurmStudent('eds-e2e-slurm');
  const at = lesson.steps.findIndex((s) => s.id === stepId);
  const store = openStore({ home: student.env.EDS_HOME!, user: 'erin', env: { EDS_JOURNAL: 'wal' } });
  store.saveStep('neural', stepId, at, Object.keys(options).length > 0 ? { options } : {});
  store.close();
  const t = new Terminal({ ...student.env, EDS_USER: 'erin', TERM: 'xterm-256color', LANG: 'C.UTF-8', CI: 'false' });
  terminals.push(t);
  t.start('node bin/eds.js start neural');
  await t.waitFor(`step ${at + 1}/${lesson.steps.length}`);
  return { t, at, student, state: () => readState(student.env.EDS_HOME!, stepId) };
}

function readState(home: string, stepId: string) {
  const store = openStore({ home, user: 'erin', env: { EDS_JOURNAL: 'wal' } });
  try {
    const progress = store.progress('neural');
    return { state: progress?.states[stepId], completed: progress?.completed.includes(stepId) ?? false };
  } finally {
    store.close();
  }
}

describe('a lesson training step as a Slurm job, at 80x24', () => {
  it('says it runs on Slurm, shows the job and its live curves, and records the result with the job id and node', async () => {
    const { t, state } = await openAt('mlp');
    await t.waitFor(`Runs on: Slurm, partition ${TEST_PARTITION}`);
    await sleep(300);
    t.send('Enter');
    const job = await t.waitFor(/(waiting|running) as Slurm job (\d+)/, 30_000);
    const id = /Slurm job (\d+)/.exec(job)![1]!;
    // The curves of the job, read from its progress file as epochs end on the node: the last loss changes.
    const losses = new Set<string>();
    let screen = t.screen();
    const deadline = Date.now() + 240_000;
    while (!/^ Results$/m.test(screen) && Date.now() < deadline) {
      const loss = /── loss (\d[\d.]*)/.exec(screen)?.[1];
      if (loss && screen.includes(`Slurm job ${id}`)) losses.add(loss);
      await sleep(100);
      screen = t.screen();
    }
    expect(screen).toMatch(/^ Results$/m);
    expect(losses.size, 'last losses seen while the job ran').toBeGreaterThanOrEqual(2);
    const { state: saved, completed } = state();
    expect(completed).toBe(true);
    expect(saved?.results?.slurm_job_id).toBe(id);
    expect(saved?.results?.slurm_node).toEqual(expect.any(String));
    expect(saved?.results?.accuracy).toEqual(expect.any(Number));
    expect(saved?.runs?.at(-1)?.results.slurm_job_id).toBe(id);
    expect(slurmState(id)).toBe('COMPLETED');
  }, 300_000);

  it('asks before leaving a step whose job runs; y cancels it, leaving no process and no result', async () => {
    // Twenty CNN epochs: far longer than the test takes to cancel them, on any machine.
    const { t, state, student } = await openAt('cnn', { model: 'cnn', filters: '8,16', pool: '2', lr: '0.001', batch: '64', epochs: '20' });
    await t.waitFor('Runs on: Slurm');
    await sleep(300);
    t.send('Enter');
    const running = await t.waitFor(/running as Slurm job (\d+)/, 60_000);
    const id = /Slurm job (\d+)/.exec(running)![1]!;
    await t.waitFor(/── loss \d/, 120_000);
    const jobs = student.env.EDS_SLURM_JOBS!;
    // The job's processes: eds (`eds.js job FOLDER`) started by its batch script, the folder under the jobs folder.
    const jobProcesses = () => processesMentioning(` job ${jobs}/`);
    expect(jobProcesses().length, 'the job runs eds on the node').toBeGreaterThan(0);
    t.send('p');
    await t.waitFor(`Slurm job ${id} is still running. y: cancel it`);
    // Esc stays, and the job runs on.
    t.send('Escape');
    await sleep(500);
    expect(t.screen()).not.toContain('is still running. y:');
    expect(slurmState(id)).toBe('RUNNING');
    t.send('p');
    await t.waitFor(`Slurm job ${id} is still running. y: cancel it`);
    t.send('y');
    await t.waitFor(`step ${lesson.steps.findIndex((s) => s.id === 'cnn')}/${lesson.steps.length}`, 60_000);
    expect(slurmState(id)).toBe('CANCELLED');
    expect(jobProcesses()).toEqual([]);
    // Nothing recorded: no results, the step not done, the job's folder gone.
    const { state: saved, completed } = state();
    expect(saved?.results ?? null).toBeNull();
    expect(saved?.runs ?? []).toEqual([]);
    expect(completed).toBe(false);
    expect(existsSync(jobs) ? readdirSync(jobs) : []).toEqual([]);
  }, 300_000);
});
