// `npm run bench`: one training epoch of the digits MLP and CNN (8,000 digits, batch 64, Adam), eds against PyTorch
// CPU in the same run, interleaved: eds's data-parallel path, eds's plain tfjs path, PyTorch at its default threads
// and at one thread per core, PAIRS rounds; medians. The ratio is against the faster PyTorch setting.
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { existsSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { initBackend } from '../nn/backend.js';
import { stopTrainingWorkers } from '../nn/data-parallel.js';
import { fitClassifier, type HostTensor, setTrainingPath, trainingPathOf } from '../nn/fit.js';
import { buildDigitsModel, type DigitsModelName } from '../nn/models.js';
import { median } from '../util/stats.js';
import { PACKAGE_ROOT } from '../version.js';
import { referencesSkipped } from './python.js';
import type { BenchRow } from './row.js';

const N_TRAIN = 8000;
const BATCH_SIZE = 64;
const LEARNING_RATE = 1e-3;
const PAIRS = 3;
const SCRIPT = 'test/fixtures/torch/time_digits.py';

/** A PyTorch process that trains one epoch of a model per request (time_digits.py). */
class TorchEpochs {
  private readonly child: ChildProcessWithoutNullStreams;
  private readonly lines: AsyncIterator<string>;
  info: { torch_version: string; torch_threads: number } | undefined;

  constructor(threads?: number) {
    this.child = spawn('/usr/bin/python3', [join(PACKAGE_ROOT, SCRIPT), ...(threads ? [String(threads)] : [])], { stdio: ['pipe', 'pipe', 'pipe'] });
    this.lines = createInterface({ input: this.child.stdout })[Symbol.asyncIterator]();
  }

  private async line(): Promise<Record<string, unknown>> {
    const next = await this.lines.next();
    if (next.done) throw new Error(`${SCRIPT} ended early`);
    return JSON.parse(next.value) as Record<string, unknown>;
  }

  async ready(): Promise<void> {
    this.info = (await this.line()) as unknown as { torch_version: string; torch_threads: number };
  }

  async epoch(model: DigitsModelName): Promise<number> {
    this.child.stdin.write(`${model}\n`);
    const r = await this.line();
    if (typeof r.seconds !== 'number') throw new Error(`${SCRIPT}: ${String(r.error ?? 'no seconds')}`);
    return r.seconds;
  }

  close(): void {
    this.child.stdin.end();
    this.child.kill();
  }
}

async function digits(): Promise<{ x: HostTensor; y: HostTensor }> {
  const { loadPackagedDigits, splitDigits } = await import('../data/digits.js');
  const { train } = splitDigits(loadPackagedDigits(), N_TRAIN, 1, 0);
  const y = new Float32Array(N_TRAIN * 10);
  train.labels.forEach((label, i) => (y[i * 10 + label] = 1));
  return { x: { values: Float32Array.from(train.pixels, (v) => v / 255), shape: [N_TRAIN, 28, 28, 1] }, y: { values: y, shape: [N_TRAIN, 10] } };
}

function fmt(s: number): string {
  return s.toFixed(s >= 10 ? 1 : 3);
}

/** Rows: per model, eds's data-parallel and plain paths against PyTorch, medians of PAIRS interleaved rounds. */
export async function trainingRows(): Promise<BenchRow[]> {
  const { info } = await initBackend('wasm');
  const data = await digits();
  const torchOk = !referencesSkipped() && existsSync('/usr/bin/python3') && existsSync(join(PACKAGE_ROOT, SCRIPT));
  const cores = availableParallelism();
  const torches: TorchEpochs[] = [];
  let why = torchOk ? '' : (referencesSkipped() ?? `no /usr/bin/python3 or no ${SCRIPT}`);
  if (torchOk) {
    try {
      for (const threads of [undefined, cores]) {
        const t = new TorchEpochs(threads);
        torches.push(t);
        await t.ready();
      }
    } catch (err) {
      why = `PyTorch reference failed: ${(err as Error).message}`;
      for (const t of torches) t.close();
      torches.length = 0;
    }
  }
  const rows: BenchRow[] = [];
  try {
    for (const model of ['mlp', 'cnn'] as const) {
      const times: Record<'parallel' | 'plain', number[]> = { parallel: [], plain: [] };
      const torchTimes: number[][] = torches.map(() => []);
      let workers = 0;
      const nets = { parallel: buildDigitsModel(model, { seed: 0 }), plain: buildDigitsModel(model, { seed: 0 }) };
      const epoch = async (path: 'parallel' | 'plain', timed: boolean): Promise<void> => {
        setTrainingPath(path);
        const h = await fitClassifier(nets[path], data.x, data.y, { epochs: 1, batchSize: BATCH_SIZE, learningRate: LEARNING_RATE, seed: times[path].length });
        if (path === 'parallel') workers = trainingPathOf(h)?.workers ?? 0;
        if (timed) times[path].push(h.seconds[0]!);
      };
      try {
        // Warm-up: workers started, kernels set up, wasm memory grown (PyTorch warmed up when it started).
        await epoch('parallel', false);
        await epoch('plain', false);
        for (let pair = 0; pair < PAIRS; pair++) {
          await epoch('parallel', true);
          for (const [k, t] of torches.entries()) torchTimes[k]!.push(await t.epoch(model));
          await epoch('plain', true);
        }
      } finally {
        setTrainingPath('auto');
        nets.parallel.dispose();
        nets.plain.dispose();
      }
      const torchMedians = torchTimes.map((t) => median(t));
      const best = torchMedians.length > 0 ? Math.min(...torchMedians) : null;
      const bestAt = best === null ? -1 : torchMedians.indexOf(best);
      const torchName =
        best === null
          ? why
          : `PyTorch ${torches[bestAt]!.info!.torch_version} CPU, ${torches[bestAt]!.info!.torch_threads} thread(s) (faster of ${torches.map((t, k) => `${t.info!.torch_threads} thread(s) ${fmt(torchMedians[k]!)} s`).join(', ')})`;
      const label = model === 'cnn' ? 'CNN' : 'MLP';
      for (const path of ['parallel', 'plain'] as const) {
        const eds = median(times[path]);
        const ratio = best === null ? null : eds / best;
        rows.push({
          workload: `${label} epoch, ${N_TRAIN.toLocaleString('en-US')} digits, batch ${BATCH_SIZE}${path === 'plain' ? ', plain tfjs path' : ''}`,
          eds,
          reference: best,
          referenceName: torchName,
          unit: 's',
          ratio,
          goal: path === 'parallel' ? '≤ 1.5× PyTorch' : 'the path before issue 19 (no goal)',
          met: path === 'parallel' && ratio !== null ? ratio <= 1.5 : null,
          how:
            path === 'parallel'
              ? `${info.description} in ${workers} worker threads, data-parallel, direct kernel calls; median of ${PAIRS} interleaved pairs (${times[path].map(fmt).join(', ')} s)`
              : `${info.description}, tfjs engine and Adam on one thread; median of ${PAIRS} rounds interleaved with the pairs (${times[path].map(fmt).join(', ')} s)`,
        });
      }
    }
  } finally {
    for (const t of torches) t.close();
    await stopTrainingWorkers();
  }
  return rows;
}
