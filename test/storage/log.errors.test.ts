/**
 * Operating errors of the partition log: OUT_OF_SPACE (budget, fill(), injected ENOSPC),
 * OFFSET_OUT_OF_RANGE, RECORD_TOO_LARGE, CORRUPT_BATCH — each with its code and retriable flag,
 * and never a corrupted or half-stored batch.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { BatchLayout } from '../../src/storage/batch-header.js';
import { StorageBudget } from '../../src/storage/budget.js';
import { ErrorCode, RivuletError } from '../../src/runtime/errors.js';
import { PartitionLog, type LogDeps } from '../../src/storage/log.js';
import { segmentFileName } from '../../src/storage/segment-file.js';
import { FaultyFileOps, makeBatch, removeDir, sameBytes, tempDir } from './log-helpers.js';

const dirs: string[] = [];
afterEach(() => {
  while (dirs.length > 0) removeDir(dirs.pop()!);
});
function newDir(): string {
  const d = tempDir();
  dirs.push(d);
  return d;
}

function catchErr(f: () => unknown): RivuletError {
  try {
    f();
  } catch (err) {
    expect(err).toBeInstanceOf(RivuletError);
    return err as RivuletError;
  }
  throw new Error('expected an error');
}

function snapshot(log: PartitionLog) {
  return { base: log.base, hw: log.hw, leo: log.leo, size: log.sizeBytes, segs: log.segmentCount };
}

const batch = (seed: number, records = 4, valueBytes = 50) => makeBatch({ records, valueBytes, seed });

describe('OUT_OF_SPACE from the storage budget', () => {
  it('rejects an append that does not fit, and accepts again once space is released', () => {
    const b = batch(1);
    const budget = new StorageBudget(b.byteLength * 3 + 10);
    const deps: LogDeps = { now: () => 0, budget };
    const log = PartitionLog.openMemory({}, deps);
    const other = PartitionLog.openMemory({}, deps);
    log.append(b);
    log.append(b);
    other.append(b);
    const before = snapshot(log);
    const err = catchErr(() => log.append(b));
    expect(err.code).toBe(ErrorCode.OUT_OF_SPACE);
    expect(err.retriable).toBe(true);
    expect(snapshot(log)).toEqual(before);
    expect(budget.usedBytes).toBe(b.byteLength * 3);
    expect(log.read(0).batches.length).toBe(2); // reads keep working
    other.truncateTo(0); // another log of the same SPU frees space
    expect(log.append(b).baseOffset).toBe(8);
    other.close();
    log.close();
    expect(budget.usedBytes).toBe(0);
  });

  it('accepts again after time retention removed old segments', () => {
    let now = 10_000;
    const b = makeBatch({ records: 4, valueBytes: 50, seed: 2, timestamp: 5_000 });
    const budget = new StorageBudget(b.byteLength * 4);
    const log = PartitionLog.openMemory({ segmentBytes: b.byteLength * 2, retentionMs: 60_000 }, { now: () => now, budget });
    for (let i = 0; i < 4; i++) log.append(b);
    expect(catchErr(() => log.append(b)).code).toBe(ErrorCode.OUT_OF_SPACE);
    log.setHighWatermark(log.leo);
    expect(log.enforceRetention().removedSegments).toBe(0); // not expired yet
    now = 5_000 + 60_001;
    expect(log.enforceRetention()).toEqual({ removedSegments: 1, base: 8 }); // the active one stays
    expect(log.append(b).baseOffset).toBe(16);
    log.close();
    expect(budget.usedBytes).toBe(0);
  });

  it('retention by maxPartitionBytes frees the budget', () => {
    const b = batch(3);
    const budget = new StorageBudget(b.byteLength * 4);
    const log = PartitionLog.openMemory({ segmentBytes: b.byteLength * 2, maxPartitionBytes: b.byteLength * 2 }, { now: () => 0, budget });
    for (let i = 0; i < 4; i++) log.append(b);
    expect(catchErr(() => log.append(b)).code).toBe(ErrorCode.OUT_OF_SPACE);
    log.setHighWatermark(log.leo);
    expect(log.enforceRetention()).toEqual({ removedSegments: 1, base: 8 });
    expect(budget.usedBytes).toBe(b.byteLength * 2);
    expect(log.append(b).baseOffset).toBe(16);
    log.close();
  });

  it('fill() makes every append fail until unfill()', () => {
    const budget = new StorageBudget();
    const log = PartitionLog.openMemory({}, { now: () => 0, budget });
    log.append(batch(4));
    budget.fill();
    expect(budget.full).toBe(true);
    expect(budget.freeBytes).toBe(0);
    const err = catchErr(() => log.append(batch(5)));
    expect(err.code).toBe(ErrorCode.OUT_OF_SPACE);
    expect(err.retriable).toBe(true);
    expect(log.read(0).batches.length).toBe(1);
    budget.unfill();
    expect(budget.full).toBe(false);
    expect(log.append(batch(5)).baseOffset).toBe(4);
    log.close();
  });

  it('recovered bytes are claimed even beyond capacity (then appends fail)', () => {
    const dir = newDir();
    const log = PartitionLog.openDisk(dir, {}, { now: () => 0, budget: new StorageBudget() });
    log.append(batch(6));
    log.close();
    const tiny = new StorageBudget(10);
    const again = PartitionLog.openDisk(dir, {}, { now: () => 0, budget: tiny });
    expect(tiny.usedBytes).toBe(again.sizeBytes);
    expect(tiny.full).toBe(true);
    expect(catchErr(() => again.append(batch(7))).code).toBe(ErrorCode.OUT_OF_SPACE);
    again.close();
    expect(tiny.usedBytes).toBe(0);
  });
});

describe('injected file faults (disk mode)', () => {
  function setup(fsyncAlways = false) {
    const dir = newDir();
    const ops = new FaultyFileOps();
    const budget = new StorageBudget();
    const log = PartitionLog.openDisk(dir, { segmentBytes: 2000, fsync: fsyncAlways ? 'always' : 'never' }, { now: () => 0, budget, fs: ops });
    return { dir, ops, budget, log };
  }

  for (const partialBytes of [0, 1, 30, 100]) {
    it(`ENOSPC after ${partialBytes} bytes → OUT_OF_SPACE, partial write cut, nothing corrupted`, () => {
      const { dir, ops, budget, log } = setup();
      const stored = [batch(10), batch(11)];
      for (const b of stored) log.append(b);
      const file = path.join(dir, segmentFileName(0));
      const before = snapshot(log);
      const sizeBefore = fs.statSync(file).size;
      ops.failNextWrite = { code: 'ENOSPC', partialBytes };
      const err = catchErr(() => log.append(batch(12)));
      expect(err.code).toBe(ErrorCode.OUT_OF_SPACE);
      expect(err.retriable).toBe(true);
      expect(snapshot(log)).toEqual(before);
      expect(budget.usedBytes).toBe(log.sizeBytes);
      expect(fs.statSync(file).size).toBe(sizeBefore);
      // space is back: the next append lands at the same offset
      const b3 = batch(13);
      expect(log.append(b3).baseOffset).toBe(before.leo);
      log.close();
      const again = PartitionLog.openDisk(dir, {}, { now: () => 0, budget: new StorageBudget() });
      expect(again.recoveryReport?.truncatedBytes).toBe(0);
      const got = again.read(0).batches;
      expect(got.length).toBe(3);
      expect(again.leo).toBe(12);
      again.close();
    });
  }

  it('EIO mid-write → STORAGE_ERROR (not retriable), nothing stored', () => {
    const { ops, log } = setup();
    log.append(batch(20));
    const before = snapshot(log);
    ops.failNextWrite = { code: 'EIO', partialBytes: 17 };
    const err = catchErr(() => log.append(batch(21)));
    expect(err.code).toBe(ErrorCode.STORAGE_ERROR);
    expect(err.retriable).toBe(false);
    expect(snapshot(log)).toEqual(before);
    expect(log.read(0).batches.length).toBe(1);
    log.close();
  });

  it('short writes are completed, not torn', () => {
    const { dir, ops, log } = setup(true);
    ops.shortWriteBytes = 7;
    const bs = [batch(30), batch(31, 9, 200)];
    for (const b of bs) log.append(b);
    log.close();
    const again = PartitionLog.openDisk(dir, {}, { now: () => 0, budget: new StorageBudget() });
    expect(again.leo).toBe(13);
    expect(again.recoveryReport?.truncatedBytes).toBe(0);
    again.close();
  });

  for (const match of [/\.log$/, /\.index\.tmp$/]) {
    it(`ENOSPC opening ${match.source} while rolling → OUT_OF_SPACE, log intact`, () => {
      const { dir, ops, budget, log } = setup();
      const big = batch(40, 10, 150);
      while (log.segmentCount === 1 && log.sizeBytes + big.byteLength <= 2000) log.append(big);
      const before = snapshot(log);
      ops.failNextOpen = { code: 'ENOSPC', match };
      expect(catchErr(() => log.append(big)).code).toBe(ErrorCode.OUT_OF_SPACE);
      expect(ops.failNextOpen).toBeNull();
      expect(snapshot(log)).toEqual(before);
      expect(budget.usedBytes).toBe(log.sizeBytes);
      expect(log.append(big).baseOffset).toBe(before.leo);
      expect(log.segmentCount).toBe(2);
      log.close();
      const again = PartitionLog.openDisk(dir, {}, { now: () => 0, budget: new StorageBudget() });
      expect(again.leo).toBe(before.leo + 10);
      again.close();
    });
  }
});

describe('offset, size and CRC errors', () => {
  it('OFFSET_OUT_OF_RANGE below BASE and above LEO', () => {
    const log = PartitionLog.openMemory({ segmentBytes: 300, maxPartitionBytes: 300 }, { now: () => 0, budget: new StorageBudget() });
    for (let i = 0; i < 10; i++) log.append(batch(i));
    log.setHighWatermark(log.leo);
    log.enforceRetention();
    expect(log.base).toBeGreaterThan(0);
    for (const off of [log.base - 1, 0, log.leo + 1]) {
      const err = catchErr(() => log.read(off));
      expect(err.code).toBe(ErrorCode.OFFSET_OUT_OF_RANGE);
      expect(err.retriable).toBe(false);
    }
    expect(log.read(log.leo)).toEqual({ batches: [], nextOffset: log.leo });
    log.close();
  });

  it('RECORD_TOO_LARGE over maxBatchBytes, nothing stored', () => {
    const budget = new StorageBudget();
    const log = PartitionLog.openMemory({ maxBatchBytes: 500 }, { now: () => 0, budget });
    const big = batch(1, 5, 200);
    expect(big.byteLength).toBeGreaterThan(500);
    for (const f of [() => log.append(big), () => log.appendReplicated(big)]) {
      const err = catchErr(f);
      expect(err.code).toBe(ErrorCode.RECORD_TOO_LARGE);
      expect(err.retriable).toBe(false);
    }
    expect([log.leo, log.sizeBytes, budget.usedBytes]).toEqual([0, 0, 0]);
    log.close();
  });

  for (const mode of ['memory', 'disk'] as const) {
    it(`CORRUPT_BATCH for a bad CRC and malformed input (${mode}); never stored`, () => {
      const budget = new StorageBudget();
      const log = mode === 'memory'
        ? PartitionLog.openMemory({}, { now: () => 0, budget })
        : PartitionLog.openDisk(newDir(), {}, { now: () => 0, budget });
      const good = batch(50);
      log.append(good);
      const flipped = good.slice();
      flipped[flipped.length - 3]! ^= 1;
      const badMagic = good.slice();
      badMagic[BatchLayout.magic] = 1;
      const trailing = new Uint8Array(good.byteLength + 5);
      trailing.set(good);
      const bads = [flipped, badMagic, good.subarray(0, good.byteLength - 1), good.subarray(0, 20), new Uint8Array(0), trailing];
      for (const bad of bads) {
        for (const f of [() => log.append(bad), () => log.appendReplicated(bad)]) {
          const err = catchErr(f);
          expect(err.code).toBe(ErrorCode.CORRUPT_BATCH);
          expect(err.retriable).toBe(false);
        }
      }
      expect(catchErr(() => log.appendReplicated(makeBatch({ records: 1, valueBytes: 1, baseOffset: 0 }))).code).toBe(ErrorCode.CORRUPT_BATCH);
      expect([log.leo, log.sizeBytes, budget.usedBytes]).toEqual([4, good.byteLength, good.byteLength]);
      const got = log.read(0).batches;
      expect(got.length).toBe(1);
      expect(sameBytes(got[0]!, good)).toBe(true);
      log.close();
    });
  }

  it('invalid configs are INVALID_CONFIG', () => {
    for (const cfg of [{ segmentBytes: 0 }, { retentionMs: -1 }, { maxPartitionBytes: 0.5 }, { indexIntervalBytes: 0 }, { maxBatchBytes: 10 }, { fsync: 'sometimes' as 'never' }]) {
      expect(catchErr(() => PartitionLog.openMemory(cfg, { now: () => 0, budget: new StorageBudget() })).code).toBe(ErrorCode.INVALID_CONFIG);
    }
  });
});
