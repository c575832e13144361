// The device check of the WebGPU backend (issue 20), for a machine with a GPU: runs the same work on WebGPU and on
// WebAssembly, each in its own process, and compares. Work per backend: the digits CNN and MLP trained one epoch
// (8,000 digits, seed 0) and tested on 2,000; PhaseNet inference (shipped weights) on 64 generated windows.
// Agreement: test accuracy within ACCURACY_POINTS, inference probabilities within PROBABILITY_TOLERANCE.
// Usage: node scripts/gpu-check.mjs [--expect-webgpu | --no-expect-webgpu] [--against BACKEND]  (after npm run build)
// --against names the backend checked in WebGPU's place (default webgpu; `--against wasm` exercises the
// comparison on a machine without a GPU).
// Exit status: 0 all agreed; 1 WebGPU was expected (a GPU is visible, or --expect-webgpu) and did not load, or
// it disagreed with WebAssembly; 2 the check itself could not run.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const ACCURACY_POINTS = 2.0;
const PROBABILITY_TOLERANCE = 1e-3;
const N_TRAIN = 8000;
const N_TEST = 2000;
const N_WINDOWS = 64;

async function one(backend) {
  const dist = (p) => join(ROOT, 'dist', p);
  const { initBackend } = await import(dist('nn/backend.js'));
  const started = performance.now();
  const { tf, info } = await initBackend(backend);
  const out = { backend, description: info.description, load_seconds: (performance.now() - started) / 1000 };
  const { loadPackagedDigits, splitDigits } = await import(dist('data/digits.js'));
  const { buildDigitsModel } = await import(dist('nn/models.js'));
  const { fitClassifier, evaluateClassifier } = await import(dist('nn/fit.js'));
  const { train, test } = splitDigits(loadPackagedDigits(), N_TRAIN, N_TEST, 0);
  const tensors = (set, n) => {
    const y = new Float32Array(n * 10);
    set.labels.forEach((label, i) => (y[i * 10 + label] = 1));
    return { x: { values: Float32Array.from(set.pixels, (v) => v / 255), shape: [n, 28, 28, 1] }, y: { values: y, shape: [n, 10] } };
  };
  const tr = tensors(train, N_TRAIN);
  const te = tensors(test, N_TEST);
  for (const model of ['mlp', 'cnn']) {
    const net = buildDigitsModel(model, { seed: 0 });
    const h = await fitClassifier(net, tr.x, tr.y, { epochs: 1, batchSize: 64, learningRate: 1e-3, seed: 0 });
    const evaluation = await evaluateClassifier(net, te.x, te.y);
    out[model] = { epoch_seconds: h.seconds[0], test_accuracy: evaluation.accuracy, loss: h.loss[0] };
    net.dispose();
  }
  const { generatePhases } = await import(dist('seismology/phase-windows.js'));
  const { phaseTensors } = await import(dist('seismology/phasenet/train.js'));
  const { buildPhaseNet } = await import(dist('nn/models.js'));
  const { loadPhaseNetWeights } = await import(dist('seismology/phasenet/weights.js'));
  const { predictWindows } = await import(dist('seismology/phasenet/predict.js'));
  const net = buildPhaseNet({ seed: 0 });
  loadPhaseNetWeights(tf, net);
  const { x } = phaseTensors(generatePhases({ seed: 7, count: N_WINDOWS }));
  const size = x.values.length / N_WINDOWS;
  const windows = Array.from({ length: N_WINDOWS }, (_, k) => x.values.slice(k * size, (k + 1) * size));
  await predictWindows(tf, net, windows.slice(0, 8)); // warm-up: shader compilation, memory
  const t0 = performance.now();
  const probs = await predictWindows(tf, net, windows);
  out.phasenet = { windows_per_second: N_WINDOWS / ((performance.now() - t0) / 1000), probabilities: probs.map((p) => Array.from(p)) };
  return out;
}

function child(backend) {
  const r = spawnSync(process.execPath, [fileURLToPath(import.meta.url), '--one', backend], { encoding: 'utf8', maxBuffer: 1 << 30, timeout: 900_000 });
  const last = (r.stdout ?? '').trim().split('\n').pop() ?? '';
  try {
    return JSON.parse(last);
  } catch {
    return { backend, error: ((r.stderr ?? '').trim().split('\n').filter(Boolean).pop() ?? `exit ${r.status}`).slice(0, 300) };
  }
}

function gpuVisible() {
  try {
    return readdirSync('/dev').some((n) => /^nvidia\d+$/.test(n)) || existsSync('/dev/dri/renderD128');
  } catch {
    return false;
  }
}

async function main() {
  const argv = process.argv.slice(2);
  if (argv[0] === '--one') {
    // Exit only once the pipe has taken it all (a large write to a pipe is asynchronous).
    process.stdout.write(`${JSON.stringify(await one(argv[1]))}\n`, () => process.exit(0));
    return;
  }
  if (!existsSync(join(ROOT, 'dist', 'nn', 'backend.js'))) {
    console.error('gpu-check: dist/ is missing: run npm run build (or npx tsc -p tsconfig.json) first');
    process.exit(2);
  }
  const expect = argv.includes('--expect-webgpu') ? true : argv.includes('--no-expect-webgpu') ? false : gpuVisible();
  const doctor = spawnSync(process.execPath, [join(ROOT, 'bin', 'eds.js'), 'doctor', '--json'], { encoding: 'utf8' });
  console.log('== eds doctor --json');
  console.log(doctor.stdout.trim() || doctor.stderr.trim());
  const cuda = spawnSync(
    process.execPath,
    [
      '-e',
      "import('@tensorflow/tfjs-node-gpu').then(()=>console.log('tfjs-node-gpu: loaded'),e=>console.log('tfjs-node-gpu: '+String(e.message).split('\\n')[0]))",
    ],
    { cwd: ROOT, encoding: 'utf8' },
  );
  console.log(`== ${cuda.stdout.trim() || cuda.stderr.trim().split('\n')[0]}`);
  console.log(`== a GPU is ${expect ? '' : 'not '}expected`);
  const wasm = child('wasm');
  const at = argv.indexOf('--against');
  const gpu = child(at >= 0 ? argv[at + 1] : 'webgpu');
  let failed = false;
  for (const r of [gpu, wasm]) {
    if (r.error) {
      console.log(`${r.backend}: did not run: ${r.error}`);
      continue;
    }
    console.log(
      `${r.backend}: ${r.description}; ready in ${r.load_seconds.toFixed(2)} s; MLP epoch ${r.mlp.epoch_seconds.toFixed(2)} s (test accuracy ${(100 * r.mlp.test_accuracy).toFixed(1)} %), CNN epoch ${r.cnn.epoch_seconds.toFixed(2)} s (${(100 * r.cnn.test_accuracy).toFixed(1)} %), PhaseNet ${r.phasenet.windows_per_second.toFixed(1)} windows/s`,
    );
  }
  if (wasm.error) {
    console.log('gpu-check: the WebAssembly reference did not run');
    process.exit(2);
  }
  if (gpu.error) {
    console.log(expect ? 'FAIL: WebGPU was expected here and did not load' : 'WebGPU did not load (no GPU expected here)');
    process.exit(expect ? 1 : 0);
  }
  for (const model of ['mlp', 'cnn']) {
    const gap = 100 * Math.abs(gpu[model].test_accuracy - wasm[model].test_accuracy);
    const ok = gap <= ACCURACY_POINTS;
    failed ||= !ok;
    console.log(`${ok ? 'ok  ' : 'FAIL'} ${model} test accuracy: WebGPU vs WebAssembly differ by ${gap.toFixed(2)} points (tolerance ${ACCURACY_POINTS})`);
  }
  let worst = 0;
  gpu.phasenet.probabilities.forEach((p, k) => p.forEach((v, i) => (worst = Math.max(worst, Math.abs(v - wasm.phasenet.probabilities[k][i])))));
  const ok = worst <= PROBABILITY_TOLERANCE;
  failed ||= !ok;
  console.log(`${ok ? 'ok  ' : 'FAIL'} PhaseNet probabilities: largest difference ${worst.toExponential(2)} (tolerance ${PROBABILITY_TOLERANCE})`);
  console.log(
    `ratio GPU / WebAssembly, CNN epoch: ${(gpu.cnn.epoch_seconds / wasm.cnn.epoch_seconds).toFixed(3)}; MLP epoch: ${(gpu.mlp.epoch_seconds / wasm.mlp.epoch_seconds).toFixed(3)}; PhaseNet inference speed-up: ${(gpu.phasenet.windows_per_second / wasm.phasenet.windows_per_second).toFixed(1)}×`,
  );
  process.exit(failed ? 1 : 0);
}

main().catch((err) => {
  console.error(`gpu-check: ${err instanceof Error ? err.message : String(err)}`);
  process.exit(2);
});
