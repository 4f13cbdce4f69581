/**
 * Unmodified @platformatic/kafka (1.35) against the embedded listener. It speaks only recent,
 * flexible versions (Metadata 9–12, Produce 7–11, Fetch 12–17 by topic id, ListOffsets 5–9,
 * CreateTopics 7, DeleteTopics 6), so this covers the listener's flexible encodings and topic ids:
 * - Admin creates and deletes topics; metadata lists every SPU and a topic id per topic;
 * - Producer sends 400 keyed records with headers (binary values, some pinned to a partition)
 *   at acks=all; rivulet's own consumer reads every one back with identical bytes, in send order
 *   per partition, at the offsets the producer was given;
 * - Consumer without a consumer group: listOffsets (latest, earliest) agrees with
 *   listPartitions, and the low-level fetch() (Fetch v17, topic ids) reads every record back
 *   with identical bytes, in small steps from any offset.
 * Consumer.consume() streams join a consumer group (FindCoordinator, JoinGroup, SyncGroup, …):
 * groups-clients.test.ts covers them with the consumer-groups work.
 */
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { Admin, Consumer, Producer, ProduceAcks, type MessageToProduce } from '@platformatic/kafka';
import { Offset } from '../../src/index.js';
import { serve, type Served } from './helpers.js';

const TOPIC = 'plat';
const PARTITIONS = 2;
const RECORDS = 400;
const ZERO_UUID = '00000000-0000-0000-0000-000000000000';

interface Sent { key: string; value: Buffer; headers: [string, Buffer][]; partition?: number }

/** Deterministic record contents: every byte value appears in values and header values. */
function record(i: number): Sent {
  const value = Buffer.from(Array.from({ length: (i * 7) % 61 }, (_, j) => (i * 31 + j * 17) & 0xff));
  const headers: [string, Buffer][] = [['trace', Buffer.from(`t-${i}`)], ['bin', Buffer.from([0, 255, i & 0xff, (i >> 8) & 0xff])]];
  return { key: `key-${i}`, value, headers, ...(i % 5 === 0 ? { partition: i % PARTITIONS } : {}) };
}

const show = (r: { key: string; value: Uint8Array; headers: [string, Uint8Array][] }) =>
  JSON.stringify({ k: r.key, v: Buffer.from(r.value).toString('hex'), h: r.headers.map(([k, v]) => [k, Buffer.from(v).toString('hex')]) });

describe('@platformatic/kafka against the listener', () => {
  let s: Served;
  const base = () => ({ clientId: 'platformatic-test', bootstrapBrokers: [s.bootstrap], retries: 2, retryDelay: 100 });
  const sent: Sent[] = Array.from({ length: RECORDS }, (_, i) => record(i));
  /** key → [partition, offset] as the producer reported them. */
  const placed = new Map<string, [number, number]>();

  beforeAll(async () => {
    s = await serve({ spus: 3 });
  });
  afterAll(async () => s?.stop());

  it('Admin creates and deletes topics; metadata lists the SPUs and a topic id', async () => {
    const admin = new Admin(base());
    try {
      const created = await admin.createTopics({ topics: [TOPIC, 'doomed'], partitions: PARTITIONS, replicas: 2 });
      expect(created.map((t) => [t.name, t.partitions, t.replicas])).toEqual([[TOPIC, PARTITIONS, 2], ['doomed', PARTITIONS, 2]]);
      await admin.deleteTopics({ topics: ['doomed'] });
      expect((await s.cluster.admin.listTopics()).map((t) => t.name)).toEqual([TOPIC]);
      const parts = (await s.cluster.admin.listPartitions()).sort((a, b) => a.partition - b.partition);
      expect(parts.map((p) => p.replicas.length + 1)).toEqual([2, 2]);

      const meta = await admin.metadata({ topics: [TOPIC] });
      expect([...meta.brokers.keys()].sort()).toEqual([1, 2, 3]);
      for (const [id, b] of meta.brokers) expect(b.port).toBe(s.listener.brokers.find((x) => x.nodeId === id)!.port);
      const t = meta.topics.get(TOPIC)!;
      expect(t.id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
      expect(t.id).not.toBe(ZERO_UUID);
      expect(t.partitions.map((p) => p.leader)).toEqual(parts.map((p) => p.leader));
      expect(await admin.listTopics()).toEqual([TOPIC]);
    } finally {
      await admin.close();
    }
  });

  it(`Producer sends ${RECORDS} keyed records with headers at acks=all; rivulet reads them back byte for byte`, async () => {
    const producer = new Producer({ ...base(), acks: ProduceAcks.ALL });
    try {
      for (let i = 0; i < RECORDS; i += 50) {
        const batch = sent.slice(i, i + 50);
        const messages: MessageToProduce[] = batch.map((m) => ({
          topic: TOPIC,
          key: Buffer.from(m.key),
          value: m.value,
          headers: new Map(m.headers.map(([k, v]) => [Buffer.from(k), v] as [Buffer, Buffer])),
          ...(m.partition !== undefined ? { partition: m.partition } : {}),
        }));
        const res = await producer.send({ messages, acks: ProduceAcks.ALL });
        // One base offset per partition written; records of a partition follow it in send order.
        const next = new Map((res.offsets ?? []).map((o) => [o.partition, Number(o.offset)]));
        expect(next.size).toBeGreaterThan(0);
        for (const o of res.offsets ?? []) expect(o.topic).toBe(TOPIC);
        for (const [p, offset] of next) placed.set(`batch-${i}-p${p}`, [p, offset]);
      }
    } finally {
      await producer.close();
    }

    const parts = (await s.cluster.admin.listPartitions()).filter((p) => p.topic === TOPIC).sort((a, b) => a.partition - b.partition);
    expect(parts.reduce((n, p) => n + p.hw, 0)).toBe(RECORDS);
    expect(parts.every((p) => p.hw === p.leo)).toBe(true);
    const got = new Map<string, { partition: number; offset: number; shown: string }>();
    for (const p of parts) {
      if (p.hw === 0) continue;
      const c = await s.cluster.consumer(TOPIC, { partition: p.partition, offset: Offset.beginning() });
      let n = 0;
      for await (const r of c) {
        const key = Buffer.from(r.key!).toString();
        got.set(key, { partition: p.partition, offset: r.offset, shown: show({ key, value: r.value, headers: r.headers.map((h) => [h.key, h.value]) }) });
        if (++n >= p.hw) break;
      }
      c.close();
    }
    expect(got.size).toBe(RECORDS);
    for (const m of sent) {
      const r = got.get(m.key)!;
      expect(r.shown).toBe(show(m));
      if (m.partition !== undefined) expect(r.partition).toBe(m.partition);
      placed.set(m.key, [r.partition, r.offset]);
    }
    // Within a partition, offsets follow send order; every reported base offset starts one send's run.
    for (const p of parts) {
      const inP = sent.filter((m) => got.get(m.key)!.partition === p.partition).map((m) => got.get(m.key)!.offset);
      expect(inP).toEqual(inP.map((_, k) => k));
    }
    for (let i = 0; i < RECORDS; i += 50) {
      for (const p of [0, 1]) {
        const reported = placed.get(`batch-${i}-p${p}`);
        const first = sent.slice(i, i + 50).find((m) => got.get(m.key)!.partition === p);
        if (first) expect(reported).toEqual([p, got.get(first.key)!.offset]);
        else expect(reported).toBeUndefined();
      }
    }
    // Unpinned keys go where Kafka's default partitioner (murmur2) puts them: rivulet's producer agrees.
    const ours = await s.cluster.producer(TOPIC, { acks: 'all' });
    const probe = sent.filter((m) => m.partition === undefined).slice(0, 20);
    for (const m of probe) expect((await ours.send(m.key, 'probe')).partition).toBe(got.get(m.key)!.partition);
    await ours.flush();
  });

  it('Consumer without a group: listOffsets agrees with listPartitions; fetch() (v17, topic ids) reads every record back', async () => {
    const consumer = new Consumer({ ...base(), groupId: 'never-joined', maxWaitTime: 50 });
    try {
      const parts = (await s.cluster.admin.listPartitions()).filter((p) => p.topic === TOPIC).sort((a, b) => a.partition - b.partition);
      const latest = await consumer.listOffsets({ topics: [TOPIC] });
      expect(latest.get(TOPIC)!.map(Number)).toEqual(parts.map((p) => p.hw));
      const earliest = await consumer.listOffsets({ topics: [TOPIC], timestamp: -2n });
      expect(earliest.get(TOPIC)!.map(Number)).toEqual(parts.map((p) => p.base));

      const meta = await consumer.metadata({ topics: [TOPIC] });
      const topicId = meta.topics.get(TOPIC)!.id;
      const read = new Map<string, { partition: number; offset: number; shown: string }>(); // first record per key
      let total = 0;
      for (const p of parts) {
        let offset = 0;
        let fetches = 0;
        while (offset < p.hw) {
          fetches++;
          const res = await consumer.fetch({
            node: p.leader,
            maxBytes: 2_048,
            topics: [{ topicId, partitions: [{ partition: p.partition, fetchOffset: BigInt(offset), currentLeaderEpoch: -1, lastFetchedEpoch: -1, partitionMaxBytes: 2_048 }] }],
          });
          expect(res.responses).toHaveLength(1);
          expect(res.responses[0]!.topicId).toBe(topicId);
          const part = res.responses[0]!.partitions[0]!;
          expect(part.errorCode).toBe(0);
          expect(Number(part.highWatermark)).toBe(p.hw);
          for (const batch of part.records ?? []) {
            for (const r of batch.records) {
              const at = Number(batch.firstOffset) + r.offsetDelta;
              if (at < offset) continue; // a batch may start before the fetch offset
              const key = r.key!.toString();
              total++;
              if (!read.has(key)) read.set(key, { partition: p.partition, offset: at, shown: show({ key, value: r.value ?? Buffer.alloc(0), headers: r.headers.map(([k, v]) => [k!.toString(), v!]) }) });
              offset = at + 1;
            }
          }
        }
        expect(fetches).toBeGreaterThan(1); // small limits: several round trips, each resuming mid-log
      }
      for (const m of sent) {
        const r = read.get(m.key)!;
        expect(r.shown).toBe(show(m));
        expect([r.partition, r.offset]).toEqual(placed.get(m.key));
      }
      expect(total).toBe(RECORDS + 20); // + rivulet's probe records (same keys, later offsets)
    } finally {
      await consumer.close();
    }
  });
});
