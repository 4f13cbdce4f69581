/**
 * Disk mode survives a graceful shutdown: a cluster started again on the same home finds its
 * topics (SC metadata), its records at the same offsets (segment recovery), its HW, and goes on
 * appending after them.
 */
import { describe, it, expect } from 'vitest';
import fs from 'node:fs';
import { spawn } from 'node:child_process';
import { Cluster, Offset } from '../../src/index.js';
import { tempDir } from '../helpers.js';

describe('restart from the same home', () => {
  it('keeps topics, records and offsets', async () => {
    const home = tempDir();
    try {
      const first = await Cluster.start({ spus: 1, home });
      // Infinity must survive the JSON metadata (it is not valid JSON on its own).
      await first.admin.createTopic('kept', { partitions: 2, segmentBytes: 2048, retentionMs: Infinity, maxPartitionBytes: Infinity });
      const p1 = await first.producer('kept', { acks: 'all' });
      const acks = await Promise.all(Array.from({ length: 500 }, (_, i) => p1.send(`k${i}`, `v${i}`)));
      const before = await first.admin.listPartitions();
      await first.shutdown();

      const second = await Cluster.start({ spus: 1, home });
      try {
        expect((await second.admin.listTopics()).map((t) => [t.name, t.partitions, t.config.retentionMs])).toEqual([['kept', 2, Infinity]]);
        const parts = await second.admin.waitOnline('kept');
        expect(parts.map((p) => [p.partition, p.base, p.hw, p.leo])).toEqual(before.map((p) => [p.partition, p.base, p.hw, p.leo]));
        for (const partition of [0, 1]) {
          const want = acks.map((a, i) => ({ ...a, i })).filter((a) => a.partition === partition);
          const c = await second.consumer('kept', { partition, offset: Offset.beginning() });
          let n = 0;
          for await (const r of c) {
            expect(r.offset).toBe(want[n]!.offset);
            expect(new TextDecoder().decode(r.value)).toBe(`v${want[n]!.i}`);
            if (++n === want.length) break;
          }
        }
        const p2 = await second.producer('kept', { acks: 'all' });
        const next = await p2.send(null, 'after restart', { partition: 0 });
        expect(next.offset).toBe(before[0]!.leo);
      } finally {
        await second.shutdown();
      }
    } finally {
      fs.rmSync(home, { recursive: true, force: true });
    }
  });
});

describe('one cluster per home', () => {
  it('refuses a second cluster on a home in use, and takes over a lock left by a dead process', async () => {
    const home = tempDir();
    try {
      const a = await Cluster.start({ spus: 1, home });
      await expect(Cluster.start({ spus: 1, home })).rejects.toThrow(/is already in use/);
      await a.shutdown();
      // A lock held by another live process is respected.
      const other = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 30000)'], { stdio: 'ignore' });
      try {
        fs.mkdirSync(`${home}/run`, { recursive: true });
        fs.writeFileSync(`${home}/run/lock`, `${other.pid}\n`);
        await expect(Cluster.start({ spus: 1, home })).rejects.toThrow(new RegExp(`in use by process ${other.pid}`));
      } finally {
        other.kill('SIGKILL');
        await new Promise((r) => other.once('exit', r));
      }
      // A lock from a process that no longer exists (kill -9) is stale.
      fs.mkdirSync(`${home}/run`, { recursive: true });
      fs.writeFileSync(`${home}/run/lock`, '999999999\n');
      const b = await Cluster.start({ spus: 1, home });
      expect(fs.readFileSync(`${home}/run/lock`, 'utf8').trim()).toBe(String(process.pid));
      await b.shutdown();
      expect(fs.existsSync(`${home}/run/lock`)).toBe(false);
    } finally {
      fs.rmSync(home, { recursive: true, force: true });
    }
  });
});
