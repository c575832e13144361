// Builders of small hostile files (npy headers, zip archives, deflate bombs, gzip streams) and checks that a reader fails only with a UserError.
import { constants, crc32, deflateRawSync } from 'node:zlib';
import { expect } from 'vitest';
import { UserError } from '../../src/errors.js';

/** A `.npy` (format 1.0) with this header dictionary text and these data bytes. */
export function npyBytes(dict: string, data: Uint8Array = new Uint8Array(0), version = 1): Uint8Array {
  const pre = version === 1 ? 10 : 12;
  let header = dict;
  while ((pre + header.length + 1) % 64 !== 0) header += ' ';
  header += '\n';
  const out = new Uint8Array(pre + header.length + data.length);
  out.set([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59, version, 0]);
  const view = new DataView(out.buffer);
  if (version === 1) view.setUint16(8, header.length, true);
  else view.setUint32(8, header.length, true);
  out.set(Buffer.from(header, 'latin1'), pre);
  out.set(data, pre + header.length);
  return out;
}

/** A `.npy` of float64 values in C order. */
export function npyF8(shape: number[], values: number[]): Uint8Array {
  const data = new Uint8Array(new Float64Array(values).buffer);
  const dims = shape.length === 1 ? `${shape[0]},` : shape.join(', ');
  return npyBytes(`{'descr': '<f8', 'fortran_order': False, 'shape': (${dims}), }`, data);
}

/** One member of a crafted zip archive; sizes and CRC default to the truth, and may be overridden to lie. */
export interface ZipMember {
  name: string;
  /** What is stored in the archive (already deflated when `method` is 8). */
  stored: Uint8Array;
  method: 0 | 8;
  /** Uncompressed size written in the central directory. */
  size: number;
  crc: number;
  /** Uncompressed size written in the local header (default: `size`). */
  localSize?: number;
}

/** A member holding `content`, deflated or stored, with honest sizes and CRC. */
export function member(name: string, content: Uint8Array, method: 0 | 8 = 8): ZipMember {
  return { name, stored: method === 8 ? deflateRawSync(content) : content, method, size: content.length, crc: crc32(content) };
}

/** A plain (non-ZIP64) zip archive of the members, as Python's zipfile writes a small one. */
export function zipBytes(members: ZipMember[]): Uint8Array {
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const m of members) {
    const name = Buffer.from(m.name, 'utf8');
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt16LE(0, 6);
    local.writeUInt16LE(m.method, 8);
    local.writeUInt32LE(m.crc >>> 0, 14);
    local.writeUInt32LE(m.stored.length, 18);
    local.writeUInt32LE((m.localSize ?? m.size) >>> 0, 22);
    local.writeUInt16LE(name.length, 26);
    locals.push(local, name, Buffer.from(m.stored));
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE(20, 4);
    central.writeUInt16LE(20, 6);
    central.writeUInt16LE(m.method, 10);
    central.writeUInt32LE(m.crc >>> 0, 16);
    central.writeUInt32LE(m.stored.length, 20);
    central.writeUInt32LE(m.size >>> 0, 24);
    central.writeUInt16LE(name.length, 28);
    central.writeUInt32LE(offset, 42);
    centrals.push(central, name);
    offset += 30 + name.length + m.stored.length;
  }
  const cd = Buffer.concat(centrals);
  const eocd = Buffer.alloc(22);
  eocd.writeUInt32LE(0x06054b50, 0);
  eocd.writeUInt16LE(members.length, 8);
  eocd.writeUInt16LE(members.length, 10);
  eocd.writeUInt32LE(cd.length, 12);
  eocd.writeUInt32LE(offset, 16);
  return new Uint8Array(Buffer.concat([...locals, cd, eocd]));
}

/**
 * A raw deflate stream that inflates to `head` followed by `zeroMiB` MiB of zeros, built without ever
 * holding the zeros: independently compressed, byte-aligned (sync-flushed) blocks of 1 MiB laid end to
 * end (each refers back only within itself), then an empty final block. 1 GiB of zeros costs ~1 MB.
 */
export function deflatedZeros(head: Uint8Array, zeroMiB: number): Uint8Array {
  const sync = { finishFlush: constants.Z_SYNC_FLUSH };
  const block = deflateRawSync(Buffer.alloc(1 << 20), sync);
  const parts: Buffer[] = [deflateRawSync(Buffer.from(head), sync)];
  for (let i = 0; i < zeroMiB; i++) parts.push(block);
  parts.push(Buffer.from([0x03, 0x00])); // final fixed-Huffman block holding only its end code
  return new Uint8Array(Buffer.concat(parts));
}

/** A gzip stream around a raw deflate stream, with the trailer's CRC and size as given (they may lie). */
export function gzipAround(deflated: Uint8Array, crc: number, size: number): Uint8Array {
  const head = Buffer.from([0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 3]);
  const tail = Buffer.alloc(8);
  tail.writeUInt32LE(crc >>> 0, 0);
  tail.writeUInt32LE(size >>> 0, 4);
  return new Uint8Array(Buffer.concat([head, Buffer.from(deflated), tail]));
}

/** The message of the UserError `fn` throws; fails the test if it throws anything else or nothing. */
export function userError(fn: () => unknown): string {
  try {
    fn();
  } catch (err) {
    if (!(err instanceof UserError)) throw new Error(`expected a UserError, got ${String((err as Error)?.stack ?? err)}`);
    return err.message;
  }
  throw new Error('expected a UserError, nothing was thrown');
}

/** As {@link userError}, for async readers. */
export async function userErrorAsync(fn: () => Promise<unknown>): Promise<string> {
  try {
    await fn();
  } catch (err) {
    if (!(err instanceof UserError)) throw new Error(`expected a UserError, got ${String((err as Error)?.stack ?? err)}`);
    return err.message;
  }
  throw new Error('expected a UserError, nothing was thrown');
}

/** A UserError message is one line, free of control characters (so a hostile file name cannot reach the terminal raw). */
export function expectOneCleanLine(message: string): void {
  expect(message).not.toMatch(/[\u0000-\u001f\u007f-\u009f]/);
}

/**
 * Runs `parse` on every prefix of `bytes` (every cut, or `step` apart) and on a copy with each byte
 * flipped in turn: each must parse or throw a UserError, never anything else (a RangeError from a
 * DataView read past the end is the usual bug). Returns how many inputs were refused.
 */
export function fuzzTruncationsAndFlips(bytes: Uint8Array, parse: (b: Uint8Array) => unknown, step = 1): number {
  let refused = 0;
  const attempt = (b: Uint8Array, what: string): void => {
    try {
      parse(b);
    } catch (err) {
      if (!(err instanceof UserError)) throw new Error(`${what}: expected a UserError, got ${String((err as Error)?.stack ?? err)}`);
      expectOneCleanLine(err.message);
      refused++;
    }
  };
  for (let cut = 0; cut < bytes.length; cut += step) attempt(bytes.subarray(0, cut), `cut at ${cut}`);
  for (let i = 0; i < bytes.length; i += step) {
    const flipped = new Uint8Array(bytes);
    flipped[i]! ^= 0xff;
    attempt(flipped, `byte ${i} flipped`);
  }
  return refused;
}

/** Growth of this process's peak resident memory while `fn` runs, in MB (0 when it stays under an earlier peak). */
export function peakGrowthMB(fn: () => void): number {
  const before = process.resourceUsage().maxRSS; // kB
  fn();
  return (process.resourceUsage().maxRSS - before) / 1024;
}
