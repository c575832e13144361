// miniSEED 2 reader: fixed header, blockettes 100/1000, Steim1/Steim2 and plain integer/float encodings, merged into traces.
import { basename } from 'node:path';
import { UserError } from '../errors.js';
import { fileLabel, READ_LIMITS } from './input.js';
import { readBytes } from './npy.js';

/** Most records in one file: a day of 100 Hz data in 512-byte records is about 20,000. */
const MAX_RECORDS = 1 << 20;

/** A continuous run of samples from one channel (consecutive records without gaps are merged). */
export interface MseedTrace {
  /** FDSN network code, e.g. `XX`. */
  network: string;
  /** Station code, e.g. `EDS01`. */
  station: string;
  /** Location code (often empty or `00`). */
  location: string;
  /** SEED channel code, e.g. `HHZ`. */
  channel: string;
  /** Time of the first sample, milliseconds since 1970-01-01T00:00:00Z (fractional: the format resolves 0.1 ms). */
  startTimeMs: number;
  /** Sampling rate, Hz. */
  samplingRateHz: number;
  /** The samples, in the recorded units (counts for integer encodings). */
  samples: Float64Array;
}

const ENCODING_NAMES: Record<number, string> = {
  0: 'ASCII text',
  1: 'int16',
  3: 'int32',
  4: 'float32',
  5: 'float64',
  10: 'Steim1',
  11: 'Steim2',
  12: 'GEOSCOPE 24-bit',
  16: 'CDSN',
  30: 'SRO',
  32: 'DWWSSN',
};

/** A header code (station, channel…): SEED allows printable ASCII only, so anything else shows as `?`, never raw. */
function ascii(bytes: Uint8Array, start: number, length: number): string {
  let s = '';
  for (let i = start; i < start + length; i++) {
    const c = bytes[i]!;
    s += c >= 0x20 && c < 0x7f ? String.fromCharCode(c) : c === 0 ? ' ' : '?';
  }
  return s.trim();
}

/** SEED's sample-rate factor/multiplier pair, in Hz (negative values mean "divide"). */
function sampleRate(factor: number, multiplier: number): number {
  if (factor === 0 || multiplier === 0) return 0;
  const f = factor > 0 ? factor : -1 / factor;
  const m = multiplier > 0 ? multiplier : -1 / multiplier;
  return f * m;
}

/** Sign-extends the low `bits` bits of `value`. */
function signed(value: number, bits: number): number {
  const shift = 32 - bits;
  return (value << shift) >> shift;
}

/**
 * Decodes Steim1 (level 1) or Steim2 (level 2) frames: differences are integrated from the forward
 * constant X0 and the result is checked against the reverse constant Xn, which catches corrupt data.
 */
function decodeSteim(view: DataView, offset: number, length: number, nSamples: number, level: 1 | 2, little: boolean, where: string): Float64Array {
  const nFrames = Math.floor(length / 64);
  // Each 64-byte frame holds 15 words of at most 4 (Steim1) or 7 (Steim2) differences: more cannot be there.
  const most = nFrames * 15 * (level === 1 ? 4 : 7);
  if (nSamples > most) throw new UserError(`${where}: header says ${nSamples} samples, but ${nFrames} Steim${level} frames hold at most ${most}`);
  const out = new Float64Array(nSamples);
  if (nSamples === 0) return out;
  let x0 = 0;
  let xn = 0;
  let count = 0; // differences collected, the first of which is skipped (it refers to the previous record)
  let last = 0;
  const push = (d: number): void => {
    if (count === 0) {
      out[0] = x0;
      last = x0;
    } else if (count < nSamples) {
      last += d;
      out[count] = last;
    }
    count++;
  };
  for (let f = 0; f < nFrames && count < nSamples; f++) {
    const base = offset + f * 64;
    const nibbles = view.getUint32(base, little);
    for (let w = 1; w < 16; w++) {
      const word = view.getUint32(base + 4 * w, little);
      const code = (nibbles >>> (30 - 2 * w)) & 3;
      if (f === 0 && w === 1) {
        x0 = word | 0;
        continue;
      }
      if (f === 0 && w === 2) {
        xn = word | 0;
        continue;
      }
      if (code === 0) continue;
      if (code === 1) {
        for (let k = 3; k >= 0; k--) push(signed(word >>> (8 * k), 8));
      } else if (level === 1) {
        if (code === 2) {
          push(signed(word >>> 16, 16));
          push(signed(word, 16));
        } else push(word | 0);
      } else {
        const dnib = word >>> 30;
        let n: number;
        let bits: number;
        if (code === 2) {
          if (dnib === 0) throw new UserError(`${where}: corrupt Steim2 frame (bad sub-code)`);
          [n, bits] = dnib === 1 ? [1, 30] : dnib === 2 ? [2, 15] : [3, 10];
        } else {
          if (dnib === 3) throw new UserError(`${where}: corrupt Steim2 frame (bad sub-code)`);
          [n, bits] = dnib === 0 ? [5, 6] : dnib === 1 ? [6, 5] : [7, 4];
        }
        for (let k = n - 1; k >= 0; k--) push(signed(word >>> (bits * k), bits));
      }
    }
  }
  if (count < nSamples) throw new UserError(`${where}: Steim${level} data hold ${count} samples, header says ${nSamples}`);
  if (out[nSamples - 1] !== xn) throw new UserError(`${where}: corrupt Steim${level} data (last sample ${out[nSamples - 1]} ≠ reverse constant ${xn})`);
  return out;
}

/** Decodes the record starting at byte `at`; `record` is null for ASCII log records, which carry no samples. */
function decodeRecord(bytes: Uint8Array, at: number, name: string, recordIndex: number): { record: MseedTrace | null; length: number } {
  const where = `${fileLabel(name)}: record ${recordIndex + 1}`;
  if (at + 48 > bytes.length) throw new UserError(`${where}: truncated (${bytes.length - at} bytes left, a header needs 48)`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const seq = ascii(bytes, at, 6);
  const quality = String.fromCharCode(bytes[at + 6]!);
  if (!/^[0-9 ]*$/.test(seq) || !'DRQM'.includes(quality)) {
    if (bytes[at] === 0x4d && bytes[at + 1] === 0x53 && bytes[at + 2] === 3)
      throw new UserError(`${fileLabel(name)}: miniSEED 3 is not supported (only miniSEED 2)`);
    throw new UserError(`${where}: not a miniSEED record (bad fixed header)`);
  }
  // The header's byte order is not flagged anywhere: a plausible year says which it is.
  let little = false;
  const yearBE = view.getUint16(at + 20, false);
  if (yearBE < 1900 || yearBE > 2100) little = true;
  const year = view.getUint16(at + 20, little);
  const doy = view.getUint16(at + 22, little);
  if (year < 1900 || year > 2100 || doy < 1 || doy > 366) throw new UserError(`${where}: not a miniSEED record (bad start time)`);
  const hour = bytes[at + 24]!;
  const minute = bytes[at + 25]!;
  const second = bytes[at + 26]!;
  const tenThousandths = view.getUint16(at + 28, little);
  // 60 s is a leap second; anything past it would silently roll the time over.
  if (hour > 23 || minute > 59 || second > 60 || tenThousandths > 9999)
    throw new UserError(`${where}: not a miniSEED record (bad start time ${hour}:${minute}:${second}.${tenThousandths})`);
  const nSamples = view.getUint16(at + 30, little);
  let rate = sampleRate(view.getInt16(at + 32, little), view.getInt16(at + 34, little));
  const activity = bytes[at + 36]!;
  const nBlockettes = bytes[at + 39]!;
  const timeCorrection = view.getInt32(at + 40, little);
  const dataOffset = view.getUint16(at + 44, little);
  let blockette = view.getUint16(at + 46, little);

  let encoding = -1;
  let recordLength = 0;
  let dataLittle = little;
  for (let k = 0; k < nBlockettes && blockette !== 0; k++) {
    const b = at + blockette;
    // Both blockettes we read are 8 bytes (1000) or 12 (100); a pointer into the fixed header is a loop or noise.
    if (blockette < 48 || b + 8 > bytes.length) throw new UserError(`${where}: truncated or damaged (blockette at byte ${blockette})`);
    const type = view.getUint16(b, little);
    if (type === 1000) {
      encoding = bytes[b + 4]!;
      dataLittle = bytes[b + 5] === 0;
      const exponent = bytes[b + 6]!;
      // SEED allows 2^8 … 2^20 bytes; some writers use 2^6 and 2^7 for tiny records.
      if (exponent < 6 || exponent > 20) throw new UserError(`${where}: record length 2^${exponent} bytes is outside what miniSEED allows (2^6 to 2^20)`);
      recordLength = 2 ** exponent;
    } else if (type === 100) {
      // Blockette 100 gives the actual rate when the factor/multiplier pair cannot express it.
      rate = view.getFloat32(b + 4, little);
    }
    blockette = view.getUint16(b + 2, little);
  }
  if (encoding < 0) throw new UserError(`${where}: no blockette 1000, so its encoding and length are unknown`);
  if (recordLength < 64 || at + recordLength > bytes.length) {
    throw new UserError(`${where}: truncated (record length ${recordLength} bytes, ${bytes.length - at} left)`);
  }

  // Bit 1 of the activity flags says the time correction is already applied to the start time.
  const correction = activity & 0x02 ? 0 : timeCorrection;
  const startTimeMs = Date.UTC(year, 0, doy, hour, minute, second) + (tenThousandths + correction) / 10;

  if (encoding === 0) return { record: null, length: recordLength };
  if (nSamples > 0 && !(Number.isFinite(rate) && rate > 0)) throw new UserError(`${where}: sampling rate ${rate} Hz is not a positive number`);
  if (nSamples > 0 && (dataOffset < 48 || dataOffset >= recordLength)) {
    throw new UserError(`${where}: data offset ${dataOffset} lies outside the ${recordLength}-byte record's data area`);
  }
  const dataStart = at + dataOffset;
  const dataLength = recordLength - dataOffset;
  let samples: Float64Array;
  const fixed = (size: number, get: (o: number) => number): Float64Array => {
    if (nSamples * size > dataLength) throw new UserError(`${where}: ${nSamples} samples do not fit in ${dataLength} data bytes`);
    const s = new Float64Array(nSamples);
    for (let i = 0; i < nSamples; i++) s[i] = get(dataStart + i * size);
    return s;
  };
  switch (encoding) {
    case 1:
      samples = fixed(2, (o) => view.getInt16(o, dataLittle));
      break;
    case 3:
      samples = fixed(4, (o) => view.getInt32(o, dataLittle));
      break;
    case 4:
      samples = fixed(4, (o) => view.getFloat32(o, dataLittle));
      break;
    case 5:
      samples = fixed(8, (o) => view.getFloat64(o, dataLittle));
      break;
    case 10:
    case 11:
      samples = decodeSteim(view, dataStart, dataLength, nSamples, encoding === 10 ? 1 : 2, dataLittle, where);
      break;
    default:
      throw new UserError(
        `${where}: unsupported encoding ${encoding}${ENCODING_NAMES[encoding] ? ` (${ENCODING_NAMES[encoding]})` : ''}; expected Steim1/2, int16/32 or float32/64`,
      );
  }
  return {
    record: {
      network: ascii(bytes, at + 18, 2),
      station: ascii(bytes, at + 8, 5),
      location: ascii(bytes, at + 13, 2),
      channel: ascii(bytes, at + 15, 3),
      startTimeMs,
      samplingRateHz: rate,
      samples,
    },
    length: recordLength,
  };
}

/** Decodes every record of a miniSEED 2 file held in memory, one trace per record, unmerged; ASCII log records (encoding 0) are skipped. */
export function parseMseedRecords(bytes: Uint8Array, name = 'data.mseed'): MseedTrace[] {
  if (bytes.length === 0) throw new UserError(`${fileLabel(name)}: empty file`);
  const records: MseedTrace[] = [];
  let at = 0;
  let index = 0;
  let samples = 0;
  while (at < bytes.length) {
    // Some writers pad the file with zeros after the last record.
    if (bytes.subarray(at, Math.min(bytes.length, at + 48)).every((b) => b === 0)) break;
    if (index >= MAX_RECORDS)
      throw new UserError(`${fileLabel(name)}: more than ${MAX_RECORDS.toLocaleString('en-US')} records: cut the file into smaller ones`);
    const { record, length } = decodeRecord(bytes, at, name, index);
    if (record) {
      samples += record.samples.length;
      if (samples > READ_LIMITS.values)
        throw new UserError(`${fileLabel(name)}: more than ${READ_LIMITS.values.toLocaleString('en-US')} samples: cut the file into smaller ones`);
      records.push(record);
    }
    at += length;
    index++;
  }
  return records;
}

/**
 * Decodes a miniSEED 2 file into traces: records of the same channel are merged when each starts
 * where the previous ended (within half a sample); a gap or overlap starts a new trace.
 */
export function parseMseed(bytes: Uint8Array, name = 'data.mseed'): MseedTrace[] {
  const traces: MseedTrace[] = [];
  const parts: Float64Array[][] = [];
  const open = new Map<string, { index: number; endMs: number; count: number }>();
  for (const r of parseMseedRecords(bytes, name)) {
    const key = `${r.network}.${r.station}.${r.location}.${r.channel}`;
    const run = open.get(key);
    const periodMs = r.samplingRateHz > 0 ? 1000 / r.samplingRateHz : 0;
    if (run && periodMs > 0 && traces[run.index]!.samplingRateHz === r.samplingRateHz && Math.abs(r.startTimeMs - run.endMs) <= periodMs / 2) {
      parts[run.index]!.push(r.samples);
      run.count += r.samples.length;
      run.endMs = traces[run.index]!.startTimeMs + run.count * periodMs;
      continue;
    }
    traces.push({ ...r });
    parts.push([r.samples]);
    open.set(key, { index: traces.length - 1, endMs: r.startTimeMs + r.samples.length * periodMs, count: r.samples.length });
  }
  traces.forEach((t, i) => {
    const chunks = parts[i]!;
    if (chunks.length === 1) return;
    const all = new Float64Array(chunks.reduce((n, c) => n + c.length, 0));
    let o = 0;
    for (const c of chunks) {
      all.set(c, o);
      o += c.length;
    }
    t.samples = all;
  });
  return traces;
}

/** Reads a miniSEED 2 file from disk into traces (see {@link parseMseed}). */
export function readMseed(path: string): MseedTrace[] {
  return parseMseed(readBytes(path), basename(path));
}
