// The bench's PhaseNet row: inference with the shipped weights on synthetic windows, through the `pick` task.
import type { BenchRow } from './row.js';
import type { BenchOptions } from './workload.js';

/** Windows of 3,001 × 3 samples picked per second (WebAssembly backend). */
export async function phasenetRows(options: BenchOptions): Promise<BenchRow[]> {
  options.progress('PhaseNet: inference on 40 windows');
  const { runTask } = await import('../experiments/registry.js');
  const pick = await runTask('pick', { windows: '40', backend: 'wasm' }, 1);
  return [
    {
      workload: 'PhaseNet inference, shipped weights, windows of 3,001 × 3',
      eds: Number(pick.json.windows_per_second),
      reference: null,
      referenceName: 'none in this workload',
      unit: 'windows/s',
      ratio: null,
      goal: '',
      met: null,
      how: `eds run pick, 40 windows, backend ${String(pick.json.backend ?? '?')}`,
    },
  ];
}
