// Runs the `eds project` comparison off the screen's thread (a worker), or, where no worker can start, on it in steps that yield to the screen.
import { Worker } from 'node:worker_threads';
import { compareModelsAsync, type Comparison } from './compare.js';
import type { CompareJob, CompareMessage } from './compare-worker.js';

/** The worker could not load (its compiled file is absent, as when the tests run the TypeScript sources). */
export class WorkerUnavailable extends Error {}

/**
 * Runs the comparison in a worker thread, so keys are read and frames drawn however long one fit takes; the
 * results are the same as on the main thread. Falls back to {@link compareModelsAsync} (which yields between
 * fits) when the worker cannot start. Rejects with the signal's reason once `signal` is aborted (the worker is
 * stopped).
 */
export async function compareInBackground(job: CompareJob, onStatus: (message: string) => void, signal: AbortSignal): Promise<Comparison> {
  try {
    return await compareInWorker(job, onStatus, signal);
  } catch (err) {
    if (!(err instanceof WorkerUnavailable)) throw err;
    return compareModelsAsync(job.X, job.y, job.nClasses, { ...job.options, onStatus, signal });
  }
}

/** The comparison in a worker thread only; rejects with a `WorkerUnavailable` error when the worker cannot load. */
export function compareInWorker(job: CompareJob, onStatus: (message: string) => void, signal: AbortSignal): Promise<Comparison> {
  signal.throwIfAborted();
  return new Promise((resolve, reject) => {
    let worker: Worker;
    try {
      worker = new Worker(new URL('./compare-worker.js', import.meta.url), { workerData: job });
    } catch (err) {
      reject(new WorkerUnavailable(String(err)));
      return;
    }
    let started = false;
    let settled = false;
    const settle = (finish: () => void) => {
      if (settled) return;
      settled = true;
      signal.removeEventListener('abort', onAbort);
      void worker.terminate();
      finish();
    };
    const onAbort = () => settle(() => reject(signal.reason));
    signal.addEventListener('abort', onAbort);
    worker.on('message', (message: CompareMessage) => {
      switch (message.kind) {
        case 'started':
          started = true;
          return;
        case 'status':
          return onStatus(message.message);
        case 'done':
          return settle(() => resolve(message.comparison));
        case 'failed':
          return settle(() => reject(new Error(message.error)));
        default: {
          const never: never = message;
          return never;
        }
      }
    });
    // Before 'started' the worker's modules did not load: run on this thread instead. After it, a real failure.
    worker.on('error', (err) => settle(() => reject(started ? err : new WorkerUnavailable(err.message))));
    worker.on('exit', (code) =>
      settle(() => reject(started ? new Error(`the comparison stopped (exit code ${code})`) : new WorkerUnavailable(`exit ${code}`))),
    );
  });
}
