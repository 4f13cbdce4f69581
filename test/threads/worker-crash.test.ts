/**
 * An SPU's worker crashes (a real uncaught exception in the worker thread) in the middle of a
 * produce stream: the supervisor restarts it, the SC sees the SPU go and return, and in disk mode
 * every acknowledged record is readable afterwards at its acknowledged offset.
 */
import { describe, it, expect } from 'vitest';
import fs from 'node:fs';
import { Cluster, Offset, type PartitionStatusEvent, type RecordMetadata } from '../../src/index.js';
import { eventually, tempDir } from '../helpers.js';

describe('worker crash mid-stream (disk mode)', () => {
  it('restarts the SPU, reports it lost and back, and keeps every acknowledged record', async () => {
    const home = tempDir();
    const cluster = await Cluster.start({ spus: 1, home, heartbeatMs: 50, spuTimeoutMs: 500 });
    const events: PartitionStatusEvent[] = [];
    cluster.on('partition-status', (e) => events.push(e));
    try {
      await cluster.admin.createTopic('events', { partitions: 2 });
      const producer = await cluster.producer('events', { acks: 'all', deliveryTimeoutMs: 20_000 });
      const acked = new Map<string, RecordMetadata>();
      const failed: unknown[] = [];
      let crashed = false;
      for (let round = 0; round < 40; round++) {
        const sends = Array.from({ length: 250 }, (_, i) => {
          const value = `r${round}-${i}`;
          return producer.send(`k${i}`, value).then((m) => acked.set(value, m), (e) => failed.push(e));
        });
        if (round === 10) {
          await cluster.faults.killWorker(1);
          crashed = true;
        }
        await Promise.all(sends);
      }
      await producer.flush();
      expect(crashed).toBe(true);
      expect(failed).toEqual([]);
      expect(acked.size).toBe(40 * 250);

      // The SC saw the leader's SPU go and come back.
      await eventually(async () => (await cluster.admin.listPartitions()).every((p) => p.resolution === 'Online'), 10_000, 'partitions online');
      expect(events.some((e) => e.to === 'LeaderOffline')).toBe(true);
      // Back Online — with fsync 'never' the restarted leader is fenced first and comes back through
      // a recovery election (actors/sc/recovery.ts): LeaderOffline → ElectionLeaderFound → Online.
      const lost = events.findIndex((e) => e.to === 'LeaderOffline');
      expect(events.slice(lost).some((e) => e.to === 'Online')).toBe(true);
      expect((await cluster.admin.listSpus()).map((s) => s.status)).toEqual(['online']);

      // Every acknowledged record is at its offset with its bytes.
      for (const partition of [0, 1]) {
        const expected = new Map([...acked].filter(([, m]) => m.partition === partition).map(([v, m]) => [m.offset, v]));
        const last = Math.max(...expected.keys());
        const consumer = await cluster.consumer('events', { partition, offset: Offset.beginning() });
        for await (const r of consumer) {
          const want = expected.get(r.offset);
          if (want !== undefined) expect(new TextDecoder().decode(r.value)).toBe(want);
          expected.delete(r.offset);
          if (r.offset >= last) break;
        }
        expect(expected.size).toBe(0);
      }
    } finally {
      await cluster.shutdown();
      fs.rmSync(home, { recursive: true, force: true });
    }
  });
});

describe('file descriptors of a crashed worker', () => {
  // Node closes the fds a worker thread opened when it exits; this guards that crash/restart
  // loops of disk-mode SPUs stay leak-free (nothing else in the host may hold them).
  it('do not accumulate over crash/restart loops', async () => {
    const home = tempDir();
    const cluster = await Cluster.start({ spus: 1, home, heartbeatMs: 50, spuTimeoutMs: 500 });
    const openFds = () => fs.readdirSync('/proc/self/fd').length;
    try {
      await cluster.admin.createTopic('fds', { partitions: 8 });
      const producer = await cluster.producer('fds', { acks: 1 });
      for (let p = 0; p < 8; p++) await producer.send(null, 'x', { partition: p });
      const before = openFds();
      for (let round = 0; round < 3; round++) {
        await cluster.faults.killWorker(1);
        await eventually(async () => (await cluster.admin.listPartitions()).every((p) => p.resolution === 'Online' && p.leo >= 1 + round), 10_000, 'back online');
        for (let p = 0; p < 8; p++) await producer.send(null, 'y', { partition: p });
      }
      // A leak would leave ≥ 8 segment fds behind per crash.
      expect(openFds()).toBeLessThan(before + 8);
    } finally {
      await cluster.shutdown();
      fs.rmSync(home, { recursive: true, force: true });
    }
  });
});
