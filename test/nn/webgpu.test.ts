// The WebGPU route: every reason it can fail reads as one line a student or an administrator can act on, a
// failure never leaves a half-started backend behind, and the kernels the course's models train with are all
// registered on WebGPU (so no "Kernel … not registered" on a GPU nobody here can test on).
import { describe, expect, it } from 'vitest';
import { type ProbeRun, classifyProbe, deviceDescriptor, findVulkanLoader, NO_VULKAN_LOADER, runProbe } from '../../src/nn/webgpu.js';
import { initBackend } from '../../src/nn/backend.js';

const run = (over: Partial<ProbeRun>): ProbeRun => ({ status: 0, signal: null, timedOut: false, stdout: '', stderr: '', ...over });
const noAdapter = JSON.stringify({ adapter: null, device: false });
const adapter = { vendor: 'nvidia', architecture: 'hopper', device: 'H200', description: 'NVIDIA H200' };

describe('classifyProbe', () => {
  it('passes an adapter that opened a device, with its description made safe to print', () => {
    const v = classifyProbe(run({ stdout: `${JSON.stringify({ adapter: { ...adapter, description: 'NVIDIA\u001b[2J H200' }, device: true })}\n` }));
    expect(v).toMatchObject({ ok: true, adapter: { vendor: 'nvidia' } });
    expect(v.ok && v.adapter.description).not.toContain('\u001b');
  });

  it('names each cause from what Dawn printed', () => {
    const cases: Array<[ProbeRun, RegExp]> = [
      [
        run({ stdout: noAdapter, stderr: "Warning: Couldn't load Vulkan: libvulkan.so.1: cannot open shared object file\n    at operator()" }),
        /^no Vulkan loader: .*install libvulkan1/,
      ],
      [
        run({
          stdout: noAdapter,
          stderr: 'error: XDG_RUNTIME_DIR is invalid\nWarning: Vulkan shaderUniform*ArrayDynamicIndexing required.\n - While initializing adapter',
        }),
        /^adapter lacks a feature: .*shaderUniform\*ArrayDynamicIndexing.*lavapipe/,
      ],
      [run({ stdout: noAdapter }), /^no adapter: Dawn found no GPU through Vulkan \(is the GPU driver’s Vulkan ICD installed/],
      [
        run({ stdout: noAdapter, stderr: 'Warning: vkCreateInstance failed with VK_ERROR_INCOMPATIBLE_DRIVER\n    at x' }),
        /^no adapter: .*VK_ERROR_INCOMPATIBLE_DRIVER/,
      ],
      [
        run({ stdout: JSON.stringify({ adapter, device: false, error: 'device lost: out of memory' }) }),
        /^the adapter "NVIDIA H200" could not create a device: device lost/,
      ],
      [
        run({ stdout: JSON.stringify({ adapter: null, device: false, error: "Cannot find module '/x/dist/linux-riscv64/dawn.node'" }) }),
        /^Dawn cannot load here: .*prebuilt dawn\.node/,
      ],
      [run({ status: null, timedOut: true, signal: 'SIGTERM' }), /^no answer: Dawn did not find an adapter within 20 s/],
      [run({ status: null, signal: 'SIGSEGV' }), /^the WebGPU probe crashed \(SIGSEGV\)/],
      [run({ status: 1, stderr: 'SyntaxError: nonsense\u0007' }), /^the WebGPU probe failed \(exit 1\): SyntaxError: nonsense$/],
    ];
    for (const [probe, expected] of cases) {
      const v = classifyProbe(probe);
      expect(v.ok).toBe(false);
      if (!v.ok) {
        expect(v.reason).toMatch(expected);
        expect(v.reason).not.toMatch(/[\n\u0000-\u001f]/);
      }
    }
  });

  it('gives this machine’s real probe a known reason (no GPU here nor in CI)', () => {
    if (findVulkanLoader() === null) return expect(NO_VULKAN_LOADER).toMatch(/libvulkan1/);
    const v = classifyProbe(runProbe());
    if (v.ok) return; // A machine with a GPU: nothing to classify.
    expect(v.reason).toMatch(/^(no Vulkan loader|adapter lacks a feature|no adapter)/);
  });
});

describe('findVulkanLoader', () => {
  it('looks in LD_LIBRARY_PATH first, then the usual directories, and says null when none has it', () => {
    const seen: string[] = [];
    expect(
      findVulkanLoader({ LD_LIBRARY_PATH: '/opt/vk/lib' }, (p) => {
        seen.push(p);
        return false;
      }),
    ).toBeNull();
    expect(seen[0]).toBe('/opt/vk/lib/libvulkan.so.1');
    expect(seen).toContain('/usr/lib/x86_64-linux-gnu/libvulkan.so.1');
    expect(findVulkanLoader({}, (p) => p === '/usr/lib64/libvulkan.so.1')).toBe('/usr/lib64/libvulkan.so.1');
  });
});

describe('deviceDescriptor', () => {
  it('asks only for features the adapter has, as strings, and for the adapter’s own limits', () => {
    const d = deviceDescriptor({
      features: new Set(['bgra8unorm-storage', 'shader-f16']),
      limits: { maxBufferSize: 2 ** 31, maxStorageBufferBindingSize: 2 ** 30, maxTextureDimension2D: 8192 },
    });
    expect(d.requiredFeatures).toEqual(['bgra8unorm-storage']);
    expect(d.requiredLimits).toEqual({ maxBufferSize: 2 ** 31, maxStorageBufferBindingSize: 2 ** 30 });
  });
});

describe('initBackend and WebGPU', () => {
  const absent = (name: string) => Object.assign(new Error(`Cannot find package '${name}'`), { code: 'ERR_MODULE_NOT_FOUND' });

  it('says the packages are not installed when npm skipped them', async () => {
    const { info } = await initBackend('auto', { importer: async (n) => Promise.reject(absent(n)) });
    expect(info.attempts.find((a) => a.kind === 'webgpu')?.reason).toMatch(/^not installed: webgpu \(Dawn for Node\) is an optional dependency/);
  });

  it('says no Vulkan loader without starting a probe', async () => {
    let probed = false;
    const { info } = await initBackend('auto', {
      exclude: ['gpu', 'native'],
      vulkanLoader: () => null,
      probeWebgpu: () => {
        probed = true;
        return run({ stdout: noAdapter });
      },
    });
    expect(info.attempts.find((a) => a.kind === 'webgpu')?.reason).toBe(NO_VULKAN_LOADER);
    expect(probed).toBe(false);
    expect(info.kind).toBe('wasm');
  });

  it('falls to WebAssembly with no webgpu backend left behind when the device the probe found fails to start', async () => {
    const tf = await import('../../src/nn/tf.js');
    // A Dawn that vouched for a device in the probe but offers none here (a GPU lost between the two).
    const fakeDawn = { globals: {}, create: () => ({ requestAdapter: async () => null }) };
    const importer = async (name: string): Promise<unknown> => {
      if (name === 'webgpu') return fakeDawn;
      if (name === '@tensorflow/tfjs-backend-webgpu') return import('@tensorflow/tfjs-backend-webgpu');
      throw absent(name);
    };
    const warned: unknown[] = [];
    const warn = console.warn;
    console.warn = (...args: unknown[]) => warned.push(args);
    try {
      const { info } = await initBackend('auto', {
        importer,
        vulkanLoader: () => '/usr/lib/libvulkan.so.1',
        probeWebgpu: () => run({ stdout: JSON.stringify({ adapter, device: true }) }),
      });
      expect(info.attempts.find((a) => a.kind === 'webgpu')).toMatchObject({ ok: false, reason: expect.stringMatching(/failed to start/) });
      expect(info.kind).toBe('wasm');
      expect(tf.getBackend()).toBe('wasm');
      expect(tf.findBackend('webgpu')).toBeNull();
      expect(tf.findBackendFactory('webgpu')).toBeNull();
      expect(warned).toEqual([]);
      // And the backend still trains: a gradient on wasm.
      const g = tf.grad((x: import('@tensorflow/tfjs-core').Tensor) => tf.sum(tf.square(x)))(tf.tensor1d([1, 2, 3]));
      expect(Array.from(g.dataSync())).toEqual([2, 4, 6]);
    } finally {
      console.warn = warn;
    }
  });

  it('a forced --backend webgpu that cannot load is one line with the reason', async () => {
    await expect(initBackend('webgpu', { vulkanLoader: () => null })).rejects.toThrow(/^backend "webgpu" is not available \(webgpu: no Vulkan loader/);
  });
});
