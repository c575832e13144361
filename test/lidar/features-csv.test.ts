// Per-core lidar features exported as CSV (`eds features CLOUD… --csv FILE`): one row per core point, columns
// named with their scale, a label column for labelled points; read back, the numbers are the table's.
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cloudFeaturesCsv, featuresCommand, isCloudInput } from '../../src/cli/commands/features.js';
import { parseCsv } from '../../src/data/csv.js';
import { lidarDataset } from '../../src/lidar/table.js';
import { createRng } from '../../src/util/rng.js';

const dir = mkdtempSync(join(tmpdir(), 'eds-features-csv-'));

/** A flat floor (z ≈ 0) or a cube of scattered points, as an .xyz file. */
function writeCloud(name: string, kind: 'plane' | 'volume', n: number, seed: number): string {
  const rng = createRng(seed);
  const lines = Array.from({ length: n }, () => {
    const x = rng.next() * 2;
    const y = rng.next() * 2;
    const z = kind === 'plane' ? 0.002 * rng.normal() : 1 + rng.next();
    return `${x.toFixed(5)} ${y.toFixed(5)} ${z.toFixed(5)}`;
  });
  const path = join(dir, name);
  writeFileSync(path, `${lines.join('\n')}\n`);
  return path;
}

describe('lidar features as CSV', () => {
  it('writes one row per core point of a scene, columns named with their scale, and reads back as the table', async () => {
    const options = { size: 20_000, corePoints: 300, scales: '0.25,0.1', seed: 3 };
    const out = await cloudFeaturesCsv(['lidar-dunes'], options);
    const { table } = parseCsv(out.text, { source: 'cores.csv' });
    const scaleColumns = (r: string) => ['l1', 'l2', 'l3', 'a1d', 'a2d', 'a3d', 'n'].map((f) => `r${r}_${f}`);
    expect(table.columns).toEqual(['x', 'y', 'z', ...scaleColumns('0.1'), ...scaleColumns('0.25'), 'label']);
    expect(table.rows).toHaveLength(300);
    expect([out.rows, out.columns]).toEqual([300, table.columns.length]);
    // The same numbers as the table the classifiers learn from, to the last digit; empty cells where it has none.
    const dataset = await lidarDataset({ source: { kind: 'scene', scene: 'dunes', size: 20_000 }, scales: [0.1, 0.25], cores: 300 }, 3);
    expect(table.rows).toEqual(dataset.rows);
    const labels = new Set(table.rows.map((r) => r[r.length - 1]));
    expect(labels.size).toBeGreaterThan(1);
  });

  it("labels each file's points with its FILE:LABEL and leaves the label out for unlabelled files", async () => {
    const floor = writeCloud('floor.xyz', 'plane', 3000, 1);
    const bush = writeCloud('bush.xyz', 'volume', 3000, 2);
    const labelled = parseCsv((await cloudFeaturesCsv([`${floor}:floor`, `${bush}:bush`], { corePoints: 200, scales: '0.2' })).text).table;
    expect(labelled.columns.at(-1)).toBe('label');
    const byLabel = (l: string) => labelled.rows.filter((r) => r.at(-1) === l);
    expect(byLabel('floor').length + byLabel('bush').length).toBe(200);
    // A floor is planar (a2D high), a scattered volume is 3-D (a3D high): the columns hold what their names say.
    const meanOf = (rows: typeof labelled.rows, column: string) => {
      const j = labelled.columns.indexOf(column);
      return rows.reduce((s, r) => s + (r[j] as number), 0) / rows.length;
    };
    expect(meanOf(byLabel('floor'), 'r0.2_a2d')).toBeGreaterThan(meanOf(byLabel('bush'), 'r0.2_a2d') + 0.3);
    expect(meanOf(byLabel('bush'), 'r0.2_a3d')).toBeGreaterThan(meanOf(byLabel('floor'), 'r0.2_a3d') + 0.3);
    const plain = parseCsv((await cloudFeaturesCsv([floor], { corePoints: 100, scales: '0.2', tolerance: 0 })).text).table;
    expect(plain.columns).not.toContain('label');
    expect(plain.rows).toHaveLength(100);
  });

  it('is what `eds features … --csv FILE` writes', async () => {
    const file = join(dir, 'cli.csv');
    const write = process.stderr.write;
    process.stderr.write = () => true;
    try {
      await (featuresCommand.handler as (a: object) => Promise<void>)({
        file: 'lidar-dunes',
        size: 20_000,
        'core-points': 120,
        scales: '0.1',
        seed: 1,
        csv: file,
      });
    } finally {
      process.stderr.write = write;
    }
    const { table } = parseCsv(readFileSync(file, 'utf8'));
    expect(table.rows).toHaveLength(120);
    expect(table.columns.slice(0, 4)).toEqual(['x', 'y', 'z', 'r0.1_l1']);
  });

  it('tells point clouds from seismic events, and refuses the options of the other kind', async () => {
    expect(['scan.las', 'a/b.xyz:floor', 'lidar-dunes', 'x.PTS'].map(isCloudInput)).toEqual([true, true, true, true]);
    expect(['event.npy', 'event.npz', 'w.mseed', 'lidar-dunes.npy'].map(isCloudInput)).toEqual([false, false, false, false]);
    const run = (args: object) => (featuresCommand.handler as (a: object) => Promise<void>)(args);
    await expect(run({ file: 'lidar-dunes', station: '1' })).rejects.toThrow(/--station applies to a seismic event/);
    await expect(run({ file: 'event.npy', scales: '0.1' })).rejects.toThrow(/--scales applies to point clouds/);
    await expect(run({ file: 'lidar-nowhere' })).rejects.toThrow(/unknown scene/);
    await expect(cloudFeaturesCsv(['lidar-dunes'], { corePoints: 10 })).rejects.toThrow(/--core-points/);
  });
});
