// The bench's training rows: one epoch of the digits MLP and CNN on every backend that loads, in one process, and
// the PyTorch reference script run now (same machine, same load) for the CNN.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { HostTensor } from '../nn/fit.js';
import type { DigitsModelName } from '../nn/models.js';
import { median } from '../util/stats.js';
import { PACKAGE_ROOT } from '../version.js';
import type { BenchRow } from './row.js';
import { timeRatio, type BenchOptions } from './workload.js';

const N_TRAIN = 8000;
const BATCH_SIZE = 64;
const LEARNING_RATE = 1e-3;
const TIMED_EPOCHS = 3;
/** Batches timed on the plain-JS backend (about 40× slower than wasm): the epoch time is extrapolated from them. */
const JS_BATCHES: Record<DigitsModelName, number> = { mlp: 25, cnn: 6 };

async function digits(): Promise<{ x: HostTensor; y: HostTensor }> {
  const { loadPackagedDigits, splitDigits } = await import('../data/digits.js');
  const { train } = splitDigits(loadPackagedDigits(), N_TRAIN, 1, 0);
  const x = Float32Array.from(train.pixels, (v) => v / 255);
  const y = new Float32Array(N_TRAIN * 10);
  train.labels.forEach((label, i) => (y[i * 10 + label] = 1));
  return { x: { values: x, shape: [N_TRAIN, 28, 28, 1] }, y: { values: y, shape: [N_TRAIN, 10] } };
}

/** Seconds per epoch: warm-up batches, then `epochs` full epochs (the best), or `batches` batches extrapolated. */
async function timeEpoch(
  model: DigitsModelName,
  data: { x: HostTensor; y: HostTensor },
  plan: { epochs?: number; batches?: number },
): Promise<{ seconds: number; how: string }> {
  const { buildDigitsModel } = await import('../nn/models.js');
  const { fitClassifier } = await import('../nn/fit.js');
  const net = buildDigitsModel(model, { seed: 0 });
  try {
    const options = { batchSize: BATCH_SIZE, learningRate: LEARNING_RATE, seed: 0 };
    // Warm-up: JIT, kernel setup and memory growth happen here, not in the timed part.
    await fitClassifier(net, data.x, data.y, { ...options, epochs: 1, maxBatchesPerEpoch: 3 });
    const batchesPerEpoch = Math.ceil(N_TRAIN / BATCH_SIZE);
    if (plan.batches !== undefined) {
      const h = await fitClassifier(net, data.x, data.y, { ...options, epochs: 1, maxBatchesPerEpoch: plan.batches });
      return { seconds: (h.seconds[0]! * batchesPerEpoch) / plan.batches, how: `extrapolated from ${plan.batches} of ${batchesPerEpoch} batches` };
    }
    const h = await fitClassifier(net, data.x, data.y, { ...options, epochs: plan.epochs ?? TIMED_EPOCHS });
    // The minimum: on a shared machine it is the least-contended epoch (PyTorch is reported the same way).
    return { seconds: Math.min(...h.seconds), how: `best of ${h.seconds.length} epochs (median ${median(h.seconds, 'higher').toFixed(2)} s)` };
  } finally {
    net.dispose();
  }
}

interface TorchReference {
  torch_version: string;
  torch_threads: number;
  seconds_per_epoch: number;
  seconds_per_epoch_min?: number;
}

/** Runs the PyTorch reference script now (same machine load as the rest), or says why not. */
function torchLive(): { ref: TorchReference | null; why?: string } {
  const python = '/usr/bin/python3';
  const script = join(PACKAGE_ROOT, 'test', 'fixtures', 'torch', 'make_reference.py');
  if (!existsSync(python) || !existsSync(script)) return { ref: null, why: 'no /usr/bin/python3 or no reference script' };
  if (spawnSync(python, ['-c', 'import torch'], { stdio: 'ignore' }).status !== 0) return { ref: null, why: 'python3-torch not installed' };
  const out = join(mkdtempSync(join(tmpdir(), 'eds-bench-')), 'reference.json');
  const r = spawnSync(python, [script, out], { stdio: ['ignore', 'ignore', 'pipe'], encoding: 'utf8', timeout: 300_000 });
  if (r.status !== 0) return { ref: null, why: `reference script failed: ${(r.stderr ?? '').trim().split('\n').pop() ?? ''}` };
  return { ref: JSON.parse(readFileSync(out, 'utf8')) as TorchReference };
}

/** One epoch of each digits model on every backend that loads (and tfjs's stock wasm kernels), the CNN against PyTorch. */
export async function trainingRows(options: BenchOptions): Promise<BenchRow[]> {
  options.progress(`training: one epoch of ${N_TRAIN.toLocaleString('en-US')} digits, MLP and CNN, on every backend that loads`);
  const data = await digits();
  const { initBackend } = await import('../nn/backend.js');
  const timed: Array<{ label: string; kind: string; model: DigitsModelName; seconds: number; how: string }> = [];
  // Native backends first (when present they are what auto picks), then WebAssembly, then plain JS.
  for (const kind of ['gpu', 'native', 'wasm', 'js'] as const) {
    let description: string;
    try {
      ({ description } = (await initBackend(kind)).info);
    } catch (err) {
      options.progress(`training: ${kind} not measured (${(err as Error).message})`);
      continue;
    }
    for (const model of ['mlp', 'cnn'] as const) {
      const plan = kind === 'js' ? { batches: JS_BATCHES[model] } : { epochs: TIMED_EPOCHS };
      timed.push({ label: `${kind}: ${description}`, kind, model, ...(await timeEpoch(model, data, plan)) });
      if (kind === 'wasm') {
        // The same run with tfjs-backend-wasm's stock kernels, to show what our replacements buy.
        const { setWasmReplacements } = await import('../nn/kernels.js');
        setWasmReplacements(false);
        try {
          const stock = await timeEpoch(model, data, { epochs: 1 });
          timed.push({ label: 'wasm, stock tfjs kernels (only the missing one added)', kind: 'wasm-stock', model, ...stock, how: 'one epoch' });
        } finally {
          setWasmReplacements(true);
        }
      }
    }
  }
  const live = options.flags.has('--no-torch') ? { ref: null, why: '--no-torch' } : torchLive();
  const torch = live.ref ? (live.ref.seconds_per_epoch_min ?? live.ref.seconds_per_epoch) : null;
  const torchName = live.ref
    ? `PyTorch ${live.ref.torch_version} CPU, ${live.ref.torch_threads} thread(s), best of 3 epochs, run now`
    : `PyTorch not run (${live.why ?? '?'})`;
  return timed.map((t) => {
    // The reference script times the CNN; the goal is the WebAssembly backend's (what a student without a GPU gets).
    const reference = t.model === 'cnn' ? torch : null;
    const ratio = timeRatio(t.seconds, reference);
    const judged = t.model === 'cnn' && t.kind === 'wasm';
    return {
      workload: `${t.model.toUpperCase()} epoch, ${N_TRAIN.toLocaleString('en-US')} digits, ${t.label}`,
      eds: t.seconds,
      reference,
      referenceName: t.model === 'cnn' ? torchName : 'the PyTorch reference times the CNN only',
      unit: 's',
      ratio,
      goal: judged ? '≤ 1.5× PyTorch' : '',
      met: judged && ratio !== null ? ratio <= 1.5 : null,
      how: t.how,
    };
  });
}
