// What Slurm's commands print, read: sbatch's job id, a job's state from scontrol (while slurmctld remembers it) or
// sacct (from accounting, after), partitions from sinfo and scontrol, and the one line a student reads when a job
// ends without a result. Pure: text in, plain objects out; every value is bounded and made safe to print.
import { safeLine } from '../util/safe-text.js';

/** A job's state as Slurm reports it. */
export interface JobStatus {
  /** The job id. */
  id: string;
  /** The state word: PENDING, RUNNING, COMPLETING, COMPLETED, FAILED, CANCELLED, TIMEOUT, PREEMPTED, NODE_FAIL… */
  state: string;
  /** Why it waits or how it ended (Priority, Resources, TimeLimit, NonZeroExitCode), when Slurm says; never "None". */
  reason?: string;
  /** The exit code and signal, `1:0`. */
  exitCode?: string;
  /** The node it ran on. */
  node?: string;
  /** Its time limit as Slurm prints it (`00:01:00`, `UNLIMITED`). */
  timeLimit?: string;
}

/** Where a job is in its life. */
export type JobPhase = 'waiting' | 'running' | 'ended';

/** The id sbatch --parsable printed (`12` or `12;cluster`), or null. */
export function parseSbatchId(stdout: string): string | null {
  const m = /^\s*(\d{1,20})(?:;[A-Za-z0-9_.-]+)?\s*$/.exec(stdout);
  return m ? m[1]! : null;
}

/** A state word as Slurm prints it (`CANCELLED by 0`, `RUNNING`), reduced to the word. */
function stateWord(text: string): string {
  return /^[A-Z_]{1,32}/.exec(text.trim())?.[0] ?? 'UNKNOWN';
}

/** A value worth keeping: not Slurm's way of saying there is none. */
function value(text: string | undefined, max = 200): string | undefined {
  if (text === undefined) return undefined;
  const v = safeLine(text.trim(), max);
  return v === '' || /^(None|\(null\)|N\/A|Unknown)$/i.test(v) ? undefined : v;
}

/**
 * A job from `scontrol show job -o ID`: the first `Key=value` of each key wanted. Those keys come before the free
 * text fields (Command=, WorkDir=, paths that could hold spaces and `=`), so a path cannot forge them.
 */
export function parseScontrolJob(text: string): JobStatus | null {
  const line = text.split('\n').find((l) => /^JobId=\d+ /.test(l));
  if (!line) return null;
  const field = (key: string) => new RegExp(`(?:^| )${key}=(\\S*)`).exec(line)?.[1];
  const id = field('JobId')!;
  const status: JobStatus = { id, state: stateWord(field('JobState') ?? '') };
  const reason = value(field('Reason'));
  const exitCode = value(field('ExitCode'), 20);
  const node = value(field('BatchHost'), 256) ?? value(field('NodeList'), 256);
  const timeLimit = value(field('TimeLimit'), 32);
  return { ...status, ...(reason ? { reason } : {}), ...(exitCode ? { exitCode } : {}), ...(node ? { node } : {}), ...(timeLimit ? { timeLimit } : {}) };
}

/** The columns SACCT_FORMAT asks sacct for, in order. */
export const SACCT_FORMAT = 'JobID,State,ExitCode,NodeList,Timelimit,Reason';

/** A job from `sacct -n -P -X -j ID -o SACCT_FORMAT` (fields split at `|`), or null when it is not listed. */
export function parseSacct(text: string, id: string): JobStatus | null {
  for (const line of text.split('\n')) {
    const cells = line.split('|');
    if (cells[0]?.trim() !== id || cells.length < 5) continue;
    const reason = value(cells[5]);
    const exitCode = value(cells[2], 20);
    const node = value(cells[3], 256);
    const timeLimit = value(cells[4], 32);
    return {
      id,
      state: stateWord(cells[1] ?? ''),
      ...(reason ? { reason } : {}),
      ...(exitCode ? { exitCode } : {}),
      ...(node && node !== 'None assigned' ? { node } : {}),
      ...(timeLimit ? { timeLimit } : {}),
    };
  }
  return null;
}

const WAITING = new Set(['PENDING', 'CONFIGURING', 'REQUEUED', 'REQUEUE_FED', 'REQUEUE_HOLD', 'RESV_DEL_HOLD', 'SUSPENDED', 'RESIZING']);
const RUNNING = new Set(['RUNNING', 'COMPLETING', 'STAGE_OUT', 'SIGNALING', 'STOPPED']);

/** Whether a job in `state` waits, runs (or is finishing), or has ended. */
export function phaseOf(state: string): JobPhase {
  if (WAITING.has(state)) return 'waiting';
  if (RUNNING.has(state)) return 'running';
  return 'ended';
}

/** How long a time limit is, in words: `00:01:00` → "1 minute". */
function limitWords(limit: string | undefined): string {
  if (!limit) return '';
  const m = /^(?:(\d+)-)?(\d+):(\d\d):(\d\d)$/.exec(limit);
  if (!m) return ` of ${limit}`;
  const minutes = Number(m[1] ?? 0) * 1440 + Number(m[2]) * 60 + Number(m[3]);
  return minutes >= 120 && minutes % 60 === 0 ? ` of ${minutes / 60} hours` : ` of ${minutes} minute${minutes === 1 ? '' : 's'}`;
}

/**
 * The one line for a job that ended without a result: what happened in Slurm's words, where, and the job's own
 * last error when it wrote one (a task's message is clearer than an exit code).
 */
export function endLine(status: JobStatus, jobError?: string): string {
  const job = `Slurm job ${status.id}`;
  const on = status.node ? ` on ${status.node}` : '';
  const why = status.reason ? ` (${status.reason})` : '';
  const own = jobError ? `: ${safeLine(jobError, 300)}` : '';
  switch (status.state) {
    case 'TIMEOUT':
      return `${job} timed out${on}: it ran past its time limit${limitWords(status.timeLimit)} (Slurm counts --time in whole minutes); ask for more with --time`;
    case 'CANCELLED':
      return `${job} was cancelled${why}`;
    case 'FAILED':
      return `${job} failed${on}${status.exitCode ? ` with exit code ${status.exitCode}` : ''}${own || why}`;
    case 'PREEMPTED':
      return `${job} was pre-empted${on} (a job of higher priority took its place); run it again`;
    case 'NODE_FAIL':
      return `${job} ended: its node${status.node ? ` ${status.node}` : ''} failed; run it again`;
    case 'OUT_OF_MEMORY':
      return `${job} ran out of memory${on}${why}`;
    case 'BOOT_FAIL':
      return `${job} could not start: its node${status.node ? ` ${status.node}` : ''} failed to boot`;
    case 'DEADLINE':
      return `${job} missed its deadline${why}`;
    case 'COMPLETED':
      return `${job} ended${on} without sending its result${own}`;
    default:
      return `${job} ended as ${status.state}${on}${why}${own}`;
  }
}

/** A partition as sinfo lists it, its node lines merged. */
export interface PartitionRow {
  /** Its name (without sinfo's `*` for the default). */
  name: string;
  /** Whether it is the default partition. */
  default: boolean;
  /** up, down, drain or inactive. */
  availability: string;
  /** Its time limit (`infinite`, `1-00:00:00`). */
  timeLimit: string;
  /** Nodes in each state: `{ idle: 3, mixed: 1 }`. */
  nodes: Record<string, number>;
  /** Generic resources its nodes offer (`gpu:a100:4`), each once. */
  gres: string[];
}

/** The format `parseSinfo` reads: partition, availability, time limit, node count, node state, gres. */
export const SINFO_FORMAT = '%P|%a|%l|%D|%T|%G';

/** Partitions from `sinfo -h -o SINFO_FORMAT`, one per name, in the order sinfo lists them. */
export function parseSinfo(text: string): PartitionRow[] {
  const rows = new Map<string, PartitionRow>();
  for (const line of text.split('\n').slice(0, 10_000)) {
    const cells = line.split('|');
    if (cells.length < 6) continue;
    const raw = safeLine(cells[0]!.trim(), 64);
    if (raw === '') continue;
    const name = raw.replace(/\*$/, '');
    const row = rows.get(name) ?? {
      name,
      default: raw.endsWith('*'),
      availability: safeLine(cells[1]!.trim(), 16),
      timeLimit: safeLine(cells[2]!.trim(), 32),
      nodes: {},
      gres: [],
    };
    const count = Number(cells[3]);
    const state = safeLine(cells[4]!.trim().replace(/[*~#!%$@^-]+$/, ''), 32) || 'unknown';
    if (Number.isSafeInteger(count)) row.nodes[state] = (row.nodes[state] ?? 0) + count;
    for (const g of cells[5]!.split(',')) {
      const gres = value(g.replace(/\(.*$/, ''), 64);
      if (gres && !row.gres.includes(gres)) row.gres.push(gres);
    }
    rows.set(name, row);
  }
  return [...rows.values()];
}

/** Who may use a partition, from `scontrol show partition -o`. */
export interface PartitionRules {
  /** Its name. */
  name: string;
  /** Groups allowed (`ALL` for everyone). */
  allowGroups: string[];
  /** Accounts allowed (`ALL`) and refused. */
  allowAccounts: string[];
  denyAccounts: string[];
  /** Only root may submit (RootOnly=YES). */
  rootOnly: boolean;
  /** UP, DOWN, DRAIN, INACTIVE. */
  state: string;
}

/** Partitions' rules, one per `PartitionName=` line. */
export function parsePartitionRules(text: string): PartitionRules[] {
  const out: PartitionRules[] = [];
  for (const line of text.split('\n').slice(0, 1000)) {
    if (!line.startsWith('PartitionName=')) continue;
    const field = (key: string) => new RegExp(`(?:^| )${key}=(\\S*)`).exec(line)?.[1] ?? '';
    const list = (key: string) =>
      field(key)
        .split(',')
        .map((s) => safeLine(s, 64))
        .filter((s) => s !== '' && s !== '(null)');
    out.push({
      name: safeLine(field('PartitionName'), 64),
      allowGroups: list('AllowGroups'),
      allowAccounts: list('AllowAccounts'),
      denyAccounts: list('DenyAccounts'),
      rootOnly: field('RootOnly') === 'YES',
      state: safeLine(field('State'), 16),
    });
  }
  return out;
}

/** Why `who` may not submit to a partition, or null when Slurm's rules let them (accounts are checked when one is named). */
export function partitionRefusal(rules: PartitionRules, who: { uid: number; groups: readonly string[]; account?: string }): string | null {
  if (rules.state !== '' && rules.state !== 'UP') return `the partition is ${rules.state.toLowerCase()}`;
  if (rules.rootOnly && who.uid !== 0) return 'only root may submit to it (RootOnly)';
  const everyone = (list: readonly string[]) => list.length === 0 || list.includes('ALL');
  if (!everyone(rules.allowGroups) && who.uid !== 0 && !who.groups.some((g) => rules.allowGroups.includes(g))) {
    return `only the groups ${rules.allowGroups.join(', ')} may use it, and you are in none of them`;
  }
  if (who.account !== undefined) {
    if (rules.denyAccounts.includes(who.account)) return `the account ${who.account} is refused there (DenyAccounts)`;
    if (!everyone(rules.allowAccounts) && !rules.allowAccounts.includes(who.account)) return `the account ${who.account} is not among its AllowAccounts`;
  }
  return null;
}
