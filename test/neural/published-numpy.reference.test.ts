// The published PhaseNet in tfjs against an independent NumPy implementation of model.py's graph from the same
// checkpoint (test/fixtures/phasenet/make_reference.py: its own bundle reader, float64): the whole forward pass,
// preprocessing included, on three 3,000-sample crops of real windows, on the WebAssembly backend and on plain JS.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parseNpy } from '../../src/data/npy.js';
import { loadPicker, readPhaseRecord } from '../../src/experiments/pick.js';
import { predictWindows } from '../../src/seismology/phasenet/predict.js';
import { normalizeWindow } from '../../src/seismology/phasenet/window.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const FIXTURE = path.join(root, 'test/fixtures/phasenet');
const REAL = path.resolve(root, '../shared/data/phases');
const reference = JSON.parse(readFileSync(path.join(FIXTURE, 'reference.json'), 'utf8')) as {
  windows: Array<{ file: string; start: number; length: number }>;
  peaks: Array<{ p_argmax: number; s_argmax: number }>;
};
const expected = parseNpy(new Uint8Array(readFileSync(path.join(FIXTURE, 'probabilities.npy'))), 'probabilities.npy');

/** Largest difference allowed between tfjs (float32) and NumPy (float64) probabilities: measured 7 × 10⁻⁷ on wasm. */
const TOLERANCE = 1e-5;

describe.each(['wasm', 'js'] as const)('the published PhaseNet on %s', (backend) => {
  it('gives the NumPy graph probabilities within 1e-5 at every sample of three real crops', async () => {
    expect(expected.shape).toEqual([reference.windows.length, 3000, 3]);
    const picker = await loadPicker(backend, 'published');
    try {
      for (const [k, w] of reference.windows.entries()) {
        const rec = await readPhaseRecord(path.join(REAL, w.file));
        const crop = rec.values.subarray(w.start * 3, (w.start + w.length) * 3);
        const [probs] = await predictWindows(picker.tf, picker.model, [normalizeWindow(crop, w.length, 3, picker.normalisation)]);
        let worst = 0;
        for (let i = 0; i < probs!.length; i++) worst = Math.max(worst, Math.abs(probs![i]! - expected.data[k * 9000 + i]!));
        expect(worst, w.file).toBeLessThan(TOLERANCE);
        // And so the same peaks: the P and S the picker reads off them.
        const argmax = (c: number): number => {
          let best = 0;
          for (let i = 1; i < w.length; i++) if (probs![i * 3 + c]! > probs![best * 3 + c]!) best = i;
          return best;
        };
        expect([argmax(1), argmax(2)], w.file).toEqual([reference.peaks[k]!.p_argmax, reference.peaks[k]!.s_argmax]);
      }
    } finally {
      picker.model.dispose();
    }
  }, 120_000);

  it('needs the repository normalisation: without the ×3 of a one-channel record the probabilities move', async () => {
    const picker = await loadPicker(backend, 'published');
    try {
      const w = reference.windows[1]!; // NC_CAL: only Z is live
      const rec = await readPhaseRecord(path.join(REAL, w.file));
      const crop = rec.values.subarray(w.start * 3, (w.start + w.length) * 3);
      const [plain] = await predictWindows(picker.tf, picker.model, [normalizeWindow(crop, w.length, 3, 'eds')]);
      let worst = 0;
      for (let i = 0; i < plain!.length; i++) worst = Math.max(worst, Math.abs(plain![i]! - expected.data[9000 + i]!));
      expect(worst).toBeGreaterThan(100 * TOLERANCE);
    } finally {
      picker.model.dispose();
    }
  }, 120_000);
});
