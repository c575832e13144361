// Reader for NumPy `.npy` files (format versions 1.0, 2.0, 3.0): how real waveforms and picks reach the tutor.
import { basename } from 'node:path';
import { UserError } from '../errors.js';
import { safeLine } from '../util/safe-text.js';
import { fileLabel, READ_LIMITS, readInputFile } from './input.js';

/** A numeric NumPy array, converted to float64 and laid out in C (row-major) order. */
export interface NpyArray {
  /** The dtype string as written in the file's header, e.g. `<f8`, `>i2`. */
  dtype: string;
  /** Dimensions, outermost first (`[]` for a 0-d scalar, `[9001, 3]` for 9001 samples × 3 channels). */
  shape: number[];
  /** The values in C order (last index fastest), whatever the file's byte order or `fortran_order`; length = product of `shape`. */
  data: Float64Array;
}

/** A NumPy array of fixed-width strings (`<U…` unicode or `|S…` bytes), e.g. the channel names in a `.npz`. */
export interface NpyTextArray {
  /** The dtype string as written in the header, e.g. `<U11`. */
  dtype: string;
  /** Dimensions, outermost first (`[]` for a 0-d scalar). */
  shape: number[];
  /** The strings in C order, trailing NUL padding removed. */
  text: string[];
}

/** How one numeric dtype is read: bytes per item and a DataView getter. */
interface NumericKind {
  size: number;
  name: string;
  get: (view: DataView, offset: number, little: boolean) => number;
}

// The numeric kinds we read; anything else (complex, float16, structured, object) is refused by name.
const NUMERIC: Record<string, NumericKind> = {
  f4: { size: 4, name: 'float32', get: (v, o, le) => v.getFloat32(o, le) },
  f8: { size: 8, name: 'float64', get: (v, o, le) => v.getFloat64(o, le) },
  i1: { size: 1, name: 'int8', get: (v, o) => v.getInt8(o) },
  u1: { size: 1, name: 'uint8', get: (v, o) => v.getUint8(o) },
  i2: { size: 2, name: 'int16', get: (v, o, le) => v.getInt16(o, le) },
  u2: { size: 2, name: 'uint16', get: (v, o, le) => v.getUint16(o, le) },
  i4: { size: 4, name: 'int32', get: (v, o, le) => v.getInt32(o, le) },
  u4: { size: 4, name: 'uint32', get: (v, o, le) => v.getUint32(o, le) },
  // int64 beyond ±2^53 loses precision as a double; sample indices and counts never get there.
  i8: { size: 8, name: 'int64', get: (v, o, le) => Number(v.getBigInt64(o, le)) },
  u8: { size: 8, name: 'uint64', get: (v, o, le) => Number(v.getBigUint64(o, le)) },
};

const MAGIC = [0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59]; // "\x93NUMPY"

/** The parsed header of a `.npy` file. */
export interface NpyHeader {
  /** The dtype string, e.g. `<f8`. */
  descr: string;
  /** Whether the data are in Fortran (column-major) order. */
  fortranOrder: boolean;
  /** Dimensions, outermost first. */
  shape: number[];
  /** Product of the dimensions. */
  count: number;
  /** Byte offset of the data from the start of the file. */
  dataOffset: number;
}

/** Most strings in one text array (labels, channel names). */
const MAX_STRINGS = 1 << 20;

/** Longest header we parse: NumPy itself refuses headers over 10,000 bytes unless told otherwise. */
const MAX_HEADER_BYTES = 65536;

/** The bytes of the preamble and header a `.npy` needs, once its first 12 bytes are known (0 when they are not a `.npy`). */
export function npyHeaderLength(bytes: Uint8Array): number {
  if (bytes.length < 10 || MAGIC.some((b, i) => bytes[i] !== b)) return 0;
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (bytes[6] === 1) return 10 + view.getUint16(8, true);
  if (bytes.length < 12) return 12;
  return 12 + view.getUint32(8, true);
}

/**
 * Parses and checks the header of a `.npy` (the data need not be there yet: `.npz` checks a member's
 * declared shape before inflating it). Dimensions are plain non-negative integers and their product is
 * at most {@link READ_LIMITS.values}.
 */
export function parseNpyHeader(bytes: Uint8Array, name: string): NpyHeader {
  const label = fileLabel(name);
  if (bytes.length < 10 || MAGIC.some((b, i) => bytes[i] !== b)) {
    throw new UserError(`${label}: not a NumPy .npy file (bad magic bytes)`);
  }
  const major = bytes[6]!;
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let headerLen: number;
  let start: number;
  if (major === 1) {
    headerLen = view.getUint16(8, true);
    start = 10;
  } else if (major === 2 || major === 3) {
    if (bytes.length < 12) throw new UserError(`${label}: truncated .npy header (${bytes.length} bytes)`);
    headerLen = view.getUint32(8, true);
    start = 12;
  } else {
    throw new UserError(`${label}: unsupported .npy format version ${major}.${bytes[7]}`);
  }
  if (headerLen > MAX_HEADER_BYTES) throw new UserError(`${label}: .npy header of ${headerLen} bytes is implausibly long (at most ${MAX_HEADER_BYTES})`);
  if (start + headerLen > bytes.length) {
    throw new UserError(`${label}: truncated .npy header (it says ${headerLen} bytes, ${Math.max(0, bytes.length - start)} are there)`);
  }
  // Version 3.0 only differs by allowing UTF-8 in the header (structured field names).
  const header = new TextDecoder(major === 3 ? 'utf-8' : 'latin1').decode(bytes.subarray(start, start + headerLen));

  const descrMatch = /'descr'\s*:\s*'([^']*)'/.exec(header);
  if (!descrMatch) {
    if (/'descr'\s*:\s*\[/.test(header)) throw new UserError(`${label}: structured arrays (record dtypes) are not supported`);
    throw new UserError(`${label}: malformed .npy header: no 'descr'`);
  }
  const fortranMatch = /'fortran_order'\s*:\s*(True|False)\b/.exec(header);
  if (!fortranMatch) throw new UserError(`${label}: malformed .npy header: no 'fortran_order' True or False`);
  const shapeMatch = /'shape'\s*:\s*\(([^)]*)\)/.exec(header);
  if (!shapeMatch) throw new UserError(`${label}: malformed .npy header: no 'shape'`);
  const shapeText = safeLine(shapeMatch[1]!.trim(), 60);
  const parts = shapeMatch[1]!.split(',').map((s) => s.trim());
  // A trailing comma is how Python writes a 1-tuple: `(5,)`; an empty part anywhere else is malformed.
  if (parts.length > 1 && parts[parts.length - 1] === '') parts.pop();
  if (parts.length === 1 && parts[0] === '') parts.pop();
  if (parts.length > 32) throw new UserError(`${label}: malformed .npy header: ${parts.length} dimensions (NumPy allows at most 32)`);
  const shape = parts.map((s) => {
    if (!/^\d{1,16}L?$/.test(s)) {
      const why = /^-/.test(s) ? 'a negative dimension' : 'not a whole number';
      throw new UserError(`${label}: malformed .npy header: shape (${shapeText}) has ${why} ("${safeLine(s, 20)}")`);
    }
    return Number(s.replace(/L$/, ''));
  });
  let count = 1;
  for (const d of shape) count *= d;
  if (!(count <= READ_LIMITS.values)) {
    throw new UserError(
      `${label}: the header declares ${describeShape(shape)} = ${count.toLocaleString('en-US')} values, more than eds reads in one array (${READ_LIMITS.values.toLocaleString('en-US')})`,
    );
  }
  return { descr: descrMatch[1]!, fortranOrder: fortranMatch[1] === 'True', shape, count, dataOffset: start + headerLen };
}

/** Bytes per item of a dtype this reader knows (numbers and fixed-width strings), or undefined. */
export function npyItemSize(descr: string): number | undefined {
  const code = descr.slice(1);
  const text = /^([US])(\d{1,9})$/.exec(code);
  if (text) return text[1] === 'U' ? 4 * Number(text[2]) : Number(text[2]);
  return NUMERIC[code]?.size;
}

/** Maps a C-order flat index list to where each element sits in a Fortran-order buffer. */
function fortranToC<T>(values: ArrayLike<T>, shape: number[], out: { length: number; [i: number]: T }): void {
  const nd = shape.length;
  const total = out.length;
  // Fortran strides: first index fastest.
  const fStride = new Array<number>(nd);
  let s = 1;
  for (let d = 0; d < nd; d++) {
    fStride[d] = s;
    s *= shape[d]!;
  }
  const idx = new Array<number>(nd).fill(0);
  for (let c = 0; c < total; c++) {
    let f = 0;
    for (let d = 0; d < nd; d++) f += idx[d]! * fStride[d]!;
    out[c] = values[f]!;
    // Advance the C-order multi-index (last index fastest).
    for (let d = nd - 1; d >= 0; d--) {
      idx[d]!++;
      if (idx[d]! < shape[d]!) break;
      idx[d] = 0;
    }
  }
}

function describeShape(shape: number[]): string {
  return shape.length === 0 ? 'scalar' : shape.join('×');
}

/**
 * Parses a `.npy` file held in memory: numeric arrays as {@link NpyArray}, string arrays as {@link NpyTextArray}.
 * `name` is only used in error messages (one line, naming the file and what was wrong). Nothing is
 * allocated from the header's shape before the bytes it promises are known to be there.
 */
export function parseNpyAny(bytes: Uint8Array, name = 'array.npy'): NpyArray | NpyTextArray {
  const { descr, fortranOrder, shape, count, dataOffset } = parseNpyHeader(bytes, name);
  const label = fileLabel(name);
  const order = descr[0] ?? '';
  const code = descr.slice(1);
  if (code === 'O' || descr === 'O') {
    throw new UserError(`${label}: object arrays are not supported (they need Python's pickle); save a numeric array instead`);
  }
  if (!'<>|='.includes(order) || order === '')
    throw new UserError(`${label}: unsupported dtype '${safeLine(descr, 40)}' (expected float32/64, integers or strings)`);
  // '=' is native order; every platform Node runs on is little-endian.
  const little = order !== '>';

  const textMatch = /^([US])(\d{1,9})$/.exec(code);
  if (textMatch) {
    const unicode = textMatch[1] === 'U';
    const width = Number(textMatch[2]);
    if (width === 0) throw new UserError(`${label}: strings of width 0 ('${safeLine(descr, 40)}') hold nothing`);
    // Labels and channel names, not a corpus: each string costs far more than its bytes once decoded.
    if (count > MAX_STRINGS)
      throw new UserError(`${label}: ${count.toLocaleString('en-US')} strings, more than eds reads in one text array (${MAX_STRINGS.toLocaleString('en-US')})`);
    const itemSize = unicode ? 4 * width : width;
    requireBytes(bytes, dataOffset, count * itemSize, shape, `${unicode ? 'unicode' : 'bytes'} string`, label);
    const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    const raw: string[] = new Array(count);
    for (let i = 0; i < count; i++) {
      const base = dataOffset + i * itemSize;
      let s = '';
      for (let k = 0; k < width; k++) {
        const cp = unicode ? view.getUint32(base + 4 * k, little) : bytes[base + k]!;
        if (cp === 0) break;
        if (cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
          throw new UserError(`${label}: string ${i} holds ${cp} (0x${cp.toString(16)}), which is not a Unicode character`);
        s += String.fromCodePoint(cp);
      }
      raw[i] = s;
    }
    const text = new Array<string>(count);
    if (fortranOrder && shape.length > 1) fortranToC(raw, shape, text);
    else raw.forEach((v, i) => (text[i] = v));
    return { dtype: descr, shape, text };
  }

  const kind = NUMERIC[code];
  if (!kind) throw new UserError(`${label}: unsupported dtype '${safeLine(descr, 40)}' (expected float32/64 or integers)`);
  requireBytes(bytes, dataOffset, count * kind.size, shape, kind.name, label);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const flat = new Float64Array(count);
  for (let i = 0; i < count; i++) flat[i] = kind.get(view, dataOffset + i * kind.size, little);
  if (fortranOrder && shape.length > 1) {
    const data = new Float64Array(count);
    fortranToC(flat, shape, data);
    return { dtype: descr, shape, data };
  }
  return { dtype: descr, shape, data: flat };
}

function requireBytes(bytes: Uint8Array, offset: number, need: number, shape: number[], typeName: string, label: string): void {
  const have = bytes.length - offset;
  if (have < need) {
    throw new UserError(`${label}: truncated: header says ${describeShape(shape)} ${typeName} (${need} bytes), file has ${have}`);
  }
}

/**
 * Parses a numeric `.npy` held in memory; a string array, or one with no values (a zero dimension such
 * as shape (3, 0)), is refused with one line naming the file.
 */
export function parseNpy(bytes: Uint8Array, name = 'array.npy'): NpyArray {
  const arr = parseNpyAny(bytes, name);
  if (!('data' in arr)) throw new UserError(`${fileLabel(name)}: holds text ('${safeLine(arr.dtype, 40)}'), not numbers`);
  if (arr.data.length === 0) throw new UserError(`${fileLabel(name)}: the array is empty (shape ${describeShape(arr.shape)}): it holds no values`);
  return arr;
}

/** Reads a numeric `.npy` file from disk (errors name the file by its base name). */
export function readNpy(path: string): NpyArray {
  return parseNpy(readBytes(path), basename(path));
}

/** Reads a whole file (at most {@link READ_LIMITS.fileBytes}), turning a missing, unreadable or special file into one clear line. */
export function readBytes(path: string): Uint8Array {
  return readInputFile(path);
}

/** The value at a C-order multi-index of a numeric array, e.g. `npyAt(a, 10, 2)` for sample 10, channel 2. */
export function npyAt(arr: NpyArray, ...index: number[]): number {
  if (index.length !== arr.shape.length) throw new RangeError(`npyAt: ${index.length} indices for a ${arr.shape.length}-d array`);
  let flat = 0;
  for (let d = 0; d < index.length; d++) {
    const i = index[d]!;
    const n = arr.shape[d]!;
    if (i < 0 || i >= n) throw new RangeError(`npyAt: index ${i} out of range for axis ${d} of size ${n}`);
    flat = flat * n + i;
  }
  return arr.data[flat]!;
}
