// The job's side of a Slurm run (`eds job DIR` on the compute node): reads what to run from DIR/job.json, runs it
// here with the same seed and options through the local runner, and appends what happens to DIR/progress.ndjson for
// the tutor on the login node: start, status, progress, each epoch, then the result (figures drawn as text) or the error.
import { closeSync, constants, fstatSync, openSync, readSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { z } from 'zod';
import type { ExperimentCallbacks, ExperimentResult } from '../experiments/types.js';
import { UserError } from '../errors.js';
import { encodeEvent, MAX_RESULT_BYTES, type FigureText, type JobEvent } from './job-events.js';
import { runHere } from './local.js';
import { appendEvent, openForAppend } from './progress-file.js';
import type { RunRequest } from './types.js';

/** The job's description, written by the submitter beside the progress file. */
export const JOB_FILE = 'job.json';
/** The file the job appends its events to. */
export const PROGRESS_FILE = 'progress.ndjson';
/** Where Slurm writes the job's stdout and stderr. */
export const LOG_FILE = 'job.out';
/** The batch script. */
export const SCRIPT_FILE = 'job.sh';

const capsSchema = z
  .object({
    width: z.number().int().min(10).max(1000),
    height: z.number().int().min(4).max(1000),
    colors: z.literal(0),
    unicode: z.boolean(),
  })
  .strict();

const specSchema = z
  .object({
    v: z.literal(1),
    task: z.string().min(1).max(64),
    options: z.record(z.unknown()),
    seed: z.number().int(),
    surface: z.enum(['cli', 'lesson']),
    context: z
      .object({ home: z.string().min(1).max(4096), user: z.string().min(1).max(256) })
      .strict()
      .optional(),
    caps: capsSchema.optional(),
    tallHeight: z.number().int().min(4).max(1000).optional(),
  })
  .strict();

/** What job.json holds. */
export type JobSpec = z.infer<typeof specSchema>;

/** The job.json for a request: figures, when wanted, are drawn without colour (their text is read back as plain text). */
export function jobSpec(request: RunRequest): JobSpec {
  const { caps } = request;
  return {
    v: 1,
    task: request.task,
    options: { ...request.options },
    seed: request.seed,
    surface: request.surface,
    ...(request.context ? { context: { ...request.context } } : {}),
    ...(caps ? { caps: { width: caps.width, height: caps.height, colors: 0, unicode: caps.unicode } } : {}),
    ...(request.tallHeight !== undefined ? { tallHeight: request.tallHeight } : {}),
  };
}

/** Reads and checks DIR/job.json (at most 1 MiB, a plain file). */
export function readJobSpec(dir: string): JobSpec {
  const path = join(dir, JOB_FILE);
  const fd = openSync(path, constants.O_RDONLY | constants.O_NOFOLLOW);
  try {
    const st = fstatSync(fd);
    if (!st.isFile() || st.size > 1024 * 1024) throw new Error(`${path} is not a job description`);
    const buffer = Buffer.alloc(st.size);
    readSync(fd, buffer, 0, st.size, 0);
    return specSchema.parse(JSON.parse(buffer.toString('utf8')));
  } finally {
    closeSync(fd);
  }
}

/** The figures of a result as text, each drawn at the size the submitter asked for. */
export function figureTexts(result: ExperimentResult, spec: Pick<JobSpec, 'caps' | 'tallHeight'>): FigureText[] {
  if (!spec.caps) return [];
  return result.figures.slice(0, 64).map((figure) => {
    const caps = figure.tall && spec.tallHeight !== undefined ? { ...spec.caps!, height: spec.tallHeight } : spec.caps!;
    let text: string;
    try {
      text = figure.render(caps);
    } catch (err) {
      text = `(figure unavailable: ${err instanceof Error ? err.message : String(err)})`;
    }
    return { title: figure.title.slice(0, 500), ...(figure.tall ? { tall: true } : {}), text: text.slice(0, 1024 * 1024) };
  });
}

/** Least time between two progress events (ms): the file stays small, the bar still moves. */
const PROGRESS_EVERY_MS = 200;

/** Runs the job described in `dir`; its exit code (0 once the result is written). */
export async function runJob(dir: string): Promise<number> {
  const spec = readJobSpec(dir);
  const fd = openForAppend(join(dir, PROGRESS_FILE));
  let open = true;
  // Nothing is written once the file is closed (a task's late callback, after its result).
  const send = (event: JobEvent) => {
    if (open) appendEvent(fd, event);
  };
  send({ type: 'start', node: hostname(), pid: process.pid, job_id: (process.env.SLURM_JOB_ID ?? '').slice(0, 64) });
  // scancel and the time limit send SIGTERM first: said in the file, then gone (Slurm tells the submitter which it was).
  const onSignal = (signal: NodeJS.Signals) => {
    send({ type: 'error', message: `stopped by ${signal}` });
    process.exit(128 + (signal === 'SIGTERM' ? 15 : 2));
  };
  process.once('SIGTERM', onSignal);
  process.once('SIGINT', onSignal);
  let lastProgress = 0;
  const callbacks: ExperimentCallbacks = {
    onStatus: (message) => send({ type: 'status', message }),
    onProgress: (fraction, label) => {
      const now = Date.now();
      if (now - lastProgress < PROGRESS_EVERY_MS && fraction < 1) return;
      lastProgress = now;
      if (Number.isFinite(fraction)) send({ type: 'progress', fraction, label });
    },
    onEpochEnd: (epoch, logs, epochs) => {
      const finite: Record<string, number> = {};
      for (const [k, v] of Object.entries(logs)) if (Number.isFinite(v)) finite[k] = v;
      send({ type: 'epoch', epoch, logs: finite, ...(epochs !== undefined && epochs > 0 ? { epochs } : {}) });
    },
  };
  try {
    const result = await runHere(spec, callbacks);
    let event: JobEvent = { type: 'result', json: result.json, figures: figureTexts(result, spec) };
    // Past the reader's bound the whole line would be refused: the numbers matter more than the pictures.
    if (Buffer.byteLength(encodeEvent(event)) > MAX_RESULT_BYTES)
      event = { ...event, figures: [{ title: 'Figures', text: '(too large to send back from the job)' }] };
    send(event);
    return 0;
  } catch (err) {
    send({ type: 'error', message: err instanceof Error ? (err.message.split('\n')[0] ?? '') : String(err) });
    // The stack goes to the job's log, for whoever looks into a bug.
    if (!(err instanceof UserError)) process.stderr.write(`${err instanceof Error ? err.stack : String(err)}\n`);
    return 1;
  } finally {
    open = false;
    closeSync(fd);
    process.removeListener('SIGTERM', onSignal);
    process.removeListener('SIGINT', onSignal);
  }
}
