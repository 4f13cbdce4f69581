/**
 * kcat (librdkafka, from Debian's packages) against the embedded listener: `-L` lists every SPU as
 * a broker, `-P` produces records rivulet reads back, `-C -e` consumes records rivulet produced,
 * byte for byte, in assign mode (explicit partitions; groups come with the consumer-groups work).
 */
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { Offset } from '../../src/index.js';
import { serve, kcat, type Served } from './helpers.js';

const dec = new TextDecoder();


describe('kcat against the listener', () => {
  let s: Served;
  beforeAll(async () => {
    s = await serve({ spus: 3 });
    await s.cluster.admin.createTopic('lines', { partitions: 2, replicationFactor: 2 });
  });
  afterAll(async () => s?.stop());

  it('lists every SPU as a broker (-L)', async () => {
    const r = await kcat(['-b', s.bootstrap, '-L', '-J']);
    expect(r.status, r.err).toBe(0);
    const meta = JSON.parse(r.out) as { brokers: { id: number; name: string }[]; topics: { topic: string; partitions: { partition: number; leader: number; replicas: { id: number }[] }[] }[] };
    expect(meta.brokers.map((b) => b.id).sort()).toEqual([1, 2, 3]);
    for (const b of meta.brokers) expect(b.name).toBe(`127.0.0.1:${s.listener.brokers.find((x) => x.nodeId === b.id)!.port}`);
    const t = meta.topics.find((x) => x.topic === 'lines')!;
    expect(t.partitions).toHaveLength(2);
    for (const p of t.partitions) expect(p.replicas).toHaveLength(2);
  });

  it('produces (-P) records that rivulet reads back', async () => {
    const lines = Array.from({ length: 200 }, (_, i) => `k${i}:value ${i} ünïcødé ${'z'.repeat(i % 13)}`);
    const r = await kcat(['-b', s.bootstrap, '-t', 'lines', '-p', '1', '-P', '-K', ':'], lines.join('\n') + '\n');
    expect(r.status, r.err).toBe(0);
    const c = await s.cluster.consumer('lines', { partition: 1, offset: Offset.beginning() });
    const got: string[] = [];
    for await (const rec of c) {
      got.push(`${dec.decode(rec.key!)}:${dec.decode(rec.value)}`);
      if (got.length === lines.length) break;
    }
    expect(got).toEqual(lines);
  });

  it('consumes (-C -e) records that rivulet produced, byte for byte', async () => {
    const producer = await s.cluster.producer('lines', { acks: 'all' });
    const values = Array.from({ length: 300 }, (_, i) => `r${i}|${'é'.repeat(i % 7)}|${i * 7919}`);
    await producer.sendBatch(values.map((v, i) => ({ key: `key${i}`, value: v, partition: 0 })));
    const r = await kcat(['-b', s.bootstrap, '-t', 'lines', '-p', '0', '-C', '-o', 'beginning', '-e', '-q', '-f', '%o %k=%s\n']);
    expect(r.status, r.err).toBe(0);
    expect(r.out.trimEnd().split('\n')).toEqual(values.map((v, i) => `${i} key${i}=${v}`));
  });
});
