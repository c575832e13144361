// Reader for ASPRS LAS 1.0–1.4 point clouds (point formats 0–10): scaled coordinates, classification, intensity.

import { UserError } from '../errors.js';
import type { PointCloud } from './point-cloud.js';
import { safeLine } from '../util/safe-text.js';
import { fileLabel, READ_LIMITS, readInputFileAsync } from './input.js';

/** The header fields a reader or a lesson needs (LAS specification names in brackets). */
export interface LasHeader {
  /** Format version, e.g. `'1.2'`. */
  version: string;
  /** Point data record format, 0–10. */
  pointFormat: number;
  /** Bytes per point record (may exceed the format's size: extra bytes are skipped). */
  recordLength: number;
  /** Number of point records. */
  pointCount: number;
  /** [X, Y, Z scale factor]: metres per integer unit. */
  scale: [number, number, number];
  /** [X, Y, Z offset], metres. */
  offset: [number, number, number];
  /** [min X, min Y, min Z] from the header, metres. */
  min: [number, number, number];
  /** [max X, max Y, max Z] from the header, metres. */
  max: [number, number, number];
  /** Generating software, as written by the producer. */
  software: string;
}

/** A LAS point cloud: every point labelled by its ASPRS class. */
export interface LasCloud extends PointCloud {
  /** Class of each point: an index into `classes` (and `classCodes`). */
  label: Uint8Array;
  /** ASPRS names of the classes present, ascending by code (e.g. `['unclassified', 'ground']`). */
  classes: string[];
  /** The ASPRS classification code of each entry of `classes` (e.g. `[1, 2]`). */
  classCodes: number[];
  /** Per-point `intensity` (sensor units, 0–65535, as stored). */
  attributes: Record<string, Float64Array>;
  /** The parsed header. */
  header: LasHeader;
}

/** ASPRS standard classes (LAS 1.4 R15, table 17); codes 19–63 reserved, 64–255 user-defined. */
const ASPRS_CLASSES: Record<number, string> = {
  0: 'never classified',
  1: 'unclassified',
  2: 'ground',
  3: 'low vegetation',
  4: 'medium vegetation',
  5: 'high vegetation',
  6: 'building',
  7: 'low point (noise)',
  8: 'model key-point',
  9: 'water',
  10: 'rail',
  11: 'road surface',
  12: 'overlap',
  13: 'wire guard',
  14: 'wire conductor',
  15: 'transmission tower',
  16: 'wire connector',
  17: 'bridge deck',
  18: 'high noise',
};

/** Minimum record size per point format: where each format's fixed fields end. */
const FORMAT_SIZE = [20, 28, 26, 34, 57, 63, 30, 36, 38, 59, 67];

/** The smallest legal header (LAS 1.0–1.2); 1.3 adds 8 bytes, 1.4 adds 148. */
const MIN_HEADER = 227;

/**
 * Parses a LAS file held in memory. Coordinates are `integer × scale + offset` (metres).
 * Formats 0–5 keep the class in the low 5 bits of byte 15 (the top bits are synthetic/key-point/
 * withheld flags, which must not leak into the class); formats 6–10 use the whole byte 16.
 * LAZ (compressed LAS) is recognised and refused with a line saying how to convert it: its
 * arithmetic-coded chunks need a LASzip decoder, which this reader does not carry.
 */
export function parseLas(buf: Uint8Array, file: string): LasCloud {
  const where = fileLabel(file);
  const view = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
  if (buf.length < 4 || view.getUint32(0, false) !== 0x4c415346 /* "LASF" */) {
    throw new UserError(`${where}: not a LAS file (it does not start with "LASF")`);
  }
  if (buf.length < MIN_HEADER) {
    throw new UserError(`${where}: truncated LAS header (${buf.length} bytes, a header needs at least ${MIN_HEADER})`);
  }
  // Each field a bad header can get wrong is refused by its name, so a garbage file is not read as points.
  const bad = (field: string, why: string): UserError => new UserError(`${where}: bad LAS header: ${field} ${why}`);
  const major = view.getUint8(24),
    minor = view.getUint8(25);
  if (major !== 1) throw bad('version', `is ${major}.${minor} (this reader knows LAS 1.0–1.4)`);
  const headerSize = view.getUint16(94, true);
  if (headerSize < MIN_HEADER) throw bad('header size', `is ${headerSize} bytes, less than the ${MIN_HEADER} every LAS header has`);
  if (buf.length < headerSize) {
    throw new UserError(`${where}: truncated LAS header (${buf.length} bytes, the header says ${headerSize})`);
  }
  const dataOffset = view.getUint32(96, true);
  if (dataOffset < headerSize) throw bad('offset to point data', `is ${dataOffset}, inside the ${headerSize}-byte header`);
  if (dataOffset > buf.length) throw bad('offset to point data', `is ${dataOffset}, past the end of the ${buf.length}-byte file`);
  const formatByte = view.getUint8(104);
  const recordLength = view.getUint16(105, true);
  // LASzip sets bit 7 (and 6) of the format byte so LAS-only readers fail instead of reading noise.
  if (formatByte & 0x80 || /\.laz$/i.test(file)) {
    throw new UserError(`${where}: LAZ (compressed LAS) is not supported; decompress it first`, {
      hint: `laszip -i ${where} -o out.las   (or: pdal translate ${where} out.las)`,
    });
  }
  const pointFormat = formatByte & 0x3f;
  if (pointFormat > 10) throw new UserError(`${where}: unknown LAS point format ${pointFormat} (known: 0–10)`);
  if (recordLength < FORMAT_SIZE[pointFormat]!) {
    throw new UserError(
      `${where}: bad LAS header: point data record length ${recordLength} bytes is too short for format ${pointFormat} (${FORMAT_SIZE[pointFormat]} bytes)`,
    );
  }
  let pointCount = view.getUint32(107, true);
  // LAS 1.4 moved the count to a 64-bit field (the legacy one is 0 for formats 6–10 or > 2³² points).
  if ((major > 1 || minor >= 4) && headerSize >= 255) {
    const big = Number(view.getBigUint64(247, true));
    if (big > 0) pointCount = big;
  }
  const f64 = (at: number): number => view.getFloat64(at, true);
  const header: LasHeader = {
    version: `${major}.${minor}`,
    pointFormat,
    recordLength,
    pointCount,
    scale: [f64(131), f64(139), f64(147)],
    offset: [f64(155), f64(163), f64(171)],
    max: [f64(179), f64(195), f64(211)],
    min: [f64(187), f64(203), f64(219)],
    software: safeLine(new TextDecoder().decode(buf.subarray(58, 90)).replace(/\0.*$/s, '').trim(), 32),
  };
  (['X', 'Y', 'Z'] as const).forEach((axis, k) => {
    const scale = header.scale[k]!;
    const offset = header.offset[k]!;
    if (!Number.isFinite(scale) || scale === 0)
      throw bad(`${axis} scale factor`, `is ${scale} (it must be a finite, non-zero number of metres per unit, e.g. 0.01)`);
    if (!Number.isFinite(offset)) throw bad(`${axis} offset`, `is ${offset} (it must be a finite number of metres)`);
    // Every 32-bit integer coordinate times the scale plus the offset must stay a finite number.
    if (!Number.isFinite(Math.abs(scale) * 2 ** 31 + Math.abs(offset))) throw bad(`${axis} scale factor`, `is ${scale}: coordinates would overflow`);
  });
  if (pointCount === 0) throw new UserError(`${where}: holds no points (its header's number of point records is 0)`);
  const need = dataOffset + pointCount * recordLength;
  if (buf.length < need) {
    const held = Math.max(0, Math.floor((buf.length - dataOffset) / recordLength));
    throw new UserError(`${where}: truncated LAS point data (the header says ${pointCount} point records, the file holds ${held})`);
  }
  if (pointCount > READ_LIMITS.values) {
    throw bad('number of point records', `is ${pointCount}, more than eds reads (${READ_LIMITS.values.toLocaleString('en-US')})`);
  }
  const n = pointCount;
  const x = new Float64Array(n),
    y = new Float64Array(n),
    z = new Float64Array(n);
  const intensity = new Float64Array(n);
  const codes = new Uint8Array(n);
  const [sx, sy, sz] = header.scale;
  const [ox, oy, oz] = header.offset;
  const wide = pointFormat >= 6;
  for (let i = 0, at = dataOffset; i < n; i++, at += recordLength) {
    x[i] = view.getInt32(at, true) * sx + ox;
    y[i] = view.getInt32(at + 4, true) * sy + oy;
    z[i] = view.getInt32(at + 8, true) * sz + oz;
    intensity[i] = view.getUint16(at + 12, true);
    codes[i] = wide ? view.getUint8(at + 16) : view.getUint8(at + 15) & 0x1f;
  }
  const present = new Uint8Array(256);
  for (let i = 0; i < n; i++) present[codes[i]!] = 1;
  const classCodes: number[] = [];
  for (let c = 0; c < 256; c++) if (present[c]) classCodes.push(c);
  const indexOf = new Uint8Array(256);
  classCodes.forEach((c, k) => (indexOf[c] = k));
  const label = new Uint8Array(n);
  for (let i = 0; i < n; i++) label[i] = indexOf[codes[i]!]!;
  return {
    x,
    y,
    z,
    label,
    classes: classCodes.map((c) => ASPRS_CLASSES[c] ?? `class ${c}`),
    classCodes,
    attributes: { intensity },
    header,
  };
}

/** Reads and parses a LAS file; see {@link parseLas}. A missing, unreadable, special or oversized file is a {@link UserError}. */
export async function readLas(path: string): Promise<LasCloud> {
  return parseLas(await readInputFileAsync(path), path);
}
