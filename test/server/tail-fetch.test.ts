/**
 * The listener's Fetch served from the leader's tail ring (src/server/tail-fetch.ts) answers
 * exactly as the SPU worker does: the same batch bytes, the same HW/LEO/BASE, the same errors,
 * for start offsets at and inside batches, tight and loose maxBytes, both isolation levels; a
 * long poll on the tail returns the batch produced while it waited. And the connect() client,
 * over the listener, reads back every record through both paths.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Cluster, Offset, connect } from '../../src/index.js';
import { backendOf, type ServerBackend } from '../../src/server/backend.js';
import type { FetchReply, Isolation } from '../../actors/messages.js';
import type { TailSession } from '../../src/server/tail-fetch.js';

const hex = (bs: Uint8Array[]): string[] => bs.map((b) => Buffer.from(b.buffer, b.byteOffset, b.byteLength).toString('hex'));
const enc = new TextEncoder();

describe('Fetch from the tail ring (thread host)', () => {
  let cluster: Cluster;
  let backend: ServerBackend;
  let leader: number;
  let total = 0;

  beforeAll(async () => {
    cluster = await Cluster.start({ spus: 1 });
    await cluster.admin.createTopic('tf', { partitions: 1 });
    const p = await cluster.producer('tf', { acks: 1 });
    // Batches of 1 to 40 records, 1 to 300 bytes each: varied batch boundaries.
    for (let b = 0; b < 30; b++) {
      const n = 1 + ((b * 7) % 40);
      await p.sendBatch(Array.from({ length: n }, (_, i) => ({ key: i % 3 === 0 ? null : `k${b}`, value: 'x'.repeat(1 + ((b * 31 + i) % 300)) })));
      total += n;
    }
    leader = (await cluster.admin.listPartitions()).find((x) => x.topic === 'tf')!.leader;
    backend = backendOf(cluster);
  }, 60_000);
  afterAll(() => cluster.shutdown());

  const both = async (offset: number, isolation: Isolation, maxBytes: number, session: TailSession): Promise<[FetchReply | Error, FetchReply | Error]> => {
    const args = { offset, isolation, maxBytes, waitMs: 0 };
    const worker = await backend.fetch('tf', 0, leader, args).catch((e: Error) => e);
    const tail = await backend.fetch('tf', 0, leader, { ...args, session }).catch((e: Error) => e);
    return [worker, tail];
  };

  it('same bytes and counters as the worker, at every offset, maxBytes and isolation', async () => {
    const session = backend.fetchSession();
    let served = 0;
    const read = session.read.bind(session);
    session.read = (replica, args) => {
      const r = read(replica, args);
      if (r !== 'miss') served++;
      return r;
    };
    for (const isolation of ['read_committed', 'read_uncommitted'] as const) {
      for (const maxBytes of [1, 700, 5_000, 1 << 20]) {
        for (let offset = 0; offset <= total; offset += 1 + (offset % 5)) {
          const [worker, tail] = await both(offset, isolation, maxBytes, session);
          expect(worker).not.toBeInstanceOf(Error);
          const w = worker as FetchReply;
          const t = tail as FetchReply;
          expect(hex(t.batches)).toEqual(hex(w.batches));
          expect([t.hw, t.leo, t.base]).toEqual([w.hw, w.leo, w.base]);
        }
        // Backwards again (a client re-reading): still the same answers.
        for (const offset of [total - 1, 3, 0]) {
          const [worker, tail] = await both(offset, isolation, maxBytes, session);
          expect(hex((tail as FetchReply).batches)).toEqual(hex((worker as FetchReply).batches));
        }
      }
    }
    expect(served).toBeGreaterThan(0); // the tail answered (not every fetch fell back to the worker)
  });

  it('an offset past LEO is the worker\'s OFFSET_OUT_OF_RANGE either way', async () => {
    const [worker, tail] = await both(total + 5, 'read_committed', 1 << 20, backend.fetchSession());
    expect(worker).toBeInstanceOf(Error);
    expect((tail as Error & { code?: string }).code).toBe((worker as Error & { code?: string }).code);
  });

  it('a long poll on the tail answers with the batch produced while it waits', async () => {
    const session = backend.fetchSession();
    const end = (await backend.fetch('tf', 0, leader, { offset: 0, isolation: 'read_committed', maxBytes: 1, waitMs: 0, session })).leo;
    const polling = backend.fetch('tf', 0, leader, { offset: end, isolation: 'read_committed', maxBytes: 1 << 20, waitMs: 20_000, session });
    const p = await cluster.producer('tf', { acks: 1 });
    await p.send(null, 'late');
    const r = await polling;
    expect(r.batches.length).toBeGreaterThan(0);
    expect(r.hw).toBeGreaterThan(end);
    total++;
  });

  it('connect() over the listener reads every record back, in order', async () => {
    const l = await cluster.listen({ port: 0 });
    const client = await connect({ brokers: [`${l.host}:${l.port}`] });
    try {
      const c = await client.consumer('tf', { partition: 0, offset: Offset.beginning() });
      let next = 0;
      let values = 0;
      for await (const b of c.batches()) {
        for (let i = 0; i < b.count; i++) {
          expect(b.offsetAt(i)).toBe(next++);
          values += b.valueSizeAt(i) > 0 ? 1 : 0;
        }
        if (next >= total) break;
      }
      c.close();
      expect(values).toBe(total);
      const late = await client.consumer('tf', { partition: 0, offset: Offset.absolute(total - 1) });
      const first = (await late.batches().next()).value!;
      expect(Array.from(first.valueAt(0))).toEqual(Array.from(enc.encode('late')));
      late.close();
    } finally {
      await client.close();
    }
  });
});
