/**
 * SegmentStore: where one segment's bytes live — raw record batches back to back, exactly as on
 * the wire — and MemorySegmentStore, the in-memory implementation (disk: segment-file.ts).
 *
 *   position 0                                                      sizeBytes
 *   | batch (baseOffset = segment base) | batch | batch | … | batch |
 *
 * Contract (both stores):
 * - `append` stores one whole, already validated batch at position sizeBytes, writing `patch`
 *   (baseOffset, leader epoch) into its stored copy. On failure nothing is stored: sizeBytes is
 *   unchanged and the error is an OutOfSpaceError or StorageError.
 * - `scan(position, visit)` calls visit with whole batches in order starting at `position`, which
 *   must be a batch boundary, until visit returns false or the end. Framing only, no CRC check
 *   (every stored batch was validated on the way in or by recovery).
 * - Bytes handed out by `scan` never change afterwards (callers must not mutate them either):
 *   memory hands out views of chunks whose written bytes are never overwritten, disk hands out
 *   freshly read copies.
 *
 * MemorySegmentStore layout: a list of chunks, each a SharedArrayBuffer — so a batch view posted
 * to another thread (a FetchReply to a consumer or a follower) is shared, not cloned: structured
 * clone of a view into a plain ArrayBuffer copies the WHOLE buffer (up to a 1 MiB chunk per
 * message); sharing is safe because written bytes never change. Batches never straddle
 * chunks, so every batch is one contiguous view; appending copies the batch once (no quadratic
 * regrowth). Chunks grow geometrically: the first is MEMORY_CHUNK_LIMITS.firstBytes (or the batch,
 * if larger), each next one twice the previous, up to the store's chunkBytes — a partition holding
 * a few small batches costs kilobytes, a busy one reaches full-size chunks after a few appends.
 * Truncation moves the logical end back and FREEZES the chunk it lands in: later appends start a
 * new chunk, so bytes a reader already holds are never overwritten. (Chunks of removed segments are
 * not recycled for the same reason: views handed out by scan may still be held.)
 *
 *   chunk 0 [start 0]      chunk 1 [start s1]          chunk 2 [start s2]
 *   | b0 | b1 | b2 |·free| | b3 | b4 |·(frozen tail)|  | b5 | ·free········ |
 */
import { BatchLayout, batchTotalBytes, setBatchBaseOffset, setBatchLeaderEpoch } from './batch-header.js';
import { assert } from './errors.js';

/** Header fields the log writes into its stored copy of a batch. */
export interface BatchPatch {
  baseOffset: number;
  leaderEpoch?: number | undefined;
}

export type BatchVisitor = (batch: Uint8Array, position: number) => boolean;

export interface SegmentStore {
  readonly kind: 'memory' | 'disk';
  readonly baseOffset: number;
  readonly sizeBytes: number;
  /** Store one whole batch at sizeBytes; returns the stored bytes (read-only; disk: valid for the call). */
  append(batch: Uint8Array, patch: BatchPatch | null): Uint8Array;
  /** Visit whole batches from `position` (a batch boundary); `readAheadBytes` is an I/O size hint. */
  scan(position: number, visit: BatchVisitor, readAheadBytes: number): void;
  /** Drop the bytes from `position` (a batch boundary) on. */
  truncate(position: number): void;
  /** Make appended bytes durable (disk: fsync). */
  sync(): void;
  /** Persist the segment's sparse index (disk: `.index` file). */
  writeIndex(indexBytes: Uint8Array): void;
  /** Give back idle resources (disk: close the file descriptor; reopened on demand). */
  release(): void;
  /** Delete the segment (files / memory). The store is unusable afterwards. */
  remove(): void;
  close(): void;
}

export function applyPatch(stored: Uint8Array, patch: BatchPatch | null): void {
  if (patch === null) return;
  setBatchBaseOffset(stored, patch.baseOffset);
  if (patch.leaderEpoch !== undefined) setBatchLeaderEpoch(stored, patch.leaderEpoch);
}

export const MEMORY_CHUNK_LIMITS = { firstBytes: 16 * 1024, minBytes: 4096, maxBytes: 1024 * 1024 } as const;

/** Largest chunk for a segment: big enough to amortise allocation, small enough for tiny segments. */
export function memoryChunkBytes(segmentBytes: number): number {
  return Math.min(Math.max(segmentBytes, MEMORY_CHUNK_LIMITS.minBytes), MEMORY_CHUNK_LIMITS.maxBytes);
}

interface Chunk {
  bytes: Uint8Array;
  /** Logical segment position of bytes[0]. */
  start: number;
  /** Logical bytes in use (from bytes[0]). */
  used: number;
  /** No further appends (truncation landed here, or physical bytes past `used` were handed out). */
  frozen: boolean;
}

export class MemorySegmentStore implements SegmentStore {
  readonly kind = 'memory' as const;
  private chunks: Chunk[] = [];
  private size = 0;
  private removed = false;
  /** Size of the next chunk (doubles per chunk up to chunkBytes). */
  private nextChunkBytes: number;

  constructor(
    readonly baseOffset: number,
    private readonly chunkBytes: number,
  ) {
    assert(Number.isInteger(chunkBytes) && chunkBytes > 0, `chunk size ${chunkBytes}`);
    this.nextChunkBytes = Math.min(chunkBytes, MEMORY_CHUNK_LIMITS.firstBytes);
  }

  /** Bytes of chunk memory this store holds (allocated, used or not). */
  get allocatedBytes(): number {
    let n = 0;
    for (const c of this.chunks) n += c.bytes.byteLength;
    return n;
  }

  get sizeBytes(): number {
    return this.size;
  }

  append(batch: Uint8Array, patch: BatchPatch | null): Uint8Array {
    assert(!this.removed, 'append to a removed segment');
    const total = batch.byteLength;
    let last = this.chunks[this.chunks.length - 1];
    if (last === undefined || last.frozen || last.bytes.byteLength - last.used < total) {
      last = { bytes: new Uint8Array(new SharedArrayBuffer(Math.max(this.nextChunkBytes, total))), start: this.size, used: 0, frozen: false };
      this.nextChunkBytes = Math.min(this.chunkBytes, this.nextChunkBytes * 2);
      this.chunks.push(last);
    }
    const stored = last.bytes.subarray(last.used, last.used + total);
    stored.set(batch);
    applyPatch(stored, patch);
    last.used += total;
    this.size += total;
    return stored;
  }

  private chunkIndexAt(position: number): number {
    let lo = 0;
    let hi = this.chunks.length - 1;
    let found = 0;
    while (lo <= hi) {
      const mid = (lo + hi) >>> 1;
      if (this.chunks[mid]!.start <= position) {
        found = mid;
        lo = mid + 1;
      } else {
        hi = mid - 1;
      }
    }
    return found;
  }

  scan(position: number, visit: BatchVisitor): void {
    assert(position >= 0 && position <= this.size, `scan position ${position} outside [0, ${this.size}]`);
    if (position === this.size) return;
    for (let ci = this.chunkIndexAt(position); ci < this.chunks.length; ci++) {
      const c = this.chunks[ci]!;
      let local = Math.max(0, position - c.start);
      while (local < c.used) {
        const total = batchTotalBytes(c.bytes.subarray(local));
        assert(total >= BatchLayout.headerBytes && local + total <= c.used, `bad framing at ${c.start + local}`);
        if (!visit(c.bytes.subarray(local, local + total), c.start + local)) return;
        local += total;
      }
    }
  }

  truncate(position: number): void {
    assert(position >= 0 && position <= this.size, `truncate position ${position} outside [0, ${this.size}]`);
    while (this.chunks.length > 0 && this.chunks[this.chunks.length - 1]!.start >= position) this.chunks.pop();
    const last = this.chunks[this.chunks.length - 1];
    if (last !== undefined && last.start + last.used > position) {
      last.used = position - last.start;
      last.frozen = true;
    }
    this.size = position;
  }

  sync(): void {}
  writeIndex(): void {}
  release(): void {}

  remove(): void {
    this.chunks = [];
    this.size = 0;
    this.removed = true;
  }

  close(): void {
    this.remove();
  }
}
