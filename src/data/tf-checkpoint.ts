// TensorFlow checkpoints (tensor bundles, TF 1 and 2): the `.index` table of tensor names and the raw `.data` shard.
// The `.index` is a LevelDB-style SSTable (prefix-compressed keys in blocks, an index block, a 48-byte footer) whose
// values are BundleEntryProto messages: dtype, shape, shard, offset, size and the masked crc32c of the tensor's
// bytes. Read without TensorFlow, every length and offset checked, every tensor's checksum verified.
import { basename } from 'node:path';
import { UserError } from '../errors.js';
import { fileLabel, readInputFile } from './input.js';
import { safeLine } from '../util/safe-text.js';

/** Largest `.index` read, bytes: PhaseNet's is 7 kB; a table of thousands of tensors is well under this. */
const INDEX_MAX_BYTES = 16 * 1024 * 1024;
/** Largest `.data` shard read, bytes: PhaseNet's is 3.2 MB (weights, Adam slots and batch-norm statistics). */
const DATA_MAX_BYTES = 256 * 1024 * 1024;
/** LevelDB's table magic number, the footer's last 8 bytes (little-endian 0xdb4775248b80fb57). */
const TABLE_MAGIC = [0x57, 0xfb, 0x80, 0x8b, 0x24, 0x75, 0x47, 0xdb];

/** TensorFlow's DataType enum values this reader knows, with their byte width. */
const DTYPES: Readonly<Record<number, { name: string; bytes: number }>> = {
  1: { name: 'float32', bytes: 4 },
  2: { name: 'float64', bytes: 8 },
  3: { name: 'int32', bytes: 4 },
  9: { name: 'int64', bytes: 8 },
  10: { name: 'bool', bytes: 1 },
};

/** One tensor of a checkpoint, as its BundleEntryProto describes it. */
export interface CheckpointTensor {
  /** Variable name, e.g. "DownConv_0/down_conv1_1/kernel". */
  name: string;
  /** TensorFlow DataType number (1 is float32). */
  dtype: number;
  /** dtype's name ("float32", "int32", …) or "dtype N" for others. */
  dtypeName: string;
  /** Dimensions; [] for a scalar. */
  shape: number[];
  /** Byte offset in the data shard. */
  offset: number;
  /** Byte length in the data shard. */
  size: number;
  /** The masked crc32c stored in the index (checked against the bytes when the checkpoint is read). */
  crc32c: number;
}

/** A checkpoint read into memory: its tensors by name (sorted as in the table) and the data shard. */
export interface Checkpoint {
  /** Every tensor, in the table's (byte-wise sorted) order. */
  tensors: CheckpointTensor[];
  /** The `.data-00000-of-00001` shard. */
  data: Uint8Array;
}

/** The raw bytes of one tensor (a view into the shard: copy before keeping it). */
export function tensorBytes(ckpt: Checkpoint, t: CheckpointTensor): Uint8Array {
  return ckpt.data.subarray(t.offset, t.offset + t.size);
}

/** The values of a float32 tensor, little-endian, as a new Float32Array. */
export function tensorFloat32(ckpt: Checkpoint, t: CheckpointTensor): Float32Array {
  if (t.dtype !== 1) throw new UserError(`checkpoint tensor ${safeLine(t.name, 120)} is ${t.dtypeName}, not float32`);
  const bytes = tensorBytes(ckpt, t);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const out = new Float32Array(bytes.byteLength / 4);
  for (let i = 0; i < out.length; i++) out[i] = view.getFloat32(i * 4, true);
  return out;
}

/**
 * Reads a checkpoint given its prefix (`…/model_95.ckpt`): `prefix.index` and the single shard
 * `prefix.data-00000-of-00001`. Multi-shard and sliced (partitioned) checkpoints are refused in one line.
 */
export function readCheckpoint(prefix: string): Checkpoint {
  const index = readInputFile(`${prefix}.index`, INDEX_MAX_BYTES, 'a checkpoint index');
  const data = readInputFile(`${prefix}.data-00000-of-00001`, DATA_MAX_BYTES, 'a checkpoint data shard');
  return parseCheckpoint(
    new Uint8Array(index.buffer, index.byteOffset, index.byteLength),
    new Uint8Array(data.buffer, data.byteOffset, data.byteLength),
    basename(prefix),
  );
}

/** Parses a checkpoint held in memory; `name` labels error messages. */
export function parseCheckpoint(index: Uint8Array, data: Uint8Array, name = 'checkpoint'): Checkpoint {
  const where = `${fileLabel(`${name}.index`)}`;
  const bad = (why: string): never => {
    throw new UserError(`${where}: ${why}: not a TensorFlow checkpoint index`);
  };
  if (index.length < 48) bad(`${index.length} bytes, shorter than a table footer`);
  const footer = index.subarray(index.length - 48);
  for (let i = 0; i < 8; i++) if (footer[40 + i] !== TABLE_MAGIC[i]) bad('no table magic number at its end');
  const f = new Reader(footer.subarray(0, 40), where);
  f.varint(); // metaindex handle: unused by tensor bundles
  f.varint();
  const ixOffset = f.varint();
  const ixSize = f.varint();
  const entries: Array<[string, Uint8Array]> = [];
  for (const [, handle] of blockEntries(index, ixOffset, ixSize, where)) {
    const h = new Reader(handle, where);
    const off = h.varint();
    const size = h.varint();
    for (const e of blockEntries(index, off, size, where)) entries.push(e);
  }
  const tensors: CheckpointTensor[] = [];
  let sawHeader = false;
  for (const [key, value] of entries) {
    if (key === '') {
      sawHeader = true;
      checkHeader(value, where);
      continue;
    }
    const t = bundleEntry(key, value, where);
    if (t.offset + t.size > data.length)
      throw new UserError(`${where}: tensor ${safeLine(key, 120)} lies at bytes ${t.offset}–${t.offset + t.size}, past the data shard's ${data.length}`);
    const width = DTYPES[t.dtype]?.bytes;
    const count = t.shape.reduce((a, b) => a * b, 1);
    if (width !== undefined && count * width !== t.size)
      throw new UserError(`${where}: tensor ${safeLine(key, 120)} has shape [${t.shape.join(', ')}] ${t.dtypeName} but ${t.size} bytes`);
    if (maskCrc(crc32c(data.subarray(t.offset, t.offset + t.size))) !== t.crc32c)
      throw new UserError(`${where}: tensor ${safeLine(key, 120)}: its bytes fail the index's crc32c (corrupt or mismatched data shard)`);
    tensors.push(t);
  }
  if (!sawHeader) bad('no bundle header entry');
  return { tensors, data };
}

/** The bundle header (key ""): one shard, little-endian, or the checkpoint is not one this reader handles. */
function checkHeader(value: Uint8Array, where: string): void {
  let shards = 0;
  let endianness = 0;
  for (const [field, , v] of protoFields(value, where)) {
    if (field === 1) shards = v as number;
    if (field === 2) endianness = v as number;
  }
  if (shards !== 1) throw new UserError(`${where}: a checkpoint in ${shards} shards; eds reads single-shard checkpoints only`);
  if (endianness !== 0) throw new UserError(`${where}: a big-endian checkpoint; eds reads little-endian ones only`);
}

function bundleEntry(name: string, value: Uint8Array, where: string): CheckpointTensor {
  const t: CheckpointTensor = { name, dtype: 0, dtypeName: '', shape: [], offset: 0, size: 0, crc32c: 0 };
  let shard = 0;
  for (const [field, , v] of protoFields(value, where)) {
    if (field === 1) t.dtype = v as number;
    else if (field === 2) {
      for (const [g, , dim] of protoFields(v as Uint8Array, where)) {
        if (g !== 2) continue;
        let size = 0;
        for (const [h, , x] of protoFields(dim as Uint8Array, where)) if (h === 1) size = x as number;
        t.shape.push(size);
      }
    } else if (field === 3) shard = v as number;
    else if (field === 4) t.offset = v as number;
    else if (field === 5) t.size = v as number;
    else if (field === 6) t.crc32c = v as number;
    else if (field === 7) throw new UserError(`${where}: tensor ${safeLine(name, 120)} is saved in slices; eds reads whole tensors only`);
  }
  if (shard !== 0) throw new UserError(`${where}: tensor ${safeLine(name, 120)} is in shard ${shard}; eds reads single-shard checkpoints only`);
  t.dtypeName = DTYPES[t.dtype]?.name ?? `dtype ${t.dtype}`;
  return t;
}

/** Key/value pairs of one table block: prefix-compressed keys, a restart array, then a 5-byte trailer. */
function blockEntries(file: Uint8Array, offset: number, size: number, where: string): Array<[string, Uint8Array]> {
  if (offset + size + 5 > file.length || size < 4) throw new UserError(`${where}: a block at bytes ${offset}–${offset + size} runs past the file`);
  if (file[offset + size] !== 0) throw new UserError(`${where}: a compressed table block (type ${file[offset + size]}); eds reads uncompressed ones`);
  const block = file.subarray(offset, offset + size);
  const restarts = new DataView(block.buffer, block.byteOffset, block.byteLength).getUint32(size - 4, true);
  const end = size - 4 - 4 * restarts;
  if (end < 0) throw new UserError(`${where}: a block's restart array is larger than the block`);
  const r = new Reader(block.subarray(0, end), where);
  const out: Array<[string, Uint8Array]> = [];
  let key = new Uint8Array(0);
  while (!r.done()) {
    const shared = r.varint();
    const unshared = r.varint();
    const length = r.varint();
    if (shared > key.length) throw new UserError(`${where}: a key shares ${shared} bytes with a previous key of ${key.length}`);
    const next = new Uint8Array(shared + unshared);
    next.set(key.subarray(0, shared));
    next.set(r.bytes(unshared), shared);
    key = next;
    out.push([new TextDecoder('utf-8', { fatal: false }).decode(key), r.bytes(length)]);
  }
  return out;
}

/** (field, wire type, value) of a protobuf message; varints as numbers (exact below 2^53), fixed32 and bytes. */
function protoFields(bytes: Uint8Array, where: string): Array<[number, number, number | Uint8Array]> {
  const r = new Reader(bytes, where);
  const out: Array<[number, number, number | Uint8Array]> = [];
  while (!r.done()) {
    const tag = r.varint();
    const field = Math.floor(tag / 8);
    const wire = tag % 8;
    if (wire === 0) out.push([field, wire, r.varint()]);
    else if (wire === 5) out.push([field, wire, r.fixed32()]);
    else if (wire === 1) out.push([field, wire, r.bytes(8)]);
    else if (wire === 2) out.push([field, wire, r.bytes(r.varint())]);
    else throw new UserError(`${where}: protobuf wire type ${wire} in a tensor entry`);
  }
  return out;
}

/** A bounds-checked cursor over bytes. */
class Reader {
  private at = 0;
  constructor(
    private readonly b: Uint8Array,
    private readonly where: string,
  ) {}
  done(): boolean {
    return this.at >= this.b.length;
  }
  varint(): number {
    let value = 0;
    let scale = 1;
    for (let i = 0; i < 10; i++) {
      if (this.at >= this.b.length) throw new UserError(`${this.where}: a number runs past the end of its record`);
      const c = this.b[this.at++]!;
      value += (c & 0x7f) * scale;
      if (c < 0x80) {
        if (!Number.isSafeInteger(value)) throw new UserError(`${this.where}: a number larger than 2^53`);
        return value;
      }
      scale *= 128;
    }
    throw new UserError(`${this.where}: a varint longer than 10 bytes`);
  }
  fixed32(): number {
    const v = this.bytes(4);
    return (v[0]! | (v[1]! << 8) | (v[2]! << 16) | (v[3]! << 24)) >>> 0;
  }
  bytes(n: number): Uint8Array {
    if (this.at + n > this.b.length) throw new UserError(`${this.where}: a field of ${n} bytes runs past the end of its record`);
    const out = this.b.subarray(this.at, this.at + n);
    this.at += n;
    return out;
  }
}

const CRC32C_TABLE = (() => {
  const t = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? (c >>> 1) ^ 0x82f63b78 : c >>> 1;
    t[n] = c >>> 0;
  }
  return t;
})();

/** CRC-32C (Castagnoli), as TensorFlow and LevelDB compute it. */
export function crc32c(bytes: Uint8Array): number {
  let c = 0xffffffff;
  for (let i = 0; i < bytes.length; i++) c = CRC32C_TABLE[(c ^ bytes[i]!) & 0xff]! ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

/** LevelDB's mask of a stored crc (rotate right by 15, add a constant), which TensorFlow applies in the index. */
export function maskCrc(crc: number): number {
  return (((crc >>> 15) | (crc << 17)) + 0xa282ead8) >>> 0;
}
