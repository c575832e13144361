// `npm run bench`: PhaseNet inference with the shipped weights, windows per second in eds (WebAssembly) and in PyTorch
// running the same network and weights (test/fixtures/torch/phasenet_reference.py), interleaved in the same run.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { initBackend } from '../nn/backend.js';
import { buildPhaseNet } from '../nn/models.js';
import { PHASENET_CHANNELS, PHASENET_LENGTH, predictWindows } from '../seismology/phasenet/predict.js';
import { loadPhaseNetWeights } from '../seismology/phasenet/weights.js';
import { normalizeWindow } from '../seismology/phasenet/window.js';
import { createRng } from '../util/rng.js';
import { median } from '../util/stats.js';
import { runReference } from './python.js';
import type { BenchRow } from './row.js';

const WINDOWS = 48;
const BATCH = 8;
const PAIRS = 3;

interface TorchTiming {
  torch_version: string;
  torch_threads: number;
  windows: number;
  seconds: number;
}

/** Seeded three-component windows: noise, then a P-like and an S-like decaying burst at random times, normalised. */
function syntheticWindows(count: number, seed: number): Float32Array[] {
  const rng = createRng(seed);
  return Array.from({ length: count }, () => {
    const w = new Float32Array(PHASENET_LENGTH * PHASENET_CHANNELS);
    const p = 500 + rng.int(1200);
    const s = p + 200 + rng.int(800);
    for (let t = 0; t < PHASENET_LENGTH; t++) {
      for (let c = 0; c < PHASENET_CHANNELS; c++) {
        let v = 0.1 * rng.normal();
        if (t >= p) v += Math.exp(-(t - p) / 150) * Math.sin(0.8 * t + c);
        if (t >= s) v += 2 * Math.exp(-(t - s) / 250) * Math.sin(0.35 * t + 2 * c);
        w[t * PHASENET_CHANNELS + c] = v;
      }
    }
    return normalizeWindow(w, PHASENET_LENGTH, PHASENET_CHANNELS);
  });
}

/** eds and PyTorch alternately, PAIRS times each, on the same windows; the median rates and their ratio. */
export async function phasenetInferenceRows(): Promise<BenchRow[]> {
  const { tf, info } = await initBackend('wasm');
  const model = buildPhaseNet({ seed: 0 });
  loadPhaseNetWeights(tf, model);
  const windows = syntheticWindows(WINDOWS, 19);
  const dir = mkdtempSync(join(tmpdir(), 'eds-bench-phasenet-'));
  const edsRates: number[] = [];
  const torchRates: number[] = [];
  let torchInfo: TorchTiming | undefined;
  let why = '';
  let agreement = '';
  try {
    const flat = new Float32Array(WINDOWS * PHASENET_LENGTH * PHASENET_CHANNELS);
    windows.forEach((w, k) => flat.set(w, k * w.length));
    writeFileSync(join(dir, 'windows.f4'), flat);
    await predictWindows(tf, model, windows.slice(0, BATCH), BATCH); // warm-up: kernels set up, heap grown
    let probs: Float32Array[] = [];
    for (let pair = 0; pair < PAIRS; pair++) {
      const t0 = performance.now();
      probs = await predictWindows(tf, model, windows, BATCH);
      edsRates.push(WINDOWS / ((performance.now() - t0) / 1000));
      if (why) continue;
      const r = runReference<TorchTiming>('test/fixtures/torch/phasenet_reference.py', ['--time', dir, String(BATCH)], 'torch');
      if (!r.ok) {
        why = r.why;
        continue;
      }
      torchInfo = r.value;
      torchRates.push(WINDOWS / r.value.seconds);
    }
    if (torchInfo) {
      const theirs = new Float32Array(readFileSync(join(dir, 'probs.f4')).buffer.slice(0));
      let worst = 0;
      probs.forEach((p, k) => {
        for (let i = 0; i < p.length; i++) worst = Math.max(worst, Math.abs(p[i]! - theirs[k * p.length + i]!));
      });
      agreement = `, largest probability difference ${worst.toExponential(1)}`;
    }
  } finally {
    model.dispose();
    rmSync(dir, { recursive: true, force: true });
  }
  const eds = median(edsRates);
  const reference = torchRates.length > 0 ? median(torchRates) : null;
  return [
    {
      workload: `PhaseNet inference, ${WINDOWS} windows of ${PHASENET_LENGTH.toLocaleString('en-US')} × ${PHASENET_CHANNELS}, batch ${BATCH}, shipped weights`,
      eds,
      reference,
      referenceName: torchInfo ? `PyTorch ${torchInfo.torch_version} CPU, ${torchInfo.torch_threads} thread(s), same network and weights` : why,
      unit: 'windows/s',
      ratio: reference === null ? null : reference / eds,
      goal: 'measured (no target)',
      met: null,
      how: `${info.description}; median of ${PAIRS} interleaved pairs${agreement}`,
    },
  ];
}
