/**
 * Exactly-once produce under faults (DESIGN §5, issue 14 item 1), threads host, RF=3, acks 'all':
 * a 30,000-record stream keeps going while a follower is disconnected for 10 s (then reconnected),
 * or while the leader's SPU crashes (and comes back); the producer's requests time out and are
 * retried meanwhile. The log must hold exactly 30,000 records, each acknowledged one once, at its
 * acknowledged offset, and every replica must converge to the same log.
 *
 * Timing: the disconnected follower leaves the in-sync set when the SC declares its SPU lost
 * (`spuTimeoutMs` 2.5 s) or its leader sees it lag for the topic's `replicaLagMs` (3 s, default
 * 10 s), and the producer's `requestTimeoutMs` is 1 s, so attempts time out and are retried before
 * that — the situation that duplicated records before — while the test stays short.
 * A plain (`idempotent: false`) run of the disconnect case shows the retries do store duplicates
 * (the crash case does too — 30,200 records in a manual run — but not reliably on a loaded machine).
 */
import { describe, it, expect } from 'vitest';
import { Cluster, Offset, type RecordMetadata } from '../../src/index.js';

const N = 30_000;
const CHUNK = 100;
const dec = new TextDecoder();
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

interface Stream { done: Promise<RecordMetadata[]>; sentChunks: () => number }

/** Send N records in chunks of CHUNK, `paceMs` apart, without waiting for acks (pipelined). */
function stream(c: Cluster, topic: string, paceMs: number, idempotent = true): Stream {
  let chunks = 0;
  const done = (async () => {
    const p = await c.producer(topic, { acks: 'all', idempotent, requestTimeoutMs: 1_000, deliveryTimeoutMs: 60_000 });
    const receipts: Promise<RecordMetadata[]>[] = [];
    for (let i = 0; i < N; i += CHUNK) {
      receipts.push(p.sendBatch(Array.from({ length: CHUNK }, (_, j) => ({ value: `rec-${i + j}` }))));
      chunks++;
      await sleep(paceMs);
    }
    await p.flush();
    return (await Promise.all(receipts)).flat();
  })();
  return { done, sentChunks: () => chunks };
}

/** Every record of partition 0 from BASE to HW: value by offset. */
async function readAll(c: Cluster, topic: string): Promise<Map<number, string>> {
  const part = (await c.admin.listPartitions()).find((p) => p.topic === topic)!;
  const out = new Map<number, string>();
  if (part.hw === 0) return out;
  const cons = await c.consumer(topic, { offset: Offset.beginning() });
  for await (const r of cons) {
    out.set(r.offset, dec.decode(r.value));
    if (r.offset >= part.hw - 1) break;
  }
  cons.close();
  return out;
}

async function converged(c: Cluster, topic: string): Promise<void> {
  const deadline = Date.now() + 20_000;
  for (;;) {
    const p = (await c.admin.listPartitions()).find((x) => x.topic === topic)!;
    if (p.resolution === 'Online' && p.inSync.length === 3 && p.replicaStatus.every((r) => r.leo === p.leo && r.hw === p.hw)) return;
    if (Date.now() > deadline) throw new Error(`replicas did not converge: ${JSON.stringify(p)}`);
    await sleep(100);
  }
}

/** The log holds exactly N records, rec-0 … rec-N-1 once each, every ack at its own record. */
function expectExactlyOnce(log: Map<number, string>, acks: RecordMetadata[]): void {
  expect(acks).toHaveLength(N);
  const values = [...log.values()];
  expect(values.length).toBe(N);
  expect(new Set(values).size).toBe(N);
  acks.forEach((a, i) => expect(log.get(a.offset)).toBe(`rec-${i}`));
}

async function startCluster(): Promise<Cluster> {
  const c = await Cluster.start({ spus: 3, heartbeatMs: 100, spuTimeoutMs: 2_500 });
  await c.admin.createTopic('once', { partitions: 1, replicationFactor: 3, replicaLagMs: 3_000 });
  return c;
}

describe('idempotent producer: exactly once under faults (threads, RF=3, acks all)', () => {
  it('a follower disconnected for 10 s mid-stream, then reconnected: exactly 30,000 records', async () => {
    const c = await startCluster();
    try {
      const s = stream(c, 'once', 40);
      while (s.sentChunks() < 30) await sleep(10);
      const part = (await c.admin.listPartitions())[0]!;
      const follower = part.replicas[0]!;
      await c.faults.disconnectSpu(follower);
      await sleep(10_000);
      await c.faults.reconnectSpu(follower);
      expect(s.sentChunks()).toBeLessThan(N / CHUNK); // the stream outlived the disconnect
      const acks = await s.done;
      await converged(c, 'once');
      expectExactlyOnce(await readAll(c, 'once'), acks);
    } finally {
      await c.shutdown();
    }
  }, 90_000);

  it('the leader crashes mid-stream and comes back: exactly 30,000 records', async () => {
    const c = await startCluster();
    try {
      const s = stream(c, 'once', 5);
      while (s.sentChunks() < 100) await sleep(5);
      const leader = (await c.admin.listPartitions())[0]!.leader;
      await c.faults.crashSpu(leader);
      await sleep(3_000);
      await c.faults.restartSpu(leader);
      const acks = await s.done;
      await converged(c, 'once');
      const after = (await c.admin.listPartitions())[0]!;
      expect(after.epoch).toBeGreaterThan(0);
      expectExactlyOnce(await readAll(c, 'once'), acks);
    } finally {
      await c.shutdown();
    }
  }, 90_000);

  it('without idempotence the same disconnect stores retried batches twice (the test bites)', async () => {
    const c = await startCluster();
    try {
      const s = stream(c, 'once', 20, false);
      while (s.sentChunks() < 30) await sleep(10);
      const follower = (await c.admin.listPartitions())[0]!.replicas[0]!;
      await c.faults.disconnectSpu(follower);
      await sleep(5_000);
      await c.faults.reconnectSpu(follower);
      await s.done;
      const log = await readAll(c, 'once');
      expect(log.size).toBeGreaterThan(N);
    } finally {
      await c.shutdown();
    }
  }, 90_000);
});
