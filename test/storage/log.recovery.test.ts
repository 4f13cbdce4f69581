/**
 * Disk log recovery: torn / corrupt / garbage tails are cut, every earlier batch is kept byte for
 * byte, indexes are rebuilt, appends continue at the right offset; sealed-segment corruption is a
 * StorageError.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { batchBaseOffset, batchLastOffset } from '../../src/storage/batch-header.js';
import { StorageBudget } from '../../src/storage/budget.js';
import { ErrorCode, RivuletError } from '../../src/runtime/errors.js';
import { PartitionLog, type LogConfig } from '../../src/storage/log.js';
import { indexFileName, segmentFileName } from '../../src/storage/segment-file.js';
import { makeBatch, removeDir, sameBytes, tempDir } from './log-helpers.js';

const dirs: string[] = [];
afterEach(() => {
  while (dirs.length > 0) removeDir(dirs.pop()!);
});

const CFG: Partial<LogConfig> = { indexIntervalBytes: 150 };

function deps(budget = new StorageBudget()) {
  return { now: () => 0, budget };
}

/** A disk log with `n` batches; returns the dir and the stored batches (as read back). */
function writeLog(n: number, cfg: Partial<LogConfig> = CFG): { dir: string; batches: Uint8Array[] } {
  const dir = tempDir();
  dirs.push(dir);
  const log = PartitionLog.openDisk(dir, cfg, deps());
  for (let i = 0; i < n; i++) log.append(makeBatch({ records: 1 + (i % 5), valueBytes: 20 + ((i * 37) % 90), seed: i, timestamp: 1000 + i }), { leaderEpoch: 1 + (i >> 3) });
  log.setHighWatermark(log.leo);
  const batches = log.read(0, { maxBytes: 1 << 30 }).batches.map((b) => b.slice());
  expect(batches.length).toBe(n);
  log.close();
  return { dir, batches };
}

function lastSegmentPath(dir: string): string {
  const logs = fs.readdirSync(dir).filter((f) => f.endsWith('.log')).sort();
  return path.join(dir, logs[logs.length - 1]!);
}

/** Reopen and check: the first `keep` batches identical, nothing else, appends continue. */
function reopenAndCheck(dir: string, batches: Uint8Array[], keep: number, cfg: Partial<LogConfig> = CFG): PartitionLog {
  const budget = new StorageBudget();
  const log = PartitionLog.openDisk(dir, cfg, deps(budget));
  const expectedLeo = keep === 0 ? 0 : batchLastOffset(batches[keep - 1]!) + 1;
  expect(log.leo).toBe(expectedLeo);
  const got = log.read(0, { maxBytes: 1 << 30 }).batches;
  expect(got.length).toBe(keep);
  got.forEach((b, i) => expect(sameBytes(b, batches[i]!)).toBe(true));
  expect(budget.usedBytes).toBe(log.sizeBytes);
  // Every offset finds the batch holding it (index rebuilt and consistent).
  for (let off = 0; off < log.leo; off++) {
    const first = log.read(off, { maxBytes: 0 }).batches[0]!;
    expect(batchBaseOffset(first)).toBeLessThanOrEqual(off);
    expect(batchLastOffset(first)).toBeGreaterThanOrEqual(off);
  }
  const r = log.append(makeBatch({ records: 3, valueBytes: 10, seed: 999 }));
  expect(r.baseOffset).toBe(expectedLeo);
  expect(log.read(expectedLeo).batches.length).toBe(1);
  return log;
}

describe('disk recovery, single segment', () => {
  it('(a) cuts a batch torn in the middle', () => {
    const { dir, batches } = writeLog(12);
    const p = lastSegmentPath(dir);
    const size = fs.statSync(p).size;
    fs.truncateSync(p, size - Math.floor(batches[11]!.byteLength / 2));
    const log = reopenAndCheck(dir, batches, 11);
    expect(log.recoveryReport?.truncatedBytes).toBe(batches[11]!.byteLength - Math.floor(batches[11]!.byteLength / 2));
    log.close();
  });

  it('(a2) cuts a torn batch header', () => {
    const { dir, batches } = writeLog(6);
    const p = lastSegmentPath(dir);
    fs.truncateSync(p, fs.statSync(p).size - batches[5]!.byteLength + 20);
    reopenAndCheck(dir, batches, 5).close();
  });

  it('(b) drops a last batch with a flipped byte (CRC)', () => {
    const { dir, batches } = writeLog(12);
    const p = lastSegmentPath(dir);
    const bytes = fs.readFileSync(p);
    bytes[bytes.length - 5]! ^= 0x40;
    fs.writeFileSync(p, bytes);
    const log = reopenAndCheck(dir, batches, 11);
    expect(log.recoveryReport?.truncatedReason).toMatch(/CRC/);
    log.close();
  });

  it('(c) cuts garbage after the last batch', () => {
    const { dir, batches } = writeLog(12);
    fs.appendFileSync(lastSegmentPath(dir), Buffer.from('garbage after the last batch, not a batch at all'));
    reopenAndCheck(dir, batches, 12).close();
  });

  it('(c2) cuts zero-filled bytes after the last batch (lost write)', () => {
    const { dir, batches } = writeLog(5);
    fs.appendFileSync(lastSegmentPath(dir), Buffer.alloc(4096));
    reopenAndCheck(dir, batches, 5).close();
  });

  it('(d) rebuilds a deleted .index identically', () => {
    const { dir, batches } = writeLog(30);
    const idx = path.join(dir, indexFileName(0));
    const before = fs.readFileSync(idx);
    expect(before.length).toBeGreaterThan(0);
    fs.unlinkSync(idx);
    const log = reopenAndCheck(dir, batches, 30);
    expect(log.recoveryReport?.indexesRewritten).toBe(1);
    expect(sameBytes(fs.readFileSync(idx), before)).toBe(true);
    log.close();
  });

  it('a corrupt .index is rewritten, not trusted', () => {
    const { dir, batches } = writeLog(30);
    fs.writeFileSync(path.join(dir, indexFileName(0)), Buffer.from([0, 0, 0, 9, 0, 0, 0, 3]));
    reopenAndCheck(dir, batches, 30).close();
  });

  it('restores HW from the checkpoint, clamped to the recovered log', () => {
    const { dir, batches } = writeLog(8);
    const log = PartitionLog.openDisk(dir, CFG, deps());
    expect(log.hw).toBe(batchLastOffset(batches[7]!) + 1);
    log.truncateTo(batchBaseOffset(batches[7]!));
    log.close();
    fs.truncateSync(lastSegmentPath(dir), fs.statSync(lastSegmentPath(dir)).size - 3);
    const again = PartitionLog.openDisk(dir, CFG, deps());
    expect(again.leo).toBe(batchBaseOffset(batches[6]!));
    expect(again.hw).toBe(again.leo);
    again.close();
    fs.writeFileSync(path.join(dir, 'hw.checkpoint'), 'not json');
    const third = PartitionLog.openDisk(dir, CFG, deps());
    expect(third.hw).toBe(third.base);
    third.close();
  });

  it('an empty directory is an empty log at offset 0', () => {
    const dir = tempDir();
    dirs.push(dir);
    const log = PartitionLog.openDisk(path.join(dir, 'nested', 'p-0'), CFG, deps());
    expect([log.base, log.hw, log.leo, log.sizeBytes]).toEqual([0, 0, 0, 0]);
    log.close();
  });
});

describe('disk recovery, several segments', () => {
  const MULTI: Partial<LogConfig> = { segmentBytes: 600, indexIntervalBytes: 100 };

  it('keeps sealed segments, repairs the last, rebuilds every index', () => {
    const { dir, batches } = writeLog(40, MULTI);
    const segs = fs.readdirSync(dir).filter((f) => f.endsWith('.log')).sort();
    expect(segs.length).toBeGreaterThan(3);
    const indexes = new Map(segs.map((s) => [s, fs.readFileSync(path.join(dir, s.replace('.log', '.index')))]));
    for (const s of segs) fs.unlinkSync(path.join(dir, s.replace('.log', '.index')));
    const p = lastSegmentPath(dir);
    fs.truncateSync(p, fs.statSync(p).size - 7);
    const log = reopenAndCheck(dir, batches, 39, MULTI);
    expect(log.recoveryReport?.indexesRewritten).toBe(segs.length);
    for (const [s, bytes] of indexes) expect(sameBytes(fs.readFileSync(path.join(dir, s.replace('.log', '.index'))), bytes)).toBe(true);
    log.close();
  });

  it('a torn last segment that loses every batch becomes an empty active segment', () => {
    const { dir, batches } = writeLog(40, MULTI);
    const p = lastSegmentPath(dir);
    const base = Number(path.basename(p).slice(0, 20));
    fs.truncateSync(p, 30);
    const keep = batches.findIndex((b) => batchBaseOffset(b) === base);
    reopenAndCheck(dir, batches, keep, MULTI).close();
  });

  it('deletes a leftover empty segment and orphan files', () => {
    const { dir, batches } = writeLog(40, MULTI);
    const next = batchLastOffset(batches[39]!) + 1;
    fs.writeFileSync(path.join(dir, segmentFileName(next)), Buffer.alloc(0));
    fs.writeFileSync(path.join(dir, indexFileName(123456)), Buffer.alloc(8));
    fs.writeFileSync(path.join(dir, 'hw.checkpoint.tmp'), 'x');
    const log = reopenAndCheck(dir, batches, 40, MULTI);
    expect(log.recoveryReport?.removedFiles.sort()).toEqual([indexFileName(123456), 'hw.checkpoint.tmp', segmentFileName(next)].sort());
    log.close();
  });

  it('corruption inside a sealed segment is a StorageError, not silent data loss', () => {
    const { dir } = writeLog(40, MULTI);
    const first = path.join(dir, segmentFileName(0));
    const bytes = fs.readFileSync(first);
    bytes[80]! ^= 0xff;
    fs.writeFileSync(first, bytes);
    let err: unknown;
    try {
      PartitionLog.openDisk(dir, MULTI, deps());
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(RivuletError);
    expect((err as RivuletError).code).toBe(ErrorCode.STORAGE_ERROR);
    expect((err as RivuletError).retriable).toBe(false);
  });

  it('a gap between segments is a StorageError', () => {
    const { dir } = writeLog(40, MULTI);
    const segs = fs.readdirSync(dir).filter((f) => f.endsWith('.log')).sort();
    fs.unlinkSync(path.join(dir, segs[1]!));
    expect(() => PartitionLog.openDisk(dir, MULTI, deps())).toThrow(/gap between segments/);
  });

  it('recovers after retention removed the oldest segments (BASE > 0)', () => {
    const { dir, batches } = writeLog(40, MULTI);
    const log = PartitionLog.openDisk(dir, { ...MULTI, maxPartitionBytes: 1500 }, deps());
    log.enforceRetention();
    const base = log.base;
    expect(base).toBeGreaterThan(0);
    log.close();
    const again = PartitionLog.openDisk(dir, MULTI, deps());
    expect(again.base).toBe(base);
    const got = again.read(base, { maxBytes: 1 << 30 }).batches;
    const want = batches.filter((b) => batchBaseOffset(b) >= base);
    expect(got.length).toBe(want.length);
    got.forEach((b, i) => expect(sameBytes(b, want[i]!)).toBe(true));
    expect(again.lastOffsetForEpoch(0)).toBe(base);
    expect(again.lastOffsetForEpoch(100)).toBe(again.leo);
    again.close();
  });
});
