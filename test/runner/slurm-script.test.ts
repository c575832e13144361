// The batch script and sbatch's command line, as the Slurm runner writes them: checked settings only in #SBATCH
// lines, the command quoted word by word, paths on sbatch's own argv.
import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { batchScript, sbatchArgs } from '../../src/runner/slurm-script.js';

const job = {
  name: 'eds-train',
  settings: { partition: 'gpu', gres: 'gpu:a100:1', time: '00:10:00', account: 'geo-101' },
  command: ['/usr/bin/node', '/opt/eds/bin/eds.js', 'job', '/home/erin/.local/share/eds/slurm-jobs/train-abc'],
  comment: 'eds: the train experiment, seed 3',
};

describe('the batch script', () => {
  it('asks for the settings given, one task on one node, no requeue, and execs the command', () => {
    const script = batchScript(job);
    const lines = script.split('\n');
    expect(lines[0]).toBe('#!/bin/bash');
    expect(lines.filter((l) => l.startsWith('#SBATCH'))).toEqual([
      '#SBATCH --job-name=eds-train',
      '#SBATCH --partition=gpu',
      '#SBATCH --gres=gpu:a100:1',
      '#SBATCH --time=00:10:00',
      '#SBATCH --account=geo-101',
      '#SBATCH --nodes=1',
      '#SBATCH --ntasks=1',
      '#SBATCH --no-requeue',
    ]);
    expect(lines).toContain("exec '/usr/bin/node' '/opt/eds/bin/eds.js' 'job' '/home/erin/.local/share/eds/slurm-jobs/train-abc'");
  });

  it('leaves out the settings not given (Slurm’s defaults apply)', () => {
    const script = batchScript({ ...job, settings: {} });
    expect(script).not.toMatch(/--partition|--gres|--time|--account/);
  });

  it('quotes a command whose words hold spaces, quotes, $ and newlines so bash runs exactly them', () => {
    const odd = ['/bin/printf', '%s|', "it's", 'a b', '$(touch /tmp/x)', 'line\nbreak', '`id`'];
    const script = batchScript({ ...job, command: odd });
    const r = spawnSync('bash', ['-c', script.replace(/^exec /m, '')], { encoding: 'utf8' });
    expect(r.stdout).toBe("it's|a b|$(touch /tmp/x)|line\nbreak|`id`|");
  });

  it('refuses a setting that was not checked rather than write it into an #SBATCH line', () => {
    expect(() => batchScript({ ...job, settings: { partition: 'gpu\n#SBATCH --uid=0' } })).toThrow(/unchecked Slurm setting/);
    expect(() => batchScript({ ...job, settings: { time: '10; rm -rf /' } })).toThrow(/unchecked/);
    expect(() => batchScript({ ...job, name: 'eds train' })).toThrow(/not a plain word/);
  });

  it('keeps a comment with control characters on its one line', () => {
    const script = batchScript({ ...job, comment: 'a\nb\u001b[2J' });
    expect(script.split('\n')[1]).toBe('# a?b?[2J');
  });
});

describe("sbatch's arguments", () => {
  it('put the id alone on stdout and pass paths as arguments, whatever they hold', () => {
    expect(sbatchArgs({ script: '/j/a b/job.sh', output: '/j/a b/job.out', chdir: '/home/erin/my data' })).toEqual([
      '--parsable',
      '--output=/j/a b/job.out',
      '--chdir=/home/erin/my data',
      '/j/a b/job.sh',
    ]);
  });
});
