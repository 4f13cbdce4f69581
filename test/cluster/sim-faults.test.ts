/**
 * cluster.faults on the simulator: the same calls as on threads, applied at the current virtual
 * time — leader crash and failover, restart and rejoin, a network partition, storage full/free.
 */
import { describe, it, expect } from 'vitest';
import { Cluster, ErrorCode, Offset, type PartitionStatusEvent } from '../../src/index.js';

async function until<T>(c: Cluster, fn: () => Promise<T | undefined | false>, maxMs = 20_000): Promise<T> {
  for (let t = 0; t <= maxMs; t += 100) {
    const v = await fn();
    if (v) return v;
    await c.transport.sleep(100);
  }
  throw new Error('condition not reached in virtual time');
}

describe('faults on the simulator', () => {
  it('crash, restart, partition and storage faults behave as on threads', async () => {
    const c = await Cluster.start({ spus: 3, simulation: { seed: 77 } });
    const events: PartitionStatusEvent[] = [];
    c.on('partition-status', (e) => events.push(e));
    try {
      await c.admin.createTopic('f', { partitions: 1, replicationFactor: 3 });
      const p = await c.producer('f', { acks: 'all' });
      for (let i = 0; i < 50; i++) await p.send(null, `a${i}`);
      const first = (await c.admin.listPartitions())[0]!;

      // Leader crash: a follower takes over; records stay readable; the old leader rejoins.
      await c.faults.crashSpu(first.leader);
      const failed = await until(c, async () => {
        const x = (await c.admin.listPartitions())[0]!;
        return x.resolution === 'Online' && x.leader !== first.leader ? x : undefined;
      });
      expect(events.map((e) => e.to)).toEqual(expect.arrayContaining(['LeaderOffline', 'ElectionLeaderFound', 'Online']));
      for (let i = 50; i < 80; i++) await p.send(null, `a${i}`);
      await c.faults.restartSpu(first.leader);
      await until(c, async () => {
        const x = (await c.admin.listPartitions())[0]!;
        return x.inSync.length === 3 && x.replicaStatus.every((r) => r.leo === 80);
      });

      // A partition cuts the current leader off: another one is elected; healing brings it back.
      await c.faults.disconnectSpu(failed.leader);
      await until(c, async () => (await c.admin.listSpus()).find((s) => s.id === failed.leader)!.status === 'offline');
      await until(c, async () => (await c.admin.listPartitions())[0]!.leader !== failed.leader);
      await c.faults.reconnectSpu(failed.leader);
      await until(c, async () => (await c.admin.listSpus()).every((s) => s.status === 'online'));

      // Storage full on the leader: OUT_OF_SPACE and OutOfSpace; freed: Online again.
      const now = (await c.admin.listPartitions())[0]!;
      await c.faults.fillStorage(now.leader);
      const err = await p.send(null, 'x').then(() => undefined, (e: unknown) => e);
      expect(err).toMatchObject({ code: ErrorCode.OUT_OF_SPACE });
      await until(c, async () => (await c.admin.listPartitions())[0]!.resolution === 'OutOfSpace');
      await c.faults.freeStorage(now.leader);
      await until(c, async () => (await c.admin.listPartitions())[0]!.resolution === 'Online');
      const after = await p.send(null, 'after');
      expect(after.offset).toBe((await c.admin.listPartitions())[0]!.leo - 1);

      const all = await c.consumer('f', { offset: Offset.beginning() });
      const values: string[] = [];
      for await (const r of all) {
        values.push(new TextDecoder().decode(r.value));
        if (r.offset === after.offset) break;
      }
      expect(values.slice(0, 80)).toEqual(Array.from({ length: 80 }, (_, i) => `a${i}`));
      expect(values.at(-1)).toBe('after');
    } finally {
      await c.shutdown();
    }
  });
});
