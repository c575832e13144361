// The runner's flags on `eds run`: the same for every task, never a task's own option, and only with --slurm.
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO } from '../e2e/tmux.js';
import { RUNNER_FLAGS } from '../../src/cli/commands/run.js';
import { kebabCase } from '../../src/tasks/declare.js';
import { TASKS } from '../../src/tasks/declarations.js';
import { runCli } from '../support/cli.js';

describe('the runner flags of eds run', () => {
  it('are no task’s option (a task option named time or partition would be shadowed)', () => {
    for (const [name, task] of Object.entries(TASKS)) {
      const flags = Object.keys(task.options.shape).map(kebabCase);
      expect(
        flags.filter((f) => f in RUNNER_FLAGS),
        name,
      ).toEqual([]);
    }
  });

  it('are Slurm settings: without --slurm they are refused, saying so', async () => {
    const r = await runCli(['run', 'classify', '--dataset', 'iris', '--partition', 'gpu']);
    expect(r.code).toBe(2);
    expect(r.err).toContain('--partition is a Slurm setting: add --slurm');
  });

  it('are checked before anything is submitted', async () => {
    const r = await runCli(['run', 'classify', '--dataset', 'iris', '--slurm', '--time', 'soon']);
    expect(r.code).toBe(2);
    expect(r.err).toContain('--time must be minutes, MM:SS, HH:MM:SS or D-HH:MM:SS, got "soon"');
  });

  it('are listed in a task’s help and the general one, in their own group', () => {
    for (const args of [
      ['run', 'train', '--help'],
      ['run', '--help'],
    ]) {
      const r = spawnSync(process.execPath, [join(REPO, 'bin', 'eds.js'), ...args], { encoding: 'utf8', env: { ...process.env, COLUMNS: '100' } });
      expect(r.stdout, args.join(' ')).toContain('Where it runs:');
      for (const flag of Object.keys(RUNNER_FLAGS)) expect(r.stdout).toContain(`--${flag}`);
    }
  });
});
