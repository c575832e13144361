// Picks the TensorFlow.js backend at run time (CUDA → WebGPU → native CPU → WebAssembly → plain JS) and says why the faster ones did not load.
import { existsSync, readdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname } from 'node:path';
import { UserError } from '../errors.js';
import { defaultTrainingWorkers, trainWorkerFile } from './data-parallel.js';
import { type AdapterCaps, NO_VULKAN_LOADER, type ProbeRun, classifyProbe, deviceDescriptor, findVulkanLoader, runProbe } from './webgpu.js';

type Tf = typeof import('./tf.js');

import { BACKEND_CHOICES, type BackendChoice } from './backend-choices.js';

export { BACKEND_CHOICES, type BackendChoice };

/** A backend that can actually run: the CUDA build, WebGPU (Dawn, Vulkan), the native CPU build, WebAssembly, or plain JavaScript. */
export type BackendKind = 'gpu' | 'webgpu' | 'native' | 'wasm' | 'js';

/** One backend `initBackend` tried. */
export interface BackendAttempt {
  /** Which backend. */
  kind: BackendKind;
  /** Whether it loaded and is usable. */
  ok: boolean;
  /** Why it is not usable, in one line a student can act on (absent when ok). */
  reason?: string;
  /** Wall time spent trying, in seconds. */
  seconds: number;
}

/** The backend in use and how we got there. */
export interface BackendInfo {
  /** Which backend runs the tensors. */
  kind: BackendKind;
  /** The name tfjs knows it by: 'tensorflow', 'wasm' or 'cpu'. */
  tfjsName: string;
  /** One human line, e.g. "WebAssembly (SIMD, 1 thread, training on up to 2 worker threads)". */
  description: string;
  /** WebAssembly only: whether the SIMD build runs. */
  simd?: boolean;
  /** WebAssembly only: worker threads used by the kernels (1: Node's workers cannot load tfjs's pthread build). */
  threads?: number;
  /** Every backend tried, in order, including the one that worked. */
  attempts: BackendAttempt[];
  /** Set when training will be much slower than it could be (auto ended on plain JS); the CLI prints it. */
  warning?: string;
  /** Seconds from the start of `initBackend` until the backend was ready (includes loading tfjs). */
  loadSeconds: number;
}

/** How to load a package by name; injectable so tests can simulate a missing CUDA library. */
export type ModuleImporter = (name: string) => Promise<unknown>;

/** Options for `initBackend`. */
export interface InitBackendOptions {
  /** Loader for the optional native packages (default: dynamic `import`). */
  importer?: ModuleImporter;
  /** Environment (for CUDA_VISIBLE_DEVICES); default `process.env`. */
  env?: NodeJS.ProcessEnv;
  /** Whether an NVIDIA device is visible; default looks for /dev/nvidia[0-9]. */
  gpuVisible?: () => boolean;
  /** Backends to treat as unavailable (tests; diagnosing a slow path). Any option set bypasses the per-process cache. */
  exclude?: readonly BackendKind[];
  /** Asks whether Dawn finds a usable GPU; default runs dist/nn/webgpu-probe.js in a child process. */
  probeWebgpu?: () => ProbeRun;
  /** Where the Vulkan loader is, or null; default looks in the usual library directories. */
  vulkanLoader?: () => string | null;
}

const GPU_PACKAGE = '@tensorflow/tfjs-node-gpu';
const NATIVE_PACKAGE = '@tensorflow/tfjs-node';

/** The order `auto` tries. */
const AUTO_ORDER: readonly BackendKind[] = ['gpu', 'webgpu', 'native', 'wasm', 'js'];
const WEBGPU_PACKAGE = 'webgpu';
const WEBGPU_BACKEND_PACKAGE = '@tensorflow/tfjs-backend-webgpu';

let current: { tf: Tf; info: BackendInfo } | undefined;
let wasmRegistered = false;

/**
 * Loads tfjs and makes the chosen backend current. `auto` tries gpu → webgpu → native → wasm → js and records why each
 * faster one failed; a forced choice that cannot load is the user's problem and throws a `UserError`.
 * Safe to call again: the same process keeps the backend it first chose unless a different one is forced.
 */
export async function initBackend(choice: BackendChoice = 'auto', options: InitBackendOptions = {}): Promise<{ tf: Tf; info: BackendInfo }> {
  if (!(BACKEND_CHOICES as readonly string[]).includes(choice)) {
    throw new UserError(`unknown backend "${String(choice)}" (expected one of: ${BACKEND_CHOICES.join(', ')})`, { exitCode: 2 });
  }
  const custom =
    options.importer !== undefined ||
    options.exclude !== undefined ||
    options.gpuVisible !== undefined ||
    options.env !== undefined ||
    options.probeWebgpu !== undefined ||
    options.vulkanLoader !== undefined;
  if (current && !custom && (choice === 'auto' || choice === current.info.kind)) return current;
  const started = performance.now();
  const importer = options.importer ?? ((name: string) => import(name));
  const tf = await import('./tf.js');
  // Production mode: skips debug checks and the tfjs banner that tells students to install tfjs-node.
  tf.enableProdMode();
  const order = choice === 'auto' ? AUTO_ORDER : [choice];
  const attempts: BackendAttempt[] = [];
  for (const kind of order) {
    const t0 = performance.now();
    const outcome: Outcome = options.exclude?.includes(kind) ? { ok: false, reason: 'excluded by the caller' } : await tryBackend(tf, kind, importer, options);
    const seconds = (performance.now() - t0) / 1000;
    if (outcome.ok) {
      attempts.push({ kind, ok: true, seconds });
      const info: BackendInfo = {
        kind,
        tfjsName: tf.getBackend(),
        description: outcome.description,
        ...(outcome.simd !== undefined ? { simd: outcome.simd } : {}),
        ...(outcome.threads !== undefined ? { threads: outcome.threads } : {}),
        attempts,
        loadSeconds: (performance.now() - started) / 1000,
      };
      if (kind === 'js' && choice === 'auto') {
        info.warning =
          'running on the plain JavaScript backend, about 40x slower than WebAssembly: ' +
          attempts
            .filter((a) => !a.ok)
            .map((a) => `${a.kind}: ${a.reason}`)
            .join('; ');
      }
      current = { tf, info };
      return current;
    }
    attempts.push({ kind, ok: false, reason: outcome.reason, seconds });
  }
  const failed = attempts.map((a) => `${a.kind}: ${a.reason}`).join('; ');
  throw new UserError(`backend "${choice}" is not available (${failed})`, {
    hint: choice === 'auto' ? 'eds doctor' : 'eds run train --backend auto',
  });
}

/** The backend chosen by an earlier `initBackend` in this process, if any. */
export function currentBackend(): BackendInfo | undefined {
  return current?.info;
}

type Outcome = { ok: true; description: string; simd?: boolean; threads?: number } | { ok: false; reason: string };

async function tryBackend(tf: Tf, kind: BackendKind, importer: ModuleImporter, options: InitBackendOptions): Promise<Outcome> {
  switch (kind) {
    case 'gpu':
      return tryNative(tf, GPU_PACKAGE, true, importer, options);
    case 'webgpu':
      return tryWebgpu(tf, importer, options);
    case 'native':
      return tryNative(tf, NATIVE_PACKAGE, false, importer, options);
    case 'wasm':
      return tryWasm(tf);
    case 'js':
      if (!(await tf.setBackend('cpu'))) return { ok: false, reason: 'the plain JavaScript backend failed to start' };
      return { ok: true, description: 'plain JavaScript (no native code, slow)' };
    default: {
      const never: never = kind;
      throw new Error(`unhandled backend ${String(never)}`);
    }
  }
}

async function tryNative(tf: Tf, pkg: string, gpu: boolean, importer: ModuleImporter, options: InitBackendOptions): Promise<Outcome> {
  const env = options.env ?? process.env;
  if (gpu) {
    // Loading the CUDA build with no device only yields a slower copy of the native CPU backend: say so instead.
    const cvd = env.CUDA_VISIBLE_DEVICES;
    if (cvd !== undefined && (cvd.trim() === '' || cvd.trim() === '-1')) {
      return { ok: false, reason: `no device: CUDA_VISIBLE_DEVICES="${cvd}" hides every GPU` };
    }
  }
  try {
    await importer(pkg);
  } catch (err) {
    return { ok: false, reason: classifyLoadError(pkg, err) };
  }
  if (gpu && !(options.gpuVisible ?? nvidiaDeviceVisible)()) {
    return { ok: false, reason: `no device: ${pkg} loaded but no NVIDIA GPU is visible (no /dev/nvidia0)` };
  }
  try {
    if (!(await tf.setBackend('tensorflow'))) return { ok: false, reason: `${pkg} loaded but its backend failed to start` };
  } catch (err) {
    return { ok: false, reason: classifyLoadError(pkg, err) };
  }
  return { ok: true, description: gpu ? 'TensorFlow C library with CUDA (GPU)' : 'TensorFlow C library (native CPU)' };
}

/**
 * WebGPU through Dawn: the packages must load, a Vulkan loader must exist, and a child-process probe must find an
 * adapter and open a device; only then is Dawn started here, tfjs-backend-webgpu registered and a small product
 * checked against the known answer. Any failure is one reason, and leaves no webgpu backend behind.
 */
async function tryWebgpu(tf: Tf, importer: ModuleImporter, options: InitBackendOptions): Promise<Outcome> {
  const env = options.env ?? process.env;
  for (const pkg of [WEBGPU_PACKAGE, WEBGPU_BACKEND_PACKAGE]) {
    const missing = await packageMissing(pkg, importer, options);
    if (missing) return { ok: false, reason: missing };
  }
  const loader = (options.vulkanLoader ?? (() => findVulkanLoader(env)))();
  if (loader === null) return { ok: false, reason: NO_VULKAN_LOADER };
  const verdict = classifyProbe((options.probeWebgpu ?? (() => runProbe()))());
  if (!verdict.ok) return verdict;
  try {
    const dawn = (await importer(WEBGPU_PACKAGE)) as { create(flags: string[]): GpuEntry; globals: object };
    Object.assign(globalThis, dawn.globals);
    const gpu = dawn.create([]);
    // The backend's constructor insists on navigator.gpu (Node 20 has no navigator at all).
    const nav = ((globalThis as { navigator?: object }).navigator ??= {}) as { gpu?: unknown };
    nav.gpu = gpu;
    const backendModule = (await importer(WEBGPU_BACKEND_PACKAGE)) as { WebGPUBackend?: new (device: unknown, info?: unknown) => never };
    const WebGPUBackend = backendModule.WebGPUBackend;
    if (typeof WebGPUBackend !== 'function') return { ok: false, reason: `${WEBGPU_BACKEND_PACKAGE} loaded but exports no WebGPUBackend` };
    // Our own factory in place of the package's: the same device request the probe made (see deviceDescriptor).
    if (tf.findBackendFactory('webgpu')) tf.removeBackend('webgpu');
    tf.registerBackend('webgpu', async () => {
      const adapter = await gpu.requestAdapter({ powerPreference: 'high-performance' });
      if (!adapter) throw new Error('the adapter the probe found is no longer offered');
      const device = await adapter.requestDevice(deviceDescriptor(adapter));
      return new WebGPUBackend(device, adapter.info);
    });
    if (!(await quietly(() => tf.setBackend('webgpu')))) return dropWebgpu(tf, 'the WebGPU backend failed to start on the adapter the probe found');
    const product = tf.tidy(() => tf.matMul(tf.tensor2d([1, 2, 3, 4], [2, 2]), tf.tensor2d([5, 6, 7, 8], [2, 2])).dataSync());
    const expected = [19, 22, 43, 50];
    if (!expected.every((v, i) => Math.abs((product[i] ?? Number.NaN) - v) < 1e-4)) {
      return dropWebgpu(tf, `wrong results on ${verdict.adapter.description}: 2×2 product gave ${Array.from(product).join(', ')}`);
    }
  } catch (err) {
    return dropWebgpu(tf, `the WebGPU backend failed to start: ${firstLine(err)}`);
  }
  return { ok: true, description: `WebGPU on ${verdict.adapter.description} (Dawn, Vulkan)` };
}

/** Runs `f` with console.warn muted: tfjs warns there when a backend fails to start, which would tear a lesson screen. */
async function quietly<T>(f: () => Promise<T>): Promise<T> {
  const warn = console.warn;
  console.warn = () => {};
  try {
    return await f();
  } finally {
    console.warn = warn;
  }
}

/** The part of Dawn's `navigator.gpu` the factory uses. */
interface GpuEntry {
  requestAdapter(options: object): Promise<(AdapterCaps & { info?: unknown; requestDevice(descriptor: object): Promise<unknown> }) | null>;
}

/** Forgets a half-started webgpu backend so the next one tried starts clean. */
function dropWebgpu(tf: Tf, reason: string): Outcome {
  try {
    if (tf.findBackendFactory('webgpu') || tf.findBackend('webgpu')) tf.removeBackend('webgpu');
  } catch {
    // Nothing registered to remove.
  }
  return { ok: false, reason };
}

/**
 * Why an optional WebGPU package cannot be used, or null when it is installed. Only resolved, not loaded: Dawn
 * is native code and starts only after the probe vouched for it. An injected importer (tests) is asked instead.
 */
async function packageMissing(pkg: string, importer: ModuleImporter, options: InitBackendOptions): Promise<string | null> {
  try {
    if (options.importer !== undefined) await importer(pkg);
    else createRequire(import.meta.url).resolve(pkg);
    return null;
  } catch (err) {
    return classifyLoadError(pkg, err);
  }
}

async function tryWasm(tf: Tf): Promise<Outcome> {
  let wasm: typeof import('@tensorflow/tfjs-backend-wasm');
  try {
    wasm = await import('@tensorflow/tfjs-backend-wasm');
  } catch (err) {
    return { ok: false, reason: classifyLoadError('@tensorflow/tfjs-backend-wasm', err) };
  }
  if (!wasmRegistered) {
    // The .wasm binaries sit beside the package's JS; resolve them from here so any working directory works.
    const require = createRequire(import.meta.url);
    const dir = dirname(require.resolve('@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm.wasm'));
    wasm.setWasmPaths(dir + '/');
    const { registerWasmTrainingKernels } = await import('./kernels.js');
    registerWasmTrainingKernels(tf);
    wasmRegistered = true;
  }
  try {
    if (!(await tf.setBackend('wasm'))) return { ok: false, reason: 'the WebAssembly module failed to start' };
  } catch (err) {
    return { ok: false, reason: `the WebAssembly module failed to start: ${firstLine(err)}` };
  }
  // tfjs refuses threads under Node (its pthread build spawns workers from blob: URLs, which Node's
  // worker_threads reject with ERR_WORKER_PATH), so the kernels run on one thread; SIMD is used when valid.
  const simd = Boolean(await tf.env().getAsync('WASM_HAS_SIMD_SUPPORT'));
  const threads = wasm.getThreadsCount();
  // Networks train on worker threads of their own (data-parallel.ts) when their worker script is built.
  const trainers = trainWorkerFile() ? defaultTrainingWorkers() : 1;
  const training = trainers > 1 ? `, training on up to ${trainers} worker threads` : '';
  return {
    ok: true,
    description: `WebAssembly (${simd ? 'SIMD' : 'no SIMD'}, ${threads} thread${threads === 1 ? '' : 's'}${training})`,
    simd,
    threads,
  };
}

/** How each optional package's absence reads after its name (npm skips an optional dependency it cannot install). */
const OPTIONAL_WHY: Readonly<Record<string, string>> = {
  [GPU_PACKAGE]: ' is an optional dependency whose install downloads libtensorflow, and it was skipped',
  [NATIVE_PACKAGE]: ' is an optional dependency whose install downloads libtensorflow, and it was skipped',
  [WEBGPU_PACKAGE]: ' (Dawn for Node) is an optional dependency and was skipped',
};

/**
 * Turns a failed `import()` of a native tfjs package into one actionable line: not installed, a CUDA/cuDNN
 * library missing (the dlopen text names libcudart/libcudnn/…), libtensorflow missing, or the raw first line.
 */
export function classifyLoadError(pkg: string, err: unknown): string {
  const message = err instanceof Error ? err.message : String(err);
  const code = (err as { code?: unknown } | null)?.code;
  if ((code === 'ERR_MODULE_NOT_FOUND' || code === 'MODULE_NOT_FOUND') && message.includes(pkg)) {
    return `not installed: ${pkg}${OPTIONAL_WHY[pkg] ?? ' is an optional dependency and was skipped'}`;
  }
  const cuda = /(lib(?:cudart|cudnn|cublas(?:Lt)?|cufft|curand|cusolver|cusparse|nvinfer)[\w.-]*\.so[\d.]*)/.exec(message);
  if (cuda) {
    const which = /cudnn/.test(cuda[1]!) ? 'cuDNN' : 'CUDA';
    return `${which} library missing: ${cuda[1]} cannot be loaded (install the CUDA toolkit and cuDNN versions tfjs-node-gpu 4.x expects, CUDA 11.2 / cuDNN 8.1, or add them to LD_LIBRARY_PATH)`;
  }
  if (/libtensorflow/.test(message)) {
    return `libtensorflow missing: ${pkg} is installed but its native library is not (reinstall it with network access)`;
  }
  if (/no (cuda|gpu)[- ]capable device|CUDA_ERROR_NO_DEVICE|cuInit/i.test(message)) {
    return `no device: ${firstLine(err)}`;
  }
  return `failed to load: ${firstLine(err)}`;
}

/** Whether the kernel exposes an NVIDIA device node to this process. */
export function nvidiaDeviceVisible(): boolean {
  try {
    return existsSync('/dev/nvidia0') || readdirSync('/dev').some((name) => /^nvidia\d+$/.test(name));
  } catch {
    // /dev unreadable (sandboxes): no evidence of a device.
    return false;
  }
}

function firstLine(err: unknown): string {
  const message = err instanceof Error ? err.message : String(err);
  return message.split('\n')[0]!.trim().slice(0, 200);
}
