// The batch script a Slurm run submits, and sbatch's command line: pure, so what reaches the scheduler can be read
// in a test. Settings go in #SBATCH lines only once checked (course/slurm-defaults.ts), since sbatch reads those
// lines without a shell's quoting; paths (which may hold anything) go on sbatch's own argv, and the one command the
// script runs is quoted word by word.
import { slurmSettingProblem, type SlurmDefaults } from '../course/slurm-defaults.js';
import { shellQuote } from '../util/shell-quote.js';

/** What a job is and runs. */
export interface BatchJob {
  /** The job's name in squeue (`eds-train`): letters, digits, `.`, `_`, `-`. */
  name: string;
  /** Partition, GPUs, time limit and account; absent ones are left to Slurm's defaults. */
  settings: SlurmDefaults;
  /** The command the job runs, one word each (`node`, `…/bin/eds.js`, `job`, the job's folder). */
  command: readonly string[];
  /** A line saying what this is, for an administrator reading the script (`scontrol write batch_script`). */
  comment: string;
}

/** The batch script. Throws on a setting that was not checked first, rather than writing it into a #SBATCH line. */
export function batchScript(job: BatchJob): string {
  if (!/^[A-Za-z0-9_.-]{1,64}$/.test(job.name)) throw new Error(`job name ${JSON.stringify(job.name)} is not a plain word`);
  const lines = ['#!/bin/bash', `# ${job.comment.replace(/[^\x20-\x7e]/g, '?')}`, `#SBATCH --job-name=${job.name}`];
  for (const field of ['partition', 'gres', 'time', 'account'] as const) {
    const value = job.settings[field];
    if (value === undefined) continue;
    const problem = slurmSettingProblem(field, value);
    if (problem) throw new Error(`unchecked Slurm setting: ${problem}`);
    lines.push(`#SBATCH --${field}=${value}`);
  }
  // One task on one node; not requeued after a pre-emption or a node failure: the student is told, and runs again.
  lines.push('#SBATCH --nodes=1', '#SBATCH --ntasks=1', '#SBATCH --no-requeue');
  // exec: eds is the job's process, so scancel's and the time limit's signals reach it directly.
  lines.push('', `exec ${job.command.map(shellQuote).join(' ')}`, '');
  return lines.join('\n');
}

/** sbatch's arguments: the job id alone on stdout (--parsable), its log and working directory, then the script. */
export function sbatchArgs(paths: { script: string; output: string; chdir: string }): string[] {
  return ['--parsable', `--output=${paths.output}`, `--chdir=${paths.chdir}`, paths.script];
}
