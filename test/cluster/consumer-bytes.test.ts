/**
 * What a consumer hands out is the caller's own: in memory mode the SPU worker answers fetches
 * with views of the log's shared chunks (no copy across threads), so the consumer copies each
 * batch — writing into a consumed batch's bytes changes nothing any other reader sees.
 */
import { describe, expect, it } from 'vitest';
import { Cluster, Offset } from '../../src/index.js';

describe('consumed batch bytes', () => {
  it('are a private copy: zeroing them leaves the log as it was', async () => {
    // A small tail ring, so that reading from the beginning goes to the worker (shared chunks).
    const cluster = await Cluster.start({ spus: 1, ringBytes: 4096 });
    try {
      await cluster.admin.createTopic('bytes');
      const producer = await cluster.producer('bytes');
      const values = Array.from({ length: 2_000 }, (_, i) => `value-${i}-${'x'.repeat(100)}`);
      await producer.sendBatch(values.map((value) => ({ value })));
      const read = async (mutate: boolean): Promise<string[]> => {
        const out: string[] = [];
        const consumer = await cluster.consumer('bytes', { partition: 0, offset: Offset.beginning() });
        for await (const batch of consumer.batches()) {
          for (const r of batch.records) out.push(new TextDecoder().decode(r.value));
          if (mutate) batch.bytes.fill(0);
          if (out.length >= values.length) break;
        }
        await consumer.close();
        return out;
      };
      expect(await read(true)).toEqual(values);
      expect(await read(false)).toEqual(values);
    } finally {
      await cluster.shutdown();
    }
  }, 30_000);
});
