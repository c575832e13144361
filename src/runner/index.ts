// Choosing a runner: here, or Slurm with the settings in force (course.json's, then a config file's, then flags).
import { join } from 'node:path';
import type { SlurmDefaults } from '../course/slurm-defaults.js';
import { PACKAGE_ROOT } from '../version.js';
import { jobsDir } from './setup.js';
import { slurmRunner } from './slurm.js';
import type { Runner } from './types.js';

export { localRunner, runHere } from './local.js';
export { jobsDir, type SlurmSetup, slurmLabel, slurmSetup } from './setup.js';
export { RunCancelled, slurmRunner } from './slurm.js';
export type { JobInfo, RunControl, RunRequest, RunSurface, Runner } from './types.js';

/** A Slurm runner with `settings`, starting on the node the same node.js and eds that run here. */
export function makeSlurmRunner(settings: SlurmDefaults, env: NodeJS.ProcessEnv = process.env): Runner {
  const { enabled: _, ...given } = settings;
  return slurmRunner({
    settings: given,
    jobsDir: jobsDir(env),
    eds: [process.execPath, join(PACKAGE_ROOT, 'bin', 'eds.js')],
    cwd: process.cwd(),
    env,
  });
}
