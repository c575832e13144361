// Choosing a runner: here, or Slurm with the settings in force (course.json's, then a config file's, then flags).
import { join } from 'node:path';
import { resolveCourseDir, resolveSlurmConfig } from '../course/config.js';
import { readCourseSlurm } from '../course/layout.js';
import { mergeSlurmDefaults, type SlurmDefaults } from '../course/slurm-defaults.js';
import { dataHome } from '../store/paths.js';
import { PACKAGE_ROOT } from '../version.js';
import { slurmRunner } from './slurm.js';
import type { Runner } from './types.js';

export { localRunner, runHere } from './local.js';
export { RunCancelled, slurmRunner } from './slurm.js';
export type { JobInfo, RunControl, RunRequest, RunSurface, Runner } from './types.js';

/** The Slurm settings a student's eds would use, where they come from, and whether they turn Slurm on. */
export interface SlurmSetup {
  /** The settings merged: course.json's under the config file's. */
  settings: SlurmDefaults;
  /** True when course.json or a config file asks for Slurm (and none says `"enabled": false`). */
  enabled: boolean;
  /** Where the settings came from (course.json's path, the config file's). */
  sources: string[];
  /** What could not be read (a damaged course.json, a config file with a bad partition name). */
  problems: string[];
}

/** Reads the Slurm settings in force for this student; never throws (a problem is said, and Slurm stays off). */
export function slurmSetup(env: NodeJS.ProcessEnv = process.env): SlurmSetup {
  const problems: string[] = [];
  const sources: string[] = [];
  let course: SlurmDefaults | null = null;
  let config: SlurmDefaults | null = null;
  try {
    const dir = resolveCourseDir(env);
    if (dir) {
      const read = readCourseSlurm(dir.dir);
      if (read.problem) problems.push(read.problem);
      if (read.slurm) {
        course = read.slurm;
        sources.push(join(dir.dir, 'course.json'));
      }
    }
  } catch (err) {
    problems.push(err instanceof Error ? err.message : String(err));
  }
  try {
    const found = resolveSlurmConfig(env);
    if (found) {
      config = found.slurm;
      sources.push(found.source);
    }
  } catch (err) {
    problems.push(err instanceof Error ? err.message : String(err));
  }
  const settings = mergeSlurmDefaults(course, config);
  const enabled = problems.length === 0 && (course !== null || config !== null) && settings.enabled !== false;
  delete settings.enabled;
  return { settings, enabled, sources, problems };
}

/** Where job folders go: $EDS_SLURM_JOBS, else `slurm-jobs` in the student's data directory (usually their shared home). */
export function jobsDir(env: NodeJS.ProcessEnv = process.env): string {
  return env.EDS_SLURM_JOBS?.startsWith('/') ? env.EDS_SLURM_JOBS : join(dataHome(env), 'slurm-jobs');
}

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
