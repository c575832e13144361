// Reader for the IDX format of the original MNIST files (gzip-compressed or raw), with one clear line for a bad file.
import { readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { UserError } from '../cli/errors.js';

/** The element types the IDX format defines, by their type byte. */
const IDX_TYPES = {
  0x08: { name: 'uint8', size: 1 },
  0x09: { name: 'int8', size: 1 },
  0x0b: { name: 'int16', size: 2 },
  0x0c: { name: 'int32', size: 4 },
  0x0d: { name: 'float32', size: 4 },
  0x0e: { name: 'float64', size: 8 },
} as const;

/** An IDX element type. */
export type IdxType = (typeof IDX_TYPES)[keyof typeof IDX_TYPES]['name'];

/** One IDX array. */
export interface IdxArray {
  /** Element type as stored. */
  type: IdxType;
  /** Dimensions, outermost first: [10000, 28, 28] for MNIST test images, [10000] for labels. */
  shape: number[];
  /** The values in row-major order (big-endian on disk, converted to host order here). */
  data: Uint8Array | Int8Array | Int16Array | Int32Array | Float32Array | Float64Array;
}

/**
 * Parses IDX bytes (gunzipping first when they start with the gzip magic).
 * @param name how the source is named in error messages (a file name)
 */
export function parseIdx(bytes: Uint8Array, name = 'IDX data'): IdxArray {
  let buf = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (buf.length >= 2 && buf[0] === 0x1f && buf[1] === 0x8b) {
    try {
      buf = gunzipSync(buf);
    } catch (err) {
      throw new UserError(`${name}: the gzip stream is damaged or truncated (${(err as Error).message})`);
    }
  }
  if (buf.length < 4 || buf[0] !== 0 || buf[1] !== 0) {
    const got = buf.subarray(0, 4).toString('hex') || 'nothing';
    throw new UserError(`${name}: not an IDX file (expected magic 0x0000TTDD, found 0x${got})`);
  }
  const typeByte = buf[2]!;
  const type = IDX_TYPES[typeByte as keyof typeof IDX_TYPES];
  if (!type) throw new UserError(`${name}: unknown IDX element type 0x${typeByte.toString(16).padStart(2, '0')} (expected 08, 09, 0b, 0c, 0d or 0e)`);
  const rank = buf[3]!;
  if (rank === 0) throw new UserError(`${name}: IDX header declares no dimensions`);
  const headerBytes = 4 + 4 * rank;
  if (buf.length < headerBytes) throw new UserError(`${name}: truncated IDX header (${buf.length} bytes, need ${headerBytes})`);
  const shape: number[] = [];
  for (let i = 0; i < rank; i++) shape.push(buf.readUInt32BE(4 + 4 * i));
  const count = shape.reduce((a, b) => a * b, 1);
  const expected = headerBytes + count * type.size;
  if (buf.length < expected) {
    throw new UserError(`${name}: truncated: the header promises ${shape.join('×')} ${type.name} values (${expected} bytes) but there are ${buf.length}`);
  }
  if (buf.length > expected) {
    throw new UserError(`${name}: ${buf.length - expected} unexpected bytes after the ${shape.join('×')} ${type.name} values`);
  }
  return { type: type.name, shape, data: decode(buf, headerBytes, count, type.name) };
}

function decode(buf: Buffer, offset: number, count: number, type: IdxType): IdxArray['data'] {
  switch (type) {
    case 'uint8':
      return new Uint8Array(buf.subarray(offset, offset + count));
    case 'int8':
      return new Int8Array(buf.buffer.slice(buf.byteOffset + offset, buf.byteOffset + offset + count));
    case 'int16': {
      const out = new Int16Array(count);
      for (let i = 0; i < count; i++) out[i] = buf.readInt16BE(offset + 2 * i);
      return out;
    }
    case 'int32': {
      const out = new Int32Array(count);
      for (let i = 0; i < count; i++) out[i] = buf.readInt32BE(offset + 4 * i);
      return out;
    }
    case 'float32': {
      const out = new Float32Array(count);
      for (let i = 0; i < count; i++) out[i] = buf.readFloatBE(offset + 4 * i);
      return out;
    }
    case 'float64': {
      const out = new Float64Array(count);
      for (let i = 0; i < count; i++) out[i] = buf.readDoubleBE(offset + 8 * i);
      return out;
    }
    default: {
      const never: never = type;
      throw new Error(`unhandled IDX type ${String(never)}`);
    }
  }
}

/** Reads an IDX file (`.gz` or raw); a missing, truncated or wrong-magic file is a one-line `UserError`. */
export function readIdxFile(path: string): IdxArray {
  let bytes: Buffer;
  try {
    bytes = readFileSync(path);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw new UserError(`${path}: cannot read (${code === 'ENOENT' ? 'no such file' : (err as Error).message})`);
  }
  return parseIdx(bytes, path);
}
