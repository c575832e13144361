// `eds job DIR`: the compute node's side of `--slurm` (the batch script runs it; not for people, so not in --help).
import type { CommandModule } from 'yargs';
import { UsageError } from '../../errors.js';

interface JobArgs {
  dir?: string;
}

export const jobCommand: CommandModule<object, JobArgs> = {
  command: 'job <dir>',
  describe: false,
  builder: (y) => y.positional('dir', { type: 'string', describe: 'the job folder eds made when it submitted the job' }) as never,
  handler: async (args) => {
    if (!args.dir) throw new UsageError('say which job folder: eds job DIR');
    const { runJob } = await import('../../runner/job.js');
    process.exitCode = await runJob(args.dir);
  },
};
