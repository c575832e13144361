// One entry point for reading a point-cloud file of any supported kind, chosen by its extension.

import { extname } from 'node:path';
import { UserError } from '../errors.js';
import { fileLabel } from '../data/input.js';
import { readLas } from '../data/las.js';
import { readXyz, type XyzOptions } from '../data/xyz.js';
import type { PointCloud } from '../data/point-cloud.js';

/** Extensions read as ASCII columns. */
const ASCII_EXTENSIONS = ['.xyz', '.txt', '.pts', '.csv', '.asc'];

/**
 * Reads `.las` (and refuses `.laz` with a conversion hint) or an ASCII cloud (`.xyz`, `.txt`,
 * `.pts`, `.csv`, `.asc`; `options` apply to those only: LAS carries its own classes).
 */
export async function readPointCloud(path: string, options: XyzOptions = {}): Promise<PointCloud> {
  const ext = extname(path).toLowerCase();
  if (ext === '.las' || ext === '.laz') return readLas(path);
  if (ASCII_EXTENSIONS.includes(ext)) return readXyz(path, options);
  throw new UserError(`${fileLabel(path)}: unknown point-cloud extension "${fileLabel(ext)}" (expected .las, .laz or ${ASCII_EXTENSIONS.join(', ')})`);
}
