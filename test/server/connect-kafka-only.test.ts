/**
 * connect() against a server without rivulet's own API keys (a listener started with
 * `rivuletKeys: false` answers ApiVersions like a plain Kafka broker): topics, produce and consume
 * work through Kafka's own APIs; rivulet-only calls (faults) fail with a clear UNSUPPORTED error;
 * the partition list comes from Metadata and ListOffsets.
 */
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { Offset, RivuletError, connect, type Cluster } from '../../src/index.js';
import { serve, type Served } from './helpers.js';

const dec = new TextDecoder();

describe('connect() to a Kafka-only server', () => {
  let s: Served;
  let client: Cluster;
  beforeAll(async () => {
    s = await serve({ spus: 2 }, { rivuletKeys: false });
    client = await connect({ brokers: [s.bootstrap] });
  });
  afterAll(async () => {
    await client?.close();
    await s?.stop();
  });

  it('creates, lists, produces to, consumes from and deletes topics with Kafka APIs', async () => {
    await client.admin.createTopic('plain', { partitions: 2, replicationFactor: 2, retentionMs: 3_600_000 });
    expect((await client.admin.listTopics()).map((t) => t.name)).toContain('plain');
    const embedded = (await s.cluster.admin.listTopics()).find((t) => t.name === 'plain')!;
    expect(embedded.config.retentionMs).toBe(3_600_000); // retention.ms reached the SC
    const producer = await client.producer('plain', { acks: 'all' });
    const acks = await Promise.all(Array.from({ length: 100 }, (_, i) => producer.send(`k${i}`, `v${i}`)));
    const p0 = acks.filter((a) => a.partition === 0).length;
    const c = await client.consumer('plain', { partition: 0, offset: Offset.beginning() });
    const got: string[] = [];
    for await (const r of c) {
      got.push(dec.decode(r.value));
      if (got.length === p0) break;
    }
    c.close();
    expect(got).toEqual(acks.map((a, i) => ({ a, i })).filter((x) => x.a.partition === 0).map((x) => `v${x.i}`));
    const parts = (await client.admin.listPartitions()).filter((p) => p.topic === 'plain');
    expect(parts.map((p) => p.partition)).toEqual([0, 1]);
    expect(parts.every((p) => p.resolution === 'Online' && p.leader > 0 && p.replicas.length === 1)).toBe(true);
    await client.admin.deleteTopic('plain');
    expect((await s.cluster.admin.listTopics()).map((t) => t.name)).not.toContain('plain');
  });

  it('refuses rivulet-only operations with UNSUPPORTED', async () => {
    const err = await client.faults.crashSpu(1).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(RivuletError);
    expect((err as RivuletError).code).toBe('UNSUPPORTED');
    expect((err as RivuletError).message).toMatch(/not a rivulet listener/);
    expect((await s.cluster.admin.listSpus()).every((sp) => sp.status === 'online')).toBe(true); // nothing crashed
  });
});
