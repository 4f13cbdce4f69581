/**
 * Segment: one contiguous run of a partition's batches — a SegmentStore (bytes) plus what the log
 * keeps in memory about it: sparse offset index, next offset, newest timestamp.
 *
 * Invariants:
 * - baseOffset ≤ nextOffset; nextOffset = last batch's lastOffset + 1 (= baseOffset when empty).
 * - Batches inside are contiguous in offsets: each batch's baseOffset = previous lastOffset + 1,
 *   the first one's = baseOffset.
 * - maxTimestamp = max over batches of their maxTimestamp (−1 when empty); exact after truncation.
 * - Only the log's last segment (the active one) is appended to or truncated from the middle.
 */
import { batchBaseOffset, batchLastOffset, batchMaxTimestamp } from './batch-header.js';
import { assert } from './errors.js';
import { OffsetIndex } from './offset-index.js';
import type { BatchPatch, BatchVisitor, SegmentStore } from './segment-store.js';

/** Largest offset span of one segment: relative offsets are u32 in the index. */
export const MAX_SEGMENT_OFFSET_SPAN = 0xffff_ffff;

export interface SegmentInfo {
  baseOffset: number;
  sizeBytes: number;
  maxTimestamp: number;
}

export class Segment {
  readonly index: OffsetIndex;
  nextOffset: number;
  maxTimestamp = -1;

  constructor(
    readonly store: SegmentStore,
    indexIntervalBytes: number,
  ) {
    this.index = new OffsetIndex(store.baseOffset, indexIntervalBytes);
    this.nextOffset = store.baseOffset;
  }

  get baseOffset(): number {
    return this.store.baseOffset;
  }

  get sizeBytes(): number {
    return this.store.sizeBytes;
  }

  info(): SegmentInfo {
    return { baseOffset: this.baseOffset, sizeBytes: this.sizeBytes, maxTimestamp: this.maxTimestamp };
  }

  /** Could a batch covering offsets up to `lastOffset` go in this segment by offset span? */
  fitsOffset(lastOffset: number): boolean {
    return lastOffset - this.baseOffset <= MAX_SEGMENT_OFFSET_SPAN;
  }

  /** Account for a batch already present at `position` (recovery) or just appended. */
  noteBatch(stored: Uint8Array, position: number): void {
    const base = batchBaseOffset(stored);
    assert(base === this.nextOffset, `segment ${this.baseOffset}: batch at ${base}, expected ${this.nextOffset}`);
    this.index.onAppend(base, position, stored.byteLength);
    this.nextOffset = batchLastOffset(stored) + 1;
    this.maxTimestamp = Math.max(this.maxTimestamp, batchMaxTimestamp(stored));
  }

  /** Append a validated batch; returns the stored bytes (see SegmentStore.append). */
  append(batch: Uint8Array, patch: BatchPatch | null): Uint8Array {
    const position = this.store.sizeBytes;
    const stored = this.store.append(batch, patch);
    this.noteBatch(stored, position);
    return stored;
  }

  /** Byte position of the batch holding `offset` (sizeBytes when offset ≥ nextOffset). */
  positionOf(offset: number, readAheadBytes: number): number {
    if (offset >= this.nextOffset) return this.sizeBytes;
    let found = this.sizeBytes;
    this.store.scan(this.index.lookup(offset), (b, pos) => {
      if (batchLastOffset(b) < offset) return true;
      found = pos;
      return false;
    }, readAheadBytes);
    return found;
  }

  /** Visit whole batches from the one holding `offset` on. */
  scanFrom(offset: number, visit: BatchVisitor, readAheadBytes: number): void {
    const start = this.index.lookup(offset);
    this.store.scan(start, visit, readAheadBytes);
  }

  /**
   * Drop the batch holding `offset` and everything after it. Rescans the kept batches to make
   * maxTimestamp exact (truncation is rare: follower divergence after a leader change).
   * Returns the bytes removed.
   */
  truncateToOffset(offset: number, readAheadBytes: number): number {
    if (offset >= this.nextOffset) return 0;
    let cut = -1;
    let maxTs = -1;
    let next = this.baseOffset;
    this.store.scan(0, (b, pos) => {
      if (batchLastOffset(b) >= offset) {
        cut = pos;
        return false;
      }
      maxTs = Math.max(maxTs, batchMaxTimestamp(b));
      next = batchLastOffset(b) + 1;
      return true;
    }, readAheadBytes);
    assert(cut >= 0, `segment ${this.baseOffset}: no batch holds offset ${offset} below ${this.nextOffset}`);
    const removed = this.sizeBytes - cut;
    this.store.truncate(cut);
    this.index.truncateToPosition(cut);
    this.nextOffset = next;
    this.maxTimestamp = maxTs;
    return removed;
  }

  /** Becomes a sealed segment: data durable, index persisted, idle resources released. */
  seal(): void {
    this.store.sync();
    this.store.writeIndex(this.index.toBytes());
    this.store.release();
  }
}
