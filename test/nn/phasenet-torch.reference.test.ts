// PhaseNet with the shipped weights gives PyTorch's probabilities: the same network rebuilt from model.json and
// weights.bin by test/fixtures/torch/phasenet_reference.py, on two synthetic windows (phasenet_probs.json).
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { initBackend } from '../../src/nn/backend.js';
import { buildPhaseNet } from '../../src/nn/models.js';
import { PHASENET_CHANNELS, PHASENET_LENGTH, predictWindows } from '../../src/seismology/phasenet/predict.js';
import { loadPhaseNetWeights } from '../../src/seismology/phasenet/weights.js';

const ROOT = path.resolve(import.meta.dirname, '../..');
const fixture = JSON.parse(readFileSync(path.join(ROOT, 'test/fixtures/torch/phasenet_probs.json'), 'utf8')) as {
  every: number;
  probabilities: number[][][];
};

/** The script's fixture_window: quiet sines, then two decaying bursts. */
function fixtureWindow(k: number): Float32Array {
  const w = new Float32Array(PHASENET_LENGTH * PHASENET_CHANNELS);
  const p = 900 + 300 * k,
    s = 1700 + 300 * k;
  for (let t = 0; t < PHASENET_LENGTH; t++) {
    for (let c = 0; c < PHASENET_CHANNELS; c++) {
      let v = 0.1 * Math.sin(0.05 * t + c);
      if (t >= p) v += Math.exp(-(t - p) / 200) * Math.sin(0.9 * t + 0.5 * c);
      if (t >= s) v += 2 * Math.exp(-(t - s) / 300) * Math.sin(0.4 * t + c);
      w[t * PHASENET_CHANNELS + c] = v;
    }
  }
  return w;
}

describe('PhaseNet against PyTorch with the same weights', () => {
  it('gives the same noise, P and S probabilities within 1e-4, and the windows are not all noise', async () => {
    const { tf } = await initBackend('wasm');
    const model = buildPhaseNet({ seed: 0 });
    loadPhaseNetWeights(tf, model);
    const probs = await predictWindows(tf, model, [fixtureWindow(0), fixtureWindow(1)]);
    model.dispose();
    let worst = 0;
    fixture.probabilities.forEach((rows, k) => {
      rows.forEach((want, j) => {
        for (let c = 0; c < 3; c++) worst = Math.max(worst, Math.abs(probs[k]![j * fixture.every * 3 + c]! - want[c]!));
      });
    });
    expect(worst).toBeLessThan(1e-4);
    // Not a flat answer: each window has a confident P somewhere and some S probability.
    for (const rows of fixture.probabilities) {
      expect(Math.max(...rows.map((r) => r[1]!))).toBeGreaterThan(0.5);
      expect(Math.max(...rows.map((r) => r[2]!))).toBeGreaterThan(0.05);
    }
  });
});
