/**
 * Storage faults mean what they say (issue 14 item 2), threads host: `await fillStorage(n)`
 * resolves once the SPU's workers refuse appends, so a send right after it gets OUT_OF_SPACE (and
 * right after `await freeStorage(n)` succeeds) every time; the fill belongs to the SPU's storage,
 * not its worker, so OutOfSpace survives a crash and restart of the SPU (memory mode) and a
 * cluster shutdown and restart (disk mode, a marker file in the SPU's directory), and clears only
 * on freeStorage. Faults on an SPU id the cluster lacks are INVALID_ARGUMENT.
 */
import fs from 'node:fs';
import path from 'node:path';
import { describe, it, expect } from 'vitest';
import { Cluster, ErrorCode, type PartitionStatusEvent } from '../../src/index.js';
import { eventually, tempDir } from '../helpers.js';

const resolution = async (c: Cluster, topic: string) => (await c.admin.listPartitions()).find((p) => p.topic === topic)!.resolution;
const refusal = (p: Promise<unknown>) => p.then(() => undefined, (e: unknown) => e);

describe('storage faults', () => {
  it('await fillStorage() then a send at once: OUT_OF_SPACE; await freeStorage() then a send: stored (20 rounds)', async () => {
    const c = await Cluster.start({ spus: 2 });
    try {
      await c.admin.createTopic('race', { partitions: 2, replicationFactor: 1 });
      const p = await c.producer('race', { acks: 1, deliveryTimeoutMs: 5_000 });
      const leaders = (await c.admin.listPartitions()).map((x) => x.leader);
      await p.send(null, 'warm-up', { partition: 0 });
      for (let round = 0; round < 20; round++) {
        const partition = round % 2;
        const spu = leaders[partition]!;
        await c.faults.fillStorage(spu);
        expect(await refusal(p.send(null, `refused-${round}`, { partition }))).toMatchObject({ code: ErrorCode.OUT_OF_SPACE });
        await c.faults.freeStorage(spu);
        expect((await p.send(null, `stored-${round}`, { partition })).offset).toBeGreaterThanOrEqual(0);
      }
      await expect(c.faults.fillStorage(9)).rejects.toMatchObject({ code: ErrorCode.INVALID_ARGUMENT });
    } finally {
      await c.shutdown();
    }
  }, 60_000);

  it('OutOfSpace survives a crash and restart of the SPU, and clears only on freeStorage (memory mode)', async () => {
    const c = await Cluster.start({ spus: 1, heartbeatMs: 100, spuTimeoutMs: 1_000 });
    const events: PartitionStatusEvent[] = [];
    c.on('partition-status', (e) => events.push(e));
    try {
      await c.admin.createTopic('full', { partitions: 1 });
      const p = await c.producer('full', { acks: 1, deliveryTimeoutMs: 3_000 });
      await p.send(null, 'before');
      await c.faults.fillStorage(1);
      expect(await refusal(p.send(null, 'refused'))).toMatchObject({ code: ErrorCode.OUT_OF_SPACE });
      await eventually(async () => (await resolution(c, 'full')) === 'OutOfSpace', 5_000, 'OutOfSpace');
      const from = events.length;
      await c.faults.crashSpu(1);
      await eventually(async () => (await c.admin.listSpus())[0]!.status === 'offline', 5_000, 'offline');
      await c.faults.restartSpu(1);
      await eventually(async () => (await c.admin.listSpus())[0]!.status === 'online', 10_000, 'online');
      await new Promise((r) => setTimeout(r, 800)); // several heartbeats with reports
      expect(await resolution(c, 'full')).toBe('OutOfSpace');
      expect(await refusal(p.send(null, 'still refused'))).toMatchObject({ code: ErrorCode.OUT_OF_SPACE });
      // kill -9 style crash supervised by the host: still full after its automatic restart.
      await c.faults.killWorker(1);
      await eventually(async () => (await c.admin.listSpus())[0]!.status === 'online', 10_000, 'online again');
      await new Promise((r) => setTimeout(r, 500));
      expect(await resolution(c, 'full')).toBe('OutOfSpace');
      expect(events.slice(from).filter((e) => e.to === 'Online')).toEqual([]);
      await c.faults.freeStorage(1);
      await eventually(async () => (await resolution(c, 'full')) === 'Online', 5_000, 'Online after freeStorage');
      expect((await p.send(null, 'after')).offset).toBeGreaterThanOrEqual(0);
    } finally {
      await c.shutdown();
    }
  }, 60_000);

  it('OutOfSpace survives a cluster shutdown and restart in disk mode, until freeStorage', async () => {
    const home = tempDir();
    try {
      const c1 = await Cluster.start({ spus: 1, home });
      try {
        await c1.admin.createTopic('disk', { partitions: 1 });
        const p = await c1.producer('disk', { acks: 1, deliveryTimeoutMs: 3_000 });
        await p.send(null, 'kept');
        await c1.faults.fillStorage(1);
        expect(await refusal(p.send(null, 'refused'))).toMatchObject({ code: ErrorCode.OUT_OF_SPACE });
        await eventually(async () => (await resolution(c1, 'disk')) === 'OutOfSpace', 5_000, 'OutOfSpace');
      } finally {
        await c1.shutdown();
      }
      expect(fs.existsSync(path.join(home, 'spu-1', 'storage-filled'))).toBe(true);
      const c2 = await Cluster.start({ spus: 1, home });
      try {
        const p = await c2.producer('disk', { acks: 1, deliveryTimeoutMs: 3_000 });
        expect(await refusal(p.send(null, 'refused again'))).toMatchObject({ code: ErrorCode.OUT_OF_SPACE });
        await new Promise((r) => setTimeout(r, 600));
        expect(await resolution(c2, 'disk')).toBe('OutOfSpace');
        await c2.faults.freeStorage(1);
        expect(fs.existsSync(path.join(home, 'spu-1', 'storage-filled'))).toBe(false);
        await eventually(async () => (await resolution(c2, 'disk')) === 'Online', 5_000, 'Online after freeStorage');
        expect((await p.send(null, 'after')).offset).toBe(1);
      } finally {
        await c2.shutdown();
      }
    } finally {
      fs.rmSync(home, { recursive: true, force: true });
    }
  }, 60_000);
});
