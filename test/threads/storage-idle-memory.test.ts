/**
 * What 1,000 idle partitions cost (issue #16: ≤ 100 KiB each in memory mode). Measured, not timed:
 * bytes allocated, from the SPU worker's heap snapshot (every JS object plus ArrayBuffer and
 * SharedArrayBuffer backing stores: tail rings, segment chunks, mailboxes) before and after a
 * 1,000-partition topic comes online, plus the main thread's heap growth after a full GC. RSS is
 * left to scripts/idle-partitions.mjs (it depends on the allocator and the machine).
 * Reaches into the thread host (pool, tail rings) through a structural cast: a measurement only.
 */
import { describe, expect, it } from 'vitest';
import v8 from 'node:v8';
import vm from 'node:vm';
import type { Worker } from 'node:worker_threads';
import { Cluster } from '../../src/index.js';

const PARTITIONS = 1000;
const LIMIT_BYTES_PER_PARTITION = 100 * 1024;

interface HostInternals {
  pool: { live(): { worker: Worker }[] };
  tailRings: { footprint(): { rings: number; bytes: number } };
}

/** Sum of self sizes of every node in a worker's heap snapshot (JS heap + array buffer stores). */
async function workerHeapBytes(worker: Worker): Promise<number> {
  const chunks: Buffer[] = [];
  for await (const c of await worker.getHeapSnapshot()) chunks.push(Buffer.from(c as Uint8Array));
  const snap = JSON.parse(Buffer.concat(chunks).toString('utf8')) as { snapshot: { meta: { node_fields: string[] } }; nodes: number[] };
  const fields = snap.snapshot.meta.node_fields;
  const selfSize = fields.indexOf('self_size');
  let total = 0;
  for (let i = selfSize; i < snap.nodes.length; i += fields.length) total += snap.nodes[i]!;
  return total;
}

function mainHeapBytes(): number {
  v8.setFlagsFromString('--expose-gc');
  (vm.runInNewContext('gc') as () => void)();
  return process.memoryUsage().heapUsed;
}

describe('1,000 idle partitions (memory mode, 1 SPU, RF=1, default options)', () => {
  it('cost at most 100 KiB each (allocated bytes, reported)', async () => {
    const cluster = await Cluster.start({ spus: 1 });
    try {
      const host = cluster.transport.faults as unknown as HostInternals;
      const [slot] = host.pool.live();
      const workerBefore = await workerHeapBytes(slot!.worker);
      const mainBefore = mainHeapBytes();
      await cluster.admin.createTopic('idle', { partitions: PARTITIONS, replicationFactor: 1 });
      const workerAfter = await workerHeapBytes(slot!.worker);
      const mainAfter = mainHeapBytes();
      const rings = host.tailRings.footprint();
      const worker = (workerAfter - workerBefore) / PARTITIONS;
      const main = Math.max(0, mainAfter - mainBefore) / PARTITIONS;
      const kib = (n: number) => `${(n / 1024).toFixed(1)} KiB`;
      console.log(
        `idle partition memory: ${kib(worker + main)} each — worker ${kib(worker)} (of which tail ring ${kib(rings.bytes / rings.rings)}), main thread ${kib(main)}`,
      );
      expect(rings.rings).toBe(PARTITIONS);
      expect(worker + main).toBeLessThanOrEqual(LIMIT_BYTES_PER_PARTITION);
    } finally {
      await cluster.shutdown();
    }
  }, 120_000);
});
