// What `eds doctor` says about Slurm: whether it answers (sinfo), the settings in force and where they come from,
// each partition with its nodes and GPUs and whether this student may submit to it (and why not), and whether the
// jobs folder is somewhere the compute nodes can see.
import { execFile } from 'node:child_process';
import { existsSync, statfsSync } from 'node:fs';
import { dirname } from 'node:path';
import type { SlurmDefaults } from '../course/slurm-defaults.js';
import { networkFilesystemName } from '../store/filesystem.js';
import { safeLine } from '../util/safe-text.js';
import { jobsDir, slurmSetup } from './index.js';
import { parsePartitionRules, parseSinfo, partitionRefusal, SINFO_FORMAT } from './slurm-parse.js';

/** One partition, for the student. */
export interface PartitionReport {
  /** Its name. */
  name: string;
  /** Slurm's default partition. */
  default: boolean;
  /** up, down, drain, inactive. */
  availability: string;
  /** Its time limit as sinfo prints it. */
  time_limit: string;
  /** Its nodes by state. */
  nodes: Record<string, number>;
  /** GPUs and other generic resources its nodes have; empty for none. */
  gres: string[];
  /** Whether this student may submit to it. */
  usable: boolean;
  /** Why not, when not. */
  why_not: string | null;
}

/** The Slurm part of `eds doctor --json`. */
export interface SlurmReport {
  /** Whether sinfo answered. */
  available: boolean;
  /** Why not (sinfo missing, the controller unreachable), or null. */
  reason: string | null;
  /** The Slurm version sinfo reports. */
  version: string | null;
  /** Whether the course or a config file turns Slurm on for the tutor's experiments. */
  enabled: boolean;
  /** The settings in force (course.json's under the config file's). */
  settings: SlurmDefaults;
  /** The files they come from. */
  sources: string[];
  /** What is wrong with those files, or with the settings against the cluster. */
  problems: string[];
  /** The partitions sinfo lists. */
  partitions: PartitionReport[];
  /** Where job folders go, and a note when the compute nodes may not see it. */
  jobs_dir: string;
  jobs_dir_note: string | null;
}

function run(command: string, args: string[], env: NodeJS.ProcessEnv): Promise<{ ok: boolean; stdout: string; stderr: string; missing: boolean }> {
  return new Promise((resolve) => {
    execFile(command, args, { env, timeout: 10_000, maxBuffer: 4 * 1024 * 1024, encoding: 'utf8' }, (err, stdout, stderr) =>
      resolve({
        ok: err === null,
        stdout: String(stdout ?? ''),
        stderr: String(stderr ?? ''),
        missing: (err as NodeJS.ErrnoException | null)?.code === 'ENOENT',
      }),
    );
  });
}

/** Gathers the report; never throws (what fails is said). */
export async function slurmReport(env: NodeJS.ProcessEnv = process.env): Promise<SlurmReport> {
  const setup = slurmSetup(env);
  const dir = jobsDir(env);
  const base: SlurmReport = {
    available: false,
    reason: null,
    version: null,
    enabled: setup.enabled,
    settings: setup.settings,
    sources: setup.sources,
    problems: [...setup.problems],
    partitions: [],
    jobs_dir: dir,
    jobs_dir_note: jobsDirNote(dir),
  };
  const version = await run('sinfo', ['--version'], env);
  if (version.missing) return { ...base, reason: 'sinfo is not on PATH: Slurm is not installed here (or not in your PATH)' };
  const listed = await run('sinfo', ['-h', '-o', SINFO_FORMAT], env);
  if (!listed.ok) return { ...base, reason: `sinfo failed: ${safeLine(listed.stderr.trim().split('\n')[0] ?? '', 300) || 'no output'}` };
  const rules = await run('scontrol', ['-o', 'show', 'partition'], env);
  const ruleOf = new Map(parsePartitionRules(rules.ok ? rules.stdout : '').map((r) => [r.name, r]));
  const groups = (await run('id', ['-Gn'], env)).stdout.trim().split(/\s+/).filter(Boolean);
  const who = { uid: process.getuid?.() ?? -1, groups, ...(setup.settings.account ? { account: setup.settings.account } : {}) };
  const partitions = parseSinfo(listed.stdout).map((p): PartitionReport => {
    const rule = ruleOf.get(p.name);
    const why = p.availability !== 'up' ? `the partition is ${p.availability}` : rule ? partitionRefusal(rule, who) : null;
    return {
      name: p.name,
      default: p.default,
      availability: p.availability,
      time_limit: p.timeLimit,
      nodes: p.nodes,
      gres: p.gres,
      usable: why === null,
      why_not: why,
    };
  });
  const problems = [...base.problems];
  const wanted = setup.settings.partition;
  if (wanted !== undefined) {
    const p = partitions.find((x) => x.name === wanted);
    if (!p) problems.push(`the partition ${wanted} in ${setup.sources.join(', ') || 'the settings'} is not one sinfo lists`);
    else if (!p.usable) problems.push(`you may not use the partition ${wanted}: ${p.why_not}`);
    if (p && setup.settings.gres?.startsWith('gpu') && !p.gres.some((g) => g.startsWith('gpu'))) {
      problems.push(`the settings ask for ${setup.settings.gres}, but the nodes of ${wanted} list no GPUs`);
    }
  }
  return { ...base, available: true, version: safeLine(version.stdout.trim(), 80) || null, partitions, problems };
}

/** Why the compute nodes may not see the jobs folder (a local disk), or null when it is on a network filesystem. */
function jobsDirNote(dir: string): string | null {
  let at = dir;
  while (!existsSync(at) && dirname(at) !== at) at = dirname(at);
  try {
    if (networkFilesystemName(statfsSync(at).type) !== null) return null;
  } catch {
    return null;
  }
  return 'on a local disk: fine on a one-machine cluster, but compute nodes see it only if it is shared (set EDS_SLURM_JOBS to a shared folder)';
}

/** The doctor's lines about Slurm, each `label: value`. */
export function slurmLines(r: SlurmReport): Array<[string, string]> {
  const rows: Array<[string, string]> = [];
  const settings = Object.entries(r.settings)
    .map(([k, v]) => `${k} ${String(v)}`)
    .join(', ');
  if (!r.available) rows.push(['slurm', `not available: ${r.reason}`]);
  else
    rows.push([
      'slurm',
      `${r.version ?? 'available'}; ${r.enabled ? `the tutor runs experiments as jobs (${settings || "Slurm's defaults"})` : 'not enabled for this course (eds run --slurm still works)'}`,
    ]);
  for (const s of r.sources) rows.push(['  settings', s]);
  for (const p of r.partitions) {
    const nodes = Object.entries(p.nodes)
      .map(([state, n]) => `${n} ${state}`)
      .join(', ');
    const gres = p.gres.length > 0 ? p.gres.join(', ') : 'no GPUs';
    rows.push([
      '  partition',
      `${p.name}${p.default ? ' (default)' : ''}: ${p.availability}, nodes ${nodes || 'none'}, ${gres}, time limit ${p.time_limit}; ${p.usable ? 'you may use it' : `not for you: ${p.why_not}`}`,
    ]);
  }
  if (r.available || r.enabled) rows.push(['  jobs', `${r.jobs_dir}${r.jobs_dir_note ? ` (${r.jobs_dir_note})` : ''}`]);
  for (const p of r.problems) rows.push(['  warning', p]);
  return rows;
}
