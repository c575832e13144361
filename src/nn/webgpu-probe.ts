// Run as a child process by nn/webgpu.ts: loads Dawn, asks for a high-performance adapter and a device on it,
// and prints one JSON line (ProbeReport). Dawn's own warnings go to this process's stderr, where the parent
// reads them as reasons instead of letting them reach the student's screen.
import { type AdapterCaps, type ProbeReport, deviceDescriptor } from './webgpu.js';

interface Adapter extends AdapterCaps {
  info?: { vendor?: string; architecture?: string; device?: string; description?: string };
  requestDevice(descriptor: object): Promise<{ destroy(): void }>;
}

async function main(): Promise<ProbeReport> {
  let gpu: { requestAdapter(options?: object): Promise<Adapter | null> };
  try {
    // By name at run time: an optional dependency that may be absent, so its types are not required to build.
    const pkg = 'webgpu';
    const dawn = (await import(pkg)) as unknown as { create(flags: string[]): typeof gpu; globals: object };
    Object.assign(globalThis, dawn.globals);
    gpu = dawn.create([]);
  } catch (err) {
    return { adapter: null, device: false, error: firstLine(err) };
  }
  const adapter = await gpu.requestAdapter({ powerPreference: 'high-performance' });
  if (!adapter) return { adapter: null, device: false };
  const info = adapter.info ?? {};
  const described = {
    vendor: info.vendor ?? '',
    architecture: info.architecture ?? '',
    device: info.device ?? '',
    description: info.description || [info.vendor, info.architecture, info.device].filter(Boolean).join(' ') || 'unnamed adapter',
  };
  try {
    const device = await adapter.requestDevice(deviceDescriptor(adapter));
    device.destroy();
    return { adapter: described, device: true };
  } catch (err) {
    return { adapter: described, device: false, error: firstLine(err) };
  }
}

function firstLine(err: unknown): string {
  return (err instanceof Error ? err.message : String(err)).split('\n')[0]!.slice(0, 200);
}

const report = await main().catch((err: unknown): ProbeReport => ({ adapter: null, device: false, error: firstLine(err) }));
process.stdout.write(`${JSON.stringify(report)}\n`);
// Dawn keeps native handles alive; the answer is out, so leave now.
process.exit(0);
