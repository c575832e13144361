// A check every generated phases window must pass, whatever its domain.
import { expect } from 'vitest';
import { PHASE_WINDOW, type PhaseWindow } from '../../src/seismology/phase-windows.js';

/** 3,001 × 3 finite samples, P at least 2 s in, S after P and at least 2 s before the end. */
export function expectWellFormedWindow(w: PhaseWindow): void {
  expect(w.waveform.length).toBe(PHASE_WINDOW * 3);
  expect(w.waveform.every(Number.isFinite)).toBe(true);
  expect(w.itp).toBeGreaterThanOrEqual(200);
  expect(w.its).toBeGreaterThan(w.itp);
  expect(w.its).toBeLessThan(PHASE_WINDOW - 200);
}
