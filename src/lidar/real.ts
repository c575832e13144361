// The real lidar scans shipped with eds (datasets/lidar-real): which files make each scan, their labels, and
// the reader of their compact form (the files are read on first use; the names alone are in real-names.ts).
import { join } from 'node:path';
import { readFile } from 'node:fs/promises';
import { UserError } from '../errors.js';
import { PACKAGE_ROOT } from '../version.js';
import { mergeClouds, type PointCloud } from '../data/point-cloud.js';
import type { PointPackEntry } from '../data/point-pack.js';
import { REAL_LIDAR_SCANS, type RealLidarScan } from './real-names.js';

export { isRealScan, REAL_LIDAR_SCANS, type RealLidarScan } from './real-names.js';

/** The shipped files (names in the manifest, without extension) of each scan, and the class of each file (none: unlabelled). */
export const REAL_SCAN_FILES: Readonly<Record<RealLidarScan, readonly { file: string; label?: string }[]>> = {
  // Class order floor, vegetation: that of the generated dune scene, so results line up.
  'real-dunes': [
    { file: 'dunes-floor', label: 'floor' },
    { file: 'dunes-vegetation', label: 'vegetation' },
  ],
  // Trees only: no other class to tell them from.
  'real-ski-tree': [{ file: 'ski-tree' }],
};

/**
 * Neighbourhood radii (m) the scan's dataset uses. The dune patch is as dense as the generated dune near its
 * scanner (points ≈ 3 mm apart), so it takes the generated scene's radii and the two compare; the ski trees'
 * points are ≈ 13 cm apart, so a 5 or 10 cm sphere is empty there and the radii start at 25 cm.
 */
export const REAL_SCAN_SCALES: Readonly<Record<RealLidarScan, readonly number[]>> = {
  'real-dunes': [0.05, 0.1, 0.25, 0.5],
  'real-ski-tree': [0.25, 0.5, 1, 2],
};

/** The folder of the shipped scans and their manifest. */
export const REAL_LIDAR_DIR = join(PACKAGE_ROOT, 'datasets', 'lidar-real');

/** One file of the manifest: the pack's decoding, and where it came from. */
export interface RealScanFile {
  /** The packed file, beside the manifest. */
  file: string;
  /** The original file's name. */
  source: string;
  /** The original file's size, bytes. */
  source_bytes: number;
  /** SHA-256 of the original file, hex. */
  source_sha256: string;
}

/** The manifest's entries by file name (checked when read). */
export async function readRealManifest(dir = REAL_LIDAR_DIR): Promise<Record<string, RealScanFile & PointPackEntry>> {
  const { checkPackEntry } = await import('../data/point-pack.js');
  const path = join(dir, 'manifest.json');
  let parsed: { files?: Record<string, unknown> };
  try {
    parsed = JSON.parse(await readFile(path, 'utf8'));
  } catch (err) {
    throw new UserError(`${path}: cannot read the real lidar scans' manifest (${(err as Error).message})`, { hint: 'reinstall eds' });
  }
  const out: Record<string, RealScanFile & PointPackEntry> = {};
  for (const [name, value] of Object.entries(parsed.files ?? {})) {
    const v = value as Partial<RealScanFile>;
    if (typeof v.file !== 'string' || !/^[a-z0-9-]+\.i32\.gz$/.test(v.file)) throw new UserError(`${path}: ${name}: file must be NAME.i32.gz`);
    out[name] = { ...(v as RealScanFile), ...checkPackEntry(value, `${path}: ${name}`) };
  }
  return out;
}

/** Reads one shipped file (by its manifest name) as a cloud, labelled when `label` is given. */
export async function readRealFile(name: string, label?: string, dir = REAL_LIDAR_DIR): Promise<PointCloud> {
  const { readPointPack } = await import('../data/point-pack.js');
  const entry = (await readRealManifest(dir))[name];
  if (!entry) throw new UserError(`no real lidar file "${name}" in ${join(dir, 'manifest.json')}`);
  const cloud = await readPointPack(join(dir, entry.file), entry);
  if (label !== undefined) {
    cloud.label = new Uint8Array(cloud.x.length);
    cloud.classes = [label];
  }
  return cloud;
}

/** The points of a real scan: its files, each labelled by the class of the whole file, merged into one cloud. */
export async function loadRealScan(scan: RealLidarScan, dir = REAL_LIDAR_DIR): Promise<PointCloud> {
  const files = REAL_SCAN_FILES[scan];
  if (!files) throw new UserError(`unknown real lidar scan "${String(scan)}" (expected ${REAL_LIDAR_SCANS.join(', ')})`);
  const clouds = await Promise.all(files.map((f) => readRealFile(f.file, f.label, dir)));
  return clouds.length === 1 ? clouds[0]! : mergeClouds(clouds);
}
