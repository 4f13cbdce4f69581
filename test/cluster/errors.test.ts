/**
 * Bad input gets a typed error with a stable code and loses nothing: invalid names, unknown
 * topics, partitions out of range, RF larger than the SPU count, duplicate topics, bad acks,
 * oversized records. Runs on the simulator (fast) and once on threads.
 */
import { describe, it, expect } from 'vitest';
import { Cluster, ErrorCode, Offset, RivuletError } from '../../src/index.js';

async function withCluster(opts: Parameters<typeof Cluster.start>[0], fn: (c: Cluster) => Promise<void>) {
  const c = await Cluster.start(opts);
  try {
    await fn(c);
  } finally {
    await c.shutdown();
  }
}

const expectCode = async (p: Promise<unknown>, code: string) => {
  const err = await p.then(() => undefined, (e: unknown) => e);
  expect(err).toBeInstanceOf(RivuletError);
  expect((err as RivuletError).code).toBe(code);
  expect((err as RivuletError).message.length).toBeGreaterThan(10);
};

for (const [name, opts] of [['sim', { simulation: { seed: 5 } }], ['threads', {}]] as const) {
  describe(`typed errors (${name})`, () => {
    it('rejects bad topics, partitions, replication and records without losing data', async () => {
      await withCluster({ spus: 2, ...opts }, async (c) => {
        await expectCode(c.admin.createTopic('Bad Name'), ErrorCode.INVALID_NAME);
        await expectCode(c.admin.createTopic('-x'), ErrorCode.INVALID_NAME);
        await expectCode(c.admin.createTopic('t', { replicationFactor: 3 }), ErrorCode.INVALID_REPLICATION);
        await expectCode(c.admin.createTopic('t', { partitions: 0 }), ErrorCode.INVALID_CONFIG);
        await expectCode(c.admin.createTopic('t', { segmentBytes: -1 }), ErrorCode.INVALID_CONFIG);
        await expectCode(c.admin.createTopic('t', { fsync: 'sometimes' as never }), ErrorCode.INVALID_CONFIG);
        await expectCode(c.admin.createTopic('t', { replicaLagMs: 0 }), ErrorCode.INVALID_CONFIG);
        await c.admin.createTopic('t', { partitions: 2 });
        await expectCode(c.admin.createTopic('t'), ErrorCode.TOPIC_EXISTS);
        await expectCode(c.producer('nope'), ErrorCode.UNKNOWN_TOPIC);
        await expectCode(c.consumer('nope'), ErrorCode.UNKNOWN_TOPIC);
        await expectCode(c.consumer('t', { partition: 2 }), ErrorCode.UNKNOWN_PARTITION);
        await expectCode(c.admin.deleteTopic('nope'), ErrorCode.UNKNOWN_TOPIC);
        await expect(c.producer('t', { acks: 2 as never })).rejects.toMatchObject({ code: ErrorCode.INVALID_CONFIG });
        const p = await c.producer('t', { acks: 1, maxRecordBytes: 1000 });
        const good = await p.send('k', 'kept', { partition: 1 });
        await expectCode(p.send('k', 'x', { partition: 5 }), ErrorCode.UNKNOWN_PARTITION);
        await expectCode(p.send('k', 'y'.repeat(2000), { partition: 1 }), ErrorCode.RECORD_TOO_LARGE);
        await expectCode(c.consumer('t', { partition: 1, offset: Offset.absolute(5) }), ErrorCode.OFFSET_OUT_OF_RANGE); // at creation
        // Nothing was lost or corrupted by the bad calls.
        const again = await c.consumer('t', { partition: 1, offset: Offset.beginning() });
        const first = await again[Symbol.asyncIterator]().next();
        expect(first.value.offset).toBe(good.offset);
        expect(new TextDecoder().decode(first.value.value)).toBe('kept');
        const parts = await c.admin.listPartitions();
        expect(parts.map((x) => [x.partition, x.leo])).toEqual([[0, 0], [1, 1]]);
      });
    });
  });
}

describe('start options', () => {
  it('rejects a bad SPU count', async () => {
    await expectCode(Cluster.start({ spus: 0 }), ErrorCode.INVALID_CONFIG);
  });
});
