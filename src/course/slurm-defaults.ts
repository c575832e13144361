// A class's Slurm settings: where students' experiments go when they run them as jobs (partition, GPUs, time, account).
// course.json holds the instructors' defaults (`eds instructor init --slurm-partition …`), a config file a student's or
// the class-wide one; every value is checked here before it can reach an sbatch command line or a job script.
import { UserError } from '../errors.js';
import { safeLine } from '../util/safe-text.js';

/** The Slurm settings of a course or a config file; every field optional (Slurm's own defaults then apply). */
export interface SlurmDefaults {
  /** False turns Slurm off for whoever reads this (a student's own config can say no to the course's). */
  enabled?: boolean;
  /** The partition jobs go to (`sbatch --partition`). */
  partition?: string;
  /** Generic resources per job (`sbatch --gres`), e.g. `gpu:1`. */
  gres?: string;
  /** The time limit per job (`sbatch --time`), in one of Slurm's forms: `10`, `00:10:00`, `1-00:00:00`. */
  time?: string;
  /** The account jobs are charged to (`sbatch --account`). */
  account?: string;
}

/** The fields a `slurm` object may have, in the order they are written. */
export const SLURM_FIELDS = ['enabled', 'partition', 'gres', 'time', 'account'] as const;

/** Partition and account names: Slurm's own characters, bounded. */
const NAME = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/;
/** One generic resource or several: `gpu`, `gpu:2`, `gpu:a100:1`, `gpu:1,shard:2`. */
const GRES = /^[A-Za-z][A-Za-z0-9_]{0,31}(:[A-Za-z0-9_.-]{1,32}){0,2}(,[A-Za-z][A-Za-z0-9_]{0,31}(:[A-Za-z0-9_.-]{1,32}){0,2}){0,7}$/;

/**
 * Seconds in a Slurm time limit, or null when `text` is not one of its forms: minutes, minutes:seconds,
 * hours:minutes:seconds, days-hours, days-hours:minutes, days-hours:minutes:seconds.
 */
export function timeLimitSeconds(text: string): number | null {
  const t = text;
  if (!/^[0-9:-]{1,16}$/.test(t)) return null;
  const days = /^(\d+)-(\d+)(?::(\d+))?(?::(\d+))?$/.exec(t);
  if (days) {
    const [d, h, m, s] = days.slice(1).map((x) => Number(x ?? 0)) as [number, number, number, number];
    return h < 24 && m < 60 && s < 60 ? ((d * 24 + h) * 60 + m) * 60 + s : null;
  }
  const parts = t.split(':');
  if (parts.some((p) => !/^\d+$/.test(p))) return null;
  const n = parts.map(Number);
  if (n.length === 1) return n[0]! * 60;
  if (n.length === 2) return n[1]! < 60 ? n[0]! * 60 + n[1]! : null;
  if (n.length === 3) return n[1]! < 60 && n[2]! < 60 ? (n[0]! * 60 + n[1]!) * 60 + n[2]! : null;
  return null;
}

/** The limit as Slurm enforces it: whole minutes, rounded up (a limit of 5 s runs for up to a minute). */
export function slurmMinutes(seconds: number): number {
  return Math.max(1, Math.ceil(seconds / 60));
}

/** Why one Slurm setting is not acceptable, or null when it is. */
export function slurmSettingProblem(field: Exclude<(typeof SLURM_FIELDS)[number], 'enabled'>, value: string): string | null {
  switch (field) {
    case 'partition':
    case 'account':
      return NAME.test(value) ? null : `${field} must be a Slurm ${field} name (letters, digits, . _ -), got ${JSON.stringify(safeLine(value, 80))}`;
    case 'gres':
      return GRES.test(value) ? null : `gres must be like gpu:1 or gpu:a100:1, got ${JSON.stringify(safeLine(value, 80))}`;
    case 'time': {
      const seconds = timeLimitSeconds(value);
      if (seconds === null) return `time must be minutes, MM:SS, HH:MM:SS or D-HH:MM:SS, got ${JSON.stringify(safeLine(value, 80))}`;
      return seconds === 0 ? 'time must be more than 0' : null;
    }
    default: {
      const unreachable: never = field;
      return unreachable;
    }
  }
}

/**
 * Reads a `slurm` object from a file (course.json, a config file): unknown keys and bad values are a `UserError`
 * naming `where`, since a mistyped partition would otherwise surface as a refused job in every student's lesson.
 */
export function parseSlurmDefaults(value: unknown, where: string): SlurmDefaults {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw new UserError(`${where}: slurm must be an object such as {"partition": "gpu", "gres": "gpu:1", "time": "00:30:00"}`);
  }
  const out: SlurmDefaults = {};
  for (const [key, v] of Object.entries(value as Record<string, unknown>)) {
    if (!(SLURM_FIELDS as readonly string[]).includes(key)) {
      throw new UserError(`${where}: slurm has an unknown key ${JSON.stringify(safeLine(key, 40))} (known: ${SLURM_FIELDS.join(', ')})`);
    }
    if (key === 'enabled') {
      if (typeof v !== 'boolean') throw new UserError(`${where}: slurm.enabled must be true or false`);
      out.enabled = v;
      continue;
    }
    const field = key as Exclude<(typeof SLURM_FIELDS)[number], 'enabled'>;
    const problem = typeof v === 'string' ? slurmSettingProblem(field, v) : `${field} must be a string`;
    if (problem) throw new UserError(`${where}: slurm.${problem}`);
    out[field] = v as string;
  }
  return out;
}

/** The settings in force: each later source's fields over the earlier's (course, then config file, then flags). */
export function mergeSlurmDefaults(...sources: ReadonlyArray<SlurmDefaults | null | undefined>): SlurmDefaults {
  const out: SlurmDefaults = {};
  for (const s of sources) {
    if (!s) continue;
    for (const field of SLURM_FIELDS) if (s[field] !== undefined) (out as Record<string, unknown>)[field] = s[field];
  }
  return out;
}
