// eds doctor: the backend and why, CUDA visibility from PATH/ldconfig/env, terminal and paths, as JSON and as text.
import { describe, expect, it, vi } from 'vitest';
import { chmodSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { doctorCommand, formatDoctorReport, gatherDoctorReport, librariesIn } from '../../src/cli/commands/doctor.js';

describe('eds doctor', () => {
  it('parses libcudart and libcudnn from ldconfig -p', () => {
    const out = [
      "1234 libs found in cache `/etc/ld.so.cache'",
      '\tlibcudnn.so.8 (libc6,x86-64) => /usr/lib/x86_64-linux-gnu/libcudnn.so.8',
      '\tlibcudart.so.11.0 (libc6,x86-64) => /usr/local/cuda/lib64/libcudart.so.11.0',
      '\tlibc.so.6 (libc6,x86-64) => /lib/x86_64-linux-gnu/libc.so.6',
    ].join('\n');
    expect(librariesIn(out, 'libcudart')).toEqual(['/usr/local/cuda/lib64/libcudart.so.11.0']);
    expect(librariesIn(out, 'libcudnn')).toEqual(['/usr/lib/x86_64-linux-gnu/libcudnn.so.8']);
    expect(librariesIn(out, 'libcublas')).toEqual([]);
  });

  it('reports the backend, a GPU listed by nvidia-smi, CUDA_VISIBLE_DEVICES, the data and course directories', async () => {
    const bin = mkdtempSync(path.join(tmpdir(), 'eds-doctor-'));
    writeFileSync(path.join(bin, 'nvidia-smi'), '#!/bin/sh\necho "GPU 0: NVIDIA Test GPU (UUID: GPU-123)"\n');
    chmodSync(path.join(bin, 'nvidia-smi'), 0o755);
    const env = {
      PATH: `${bin}:${process.env.PATH}`,
      CUDA_VISIBLE_DEVICES: '0',
      EDS_HOME: '/tmp/eds-home-x',
      EDS_COURSE_DIR: '/srv/course',
      NO_COLOR: '1',
      LANG: 'C',
    };
    const report = await gatherDoctorReport(env);
    expect(report.backend.in_use).toBe('wasm');
    expect(report.backend.failed.map((f) => f.backend)).toEqual(['gpu', 'webgpu', 'native']);
    // WebGPU's reason is one of the known ones (no GPU here nor in CI), and the Vulkan facts are reported.
    expect(report.backend.failed[1]!.reason).toMatch(/^(not installed|no Vulkan loader|adapter lacks a feature|no adapter)/);
    expect(report.webgpu.vulkan_loader === null || report.webgpu.vulkan_loader.endsWith('libvulkan.so.1')).toBe(true);
    expect(report.backend.failed[0]!.reason).toMatch(/^not installed/);
    expect(report.backend.load_seconds).toBeGreaterThanOrEqual(0);
    expect(report.cuda).toMatchObject({
      nvidia_smi: path.join(bin, 'nvidia-smi'),
      gpus: ['GPU 0: NVIDIA Test GPU (UUID: GPU-123)'],
      cuda_visible_devices: '0',
    });
    expect(report).toMatchObject({ data_dir: '/tmp/eds-home-x', course_dir: '/srv/course', node_version: process.versions.node });
    expect(report.terminal).toMatchObject({ colors: 0, unicode: false });
    expect(report.cpu_count).toBeGreaterThan(0);
    const text = formatDoctorReport(report);
    expect(text).toMatch(/^backend: +wasm: WebAssembly/m);
    expect(text).toMatch(/^ {2}not gpu: +not installed/m);
    expect(text).toMatch(/^ {2}GPU: +GPU 0: NVIDIA Test GPU/m);
    expect(text).toMatch(/^course: +\/srv\/course$/m);
    // /srv/course does not exist here: the class ranking says so rather than "not published".
    expect(report.course_ranking).toBe('the course directory /srv/course does not exist');
    expect(text).toMatch(/^ {2}ranking: +the course directory \/srv\/course does not exist$/m);
  });

  it('lists the PhaseNet weights eds run pick --weights can load, with their provenance and parameter count', async () => {
    const report = await gatherDoctorReport({ PATH: process.env.PATH, NO_COLOR: '1' });
    const byName = new Map(report.phasenet_weights.map((w) => [w.name, w]));
    expect([...byName.keys()]).toEqual(['published', 'shipped']);
    expect(byName.get('published')).toMatchObject({ window_samples: 3000, trainable_parameters: 268_443, values: 269_675, problem: null });
    expect(byName.get('published')!.trained_by).toMatch(/Zhu & Beroza \(2019\)/);
    expect(byName.get('shipped')).toMatchObject({ window_samples: 3001, trainable_parameters: 268_443, trained_by: 'npm run train:phasenet', problem: null });
    const text = formatDoctorReport(report);
    expect(text).toMatch(/^ {2}published: +268,443 trainable parameters, 3000-sample windows; Zhu & Beroza/m);
    expect(text).toMatch(/^ {2}shipped: +268,443 trainable parameters, 3001-sample windows; npm run train:phasenet$/m);
  });

  it('prints snake_case JSON with --json', async () => {
    const write = vi.spyOn(process.stdout, 'write').mockImplementation(() => true);
    try {
      await (doctorCommand.handler as (a: unknown) => Promise<void>)({ json: true, _: ['doctor'], $0: 'eds' });
      const printed = JSON.parse(String(write.mock.calls[0]![0]));
      expect(Object.keys(printed)).toEqual(expect.arrayContaining(['backend', 'cuda', 'terminal', 'data_dir', 'course_dir', 'cpu_count', 'node_version']));
      for (const key of Object.keys(printed)) expect(key).toMatch(/^[a-z0-9_]+$/);
    } finally {
      write.mockRestore();
    }
  });
});
