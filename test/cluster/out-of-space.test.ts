/**
 * OUT_OF_SPACE end to end (threads): a full SPU refuses appends with a typed, retriable error and
 * puts its partitions in OutOfSpace; reads keep working; the state is sticky across a disconnect
 * and reconnect (rebuilt from the SPU's report, not defaulted to Online); freeing space brings the
 * partition back Online and appends work again.
 */
import { describe, it, expect } from 'vitest';
import { Cluster, ErrorCode, Offset, type PartitionStatusEvent } from '../../src/index.js';
import { eventually } from '../helpers.js';

describe('out of space', () => {
  it('refuses appends, keeps reads, stays OutOfSpace across a reconnect, recovers when space is freed', async () => {
    const c = await Cluster.start({ spus: 1, heartbeatMs: 100, spuTimeoutMs: 1_500 });
    const events: PartitionStatusEvent[] = [];
    c.on('partition-status', (e) => events.push(e));
    try {
      await c.admin.createTopic('full', { partitions: 1 });
      const p = await c.producer('full', { acks: 1, deliveryTimeoutMs: 2_000 });
      await p.send(null, 'stored');
      await c.faults.fillStorage(1);
      const err = await p.send(null, 'refused').then(() => undefined, (e: unknown) => e);
      expect(err).toMatchObject({ code: ErrorCode.OUT_OF_SPACE, retriable: true });
      await eventually(async () => (await c.admin.listPartitions())[0]!.resolution === 'OutOfSpace', 5_000, 'OutOfSpace');
      const fromOutOfSpace = events.findIndex((e) => e.to === 'OutOfSpace');
      // Reads keep working.
      const first = await (await c.consumer('full', { offset: Offset.beginning() }))[Symbol.asyncIterator]().next();
      expect(new TextDecoder().decode(first.value.value)).toBe('stored');
      // Sticky across a disconnect/reconnect: never Online while the SPU reports no space.
      await c.faults.disconnectSpu(1);
      await eventually(async () => (await c.admin.listSpus())[0]!.status === 'offline', 5_000, 'offline');
      await c.faults.reconnectSpu(1);
      await eventually(async () => (await c.admin.listSpus())[0]!.status === 'online', 5_000, 'online');
      await new Promise((r) => setTimeout(r, 300));
      expect((await c.admin.listPartitions())[0]!.resolution).toBe('OutOfSpace');
      // From OutOfSpace on, nothing turned the partition Online (no reconnect default).
      expect(events.slice(fromOutOfSpace).filter((e) => e.to === 'Online')).toEqual([]);
      // Space comes back: Online again, appends work.
      await c.faults.freeStorage(1);
      await eventually(async () => (await c.admin.listPartitions())[0]!.resolution === 'Online', 5_000, 'Online again');
      expect(events.some((e) => e.from === 'OutOfSpace' && e.to === 'Online')).toBe(true);
      expect((await p.send(null, 'after')).offset).toBe(1);
    } finally {
      await c.shutdown();
    }
  });
});
