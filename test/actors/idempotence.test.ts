/**
 * Idempotent produce, unit level (DESIGN §5): the SC's producer ids are unique across SC restarts
 * (reserved in persisted blocks); the leader's producer window answers a retried batch with its
 * first offsets, refuses gaps (OUT_OF_ORDER_SEQUENCE) and older epochs (INVALID_PRODUCER_EPOCH),
 * accepts a new epoch or an unknown producer only from sequence 0, keeps ≥ 5 batches per producer,
 * and is rebuilt from the log's tail batch headers.
 */
import { describe, it, expect } from 'vitest';
import { PartitionLog, StorageBudget, encodeBatch } from '../../src/storage/index.js';
import { ErrorCode } from '../../src/runtime/errors.js';
import { PRODUCER_WINDOW, ProducerWindows, producerStamp } from '../../actors/replica/producer-state.js';
import { PRODUCER_ID_BLOCK } from '../../actors/sc/producer-ids.js';
import type { ProducerIdGrant } from '../../actors/messages.js';
import { admin, startSc } from './sc-harness.js';

const enc = new TextEncoder();
const batch = (n: number, producerId: number, producerEpoch: number, baseSequence: number) =>
  encodeBatch(Array.from({ length: n }, (_, i) => ({ value: enc.encode(`r${baseSequence + i}`) })), { timestamp: 1, producerId, producerEpoch, baseSequence });
const newLog = () => PartitionLog.openMemory({}, { now: () => 0, budget: new StorageBudget() });

/** Check, and append when the window says so (as the leader does). */
function produce(w: ProducerWindows, log: PartitionLog, b: Uint8Array) {
  const v = w.check(b);
  if (v.kind !== 'append') return v;
  const r = log.append(b, { leaderEpoch: 0 });
  w.appended(b, r.baseOffset, r.lastOffset);
  return { kind: 'stored' as const, ...r };
}

describe('SC producer ids', () => {
  it('grants distinct ids at epoch 0, and a restarted SC never grants one again', () => {
    const d = startSc([1]);
    const grant = (sc = d) => admin(sc, { op: 'initProducerId' }).result as ProducerIdGrant;
    const first = [grant(), grant(), grant()];
    expect(first.map((g) => g.producerEpoch)).toEqual([0, 0, 0]);
    expect(new Set(first.map((g) => g.producerId)).size).toBe(3);
    const again = startSc([1], d.ctx.storage);
    const later = Array.from({ length: PRODUCER_ID_BLOCK + 5 }, () => grant(again)); // crosses a block
    const ids = [...first, ...later].map((g) => g.producerId);
    expect(new Set(ids).size).toBe(ids.length);
    expect(Math.min(...later.map((g) => g.producerId))).toBeGreaterThan(Math.max(...first.map((g) => g.producerId)));
    const third = startSc([1], again.ctx.storage);
    expect(ids).not.toContain(grant(third).producerId);
  });
});

describe('leader producer window', () => {
  it('reads the stamp; plain batches pass untouched', () => {
    expect(producerStamp(batch(3, 7, 2, 10))).toEqual({ producerId: 7, epoch: 2, firstSeq: 10, lastSeq: 12 });
    expect(producerStamp(encodeBatch([{ value: enc.encode('x') }]))).toBeNull();
    const w = new ProducerWindows('t/0');
    expect(w.check(encodeBatch([{ value: enc.encode('x') }]))).toEqual({ kind: 'append' });
  });

  it('answers a retry within the window with its first offsets, never storing it twice', () => {
    const w = new ProducerWindows('t/0');
    const log = newLog();
    const sent: Uint8Array[] = [];
    for (let i = 0; i < 6; i++) {
      const b = batch(4, 1, 0, i * 4);
      sent.push(b);
      expect(produce(w, log, b)).toMatchObject({ kind: 'stored', baseOffset: i * 4 });
    }
    for (const [i, b] of sent.entries()) expect(w.check(b)).toEqual({ kind: 'duplicate', baseOffset: i * 4, lastOffset: i * 4 + 3 });
    expect(log.leo).toBe(24);
  });

  it('keeps at least 5 batches per producer; one that left the window is refused, not stored', () => {
    expect(PRODUCER_WINDOW.batches).toBeGreaterThanOrEqual(5);
    const w = new ProducerWindows('t/0');
    const log = newLog();
    const first = batch(1, 1, 0, 0);
    produce(w, log, first);
    for (let i = 1; i <= PRODUCER_WINDOW.batches; i++) produce(w, log, batch(1, 1, 0, i));
    const v = w.check(first);
    expect(v.kind).toBe('refuse');
    expect(log.leo).toBe(PRODUCER_WINDOW.batches + 1);
  });

  it('refuses a gap with OUT_OF_ORDER_SEQUENCE and an older epoch with INVALID_PRODUCER_EPOCH', () => {
    const w = new ProducerWindows('t/0');
    const log = newLog();
    produce(w, log, batch(2, 1, 0, 0));
    const gap = w.check(batch(2, 1, 0, 5));
    expect(gap.kind === 'refuse' && gap.error.code).toBe(ErrorCode.OUT_OF_ORDER_SEQUENCE);
    expect(produce(w, log, batch(1, 1, 1, 0)).kind).toBe('stored'); // a new epoch from 0
    const old = w.check(batch(1, 1, 0, 2));
    expect(old.kind === 'refuse' && old.error.code).toBe(ErrorCode.INVALID_PRODUCER_EPOCH);
    const newEpochNotZero = w.check(batch(1, 1, 2, 9));
    expect(newEpochNotZero.kind === 'refuse' && newEpochNotZero.error.code).toBe(ErrorCode.OUT_OF_ORDER_SEQUENCE);
    const unknown = w.check(batch(1, 99, 0, 4));
    expect(unknown.kind === 'refuse' && unknown.error.code).toBe(ErrorCode.OUT_OF_ORDER_SEQUENCE);
    expect(w.check(batch(1, 99, 0, 0))).toEqual({ kind: 'append' });
  });

  it('follows the int32 sequence wrap, as Kafka', () => {
    const w = new ProducerWindows('t/0');
    const log = newLog();
    produce(w, log, batch(1, 1, 0, 0));
    produce(w, log, batch(1, 1, 0, 1));
    // Pretend the producer's sequence reached the top: store a batch ending at 2^31 - 1 in a new epoch.
    produce(w, log, batch(1, 1, 1, 0));
    const top = batch(2, 1, 1, 1);
    produce(w, log, top);
    expect(producerStamp(batch(3, 1, 1, 2 ** 31 - 2))!.lastSeq).toBe(0);
  });

  it('is rebuilt from the log tail: a new leader answers retries of batches the old one stored', () => {
    const log = newLog();
    const old = new ProducerWindows('t/0');
    const sent = Array.from({ length: 5 }, (_, i) => batch(3, 42, 0, i * 3));
    for (const b of sent) produce(old, log, b);
    produce(old, log, encodeBatch([{ value: enc.encode('plain') }]));
    const fresh = new ProducerWindows('t/0');
    fresh.rebuild(log);
    expect(fresh.size).toBe(1);
    expect(fresh.check(sent[4]!)).toEqual({ kind: 'duplicate', baseOffset: 12, lastOffset: 14 });
    expect(fresh.check(batch(3, 42, 0, 15))).toEqual({ kind: 'append' });
  });

  it('forgets the least recently used producer beyond its bound', () => {
    const w = new ProducerWindows('t/0');
    const log = newLog();
    for (let id = 0; id <= PRODUCER_WINDOW.producers; id++) {
      const b = batch(1, id, 0, 0);
      w.appended(b, id, id);
    }
    expect(w.size).toBe(PRODUCER_WINDOW.producers);
    expect(w.check(batch(1, 0, 0, 1)).kind).toBe('refuse'); // producer 0 is unknown again
    expect(log.leo).toBe(0);
  });
});
