// `npm run bench`: times one training epoch of the digits MLP and CNN on every backend that loads, in one process,
// with ratios against WebAssembly and against PyTorch, plus the classical k-means and random forest on 100k rows.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { availableParallelism, cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { PACKAGE_ROOT } from '../version.js';
import type { BackendKind } from '../nn/backend.js';
import type { HostTensor } from '../nn/fit.js';
import type { DigitsModelName } from '../nn/models.js';
import { median } from '../util/stats.js';

/** One measured (or extrapolated) row of the table. */
interface Row {
  /** What ran, e.g. "wasm, WebAssembly (SIMD, 1 thread)". */
  label: string;
  /** Backend key for ratios. */
  backend: BackendKind | 'wasm-stock' | 'pytorch';
  /** Model timed. */
  model: DigitsModelName;
  /** Seconds for one epoch of N_TRAIN digits. */
  seconds: number;
  /** How the number was obtained ("median of 3 epochs", "extrapolated from 8 of 125 batches"). */
  how: string;
}

const N_TRAIN = 8000;
const BATCH_SIZE = 64;
const LEARNING_RATE = 1e-3;
const TIMED_EPOCHS = 3;
/** Batches timed on the plain-JS backend (about 40× slower than wasm): the epoch time is extrapolated from them. */
const JS_BATCHES: Record<DigitsModelName, number> = { mlp: 25, cnn: 6 };

function fmt(seconds: number): string {
  return seconds >= 100 ? seconds.toFixed(0) : seconds >= 10 ? seconds.toFixed(1) : seconds.toFixed(2);
}

async function digits(): Promise<{ x: HostTensor; y: HostTensor }> {
  const { loadPackagedDigits, splitDigits } = await import('../data/digits.js');
  const { train } = splitDigits(loadPackagedDigits(), N_TRAIN, 1, 0);
  const x = Float32Array.from(train.pixels, (v) => v / 255);
  const y = new Float32Array(N_TRAIN * 10);
  train.labels.forEach((label, i) => (y[i * 10 + label] = 1));
  return { x: { values: x, shape: [N_TRAIN, 28, 28, 1] }, y: { values: y, shape: [N_TRAIN, 10] } };
}

/** Seconds per epoch: warm-up batches, then `epochs` full epochs (median), or `batches` batches extrapolated. */
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
    return { seconds: Math.min(...h.seconds), how: `best of ${h.seconds.length} epochs (median ${fmt(median(h.seconds, 'higher'))} s)` };
  } finally {
    net.dispose();
  }
}

interface TorchReference {
  torch_version: string;
  torch_threads: number;
  seconds_per_epoch: number;
  seconds_per_epoch_min?: number;
  test_accuracy: number;
  n_train: number;
  batch_size: number;
}

/** Runs the PyTorch reference script now (same machine load as the rest), or null when PyTorch is absent. */
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

function torchCommitted(): TorchReference | null {
  const file = join(PACKAGE_ROOT, 'test', 'fixtures', 'torch', 'reference.json');
  return existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as TorchReference) : null;
}

/** The non-neural workloads the lessons lean on, each timed once in this run. */
async function classical(lines: string[]): Promise<void> {
  const { makeBlobTable, benchKMeans, benchRandomForest } = await import('./classical.js');
  // A table the size of a season of 5-minute river probe readings.
  const { X, y } = makeBlobTable(100_000, { d: 8, k: 5, seed: 1 });
  let t0 = performance.now();
  const km = benchKMeans(X, 5, 1);
  lines.push(`k-means, 100,000 × 8, k = 5, 1 start:              ${fmt((performance.now() - t0) / 1000)} s (inertia ${km.inertia.toExponential(3)})`);
  t0 = performance.now();
  benchRandomForest(X, y, 10);
  lines.push(`random forest, 100,000 × 8, 10 trees (fit):         ${fmt((performance.now() - t0) / 1000)} s`);

  // Lidar neighbourhoods: the k-d tree against a brute-force search on the same queries (issue: lidar speed).
  const { generateLidarScene } = await import('../lidar/scene.js');
  const { buildKdTree, bruteForceSearch, NeighbourBuffer } = await import('../lidar/neighbours.js');
  const scene = generateLidarScene({ scene: 'dunes', seed: 1, nPoints: 50_000 });
  const cloud = { x: scene.x, y: scene.y, z: scene.z };
  const queries = 2_000;
  const time = (search: { radius(qx: number, qy: number, qz: number, r: number, buf: InstanceType<typeof NeighbourBuffer>): number }) => {
    const buf = new NeighbourBuffer();
    const start = performance.now();
    let found = 0;
    for (let q = 0; q < queries; q++) {
      const i = (q * 7919) % scene.x.length;
      found += search.radius(scene.x[i]!, scene.y[i]!, scene.z[i]!, 0.5, buf);
    }
    return { seconds: (performance.now() - start) / 1000, found };
  };
  const tree = time(buildKdTree(cloud));
  const brute = time(bruteForceSearch(cloud));
  lines.push(
    `lidar radius search, ${queries.toLocaleString('en-US')} queries of 0.5 m in 50,000 points: k-d tree ${fmt(tree.seconds)} s, brute force ${fmt(brute.seconds)} s, ratio ${(brute.seconds / tree.seconds).toFixed(1)}×${tree.found === brute.found ? '' : ' (NEIGHBOUR COUNTS DIFFER)'}`,
  );

  // Multiscale lidar features on a dense scan, default tolerance against exact, and k-d tree against brute force (issue: lidar speed).
  const { benchMultiscale } = await import('./lidar-features.js');
  const ms = benchMultiscale({ exact: true });
  lines.push(
    `lidar features, ${ms.cores.toLocaleString('en-US')} cores at ${ms.radii.join('/')} m in ${ms.points.toLocaleString('en-US')} dune points: ${fmt(ms.seconds)} s (tree build ${fmt(ms.buildSeconds)} s), exact ${fmt(ms.exactSeconds)} s, largest feature difference ${ms.maxDeviation.toFixed(3)}, count ${(100 * ms.maxCountDeviation).toFixed(1)} %; ${ms.smallCores.toLocaleString('en-US')} cores in ${ms.smallPoints.toLocaleString('en-US')} points: k-d tree ${fmt(ms.smallTreeSeconds)} s, brute force ${fmt(ms.smallBruteSeconds)} s, ratio ${(ms.smallBruteSeconds / ms.smallTreeSeconds).toFixed(1)}×`,
  );

  // PhaseNet inference with the shipped weights on synthetic windows.
  const { runTask } = await import('../experiments/registry.js');
  const pick = await runTask('pick', { windows: '40', backend: 'wasm' }, 1);
  lines.push(
    `PhaseNet inference (shipped weights, ${String(pick.json.backend ?? '?')}): ${String(pick.json.windows_per_second)} windows of 3,001 × 3 per second`,
  );

  // Instructors' report over a big class.
  const { benchCourseReport } = await import('./class-report.js');
  const course = benchCourseReport();
  lines.push(
    `instructor report, ${course.students} students × ${course.records_per_student} records (${course.mebibytes.toFixed(0)} MiB): read ${fmt(course.read_seconds)} s, report ${fmt(course.report_seconds)} s`,
  );

  // Free-text and numeric grading on 10 kB hostile answers (issue: a 10 kB answer grades in well under 50 ms).
  const { benchGrading } = await import('./grading.js');
  const g = benchGrading();
  lines.push(
    `grading, ${g.questions} shipped questions × 10 kB hostile answers (${g.gradings}): median ${g.medianMs.toFixed(2)} ms, slowest ${g.worstMs.toFixed(1)} ms (${g.worst})`,
  );
}

async function main(): Promise<void> {
  const args = new Set(process.argv.slice(2));
  const out = (line = ''): void => {
    process.stdout.write(line + '\n');
  };
  out(
    `eds bench: Node ${process.versions.node}, ${availableParallelism()} cores (${cpus()[0]?.model?.trim() ?? '?'}), load average ${loadavg()[0]!.toFixed(1)}`,
  );
  out(`workload: one epoch of ${N_TRAIN.toLocaleString('en-US')} MNIST digits, batch ${BATCH_SIZE}, Adam, the models of src/nn/models.ts`);
  out('');
  const data = await digits();
  const { initBackend } = await import('../nn/backend.js');
  // This table is tfjs's own loop per backend; the data-parallel path is timed by training.ts below.
  const { setTrainingPath } = await import('../nn/fit.js');
  setTrainingPath('plain');
  const rows: Row[] = [];
  const notes: string[] = [];

  // Native backends first (when present they are what auto picks), then WebAssembly, then plain JS.
  for (const kind of ['gpu', 'native', 'wasm', 'js'] as const) {
    let description: string;
    try {
      ({ description } = (await initBackend(kind)).info);
    } catch (err) {
      notes.push(`${kind}: not measured (${(err as Error).message})`);
      continue;
    }
    for (const model of ['mlp', 'cnn'] as const) {
      const plan = kind === 'js' ? { batches: JS_BATCHES[model] } : { epochs: TIMED_EPOCHS };
      const t = await timeEpoch(model, data, plan);
      rows.push({ label: `${kind}: ${description}`, backend: kind, model, ...t });
      if (kind === 'wasm') {
        // The same run with tfjs-backend-wasm's stock kernels, to show what our replacements buy.
        const { setWasmReplacements } = await import('../nn/kernels.js');
        setWasmReplacements(false);
        try {
          const stock = await timeEpoch(model, data, { epochs: 1 });
          rows.push({ label: 'wasm, stock tfjs kernels (only the missing one added)', backend: 'wasm-stock', model, ...stock, how: 'one epoch' });
        } finally {
          setWasmReplacements(true);
        }
      }
    }
  }

  setTrainingPath('auto');
  const live = args.has('--no-torch') ? { ref: null, why: '--no-torch' } : torchLive();
  const committed = torchCommitted();
  if (live.ref) {
    rows.push({
      label: `pytorch ${live.ref.torch_version} CPU, ${live.ref.torch_threads} thread(s), run now`,
      backend: 'pytorch',
      model: 'cnn',
      seconds: live.ref.seconds_per_epoch_min ?? live.ref.seconds_per_epoch,
      how: `best of 3 epochs (median ${fmt(live.ref.seconds_per_epoch)} s)`,
    });
  } else {
    notes.push(`pytorch: not run now (${live.why})`);
  }

  const wasmOf = (model: DigitsModelName): number | undefined => rows.find((r) => r.backend === 'wasm' && r.model === model)?.seconds;
  const width = Math.max(...rows.map((r) => r.label.length), 10);
  out(`${'backend'.padEnd(width)}  model  s/epoch  × wasm  how`);
  for (const r of rows) {
    const base = wasmOf(r.model);
    const ratio = base ? (r.seconds / base).toFixed(2) : '  -  ';
    out(`${r.label.padEnd(width)}  ${r.model.padEnd(5)}  ${fmt(r.seconds).padStart(7)}  ${ratio.padStart(6)}  ${r.how}`);
  }
  out('');
  const wasmCnn = wasmOf('cnn');
  if (wasmCnn && live.ref) {
    const torch = live.ref.seconds_per_epoch_min ?? live.ref.seconds_per_epoch;
    out(`wasm / pytorch (digits CNN, best epochs, both timed in this run): ${(wasmCnn / torch).toFixed(2)}  (target ≤ 2)`);
  }
  if (wasmCnn && committed) {
    out(
      `wasm / pytorch (against test/fixtures/torch/reference.json, ${fmt(committed.seconds_per_epoch_min ?? committed.seconds_per_epoch)} s, another time and load): ${(wasmCnn / (committed.seconds_per_epoch_min ?? committed.seconds_per_epoch)).toFixed(2)}`,
    );
  }
  for (const note of notes) out(note);
  out('');
  const lines: string[] = [];
  await classical(lines);
  for (const line of lines) out(line);

  // Issue 19's workloads as BenchRow lists (src/bench/row.ts): each a module with one async function.
  out('');
  const { trainingRows } = await import('./training.js');
  const { lidarExactRows } = await import('./lidar-exact.js');
  const { phasenetInferenceRows } = await import('./phasenet-inference.js');
  for (const workload of [trainingRows, lidarExactRows, phasenetInferenceRows]) {
    for (const r of await workload()) {
      const ratio = r.ratio === null ? '-' : `${r.ratio.toFixed(2)}×`;
      const met = r.met === null ? '' : r.met ? ' (met)' : ' (not met)';
      out(
        `${r.workload}: eds ${r.eds.toPrecision(3)} ${r.unit}, ${r.referenceName} ${r.reference?.toPrecision(3) ?? '-'}, ratio ${ratio}, goal ${r.goal}${met}; ${r.how}`,
      );
    }
  }
}

main().catch((err: unknown) => {
  process.stderr.write(`bench failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  process.exitCode = 1;
});
