/**
 * Unmodified kafkajs (2.2.4) against the embedded listener: admin creates a 3-partition RF 3 topic
 * on 3 SPUs, a producer sends 10,000 keyed records with headers at acks=-1 (and more at acks 1
 * and 0), rivulet's own consumer reads every one back with identical bytes, and kafkajs's
 * fetchTopicOffsets agrees with listPartitions.
 */
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { Kafka, type Producer } from 'kafkajs';
import { Offset } from '../../src/index.js';
import { serve, kafkajsQuiet, type Served } from './helpers.js';

const RECORDS = 10_000;
const dec = new TextDecoder();

describe('kafkajs against the listener', () => {
  let s: Served;
  let kafka: Kafka;
  beforeAll(async () => {
    s = await serve({ spus: 3 });
    kafka = new Kafka({ clientId: 'kafkajs-test', brokers: [s.bootstrap], ...kafkajsQuiet });
  });
  afterAll(async () => s?.stop());

  it('lists every SPU as a broker', async () => {
    const admin = kafka.admin();
    await admin.connect();
    try {
      const { brokers, controller } = await admin.describeCluster();
      expect(brokers.map((b) => b.nodeId).sort()).toEqual([1, 2, 3]);
      expect(new Set(brokers.map((b) => b.port)).size).toBe(3);
      expect([1, 2, 3]).toContain(controller);
    } finally {
      await admin.disconnect();
    }
  });

  it('creates a topic, produces 10,000 keyed records with headers at acks=-1, rivulet reads them byte for byte', async () => {
    const admin = kafka.admin();
    await admin.connect();
    let producer: Producer | undefined;
    try {
      expect(await admin.createTopics({ topics: [{ topic: 'orders', numPartitions: 3, replicationFactor: 3 }] })).toBe(true);
      expect(await admin.createTopics({ topics: [{ topic: 'orders', numPartitions: 3, replicationFactor: 3 }] })).toBe(false); // exists
      const parts = await s.cluster.admin.listPartitions();
      expect(parts.filter((p) => p.topic === 'orders').map((p) => p.replicas.length + 1)).toEqual([3, 3, 3]);

      producer = kafka.producer({ allowAutoTopicCreation: false });
      await producer.connect();
      const sent: { key: string; value: string; hdr: string }[] = [];
      const bases: { partition: number; base: number }[] = [];
      for (let i = 0; i < RECORDS; i += 500) {
        const messages = Array.from({ length: 500 }, (_, j) => ({
          key: `key-${i + j}`,
          value: `value-${i + j}-${'v'.repeat((i + j) % 37)}`,
          headers: { trace: `t-${i + j}`, bin: Buffer.from([0, 1, 2, (i + j) & 0xff]) },
        }));
        const meta = await producer.send({ topic: 'orders', acks: -1, messages });
        expect(meta.every((m) => m.errorCode === 0)).toBe(true);
        for (const m of meta) bases.push({ partition: m.partition, base: Number(m.baseOffset) });
        for (const m of messages) sent.push({ key: m.key, value: m.value, hdr: m.headers.trace });
      }

      // Read everything back through rivulet's own consumer.
      const got = new Map<string, { value: string; hdr: string; bin: number[]; partition: number; offset: number }>();
      const after = (await s.cluster.admin.listPartitions()).filter((p) => p.topic === 'orders');
      for (const p of after) {
        const c = await s.cluster.consumer('orders', { partition: p.partition, offset: Offset.beginning() });
        let n = 0;
        if (p.hw > 0) {
          for await (const r of c) {
            const h = Object.fromEntries(r.headers.map((x) => [x.key, x.value]));
            got.set(dec.decode(r.key!), { value: dec.decode(r.value), hdr: dec.decode(h.trace as Uint8Array), bin: [...(h.bin as Uint8Array)], partition: p.partition, offset: r.offset });
            if (++n >= p.hw) break;
          }
        }
        c.close();
      }
      expect(got.size).toBe(RECORDS);
      for (const [i, m] of sent.entries()) {
        const r = got.get(m.key);
        expect(r?.value).toBe(m.value);
        expect(r?.hdr).toBe(m.hdr);
        expect(r?.bin).toEqual([0, 1, 2, i & 0xff]);
      }
      expect(after.reduce((n, p) => n + p.hw, 0)).toBe(RECORDS);
      // Within a partition, records sit in send order, and every acked base offset starts a run.
      for (const p of after) {
        const inP = sent.map((m) => got.get(m.key)!).filter((r) => r.partition === p.partition);
        expect(inP.map((r) => r.offset)).toEqual(inP.map((_, k) => k));
      }
      for (const b of bases) expect([...got.values()].some((r) => r.partition === b.partition && r.offset === b.base)).toBe(true);
      expect(after.every((p) => p.hw === p.leo)).toBe(true);

      // fetchTopicOffsets (ListOffsets latest and earliest) agrees with listPartitions.
      const offsets = await admin.fetchTopicOffsets('orders');
      for (const p of after) {
        const o = offsets.find((x) => x.partition === p.partition)!;
        expect(Number(o.high)).toBe(p.hw);
        expect(Number(o.low)).toBe(p.base);
      }
    } finally {
      await producer?.disconnect();
      await admin.disconnect();
    }
  });

  it('produces at acks 1 and 0, and fails clearly on an unknown topic', async () => {
    const admin = kafka.admin();
    await admin.connect();
    const producer = kafka.producer({ allowAutoTopicCreation: false, retry: { retries: 1, initialRetryTime: 50 } });
    await producer.connect();
    try {
      await admin.createTopics({ topics: [{ topic: 'acks', numPartitions: 1 }] });
      const one = await producer.send({ topic: 'acks', acks: 1, messages: [{ key: 'a', value: '1' }, { key: 'b', value: '2' }] });
      expect(one[0]!.errorCode).toBe(0);
      await producer.send({ topic: 'acks', acks: 0, messages: [{ key: 'c', value: '3' }] });
      const last = await producer.send({ topic: 'acks', acks: -1, messages: [{ key: 'd', value: '4' }] });
      expect(Number(last[0]!.baseOffset)).toBe(3); // acks=0 record landed before it, in order
      await expect(producer.send({ topic: 'no-such-topic', messages: [{ value: 'x' }] })).rejects.toThrow(/topic-partition|topic/i);
      const values: string[] = [];
      const c = await s.cluster.consumer('acks', { offset: Offset.beginning() });
      for await (const r of c) {
        values.push(dec.decode(r.value));
        if (values.length === 4) break;
      }
      expect(values).toEqual(['1', '2', '3', '4']);
    } finally {
      await producer.disconnect();
      await admin.disconnect();
    }
  });
});
