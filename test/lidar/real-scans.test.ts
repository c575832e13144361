// The real lidar scans shipped in datasets/lidar-real: the packed files give back exactly what the original .xyz
// files give (every coordinate bit for bit), the manifest's provenance matches the originals, the reader refuses
// broken packs in one line, and the datasets built on them list and export.
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { main } from '../../src/cli/main.js';
import { UserError } from '../../src/errors.js';
import { checkPackEntry, decodePointPack, encodePointPack, POINT_PACK_FORMAT, type PointPackEntry } from '../../src/data/point-pack.js';
import { readXyz } from '../../src/data/xyz.js';
import { loadRealScan, readRealFile, readRealManifest, REAL_LIDAR_DIR } from '../../src/lidar/real.js';
import { listDatasets, loadDataset } from '../../src/experiments/datasets.js';
import { ROOT } from '../ml/helpers.js';

const original = (name: string) => path.resolve(ROOT, '../shared/data/lidar', `${name}.xyz`);
const FILES = { 'dunes-floor': 40_069, 'dunes-vegetation': 4_608, 'ski-tree': 19_530 } as const;

/** Whether two arrays hold the same doubles, bit for bit (Object.is: -0 and 0 differ). */
function sameBits(a: Float64Array, b: Float64Array): boolean {
  return a.length === b.length && Buffer.from(a.buffer, a.byteOffset, a.byteLength).equals(Buffer.from(b.buffer, b.byteOffset, b.byteLength));
}

function userError(fn: () => unknown): string {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(UserError);
    return (err as Error).message;
  }
  throw new Error('expected a UserError');
}

describe('the packed real scans', () => {
  it.each(Object.entries(FILES))('%s reads back exactly what the .xyz reader gives (%i points)', async (name, points) => {
    const packed = await readRealFile(name);
    const xyz = await readXyz(original(name));
    expect(packed.x.length).toBe(points);
    expect(sameBits(packed.x, xyz.x)).toBe(true);
    expect(sameBits(packed.y, xyz.y)).toBe(true);
    expect(sameBits(packed.z, xyz.z)).toBe(true);
  });

  it('float32 would not: it moves the coordinates by up to 5e-7 m (the .xyz files print 6 decimals of float32 values)', async () => {
    let worst = 0;
    for (const name of Object.keys(FILES)) {
      const xyz = await readXyz(original(name));
      for (const axis of [xyz.x, xyz.y, xyz.z]) {
        const f32 = Float32Array.from(axis);
        for (let i = 0; i < axis.length; i++) worst = Math.max(worst, Math.abs(f32[i]! - axis[i]!));
      }
    }
    expect(worst).toBeGreaterThan(0);
    expect(worst).toBeLessThan(5.1e-7);
  });

  it('the manifest names each original with its size and SHA-256, and the packs are smaller than a third of it', async () => {
    const manifest = await readRealManifest();
    expect(Object.keys(manifest).sort()).toEqual(Object.keys(FILES).sort());
    let packed = 0;
    let text = 0;
    for (const [name, e] of Object.entries(manifest)) {
      const bytes = readFileSync(original(name));
      expect(e.source).toBe(`${name}.xyz`);
      expect(e.source_bytes).toBe(bytes.length);
      expect(e.source_sha256).toBe(createHash('sha256').update(bytes).digest('hex'));
      expect(e.points).toBe(FILES[name as keyof typeof FILES]);
      packed += readFileSync(path.join(REAL_LIDAR_DIR, e.file)).length;
      text += bytes.length;
    }
    expect(packed / text).toBeLessThan(1 / 3);
  });

  it('the dune scan is the two files merged, labelled by file: floor first, as in the generated scene', async () => {
    const dunes = await loadRealScan('real-dunes');
    expect(dunes.classes).toEqual(['floor', 'vegetation']);
    expect(dunes.x.length).toBe(44_677);
    expect(dunes.label!.reduce((a, l) => a + l, 0)).toBe(4_608);
    expect(dunes.label![40_068]).toBe(0);
    expect(dunes.label![40_069]).toBe(1);
    const ski = await loadRealScan('real-ski-tree');
    expect(ski.label).toBeUndefined();
  });
});

describe('the point-pack format', () => {
  const cloud = { x: Float64Array.of(-19.029846, 0, 1e-6), y: Float64Array.of(9.207374, 2.5, -3), z: Float64Array.of(-2.496123, 100.000001, 7) };

  it('round-trips numbers with the declared decimals, bit for bit', () => {
    const { entry, bytes } = encodePointPack(cloud, 6);
    expect(entry).toEqual({ format: POINT_PACK_FORMAT, points: 3, decimals: 6, offset: [-19029846, -3000000, -2496123] });
    const back = decodePointPack(bytes, entry);
    expect(sameBits(back.x, cloud.x) && sameBits(back.y, cloud.y) && sameBits(back.z, cloud.z)).toBe(true);
  });

  it('refuses to pack what it could not give back', () => {
    expect(() => encodePointPack({ ...cloud, x: Float64Array.of(0.1234567, 0, 0) }, 6)).toThrow(/not a number with 6 decimals/);
    expect(() => encodePointPack({ ...cloud, x: Float64Array.of(0, 0, 2200) }, 6)).toThrow(/spans more than 2\^31/);
    expect(() => encodePointPack(cloud, 12)).toThrow(/decimals/);
  });

  it('refuses broken or lying packs in one line', () => {
    const { entry, bytes } = encodePointPack(cloud, 6);
    expect(userError(() => decodePointPack(bytes, { ...entry, points: 4 }, 'p.gz'))).toMatch(/^p\.gz: holds 36 bytes, expected 48/);
    // More bytes than declared: inflation stops at the declared size instead of filling memory.
    expect(userError(() => decodePointPack(bytes, { ...entry, points: 2 }, 'p.gz'))).toMatch(/^p\.gz: /);
    expect(userError(() => decodePointPack(Buffer.from('not gzip at all'), entry, 'p.gz'))).toMatch(/^p\.gz: not a gzip file of 3 points/);
    expect(userError(() => decodePointPack(bytes.subarray(0, bytes.length - 6), entry, 'p.gz'))).toMatch(/^p\.gz: /);
    expect(userError(() => decodePointPack(gzipSync(Buffer.alloc(1 << 20)), entry, 'p.gz'))).toMatch(/^p\.gz: /);
  });

  it('checks every field of a manifest entry', () => {
    const ok: PointPackEntry = { format: POINT_PACK_FORMAT, points: 3, decimals: 6, offset: [0, 1, 2] };
    expect(checkPackEntry({ ...ok, extra: 1 }, 'm')).toEqual(ok);
    expect(userError(() => checkPackEntry(null, 'm'))).toBe('m: not a point-pack entry');
    expect(userError(() => checkPackEntry({ ...ok, format: 'x' }, 'm'))).toMatch(/format/);
    expect(userError(() => checkPackEntry({ ...ok, points: 1e12 }, 'm'))).toMatch(/points/);
    expect(userError(() => checkPackEntry({ ...ok, points: -1 }, 'm'))).toMatch(/points/);
    expect(userError(() => checkPackEntry({ ...ok, decimals: 1.5 }, 'm'))).toMatch(/decimals/);
    expect(userError(() => checkPackEntry({ ...ok, offset: [0, 1] }, 'm'))).toMatch(/offset/);
    expect(userError(() => checkPackEntry({ ...ok, offset: [0, 1, 2 ** 60] }, 'm'))).toMatch(/offset/);
  });

  it('reads a manifest from any folder, and refuses a file name that leaves it', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'eds-pack-'));
    const { entry, bytes } = encodePointPack(cloud, 6);
    writeFileSync(path.join(dir, 'a.i32.gz'), bytes);
    writeFileSync(path.join(dir, 'manifest.json'), JSON.stringify({ files: { a: { file: 'a.i32.gz', ...entry } } }));
    const back = await readRealFile('a', 'sand', dir);
    expect(back.classes).toEqual(['sand']);
    expect(sameBits(back.z, cloud.z)).toBe(true);
    writeFileSync(path.join(dir, 'manifest.json'), JSON.stringify({ files: { a: { file: '../a.i32.gz', ...entry } } }));
    await expect(readRealFile('a', undefined, dir)).rejects.toThrow(/file must be NAME\.i32\.gz/);
    writeFileSync(path.join(dir, 'manifest.json'), '{');
    await expect(readRealFile('a', undefined, dir)).rejects.toThrow(UserError);
    await expect(readRealFile('missing')).rejects.toThrow(/no real lidar file "missing"/);
  });
});

describe('the real lidar datasets', () => {
  it('are registered as real files with the course licence, after the generated lidar scenes', () => {
    const all = listDatasets();
    const names = all.map((d) => d.name);
    for (const name of ['lidar-real-dunes', 'lidar-real-ski-tree']) {
      const d = all.find((e) => e.name === name)!;
      expect(d.origin).toMatchObject({ kind: 'real', licence: expect.stringMatching(/MIT.*2025 Léonard Seydoux/) });
      expect(names.indexOf(name)).toBeGreaterThan(names.indexOf('lidar-4class'));
    }
  });

  it('lidar-real-dunes is a labelled features table like lidar-dunes: same columns, both classes, core points drawn per seed', async () => {
    const real = await loadDataset('lidar-real-dunes', { seed: 3 });
    const generated = await loadDataset('lidar-dunes', { seed: 3 });
    expect(real.columns).toEqual(generated.columns);
    expect(real.features).toEqual(generated.features);
    expect(real.target).toBe('label');
    expect(real.rows).toHaveLength(2000);
    const labels = real.rows.map((r) => r[r.length - 1]);
    expect(new Set(labels)).toEqual(new Set(['floor', 'vegetation']));
    const other = await loadDataset('lidar-real-dunes', { seed: 4 });
    expect(other.rows[0]).not.toEqual(real.rows[0]);
  });

  it('lidar-real-ski-tree is an unlabelled table at the radii its 13 cm spacing allows', async () => {
    const ski = await loadDataset('lidar-real-ski-tree', { seed: 1 });
    expect(ski.target).toBeNull();
    expect(ski.task).toBe('clustering');
    expect(ski.columns).not.toContain('label');
    expect(ski.features).toEqual(['r0.25', 'r0.5', 'r1', 'r2'].flatMap((r) => ['a1d', 'a2d', 'a3d'].map((f) => `${r}_${f}`)));
    expect(ski.rows).toHaveLength(2000);
  });
});

describe('eds datasets on the real scans', () => {
  afterEach(() => {
    vi.restoreAllMocks();
    process.exitCode = undefined;
  });
  async function run(args: string[]): Promise<string> {
    let out = '';
    vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
      out += String(chunk);
      return true;
    });
    // `--out` reports on stderr what it wrote: kept out of the test's output.
    vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
    await main(args);
    vi.restoreAllMocks();
    return out;
  }

  it('list shows them among the real files, with their licence; --json carries licence and source', async () => {
    const text = await run(['datasets', 'list']);
    const realPart = text.split(/^Generated per seed/m)[0]!;
    expect(realPart).toMatch(/^ {2}lidar-real-dunes +classification/m);
    expect(realPart).toMatch(/^ {2}lidar-real-ski-tree +clustering/m);
    const json = JSON.parse(await run(['datasets', 'list', '--json']));
    const dunes = json.datasets.find((d: { name: string }) => d.name === 'lidar-real-dunes');
    expect(dunes.origin).toMatchObject({ kind: 'real', licence: 'MIT, © 2025 Léonard Seydoux', source: expect.stringMatching(/dunes-floor\.xyz/) });
  });

  it('export writes the features table as CSV, to stdout or --out, and card finds the card', async () => {
    const csv = (await run(['datasets', 'export', 'lidar-real-dunes', '--seed', '2'])).trim().split('\n');
    expect(csv[0]!.startsWith('x,y,z,r0.05_l1,')).toBe(true);
    expect(csv[0]!.endsWith(',label')).toBe(true);
    expect(csv).toHaveLength(2001);
    expect(csv.slice(1).filter((l) => l.endsWith(',vegetation')).length).toBeGreaterThan(100);
    const file = path.join(mkdtempSync(path.join(tmpdir(), 'eds-real-')), 'ski.csv');
    await run(['datasets', 'export', 'lidar-real-ski-tree', '--out', file]);
    const ski = readFileSync(file, 'utf8').trim().split('\n');
    expect(ski[0]!.startsWith('x,y,z,r0.25_l1,')).toBe(true);
    expect(ski).toHaveLength(2001);
    expect(process.exitCode ?? 0).toBe(0);
    const card = await run(['datasets', 'card', 'lidar-real-dunes', '--raw']);
    expect(card).toMatch(/MIT/);
    expect(card).toMatch(/Léonard Seydoux/);
  });
});
