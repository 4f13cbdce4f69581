/**
 * Admin: list/delete topics and SPUs, on the simulator and in disk mode (where deleting a topic
 * removes its replica directories).
 */
import { describe, it, expect } from 'vitest';
import fs from 'node:fs';
import path from 'node:path';
import { Cluster, Offset } from '../../src/index.js';
import { eventually, tempDir } from '../helpers.js';

describe('admin', () => {
  it('lists and deletes topics, lists SPUs (sim)', async () => {
    const c = await Cluster.start({ spus: 3, simulation: { seed: 9 } });
    try {
      await c.admin.createTopic('b-topic', { partitions: 3, replicationFactor: 1 });
      await c.admin.createTopic('a-topic', { partitions: 1 });
      expect((await c.admin.listTopics()).map((t) => [t.name, t.partitions, t.replicationFactor])).toEqual([
        ['a-topic', 1, 1],
        ['b-topic', 3, 1],
      ]);
      const spus = await c.admin.listSpus();
      expect(spus.map((s) => [s.id, s.status])).toEqual([[1, 'online'], [2, 'online'], [3, 'online']]);
      // Leaders spread round-robin over the SPUs.
      const leaders = (await c.admin.listPartitions()).filter((p) => p.topic === 'b-topic').map((p) => p.leader);
      expect(leaders).toEqual([1, 2, 3]);
      // Read-your-writes: a listing right after an ack includes that append.
      const prod = await c.producer('b-topic', { acks: 1 });
      for (let i = 1; i <= 3; i++) {
        await prod.send(null, `m${i}`, { partition: 2 });
        const p2 = (await c.admin.listPartitions()).find((p) => p.topic === 'b-topic' && p.partition === 2)!;
        expect([p2.hw, p2.leo]).toEqual([i, i]);
      }
      await c.admin.deleteTopic('b-topic');
      expect((await c.admin.listTopics()).map((t) => t.name)).toEqual(['a-topic']);
      expect((await c.admin.listPartitions()).map((p) => p.topic)).toEqual(['a-topic']);
    } finally {
      await c.shutdown();
    }
  });

  it('removes a deleted topic’s files in disk mode and keeps SC metadata on disk', async () => {
    const home = tempDir();
    const c = await Cluster.start({ spus: 1, home });
    try {
      await c.admin.createTopic('gone', { partitions: 2 });
      const p = await c.producer('gone');
      await p.send(null, 'x');
      const dir = path.join(home, 'spu-1', 'gone-0');
      await eventually(() => fs.existsSync(dir), 5_000, 'replica dir');
      const meta = JSON.parse(fs.readFileSync(path.join(home, 'metadata', 'sc.json'), 'utf8'));
      expect(meta.topics.map((t: { name: string }) => t.name)).toEqual(['gone']);
      await c.admin.deleteTopic('gone');
      await eventually(() => !fs.existsSync(dir) && !fs.existsSync(path.join(home, 'spu-1', 'gone-1')), 5_000, 'dirs removed');
      const after = JSON.parse(fs.readFileSync(path.join(home, 'metadata', 'sc.json'), 'utf8'));
      expect(after.topics).toEqual([]);
    } finally {
      await c.shutdown();
      fs.rmSync(home, { recursive: true, force: true });
    }
  });
});

describe('a topic deleted under a producer and a consumer', () => {
  it('fails both with UNKNOWN_TOPIC instead of retrying forever', async () => {
    const c = await Cluster.start({ spus: 1 });
    try {
      await c.admin.createTopic('doomed');
      const p = await c.producer('doomed', { acks: 1 });
      await p.send(null, 'first');
      const cons = await c.consumer('doomed', { offset: Offset.end(), waitMs: 50 });
      const it = cons.batches();
      const pending = it.next();
      await c.admin.deleteTopic('doomed');
      await expect(pending).rejects.toMatchObject({ code: 'UNKNOWN_TOPIC' });
      await expect(p.send(null, 'second')).rejects.toMatchObject({ code: 'UNKNOWN_TOPIC' });
    } finally {
      await c.shutdown();
    }
  });
});
