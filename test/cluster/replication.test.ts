/**
 * Leader/follower replication (DESIGN §5) through the embedded API: with RF=3 every acks=all
 * record is on every replica, HW/LEO converge, the logs are byte-identical (sim), and when the
 * leader's SPU crashes a live in-sync follower takes over with every acknowledged record (threads).
 */
import { describe, it, expect } from 'vitest';
import { Cluster, Offset, type PartitionStatusEvent, type RecordMetadata } from '../../src/index.js';
import type { PartitionLog } from '../../src/storage/index.js';
import { eventually } from '../helpers.js';

const dec = new TextDecoder();

function allBatches(log: PartitionLog): Uint8Array[] {
  const out: Uint8Array[] = [];
  let next = log.base;
  while (next < log.leo) {
    const r = log.read(next, { maxOffset: log.leo });
    out.push(...r.batches.map((b) => b.slice()));
    next = r.nextOffset;
  }
  return out;
}

describe('replication', () => {
  it('replicates acks=all records to every replica, byte for byte (sim)', async () => {
    const c = await Cluster.start({ spus: 3, simulation: { seed: 31 } });
    try {
      await c.admin.createTopic('rep', { partitions: 3, replicationFactor: 3 });
      const p = await c.producer('rep', { acks: 'all' });
      const acks = await Promise.all(Array.from({ length: 3000 }, (_, i) => p.send(`k${i}`, `v${i}`)));
      const parts = await c.admin.listPartitions();
      for (const part of parts) {
        const n = acks.filter((a) => a.partition === part.partition).length;
        expect(part.replicas).toHaveLength(2);
        expect(part.hw).toBe(n); // acks=all: every acknowledged record is committed
        expect(part.inSync).toContain(part.leader);
      }
      // Followers converge to the leader's LEO and HW, with identical bytes.
      const sim = c.simulator!;
      await c.transport.sleep(2_000);
      for (const part of await c.admin.listPartitions()) {
        expect(part.replicaStatus.map((r) => [r.hw, r.leo])).toEqual([[part.leo, part.leo], [part.leo, part.leo], [part.leo, part.leo]]);
        expect([...part.inSync].sort()).toEqual([1, 2, 3]);
        const logs = [1, 2, 3].map((spu) => allBatches(sim.storage.openLog(spu, 'rep', part.partition, {})));
        expect(logs[1]).toEqual(logs[0]);
        expect(logs[2]).toEqual(logs[0]);
      }
    } finally {
      await c.shutdown();
    }
  });

  it('fails over to an in-sync follower when the leader crashes, keeping every acknowledged record (threads)', async () => {
    const c = await Cluster.start({ spus: 3, heartbeatMs: 100, spuTimeoutMs: 1_000 });
    const events: PartitionStatusEvent[] = [];
    c.on('partition-status', (e) => events.push(e));
    try {
      await c.admin.createTopic('fo', { partitions: 1, replicationFactor: 3 });
      const p = await c.producer('fo', { acks: 'all', deliveryTimeoutMs: 20_000 });
      const acked: RecordMetadata[] = [];
      for (let i = 0; i < 500; i++) acked.push(await p.send(null, `before-${i}`));
      const oldLeader = (await c.admin.listPartitions())[0]!.leader;
      await c.faults.crashSpu(oldLeader);
      const after = await eventually(async () => {
        const part = (await c.admin.listPartitions())[0]!;
        return part.resolution === 'Online' && part.leader !== oldLeader ? part : undefined;
      }, 15_000, 'new leader');
      expect(events.some((e) => e.to === 'LeaderOffline')).toBe(true);
      expect(events.some((e) => e.to === 'ElectionLeaderFound')).toBe(true);
      expect(after.epoch).toBeGreaterThan(0);
      for (let i = 0; i < 200; i++) acked.push(await p.send(null, `after-${i}`));
      // Every acknowledged record is readable at its offset from the new leader.
      const want = new Map(acked.map((m, i) => [m.offset, i < 500 ? `before-${i}` : `after-${i - 500}`]));
      const cons = await c.consumer('fo', { offset: Offset.beginning() });
      let seen = 0;
      for await (const r of cons) {
        if (want.has(r.offset)) {
          expect(dec.decode(r.value)).toBe(want.get(r.offset));
          seen++;
        }
        if (r.offset >= Math.max(...want.keys())) break;
      }
      expect(seen).toBe(want.size);
      // The old leader comes back as a follower and catches up.
      await c.faults.restartSpu(oldLeader);
      await eventually(async () => {
        const part = (await c.admin.listPartitions())[0]!;
        const old = part.replicaStatus.find((r) => r.spu === oldLeader);
        return old && old.leo === part.leo && part.inSync.includes(oldLeader);
      }, 15_000, 'old leader caught up');
    } finally {
      await c.shutdown();
    }
  });
});

describe('network partition (threads)', () => {
  it('elects a new leader when the leader is cut off, and the old one rejoins as a follower after reconnect', async () => {
    const c = await Cluster.start({ spus: 3, heartbeatMs: 100, spuTimeoutMs: 1_000 });
    try {
      await c.admin.createTopic('np', { partitions: 1, replicationFactor: 3, replicaLagMs: 500 });
      const p = await c.producer('np', { acks: 'all', deliveryTimeoutMs: 20_000 });
      const acked: RecordMetadata[] = [];
      for (let i = 0; i < 300; i++) acked.push(await p.send(null, `r${i}`));
      const oldLeader = (await c.admin.listPartitions())[0]!.leader;
      await c.faults.disconnectSpu(oldLeader);
      await eventually(async () => {
        const part = (await c.admin.listPartitions())[0]!;
        return part.resolution === 'Online' && part.leader !== oldLeader;
      }, 15_000, 'new leader');
      expect((await c.admin.listSpus()).find((s) => s.id === oldLeader)!.status).toBe('offline');
      for (let i = 300; i < 500; i++) acked.push(await p.send(null, `r${i}`));
      await c.faults.reconnectSpu(oldLeader);
      const healed = await eventually(async () => {
        const part = (await c.admin.listPartitions())[0]!;
        const old = part.replicaStatus.find((r) => r.spu === oldLeader);
        return old && old.leo === part.leo && part.inSync.includes(oldLeader) ? part : undefined;
      }, 15_000, 'old leader back in sync');
      expect(healed.leo).toBe(500);
      const cons = await c.consumer('np', { offset: Offset.beginning() });
      let n = 0;
      for await (const r of cons) {
        expect(dec.decode(r.value)).toBe(`r${r.offset}`);
        if (++n === 500) break;
      }
      expect(acked.map((m) => m.offset)).toEqual(acked.map((_, i) => i));
    } finally {
      await c.shutdown();
    }
  });
});
