/**
 * Leader balance (issue 14 item 6), threads host: preferred leaders are spread round-robin
 * (partition p on SPU p+1 of 3); after a crash moves leaderships away, they return to their
 * preferred SPUs once it is back and caught up — by the SC's tick, and on `rebalanceLeaders()` —
 * with every acknowledged record kept; after a disk-mode shutdown and restart (where the first
 * SPU to register takes every leadership) they spread out again.
 */
import fs from 'node:fs';
import { describe, it, expect } from 'vitest';
import { Cluster, Offset } from '../../src/index.js';
import { eventually, tempDir } from '../helpers.js';

const leaders = async (c: Cluster, topic: string) =>
  (await c.admin.listPartitions()).filter((p) => p.topic === topic).sort((a, b) => a.partition - b.partition).map((p) => p.leader);

async function countAll(c: Cluster, topic: string, partition: number, n: number): Promise<number> {
  const cons = await c.consumer(topic, { partition, offset: Offset.beginning() });
  let seen = 0;
  for await (const r of cons) if (++seen === n || r.offset >= n - 1) break;
  cons.close();
  return seen;
}

describe('leader balance', () => {
  it('leaders return to their preferred SPUs after a crash and restart, keeping every record', async () => {
    const c = await Cluster.start({ spus: 3, heartbeatMs: 100, spuTimeoutMs: 1_000 });
    try {
      await c.admin.createTopic('bal', { partitions: 3, replicationFactor: 3, replicaLagMs: 2_000 });
      expect(await leaders(c, 'bal')).toEqual([1, 2, 3]);
      expect(await c.admin.rebalanceLeaders()).toEqual([]); // already balanced
      const p = await c.producer('bal', { acks: 'all', deliveryTimeoutMs: 20_000 });
      const send = (tag: string) => Promise.all([0, 1, 2].flatMap((partition) => Array.from({ length: 100 }, (_, i) => p.send(null, `${tag}-${i}`, { partition }))));
      await send('a');
      await c.faults.crashSpu(1);
      await eventually(async () => (await leaders(c, 'bal'))[0] !== 1 && (await c.admin.listPartitions())[0]!.resolution === 'Online', 10_000, 'failover');
      await send('b');
      await c.faults.restartSpu(1);
      await eventually(async () => (await leaders(c, 'bal')).join() === '1,2,3', 15_000, 'leaders back on 1,2,3');
      await send('c');
      for (const partition of [0, 1, 2]) expect(await countAll(c, 'bal', partition, 300)).toBe(300);
    } finally {
      await c.shutdown();
    }
  }, 60_000);

  it('after a disk-mode shutdown and restart, leaders spread out again', async () => {
    const home = tempDir();
    try {
      const c1 = await Cluster.start({ spus: 3, home, heartbeatMs: 100, spuTimeoutMs: 1_000 });
      try {
        await c1.admin.createTopic('spread', { partitions: 6, replicationFactor: 2 });
        expect(await leaders(c1, 'spread')).toEqual([1, 2, 3, 1, 2, 3]);
        const p = await c1.producer('spread', { acks: 'all' });
        await Promise.all(Array.from({ length: 60 }, (_, i) => p.send(null, `r${i}`, { partition: i % 6 })));
      } finally {
        await c1.shutdown();
      }
      const c2 = await Cluster.start({ spus: 3, home, heartbeatMs: 100, spuTimeoutMs: 1_000 });
      try {
        await eventually(async () => (await leaders(c2, 'spread')).join() === '1,2,3,1,2,3', 15_000, 'leaders spread again');
        expect((await c2.admin.listPartitions()).filter((x) => x.topic === 'spread').map((x) => x.hw)).toEqual([10, 10, 10, 10, 10, 10]);
      } finally {
        await c2.shutdown();
      }
    } finally {
      fs.rmSync(home, { recursive: true, force: true });
    }
  }, 60_000);
});
