// The WebGPU route to a GPU: Dawn for Node (the optional `webgpu` package) drives the GPU through Vulkan, and
// tfjs-backend-webgpu runs the tensors there. Dawn is native code that prints its warnings straight to stderr
// (which would tear a full-screen lesson) and could crash on a broken driver, so whether it finds a usable
// device is asked first of a child process; only a device that answered there is opened in this process.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { safeLine } from '../util/safe-text.js';
import { PACKAGE_ROOT } from '../version.js';

/** What the probe (dist/nn/webgpu-probe.js) prints as its last stdout line. */
export interface ProbeReport {
  /** The adapter Dawn offered, or null when it offered none. */
  adapter: { vendor: string; architecture: string; device: string; description: string } | null;
  /** Whether a device could be created on that adapter. */
  device: boolean;
  /** Why the probe stopped early (import failed, requestDevice threw…), first line only. */
  error?: string;
}

/** A finished probe, as `classifyProbe` reads it. */
export interface ProbeRun {
  /** Exit status, or null when killed. */
  status: number | null;
  /** The signal that killed it, if any. */
  signal: string | null;
  /** Whether it was killed for running past the time limit. */
  timedOut: boolean;
  stdout: string;
  stderr: string;
}

/** The probe's verdict: a device to open, or one line saying why not. */
export type ProbeVerdict = { ok: true; adapter: NonNullable<ProbeReport['adapter']> } | { ok: false; reason: string };

/** How long Dawn gets to enumerate adapters and open a device (a first Vulkan start compiles driver caches). */
export const PROBE_TIMEOUT_MS = 20_000;

/** The adapter features and limits `deviceDescriptor` reads. */
export interface AdapterCaps {
  features: { has(name: string): boolean };
  limits: Record<string, number | undefined>;
}

/** Limits tfjs-backend-webgpu asks for: the adapter's own, so large convolutions fit. */
const REQUIRED_LIMITS = [
  'maxComputeWorkgroupStorageSize',
  'maxComputeWorkgroupsPerDimension',
  'maxStorageBufferBindingSize',
  'maxBufferSize',
  'maxComputeWorkgroupSizeX',
  'maxComputeInvocationsPerWorkgroup',
] as const;

/**
 * The device request tfjs-backend-webgpu 4.22 makes, without its slip: it pushes `['bgra8unorm-storage']` (an
 * array) as a feature name, which a strict WebIDL binding may refuse. Used by the probe and by the backend
 * factory alike, so the device the probe vouched for is the device training gets.
 */
export function deviceDescriptor(adapter: AdapterCaps): { requiredFeatures: string[]; requiredLimits: Record<string, number> } {
  const requiredFeatures = ['timestamp-query', 'bgra8unorm-storage'].filter((f) => adapter.features.has(f));
  const requiredLimits: Record<string, number> = {};
  for (const name of REQUIRED_LIMITS) {
    const value = adapter.limits[name];
    if (typeof value === 'number') requiredLimits[name] = value;
  }
  return { requiredFeatures, requiredLimits };
}

/** Directories the dynamic linker searches for the Vulkan loader on common Linux layouts, LD_LIBRARY_PATH first. */
export function vulkanLoaderCandidates(env: NodeJS.ProcessEnv = process.env): string[] {
  const dirs = (env.LD_LIBRARY_PATH ?? '').split(':').filter(Boolean);
  dirs.push(
    '/usr/lib/x86_64-linux-gnu',
    '/usr/lib/aarch64-linux-gnu',
    '/lib/x86_64-linux-gnu',
    '/lib/aarch64-linux-gnu',
    '/usr/lib64',
    '/usr/lib',
    '/lib64',
    '/lib',
  );
  return dirs.map((dir) => join(dir, 'libvulkan.so.1'));
}

/** The Vulkan loader's path, or null when none of the usual places has one (then Dawn cannot start at all). */
export function findVulkanLoader(env: NodeJS.ProcessEnv = process.env, exists: (path: string) => boolean = existsSync): string | null {
  if (process.platform !== 'linux') return 'not needed outside Linux';
  return vulkanLoaderCandidates(env).find((path) => exists(path)) ?? null;
}

/** The reason given when no loader is found: the same words as Dawn's own failure, with what to install. */
export const NO_VULKAN_LOADER = 'no Vulkan loader: libvulkan.so.1 cannot be loaded (install libvulkan1 and a GPU driver with Vulkan, e.g. the NVIDIA driver)';

/** Runs the probe in a child process with the same Node; never throws. */
export function runProbe(timeoutMs: number = PROBE_TIMEOUT_MS): ProbeRun {
  // Beside this module once built; from the sources (tests), the built copy.
  const beside = join(dirname(fileURLToPath(import.meta.url)), 'webgpu-probe.js');
  const script = existsSync(beside) ? beside : join(PACKAGE_ROOT, 'dist', 'nn', 'webgpu-probe.js');
  if (!existsSync(script)) return { status: 1, signal: null, timedOut: false, stdout: '', stderr: `probe script missing: ${script} (run npm run build)` };
  const r = spawnSync(process.execPath, [script], { encoding: 'utf8', timeout: timeoutMs, stdio: ['ignore', 'pipe', 'pipe'], maxBuffer: 1 << 20 });
  const timedOut = (r.error as NodeJS.ErrnoException | undefined)?.code === 'ETIMEDOUT';
  return { status: r.status, signal: r.signal, timedOut, stdout: r.stdout ?? '', stderr: r.stderr ?? '' };
}

/**
 * Reads a probe run as one actionable line. Dawn's own messages name the cause: "Couldn't load Vulkan"
 * (no loader), "Vulkan <feature> required" (a Vulkan device too weak for WebGPU, typically Mesa's software
 * lavapipe on a machine without a GPU driver), or nothing at all when there simply is no adapter.
 */
export function classifyProbe(run: ProbeRun): ProbeVerdict {
  const stderr = run.stderr;
  const report = parseReport(run.stdout);
  if (report?.adapter && report.device) {
    const a = report.adapter;
    return {
      ok: true,
      adapter: {
        vendor: safeLine(a.vendor, 60),
        architecture: safeLine(a.architecture, 60),
        device: safeLine(a.device, 60),
        description: safeLine(a.description, 80),
      },
    };
  }
  if (run.timedOut) return { ok: false, reason: `no answer: Dawn did not find an adapter within ${PROBE_TIMEOUT_MS / 1000} s (a hung GPU driver?)` };
  if (run.signal) return { ok: false, reason: `the WebGPU probe crashed (${run.signal}) inside Dawn or the GPU driver` };
  if (/Couldn't load Vulkan|libvulkan\.so[.\d]*: cannot open/i.test(stderr)) return { ok: false, reason: NO_VULKAN_LOADER };
  const missingFeature = /Vulkan ([\w*]+) required/.exec(stderr);
  if (missingFeature) {
    return {
      ok: false,
      reason: `adapter lacks a feature: the only Vulkan device lacks ${missingFeature[1]} that WebGPU requires (a software Vulkan such as lavapipe, not a GPU driver)`,
    };
  }
  if (report?.error && /Cannot find module|ERR_MODULE_NOT_FOUND|dawn\.node/.test(report.error)) {
    return { ok: false, reason: `Dawn cannot load here: ${safeLine(report.error, 160)} (no prebuilt dawn.node for ${process.platform}-${process.arch}?)` };
  }
  if (report?.adapter && !report.device) {
    const what = safeLine(report.adapter.description, 80);
    return { ok: false, reason: `the adapter "${what}" could not create a device${report.error ? `: ${safeLine(report.error, 160)}` : ''}` };
  }
  if (report && report.adapter === null) {
    const said = firstMeaningfulLine(stderr);
    return {
      ok: false,
      reason: `no adapter: Dawn found no GPU through Vulkan${said ? ` (${said})` : ' (is the GPU driver’s Vulkan ICD installed? see /usr/share/vulkan/icd.d)'}`,
    };
  }
  const said = report?.error ? safeLine(report.error, 160) : firstMeaningfulLine(stderr);
  return { ok: false, reason: `the WebGPU probe failed (exit ${run.status ?? '?'})${said ? `: ${said}` : ''}` };
}

function parseReport(stdout: string): ProbeReport | null {
  const last = stdout.trim().split('\n').pop();
  if (!last) return null;
  try {
    const value = JSON.parse(last) as ProbeReport;
    return typeof value === 'object' && value !== null && 'device' in value ? value : null;
  } catch {
    return null;
  }
}

/** The first stderr line worth showing (Dawn prefixes its own with "Warning:"), bounded. */
function firstMeaningfulLine(text: string): string {
  const line = text
    .split('\n')
    .map((l) => l.trim())
    .find((l) => l !== '' && !l.startsWith('at ') && !/XDG_RUNTIME_DIR/.test(l));
  return safeLine((line ?? '').replace(/^Warning:\s*/, ''), 160);
}
