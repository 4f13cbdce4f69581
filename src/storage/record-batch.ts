/**
 * Kafka RecordBatch v2 codec: the public entry point. Encoding lives in batch-builder.ts,
 * single records in record-codec.ts, the 61-byte header layout in batch-header.ts:
 *
 *   [ baseOffset i64 | batchLength i32 | partitionLeaderEpoch i32 | magic i8 = 2 | crc u32 |
 *     attributes i16 | lastOffsetDelta i32 | firstTimestamp i64 | maxTimestamp i64 |
 *     producerId i64 | producerEpoch i16 | baseSequence i32 | recordCount i32 | records … ]
 *                                          └──── CRC-32C covers attributes … end ────┘
 *
 * Decoding invariants (every violation is a CorruptBatchError, never a RangeError, never wrong
 * records):
 * - validateBatch() first: size, batchLength, magic, CRC, counts.
 * - compression bits (attributes & 0x7) must be 0: compressed batches are not supported.
 * - baseOffset and partitionLeaderEpoch are outside the CRC: pass `expectedBaseOffset` to catch
 *   a damaged baseOffset.
 * - exactly recordCount records, consuming exactly the batch's bytes; every varint and length is
 *   bounds-checked; offsetDeltas strictly increase and stay ≤ lastOffsetDelta (Kafka compaction
 *   may leave gaps); offsets and timestamps are safe integers.
 * - A null record value on the wire (e.g. a kafkajs tombstone) decodes to an empty Uint8Array,
 *   as does a null header value. A null key stays null.
 * - copy: false (default) → key/value/header values are subarray views of `bytes` (valid while
 *   those bytes are); copy: true → fresh arrays.
 * - decodeBatch decodes the batch at the start of `bytes`; bytes after it are ignored (sizeBytes
 *   says where it ends). decodeBatches requires `bytes` to be whole batches, back to back.
 */
import { BatchLayout, validateBatch } from './batch-header.js';
import { CorruptBatchError } from './errors.js';
import { MIN_RECORD_BYTES, type Record, readRecord, skipRecord } from './record-codec.js';
import type { Cursor } from './varint.js';

export { BatchBuilder, encodeBatch } from './batch-builder.js';
export type { BatchBuilderOptions, BatchOptions, RecordInput } from './batch-builder.js';
export type { Record, RecordHeader } from './record-codec.js';

export interface DecodedBatch {
  baseOffset: number;
  partitionLeaderEpoch: number;
  attributes: number;
  lastOffsetDelta: number;
  firstTimestamp: number;
  maxTimestamp: number;
  producerId: number;
  producerEpoch: number;
  baseSequence: number;
  records: Record[];
  /** Total bytes of the batch (batchLength + 12). */
  sizeBytes: number;
}

export interface DecodeOptions {
  /** false (default): key/value are views of the input bytes; true: copies. */
  copy?: boolean;
  /** When given, a batch whose baseOffset differs is corrupt. */
  expectedBaseOffset?: number;
  /** Default true. false skips only the CRC (framing is still checked): for bytes that a log
   *  verified on the way in and that never left trusted memory since. */
  verifyCrc?: boolean;
}

const COMPRESSION_MASK = 0x07;

function i16(b: Uint8Array, p: number): number {
  return ((b[p]! << 24) | (b[p + 1]! << 16)) >> 16;
}
function i32(b: Uint8Array, p: number): number {
  return (b[p]! << 24) | (b[p + 1]! << 16) | (b[p + 2]! << 8) | b[p + 3]!;
}
/** Big-endian int64 as a Number; a value outside the safe integer range is corrupt. */
function i64(b: Uint8Array, p: number, field: string): number {
  const hi = i32(b, p);
  const lo = i32(b, p + 4) >>> 0;
  const v = hi * 2 ** 32 + lo; // exact when |hi| ≤ 2^21
  if (hi < -(2 ** 21) || hi >= 2 ** 21 || !Number.isSafeInteger(v)) {
    throw new CorruptBatchError(`batch ${field} is outside the safe integer range`, { field });
  }
  return v;
}

/** The header fields both decoders check, in the order they check them (RecordBatchView too). */
export interface CheckedHeader {
  total: number;
  attributes: number;
  baseOffset: number;
  count: number;
  lastOffsetDelta: number;
  firstTimestamp: number;
  maxTimestamp: number;
  producerId: number;
}

/** Framing (and CRC unless verifyCrc: false), no compression, baseOffset as expected, recordCount that fits, safe 64-bit fields. */
export function checkHeader(bytes: Uint8Array, opts: DecodeOptions): CheckedHeader {
  const total = validateBatch(bytes, undefined, opts.verifyCrc !== false);
  const attributes = i16(bytes, BatchLayout.attributes);
  if ((attributes & COMPRESSION_MASK) !== 0) {
    throw new CorruptBatchError(`compression codec ${attributes & COMPRESSION_MASK} not supported`, { attributes });
  }
  const baseOffset = i64(bytes, BatchLayout.baseOffset, 'baseOffset');
  if (opts.expectedBaseOffset !== undefined && baseOffset !== opts.expectedBaseOffset) {
    throw new CorruptBatchError(`batch baseOffset ${baseOffset}, expected ${opts.expectedBaseOffset}`, {
      baseOffset,
      expectedBaseOffset: opts.expectedBaseOffset,
    });
  }
  const count = i32(bytes, BatchLayout.recordCount);
  if (count > (total - BatchLayout.headerBytes) / MIN_RECORD_BYTES) {
    throw new CorruptBatchError(`recordCount ${count} cannot fit in ${total} bytes`, { count, total });
  }
  return {
    total,
    attributes,
    baseOffset,
    count,
    lastOffsetDelta: i32(bytes, BatchLayout.lastOffsetDelta),
    firstTimestamp: i64(bytes, BatchLayout.firstTimestamp, 'firstTimestamp'),
    maxTimestamp: i64(bytes, BatchLayout.maxTimestamp, 'maxTimestamp'),
    producerId: i64(bytes, BatchLayout.producerId, 'producerId'),
  };
}

/** Header fields plus derived bounds; `records` is filled by the caller. */
function readHeader(bytes: Uint8Array, opts: DecodeOptions): DecodedBatch {
  const h = checkHeader(bytes, opts);
  return {
    baseOffset: h.baseOffset,
    partitionLeaderEpoch: i32(bytes, BatchLayout.partitionLeaderEpoch),
    attributes: h.attributes,
    lastOffsetDelta: h.lastOffsetDelta,
    firstTimestamp: h.firstTimestamp,
    maxTimestamp: h.maxTimestamp,
    producerId: h.producerId,
    producerEpoch: i16(bytes, BatchLayout.producerEpoch),
    baseSequence: i32(bytes, BatchLayout.baseSequence),
    records: [],
    sizeBytes: h.total,
  };
}

/**
 * Turn a record's deltas (as readRecord returns them) into absolute offset/timestamp, checking
 * that offsetDeltas strictly increase within [0, lastOffsetDelta]. Returns the offsetDelta.
 */
function settle(r: Record, h: DecodedBatch, prevOffsetDelta: number): number {
  const offsetDelta = r.offset;
  if (offsetDelta <= prevOffsetDelta || offsetDelta > h.lastOffsetDelta) {
    throw new CorruptBatchError(
      `record offsetDelta ${offsetDelta} out of order (previous ${prevOffsetDelta}, last ${h.lastOffsetDelta})`,
      { offsetDelta },
    );
  }
  const offset = h.baseOffset + offsetDelta;
  const timestamp = h.firstTimestamp + r.timestamp;
  if (!Number.isSafeInteger(offset) || !Number.isSafeInteger(timestamp)) {
    throw new CorruptBatchError('record offset or timestamp outside the safe integer range', { offsetDelta });
  }
  r.offset = offset;
  r.timestamp = timestamp;
  return offsetDelta;
}

export function recordsEndMismatch(pos: number, total: number): CorruptBatchError {
  return new CorruptBatchError(`records end at byte ${pos}, batch ends at ${total}`, { pos, total });
}

/** Decode the batch at the start of `bytes` (validated first; see the invariants above). */
export function decodeBatch(bytes: Uint8Array, opts: DecodeOptions = {}): DecodedBatch {
  const h = readHeader(bytes, opts);
  const total = h.sizeBytes;
  const count = i32(bytes, BatchLayout.recordCount);
  const copy = opts.copy === true;
  const c: Cursor = { pos: BatchLayout.headerBytes };
  const records = h.records;
  let prev = -1;
  for (let i = 0; i < count; i++) {
    const r = readRecord(bytes, c, total, copy);
    prev = settle(r, h, prev);
    records.push(r);
  }
  if (c.pos !== total) throw recordsEndMismatch(c.pos, total);
  return h;
}

/**
 * Records of the batch at the start of `bytes`, decoded lazily. Header, CRC and the record
 * framing (lengths, count, exact end) are checked up front, when this is called; a record whose
 * inner fields are inconsistent throws CorruptBatchError when it is reached.
 */
export function iterateRecords(bytes: Uint8Array, opts: { copy?: boolean } = {}): Generator<Record> {
  const h = readHeader(bytes, {});
  const total = h.sizeBytes;
  const count = i32(bytes, BatchLayout.recordCount);
  const c: Cursor = { pos: BatchLayout.headerBytes };
  for (let i = 0; i < count; i++) skipRecord(bytes, c, total);
  if (c.pos !== total) throw recordsEndMismatch(c.pos, total);
  return lazyRecords(bytes, h, count, opts.copy === true);
}

function* lazyRecords(bytes: Uint8Array, h: DecodedBatch, count: number, copy: boolean): Generator<Record> {
  const c: Cursor = { pos: BatchLayout.headerBytes };
  let prev = -1;
  for (let i = 0; i < count; i++) {
    const r = readRecord(bytes, c, h.sizeBytes, copy);
    prev = settle(r, h, prev);
    yield r;
  }
}

/** Decode several whole batches laid back to back (a fetch response, a segment slice). */
export function decodeBatches(bytes: Uint8Array, opts: { copy?: boolean } = {}): DecodedBatch[] {
  const out: DecodedBatch[] = [];
  let pos = 0;
  while (pos < bytes.length) {
    const batch = decodeBatch(pos === 0 ? bytes : bytes.subarray(pos), opts);
    out.push(batch);
    pos += batch.sizeBytes;
  }
  return out;
}
