/**
 * A producer faster than the cluster gets backpressure: its sends wait, the bytes it buffers stay
 * bounded by maxBufferedBytes (plus one batch), and every record still arrives in order.
 */
import { describe, it, expect } from 'vitest';
import { Cluster, Offset } from '../../src/index.js';

describe('producer backpressure', () => {
  it('bounds buffered bytes while 50,000 un-awaited sends drain in order', async () => {
    const cluster = await Cluster.start({ spus: 1, produceRingBytes: 64 * 1024 });
    try {
      await cluster.admin.createTopic('bp', { partitions: 1 });
      const limit = 128 * 1024;
      const producer = await cluster.producer('bp', { acks: 1, maxBufferedBytes: limit, batchBytes: 16 * 1024 });
      let maxSeen = 0;
      const sampler = setInterval(() => (maxSeen = Math.max(maxSeen, producer.bufferedBytes)), 0);
      const sends = [];
      for (let i = 0; i < 50_000; i++) {
        sends.push(producer.send(null, `record-${i}-${'z'.repeat(80)}`));
        maxSeen = Math.max(maxSeen, producer.bufferedBytes);
      }
      const acks = await Promise.all(sends);
      clearInterval(sampler);
      expect(maxSeen).toBeLessThanOrEqual(limit + 16 * 1024 + 1024);
      expect(acks.map((a) => a.offset)).toEqual(acks.map((_, i) => i));
      const consumer = await cluster.consumer('bp', { offset: Offset.fromEnd(1) });
      const last = await consumer[Symbol.asyncIterator]().next();
      expect(new TextDecoder().decode(last.value.value)).toBe(`record-49999-${'z'.repeat(80)}`);
    } finally {
      await cluster.shutdown();
    }
  });
});
