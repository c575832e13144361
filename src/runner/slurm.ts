// The Slurm runner: an experiment becomes a batch job. It writes the job's folder on the shared filesystem (what to
// run, an empty progress file, the batch script), submits it with sbatch, follows the progress file the job appends
// to while asking Slurm how the job stands, and returns the job's result with its job id and node added. Cancelling
// is scancel; a job that ends without a result (failed, cancelled, timed out, pre-empted) is one line in Slurm's words.
import { execFile } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { UserError } from '../errors.js';
import type { ExperimentCallbacks, ExperimentResult, Figure } from '../experiments/types.js';
import type { SlurmDefaults } from '../course/slurm-defaults.js';
import { checkTaskOptions } from '../tasks/index.js';
import { safeLine } from '../util/safe-text.js';
import { displayWidth } from '../util/text.js';
import type { FigureText, JobEvent } from './job-events.js';
import { JOB_FILE, LOG_FILE, PROGRESS_FILE, SCRIPT_FILE, jobSpec } from './job.js';
import { ProgressTail } from './progress-file.js';
import { endLine, parseSacct, parseSbatchId, parseScontrolJob, phaseOf, SACCT_FORMAT, type JobStatus } from './slurm-parse.js';
import { slurmLabel, slurmWhere } from './setup.js';
import { batchScript, sbatchArgs } from './slurm-script.js';
import type { JobInfo, RunControl, RunRequest, Runner } from './types.js';

/** A run the student cancelled: nothing is recorded. Exit code 130, as for an interrupted command. */
export class RunCancelled extends UserError {
  constructor(message: string) {
    super(message, { exitCode: 130 });
    this.name = 'RunCancelled';
  }
}

/** How a Slurm runner submits and follows jobs. */
export interface SlurmRunnerOptions {
  /** Partition, GPUs, time limit and account (checked settings: course, config file, flags merged). */
  settings: SlurmDefaults;
  /** Where each job's folder is made; it must be on a filesystem the compute nodes share. */
  jobsDir: string;
  /** The command that starts eds on the node: node's path and bin/eds.js. */
  eds: readonly string[];
  /** The job's working directory (relative paths in options mean the same there): the caller's. */
  cwd: string;
  /** The environment sbatch and the other Slurm commands run with (sbatch passes it on to the job). */
  env?: NodeJS.ProcessEnv;
  /** How often the progress file is read (ms). */
  pollMs?: number;
  /** How often Slurm is asked about the job while its progress says nothing new (ms). */
  statePollMs?: number;
}

/** A Slurm command's outcome. */
interface Ran {
  ok: boolean;
  stdout: string;
  stderr: string;
}

/** Runs one Slurm command (no shell), at most 30 s, its output bounded. */
function slurm(command: string, args: readonly string[], env?: NodeJS.ProcessEnv): Promise<Ran> {
  return new Promise((resolve) => {
    execFile(command, [...args], { env: env ?? process.env, timeout: 30_000, maxBuffer: 4 * 1024 * 1024, encoding: 'utf8' }, (err, stdout, stderr) => {
      const missing = (err as NodeJS.ErrnoException | null)?.code === 'ENOENT';
      resolve({
        ok: err === null,
        stdout: String(stdout ?? ''),
        stderr: missing ? `${command} not found on PATH` : String(stderr ?? '') || (err?.message ?? ''),
      });
    });
  });
}

/** The first line of a command's complaint, safe to print. */
function firstLine(text: string): string {
  return safeLine(text.trim().split('\n')[0] ?? '', 300).replace(/^(sbatch|scancel|scontrol): (error: )?/, '');
}

/** A job's state: from slurmctld while it remembers the job, else from accounting; null when neither knows it. */
export async function jobStatus(id: string, env?: NodeJS.ProcessEnv): Promise<JobStatus | null> {
  const shown = await slurm('scontrol', ['-o', 'show', 'job', id], env);
  const fromController = shown.ok ? parseScontrolJob(shown.stdout) : null;
  if (fromController) return fromController;
  const accounted = await slurm('sacct', ['-n', '-P', '-X', '-j', id, '-o', SACCT_FORMAT], env);
  return accounted.ok ? parseSacct(accounted.stdout, id) : null;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** A figure the job drew as text: shown as drawn, cut to the space the caller has. */
function textFigure(f: FigureText): Figure {
  return {
    title: f.title,
    ...(f.tall ? { tall: true } : {}),
    render: (caps) =>
      f.text
        .split('\n')
        .slice(0, Math.max(1, caps.height))
        .map((line) => (displayWidth(line) <= caps.width ? line : [...line].slice(0, caps.width).join('')))
        .join('\n'),
  };
}

/** The folder a job's files go in: a fresh one under `jobsDir`, private to the student. */
function jobFolder(jobsDir: string, task: string): string {
  mkdirSync(jobsDir, { recursive: true, mode: 0o700 });
  const dir = mkdtempSync(join(jobsDir, `${task.replace(/[^A-Za-z0-9_-]/g, '_')}-`));
  chmodSync(dir, 0o700);
  // sbatch reads % in --output as a pattern (%j, %u…): a folder whose path holds one would log elsewhere.
  if (dir.includes('%')) {
    rmSync(dir, { recursive: true, force: true });
    throw new UserError(`the Slurm jobs folder ${safeLine(jobsDir)} has a % in its path, which sbatch would read as a pattern`, {
      hint: 'set EDS_SLURM_JOBS to a folder without % on a filesystem the compute nodes share',
    });
  }
  return dir;
}

/** The runner that submits experiments to Slurm. */
export function slurmRunner(options: SlurmRunnerOptions): Runner {
  const { settings, env } = options;
  const pollMs = options.pollMs ?? 250;
  const statePollMs = options.statePollMs ?? 2000;
  const where = slurmWhere(settings);
  return {
    kind: 'slurm',
    label: slurmLabel(settings),
    run: (request, callbacks = {}, control = {}) => submitAndFollow(request, callbacks, control),
  };

  async function submitAndFollow(request: RunRequest, callbacks: ExperimentCallbacks, control: RunControl): Promise<ExperimentResult> {
    // Options are checked here, at once: a misspelt option is not worth a place in the queue.
    checkTaskOptions(request.task, request.options, request.surface === 'cli' ? 'cli' : 'lesson');
    if (control.signal?.aborted) throw new RunCancelled('cancelled before it was submitted');
    const dir = jobFolder(options.jobsDir, request.task);
    const spec = jobSpec(request);
    writeFileSync(join(dir, JOB_FILE), JSON.stringify(spec), { mode: 0o600, flag: 'wx' });
    writeFileSync(join(dir, PROGRESS_FILE), '', { mode: 0o600, flag: 'wx' });
    const script = batchScript({
      name: `eds-${request.task.replace(/[^A-Za-z0-9_.-]/g, '_')}`.slice(0, 64),
      settings,
      command: [...options.eds, 'job', dir],
      comment: `eds: the ${request.task} experiment, seed ${request.seed}, run on a compute node; progress in ${PROGRESS_FILE} beside this script`,
    });
    writeFileSync(join(dir, SCRIPT_FILE), script, { mode: 0o700, flag: 'wx' });
    const submitted = await slurm('sbatch', sbatchArgs({ script: join(dir, SCRIPT_FILE), output: join(dir, LOG_FILE), chdir: options.cwd }), env);
    const id = submitted.ok ? parseSbatchId(submitted.stdout) : null;
    if (id === null) {
      rmSync(dir, { recursive: true, force: true });
      throw new UserError(`Slurm refused the job: ${firstLine(submitted.stderr || submitted.stdout) || 'sbatch printed no job id'}`, {
        hint: 'eds doctor says which partitions you may use',
      });
    }
    callbacks.onStatus?.(`Slurm job ${id} submitted to ${where}`);
    let job: JobInfo = { id, state: 'PENDING' };
    control.onJob?.(job);
    const tell = (status: JobStatus) => {
      const next: JobInfo = { id, state: status.state, ...(status.reason ? { reason: status.reason } : {}), ...(job.node ? { node: job.node } : {}) };
      if (status.node && phaseOf(status.state) !== 'waiting') next.node = status.node;
      if (next.state === job.state && next.node === job.node && next.reason === job.reason) return;
      job = next;
      control.onJob?.(job);
      if (phaseOf(job.state) === 'waiting') callbacks.onStatus?.(`Slurm job ${id} waiting${job.reason ? ` (${job.reason})` : ''}`);
      else if (job.state === 'RUNNING') callbacks.onStatus?.(`Slurm job ${id} running${job.node ? ` on ${job.node}` : ''}`);
    };

    const tail = new ProgressTail(join(dir, PROGRESS_FILE));
    let result: Extract<JobEvent, { type: 'result' }> | null = null;
    let jobError: string | undefined;
    const drain = () => {
      for (const event of tail.read()) {
        switch (event.type) {
          case 'start':
            // The job's own word that it runs, before Slurm is next asked: the student sees it start at once.
            if (phaseOf(job.state) === 'waiting') tell({ id, state: 'RUNNING', ...(event.node ? { node: event.node } : {}) });
            else if (event.node) job = { ...job, node: event.node };
            break;
          case 'status':
            callbacks.onStatus?.(event.message);
            break;
          case 'progress':
            callbacks.onProgress?.(event.fraction, event.label);
            break;
          case 'epoch':
            callbacks.onEpochEnd?.(event.epoch, event.logs, event.epochs);
            break;
          case 'result':
            result = event;
            break;
          case 'error':
            jobError = event.message;
            break;
          default: {
            const unreachable: never = event;
            throw new Error(String(unreachable));
          }
        }
      }
    };

    try {
      let lastAsked = 0;
      let unknown = 0;
      for (;;) {
        if (control.signal?.aborted) return await cancel(id, dir, tell);
        drain();
        const now = Date.now();
        // Slurm is asked every few seconds, and at once when the job says it is done.
        if (result !== null || jobError !== undefined || now - lastAsked >= statePollMs) {
          lastAsked = now;
          const status = await jobStatus(id, env);
          if (status === null) {
            // Forgotten by slurmctld, and no accounting to ask: a result already read stands on its own.
            if (result !== null) break;
            if (++unknown >= 5) throw new UserError(`Slurm no longer knows job ${id}, and it sent no result`);
          } else {
            unknown = 0;
            tell(status);
            if (phaseOf(status.state) === 'ended') {
              drain();
              if (status.state === 'COMPLETED' && result !== null) break;
              const log = status.state === 'FAILED' || status.state === 'COMPLETED' ? `; its log: ${safeLine(join(dir, LOG_FILE))}` : '';
              throw new UserError(endLine({ ...status, ...(job.node && !status.node ? { node: job.node } : {}) }, jobError) + log);
            }
          }
        }
        if (tail.problem !== null && result === null) {
          await slurm('scancel', [id], env);
          throw new UserError(`Slurm job ${id} cancelled: ${tail.problem}`);
        }
        await sleep(pollMs);
      }
      const done = result as Extract<JobEvent, { type: 'result' }> | null;
      rmSync(dir, { recursive: true, force: true });
      return {
        json: { ...done!.json, slurm_job_id: id, ...(job.node ? { slurm_node: job.node } : {}) },
        figures: done!.figures.map(textFigure),
      };
    } finally {
      tail.close();
    }
  }

  /** Cancels the job and waits until Slurm says it has ended (its processes gone), then removes its folder. */
  async function cancel(id: string, dir: string, tell: (status: JobStatus) => void): Promise<never> {
    const cancelled = await slurm('scancel', [id], env);
    if (!cancelled.ok) throw new UserError(`could not cancel Slurm job ${id}: ${firstLine(cancelled.stderr)}`, { hint: `scancel ${id}` });
    const deadline = Date.now() + 120_000;
    for (;;) {
      const status = await jobStatus(id, env);
      if (status) tell(status);
      if (status === null || phaseOf(status.state) === 'ended') break;
      if (Date.now() > deadline)
        throw new UserError(`Slurm job ${id} is still ${status.state.toLowerCase()} two minutes after scancel`, { hint: `squeue -j ${id}` });
      await sleep(pollMs);
    }
    rmSync(dir, { recursive: true, force: true });
    throw new RunCancelled(`Slurm job ${id} cancelled; nothing was recorded`);
  }
}
