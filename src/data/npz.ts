// Reader for NumPy `.npz` archives (a zip of `.npy` files, stored or deflated), with no zip dependency.
import { basename } from 'node:path';
import { crc32, inflateRawSync } from 'node:zlib';
import { UserError } from '../cli/errors.js';
import { parseNpyAny, readBytes, type NpyArray, type NpyTextArray } from './npy.js';

/** The arrays of one `.npz`, keyed as NumPy's `np.load(f)[key]` names them (entry name without `.npy`). */
export interface NpzContents {
  /** Numeric arrays (float64 values in C order). */
  arrays: Map<string, NpyArray>;
  /** String arrays (e.g. `channels` in the phase-picking files). */
  text: Map<string, NpyTextArray>;
}

/** One entry of the zip central directory. */
interface ZipEntry {
  name: string;
  method: number;
  crc: number;
  compressedSize: number;
  size: number;
  localOffset: number;
}

const EOCD_SIG = 0x06054b50;
const CDIR_SIG = 0x02014b50;
const LOCAL_SIG = 0x04034b50;
const ZIP64_EOCD_LOCATOR_SIG = 0x07064b50;
const ZIP64_EOCD_SIG = 0x06064b50;

/** Lists the entries of a zip archive from its central directory (ZIP64 included, as `np.savez` forces it). */
function readCentralDirectory(bytes: Uint8Array, name: string): ZipEntry[] {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  // The end-of-central-directory record is the last 22 bytes plus a comment of up to 65535 bytes.
  let eocd = -1;
  for (let i = bytes.length - 22; i >= Math.max(0, bytes.length - 22 - 65535); i--) {
    if (view.getUint32(i, true) === EOCD_SIG) {
      eocd = i;
      break;
    }
  }
  if (eocd < 0) {
    const isZipStart = bytes.length >= 4 && view.getUint32(0, true) === LOCAL_SIG;
    throw new UserError(`${name}: ${isZipStart ? 'truncated zip archive (no central directory)' : 'not a .npz (zip) archive'}`);
  }
  let count = view.getUint16(eocd + 10, true);
  let cdOffset = view.getUint32(eocd + 16, true);
  if ((count === 0xffff || cdOffset === 0xffffffff) && eocd >= 20 && view.getUint32(eocd - 20, true) === ZIP64_EOCD_LOCATOR_SIG) {
    const z64 = Number(view.getBigUint64(eocd - 20 + 8, true));
    if (z64 + 56 > bytes.length || view.getUint32(z64, true) !== ZIP64_EOCD_SIG) throw new UserError(`${name}: damaged zip archive (ZIP64 end record)`);
    count = Number(view.getBigUint64(z64 + 32, true));
    cdOffset = Number(view.getBigUint64(z64 + 48, true));
  }
  const entries: ZipEntry[] = [];
  let p = cdOffset;
  for (let k = 0; k < count; k++) {
    if (p + 46 > bytes.length || view.getUint32(p, true) !== CDIR_SIG) throw new UserError(`${name}: damaged zip archive (central directory)`);
    const method = view.getUint16(p + 10, true);
    const crc = view.getUint32(p + 16, true);
    let compressedSize = view.getUint32(p + 20, true);
    let size = view.getUint32(p + 24, true);
    const nameLen = view.getUint16(p + 28, true);
    const extraLen = view.getUint16(p + 30, true);
    const commentLen = view.getUint16(p + 32, true);
    let localOffset = view.getUint32(p + 42, true);
    const entryName = new TextDecoder().decode(bytes.subarray(p + 46, p + 46 + nameLen));
    // ZIP64 extra field: the 64-bit values appear only for the 32-bit fields that are saturated, in this order.
    let e = p + 46 + nameLen;
    const extraEnd = e + extraLen;
    while (e + 4 <= extraEnd) {
      const id = view.getUint16(e, true);
      const len = view.getUint16(e + 2, true);
      if (id === 0x0001) {
        let q = e + 4;
        if (size === 0xffffffff) (size = Number(view.getBigUint64(q, true))), (q += 8);
        if (compressedSize === 0xffffffff) (compressedSize = Number(view.getBigUint64(q, true))), (q += 8);
        if (localOffset === 0xffffffff) localOffset = Number(view.getBigUint64(q, true));
      }
      e += 4 + len;
    }
    entries.push({ name: entryName, method, crc, compressedSize, size, localOffset });
    p = extraEnd + commentLen;
  }
  return entries;
}

/** The uncompressed bytes of one entry, checked against its CRC-32. */
function entryBytes(bytes: Uint8Array, entry: ZipEntry, name: string): Uint8Array {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const where = `${name}: entry '${entry.name}'`;
  const lh = entry.localOffset;
  if (lh + 30 > bytes.length || view.getUint32(lh, true) !== LOCAL_SIG) throw new UserError(`${where}: damaged zip archive (local header)`);
  // The local header's own name/extra lengths can differ from the central directory's (ZIP64 extras).
  const start = lh + 30 + view.getUint16(lh + 26, true) + view.getUint16(lh + 28, true);
  if (start + entry.compressedSize > bytes.length) throw new UserError(`${where}: truncated zip archive`);
  const raw = bytes.subarray(start, start + entry.compressedSize);
  let out: Uint8Array;
  if (entry.method === 0) out = raw;
  else if (entry.method === 8) {
    try {
      out = inflateRawSync(raw);
    } catch {
      throw new UserError(`${where}: corrupt deflate data`);
    }
  } else throw new UserError(`${where}: unsupported zip compression method ${entry.method} (expected stored or deflated)`);
  if (out.length !== entry.size || crc32(out) !== entry.crc) throw new UserError(`${where}: corrupt data (CRC or size mismatch)`);
  return out;
}

/** Parses a `.npz` held in memory; every entry must be a `.npy`. `name` is used in error messages. */
export function parseNpz(bytes: Uint8Array, name = 'arrays.npz'): NpzContents {
  const arrays = new Map<string, NpyArray>();
  const text = new Map<string, NpyTextArray>();
  for (const entry of readCentralDirectory(bytes, name)) {
    if (entry.name.endsWith('/')) continue; // a directory entry carries no array
    const key = entry.name.replace(/\.npy$/, '');
    const arr = parseNpyAny(entryBytes(bytes, entry, name), `${name}:${entry.name}`);
    if ('data' in arr) arrays.set(key, arr);
    else text.set(key, arr);
  }
  return { arrays, text };
}

/** Reads a `.npz` file from disk. */
export function readNpz(path: string): NpzContents {
  return parseNpz(readBytes(path), basename(path));
}

/** A numeric array of a `.npz` by key, or one clear line saying which keys the file has. */
export function npzArray(npz: NpzContents, key: string, name = 'arrays.npz'): NpyArray {
  const arr = npz.arrays.get(key);
  if (arr) return arr;
  const keys = [...npz.arrays.keys(), ...npz.text.keys()].join(', ');
  throw new UserError(`${name}: no numeric array '${key}' (has: ${keys || 'nothing'})`);
}
