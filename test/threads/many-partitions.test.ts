/**
 * threads: 'spu' — one SPU with a 256-partition topic runs on a bounded number of workers (one per
 * SPU, whatever the partition count) and every partition serves produce and consume.
 */
import { describe, it, expect } from 'vitest';
import { Cluster, Offset } from '../../src/index.js';

const PARTITIONS = 256;

describe('256 partitions on one SPU', () => {
  it('runs on one worker thread and every partition serves produce and consume', async () => {
    const cluster = await Cluster.start({ spus: 1, threads: 'spu', ringBytes: 64 * 1024 });
    try {
      await cluster.admin.createTopic('wide', { partitions: PARTITIONS });
      // Count the threads: the host's live workers, and what each worker says it hosts (comlink).
      expect(cluster.threadCount).toBe(1);
      const stats = await cluster.workerStats();
      expect(stats).toHaveLength(1);
      expect(stats[0]!.actors).toContain('spu-1');
      expect(stats[0]!.actors.filter((a) => a.startsWith('replica:wide:'))).toHaveLength(PARTITIONS);

      const producer = await cluster.producer('wide', { acks: 1 });
      const acks = await Promise.all(
        Array.from({ length: PARTITIONS * 4 }, (_, i) => producer.send(null, `p${i % PARTITIONS}-n${Math.floor(i / PARTITIONS)}`, { partition: i % PARTITIONS })),
      );
      for (const a of acks) expect(a.offset).toBeGreaterThanOrEqual(0);
      for (let p = 0; p < PARTITIONS; p++) {
        const consumer = await cluster.consumer('wide', { partition: p, offset: Offset.beginning() });
        const got: string[] = [];
        for await (const r of consumer) {
          got.push(new TextDecoder().decode(r.value));
          if (got.length === 4) break;
        }
        expect(got).toEqual([0, 1, 2, 3].map((n) => `p${p}-n${n}`));
      }
      const parts = await cluster.admin.listPartitions();
      expect(parts).toHaveLength(PARTITIONS);
      expect(parts.every((p) => p.resolution === 'Online' && p.leo === 4)).toBe(true);
      expect(cluster.threadCount).toBe(1);
    } finally {
      await cluster.shutdown();
    }
  });
});
