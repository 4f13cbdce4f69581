/**
 * Incremental Kafka RecordBatch v2 encoder: records are appended varint-encoded into one growable
 * buffer; finish() writes the 61-byte header (layout in batch-header.ts) and the CRC-32C and hands
 * out a copy; finishSwap() hands out the buffer itself and goes on in one the caller gives.
 *
 *   buf: [ header, written by finish() | record 0 | record 1 | … | record n-1 | free … ]
 *        0                             61                                    pos   buf.length
 *
 * Invariants:
 * - pos is the exact size the batch has if finished now (sizeBytes); pos ≤ maxBatchBytes.
 * - firstTimestamp = min record timestamp, every timestampDelta ≥ 0 is relative to it (as kafkajs
 *   writes). A record older than all before it lowers the minimum: the records written so far are
 *   rewritten with their larger deltas (rare, O(batch); strictly descending timestamps make a
 *   batch O(n²)).
 * - offsetDelta of record i is i; lastOffsetDelta = count - 1. A finished batch has ≥ 1 record.
 * - add() either appends the whole record or throws leaving the builder unchanged.
 * - Timestamps are safe integers (ms) and a batch spans at most 2^53 - 1 ms (asserted).
 * - No allocation per record, except buffer growth (doubling, capped at maxBatchBytes).
 */
import { BatchLayout, MAX_BATCH_BYTES } from './batch-header.js';
import { crc32c } from './crc32c.js';
import { assert, RecordTooLargeError } from './errors.js';
import { type RecordHeader, recordBodySize, writeRecord } from './record-codec.js';
import { type Cursor, readVarint, readVarlong, varintSize, varlongSize, writeVarint, writeVarlong } from './varint.js';

export interface RecordInput {
  key?: Uint8Array | null;
  value: Uint8Array;
  headers?: RecordHeader[];
  timestamp?: number;
}

export interface BatchOptions {
  /** default 0 */
  baseOffset?: number;
  /** default 0 */
  partitionLeaderEpoch?: number;
  /** encodeBatch only: timestamp of records that have none; default 0. finish() ignores it. */
  timestamp?: number;
  /** default -1 */
  producerId?: number;
  /** default -1 */
  producerEpoch?: number;
  /** default -1 */
  baseSequence?: number;
}

export interface BatchBuilderOptions {
  /** Initial buffer size; default 16 KiB. */
  initialBytes?: number;
  /** Largest batch this builder makes; default (and at most) MAX_BATCH_BYTES. */
  maxBatchBytes?: number;
  /** Time (ms) for records added without one: clock[0] (a cell, so no boxed number per record). */
  clock?: Float64Array;
}

const DEFAULT_INITIAL_BYTES = 16 * 1024;
/** After finish()/reset(), a buffer grown beyond this (and beyond initialBytes) is dropped. */
const KEEP_BUFFER_BYTES = 1024 * 1024;
const HEADER_BYTES: number = BatchLayout.headerBytes;

function writeI16(b: Uint8Array, pos: number, v: number): void {
  b[pos] = v >>> 8;
  b[pos + 1] = v;
}
function writeI32(b: Uint8Array, pos: number, v: number): void {
  b[pos] = v >>> 24;
  b[pos + 1] = v >>> 16;
  b[pos + 2] = v >>> 8;
  b[pos + 3] = v;
}
/** Big-endian int64 from a safe integer (two's complement for negatives). */
function writeI64(b: Uint8Array, pos: number, v: number): void {
  const hi = Math.floor(v / 2 ** 32);
  writeI32(b, pos, hi | 0);
  writeI32(b, pos + 4, (v - hi * 2 ** 32) >>> 0);
}

function isInt(v: number, bits: number): boolean {
  return Number.isInteger(v) && v >= -(2 ** (bits - 1)) && v < 2 ** (bits - 1);
}

export class BatchBuilder {
  private buf: Uint8Array;
  private pos = HEADER_BYTES;
  private n = 0;
  /** [min, max] record timestamp, [2] the record being added (a typed array: a double stored into a field may be boxed). */
  private readonly ts = new Float64Array(3);
  private readonly clock: Float64Array | undefined;
  private readonly initialBytes: number;
  private readonly maxBatchBytes: number;
  private readonly cursor: Cursor = { pos: 0 };

  constructor(opts: BatchBuilderOptions = {}) {
    this.maxBatchBytes = opts.maxBatchBytes ?? MAX_BATCH_BYTES;
    assert(
      Number.isInteger(this.maxBatchBytes) && this.maxBatchBytes > HEADER_BYTES && this.maxBatchBytes <= MAX_BATCH_BYTES,
      `maxBatchBytes ${this.maxBatchBytes} must be in (${HEADER_BYTES}, ${MAX_BATCH_BYTES}]`,
    );
    const initial = opts.initialBytes ?? DEFAULT_INITIAL_BYTES;
    assert(Number.isInteger(initial) && initial >= 0, `initialBytes ${initial} must be a non-negative integer`);
    this.initialBytes = Math.min(Math.max(initial, 2 * HEADER_BYTES), this.maxBatchBytes);
    this.buf = new Uint8Array(this.initialBytes);
    this.clock = opts.clock;
    assert(this.clock === undefined || this.clock.length >= 1, 'clock must hold at least one element');
  }

  get count(): number {
    return this.n;
  }

  /** Encoded size of the batch if finished now (header included). */
  get sizeBytes(): number {
    return this.pos;
  }

  /**
   * Append one record. Throws RecordTooLargeError, leaving the builder as it was, when the batch
   * would exceed maxBatchBytes (data.batchRecords tells whether an empty batch would take it).
   */
  add(key: Uint8Array | null, value: Uint8Array, recordTimestamp: number | undefined, headers?: RecordHeader[]): void {
    const ts = this.ts;
    // Through ts[2]: the timestamp stays an unboxed double (a local that is sometimes the boxed
    // argument and sometimes clock[0] would be boxed — an allocation per record).
    if (recordTimestamp !== undefined) ts[2] = recordTimestamp;
    else if (this.clock !== undefined) ts[2] = this.clock[0]!;
    else assert(false, 'a record without a timestamp needs the builder clock option');
    const timestamp = ts[2]!;
    if (!Number.isSafeInteger(timestamp)) assert(false, `record timestamp ${timestamp} is not a safe integer`);
    let base = ts[0]!;
    let recordsEnd = this.pos;
    let shift = 0;
    if (this.n === 0) {
      base = timestamp;
    } else if (timestamp < base) {
      assert(ts[1]! - timestamp <= Number.MAX_SAFE_INTEGER, 'batch timestamps span more than 2^53 - 1 ms');
      shift = base - timestamp;
      recordsEnd = this.rebasedEnd(shift);
      base = timestamp;
    } else {
      assert(timestamp - base <= Number.MAX_SAFE_INTEGER, 'batch timestamps span more than 2^53 - 1 ms');
    }
    const timestampDelta = timestamp - base;
    const bodyBytes = recordBodySize(timestampDelta, this.n, key, value, headers);
    const recordBytes = varintSize(bodyBytes) + bodyBytes;
    if (recordsEnd + recordBytes > this.maxBatchBytes) {
      throw new RecordTooLargeError(
        `record of ${recordBytes} bytes does not fit: batch has ${recordsEnd} of ${this.maxBatchBytes} bytes`,
        { recordBytes, batchBytes: recordsEnd, maxBatchBytes: this.maxBatchBytes, batchRecords: this.n },
      );
    }
    if (shift > 0) this.rebase(shift, recordsEnd);
    const end = this.pos + recordBytes;
    if (end > this.buf.length) this.grow(end);
    this.pos = writeRecord(this.buf, this.pos, bodyBytes, timestampDelta, this.n, key, value, headers);
    assert(this.pos === end, 'record size mismatch');
    this.n++;
    ts[0] = base;
    if (this.n === 1 || timestamp > ts[1]!) ts[1] = timestamp;
  }

  /** Write header and CRC; return the batch (a fresh array) and reset the builder for reuse. */
  finish(opts: BatchOptions = {}): Uint8Array {
    const out = this.seal(opts).slice(0, this.pos);
    this.reset();
    return out;
  }

  /**
   * As finish() without the copy: the batch is returned in the builder's own buffer, and the
   * builder goes on in `next` (a buffer the caller no longer uses, ≥ 2 × 61 bytes), so a producer
   * can cycle pooled buffers instead of allocating one per batch.
   */
  finishSwap(opts: BatchOptions, next: Uint8Array): Uint8Array {
    assert(next.length >= 2 * HEADER_BYTES && next !== this.buf, 'finishSwap needs a distinct buffer of at least 122 bytes');
    const out = this.seal(opts).subarray(0, this.pos);
    this.buf = next;
    this.reset();
    return out;
  }

  /** Bytes of the buffer records are written into now (grows past the initial size for big records). */
  get bufferBytes(): number {
    return this.buf.length;
  }

  private seal(opts: BatchOptions): Uint8Array {
    assert(this.n > 0, 'finish() on an empty batch');
    const baseOffset = opts.baseOffset ?? 0;
    const epoch = opts.partitionLeaderEpoch ?? 0;
    const producerId = opts.producerId ?? -1;
    const producerEpoch = opts.producerEpoch ?? -1;
    const baseSequence = opts.baseSequence ?? -1;
    // (Messages are built only on failure: this runs once per batch.)
    if (!(Number.isSafeInteger(baseOffset) && baseOffset >= 0)) assert(false, `baseOffset ${baseOffset} must be a safe integer ≥ 0`);
    if (!isInt(epoch, 32)) assert(false, `partitionLeaderEpoch ${epoch} must be an int32`);
    if (!Number.isSafeInteger(producerId)) assert(false, `producerId ${producerId} must be a safe integer`);
    if (!isInt(producerEpoch, 16)) assert(false, `producerEpoch ${producerEpoch} must be an int16`);
    if (!isInt(baseSequence, 32)) assert(false, `baseSequence ${baseSequence} must be an int32`);
    const b = this.buf;
    const total = this.pos;
    writeI64(b, BatchLayout.baseOffset, baseOffset);
    writeI32(b, BatchLayout.batchLength, total - BatchLayout.logOverheadBytes);
    writeI32(b, BatchLayout.partitionLeaderEpoch, epoch);
    b[BatchLayout.magic] = BatchLayout.magicValue;
    writeI16(b, BatchLayout.attributes, 0);
    writeI32(b, BatchLayout.lastOffsetDelta, this.n - 1);
    writeI64(b, BatchLayout.firstTimestamp, this.ts[0]!);
    writeI64(b, BatchLayout.maxTimestamp, this.ts[1]!);
    writeI64(b, BatchLayout.producerId, producerId);
    writeI16(b, BatchLayout.producerEpoch, producerEpoch);
    writeI32(b, BatchLayout.baseSequence, baseSequence);
    writeI32(b, BatchLayout.recordCount, this.n);
    writeI32(b, BatchLayout.crc, crc32c(b, BatchLayout.attributes, total));
    return b;
  }

  /** Drop all records; keeps the buffer unless it grew beyond max(initialBytes, 1 MiB). */
  reset(): void {
    this.pos = HEADER_BYTES;
    this.n = 0;
    this.ts[0] = 0;
    this.ts[1] = 0;
    if (this.buf.length > Math.max(this.initialBytes, KEEP_BUFFER_BYTES)) this.buf = new Uint8Array(this.initialBytes);
  }

  private grow(needBytes: number): void {
    let size = this.buf.length * 2;
    while (size < needBytes) size *= 2;
    const next = new Uint8Array(Math.min(size, Math.max(this.maxBatchBytes, needBytes)));
    next.set(this.buf.subarray(0, this.pos));
    this.buf = next;
  }

  /** End of the records if every timestampDelta grew by `shift` (nothing is written). */
  private rebasedEnd(shift: number): number {
    const b = this.buf;
    const c = this.cursor;
    c.pos = HEADER_BYTES;
    let end = HEADER_BYTES;
    while (c.pos < this.pos) {
      const body = readVarint(b, c, this.pos);
      const bodyStart = c.pos;
      c.pos++; // attributes
      const delta = readVarlong(b, c, this.pos);
      const newBody = body + varlongSize(delta + shift) - (c.pos - bodyStart - 1);
      end += varintSize(newBody) + newBody;
      c.pos = bodyStart + body;
    }
    return end;
  }

  /** Rewrite the records with every timestampDelta grown by `shift`; they end at `newEnd`. */
  private rebase(shift: number, newEnd: number): void {
    const src = this.buf;
    const dst = new Uint8Array(Math.max(src.length, newEnd));
    const c = this.cursor;
    c.pos = HEADER_BYTES;
    let w = HEADER_BYTES;
    while (c.pos < this.pos) {
      const body = readVarint(src, c, this.pos);
      const bodyStart = c.pos;
      c.pos++; // attributes
      const delta = readVarlong(src, c, this.pos);
      const restStart = c.pos;
      const restEnd = bodyStart + body;
      const newDelta = delta + shift;
      w = writeVarint(dst, w, body + varlongSize(newDelta) - (restStart - bodyStart - 1));
      dst[w++] = src[bodyStart]!;
      w = writeVarlong(dst, w, newDelta);
      dst.set(src.subarray(restStart, restEnd), w);
      w += restEnd - restStart;
      c.pos = restEnd;
    }
    assert(w === newEnd, 'rebase size mismatch');
    this.buf = dst;
    this.pos = newEnd;
  }
}

/** Builder reused by encodeBatch (calls are synchronous, so one is enough). */
let shared: BatchBuilder | undefined;

/**
 * Encode records (at least one) into one batch; records without a timestamp get opts.timestamp
 * (default 0). Throws RecordTooLargeError beyond MAX_BATCH_BYTES.
 */
export function encodeBatch(records: readonly RecordInput[], opts: BatchOptions = {}): Uint8Array {
  shared ??= new BatchBuilder();
  const builder = shared;
  const defaultTimestamp = opts.timestamp ?? 0;
  try {
    for (const r of records) builder.add(r.key ?? null, r.value, r.timestamp ?? defaultTimestamp, r.headers);
    return builder.finish(opts);
  } finally {
    builder.reset();
  }
}
