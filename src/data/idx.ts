// Reader for the IDX format of the original MNIST files (gzip-compressed or raw), with one clear line for a bad file.
import { constants as zlibConstants, gunzipSync } from 'node:zlib';
import { UserError } from '../errors.js';
import { describeBytes, fileLabel, READ_LIMITS, readInputFile } from './input.js';

/** The element types the IDX format defines, by their type byte. */
// biome-ignore-start lint/complexity/useSimpleNumberKeys: the IDX format's type codes, written as its specification writes them
const IDX_TYPES = {
  0x08: { name: 'uint8', size: 1 },
  0x09: { name: 'int8', size: 1 },
  0x0b: { name: 'int16', size: 2 },
  0x0c: { name: 'int32', size: 4 },
  0x0d: { name: 'float32', size: 4 },
  0x0e: { name: 'float64', size: 8 },
} as const;
// biome-ignore-end lint/complexity/useSimpleNumberKeys: the IDX format's type codes

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

const isGzip = (b: Uint8Array): boolean => b.length >= 2 && b[0] === 0x1f && b[1] === 0x8b;

/** The element type and shape an IDX header declares, and the bytes they add up to. */
interface IdxHeader {
  type: (typeof IDX_TYPES)[keyof typeof IDX_TYPES];
  shape: number[];
  count: number;
  headerBytes: number;
  /** Header plus data: the exact size of a well-formed file. */
  total: number;
}

/** Parses the header from the first bytes of an IDX stream (all of them need not be there yet). */
function parseHeader(buf: Uint8Array, label: string): IdxHeader {
  if (buf.length < 4 || buf[0] !== 0 || buf[1] !== 0) {
    const got = Buffer.from(buf.subarray(0, 4)).toString('hex') || 'nothing';
    throw new UserError(`${label}: not an IDX file (expected magic 0x0000TTDD, found 0x${got})`);
  }
  const typeByte = buf[2]!;
  const type = IDX_TYPES[typeByte as keyof typeof IDX_TYPES];
  if (!type) throw new UserError(`${label}: unknown IDX element type 0x${typeByte.toString(16).padStart(2, '0')} (expected 08, 09, 0b, 0c, 0d or 0e)`);
  const rank = buf[3]!;
  if (rank === 0) throw new UserError(`${label}: IDX header declares no dimensions`);
  const headerBytes = 4 + 4 * rank;
  if (buf.length < headerBytes) throw new UserError(`${label}: truncated IDX header (${buf.length} bytes, need ${headerBytes})`);
  const view = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
  const shape: number[] = [];
  for (let i = 0; i < rank; i++) shape.push(view.getUint32(4 + 4 * i, false));
  const count = shape.reduce((a, b) => a * b, 1);
  return { type, shape, count, headerBytes, total: headerBytes + count * type.size };
}

/**
 * Inflates a gzipped IDX file no further than its header says it should go. The header is read first,
 * from a short prefix of the compressed stream (a few hundred compressed bytes of a bomb inflate to a
 * few hundred kilobytes at most); the declared size is checked against {@link READ_LIMITS.inflatedBytes};
 * then the whole stream is inflated with a hard limit at that size, so a stream that would grow past it
 * (a 4 MB file of zeros unfolding to 3 GB) is stopped there and refused.
 */
function gunzipIdx(bytes: Uint8Array, label: string): Buffer {
  let k = Math.min(bytes.length, 512);
  let prefix: Buffer;
  for (;;) {
    try {
      prefix = gunzipSync(bytes.subarray(0, k), { finishFlush: zlibConstants.Z_SYNC_FLUSH });
    } catch (err) {
      throw new UserError(`${label}: the gzip stream is damaged or truncated (${(err as Error).message})`);
    }
    const need = prefix.length >= 4 ? 4 + 4 * prefix[3]! : 4;
    if (prefix.length >= need || k >= bytes.length) break;
    k = Math.min(bytes.length, k * 4);
  }
  const header = parseHeader(prefix, label);
  if (header.total > READ_LIMITS.inflatedBytes) {
    throw new UserError(
      `${label}: the header declares ${header.shape.join('×')} ${header.type.name} values (${describeBytes(header.total)}), more than eds inflates (${describeBytes(READ_LIMITS.inflatedBytes)}); refused before inflating`,
    );
  }
  try {
    return gunzipSync(bytes, { maxOutputLength: Math.max(1, header.total) });
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ERR_BUFFER_TOO_LARGE') {
      throw new UserError(
        `${label}: inflates to more than the ${describeBytes(header.total)} its header declares (${header.shape.join('×')} ${header.type.name}); refused, inflating stopped there`,
      );
    }
    throw new UserError(`${label}: the gzip stream is damaged or truncated (${(err as Error).message})`);
  }
}

/**
 * Parses IDX bytes (gunzipping first when they start with the gzip magic, never past the size the header declares).
 * @param name how the source is named in error messages (a file name)
 */
export function parseIdx(bytes: Uint8Array, name = 'IDX data'): IdxArray {
  const label = fileLabel(name);
  const buf = isGzip(bytes) ? gunzipIdx(bytes, label) : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const { type, shape, count, headerBytes, total: expected } = parseHeader(buf, label);
  if (buf.length < expected) {
    throw new UserError(`${label}: truncated: the header promises ${shape.join('×')} ${type.name} values (${expected} bytes) but there are ${buf.length}`);
  }
  if (buf.length > expected) {
    throw new UserError(`${label}: ${buf.length - expected} unexpected bytes after the ${shape.join('×')} ${type.name} values`);
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

/** Reads an IDX file (`.gz` or raw, at most {@link READ_LIMITS.fileBytes}); a missing, truncated or wrong-magic file is a one-line `UserError`. */
export function readIdxFile(path: string): IdxArray {
  return parseIdx(readInputFile(path), path);
}
