/**
 * Consumer and producer behaviour through the embedded API on the simulator (exact and fast):
 * start offsets, following the log, whole batches with lazily decoded records, batching of sends
 * issued without awaiting, and isolation (read_committed stops at HW, read_uncommitted at LEO).
 */
import { describe, it, expect } from 'vitest';
import { Cluster, Offset, type PartitionConsumer } from '../../src/index.js';
import type { Message } from '../../src/runtime/actor.js';

const dec = new TextDecoder();

async function take(c: PartitionConsumer, n: number): Promise<string[]> {
  const out: string[] = [];
  if (n === 0) return out;
  for await (const r of c) {
    out.push(dec.decode(r.value));
    if (out.length === n) break;
  }
  return out;
}

describe('consumer offsets and batching (sim)', () => {
  it('starts where asked, follows new records, and batches un-awaited sends', async () => {
    const c = await Cluster.start({ spus: 1, simulation: { seed: 3 } });
    try {
      await c.admin.createTopic('o', { partitions: 1 });
      const p = await c.producer('o', { acks: 1 });
      const sends = Array.from({ length: 1000 }, (_, i) => p.send(null, `r${i}`));
      await p.flush();
      expect((await Promise.all(sends)).map((m) => m.offset)).toEqual(sends.map((_, i) => i));

      // 1,000 sends issued without awaiting travel as a few record batches, not 1,000.
      const batches = (await c.consumer('o', { offset: Offset.beginning() })).batches();
      let records = 0;
      let count = 0;
      for await (const b of batches) {
        count++;
        records += b.records.length;
        if (records === 1000) break;
      }
      expect(count).toBeLessThanOrEqual(5);

      expect(await take(await c.consumer('o', { offset: Offset.absolute(998) }), 2)).toEqual(['r998', 'r999']);
      expect(await take(await c.consumer('o', { offset: Offset.fromEnd(3) }), 3)).toEqual(['r997', 'r998', 'r999']);
      expect(await take(await c.consumer('o', { offset: Offset.fromBeginning(10) }), 1)).toEqual(['r10']);
      // Offset.end(): only what comes after.
      const tail = await c.consumer('o', { offset: Offset.end() });
      const next = tail[Symbol.asyncIterator]().next();
      await p.send(null, 'late');
      expect(dec.decode((await next).value.value)).toBe('late');

      // Lazy batches: decoding happens on first access to .records, from the batch's own bytes.
      const lazy = await (await c.consumer('o', { offset: Offset.absolute(500) })).batches().next();
      const b = lazy.value!;
      expect(b.baseOffset).toBeLessThanOrEqual(500);
      expect(b.records[0]!.offset).toBe(500); // records before the start offset are skipped
      expect(b.sizeBytes).toBe(b.bytes.length);
    } finally {
      await c.shutdown();
    }
  });

  it('read_committed stops at HW while read_uncommitted reads up to LEO (RF=3, slow followers)', async () => {
    let slow = false;
    const c = await Cluster.start({
      spus: 3,
      simulation: {
        seed: 4,
        // Follower fetches take 3 s while `slow` is on: HW stays behind the leader's LEO.
        network: (_from: string, _to: string, msg: Message) => (slow && msg.type === 'ReplicaFetch' ? { extraDelayMs: 3_000 } : {}),
      },
    });
    try {
      await c.admin.createTopic('iso', { partitions: 1, replicationFactor: 3 });
      const p = await c.producer('iso', { acks: 1 });
      await p.send(null, 'committed');
      await c.transport.sleep(1_500); // followers catch up: HW covers 'committed'
      slow = true;
      await c.transport.sleep(1_000); // let in-flight fetches drain so the next ones are slow
      await p.send(null, 'uncommitted');
      const part = (await c.admin.listPartitions())[0]!;
      expect([part.hw, part.leo]).toEqual([1, 2]);
      expect(await take(await c.consumer('iso', { offset: Offset.beginning(), isolation: 'read_uncommitted' }), 2)).toEqual(['committed', 'uncommitted']);
      const committed = await c.consumer('iso', { offset: Offset.beginning() });
      const it = committed.batches();
      expect((await it.next()).value!.records.map((r) => dec.decode(r.value))).toEqual(['committed']);
      slow = false;
      // Once followers fetch again, HW reaches LEO and the committed reader sees the record.
      expect((await it.next()).value!.records.map((r) => dec.decode(r.value))).toEqual(['uncommitted']);
    } finally {
      await c.shutdown();
    }
  });
});
