// Reader for NumPy `.npz` archives (a zip of `.npy` files, stored or deflated), with no zip dependency.
import { basename } from 'node:path';
import { constants as zlibConstants, crc32, inflateRawSync } from 'node:zlib';
import { UserError } from '../errors.js';
import { safeLine } from '../util/safe-text.js';
import { describeBytes, fileLabel, READ_LIMITS } from './input.js';
import { npyHeaderLength, npyItemSize, parseNpyAny, parseNpyHeader, readBytes, type NpyArray, type NpyTextArray } from './npy.js';

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
  /** General-purpose flags (bit 3: sizes in a data descriptor after the data, so the local header's are 0). */
  flags: number;
}

const EOCD_SIG = 0x06054b50;
const CDIR_SIG = 0x02014b50;
const LOCAL_SIG = 0x04034b50;
const ZIP64_EOCD_LOCATOR_SIG = 0x07064b50;
const ZIP64_EOCD_SIG = 0x06064b50;

/** Lists the entries of a zip archive from its central directory (ZIP64 included, as `np.savez` forces it). */
function readCentralDirectory(bytes: Uint8Array, label: string): ZipEntry[] {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const damaged = (what: string): UserError => new UserError(`${label}: damaged zip archive (${what})`);
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
    throw new UserError(`${label}: ${isZipStart ? 'truncated zip archive (no central directory)' : 'not a .npz (zip) archive'}`);
  }
  let count = view.getUint16(eocd + 10, true);
  let cdOffset = view.getUint32(eocd + 16, true);
  if ((count === 0xffff || cdOffset === 0xffffffff) && eocd >= 20 && view.getUint32(eocd - 20, true) === ZIP64_EOCD_LOCATOR_SIG) {
    const z64 = Number(view.getBigUint64(eocd - 20 + 8, true));
    if (z64 + 56 > bytes.length || view.getUint32(z64, true) !== ZIP64_EOCD_SIG) throw damaged('ZIP64 end record');
    count = Number(view.getBigUint64(z64 + 32, true));
    cdOffset = Number(view.getBigUint64(z64 + 48, true));
  }
  if (count > READ_LIMITS.zipEntries)
    throw new UserError(`${label}: the archive declares ${count} entries; a .npz of arrays holds at most ${READ_LIMITS.zipEntries} here`);
  if (cdOffset > bytes.length) throw damaged(`central directory at byte ${cdOffset}, past the end of the file`);
  const entries: ZipEntry[] = [];
  let p = cdOffset;
  for (let k = 0; k < count; k++) {
    if (p + 46 > bytes.length || view.getUint32(p, true) !== CDIR_SIG) throw damaged('central directory');
    const flags = view.getUint16(p + 8, true);
    const method = view.getUint16(p + 10, true);
    const crc = view.getUint32(p + 16, true);
    let compressedSize = view.getUint32(p + 20, true);
    let size = view.getUint32(p + 24, true);
    const nameLen = view.getUint16(p + 28, true);
    const extraLen = view.getUint16(p + 30, true);
    const commentLen = view.getUint16(p + 32, true);
    let localOffset = view.getUint32(p + 42, true);
    if (p + 46 + nameLen + extraLen + commentLen > bytes.length) throw damaged('central directory runs past the end of the file');
    const entryName = new TextDecoder().decode(bytes.subarray(p + 46, p + 46 + nameLen));
    // ZIP64 extra field: the 64-bit values appear only for the 32-bit fields that are saturated, in this order.
    let e = p + 46 + nameLen;
    const extraEnd = e + extraLen;
    while (e + 4 <= extraEnd) {
      const id = view.getUint16(e, true);
      const len = view.getUint16(e + 2, true);
      if (id === 0x0001) {
        let q = e + 4;
        const end = Math.min(e + 4 + len, extraEnd);
        const next = (): number => {
          if (q + 8 > end) throw damaged(`ZIP64 field of entry '${safeLine(entryName, 80)}'`);
          const v = Number(view.getBigUint64(q, true));
          q += 8;
          return v;
        };
        if (size === 0xffffffff) size = next();
        if (compressedSize === 0xffffffff) compressedSize = next();
        if (localOffset === 0xffffffff) localOffset = next();
      }
      e += 4 + len;
    }
    entries.push({ name: entryName, method, crc, compressedSize, size, localOffset, flags });
    p = extraEnd + commentLen;
  }
  return entries;
}

/** Where one entry's compressed bytes lie, after checking its local header agrees with the central directory. */
function entryData(bytes: Uint8Array, entry: ZipEntry, where: string): Uint8Array {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const lh = entry.localOffset;
  if (lh + 30 > bytes.length || view.getUint32(lh, true) !== LOCAL_SIG) throw new UserError(`${where}: damaged zip archive (local header)`);
  if (view.getUint16(lh + 8, true) !== entry.method)
    throw new UserError(`${where}: damaged zip archive (local header and central directory disagree on the compression)`);
  // Sizes in the local header are 0 when a data descriptor follows the data, saturated when ZIP64 extras hold them.
  if (!(view.getUint16(lh + 6, true) & 0x08)) {
    const localCompressed = view.getUint32(lh + 18, true);
    const localSize = view.getUint32(lh + 22, true);
    const agrees = (local: number, central: number): boolean => local === 0xffffffff || local === central || (local === 0 && central === 0);
    if (!agrees(localCompressed, entry.compressedSize) || !agrees(localSize, entry.size)) {
      throw new UserError(`${where}: damaged zip archive (local header says ${localSize} bytes, the central directory ${entry.size})`);
    }
  }
  // The local header's own name/extra lengths can differ from the central directory's (ZIP64 extras).
  const start = lh + 30 + view.getUint16(lh + 26, true) + view.getUint16(lh + 28, true);
  if (start + entry.compressedSize > bytes.length) throw new UserError(`${where}: truncated zip archive`);
  return bytes.subarray(start, start + entry.compressedSize);
}

/**
 * The first bytes of a deflated entry, enough to hold a `.npy` header: inflated from a short prefix of the
 * compressed data (a few hundred bytes of a bomb inflate to at most a few hundred kilobytes).
 */
function inflatedPrefix(raw: Uint8Array, where: string): Uint8Array {
  let k = Math.min(raw.length, 512);
  for (;;) {
    let out: Uint8Array;
    try {
      out = inflateRawSync(raw.subarray(0, k), { finishFlush: zlibConstants.Z_SYNC_FLUSH });
    } catch {
      throw new UserError(`${where}: corrupt deflate data`);
    }
    const need = out.length >= 12 ? npyHeaderLength(out) : 12;
    if (out.length >= need || need === 0 || need > 65548 || k >= raw.length) return out;
    k = Math.min(raw.length, k * 4);
  }
}

/** Inflates one entry to at most its declared size; a stream that would grow past it is refused, not followed. */
function inflateEntry(raw: Uint8Array, entry: ZipEntry, where: string): Uint8Array {
  try {
    return inflateRawSync(raw, { maxOutputLength: Math.max(1, entry.size) });
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ERR_BUFFER_TOO_LARGE') {
      throw new UserError(`${where}: inflates to more than the ${describeBytes(entry.size)} its header declares (a decompression bomb?); refused`);
    }
    throw new UserError(`${where}: corrupt deflate data`);
  }
}

/**
 * Parses a `.npz` held in memory; every entry must be a `.npy`. `name` is used in error messages.
 * Before anything is inflated, each entry's declared size and its array's declared shape × dtype are
 * checked against {@link READ_LIMITS} (per entry and for the whole archive) and against each other;
 * inflation then stops at the declared size, so a header that lies cannot make it allocate more.
 */
export function parseNpz(bytes: Uint8Array, name = 'arrays.npz'): NpzContents {
  const label = fileLabel(name);
  const arrays = new Map<string, NpyArray>();
  const text = new Map<string, NpyTextArray>();
  const entries = readCentralDirectory(bytes, label).filter((e) => !e.name.endsWith('/')); // a directory entry carries no array
  let declared = 0;
  for (const entry of entries) {
    const where = `${label}: entry '${safeLine(entry.name, 80)}'`;
    if (entry.method !== 0 && entry.method !== 8)
      throw new UserError(`${where}: unsupported zip compression method ${entry.method} (expected stored or deflated)`);
    if (entry.size > READ_LIMITS.inflatedBytes) {
      throw new UserError(
        `${where}: declares ${describeBytes(entry.size)} uncompressed, more than eds inflates (${describeBytes(READ_LIMITS.inflatedBytes)}); refused before inflating`,
      );
    }
    declared += entry.size;
    if (declared > READ_LIMITS.inflatedBytes) {
      throw new UserError(
        `${label}: its entries declare ${describeBytes(declared)}+ uncompressed together, more than eds inflates (${describeBytes(READ_LIMITS.inflatedBytes)}); refused before inflating`,
      );
    }
  }
  let values = 0;
  for (const entry of entries) {
    const where = `${label}: entry '${safeLine(entry.name, 80)}'`;
    const memberName = `${name}:${entry.name}`;
    const raw = entryData(bytes, entry, where);
    // The array's own header, read before the data are inflated.
    const header = parseNpyHeader(entry.method === 0 ? raw : inflatedPrefix(raw, where), memberName);
    values += header.count;
    if (values > READ_LIMITS.values) {
      throw new UserError(
        `${label}: its arrays hold more than ${READ_LIMITS.values.toLocaleString('en-US')} values together, more than eds reads; refused before inflating`,
      );
    }
    const itemSize = npyItemSize(header.descr);
    if (itemSize !== undefined) {
      const need = header.dataOffset + header.count * itemSize;
      if (need > entry.size) {
        throw new UserError(
          `${where}: its header declares shape (${header.shape.join(', ')}) '${safeLine(header.descr, 20)}' (${describeBytes(need)}), but the entry holds ${describeBytes(entry.size)}`,
        );
      }
    }
    const out = entry.method === 0 ? raw : inflateEntry(raw, entry, where);
    if (out.length !== entry.size || crc32(out) !== entry.crc) throw new UserError(`${where}: corrupt data (CRC or size mismatch)`);
    const key = entry.name.replace(/\.npy$/, '');
    const arr = parseNpyAny(out, memberName);
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
  throw new UserError(`${fileLabel(name)}: no numeric array '${safeLine(key, 80)}' (has: ${safeLine(keys || 'nothing', 300)})`);
}
