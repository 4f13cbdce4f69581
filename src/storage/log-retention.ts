/**
 * Retention (DESIGN §4), as a pure decision over a log's segments: how many of the oldest
 * segments to remove. A segment may go only if it is sealed (never the last, active one) and lies
 * entirely below HW (data not yet committed is never deleted, as in Kafka), and only while the
 * oldest is expired (maxTimestamp < now − retentionMs; a segment without timestamps has
 * maxTimestamp −1) or the partition is larger than maxPartitionBytes. It stops at the first
 * segment that stays, so BASE only moves forward by whole segments.
 */
import type { Segment } from './segment.js';

export interface RetentionRules {
  retentionMs: number;
  maxPartitionBytes: number;
}

export function segmentsToRetire(segs: readonly Segment[], hw: number, totalBytes: number, nowMs: number, rules: RetentionRules): number {
  let n = 0;
  let bytes = totalBytes;
  while (segs.length - n > 1) {
    const oldest = segs[n]!;
    if (oldest.nextOffset > hw) break;
    const expired = rules.retentionMs !== Infinity && oldest.maxTimestamp < nowMs - rules.retentionMs;
    const oversize = bytes > rules.maxPartitionBytes;
    if (!expired && !oversize) break;
    bytes -= oldest.sizeBytes;
    n++;
  }
  return n;
}
