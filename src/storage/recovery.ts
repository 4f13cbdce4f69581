/**
 * Disk log recovery: turn a log directory (possibly left by kill -9 or a torn write) into a
 * consistent list of segments.
 *
 * Rules, in order:
 * 1. Files: `<20 digits>.log` are segments (sorted by base offset); `.index` files without a
 *    segment and `*.tmp` leftovers are deleted; other files are left alone.
 * 2. Empty segments are deleted, except the last one when every segment is empty (it carries
 *    BASE = LEO, e.g. after a truncation below BASE). A new segment is empty until its first
 *    write returns, so a crash can leave one; they hold no data.
 * 3. Every segment is scanned fully from position 0: each batch's framing, magic and CRC-32C
 *    (validateBatch) and offset continuity (first batch at the segment's base offset, each next
 *    one at the previous lastOffset + 1). Segments must chain: base = previous segment's end.
 * 4. The first invalid byte in the LAST segment ends the log: the file is truncated there (torn or
 *    corrupt tail, garbage after the last batch). Every complete valid batch before it is kept.
 * 5. An invalid byte in a SEALED segment, or a gap between segments, is a StorageError: sealed
 *    segments are fsynced when they are rolled, so this is media corruption or tampering, not a
 *    crash, and dropping every later batch silently would lose acknowledged data.
 * 6. Indexes are rebuilt from the scan; an `.index` file that is missing or differs is rewritten.
 * 7. The leader epoch cache is rebuilt from the scanned batches' partitionLeaderEpoch.
 */
import * as path from 'node:path';
import {
  BatchLayout,
  MAX_BATCH_BYTES,
  batchBaseOffset,
  batchLastOffset,
  batchLeaderEpoch,
  batchTotalBytes,
  validateBatch,
} from './batch-header.js';
import { EpochCache } from './epoch-cache.js';
import { StorageError } from './errors.js';
import { type FileOps, mapFsError, readWholeFile } from './file-ops.js';
import { MAX_SEGMENT_OFFSET_SPAN, Segment } from './segment.js';
import { FileSegmentStore, INDEX_SUFFIX, SEGMENT_SUFFIX, parseSegmentName } from './segment-file.js';

const SCAN_WINDOW_BYTES = 1024 * 1024;

export interface RecoveryReport {
  /** Segments kept. */
  segments: number;
  /** Batches found valid. */
  batches: number;
  /** Bytes cut off the end of the last segment (torn / corrupt tail). */
  truncatedBytes: number;
  /** Why the tail was cut, when it was. */
  truncatedReason: string | null;
  /** Files deleted (empty segments, orphan indexes, temp files). */
  removedFiles: string[];
  /** Index files rewritten because they were missing or stale. */
  indexesRewritten: number;
}

export interface RecoveredLog {
  segments: Segment[];
  epochs: EpochCache;
  report: RecoveryReport;
}

interface ScanResult {
  validBytes: number;
  /** null when the whole file is valid. */
  problem: string | null;
}

/** Validate the batches of `seg`'s file from 0, feeding good ones to `seg` and `epochs`. */
function scanSegmentFile(store: FileSegmentStore, seg: Segment, epochs: EpochCache): ScanResult & { batches: number } {
  const size = store.sizeBytes;
  let pos = 0;
  let batches = 0;
  let buf: Uint8Array = new Uint8Array(0);
  let bufStart = 0;
  const fail = (problem: string): ScanResult & { batches: number } => ({ validBytes: pos, problem, batches });
  while (pos < size) {
    if (size - pos < BatchLayout.headerBytes) return fail(`torn batch header at ${pos} (${size - pos} bytes left)`);
    let off = pos - bufStart;
    if (off + BatchLayout.logOverheadBytes > buf.byteLength) {
      buf = store.readAt(pos, Math.min(size - pos, SCAN_WINDOW_BYTES));
      bufStart = pos;
      off = 0;
    }
    const total = batchTotalBytes(buf.subarray(off));
    if (total < BatchLayout.headerBytes || total > MAX_BATCH_BYTES) return fail(`bad batch length ${total} at ${pos}`);
    if (pos + total > size) return fail(`torn batch at ${pos}: ${total} bytes, ${size - pos} present`);
    if (off + total > buf.byteLength) {
      buf = store.readAt(pos, Math.min(size - pos, Math.max(SCAN_WINDOW_BYTES, total)));
      bufStart = pos;
      off = 0;
    }
    const batch = buf.subarray(off, off + total);
    try {
      validateBatch(batch, MAX_BATCH_BYTES);
    } catch (err) {
      return fail(`corrupt batch at ${pos}: ${err instanceof Error ? err.message : String(err)}`);
    }
    const base = batchBaseOffset(batch);
    if (base !== seg.nextOffset) return fail(`batch at ${pos} has base offset ${base}, expected ${seg.nextOffset}`);
    if (batchLastOffset(batch) - seg.baseOffset > MAX_SEGMENT_OFFSET_SPAN) return fail(`batch at ${pos} beyond the segment's offset span`);
    seg.noteBatch(batch, pos);
    epochs.onBatch(batchLeaderEpoch(batch), base);
    batches++;
    pos += total;
  }
  return { validBytes: pos, problem: null, batches };
}

function listDir(ops: FileOps, dir: string): string[] {
  try {
    ops.mkdirSync(dir, { recursive: true });
    return ops.readdirSync(dir);
  } catch (err) {
    throw mapFsError(err, 'open log directory', dir);
  }
}

function removeFile(ops: FileOps, p: string, report: RecoveryReport): void {
  try {
    ops.unlinkSync(p);
  } catch (err) {
    throw mapFsError(err, 'delete', p);
  }
  report.removedFiles.push(path.basename(p));
}

/** The index file's bytes, or null when missing or unreadable (it is rewritten then). */
function readIndexFile(ops: FileOps, p: string): Uint8Array | null {
  try {
    return readWholeFile(ops, p);
  } catch {
    return null;
  }
}

function sameBytes(a: Uint8Array | null, b: Uint8Array): boolean {
  if (a === null || a.byteLength !== b.byteLength) return false;
  for (let i = 0; i < a.byteLength; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** Open every segment in `dir`, repair the tail, rebuild indexes. See the rules above. */
export function recoverLogDir(dir: string, ops: FileOps, indexIntervalBytes: number, fsyncEveryWrite: boolean): RecoveredLog {
  const report: RecoveryReport = { segments: 0, batches: 0, truncatedBytes: 0, truncatedReason: null, removedFiles: [], indexesRewritten: 0 };
  const names = listDir(ops, dir);
  const bases = names
    .map((n) => parseSegmentName(n, SEGMENT_SUFFIX))
    .filter((b): b is number => b !== null)
    .sort((a, b) => a - b);
  const baseSet = new Set(bases);
  for (const n of names) {
    const ib = parseSegmentName(n, INDEX_SUFFIX);
    if ((ib !== null && !baseSet.has(ib)) || n.endsWith('.tmp')) removeFile(ops, path.join(dir, n), report);
  }

  const stores: FileSegmentStore[] = [];
  for (const base of bases) stores.push(FileSegmentStore.open(dir, base, ops, fsyncEveryWrite));
  const kept = stores.filter((s, i) => s.sizeBytes > 0 || (i === stores.length - 1 && stores.every((t) => t.sizeBytes === 0)));
  for (const s of stores) {
    if (kept.includes(s)) continue;
    s.remove();
    report.removedFiles.push(path.basename(s.logPath));
  }

  const epochs = new EpochCache();
  const segments: Segment[] = [];
  try {
    for (let i = 0; i < kept.length; i++) {
      const store = kept[i]!;
      const last = i === kept.length - 1;
      const prev = segments[segments.length - 1];
      if (prev !== undefined && prev.nextOffset !== store.baseOffset) {
        throw new StorageError(`log ${dir}: gap between segments: ${prev.nextOffset} then ${store.baseOffset}`, {
          dir,
          expected: prev.nextOffset,
          found: store.baseOffset,
        });
      }
      const seg = new Segment(store, indexIntervalBytes);
      const scan = scanSegmentFile(store, seg, epochs);
      report.batches += scan.batches;
      if (scan.problem !== null) {
        if (!last) {
          throw new StorageError(`log ${dir}: sealed segment ${path.basename(store.logPath)}: ${scan.problem}`, {
            dir,
            segment: store.baseOffset,
            position: scan.validBytes,
          });
        }
        report.truncatedBytes = store.sizeBytes - scan.validBytes;
        report.truncatedReason = scan.problem;
        store.truncate(scan.validBytes);
      }
      const indexBytes = seg.index.toBytes();
      if (!sameBytes(readIndexFile(ops, store.indexPath), indexBytes)) {
        store.writeIndex(indexBytes);
        report.indexesRewritten++;
      }
      if (!last) store.release();
      segments.push(seg);
    }
  } catch (err) {
    for (const s of kept) s.close();
    throw err;
  }
  report.segments = segments.length;
  return { segments, epochs, report };
}
