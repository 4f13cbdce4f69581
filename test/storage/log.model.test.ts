/**
 * Model-based property test of PartitionLog: random command sequences run against the real log
 * (memory and disk mode) and a simple model (segments as arrays of batches). After every command
 * BASE/HW/LEO/sizeBytes/segments must match, and reads must return exactly the model's batches.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  batchLastOffset,
  batchLeaderEpoch,
  batchMaxTimestamp,
  setBatchBaseOffset,
  setBatchLeaderEpoch,
  batchBaseOffset,
} from '../../src/storage/batch-header.js';
import { StorageBudget } from '../../src/storage/budget.js';
import { ErrorCode, RivuletError } from '../../src/runtime/errors.js';
import { PartitionLog, type LogConfig } from '../../src/storage/log.js';
import { makeBatch, removeDir, sameBytes, tempDir } from './log-helpers.js';

interface MSeg {
  base: number;
  batches: Uint8Array[];
}

/** The model: what the log must look like. */
class Model {
  segs: MSeg[] = [{ base: 0, batches: [] }];
  hw = 0;
  now = 1_000_000;
  constructor(readonly cfg: LogConfig) {}

  get base(): number {
    return this.segs[0]!.base;
  }
  next(s: MSeg): number {
    const last = s.batches[s.batches.length - 1];
    return last === undefined ? s.base : batchLastOffset(last) + 1;
  }
  get leo(): number {
    return this.next(this.segs[this.segs.length - 1]!);
  }
  size(s: MSeg): number {
    return s.batches.reduce((a, b) => a + b.byteLength, 0);
  }
  get sizeBytes(): number {
    return this.segs.reduce((a, s) => a + this.size(s), 0);
  }
  maxTs(s: MSeg): number {
    return s.batches.reduce((a, b) => Math.max(a, batchMaxTimestamp(b)), -1);
  }
  all(): Uint8Array[] {
    return this.segs.flatMap((s) => s.batches);
  }
  append(stored: Uint8Array): void {
    const active = this.segs[this.segs.length - 1]!;
    if (active.batches.length > 0 && this.size(active) + stored.byteLength > this.cfg.segmentBytes) {
      this.segs.push({ base: this.leo, batches: [stored] });
    } else {
      active.batches.push(stored);
    }
  }
  read(from: number, maxOffset: number, maxBytes: number): { batches: Uint8Array[]; nextOffset: number } {
    const out: Uint8Array[] = [];
    let next = from;
    let bytes = 0;
    for (const b of this.all()) {
      const last = batchLastOffset(b);
      if (last < from) continue;
      if (last >= maxOffset) break;
      if (out.length > 0 && bytes + b.byteLength > maxBytes) break;
      out.push(b);
      bytes += b.byteLength;
      next = last + 1;
    }
    return { batches: out, nextOffset: next };
  }
  truncateTo(offset: number): void {
    if (offset >= this.leo) return;
    if (offset < this.base) {
      this.segs = [{ base: offset, batches: [] }];
    } else {
      let i = this.segs.length - 1;
      while (this.segs[i]!.base > offset) i--;
      this.segs.length = i + 1;
      const s = this.segs[i]!;
      s.batches = s.batches.filter((b) => batchLastOffset(b) < offset);
    }
    this.hw = Math.max(Math.min(this.hw, this.leo), this.base);
  }
  retention(): number {
    let removed = 0;
    while (this.segs.length > 1) {
      const s = this.segs[0]!;
      if (this.next(s) > this.hw) break;
      const expired = this.cfg.retentionMs !== Infinity && this.maxTs(s) < this.now - this.cfg.retentionMs;
      if (!expired && !(this.sizeBytes > this.cfg.maxPartitionBytes)) break;
      this.segs.shift();
      removed++;
    }
    return removed;
  }
  /** What disk recovery does: empty segments go, unless all are empty (keep the last). */
  reopen(): void {
    if (this.segs.every((s) => s.batches.length === 0)) this.segs = [this.segs[this.segs.length - 1]!];
    else this.segs = this.segs.filter((s) => s.batches.length > 0);
  }
  lastOffsetForEpoch(epoch: number): number {
    for (const b of this.all()) if (batchLeaderEpoch(b) > epoch) return batchBaseOffset(b);
    return this.leo;
  }
  latestEpoch(): number {
    const all = this.all();
    const last = all[all.length - 1];
    return last === undefined ? 0 : batchLeaderEpoch(last);
  }
}

type Cmd =
  | { t: 'append'; records: number; valueBytes: number; ageMs: number; bump: number; viaOpts: boolean; seed: number }
  | { t: 'replicate'; records: number; valueBytes: number; ageMs: number; wrongBase: boolean; seed: number }
  | { t: 'read'; from: number; maxOffset: number | null; maxBytes: number | null }
  | { t: 'hw'; frac: number }
  | { t: 'time'; ms: number }
  | { t: 'retention' }
  | { t: 'truncate'; frac: number; below: boolean }
  | { t: 'epoch'; epoch: number }
  | { t: 'reopen' };

const cmdArb: fc.Arbitrary<Cmd> = fc.oneof(
  { weight: 8, arbitrary: fc.record({ t: fc.constant('append' as const), records: fc.integer({ min: 1, max: 12 }), valueBytes: fc.integer({ min: 0, max: 120 }), ageMs: fc.integer({ min: 0, max: 30_000 }), bump: fc.integer({ min: 0, max: 1 }), viaOpts: fc.boolean(), seed: fc.nat() }) },
  { weight: 2, arbitrary: fc.record({ t: fc.constant('replicate' as const), records: fc.integer({ min: 1, max: 6 }), valueBytes: fc.integer({ min: 0, max: 80 }), ageMs: fc.integer({ min: 0, max: 30_000 }), wrongBase: fc.boolean(), seed: fc.nat() }) },
  { weight: 4, arbitrary: fc.record({ t: fc.constant('read' as const), from: fc.integer({ min: -3, max: 200 }), maxOffset: fc.option(fc.integer({ min: 0, max: 200 })), maxBytes: fc.option(fc.integer({ min: 0, max: 3000 })) }) },
  { weight: 4, arbitrary: fc.record({ t: fc.constant('hw' as const), frac: fc.oneof(fc.constant(1), fc.double({ min: 0, max: 1, noNaN: true })) }) },
  { weight: 2, arbitrary: fc.record({ t: fc.constant('time' as const), ms: fc.integer({ min: 0, max: 20_000 }) }) },
  { weight: 3, arbitrary: fc.constant({ t: 'retention' as const }) },
  { weight: 1, arbitrary: fc.record({ t: fc.constant('truncate' as const), frac: fc.double({ min: 0, max: 1, noNaN: true }), below: fc.boolean() }) },
  { weight: 1, arbitrary: fc.record({ t: fc.constant('epoch' as const), epoch: fc.integer({ min: -1, max: 8 }) }) },
  { weight: 1, arbitrary: fc.constant({ t: 'reopen' as const }) },
);

const cfgArb = fc.record({
  segmentBytes: fc.integer({ min: 150, max: 2500 }),
  retentionMs: fc.oneof(fc.constant(Infinity), fc.integer({ min: 1_000, max: 40_000 })),
  maxPartitionBytes: fc.oneof(fc.constant(Infinity), fc.integer({ min: 300, max: 6_000 })),
  indexIntervalBytes: fc.integer({ min: 1, max: 600 }),
});

function expectCode(f: () => unknown, code: string): void {
  try {
    f();
  } catch (err) {
    expect(err).toBeInstanceOf(RivuletError);
    expect((err as RivuletError).code).toBe(code);
    return;
  }
  throw new Error(`expected ${code}`);
}

function checkState(log: PartitionLog, m: Model): void {
  expect(log.base).toBe(m.base);
  expect(log.leo).toBe(m.leo);
  expect(log.hw).toBe(m.hw);
  expect(log.sizeBytes).toBe(m.sizeBytes);
  expect(log.segments()).toEqual(m.segs.map((s) => ({ baseOffset: s.base, sizeBytes: m.size(s), maxTimestamp: m.maxTs(s) })));
  const all = log.read(log.base, { maxBytes: 1 << 30 });
  const want = m.all();
  expect(all.batches.length).toBe(want.length);
  all.batches.forEach((b, i) => expect(sameBytes(b, want[i]!)).toBe(true));
}

function runSequence(mode: 'memory' | 'disk', cfgPart: Omit<LogConfig, 'fsync' | 'maxBatchBytes'>, cmds: Cmd[]): void {
  const cfg: LogConfig = { ...cfgPart, fsync: 'never', maxBatchBytes: 1 << 20 };
  const m = new Model(cfg);
  const budget = new StorageBudget();
  const deps = { now: () => m.now, budget };
  const dir = mode === 'disk' ? tempDir() : '';
  const open = (): PartitionLog => (mode === 'disk' ? PartitionLog.openDisk(dir, cfg, deps) : PartitionLog.openMemory(cfg, deps));
  let log = open();
  try {
    for (const c of cmds) {
      switch (c.t) {
        case 'append': {
          const epoch = m.latestEpoch() + c.bump;
          const batch = makeBatch({ records: c.records, valueBytes: c.valueBytes, seed: c.seed, timestamp: m.now - c.ageMs, baseOffset: 777, epoch: c.viaOpts ? 99 : epoch });
          const r = log.append(batch, c.viaOpts ? { leaderEpoch: epoch } : {});
          const stored = batch.slice();
          setBatchBaseOffset(stored, m.leo);
          setBatchLeaderEpoch(stored, epoch);
          expect(r).toEqual({ baseOffset: m.leo, lastOffset: m.leo + c.records - 1 });
          m.append(stored);
          break;
        }
        case 'replicate': {
          const base = c.wrongBase ? m.leo + 1 : m.leo;
          const batch = makeBatch({ records: c.records, valueBytes: c.valueBytes, seed: c.seed, timestamp: m.now - c.ageMs, baseOffset: base, epoch: m.latestEpoch() });
          if (c.wrongBase) {
            expectCode(() => log.appendReplicated(batch), ErrorCode.CORRUPT_BATCH);
          } else {
            expect(log.appendReplicated(batch)).toEqual({ baseOffset: base, lastOffset: base + c.records - 1 });
            m.append(batch.slice());
          }
          break;
        }
        case 'read': {
          const from = m.base + c.from;
          const opts = { ...(c.maxOffset !== null ? { maxOffset: m.base + c.maxOffset } : {}), ...(c.maxBytes !== null ? { maxBytes: c.maxBytes } : {}) };
          if (from < m.base || from > m.leo) {
            expectCode(() => log.read(from, opts), ErrorCode.OFFSET_OUT_OF_RANGE);
          } else {
            const got = log.read(from, opts);
            const want = m.read(from, Math.min(opts.maxOffset ?? m.leo, m.leo), opts.maxBytes ?? 1024 * 1024);
            expect(got.nextOffset).toBe(want.nextOffset);
            expect(got.batches.length).toBe(want.batches.length);
            got.batches.forEach((b, i) => expect(sameBytes(b, want.batches[i]!)).toBe(true));
          }
          break;
        }
        case 'hw': {
          const hw = m.base + Math.floor(c.frac * (m.leo - m.base + 1));
          log.setHighWatermark(Math.min(hw, m.leo));
          m.hw = Math.min(hw, m.leo);
          break;
        }
        case 'time':
          m.now += c.ms;
          break;
        case 'retention': {
          const removed = m.retention();
          expect(log.enforceRetention()).toEqual({ removedSegments: removed, base: m.base });
          break;
        }
        case 'truncate': {
          const offset = c.below && m.base > 0 ? Math.floor(c.frac * m.base) : m.base + Math.floor(c.frac * (m.leo - m.base + 1));
          log.truncateTo(offset);
          m.truncateTo(offset);
          break;
        }
        case 'epoch':
          expect(log.lastOffsetForEpoch(c.epoch)).toBe(m.lastOffsetForEpoch(c.epoch));
          break;
        case 'reopen':
          if (mode === 'disk') {
            log.close();
            expect(budget.usedBytes).toBe(0);
            log = open();
            m.reopen();
          }
          break;
      }
      checkState(log, m);
      expect(budget.usedBytes).toBe(m.sizeBytes);
    }
  } finally {
    log.close();
    if (mode === 'disk') removeDir(dir);
  }
}

describe('PartitionLog model', () => {
  it('memory mode matches the model', () => {
    fc.assert(fc.property(cfgArb, fc.array(cmdArb, { minLength: 5, maxLength: 80, size: 'max' }), (cfg, cmds) => runSequence('memory', cfg, cmds)), { numRuns: 150, seed: 0x5eed01 });
  });

  it('disk mode matches the model (including close/reopen)', () => {
    fc.assert(fc.property(cfgArb, fc.array(cmdArb, { minLength: 5, maxLength: 50, size: 'max' }), (cfg, cmds) => runSequence('disk', cfg, cmds)), { numRuns: 60, seed: 0x5eed02 });
  });

  it('rolls segments and removes the oldest by size, never the active one', () => {
    const budget = new StorageBudget();
    const log = PartitionLog.openMemory({ segmentBytes: 1000, maxPartitionBytes: 2500 }, { now: () => 0, budget });
    for (let i = 0; i < 40; i++) log.append(makeBatch({ records: 2, valueBytes: 100, seed: i }));
    expect(log.segmentCount).toBeGreaterThan(3);
    log.enforceRetention();
    expect(log.base).toBe(0); // nothing committed yet: retention keeps everything above HW
    log.setHighWatermark(log.leo);
    const r = log.enforceRetention();
    expect(r.removedSegments).toBeGreaterThan(0);
    expect(r.base).toBe(log.base);
    expect(log.sizeBytes).toBeLessThanOrEqual(2500);
    expect(log.segmentCount).toBeGreaterThanOrEqual(1);
    expectCode(() => log.read(log.base - 1), ErrorCode.OFFSET_OUT_OF_RANGE);
    expect(log.read(log.base).batches.length).toBeGreaterThan(0);
    log.close();
    expect(budget.usedBytes).toBe(0);
  });

  it('bytes returned by read never change, even after truncation and new appends', () => {
    const log = PartitionLog.openMemory({ segmentBytes: 1 << 20 }, { now: () => 0, budget: new StorageBudget() });
    for (let i = 0; i < 5; i++) log.append(makeBatch({ records: 2, valueBytes: 30, seed: i }));
    const held = log.read(0).batches;
    const copies = held.map((b) => b.slice());
    log.truncateTo(2);
    for (let i = 0; i < 5; i++) log.append(makeBatch({ records: 3, valueBytes: 31, seed: 100 + i }));
    held.forEach((b, i) => expect(sameBytes(b, copies[i]!)).toBe(true));
    expect(log.leo).toBe(17);
    log.close();
  });

  it('reports the tail to a TailSink', () => {
    const calls: string[] = [];
    const sink = {
      append: (b: Uint8Array) => calls.push(`append ${batchBaseOffset(b)}`),
      truncate: (leo: number) => calls.push(`truncate ${leo}`),
      publish: (o: { base: number; hw: number; leo: number }) => calls.push(`publish ${o.base} ${o.hw} ${o.leo}`),
    };
    const log = PartitionLog.openMemory({}, { now: () => 0, budget: new StorageBudget(), sink });
    log.append(makeBatch({ records: 2, valueBytes: 1 }));
    log.append(makeBatch({ records: 3, valueBytes: 1 }));
    log.setHighWatermark(2);
    log.truncateTo(1);
    expect(calls).toEqual(['append 0', 'publish 0 0 2', 'append 2', 'publish 0 0 5', 'publish 0 2 5', 'truncate 0', 'publish 0 0 0']);
    log.close();
  });

  it('leader epochs: lastOffsetForEpoch follows Kafka OffsetsForLeaderEpoch', () => {
    const log = PartitionLog.openMemory({}, { now: () => 0, budget: new StorageBudget() });
    const add = (n: number, epoch: number) => log.append(makeBatch({ records: n, valueBytes: 1 }), { leaderEpoch: epoch });
    add(3, 1); // 0..2
    add(2, 1); // 3..4
    add(4, 3); // 5..8
    add(1, 4); // 9
    expect(log.epochEntries()).toEqual([{ epoch: 1, startOffset: 0 }, { epoch: 3, startOffset: 5 }, { epoch: 4, startOffset: 9 }]);
    expect(log.lastOffsetForEpoch(0)).toBe(0);
    expect(log.lastOffsetForEpoch(1)).toBe(5);
    expect(log.lastOffsetForEpoch(2)).toBe(5);
    expect(log.lastOffsetForEpoch(3)).toBe(9);
    expect(log.lastOffsetForEpoch(4)).toBe(10);
    expect(log.lastOffsetForEpoch(9)).toBe(10);
    log.truncateTo(log.lastOffsetForEpoch(2)); // a follower of a new leader that never saw epoch 3
    expect(log.leo).toBe(5);
    expect(log.lastOffsetForEpoch(2)).toBe(5);
    expect(log.epochEntries()).toEqual([{ epoch: 1, startOffset: 0 }]);
    log.close();
  });

  it('HW: above LEO is a broken invariant, below BASE is raised to BASE', () => {
    const log = PartitionLog.openMemory({ segmentBytes: 100, maxPartitionBytes: 100 }, { now: () => 0, budget: new StorageBudget() });
    for (let i = 0; i < 4; i++) log.append(makeBatch({ records: 1, valueBytes: 60, seed: i }));
    expect(() => log.setHighWatermark(log.leo + 1)).toThrow(/assertion failed/);
    log.setHighWatermark(4);
    log.enforceRetention();
    expect(log.base).toBe(3);
    log.setHighWatermark(1);
    expect(log.hw).toBe(3);
    log.close();
  });

  it('truncateTo below BASE restarts an empty log at that offset', () => {
    for (const mode of ['memory', 'disk'] as const) {
      const dir = tempDir();
      const budget = new StorageBudget();
      const deps = { now: () => 0, budget };
      const open = () => (mode === 'memory' ? PartitionLog.openMemory({ segmentBytes: 100, maxPartitionBytes: 100 }, deps) : PartitionLog.openDisk(dir, { segmentBytes: 100, maxPartitionBytes: 100 }, deps));
      const log = open();
      for (let i = 0; i < 6; i++) log.append(makeBatch({ records: 2, valueBytes: 60, seed: i }));
      log.setHighWatermark(log.leo);
      log.enforceRetention();
      expect(log.base).toBe(10);
      log.truncateTo(4);
      expect([log.base, log.hw, log.leo, log.sizeBytes, budget.usedBytes]).toEqual([4, 4, 4, 0, 0]);
      expect(log.append(makeBatch({ records: 2, valueBytes: 1 })).baseOffset).toBe(4);
      log.close();
      if (mode === 'disk') {
        const again = open();
        expect([again.base, again.leo]).toEqual([4, 6]);
        again.destroy();
        expect(budget.usedBytes).toBe(0);
      }
      removeDir(dir);
    }
  });
});
