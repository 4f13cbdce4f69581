/**
 * FileSegmentStore: a segment on disk. In the log's directory:
 *
 *   00000000000000000000.log    raw batches back to back (the SegmentStore layout)
 *   00000000000000000000.index  sparse index (offset-index.ts layout)
 *   00000000000000001234.log    next segment, named by its base offset (20 digits, zero padded)
 *
 * Invariants:
 * - All writes use explicit positions (pwrite) at the store's own idea of the end, `sizeBytes`;
 *   so a torn write that could not be cut off is overwritten by the next append, and recovery
 *   cuts it off after a crash.
 * - `append` returns only after writeSync returned for every byte (and fsync when the policy is
 *   'always'): acknowledged bytes are in the OS and survive kill -9. A failed write is truncated
 *   away; ENOSPC/EDQUOT surface as OUT_OF_SPACE, anything else as STORAGE_ERROR.
 * - `append` returns the stored bytes only for the duration of the call (a reused scratch copy
 *   when the header was patched): a TailSink must copy them.
 * - One file descriptor per segment while in use; `release` (sealed segments) closes it and the
 *   next read reopens it.
 */
import * as path from 'node:path';
import { BatchLayout, batchTotalBytes } from './batch-header.js';
import { assert, StorageError } from './errors.js';
import { type FileOps, fsyncDir, mapFsError, readFully, writeFileAtomic, writeFully } from './file-ops.js';
import { applyPatch, type BatchPatch, type BatchVisitor, type SegmentStore } from './segment-store.js';

export const SEGMENT_SUFFIX = '.log';
export const INDEX_SUFFIX = '.index';
const OFFSET_DIGITS = 20;
/** Smallest read-ahead for scans: fewer syscalls for small batches. */
const MIN_WINDOW_BYTES = 64 * 1024;
/** Largest read-ahead for scans (a single bigger batch is still read whole). */
const MAX_WINDOW_BYTES = 8 * 1024 * 1024;

/** Reused buffer for patched copies (appends are synchronous; the copy is only valid during the call). */
const SCRATCH_KEEP_BYTES = 1024 * 1024;
let scratch = new Uint8Array(64 * 1024);

function patchedCopy(batch: Uint8Array, patch: BatchPatch): Uint8Array {
  const n = batch.byteLength;
  let buf: Uint8Array;
  if (n <= SCRATCH_KEEP_BYTES) {
    if (scratch.byteLength < n) scratch = new Uint8Array(Math.min(SCRATCH_KEEP_BYTES, Math.max(n, scratch.byteLength * 2)));
    buf = scratch.subarray(0, n);
  } else {
    buf = new Uint8Array(n);
  }
  buf.set(batch);
  applyPatch(buf, patch);
  return buf;
}

export function segmentFileName(baseOffset: number): string {
  assert(Number.isSafeInteger(baseOffset) && baseOffset >= 0, `segment base offset ${baseOffset}`);
  return String(baseOffset).padStart(OFFSET_DIGITS, '0') + SEGMENT_SUFFIX;
}

export function indexFileName(baseOffset: number): string {
  return segmentFileName(baseOffset).slice(0, OFFSET_DIGITS) + INDEX_SUFFIX;
}

/** Base offset from a `<20 digits>.log` / `.index` name, or null for any other name. */
export function parseSegmentName(name: string, suffix: string): number | null {
  if (name.length !== OFFSET_DIGITS + suffix.length || !name.endsWith(suffix)) return null;
  const digits = name.slice(0, OFFSET_DIGITS);
  if (!/^[0-9]+$/.test(digits)) return null;
  const n = Number(digits);
  return Number.isSafeInteger(n) ? n : null;
}

export class FileSegmentStore implements SegmentStore {
  readonly kind = 'disk' as const;
  readonly logPath: string;
  readonly indexPath: string;
  private fd = -1;
  private size: number;
  private removed = false;

  private constructor(
    readonly dir: string,
    readonly baseOffset: number,
    private readonly ops: FileOps,
    private readonly fsyncEveryWrite: boolean,
    fd: number,
    size: number,
  ) {
    this.logPath = path.join(dir, segmentFileName(baseOffset));
    this.indexPath = path.join(dir, indexFileName(baseOffset));
    this.fd = fd;
    this.size = size;
  }

  /** A new, empty segment file (replaces a leftover file of the same name). */
  static create(dir: string, baseOffset: number, ops: FileOps, fsyncEveryWrite: boolean): FileSegmentStore {
    const p = path.join(dir, segmentFileName(baseOffset));
    let fd: number;
    try {
      fd = ops.openSync(p, 'w+');
    } catch (err) {
      throw mapFsError(err, 'create segment', p);
    }
    if (fsyncEveryWrite) fsyncDir(ops, dir);
    return new FileSegmentStore(dir, baseOffset, ops, fsyncEveryWrite, fd, 0);
  }

  /** An existing segment file; sizeBytes = the file's size (recovery validates and trims it). */
  static open(dir: string, baseOffset: number, ops: FileOps, fsyncEveryWrite: boolean): FileSegmentStore {
    const p = path.join(dir, segmentFileName(baseOffset));
    try {
      const fd = ops.openSync(p, 'r+');
      const size = ops.fstatSync(fd).size;
      return new FileSegmentStore(dir, baseOffset, ops, fsyncEveryWrite, fd, size);
    } catch (err) {
      throw mapFsError(err, 'open segment', p);
    }
  }

  get sizeBytes(): number {
    return this.size;
  }

  private handle(): number {
    assert(!this.removed, `segment ${this.logPath} was removed`);
    if (this.fd < 0) {
      try {
        this.fd = this.ops.openSync(this.logPath, 'r+');
      } catch (err) {
        throw mapFsError(err, 'open segment', this.logPath);
      }
    }
    return this.fd;
  }

  append(batch: Uint8Array, patch: BatchPatch | null): Uint8Array {
    const fd = this.handle();
    const bytes = patch === null ? batch : patchedCopy(batch, patch);
    try {
      writeFully(this.ops, fd, bytes, this.size);
      if (this.fsyncEveryWrite) this.ops.fsyncSync(fd);
    } catch (err) {
      try {
        this.ops.ftruncateSync(fd, this.size);
      } catch {
        // The torn bytes stay past `size`: the next append overwrites them, recovery cuts them.
      }
      throw mapFsError(err, 'write to segment', this.logPath);
    }
    this.size += bytes.byteLength;
    return bytes;
  }

  /** Exactly `length` raw bytes at `position` (a fresh copy). */
  readAt(position: number, length: number): Uint8Array {
    assert(position >= 0 && length >= 0 && position + length <= this.size, `read [${position}, +${length}) past ${this.size}`);
    try {
      return readFully(this.ops, this.handle(), length, position);
    } catch (err) {
      throw mapFsError(err, 'read segment', this.logPath);
    }
  }

  scan(position: number, visit: BatchVisitor, readAheadBytes: number): void {
    assert(position >= 0 && position <= this.size, `scan position ${position} outside [0, ${this.size}]`);
    const window = Math.min(Math.max(readAheadBytes, MIN_WINDOW_BYTES), MAX_WINDOW_BYTES);
    let pos = position;
    while (pos < this.size) {
      let buf = this.readAt(pos, Math.min(this.size - pos, window));
      let off = 0;
      while (buf.byteLength - off >= BatchLayout.logOverheadBytes) {
        const total = batchTotalBytes(buf.subarray(off));
        assert(total >= BatchLayout.headerBytes && pos + off + total <= this.size, `bad framing at ${pos + off} in ${this.logPath}`);
        if (off + total > buf.byteLength) break;
        if (!visit(buf.subarray(off, off + total), pos + off)) return;
        off += total;
      }
      if (off === 0) {
        // One batch larger than the window: read it whole.
        const total = batchTotalBytes(buf);
        buf = this.readAt(pos, total);
        if (!visit(buf, pos)) return;
        off = total;
      }
      pos += off;
    }
  }

  truncate(position: number): void {
    assert(position >= 0 && position <= this.size, `truncate position ${position} outside [0, ${this.size}]`);
    const fd = this.handle();
    try {
      this.ops.ftruncateSync(fd, position);
      this.ops.fsyncSync(fd);
    } catch (err) {
      throw mapFsError(err, 'truncate segment', this.logPath);
    }
    this.size = position;
  }

  sync(): void {
    if (this.fd < 0) return;
    try {
      this.ops.fsyncSync(this.fd);
    } catch (err) {
      throw mapFsError(err, 'fsync segment', this.logPath);
    }
  }

  writeIndex(indexBytes: Uint8Array): void {
    assert(!this.removed, `segment ${this.logPath} was removed`);
    try {
      writeFileAtomic(this.ops, this.indexPath, indexBytes, this.fsyncEveryWrite);
    } catch (err) {
      throw mapFsError(err, 'write index', this.indexPath);
    }
  }

  release(): void {
    if (this.fd < 0) return;
    const fd = this.fd;
    this.fd = -1;
    try {
      this.ops.closeSync(fd);
    } catch {
      // The descriptor is gone either way.
    }
  }

  remove(): void {
    this.release();
    this.removed = true;
    for (const p of [this.logPath, this.indexPath]) {
      try {
        if (this.ops.existsSync(p)) this.ops.unlinkSync(p);
      } catch (err) {
        throw new StorageError(`cannot delete ${p}: ${err instanceof Error ? err.message : String(err)}`, { path: p });
      }
    }
    this.size = 0;
  }

  close(): void {
    this.release();
  }
}
