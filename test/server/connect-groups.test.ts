/**
 * connect() gets consumer groups too: a group consumer on rivulet's own client talks to the group
 * coordinator through the listener's Group key, shares a group with a kafkajs member (the same
 * consumer protocol), commits, and a later member of the group resumes at the committed offsets.
 */
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { Kafka } from 'kafkajs';
import { Offset, connect, type Cluster, type GroupConsumer } from '../../src/index.js';
import { serve, kafkajsQuiet, type Served } from './helpers.js';

const dec = new TextDecoder();

async function readN(c: GroupConsumer, n: number, into: string[]): Promise<void> {
  let got = 0;
  for await (const r of c) {
    into.push(dec.decode(r.value));
    if (++got >= n) return;
  }
}

describe('connect() group consumer', () => {
  let s: Served;
  let client: Cluster;
  beforeAll(async () => {
    s = await serve({ spus: 2 });
    await s.cluster.admin.createTopic('jobs', { partitions: 4 });
    const p = await s.cluster.producer('jobs');
    await p.sendBatch(Array.from({ length: 200 }, (_, i) => ({ value: `j${i}`, partition: i % 4 })));
    client = await connect({ brokers: [s.bootstrap] });
  });
  afterAll(async () => {
    await client?.close();
    await s?.stop();
  });

  it('reads every record, commits, and a later member resumes at the commits', async () => {
    const opts = { groupId: 'remote-workers', offset: Offset.beginning(), heartbeatMs: 100 };
    const a = await client.consumer('jobs', opts);
    expect(a.assignment.length).toBe(4);
    const got: string[] = [];
    await readN(a, 200, got);
    expect(new Set(got).size).toBe(200);
    await a.commit();
    const described = await s.cluster.admin.describeGroup('remote-workers');
    expect(described).toMatchObject({ state: 'Stable', protocol: 'RoundRobinAssigner' });
    await a.close();

    const p = await s.cluster.producer('jobs');
    await p.sendBatch(Array.from({ length: 4 }, (_, i) => ({ value: `late${i}`, partition: i })));
    const b = await client.consumer('jobs', opts);
    const later: string[] = [];
    await readN(b, 4, later);
    expect(later.sort()).toEqual(['late0', 'late1', 'late2', 'late3']); // nothing before the commits
    await b.close();
  });

  it('shares a group with an unmodified kafkajs consumer', async () => {
    const kafka = new Kafka({ brokers: [s.bootstrap], ...kafkajsQuiet });
    const kj = kafka.consumer({ groupId: 'mixed-remote', sessionTimeout: 6_000, heartbeatInterval: 200 });
    const kjGot: string[] = [];
    await kj.connect();
    await kj.subscribe({ topic: 'jobs', fromBeginning: true });
    await kj.run({ eachMessage: async ({ message }) => void kjGot.push(message.value!.toString()) });
    const mine = await client.consumer('jobs', { groupId: 'mixed-remote', offset: Offset.beginning(), heartbeatMs: 100 });
    try {
      const deadline = Date.now() + 20_000;
      while (Date.now() < deadline) {
        const d = await s.cluster.admin.describeGroup('mixed-remote');
        if (d.state === 'Stable' && d.members.length === 2 && mine.assignment.length === 2) break;
        await new Promise((r) => setTimeout(r, 100));
      }
      expect(mine.assignment.length).toBe(2);
      // Each member reads its partitions from the group's committed offsets: together, everything.
      const myGot: string[] = [];
      const reading = (async () => {
        for await (const r of mine) myGot.push(dec.decode(r.value));
      })();
      while (new Set([...myGot, ...kjGot]).size < 204 && Date.now() < deadline + 20_000) await new Promise((r) => setTimeout(r, 50));
      expect(new Set([...myGot, ...kjGot]).size).toBe(204);
      expect(myGot.length).toBeGreaterThan(0);
      await mine.close();
      await reading;
    } finally {
      await mine.close();
      await kj.disconnect();
    }
  });
});
