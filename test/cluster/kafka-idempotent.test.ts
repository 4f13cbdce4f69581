/**
 * Kafka clients' idempotent producers get the same deduplication as rivulet's own (DESIGN §5, §8):
 * InitProducerId on the listener is the SC's producer-id grant (distinct ids, epoch 0); kafkajs
 * with `idempotent: true` stores every record once with its producer id and sequences in the batch
 * headers; a batch produced again through the listener's Produce path (a client retry) is answered
 * with its first offsets and not stored twice; a gap is OUT_OF_ORDER_SEQUENCE (wire code 45).
 */
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { Kafka } from 'kafkajs';
import { Offset, RivuletError } from '../../src/index.js';
import { backendOf } from '../../src/server/backend.js';
import { producerStamp } from '../../actors/replica/producer-state.js';
import { toWire } from '../../src/runtime/wire-codes.js';
import { stampBatch } from '../../src/cluster/producer-sequences.js';
import { serve, kafkajsQuiet, type Served } from '../server/helpers.js';

describe('Kafka clients: idempotent produce through the listener', () => {
  let s: Served;
  let kafka: Kafka;
  beforeAll(async () => {
    s = await serve({ spus: 3 });
    kafka = new Kafka({ clientId: 'idem-test', brokers: [s.bootstrap], ...kafkajsQuiet });
  });
  afterAll(async () => s?.stop());

  it('kafkajs idempotent: ids from the SC, every record once, retries answered with the first offsets', async () => {
    await s.cluster.admin.createTopic('kid', { partitions: 1, replicationFactor: 3 });
    const producers = [kafka.producer({ idempotent: true, maxInFlightRequests: 1 }), kafka.producer({ idempotent: true, maxInFlightRequests: 1 })];
    for (const p of producers) await p.connect();
    try {
      for (let i = 0; i < 10; i++) {
        for (const [n, p] of producers.entries()) {
          await p.send({ topic: 'kid', acks: -1, messages: Array.from({ length: 50 }, (_, j) => ({ value: `p${n}-${i * 50 + j}` })) });
        }
      }
    } finally {
      for (const p of producers) await p.disconnect();
    }
    const cons = await s.cluster.consumer('kid', { offset: Offset.beginning() });
    const batches: Uint8Array[] = [];
    const values: string[] = [];
    for await (const b of cons.batches()) {
      batches.push(b.bytes);
      for (const r of b.records) values.push(new TextDecoder().decode(r.value));
      if (b.lastOffset >= 999) break;
    }
    cons.close();
    expect(values).toHaveLength(1000);
    expect(new Set(values).size).toBe(1000);
    const stamps = batches.map((b) => producerStamp(b)!);
    const ids = [...new Set(stamps.map((st) => st.producerId))];
    expect(ids).toHaveLength(2); // one SC-granted id per producer
    for (const id of ids) {
      const mine = stamps.filter((st) => st.producerId === id);
      expect(mine.map((st) => st.firstSeq)).toEqual(mine.map((_, i) => i * 50)); // 0, 50, 100, …
    }

    // A client retry of a stored batch, through the listener's produce path: its first offsets.
    const backend = backendOf(s.cluster);
    const leader = (await s.cluster.admin.listPartitions()).find((p) => p.topic === 'kid')!.leader;
    const again = await backend.produce('kid', 0, leader, batches.at(-2)!.slice(), 'all', 5_000);
    expect(again).toEqual({ baseOffset: 900, lastOffset: 949 });
    // A gap: OUT_OF_ORDER_SEQUENCE, Kafka's wire code 45.
    const last = stamps.at(-1)!;
    const gap = stampBatch(batches[0]!, last.producerId, last.epoch, last.lastSeq + 100);
    const err = await backend.produce('kid', 0, leader, gap, 'all', 5_000).then(() => undefined, (e: unknown) => e);
    expect(err).toBeInstanceOf(RivuletError);
    expect(toWire((err as RivuletError).code)).toBe(45);
    expect((await s.cluster.admin.listPartitions()).find((p) => p.topic === 'kid')!.leo).toBe(1000);
  });
});
