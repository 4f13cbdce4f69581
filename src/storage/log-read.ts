/**
 * Reading whole batches out of a list of segments (PartitionLog.read).
 *
 * Semantics (the model test checks exactly these):
 * - The result starts with the batch that holds `fromOffset` (it may start before it), then the
 *   following batches in order, across segment boundaries.
 * - A batch is returned only if ALL of its offsets are below `maxOffset` (exclusive bound, e.g.
 *   HW for read_committed): a reader never sees an offset at or past the bound.
 * - Batches are added while their total size stays ≤ maxBytes, except that the first qualifying
 *   batch is always returned whole, whatever its size (a reader always makes progress).
 * - nextOffset = lastOffset + 1 of the last returned batch, or fromOffset when none.
 * Memory mode returns views of the stored bytes (zero copy), disk mode fresh copies; in both the
 * bytes never change afterwards. Callers must treat them as read-only.
 */
import { batchLastOffset } from './batch-header.js';
import type { Segment } from './segment.js';

export interface ReadResult {
  batches: Uint8Array[];
  nextOffset: number;
}

/** Index of the segment holding `offset`: the last one whose baseOffset ≤ offset. */
export function segmentIndexFor(segments: readonly Segment[], offset: number): number {
  let lo = 0;
  let hi = segments.length - 1;
  let found = 0;
  while (lo <= hi) {
    const mid = (lo + hi) >>> 1;
    if (segments[mid]!.baseOffset <= offset) {
      found = mid;
      lo = mid + 1;
    } else {
      hi = mid - 1;
    }
  }
  return found;
}

/** Read batches; the caller has checked BASE ≤ fromOffset ≤ LEO and clamped maxOffset ≤ LEO. */
export function readBatches(segments: readonly Segment[], fromOffset: number, maxOffset: number, maxBytes: number): ReadResult {
  const batches: Uint8Array[] = [];
  let nextOffset = fromOffset;
  if (fromOffset >= maxOffset) return { batches, nextOffset };
  let bytes = 0;
  let done = false;
  const readAheadBytes = maxBytes + 16 * 1024;
  const visit = (b: Uint8Array): boolean => {
    const last = batchLastOffset(b);
    if (last < fromOffset) return true;
    if (last >= maxOffset || (batches.length > 0 && bytes + b.byteLength > maxBytes)) {
      done = true;
      return false;
    }
    batches.push(b);
    bytes += b.byteLength;
    nextOffset = last + 1;
    if (bytes >= maxBytes || nextOffset >= maxOffset) {
      done = true;
      return false;
    }
    return true;
  };
  const first = segmentIndexFor(segments, fromOffset);
  for (let i = first; i < segments.length && !done; i++) {
    const seg = segments[i]!;
    if (i === first) seg.scanFrom(fromOffset, visit, readAheadBytes);
    else seg.store.scan(0, visit, readAheadBytes);
  }
  return { batches, nextOffset };
}
