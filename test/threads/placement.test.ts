/**
 * Placements on the thread host (DESIGN §2). 'spu': an SPU's worker starts its replicas itself
 * (no round trip through the main thread) and they are still reachable from other workers and
 * from clients — replication between two SPUs' workers, acks=all, delete and re-create. 'replica':
 * one worker per replica actor, placed by the main thread.
 */
import { describe, it, expect } from 'vitest';
import { Cluster, Offset } from '../../src/index.js';
import { eventually } from '../helpers.js';

const replicasOn = (stats: { spuId: number; actors: string[] }[], spuId: number) =>
  stats.filter((s) => s.spuId === spuId).flatMap((s) => s.actors).filter((a) => a.startsWith('replica:')).sort();

describe('placements', () => {
  it("'spu': each SPU's worker hosts its own replicas, reachable across workers", async () => {
    const cluster = await Cluster.start({ spus: 2, threads: 'spu' });
    try {
      await cluster.admin.createTopic('pl', { partitions: 4, replicationFactor: 2 });
      expect(cluster.threadCount).toBe(2);
      const stats = await cluster.workerStats();
      expect(stats).toHaveLength(2);
      for (const spu of [1, 2]) expect(replicasOn(stats, spu)).toEqual([0, 1, 2, 3].map((p) => `replica:pl:${p}@${spu}`));

      const producer = await cluster.producer('pl', { acks: 'all' });
      const acks = await Promise.all(Array.from({ length: 200 }, (_, i) => producer.send(null, `v${i}`, { partition: i % 4 })));
      expect(acks.every((a) => a.offset >= 0)).toBe(true);
      await eventually(async () => (await cluster.admin.listPartitions()).every((p) => p.replicaStatus.every((r) => r.leo === 50)), 10_000, 'followers caught up');
      const consumer = await cluster.consumer('pl', { partition: 3, offset: Offset.beginning() });
      const got: string[] = [];
      for await (const r of consumer) {
        got.push(new TextDecoder().decode(r.value));
        if (got.length === 50) break;
      }
      expect(got).toEqual(Array.from({ length: 50 }, (_, i) => `v${i * 4 + 3}`));

      // Deleting stops them where they run; re-creating starts them there again.
      await cluster.admin.deleteTopic('pl');
      await eventually(async () => replicasOn(await cluster.workerStats(), 1).length === 0, 10_000, 'replicas stopped');
      await cluster.admin.createTopic('pl', { partitions: 2, replicationFactor: 2 });
      expect(replicasOn(await cluster.workerStats(), 2)).toEqual(['replica:pl:0@2', 'replica:pl:1@2']);
      const again = await cluster.producer('pl', { acks: 'all' });
      expect((await again.send(null, 'x', { partition: 1 })).offset).toBe(0);
    } finally {
      await cluster.shutdown();
    }
  });

  it("'replica': one worker per replica actor besides the SPU's own", async () => {
    const cluster = await Cluster.start({ spus: 1, threads: 'replica' });
    try {
      await cluster.admin.createTopic('iso', { partitions: 3 });
      expect(cluster.threadCount).toBe(4);
      const stats = await cluster.workerStats();
      expect(stats.map((s) => s.actors.length)).toEqual([1, 1, 1, 1]);
      const producer = await cluster.producer('iso', { acks: 1 });
      expect((await producer.send(null, 'x', { partition: 2 })).offset).toBe(0);
    } finally {
      await cluster.shutdown();
    }
  });
});
