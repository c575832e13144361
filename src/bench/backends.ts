// The bench's backend rows: one epoch of the digits MLP and CNN on every backend that loads, in one process,
// through tfjs's own training loop (the plain path), each against the WebAssembly backend's time. PyTorch and the
// data-parallel path are timed by training.ts.
import type { HostTensor } from '../nn/fit.js';
import type { DigitsModelName } from '../nn/models.js';
import { median } from '../util/stats.js';
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

/** One epoch of each digits model on every backend that loads (and tfjs's stock wasm kernels), against WebAssembly. */
export async function backendRows(options: BenchOptions): Promise<BenchRow[]> {
  options.progress(`training: one epoch of ${N_TRAIN.toLocaleString('en-US')} digits, MLP and CNN, on every backend that loads`);
  const data = await digits();
  const { initBackend } = await import('../nn/backend.js');
  const { setTrainingPath } = await import('../nn/fit.js');
  // tfjs's own loop on every backend alike; the data-parallel path is training.ts's row.
  setTrainingPath('plain');
  const timed: Array<{ label: string; kind: string; model: DigitsModelName; seconds: number; how: string }> = [];
  // Native backends first (when present they are what auto picks), then WebAssembly, then plain JS.
  for (const kind of ['gpu', 'webgpu', 'native', 'wasm', 'js'] as const) {
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
  setTrainingPath('auto');
  const wasmOf = (model: DigitsModelName): number | null => timed.find((t) => t.kind === 'wasm' && t.model === model)?.seconds ?? null;
  return timed.map((t) => {
    const reference = t.kind === 'wasm' ? null : wasmOf(t.model);
    return {
      workload: `${t.model.toUpperCase()} epoch, ${N_TRAIN.toLocaleString('en-US')} digits, ${t.label}, tfjs's loop`,
      eds: t.seconds,
      reference,
      referenceName: t.kind === 'wasm' ? 'the other backends are compared with this one' : 'the WebAssembly backend, same loop, this run',
      unit: 's',
      ratio: timeRatio(t.seconds, reference),
      goal: '',
      met: null,
      how: t.how,
    };
  });
}
