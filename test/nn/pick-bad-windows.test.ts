// Phase picking on bad windows: an all-NaN, all-infinite, constant or overflowing record is refused as bad input, not scored as a missed pick.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { readPhaseRecord, runPick, signalProblem } from '../../src/experiments/pick.js';
import { member, npyF8, userErrorAsync, zipBytes } from '../data/hostile.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const REAL = path.resolve(root, '../shared/data/phases/BG_ACR_2012082505145960.npz');
const dir = mkdtempSync(path.join(tmpdir(), 'eds-pick-bad-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** A PhaseNet-style record of `n` samples × 3 whose value at (i, c) is `f(i, c)`, with picks at 100 and 200. */
function record(name: string, n: number, f: (i: number, c: number) => number): string {
  const values: number[] = [];
  for (let i = 0; i < n; i++) for (let c = 0; c < 3; c++) values.push(f(i, c));
  const file = path.join(dir, name);
  writeFileSync(file, zipBytes([member('data.npy', npyF8([n, 3], values)), member('itp.npy', npyF8([], [100])), member('its.npy', npyF8([], [200]))]));
  return file;
}

describe('bad windows', () => {
  it('refuses all-NaN, all-infinite, constant and zero records in one line naming the file', async () => {
    expect(await userErrorAsync(() => readPhaseRecord(record('nan.npz', 400, () => NaN)))).toBe(
      'nan.npz: "data" has no finite sample (all 1200 are NaN or infinite): bad input, not a record to pick and score',
    );
    expect(await userErrorAsync(() => readPhaseRecord(record('inf.npz', 400, (i) => (i % 2 ? Infinity : -Infinity))))).toMatch(
      /^inf\.npz: "data" has no finite sample/,
    );
    expect(await userErrorAsync(() => readPhaseRecord(record('zero.npz', 400, () => 0)))).toBe(
      'zero.npz: "data" is constant on every channel (no signal): bad input, not a record to pick and score',
    );
    expect(await userErrorAsync(() => readPhaseRecord(record('dc.npz', 400, (i, c) => (i === 7 ? NaN : 100 * c))))).toMatch(/is constant on every channel/);
    expect(await userErrorAsync(() => readPhaseRecord(record('big.npz', 400, (i) => Math.sin(i) * 1e200)))).toMatch(
      /^big\.npz: "data" has amplitudes up to .*e\+(199|200), too large to normalise/,
    );
    expect(await userErrorAsync(() => readPhaseRecord(record('none.npz', 0, () => 0)))).toBe(
      'none.npz: "data" has no samples: bad input, not a record to pick and score',
    );
  });

  it('keeps records PhaseNet can read: a dead channel, gaps, the real files', async () => {
    const oneDead = await readPhaseRecord(record('dead.npz', 400, (i, c) => (c === 0 ? 0 : Math.sin(i / 5))));
    expect(oneDead.total).toBe(400);
    const gaps = await readPhaseRecord(record('gaps.npz', 400, (i) => (i % 10 === 0 ? NaN : Math.sin(i / 5))));
    expect(gaps.itp).toBe(100);
    expect((await readPhaseRecord(REAL)).total).toBe(9001);
    expect(signalProblem(new Float64Array([1, 2, 3]), 3, 1)).toBeNull();
    expect(signalProblem(new Float64Array([1, 2, 3]), 1, 3)).toBe('is constant on every channel (no signal)');
  });

  it('eds run pick --data on an all-NaN record stops before scoring anything', async () => {
    const file = record('nan-run.npz', 400, () => NaN);
    expect(await userErrorAsync(() => runPick({ data: file, backend: 'js' }))).toMatch(/^nan-run\.npz: "data" has no finite sample/);
  });
});
