// The `eds project` comparison in a worker thread: the screen's thread stays free to read keys and draw while the models train; status lines and the result come back as messages.
import { parentPort, workerData } from 'node:worker_threads';
import { compareModels, type CompareOptions, type Comparison } from './compare.js';

/** What the worker is given: the data and the settings. */
export interface CompareJob {
  /** Feature matrix, rows × features. */
  X: number[][];
  /** Class code per row. */
  y: number[];
  /** Number of classes. */
  nClasses: number;
  /** Settings of the comparison. */
  options: Omit<CompareOptions, 'onStatus'>;
}

/** What the worker says, in order: started (its modules loaded), status lines, then done or failed. */
export type CompareMessage =
  | { kind: 'started' }
  | { kind: 'status'; message: string }
  | { kind: 'done'; comparison: Comparison }
  | { kind: 'failed'; error: string };

if (parentPort) {
  const port = parentPort;
  const say = (message: CompareMessage) => port.postMessage(message);
  const job = workerData as CompareJob;
  say({ kind: 'started' });
  try {
    say({ kind: 'done', comparison: compareModels(job.X, job.y, job.nClasses, { ...job.options, onStatus: (message) => say({ kind: 'status', message }) }) });
  } catch (err) {
    say({ kind: 'failed', error: err instanceof Error ? err.message : String(err) });
  }
}
