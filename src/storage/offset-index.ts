/**
 * Sparse offset index of one segment: maps a batch's base offset to its byte position in the
 * segment, one entry at most every `intervalBytes` of batches (Kafka's rule).
 *
 * File / serialized layout (`.index`), big-endian, entries back to back, nothing else:
 *
 *   +-------------------------+-------------------------+
 *   | relativeOffset   u32    | position          u32   |   entry 0
 *   +-------------------------+-------------------------+
 *   | ...                                               |   entry n-1
 *
 *   relativeOffset = batch baseOffset − segment baseOffset; position = byte offset of that batch.
 *
 * Rule: before a batch is appended at `position`, an entry (batch base offset, position) is added
 * when the bytes appended since the last entry (or since position 0) exceed intervalBytes. Position
 * 0 is implicit (never stored). The index is therefore a pure function of the batch sizes, so the
 * one rebuilt by recovery equals the one built by appends.
 *
 * Invariants: entries strictly increase in both fields; every position is a batch boundary;
 * relativeOffset and position fit u32 (asserted).
 */
import { assert } from './errors.js';

const U32_MAX = 0xffff_ffff;
export const INDEX_ENTRY_BYTES = 8;

export class OffsetIndex {
  /** Pairs [rel0, pos0, rel1, pos1, …]; grows by doubling. */
  private data = new Uint32Array(32);
  private count = 0;
  private bytesSinceEntry = 0;

  constructor(
    readonly baseOffset: number,
    readonly intervalBytes: number,
  ) {
    assert(Number.isSafeInteger(baseOffset) && baseOffset >= 0, `index base offset ${baseOffset}`);
    assert(Number.isInteger(intervalBytes) && intervalBytes >= 1, `index interval ${intervalBytes}`);
  }

  get entryCount(): number {
    return this.count;
  }

  /** Record a batch of `batchBytes` bytes with base offset `offset` appended at `position`. */
  onAppend(offset: number, position: number, batchBytes: number): void {
    if (this.bytesSinceEntry > this.intervalBytes) {
      const rel = offset - this.baseOffset;
      assert(rel >= 0 && rel <= U32_MAX, `relative offset ${rel} does not fit u32`);
      assert(position >= 0 && position <= U32_MAX, `position ${position} does not fit u32`);
      if (this.count > 0) {
        assert(rel > this.data[2 * this.count - 2]!, 'index offsets must increase');
        assert(position > this.data[2 * this.count - 1]!, 'index positions must increase');
      }
      if (2 * this.count + 2 > this.data.length) {
        const bigger = new Uint32Array(this.data.length * 2);
        bigger.set(this.data);
        this.data = bigger;
      }
      this.data[2 * this.count] = rel;
      this.data[2 * this.count + 1] = position;
      this.count++;
      this.bytesSinceEntry = 0;
    }
    this.bytesSinceEntry += batchBytes;
  }

  /** Byte position of a batch boundary at or before the batch holding `offset` (0 if none). */
  lookup(offset: number): number {
    const rel = offset - this.baseOffset;
    if (rel < 0 || this.count === 0) return 0;
    let lo = 0;
    let hi = this.count - 1;
    let found = -1;
    while (lo <= hi) {
      const mid = (lo + hi) >>> 1;
      if (this.data[2 * mid]! <= rel) {
        found = mid;
        lo = mid + 1;
      } else {
        hi = mid - 1;
      }
    }
    return found < 0 ? 0 : this.data[2 * found + 1]!;
  }

  /** The segment was truncated to `position` (a batch boundary) bytes: drop entries at or past it. */
  truncateToPosition(position: number): void {
    while (this.count > 0 && this.data[2 * this.count - 1]! >= position) this.count--;
    const lastPos = this.count > 0 ? this.data[2 * this.count - 1]! : 0;
    this.bytesSinceEntry = position - lastPos;
    assert(this.bytesSinceEntry >= 0, 'index truncation past its last entry');
  }

  /** Serialized form (the `.index` file contents). */
  toBytes(): Uint8Array {
    const out = new Uint8Array(this.count * INDEX_ENTRY_BYTES);
    const dv = new DataView(out.buffer);
    for (let i = 0; i < this.count; i++) {
      dv.setUint32(i * INDEX_ENTRY_BYTES, this.data[2 * i]!);
      dv.setUint32(i * INDEX_ENTRY_BYTES + 4, this.data[2 * i + 1]!);
    }
    return out;
  }

  /** Entries as plain data (tests, diagnostics). */
  entries(): Array<{ offset: number; position: number }> {
    const out: Array<{ offset: number; position: number }> = [];
    for (let i = 0; i < this.count; i++) out.push({ offset: this.baseOffset + this.data[2 * i]!, position: this.data[2 * i + 1]! });
    return out;
  }
}
