/**
 * listPartitions returns topic, partition, leader, replicas, resolution, sizeBytes, base, hw, leo
 * with correct values after produce, and after retention removed a segment (BASE > 0).
 */
import { describe, it, expect } from 'vitest';
import fs from 'node:fs';
import { Cluster, Offset, ErrorCode, type ClusterOptions } from '../../src/index.js';
import { eventually, tempDir } from '../helpers.js';

async function check(opts: ClusterOptions) {
  const cluster = await Cluster.start({ spus: 1, ...opts });
  try {
    await cluster.admin.createTopic('small', { partitions: 2, segmentBytes: 4096, maxPartitionBytes: 12_288 });
    const producer = await cluster.producer('small', { acks: 1, batchBytes: 1024 });
    // 1) After produce: 10 records of 100 B each into partition 1.
    for (let i = 0; i < 10; i++) await producer.send(null, 'v'.repeat(100), { partition: 1 });
    // No waiting: listings ask the replicas first, so they include every acknowledged append.
    const after = (await cluster.admin.listPartitions()).find((x) => x.partition === 1)!;
    expect(after).toMatchObject({ topic: 'small', partition: 1, leader: 1, replicas: [], resolution: 'Online', base: 0, hw: 10, leo: 10 });
    expect(after.sizeBytes).toBeGreaterThan(10 * 100);
    expect(after.sizeBytes).toBeLessThan(10 * 200);
    expect(after.replicaStatus).toEqual([{ spu: 1, hw: 10, leo: 10 }]);

    // 2) Retention: produce well past maxPartitionBytes so whole old segments are removed.
    for (let i = 0; i < 40; i++) await producer.sendBatch(Array.from({ length: 10 }, () => ({ value: 'w'.repeat(100), partition: 0 })));
    const p0 = await eventually(async () => {
      const p = (await cluster.admin.listPartitions()).find((x) => x.partition === 0)!;
      return p.leo === 400 && p.base > 0 ? p : undefined;
    }, 5_000, 'base > 0');
    expect(p0.hw).toBe(400);
    expect(p0.sizeBytes).toBeLessThanOrEqual(12_288 + 4096);
    expect(p0.sizeBytes).toBeGreaterThan(0);
    // Reading below BASE is OFFSET_OUT_OF_RANGE; from BASE works.
    await expect(cluster.consumer('small', { partition: 0, offset: Offset.absolute(0) })).rejects.toMatchObject({ code: ErrorCode.OFFSET_OUT_OF_RANGE });
    const ok = await cluster.consumer('small', { partition: 0, offset: Offset.beginning() });
    const first = await ok[Symbol.asyncIterator]().next();
    expect(first.value.offset).toBe(p0.base);
  } finally {
    await cluster.shutdown();
  }
}

describe('listPartitions', () => {
  it('is correct after produce and after retention (memory mode)', async () => {
    await check({});
  });
  it('is correct after produce and after retention (disk mode)', async () => {
    const home = tempDir();
    try {
      await check({ home });
      const dir = `${home}/spu-1/small-0`;
      const logs = fs.readdirSync(dir).filter((f) => f.endsWith('.log'));
      expect(logs.length).toBeGreaterThan(0);
      expect(logs.every((f) => /^\d{20}\.log$/.test(f))).toBe(true);
      expect(logs).not.toContain('00000000000000000000.log');
    } finally {
      fs.rmSync(home, { recursive: true, force: true });
    }
  });
});
