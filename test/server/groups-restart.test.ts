/**
 * Committed offsets survive a restart from the home: on a disk-mode cluster a kafkajs group member
 * commits part of a 3-partition topic (a different offset per partition), the cluster shuts down,
 * starts again from the same home, and a new kafkajs member of that group resumes exactly at the
 * committed offsets — its first record per partition is the committed offset, it reads every
 * record after it and none before.
 */
import { describe, it, expect, afterAll } from 'vitest';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Kafka } from 'kafkajs';
import { Cluster } from '../../src/index.js';
import { backendOf } from '../../src/server/backend.js';
import { startListener, type Listener } from '../../src/server/listener.js';
import { kafkajsQuiet } from './helpers.js';

const TOPIC = 'orders';
const GROUP = 'billing';
const fast = { sessionTimeout: 3_000, rebalanceTimeout: 6_000, heartbeatInterval: 200, maxWaitTimeInMs: 100 } as const;
const home = fs.mkdtempSync(path.join(os.tmpdir(), 'rivulet-groups-'));

async function until(what: string, ok: () => boolean | Promise<boolean>, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await ok())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

async function start(): Promise<{ cluster: Cluster; listener: Listener; kafka: Kafka }> {
  const cluster = await Cluster.start({ home, spus: 2 });
  const listener = await startListener(backendOf(cluster));
  const kafka = new Kafka({ clientId: 'restart-test', brokers: [`${listener.host}:${listener.port}`], ...kafkajsQuiet });
  return { cluster, listener, kafka };
}

describe('committed offsets across a restart from the home (disk mode)', () => {
  afterAll(() => fs.rmSync(home, { recursive: true, force: true }));

  it('a new member resumes exactly at the offsets committed before the shutdown', async () => {
    const committedAt = new Map([[0, 17], [1, 0], [2, 42]]);
    let hw: number[];
    {
      const { cluster, listener, kafka } = await start();
      try {
        await cluster.admin.createTopic(TOPIC, { partitions: 3, replicationFactor: 2 });
        const producer = await cluster.producer(TOPIC);
        await producer.sendBatch(Array.from({ length: 300 }, (_, i) => ({ value: `r${i}`, partition: i % 3 })));
        await producer.flush();
        hw = (await cluster.admin.listPartitions()).filter((p) => p.topic === TOPIC).sort((a, b) => a.partition - b.partition).map((p) => p.hw);
        expect(hw).toEqual([100, 100, 100]);

        // A member reads some of each partition and commits a chosen offset per partition.
        const consumer = kafka.consumer({ groupId: GROUP, ...fast });
        const seen = new Set<number>();
        await consumer.connect();
        await consumer.subscribe({ topic: TOPIC, fromBeginning: true });
        await consumer.run({ autoCommit: false, eachMessage: async ({ partition }) => void seen.add(partition) });
        await until('the member reads every partition', () => seen.size === 3);
        await consumer.commitOffsets([...committedAt].map(([partition, offset]) => ({ topic: TOPIC, partition, offset: String(offset) })));
        await consumer.disconnect();
        const admin = kafka.admin();
        await admin.connect();
        const [t] = await admin.fetchOffsets({ groupId: GROUP, topics: [TOPIC] });
        await admin.disconnect();
        expect(t!.partitions.sort((a, b) => a.partition - b.partition).map((p) => Number(p.offset))).toEqual([17, 0, 42]);
      } finally {
        await listener.close();
        await cluster.shutdown();
      }
    }
    {
      const { cluster, listener, kafka } = await start();
      try {
        const admin = kafka.admin();
        await admin.connect();
        const [t] = await admin.fetchOffsets({ groupId: GROUP, topics: [TOPIC] });
        expect(t!.partitions.sort((a, b) => a.partition - b.partition).map((p) => Number(p.offset))).toEqual([17, 0, 42]);
        expect((await admin.listGroups()).groups).toContainEqual({ groupId: GROUP, protocolType: 'consumer' });
        await admin.disconnect();

        const got = new Map<number, number[]>([[0, []], [1, []], [2, []]]);
        const consumer = kafka.consumer({ groupId: GROUP, ...fast });
        await consumer.connect();
        await consumer.subscribe({ topic: TOPIC, fromBeginning: true });
        await consumer.run({ eachMessage: async ({ partition, message }) => void got.get(partition)!.push(Number(message.offset)) });
        const expected = 300 - 17 - 0 - 42;
        await until('every record after the commits', () => [...got.values()].reduce((n, l) => n + l.length, 0) >= expected);
        await consumer.disconnect();
        for (const [partition, offsets] of got) {
          const from = committedAt.get(partition)!;
          expect(offsets).toEqual(Array.from({ length: hw![partition]! - from }, (_, i) => from + i));
        }
      } finally {
        await listener.close();
        await cluster.shutdown();
      }
    }
  });
});
