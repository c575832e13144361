// A compact, lossless form of ASCII point clouds written with a fixed number of decimals: each coordinate as an
// int32 count of 10^-decimals m from an integer offset, x[n] then y[n] then z[n], little-endian, gzipped. Holds
// exactly what the .xyz reader gives (no float32 rounding); the shipped real lidar scans use it.
import { gunzipSync, gzipSync } from 'node:zlib';
import { readFile } from 'node:fs/promises';
import { UserError } from '../errors.js';
import { fileLabel } from './input.js';
import type { PointCloud } from './point-cloud.js';

/** The `format` every pack manifest entry carries. */
export const POINT_PACK_FORMAT = 'eds-point-pack-1';

/** How one packed file decodes: coordinate = (offset[axis] + stored int32) / 10^decimals, metres. */
export interface PointPackEntry {
  /** Always {@link POINT_PACK_FORMAT}. */
  format: typeof POINT_PACK_FORMAT;
  /** Number of points (the gunzipped file holds 12 bytes per point). */
  points: number;
  /** Decimals the original file wrote (6: micrometres). */
  decimals: number;
  /** Integer offset per axis, in units of 10^-decimals m: the minimum of each coordinate. */
  offset: [number, number, number];
}

/** Fewest and most decimals a pack may use: beyond 9 an int32 spans under 2 m. */
const MAX_DECIMALS = 9;
/** Most points one pack may declare: bounds the memory a manifest can ask for. */
export const MAX_PACK_POINTS = 20_000_000;

/**
 * Packs a cloud whose coordinates were written with `decimals` decimals. Refuses (throws) a cloud it could not
 * give back bit for bit: a coordinate with more decimals, or a span wider than an int32 of units.
 */
export function encodePointPack(cloud: PointCloud, decimals: number): { entry: PointPackEntry; bytes: Buffer } {
  if (!Number.isInteger(decimals) || decimals < 0 || decimals > MAX_DECIMALS) throw new Error(`encodePointPack: decimals must be 0–${MAX_DECIMALS}`);
  const n = cloud.x.length;
  const unit = 10 ** decimals;
  const axes = [cloud.x, cloud.y, cloud.z];
  const ints = axes.map((a) =>
    Float64Array.from(a, (v) => {
      const q = Math.round(v * unit);
      // The reader divides the written integer by 10^decimals once: the same division must give v back.
      if (q / unit !== v || !Number.isSafeInteger(q)) throw new Error(`encodePointPack: ${v} is not a number with ${decimals} decimals`);
      return q;
    }),
  );
  const offset = ints.map((q) => (n === 0 ? 0 : q.reduce((m, v) => Math.min(m, v), Infinity))) as [number, number, number];
  const raw = Buffer.alloc(12 * n);
  ints.forEach((q, a) => {
    for (let i = 0; i < n; i++) {
      const d = q[i]! - offset[a]!;
      if (d > 0x7fffffff) throw new Error(`encodePointPack: axis ${'xyz'[a]} spans more than 2^31 units of 10^-${decimals} m`);
      raw.writeInt32LE(d, 4 * (a * n + i));
    }
  });
  return { entry: { format: POINT_PACK_FORMAT, points: n, decimals, offset }, bytes: gzipSync(raw, { level: 9 }) };
}

/** Checks a manifest entry's fields (it is read from disk, so it is checked like any input); `label` names it in errors. */
export function checkPackEntry(value: unknown, label: string): PointPackEntry {
  const e = value as Partial<PointPackEntry> | null;
  const bad = (what: string): never => {
    throw new UserError(`${label}: ${what}`);
  };
  if (typeof e !== 'object' || e === null) return bad('not a point-pack entry');
  if (e.format !== POINT_PACK_FORMAT) bad(`format must be "${POINT_PACK_FORMAT}"`);
  if (!Number.isInteger(e.points) || e.points! < 0 || e.points! > MAX_PACK_POINTS) bad(`points must be an integer from 0 to ${MAX_PACK_POINTS}`);
  if (!Number.isInteger(e.decimals) || e.decimals! < 0 || e.decimals! > MAX_DECIMALS) bad(`decimals must be an integer from 0 to ${MAX_DECIMALS}`);
  if (!Array.isArray(e.offset) || e.offset.length !== 3 || !e.offset.every((v) => Number.isSafeInteger(v))) bad('offset must be three integers');
  return { format: POINT_PACK_FORMAT, points: e.points!, decimals: e.decimals!, offset: [...e.offset!] as [number, number, number] };
}

/** Decodes packed bytes (gzip) into a cloud; a file that does not hold exactly 12 bytes per declared point is refused. */
export function decodePointPack(bytes: Uint8Array, entry: PointPackEntry, label = 'point pack'): PointCloud {
  const n = entry.points;
  let raw: Buffer;
  try {
    // Never inflate past what the manifest declares (a small file could otherwise expand without bound).
    raw = gunzipSync(bytes, { maxOutputLength: Math.max(1, 12 * n + 1) });
  } catch (err) {
    throw new UserError(`${label}: not a gzip file of ${n} points (${(err as Error).message})`);
  }
  if (raw.length !== 12 * n) throw new UserError(`${label}: holds ${raw.length} bytes, expected ${12 * n} (12 per point for ${n} points)`);
  const unit = 10 ** entry.decimals;
  const view = new DataView(raw.buffer, raw.byteOffset, raw.byteLength);
  const [x, y, z] = [0, 1, 2].map((a) => {
    const out = new Float64Array(n);
    const off = entry.offset[a]!;
    // (offset + q) is an exact integer, and one division rounds once: the number the .xyz reader parses.
    for (let i = 0; i < n; i++) out[i] = (off + view.getInt32(4 * (a * n + i), true)) / unit;
    return out;
  }) as [Float64Array, Float64Array, Float64Array];
  return { x, y, z };
}

/** Reads a packed file; a missing or unreadable one is a one-line {@link UserError}. */
export async function readPointPack(path: string, entry: PointPackEntry): Promise<PointCloud> {
  let bytes: Buffer;
  try {
    bytes = await readFile(path);
  } catch (err) {
    throw new UserError(`${fileLabel(path)}: cannot read (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`);
  }
  return decodePointPack(bytes, entry, fileLabel(path));
}
