/**
 * A lazily decoded RecordBatch v2: records read by index straight from the batch bytes, without
 * an object per record. The eager decoder (record-batch.ts decodeBatch) builds a Record object per
 * record; this view builds, on the first record access, one flat index for the whole batch and
 * answers accessors from it — a key or value is sliced (a subarray view, no copy) only when asked
 * for, and `valueSizeAt`/`keySizeAt` answer without even that.
 *
 * Index (batch-index.ts: eight int32 words and a timestamp delta per record), built on first
 * access — in the view's own arrays, or in a BatchIndexScratch its reader shares (no index
 * allocated per batch).
 *
 *   bytes: [ 61-byte header | len attrs tsΔ offΔ keyLen key valLen value hdrCount hdrs… | … ]
 *                             └─ record 0 ───────────────────────────────────────────┘
 *
 * Invariants (the same as decodeBatch's, checked by a property test against it):
 * - `of()` validates the header (framing, magic, CRC unless verifyCrc: false, counts, no
 *   compression, safe baseOffset/firstTimestamp); the record structure is checked when the index
 *   is built: every varint and length bounds-checked, fields fill each record exactly, exactly
 *   recordCount records end exactly at the batch end, offsetDeltas strictly increase within
 *   [0, lastOffsetDelta], offsets and timestamps are safe integers. Any violation is a
 *   CorruptBatchError, thrown by the first accessor that needs the index, never a wrong record.
 * - Accessors return what decodeBatch(bytes, { copy: false }) returns for the same record: views
 *   of `bytes` (valid while those bytes are), a null value as an empty array, a null key as null.
 * - An index outside [0, count) is a RangeError (a caller bug, not corrupt data).
 */
import { BatchLayout } from './batch-header.js';
import { CorruptBatchError } from './errors.js';
import { corrupt, MIN_RECORD_BODY_BYTES, readLength, type Record, type RecordHeader } from './record-codec.js';
import { type Cursor, readVarint, readVarlong } from './varint.js';
import { checkHeader, recordsEndMismatch } from './record-batch.js';
import { BatchIndexScratch, IndexField as F, INDEX_STRIDE as STRIDE } from './batch-index.js';

export { BatchIndexScratch } from './batch-index.js';

const utf8Decoder = new TextDecoder('utf-8');

/** Where the last varintAt() ended (module scratch: no object per read). */
const NEXT = new Int32Array(1);

/** Zigzag varint at b[p], before `end`; one- and two-byte varints inline, the rest checked by varint.ts. */
function varintAt(b: Uint8Array, p: number, end: number): number {
  if (p < end) {
    const x = b[p]!;
    if (x < 0x80) {
      NEXT[0] = p + 1;
      return (x >>> 1) ^ -(x & 1);
    }
    if (p + 1 < end) {
      const y = b[p + 1]!;
      if (y < 0x80) {
        const z = (x & 0x7f) | (y << 7);
        NEXT[0] = p + 2;
        return (z >>> 1) ^ -(z & 1);
      }
    }
  }
  return varintSlow(b, p, end);
}

/** The slow path's cursor (module scratch: a cursor per call was an allocation per record). */
const SLOW: Cursor = { pos: 0 };

/** Three or more bytes, or too close to `end` for the inline paths: varint.ts's checked reader. */
function varintSlow(b: Uint8Array, p: number, end: number): number {
  SLOW.pos = p;
  const v = readVarint(b, SLOW, end);
  NEXT[0] = SLOW.pos;
  return v;
}

export interface BatchViewOptions {
  /** Default true; false skips only the CRC (bytes a log verified on the way in). */
  verifyCrc?: boolean;
  /** When given, a batch whose baseOffset differs is corrupt. */
  expectedBaseOffset?: number;
  /** Index arrays shared with the reader's other views (see BatchIndexScratch). */
  scratch?: BatchIndexScratch;
}

export class RecordBatchView {
  private index: Int32Array | undefined;
  private timestamps: Float64Array | undefined;
  private scratch: BatchIndexScratch | undefined;

  private constructor(
    /** The batch's bytes (exactly sizeBytes long). */
    readonly bytes: Uint8Array,
    readonly baseOffset: number,
    readonly firstTimestamp: number,
    readonly lastOffsetDelta: number,
    /** Records in the batch (recordCount). */
    readonly count: number,
  ) {}

  /** A view of the batch at the start of `bytes` (bytes after it are ignored); header checked now. */
  static of(bytes: Uint8Array, opts: BatchViewOptions = {}): RecordBatchView {
    const h = checkHeader(bytes, opts); // as decodeBatch checks it
    const total = h.total;
    const view = new RecordBatchView(total === bytes.length ? bytes : bytes.subarray(0, total), h.baseOffset, h.firstTimestamp, h.lastOffsetDelta, h.count);
    view.scratch = opts.scratch;
    return view;
  }

  get sizeBytes(): number {
    return this.bytes.length;
  }
  get lastOffset(): number {
    return this.baseOffset + this.lastOffsetDelta;
  }

  offsetAt(i: number): number {
    return this.baseOffset + this.word(i, F.offsetDelta);
  }
  /** timestampAt(i) - firstTimestamp: no double is made (an absolute timestamp is one, boxed unless the caller's code is inlined). */
  timestampDeltaAt(i: number): number {
    this.word(i, F.offsetDelta);
    const d = this.timestamps![i]!;
    return (d | 0) === d ? d | 0 : d; // an int32 leaves as a small integer, not a boxed double
  }
  timestampAt(i: number): number {
    this.word(i, F.offsetDelta);
    return this.firstTimestamp + this.timestamps![i]!;
  }
  /** The key (a view of the batch bytes), or null. */
  keyAt(i: number): Uint8Array | null {
    const start = this.word(i, F.keyStart);
    return start < 0 ? null : this.bytes.subarray(start, start + this.index![i * STRIDE + F.keyLength]!);
  }
  /** Key bytes, -1 for a null key (no allocation). */
  keySizeAt(i: number): number {
    return this.word(i, F.keyStart) < 0 ? -1 : this.index![i * STRIDE + F.keyLength]!;
  }
  /** The value (a view of the batch bytes; a null value reads as empty). */
  valueAt(i: number): Uint8Array {
    const start = this.word(i, F.valueStart);
    return this.bytes.subarray(start, start + this.index![i * STRIDE + F.valueLength]!);
  }
  /** Value bytes (no allocation). */
  valueSizeAt(i: number): number {
    return this.word(i, F.valueLength);
  }
  headerCountAt(i: number): number {
    return this.word(i, F.headerCount);
  }
  /** The headers, decoded now (keys as strings, values as views). */
  headersAt(i: number): RecordHeader[] {
    const n = this.word(i, F.headerCount);
    const headers: RecordHeader[] = [];
    if (n === 0) return headers;
    const b = this.bytes;
    const end = this.index![i * STRIDE + F.recordEnd]!;
    const c: Cursor = { pos: this.index![i * STRIDE + F.headersStart]! };
    for (let h = 0; h < n; h++) {
      const keyBytes = readVarint(b, c, end);
      const key = utf8Decoder.decode(b.subarray(c.pos, c.pos + keyBytes));
      c.pos += keyBytes;
      const valueBytes = readVarint(b, c, end);
      const value = b.subarray(c.pos, c.pos + (valueBytes < 0 ? 0 : valueBytes));
      if (valueBytes > 0) c.pos += valueBytes;
      headers.push({ key, value });
    }
    return headers;
  }
  /** The whole record as an object (allocates: the convenience path). */
  recordAt(i: number): Record {
    return { offset: this.offsetAt(i), timestamp: this.firstTimestamp + this.timestamps![i]!, key: this.keyAt(i), value: this.valueAt(i), headers: this.headersAt(i) };
  }
  /** Check every record now (CorruptBatchError as decodeBatch would throw it), without objects. */
  checkRecords(): void {
    if (this.count > 0) this.word(0, F.offsetDelta);
    else if (this.bytes.length !== BatchLayout.headerBytes) throw recordsEndMismatch(BatchLayout.headerBytes, this.bytes.length);
  }

  /** First index whose offset is ≥ `offset` (count when none). */
  indexOf(offset: number): number {
    if (offset <= this.baseOffset || this.count === 0) return 0;
    this.word(0, 0);
    const idx = this.index!;
    let lo = 0;
    let hi = this.count;
    const delta = offset - this.baseOffset;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (idx[mid * STRIDE]! < delta) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  /** Word `f` of record `i`, building the index first if needed. */
  private word(i: number, f: number): number {
    if (!(i >= 0 && i < this.count)) throw new RangeError(`record index ${i} outside [0, ${this.count})`);
    const idx = this.index !== undefined && (this.scratch === undefined || this.scratch.owner === this) ? this.index : this.build();
    return idx[i * STRIDE + f]!;
  }

  private build(): Int32Array {
    const b = this.bytes;
    const total = b.length;
    const count = this.count;
    const scratch = this.scratch;
    scratch?.take(count);
    const idx = scratch ? scratch.index : new Int32Array(count * STRIDE);
    const ts = scratch ? scratch.timestamps : new Float64Array(count);
    const c: Cursor = { pos: BatchLayout.headerBytes };
    let prev = -1;
    // Offsets: baseOffset + delta is safe iff delta ≤ this bound (exact: 0 ≤ baseOffset ≤ 2^53 - 1).
    const maxOffsetDelta = Number.MAX_SAFE_INTEGER - this.baseOffset;
    // Timestamps: an int32 delta from a firstTimestamp this far from the limits is always safe; any
    // other delta gets the exact check (which makes a double: rare).
    const int32DeltaSafe = Math.abs(this.firstTimestamp) <= Number.MAX_SAFE_INTEGER - 2 ** 31;
    for (let i = 0, o = 0; i < count; i++, o += STRIDE) {
      const at = c.pos;
      const len = varintAt(b, at, total);
      if (len < MIN_RECORD_BODY_BYTES || len > total - NEXT[0]!) throw corrupt(`record length ${len}`, at);
      const end = NEXT[0]! + len;
      let p = NEXT[0]! + 1; // attributes: unused
      let tsDelta: number;
      const x = b[p]!; // p < end: len ≥ MIN_RECORD_BODY_BYTES
      const y = b[p + 1]!; // p + 1 < end: the record holds more fields
      if (x < 0x80) { tsDelta = (x >>> 1) ^ -(x & 1); p++; }
      else if (y < 0x80) { const z = (x & 0x7f) | (y << 7); tsDelta = (z >>> 1) ^ -(z & 1); p += 2; } // deltas < 8 s
      else { c.pos = p; tsDelta = readVarlong(b, c, end); p = c.pos; }
      const offsetDelta = varintAt(b, p, end);
      const keyLength = varintAt(b, NEXT[0]!, end);
      p = NEXT[0]!;
      if (keyLength < -1 || keyLength > end - p) throw corrupt(`key length ${keyLength}`, at);
      idx[o + F.keyStart] = keyLength < 0 ? -1 : p;
      idx[o + F.keyLength] = keyLength < 0 ? 0 : keyLength;
      if (keyLength > 0) p += keyLength;
      const valueLength = varintAt(b, p, end);
      p = NEXT[0]!;
      if (valueLength < -1 || valueLength > end - p) throw corrupt(`value length ${valueLength}`, at);
      idx[o + F.valueStart] = p;
      idx[o + F.valueLength] = valueLength < 0 ? 0 : valueLength;
      if (valueLength > 0) p += valueLength;
      const headerCount = varintAt(b, p, end);
      c.pos = NEXT[0]!;
      if (headerCount < 0 || headerCount > (end - c.pos) / 2) throw corrupt(`header count ${headerCount}`, at);
      idx[o + F.headersStart] = c.pos;
      idx[o + F.headerCount] = headerCount;
      for (let h = 0; h < headerCount; h++) {
        const keyBytes = readLength(b, c, end, 'header key', false); // before `c.pos +=`: it moves c.pos
        c.pos += keyBytes;
        const valueBytes = readLength(b, c, end, 'header value', true);
        if (valueBytes > 0) c.pos += valueBytes;
      }
      if (c.pos !== end) throw corrupt(`fields end at ${c.pos}, record length says ${end}`, at);
      if (offsetDelta <= prev || offsetDelta > this.lastOffsetDelta) {
        throw new CorruptBatchError(`record offsetDelta ${offsetDelta} out of order (previous ${prev}, last ${this.lastOffsetDelta})`, { offsetDelta });
      }
      if (offsetDelta > maxOffsetDelta || !((int32DeltaSafe && (tsDelta | 0) === tsDelta) || Number.isSafeInteger(this.firstTimestamp + tsDelta))) {
        throw new CorruptBatchError('record offset or timestamp outside the safe integer range', { offsetDelta });
      }
      prev = offsetDelta;
      idx[o + F.offsetDelta] = offsetDelta;
      idx[o + F.recordEnd] = end;
      ts[i] = tsDelta;
    }
    if (c.pos !== total) throw recordsEndMismatch(c.pos, total);
    this.timestamps = ts;
    this.index = idx;
    if (scratch) scratch.owner = this;
    return idx;
  }
}
