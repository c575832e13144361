// Packs the course's real lidar scans (ASCII .xyz, 6 decimals) into datasets/lidar-real: one lossless int32 +
// gzip file each (src/data/point-pack.ts) and manifest.json. test/lidar/real-scans.test.ts checks the result
// reads back exactly what the .xyz files give.
// Usage: npx vite-node scripts/pack-lidar-real.ts [SOURCE_DIR]   (default ../shared/data/lidar)
import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseXyz } from '../src/data/xyz.js';
import { encodePointPack } from '../src/data/point-pack.js';
import { REAL_LIDAR_DIR } from '../src/lidar/real.js';

const source = process.argv[2] ?? join(import.meta.dirname, '..', '..', 'shared', 'data', 'lidar');
const files: Record<string, unknown> = {};
for (const name of ['dunes-floor', 'dunes-vegetation', 'ski-tree']) {
  const text = readFileSync(join(source, `${name}.xyz`));
  const cloud = parseXyz(text.toString('utf8'), `${name}.xyz`);
  const { entry, bytes } = encodePointPack(cloud, 6);
  const file = `${name}.i32.gz`;
  writeFileSync(join(REAL_LIDAR_DIR, file), bytes);
  files[name] = {
    file,
    ...entry,
    source: `${name}.xyz`,
    source_bytes: text.length,
    source_sha256: createHash('sha256').update(text).digest('hex'),
  };
  console.log(`${name}: ${entry.points} points, ${text.length} bytes of .xyz -> ${bytes.length} bytes packed`);
}
const manifest = {
  about:
    'Real lidar scans of the Earth Data Science course (MIT, (c) 2025 Leonard Seydoux); see README.md. Each file: gzip of int32 little-endian, ' +
    'x[points] then y[points] then z[points]; coordinate (m) = (offset[axis] + value) / 10^decimals. Written by scripts/pack-lidar-real.ts.',
  files,
};
writeFileSync(join(REAL_LIDAR_DIR, 'manifest.json'), `${JSON.stringify(manifest, null, 2)}\n`);
