// The picker and its scoring on hand-made probability traces, and PhaseNet's window helpers, against hand-computed answers.
import { describe, expect, it } from 'vitest';
import { findPicks, scorePicks, PICK_DEFAULTS } from '../../src/seismology/phasenet/picks.js';
import { cropRecord, mergeWindowProbabilities, normalizeWindow, phaseLabels, scanStarts, shiftedCropStart } from '../../src/seismology/phasenet/window.js';

/** A probability trace with Gaussian bumps of given heights (σ in samples). */
function bumps(length: number, peaks: Array<[number, number]>, sigma = 20): Float32Array {
  const out = new Float32Array(length);
  for (let i = 0; i < length; i++) for (const [at, h] of peaks) out[i] = Math.max(out[i]!, h * Math.exp(-((i - at) ** 2) / (2 * sigma * sigma)));
  return out;
}

describe('findPicks', () => {
  it('returns the peaks above the threshold, in time order', () => {
    const trace = bumps(3001, [
      [500, 0.9],
      [1500, 0.25],
      [2500, 0.6],
    ]);
    expect(findPicks(trace, 0.3, 100)).toEqual([
      { index: 500, probability: expect.closeTo(0.9, 6) },
      { index: 2500, probability: expect.closeTo(0.6, 6) },
    ]);
    // The 0.25 peak appears once the threshold is lowered below it.
    expect(findPicks(trace, 0.2, 100).map((p) => p.index)).toEqual([500, 1500, 2500]);
  });
  it('keeps the taller of two peaks closer than the minimum distance', () => {
    const trace = bumps(
      1000,
      [
        [400, 0.5],
        [450, 0.8],
      ],
      5,
    );
    expect(findPicks(trace, 0.3, 100).map((p) => p.index)).toEqual([450]);
    expect(findPicks(trace, 0.3, 40).map((p) => p.index)).toEqual([400, 450]);
  });
  it('reports a plateau at its middle and ignores a trace that never reaches the threshold', () => {
    const plateau = new Float32Array(100);
    plateau.fill(0.7, 40, 51); // samples 40…50
    expect(findPicks(plateau, 0.3, 10)).toEqual([{ index: 45, probability: expect.closeTo(0.7, 6) }]);
    expect(findPicks(new Float32Array(100).fill(0.1))).toEqual([]);
  });
  it('uses 0.3 as the default threshold', () => {
    expect(PICK_DEFAULTS.threshold).toBe(0.3);
    expect(findPicks(bumps(500, [[250, 0.31]])).length).toBe(1);
    expect(findPicks(bumps(500, [[250, 0.29]])).length).toBe(0);
  });
});

describe('scorePicks', () => {
  it('counts true and false picks and residuals as worked out by hand', () => {
    // Window 1: pick 20 samples late (TP, +0.2 s). Window 2: picks 60 early (outside 50) → FN + FP.
    // Window 3: two picks, the closer (−10) is TP, the other FP. Window 4: no analyst pick, one model pick → FP.
    const score = scorePicks([1000, 1000, 1000, null], [[1020], [940], [990, 1300], [500]], 50, 100);
    expect(score.truePositives).toBe(2);
    expect(score.falsePositives).toBe(3);
    expect(score.falseNegatives).toBe(1);
    expect(score.precision).toBeCloseTo(2 / 5, 12);
    expect(score.recall).toBeCloseTo(2 / 3, 12);
    expect(score.f1).toBeCloseTo((2 * 0.4 * (2 / 3)) / (0.4 + 2 / 3), 12);
    expect(score.residualsS).toEqual([0.2, -0.1]);
    expect(score.residualMeanS).toBeCloseTo(0.05, 12);
    // Population standard deviation of {0.2, −0.1}: 0.15.
    expect(score.residualStdS).toBeCloseTo(0.15, 12);
  });
  it('counts a pick exactly at the tolerance as a hit and gives NaN rates when nothing is there', () => {
    expect(scorePicks([100], [[150]], 50, 100).truePositives).toBe(1);
    const empty = scorePicks([null], [[]], 50, 100);
    expect(empty.precision).toBeNaN();
    expect(empty.recall).toBeNaN();
    expect(empty.residualMeanS).toBeNaN();
    expect(() => scorePicks([1], [], 50, 100)).toThrow(/1 analyst windows but 0/);
  });
});

describe('window helpers', () => {
  it('normalises each channel to zero mean and unit standard deviation, leaving a dead channel at zero', () => {
    const values = new Float32Array(300);
    for (let i = 0; i < 100; i++) {
      values[i * 3] = 1000 + 50 * Math.sin(i);
      values[i * 3 + 1] = 7; // dead channel
      values[i * 3 + 2] = i % 2 === 0 ? -3 : 5; // mean 1, std 4
    }
    const out = normalizeWindow(values, 100, 3);
    const column = (c: number): number[] => Array.from({ length: 100 }, (_, i) => out[i * 3 + c]!);
    const mean = (a: number[]): number => a.reduce((s, v) => s + v, 0) / a.length;
    expect(mean(column(0))).toBeCloseTo(0, 5);
    expect(Math.sqrt(mean(column(0).map((v) => v * v)))).toBeCloseTo(1, 5);
    expect(column(1).every((v) => v === 0)).toBe(true);
    expect(column(2).slice(0, 2)).toEqual([-1, 1]);
    // The PhaseNet repository's scaling (adjust_missingchannels): 2 live channels of 3, so ×1.5; eds's own leaves them.
    const repo = normalizeWindow(values, 100, 3, 'phasenet-repository');
    expect(repo[0]! / out[0]!).toBeCloseTo(1.5, 6);
    expect(Array.from(repo.subarray(6, 9))).toEqual(Array.from(Float32Array.from(out.subarray(6, 9), (v) => v * 1.5)));
    const full = Float32Array.from({ length: 30 }, (_, i) => Math.sin(i * 1.7));
    expect(normalizeWindow(full, 10, 3, 'phasenet-repository')).toEqual(normalizeWindow(full, 10, 3));
  });
  it('shifted crops put the P anywhere from 2 s in to 3 s + (S − P) before the end, and stay inside the record', () => {
    const lowest = shiftedCropStart(9001, 3000, 3000, 3300, () => 0);
    const highest = shiftedCropStart(9001, 3000, 3000, 3300, (n) => n - 1);
    expect(3000 - lowest).toBe(200);
    expect(3300 - highest).toBe(3000 - 300);
    // A P near the start of the record: the crop cannot begin before sample 0.
    expect(shiftedCropStart(9001, 3000, 100, 300, (n) => n - 1)).toBe(0);
    // No P: a uniform start over the whole record.
    expect(shiftedCropStart(9001, 3000, null, null, (n) => n - 1)).toBe(6001);
  });
  it('labels: Gaussians of height 1 on the picks, width σ = 0.3 s, rows summing to 1', () => {
    const y = phaseLabels(3001, 1000, 2000, 100);
    expect(y[1000 * 3 + 1]).toBeCloseTo(1, 6);
    expect(y[2000 * 3 + 2]).toBeCloseTo(1, 6);
    // One σ (30 samples) away the Gaussian is e^(−1/2).
    expect(y[1030 * 3 + 1]).toBeCloseTo(Math.exp(-0.5), 6);
    for (const i of [0, 1000, 1030, 1500, 2000, 3000]) expect(y[i * 3]! + y[i * 3 + 1]! + y[i * 3 + 2]!).toBeCloseTo(1, 6);
    // Overlapping picks (S−P 0.2 s) are scaled so no probability goes negative.
    const close = phaseLabels(200, 90, 110, 100);
    for (let i = 0; i < 200; i++) expect(close[i * 3]!).toBeGreaterThanOrEqual(0);
  });
  it('scan windows cover the whole record, the last flush with its end', () => {
    expect(scanStarts(9001, 3001, 1500)).toEqual([0, 1500, 3000, 4500, 6000]);
    expect(scanStarts(5000, 3001, 1500)).toEqual([0, 1500, 1999]);
    expect(scanStarts(2000, 3001, 1500)).toEqual([0]);
  });
  it('crops with zero padding and merges overlapping windows by a weighted mean', () => {
    const rec = Float32Array.from({ length: 12 }, (_, i) => i);
    expect(Array.from(cropRecord(rec, 4, 3, 2, 3))).toEqual([6, 7, 8, 9, 10, 11, 0, 0, 0]);
    // Two windows of 4 samples over 6 samples, one class: constant 0.2 and 0.6 agree where only one covers.
    const a = new Float32Array(4).fill(0.2);
    const b = new Float32Array(4).fill(0.6);
    const [merged] = mergeWindowProbabilities([a, b], [0, 2], 6, 4, 1);
    expect(merged![0]).toBeCloseTo(0.2, 6);
    expect(merged![5]).toBeCloseTo(0.6, 6);
    expect(merged![2]! > 0.2 && merged![2]! < 0.6).toBe(true);
  });
});
