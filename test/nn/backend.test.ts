// Backend selection: the reasons a faster backend did not load, and never a silent fall to plain JavaScript.
import { availableParallelism } from 'node:os';
import { describe, expect, it } from 'vitest';
import { classifyLoadError, initBackend } from '../../src/nn/backend.js';
import { UserError } from '../../src/errors.js';

function notFound(pkg: string): Error {
  return Object.assign(new Error(`Cannot find package '${pkg}' imported from /x/backend.js`), { code: 'ERR_MODULE_NOT_FOUND' });
}

const cudaMissing = new Error(
  'libcudart.so.11.0: cannot open shared object file: No such file or directory\n    at Module._extensions..node (node:internal/modules/cjs/loader:1340:18)',
);

describe('classifyLoadError', () => {
  it('says a skipped optional package is not installed', () => {
    expect(classifyLoadError('@tensorflow/tfjs-node-gpu', notFound('@tensorflow/tfjs-node-gpu'))).toMatch(/^not installed: .*optional dependency/);
  });
  it('recognises the CUDA and cuDNN dlopen errors and names the library', () => {
    expect(classifyLoadError('@tensorflow/tfjs-node-gpu', cudaMissing)).toMatch(/^CUDA library missing: libcudart\.so\.11\.0/);
    const cudnn = new Error('Could not load dynamic library libcudnn.so.8; dlerror: libcudnn.so.8: cannot open shared object file');
    expect(classifyLoadError('@tensorflow/tfjs-node-gpu', cudnn)).toMatch(/^cuDNN library missing: libcudnn\.so\.8/);
  });
  it('recognises a missing libtensorflow and keeps other errors to one line', () => {
    expect(classifyLoadError('@tensorflow/tfjs-node', new Error('libtensorflow.so.2: cannot open shared object file'))).toMatch(/^libtensorflow missing/);
    const other = classifyLoadError('@tensorflow/tfjs-node', new Error('something odd\nstack line'));
    expect(other).toBe('failed to load: something odd');
  });
});

describe('initBackend', () => {
  it('auto skips absent native packages with reasons and lands on WebAssembly here', async () => {
    const { info } = await initBackend('auto', { importer: async (name) => Promise.reject(notFound(name)) });
    expect(info.kind).toBe('wasm');
    expect(info.tfjsName).toBe('wasm');
    expect(info.warning).toBeUndefined();
    expect(info.attempts.map((a) => [a.kind, a.ok])).toEqual([
      ['gpu', false],
      ['webgpu', false],
      ['native', false],
      ['wasm', true],
    ]);
    expect(info.attempts[0]!.reason).toMatch(/^not installed/);
    // The kernels run on one thread; networks train on a worker per core, two at most (dist/nn/train-worker.js built).
    const training = availableParallelism() > 1 ? ', training on up to 2 worker threads' : '';
    expect(info.description).toMatch(new RegExp(`^WebAssembly \\((SIMD|no SIMD), 1 thread${training}\\)$`));
  });

  it('reports a CUDA library missing for the GPU package', async () => {
    const importer = async (name: string): Promise<unknown> => Promise.reject(name.endsWith('-gpu') ? cudaMissing : notFound(name));
    const { info } = await initBackend('auto', { importer });
    expect(info.attempts[0]).toMatchObject({ kind: 'gpu', ok: false });
    expect(info.attempts[0]!.reason).toMatch(/CUDA library missing: libcudart/);
  });

  it('says no device when CUDA_VISIBLE_DEVICES hides every GPU', async () => {
    const { info } = await initBackend('auto', { env: { CUDA_VISIBLE_DEVICES: '' }, importer: async (n) => Promise.reject(notFound(n)) });
    expect(info.attempts[0]!.reason).toMatch(/^no device: CUDA_VISIBLE_DEVICES=""/);
  });

  it('warns when auto ends on plain JavaScript', async () => {
    const { info } = await initBackend('auto', { importer: async (n) => Promise.reject(notFound(n)), exclude: ['wasm'] });
    expect(info.kind).toBe('js');
    expect(info.warning).toMatch(/plain JavaScript backend.*gpu: not installed.*wasm: excluded/);
  });

  it('a forced backend that cannot load is a one-line user error', async () => {
    const err = await initBackend('gpu', { importer: async () => Promise.reject(cudaMissing) }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(UserError);
    expect((err as Error).message).toMatch(/^backend "gpu" is not available \(gpu: CUDA library missing/);
    expect((err as Error).message).not.toContain('\n');
    await expect(initBackend('tpu' as never)).rejects.toThrow(/unknown backend "tpu"/);
  });

  it('a forced js backend carries no warning (the user asked for it)', async () => {
    const { info } = await initBackend('js', { exclude: [] });
    expect(info.kind).toBe('js');
    expect(info.warning).toBeUndefined();
  });
});
