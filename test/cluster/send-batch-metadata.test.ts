/**
 * `sendBatch(records, { metadata: false })` (the allocation-free form, test/cluster/allocation):
 * resolves with undefined once every record is acknowledged — the records are stored exactly as
 * with metadata, in order — and rejects with the first failure just the same; bad options are
 * refused (INVALID_ARGUMENT) before any record is queued. ProducerClock: a record's timestamp is
 * read fresh at the first record of each event-loop turn (a producer idle for a while does not
 * stamp old times), at most once per 256 records within a turn.
 */
import { describe, it, expect } from 'vitest';
import { Cluster, ErrorCode, Offset, RivuletError } from '../../src/index.js';
import { ProducerClock } from '../../src/cluster/producer-clock.js';

const dec = new TextDecoder();

describe('sendBatch without metadata', () => {
  it('stores the same records, resolves with undefined, refuses bad options before queueing anything', async () => {
    const c = await Cluster.start({ spus: 1, simulation: { seed: 16 } });
    try {
      await c.admin.createTopic('m', { partitions: 2 });
      const p = await c.producer('m', { acks: 1 });
      const withMeta = await p.sendBatch(Array.from({ length: 100 }, (_, i) => ({ value: `a${i}`, partition: i % 2 })));
      expect(withMeta.map((m) => m.offset)).toEqual(Array.from({ length: 100 }, (_, i) => Math.floor(i / 2)));
      expect(await p.sendBatch(Array.from({ length: 100 }, (_, i) => ({ value: `b${i}`, partition: i % 2 })), { metadata: false })).toBeUndefined();
      for (const bad of [null, 5, 'no', [], { metadata: 'yes' }, { metadata: false, extra: 1 }]) {
        const err = await p.sendBatch([{ value: 'never' }], bad as never).catch((e: unknown) => e);
        expect(err).toBeInstanceOf(RivuletError);
        expect((err as RivuletError).code).toBe(ErrorCode.INVALID_ARGUMENT);
      }
      // A bad record is refused alone, as with metadata: the call rejects, the others are stored.
      const err = await p.sendBatch([{ value: 'c0', partition: 0 }, { value: 7 as never }, { value: 'c1', partition: 0 }], { metadata: false }).catch((e: unknown) => e);
      expect((err as RivuletError).code).toBe(ErrorCode.INVALID_ARGUMENT);
      await p.flush();
      const consumer = await c.consumer('m', { partition: 0, offset: Offset.beginning() });
      const seen: string[] = [];
      for await (const r of consumer) {
        seen.push(dec.decode(r.value));
        if (seen.length === 102) break;
      }
      const evens = (prefix: string) => Array.from({ length: 50 }, (_, i) => `${prefix}${2 * i}`);
      expect(seen).toEqual([...evens('a'), ...evens('b'), 'c0', 'c1']);
    } finally {
      await c.shutdown();
    }
  });
});

describe('ProducerClock', () => {
  it('reads the clock at the first record of each turn and every 256 records within one', async () => {
    let now = 1_000;
    let reads = 0;
    const clock = new ProducerClock(() => {
      reads++;
      return now;
    });
    clock.tick();
    expect([reads, clock.cell[0]]).toEqual([1, 1_000]);
    now = 2_000;
    for (let i = 1; i < 256; i++) clock.tick();
    expect([reads, clock.cell[0]]).toEqual([1, 1_000]); // the same turn, fewer than 256 records
    clock.tick();
    expect([reads, clock.cell[0]]).toEqual([2, 2_000]); // the 256th
    now = 3_000;
    await new Promise((r) => setImmediate(r)); // a later turn of the event loop
    clock.tick();
    expect([reads, clock.cell[0]]).toEqual([3, 3_000]);
  });
});
