// The synthetic phases generator: reproducible, physically consistent S−P times and polarisation, picks inside the window.
import { describe, expect, it } from 'vitest';
import { generatePhases, PHASE_SAMPLE_RATE, PHASE_WINDOW } from '../../src/seismology/phase-windows.js';
import { expectWellFormedWindow } from '../support/phases.js';

/** RMS of one component between two samples, after removing the window's mean on that component. */
function rms(w: Float32Array, c: number, from: number, to: number): number {
  let mean = 0;
  for (let i = 0; i < PHASE_WINDOW; i++) mean += w[i * 3 + c]!;
  mean /= PHASE_WINDOW;
  let s = 0;
  for (let i = from; i < to; i++) s += (w[i * 3 + c]! - mean) ** 2;
  return Math.sqrt(s / (to - from));
}

describe('phases generator', () => {
  const windows = generatePhases({ seed: 42, count: 40 });

  it('is reproducible, and window k does not depend on how many are drawn', () => {
    const again = generatePhases({ seed: 42, count: 3 });
    expect(again[2]!.waveform).toEqual(windows[2]!.waveform);
    expect(again[2]!.its).toBe(windows[2]!.its);
    expect(generatePhases({ seed: 43, count: 1 })[0]!.itp).not.toBe(windows[0]!.itp);
  });

  it('draws 3,001 × 3 finite samples with P before S, both inside the window', () => {
    for (const w of windows) expectWellFormedWindow(w);
  });

  it('sets S−P from the distance: 0.113 to 0.130 s per km for Vp 6 km/s and Vp/Vs 1.68–1.80', () => {
    for (const w of windows) {
      const perKm = (w.its - w.itp) / PHASE_SAMPLE_RATE / w.distanceKm;
      expect(perKm).toBeGreaterThan(0.112);
      expect(perKm).toBeLessThan(0.1335);
    }
    // Short S−P times (close events) are part of the set, as on real local networks.
    expect(windows.some((w) => w.its - w.itp < 150)).toBe(true);
  });

  it('polarises P on the vertical and S on the horizontals', () => {
    let pOnZ = 0;
    let sOnH = 0;
    // High-SNR windows with at least 1.5 s between P and S, so each phase has its own stretch of record.
    const clear = windows.filter((w) => w.snrP > 20 && w.its - w.itp > 150);
    expect(clear.length).toBeGreaterThan(5);
    for (const w of clear) {
      const pEnd = Math.min(w.its, w.itp + 100);
      const z = rms(w.waveform, 2, w.itp, pEnd);
      const h = Math.hypot(rms(w.waveform, 0, w.itp, pEnd), rms(w.waveform, 1, w.itp, pEnd));
      if (z > h) pOnZ++;
      const sz = rms(w.waveform, 2, w.its, w.its + 150);
      const sh = Math.hypot(rms(w.waveform, 0, w.its, w.its + 150), rms(w.waveform, 1, w.its, w.its + 150));
      if (sh > sz) sOnH++;
    }
    expect(pOnZ).toBe(clear.length);
    expect(sOnH).toBe(clear.length);
  });

  it('puts noise before the P and a louder signal after it', () => {
    for (const w of windows.filter((x) => x.snrP > 10)) {
      expect(rms(w.waveform, 2, w.itp, w.itp + 100)).toBeGreaterThan(2 * rms(w.waveform, 2, 0, w.itp - 20));
    }
  });
});
