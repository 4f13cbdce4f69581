/**
 * PartitionLog: one partition replica's log — ordered segments of Kafka v2 record batches, in
 * memory or on disk, with BASE / HW / LEO, retention, truncation and a storage budget.
 *
 *   BASE                               HW                    LEO
 *    |  seg 0 (sealed) | seg 1 (sealed) | seg 2 (active) ······|
 *    first readable     committed        next offset to assign
 *
 * Invariants (checked by assert where cheap):
 * - Segments are contiguous: seg[i+1].baseOffset = seg[i].nextOffset; BASE = seg[0].baseOffset;
 *   LEO = last segment's nextOffset. There is always at least one segment (maybe empty).
 * - BASE ≤ HW ≤ LEO. Retention only removes whole sealed segments lying entirely below HW (as
 *   Kafka: data not yet committed is never deleted), so BASE never passes HW; setHighWatermark
 *   raises a value below BASE to BASE (everything below BASE was committed when removed) and
 *   asserts hw ≤ LEO.
 * - Every stored batch passed validateBatch (framing + CRC) on the way in or in recovery; a bad
 *   batch is rejected, never stored, never returned.
 * - budget.usedBytes includes exactly this log's sizeBytes while the log is open; close() gives
 *   it back. (A crashed log that is never closed keeps its reservation: build a new budget for a
 *   restarted SPU.)
 * - Disk mode: append returns only after writeSync returned (and fsync, policy 'always'); a
 *   rolled (sealed) segment is always fsynced first, so a crash can only tear the active segment.
 */
import { batchBaseOffset, batchLastOffsetDelta, batchLeaderEpoch } from './batch-header.js';
import { EpochCache } from './epoch-cache.js';
import { CorruptBatchError, OffsetOutOfRangeError, assert } from './errors.js';
import { type FileOps, nodeFileOps } from './file-ops.js';
import { readCheckpointHw, writeCheckpoint } from './log-checkpoint.js';
import { type LogConfig, resolveLogConfig } from './log-config.js';
import { type AppendResult, type LogDeps, type ReadOptions, checkIncomingBatch } from './log-types.js';
import { type ReadResult, readBatches, segmentIndexFor } from './log-read.js';
import { segmentsToRetire } from './log-retention.js';
import { type RecoveryReport, recoverLogDir } from './recovery.js';
import { Segment, type SegmentInfo } from './segment.js';
import { FileSegmentStore } from './segment-file.js';
import { type BatchPatch, MemorySegmentStore, memoryChunkBytes } from './segment-store.js';

export { DEFAULT_LOG_CONFIG, type LogConfig } from './log-config.js';
export { StorageBudget } from './budget.js';
export type { FileOps } from './file-ops.js';
export type { ReadResult } from './log-read.js';
export type { RecoveryReport } from './recovery.js';
export type { AppendResult, LogDeps, ReadOptions, TailSink } from './log-types.js';

const DEFAULT_READ_MAX_BYTES = 1024 * 1024;
const I32_MIN = -(2 ** 31);
const I32_MAX = 2 ** 31 - 1;

export class PartitionLog {
  private segs: Segment[];
  private hwValue: number;
  private totalBytes = 0;
  private closed = false;
  private readonly fs: FileOps;

  private constructor(
    readonly mode: 'memory' | 'disk',
    readonly config: Readonly<LogConfig>,
    private readonly deps: LogDeps,
    /** Disk mode: the log's directory; memory mode: null. */
    readonly dir: string | null,
    segments: Segment[],
    private readonly epochs: EpochCache,
    hw: number,
    /** Disk mode: what recovery found and repaired on open; memory mode: null. */
    readonly recoveryReport: RecoveryReport | null,
  ) {
    this.fs = deps.fs ?? nodeFileOps;
    this.segs = segments;
    for (const s of segments) this.totalBytes += s.sizeBytes;
    deps.budget.claim(this.totalBytes);
    this.hwValue = Math.min(Math.max(hw, this.base), this.leo);
  }

  static openMemory(config: Partial<LogConfig>, deps: LogDeps): PartitionLog {
    const cfg = resolveLogConfig(config);
    const seg = new Segment(new MemorySegmentStore(0, memoryChunkBytes(cfg.segmentBytes)), cfg.indexIntervalBytes);
    return new PartitionLog('memory', cfg, deps, null, [seg], new EpochCache(), 0, null);
  }

  /** Open (creating the directory if needed) and recover a disk log. */
  static openDisk(dir: string, config: Partial<LogConfig>, deps: LogDeps): PartitionLog {
    const cfg = resolveLogConfig(config);
    const ops = deps.fs ?? nodeFileOps;
    const always = cfg.fsync === 'always';
    const rec = recoverLogDir(dir, ops, cfg.indexIntervalBytes, always);
    const segments = rec.segments;
    if (segments.length === 0) segments.push(new Segment(FileSegmentStore.create(dir, 0, ops, always), cfg.indexIntervalBytes));
    const hw = readCheckpointHw(ops, dir) ?? 0;
    return new PartitionLog('disk', cfg, deps, dir, segments, rec.epochs, hw, rec.report);
  }

  get base(): number {
    return this.segs[0]!.baseOffset;
  }
  get leo(): number {
    return this.segs[this.segs.length - 1]!.nextOffset;
  }
  get hw(): number {
    return this.hwValue;
  }
  get sizeBytes(): number {
    return this.totalBytes;
  }
  get segmentCount(): number {
    return this.segs.length;
  }
  private get active(): Segment {
    return this.segs[this.segs.length - 1]!;
  }

  segments(): SegmentInfo[] {
    return this.segs.map((s) => s.info());
  }

  private checkOpen(): void {
    assert(!this.closed, 'partition log is closed');
  }

  /** Leader path: assign offsets from LEO (and the leader epoch) in the stored copy. */
  append(batch: Uint8Array, opts: { leaderEpoch?: number } = {}): AppendResult {
    this.checkOpen();
    checkIncomingBatch(batch, this.config.maxBatchBytes);
    const epoch = opts.leaderEpoch;
    assert(epoch === undefined || (Number.isInteger(epoch) && epoch >= I32_MIN && epoch <= I32_MAX), `leader epoch ${epoch}`);
    return this.write(batch, { baseOffset: this.leo, leaderEpoch: epoch });
  }

  /** Follower path: the batch already carries its offsets; its baseOffset must be LEO. */
  appendReplicated(batch: Uint8Array): AppendResult {
    this.checkOpen();
    checkIncomingBatch(batch, this.config.maxBatchBytes);
    const base = batchBaseOffset(batch);
    if (base !== this.leo) {
      throw new CorruptBatchError(`replicated batch starts at offset ${base}, log end is ${this.leo}`, { baseOffset: base, leo: this.leo });
    }
    return this.write(batch, null);
  }

  private write(batch: Uint8Array, patch: BatchPatch | null): AppendResult {
    const baseOffset = this.leo;
    const lastOffset = baseOffset + batchLastOffsetDelta(batch);
    assert(lastOffset < Number.MAX_SAFE_INTEGER, `offset ${lastOffset} beyond 2^53`);
    const bytes = batch.byteLength;
    this.deps.budget.reserve(bytes);
    let stored: Uint8Array;
    try {
      stored = this.segmentFor(bytes, lastOffset).append(batch, patch);
    } catch (err) {
      this.deps.budget.release(bytes);
      throw err;
    }
    this.totalBytes += bytes;
    this.epochs.onBatch(batchLeaderEpoch(stored), baseOffset);
    const sink = this.deps.sink;
    if (sink !== undefined) {
      sink.append(stored);
      this.publish();
    }
    return { baseOffset, lastOffset };
  }

  /** The segment the next batch goes to: the active one, or a new one after a roll. */
  private segmentFor(bytes: number, lastOffset: number): Segment {
    const active = this.active;
    if (active.sizeBytes === 0) return active;
    if (active.sizeBytes + bytes <= this.config.segmentBytes && active.fitsOffset(lastOffset)) return active;
    active.seal();
    const seg = new Segment(this.newStore(this.leo), this.config.indexIntervalBytes);
    this.segs.push(seg);
    return seg;
  }

  private newStore(baseOffset: number): MemorySegmentStore | FileSegmentStore {
    if (this.dir === null) return new MemorySegmentStore(baseOffset, memoryChunkBytes(this.config.segmentBytes));
    return FileSegmentStore.create(this.dir, baseOffset, this.fs, this.config.fsync === 'always');
  }

  read(fromOffset: number, opts: ReadOptions = {}): ReadResult {
    this.checkOpen();
    assert(Number.isSafeInteger(fromOffset), `read offset ${fromOffset}`);
    if (fromOffset < this.base || fromOffset > this.leo) {
      throw new OffsetOutOfRangeError(`offset ${fromOffset} outside [${this.base}, ${this.leo}]`, {
        offset: fromOffset,
        base: this.base,
        leo: this.leo,
      });
    }
    const maxOffset = Math.min(opts.maxOffset ?? this.leo, this.leo);
    const maxBytes = opts.maxBytes ?? DEFAULT_READ_MAX_BYTES;
    assert(Number.isSafeInteger(maxBytes) && maxBytes >= 0, `read maxBytes ${maxBytes}`);
    return readBatches(this.segs, fromOffset, maxOffset, maxBytes);
  }

  /** Drop the batch holding `offset` and everything after. Below BASE: empty log restarting at offset. */
  truncateTo(offset: number): void {
    this.checkOpen();
    assert(Number.isSafeInteger(offset) && offset >= 0, `truncate offset ${offset}`);
    if (offset >= this.leo) return;
    if (offset < this.base) {
      const fresh = new Segment(this.newStore(offset), this.config.indexIntervalBytes);
      while (this.segs.length > 0) this.dropSegment(this.segs.length - 1);
      this.segs.push(fresh);
      this.epochs.clear();
    } else {
      const keep = segmentIndexFor(this.segs, offset);
      while (this.segs.length > keep + 1) this.dropSegment(this.segs.length - 1);
      const removed = this.active.truncateToOffset(offset, this.config.segmentBytes);
      this.totalBytes -= removed;
      this.deps.budget.release(removed);
      this.epochs.truncateFromEnd(this.leo);
    }
    this.hwValue = Math.min(this.hwValue, this.leo);
    if (this.hwValue < this.base) this.hwValue = this.base;
    this.deps.sink?.truncate(this.leo);
    this.publish();
  }

  /** Remove segs[i] (its files too), releasing its bytes. */
  private dropSegment(i: number): void {
    const seg = this.segs[i]!;
    const bytes = seg.sizeBytes;
    seg.store.remove();
    this.segs.splice(i, 1);
    this.totalBytes -= bytes;
    this.deps.budget.release(bytes);
  }

  setHighWatermark(hw: number): void {
    this.checkOpen();
    assert(Number.isSafeInteger(hw) && hw <= this.leo, `high watermark ${hw} above LEO ${this.leo}`);
    this.hwValue = Math.max(hw, this.base);
    this.publish();
  }

  /** Disk: persist HW and epoch cache atomically, and the active segment's index. Memory: no-op. */
  checkpoint(): void {
    this.checkOpen();
    if (this.dir === null) return;
    const always = this.config.fsync === 'always';
    this.active.store.writeIndex(this.active.index.toBytes());
    writeCheckpoint(this.fs, this.dir, { hw: this.hwValue, base: this.base, leo: this.leo, epochs: this.epochs.entries() }, always);
  }

  /** Remove the oldest segments retention lets go (log-retention.ts); BASE moves to the next. */
  enforceRetention(): { removedSegments: number; base: number } {
    this.checkOpen();
    const removedSegments = segmentsToRetire(this.segs, this.hwValue, this.totalBytes, this.deps.now(), this.config);
    for (let i = 0; i < removedSegments; i++) this.dropSegment(0);
    if (removedSegments > 0) {
      this.epochs.truncateFromStart(this.base);
      this.publish();
    }
    return { removedSegments, base: this.base };
  }

  /** OffsetsForLeaderEpoch: end offset (exclusive) of the last batch with epoch ≤ `epoch`. */
  lastOffsetForEpoch(epoch: number): number {
    this.checkOpen();
    return this.epochs.endOffsetFor(epoch, this.leo);
  }

  /** The leader-epoch cache, to read (latest epoch for reports, `holds` for divergence checks). */
  get epochCache(): Pick<EpochCache, 'latest' | 'latestEpoch' | 'holds'> {
    return this.epochs;
  }

  /** Leader epochs in the log with their start offsets (diagnostics, tests). */
  epochEntries(): Array<{ epoch: number; startOffset: number }> {
    return this.epochs.entries();
  }

  private publish(): void {
    this.deps.sink?.publish({ base: this.base, hw: this.hwValue, leo: this.leo });
  }

  /** Disk: checkpoint, then close files. Releases the budget. Idempotent. */
  close(): void {
    if (this.closed) return;
    try {
      if (this.dir !== null) this.checkpoint();
    } finally {
      this.closeStores();
    }
  }

  /** Close and delete all data (disk: the whole directory). */
  destroy(): void {
    if (!this.closed) this.closeStores();
    if (this.dir !== null) this.fs.rmSync(this.dir, { recursive: true, force: true });
  }

  private closeStores(): void {
    this.closed = true;
    for (const s of this.segs) s.store.close();
    this.deps.budget.release(this.totalBytes);
  }
}
