// The 22 real NCEDC windows shipped in datasets/phases-ncedc: the same records as the PhaseNet repository's originals
// (read by the same .npz reader, float64 there, float32 here), registered as a real dataset, exported one row per
// window, and picked by `eds run pick --weights published --data DIR --json` from the command line.
import { execFileSync, spawnSync } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { readNpz } from '../../src/data/npz.js';
import { listDatasets, loadDataset } from '../../src/experiments/datasets.js';
import { NCEDC_WINDOWS_DIR } from '../../src/experiments/pick.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const ORIGINALS = path.resolve(root, '../shared/data/phases');
const npzNames = (dir: string): string[] =>
  readdirSync(dir)
    .filter((f) => f.endsWith('.npz'))
    .sort();

describe('the shipped NCEDC windows', () => {
  it('are the 22 originals, sample for sample to float32 rounding, with the same picks and channel codes', () => {
    const names = npzNames(NCEDC_WINDOWS_DIR);
    expect(names).toEqual(npzNames(ORIGINALS));
    expect(names.length).toBe(22);
    let shippedBytes = 0;
    let originalBytes = 0;
    for (const name of names) {
      const shipped = readNpz(path.join(NCEDC_WINDOWS_DIR, name));
      const original = readNpz(path.join(ORIGINALS, name));
      const a = shipped.arrays.get('data')!;
      const b = original.arrays.get('data')!;
      expect(a.dtype, name).toBe('<f4');
      expect(b.dtype, name).toBe('<f8');
      expect(a.shape, name).toEqual([9001, 3]);
      expect(b.shape, name).toEqual([9001, 3]);
      let worst = 0;
      for (let i = 0; i < b.data.length; i++) worst = Math.max(worst, Math.abs(a.data[i]! - b.data[i]!));
      // float32 spacing is 1/64 count at 2^17–2^18: the largest amplitude here is 255,406 counts.
      expect(worst, name).toBeLessThan(1 / 64);
      for (const key of ['itp', 'its']) expect(shipped.arrays.get(key)!.data[0], `${name} ${key}`).toBe(original.arrays.get(key)!.data[0]);
      expect(shipped.text.get('channels')!.text, name).toEqual(original.text.get('channels')!.text);
      shippedBytes += statSync(path.join(NCEDC_WINDOWS_DIR, name)).size;
      originalBytes += statSync(path.join(ORIGINALS, name)).size;
    }
    // The card's figures: 0.98 MB instead of 4.8 MB.
    expect(shippedBytes).toBeLessThan(originalBytes / 4);
  });

  it('are a real dataset with its licence, source and citation, exported one row per window', async () => {
    const entry = listDatasets().find((d) => d.name === 'phases-ncedc');
    expect(entry?.origin).toMatchObject({ kind: 'real', licence: expect.stringMatching(/MIT.*Weiqiang Zhu/), citation: expect.stringMatching(/ggy423/) });
    const table = await loadDataset('phases-ncedc');
    expect(table.rows.length).toBe(22);
    const col = (name: string) => table.rows.map((r) => r[table.columns.indexOf(name)]);
    expect(new Set(col('p_sample'))).toEqual(new Set([3000]));
    expect(col('live_components').filter((n) => n === 1).length).toBe(4);
    expect(col('channels').filter((c) => c === 'EHZ').length).toBe(4);
    for (const [p, s, sp] of table.rows.map((r) => [r[6], r[7], r[10]] as number[])) expect(sp).toBeCloseTo((s! - p!) / 100, 9);
  });

  it('are picked from the command line with the published weights, as JSON', () => {
    const out = execFileSync(
      process.execPath,
      ['bin/eds.js', 'run', 'pick', '--weights', 'published', '--data', NCEDC_WINDOWS_DIR, '--json', '--backend', 'wasm'],
      {
        cwd: root,
        encoding: 'utf8',
      },
    );
    const json = JSON.parse(out);
    expect(json).toMatchObject({ task: 'pick', weights: 'published', window_samples: 3000, records: 22, params: 268_443 });
    expect(json.picks.length).toBe(22);
    expect(json.picks[0]).toMatchObject({ name: 'BG_ACR_2012082505145960.npz', analyst_p: 3000, analyst_s: 3099 });
    for (const key of [
      'p_precision',
      'p_recall',
      's_precision',
      's_recall',
      'residual_p_median_samples',
      'residual_p_mad_samples',
      'residual_s_median_samples',
    ])
      expect(typeof json[key], key).toBe('number');
  }, 60_000);

  it('refuses a weights name that is neither shipped nor a folder in one line', () => {
    const r = spawnSync(process.execPath, ['bin/eds.js', 'run', 'pick', '--weights', 'publishd', '--dataset', 'phases-ncedc', '--json'], {
      cwd: root,
      encoding: 'utf8',
    });
    expect(r.status).not.toBe(0);
    expect(r.stderr.trim().split('\n').length).toBe(1);
    expect(r.stderr).toMatch(/--weights publishd: no such folder \(give published, shipped, or a folder with model\.json \+ weights\.bin\)/);
    const c = spawnSync(process.execPath, ['bin/eds.js', 'run', 'pick', '--crop', 'shifted', '--json'], { cwd: root, encoding: 'utf8' });
    expect(c.status).toBe(2);
    expect(c.stderr).toMatch(/--crop shifted cuts real records/);
  });
});
