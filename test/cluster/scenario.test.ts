/**
 * The same scenario — create a topic, produce 10,000 records, consume them — on the thread host in
 * both placements, on the sim host, and from a `connect()` client through the Kafka listener:
 * identical records, offsets and final partition status; on
 * the sim host the same seed gives the same event-trace hash twice.
 */
import { describe, it, expect } from 'vitest';
import { Cluster, Offset, connect, type ClusterOptions } from '../../src/index.js';

const RECORDS = 10_000;
const PARTITIONS = 3;
const dec = new TextDecoder();

/** `remote`: the same calls from a `connect()` client through the cluster's Kafka listener. */
async function scenario(opts: ClusterOptions, remote = false) {
  const embedded = await Cluster.start({ spus: 1, ...opts });
  let cluster = embedded;
  try {
    if (remote) {
      const l = await embedded.listen({ port: 0 });
      cluster = await connect({ brokers: [`${l.host}:${l.port}`] });
    }
    await cluster.admin.createTopic('orders', { partitions: PARTITIONS });
    const producer = await cluster.producer('orders', { acks: 'all' });
    const sends = [];
    for (let i = 0; i < RECORDS; i++) {
      // Explicit timestamps: the bytes (and so sizes) are then the same on every host.
      sends.push(producer.send(`key-${i}`, `value-${i}-${'x'.repeat(i % 50)}`, { timestamp: 1_700_000_000_000 + i }));
    }
    await producer.flush();
    const acks = await Promise.all(sends);
    const consumed: { partition: number; offset: number; key: string; value: string; timestamp: number }[] = [];
    for (let p = 0; p < PARTITIONS; p++) {
      const want = acks.filter((a) => a.partition === p).length;
      const consumer = await cluster.consumer('orders', { partition: p, offset: Offset.beginning() });
      let n = 0;
      if (want > 0) {
        for await (const r of consumer) {
          consumed.push({ partition: p, offset: r.offset, key: dec.decode(r.key!), value: dec.decode(r.value), timestamp: r.timestamp });
          if (++n >= want) break;
        }
      }
    }
    const partitions = await cluster.admin.listPartitions();
    const trace = cluster.simulator ? { hash: cluster.simulator.trace.hex(), events: cluster.simulator.trace.events } : undefined;
    return { acks, consumed, partitions, trace };
  } finally {
    if (cluster !== embedded) await cluster.close();
    await embedded.shutdown();
  }
}

describe('one scenario on three hosts', () => {
  it('gives identical records, offsets and partition status on threads(spu), threads(replica), sim and connect()', async () => {
    const spu = await scenario({ threads: 'spu' });
    const replica = await scenario({ threads: 'replica' });
    const sim = await scenario({ simulation: { seed: 42 } });
    const remote = await scenario({ threads: 'spu' }, true);

    expect(spu.consumed).toHaveLength(RECORDS);
    // Every acknowledged record is consumed at its acknowledged offset with its bytes.
    const byKey = new Map(spu.consumed.map((r) => [r.key, r]));
    spu.acks.forEach((a, i) => {
      const r = byKey.get(`key-${i}`)!;
      expect(r.partition).toBe(a.partition);
      expect(r.offset).toBe(a.offset);
      expect(r.value).toBe(`value-${i}-${'x'.repeat(i % 50)}`);
      expect(r.timestamp).toBe(1_700_000_000_000 + i);
    });
    // Offsets are dense per partition from 0.
    for (let p = 0; p < PARTITIONS; p++) {
      const offs = spu.consumed.filter((r) => r.partition === p).map((r) => r.offset);
      expect(offs).toEqual(offs.map((_, i) => i));
    }
    expect(replica.consumed).toEqual(spu.consumed);
    expect(sim.consumed).toEqual(spu.consumed);
    expect(replica.acks).toEqual(spu.acks);
    expect(sim.acks).toEqual(spu.acks);
    expect(replica.partitions).toEqual(spu.partitions);
    expect(sim.partitions).toEqual(spu.partitions);
    // connect() over the Kafka listener: the same acks, records and partition status
    // (resolution, per-replica HW/LEO) as the embedded API.
    expect(remote.acks).toEqual(spu.acks);
    expect(remote.consumed).toEqual(spu.consumed);
    expect(remote.partitions).toEqual(spu.partitions);
    for (const p of spu.partitions) {
      expect(p.resolution).toBe('Online');
      expect(p.hw).toBe(p.leo);
      expect(p.leo).toBe(spu.acks.filter((a) => a.partition === p.partition).length);
    }
  });

  it('replays the same seed to the same trace hash, and another seed differs', async () => {
    const a = await scenario({ simulation: { seed: 7 } });
    const b = await scenario({ simulation: { seed: 7 } });
    const c = await scenario({ simulation: { seed: 8 } });
    expect(a.trace!.events).toBeGreaterThan(0);
    expect(b.trace).toEqual(a.trace);
    expect(c.trace!.hash).not.toBe(a.trace!.hash);
    expect(c.consumed).toEqual(a.consumed);
  });
});
