// The Slurm settings in force for a student (course.json's, then a config file's), read without loading the runner
// itself: the tutor's start needs them for its status line, and the Slurm runner (zod, the task declarations) loads
// with the first job.
import { join } from 'node:path';
import { resolveCourseDir, resolveSlurmConfig } from '../course/config.js';
import { readCourseSlurm } from '../course/layout.js';
import { mergeSlurmDefaults, type SlurmDefaults } from '../course/slurm-defaults.js';
import { dataHome } from '../store/paths.js';

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

/** The partition jobs go to, in words ("partition gpu", "the default partition"). */
export function slurmWhere(settings: Pick<SlurmDefaults, 'partition'>): string {
  return settings.partition ? `partition ${settings.partition}` : 'the default partition';
}

/** Where a Slurm runner with `settings` sends jobs, in a few words for a status line. */
export function slurmLabel(settings: Pick<SlurmDefaults, 'partition' | 'gres'>): string {
  return `Slurm, ${slurmWhere(settings)}${settings.gres ? `, ${settings.gres}` : ''}`;
}
