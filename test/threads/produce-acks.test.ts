/**
 * Produce acks through the ack ring, end to end (threads): thousands of small batches in flight
 * over many partitions each settle once with their own offsets (acks 1 and RF=3 acks=all);
 * sendBatch (one promise per call) keeps per-record metadata in order, through backpressure too;
 * and with one partition's SPU out of space, every record gets its own partition's outcome.
 * No timing is asserted.
 */
import { describe, it, expect } from 'vitest';
import { Cluster, ErrorCode, type RecordMetadata } from '../../src/index.js';

function expectDenseOffsets(metas: RecordMetadata[], partitions: number): void {
  for (let p = 0; p < partitions; p++) {
    const offsets = metas.filter((m) => m.partition === p).map((m) => m.offset).sort((a, b) => a - b);
    expect(offsets).toEqual(offsets.map((_, i) => i));
  }
}

describe('produce acks (ack ring)', () => {
  it('settles thousands of in-flight batches over 16 partitions once each, with their own offsets', async () => {
    const c = await Cluster.start({ spus: 1, threads: 'spu' });
    try {
      await c.admin.createTopic('many', { partitions: 16 });
      // Batches of one or two records, not idempotent: thousands in flight at once.
      const p = await c.producer('many', { acks: 1, idempotent: false, batchBytes: 128 });
      const n = 12_000;
      const metas = await Promise.all(Array.from({ length: n }, (_, i) => p.send(null, `v${i}`, { partition: i % 16 })));
      expect(metas).toHaveLength(n);
      metas.forEach((m, i) => expect(m.partition).toBe(i % 16));
      expectDenseOffsets(metas, 16);
      // In send order within a partition.
      for (let i = 16; i < n; i++) expect(metas[i]!.offset).toBe(metas[i - 16]!.offset + 1);
    } finally {
      await c.shutdown();
    }
  });

  it('acks=all on RF=3: every batch is answered once the HW covers it', async () => {
    const c = await Cluster.start({ spus: 3, threads: 'spu' });
    try {
      await c.admin.createTopic('rf3', { partitions: 4, replicationFactor: 3 });
      const p = await c.producer('rf3', { acks: 'all', batchBytes: 256 });
      const metas = await Promise.all(Array.from({ length: 4000 }, (_, i) => p.send(null, `r${i}`, { partition: i % 4 })));
      expectDenseOffsets(metas, 4);
    } finally {
      await c.shutdown();
    }
  });

  it('sendBatch resolves one metadata per record, in order, also when records wait behind backpressure', async () => {
    const c = await Cluster.start({ spus: 1, threads: 'spu' });
    try {
      await c.admin.createTopic('sb', { partitions: 3 });
      const roomy = await c.producer('sb', { acks: 1 });
      const tight = await c.producer('sb', { acks: 1, maxBufferedBytes: 1, batchBytes: 256 });
      const records = Array.from({ length: 900 }, (_, i) => ({ value: `s${i}`, partition: i % 3 }));
      const a = await roomy.sendBatch(records);
      const b = await tight.sendBatch(records); // most records queue: their receipts are bound later
      const both = [...a, ...b];
      records.forEach((r, i) => {
        expect(a[i]).toMatchObject({ topic: 'sb', partition: r.partition });
        expect(b[i]!.partition).toBe(r.partition);
        expect(b[i]!.offset).toBeGreaterThan(a[i]!.offset);
      });
      expectDenseOffsets(both, 3);
      expect(await roomy.sendBatch([])).toEqual([]);
    } finally {
      await c.shutdown();
    }
  });

  it('one partition out of space: each record gets its own partition outcome', async () => {
    const c = await Cluster.start({ spus: 2, threads: 'spu' });
    try {
      await c.admin.createTopic('split', { partitions: 2, replicationFactor: 1 });
      const parts = await c.admin.listPartitions();
      const leaderOf = (p: number) => parts.find((x) => x.topic === 'split' && x.partition === p)!.leader;
      expect(leaderOf(0)).not.toBe(leaderOf(1));
      const prod = await c.producer('split', { acks: 1, deliveryTimeoutMs: 2_000 });
      await prod.sendBatch([{ value: 'a', partition: 0 }, { value: 'b', partition: 1 }]);
      await c.faults.fillStorage(leaderOf(1));
      const sends = Array.from({ length: 200 }, (_, i) => prod.send(null, `x${i}`, { partition: i % 2 }).then((m) => m, (e: unknown) => e));
      const mixed = prod.sendBatch(Array.from({ length: 200 }, (_, i) => ({ value: `y${i}`, partition: i % 2 })));
      const healthy = prod.sendBatch(Array.from({ length: 100 }, (_, i) => ({ value: `z${i}`, partition: 0 })));
      const results = await Promise.all(sends);
      results.forEach((r, i) => {
        if (i % 2 === 0) expect(r).toMatchObject({ partition: 0, offset: 1 + i / 2 });
        else expect(r).toMatchObject({ code: ErrorCode.OUT_OF_SPACE });
      });
      await expect(mixed).rejects.toMatchObject({ code: ErrorCode.OUT_OF_SPACE });
      const ok = await healthy;
      expect(ok.map((m) => m.partition)).toEqual(ok.map(() => 0));
      await prod.flush(); // every failure was observed by its own caller
    } finally {
      await c.shutdown();
    }
  });
});
