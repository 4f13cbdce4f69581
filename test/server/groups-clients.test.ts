/**
 * Other unmodified clients in consumer groups against the listener:
 * - kcat's balanced consumer (`kcat -G group topic`, librdkafka: JoinGroup with "range" and
 *   "roundrobin", OffsetCommit/OffsetFetch) reads every record of a 4-partition topic and commits;
 *   a second kcat run in the same group resumes after the commits and reads only newer records;
 * - @platformatic/kafka's Consumer.consume() (flexible JoinGroup v7, SyncGroup v5, Heartbeat v4,
 *   OffsetCommit/OffsetFetch v8) reads every record in a group with two members and commits.
 * kcat runs as an async child process (the listener lives in this test process).
 */
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { spawn } from 'node:child_process';
import { Consumer, stringDeserializers } from '@platformatic/kafka';
import { GroupClient } from '../../src/cluster/groups.js';
import { serve, type Served } from './helpers.js';

async function until(what: string, ok: () => boolean | Promise<boolean>, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await ok())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

/** Run kcat until it has printed `count` lines (then stop it with SIGINT, so it commits and leaves). */
function kcatGroup(bootstrap: string, group: string, topic: string, count: number): Promise<string[]> {
  return new Promise((resolve, reject) => {
    const p = spawn('kcat', [
      '-b', bootstrap, '-G', group, topic, '-f', '%s\\n', '-q', '-u',
      '-X', 'auto.offset.reset=earliest', '-X', 'session.timeout.ms=6000', '-X', 'heartbeat.interval.ms=200',
      '-X', 'auto.commit.interval.ms=100', '-X', 'fetch.wait.max.ms=100', '-X', 'topic.metadata.refresh.interval.ms=1000',
    ], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    const lines = () => out.split('\n').filter((l) => l.length > 0);
    const timer = setTimeout(() => {
      p.kill('SIGKILL');
      reject(new Error(`kcat timed out with ${lines().length} of ${count} lines; stderr: ${err.slice(-2000)}`));
    }, 30_000);
    p.stdout.on('data', (d: Buffer) => {
      out += d.toString();
      if (lines().length >= count) p.kill('SIGINT');
    });
    p.stderr.on('data', (d: Buffer) => (err += d.toString()));
    p.on('exit', () => {
      clearTimeout(timer);
      resolve(lines());
    });
    p.on('error', reject);
  });
}

describe('kcat and @platformatic/kafka consumer groups against the listener', () => {
  let s: Served;
  beforeAll(async () => {
    s = await serve({ spus: 2 });
  });
  afterAll(async () => s?.stop());

  async function produce(topic: string, from: number, count: number): Promise<void> {
    const producer = await s.cluster.producer(topic);
    await producer.sendBatch(Array.from({ length: count }, (_, i) => ({ key: `k${from + i}`, value: `v${from + i}` })));
    await producer.flush();
  }

  /** The group's committed offsets of `topic`, by partition, straight from the coordinator. */
  const committed = async (group: string, topic: string) => {
    const reply = await new GroupClient(s.cluster.transport, 5_000).call({ type: 'OffsetFetch', groupId: group, topics: null });
    return new Map(reply.offsets.filter((o) => o.topic === topic).map((o) => [o.partition, o.offset]));
  };

  it('kcat -G consumes every record, commits, and a second run resumes after the commits', async () => {
    await s.cluster.admin.createTopic('kc', { partitions: 4 });
    await produce('kc', 0, 200);
    const first = await kcatGroup(s.bootstrap, 'kcat-group', 'kc', 200);
    expect(new Set(first)).toEqual(new Set(Array.from({ length: 200 }, (_, i) => `v${i}`)));
    const parts = (await s.cluster.admin.listPartitions()).filter((p) => p.topic === 'kc');
    await until('kcat committed to the end', async () => {
      const c = await committed('kcat-group', 'kc');
      return parts.every((p) => c.get(p.partition) === p.hw);
    });
    await produce('kc', 200, 40);
    const second = await kcatGroup(s.bootstrap, 'kcat-group', 'kc', 40);
    expect(new Set(second)).toEqual(new Set(Array.from({ length: 40 }, (_, i) => `v${200 + i}`)));
  });

  it('@platformatic/kafka consumers in one group read every record and commit', async () => {
    await s.cluster.admin.createTopic('plat-group', { partitions: 4 });
    await produce('plat-group', 0, 300);
    const got: string[] = [];
    const consumers = [1, 2].map((i) => new Consumer({
      groupId: 'plat', clientId: `plat-${i}`, bootstrapBrokers: [s.bootstrap], deserializers: stringDeserializers,
      sessionTimeout: 6_000, rebalanceTimeout: 6_000, heartbeatInterval: 200, maxWaitTime: 100, retries: 5, retryDelay: 100,
    }));
    try {
      const streams = await Promise.all(consumers.map((c) => c.consume({ topics: ['plat-group'], mode: 'committed', fallbackMode: 'earliest', autocommit: 100 })));
      for (const st of streams) st.on('data', (m: { value: string }) => void got.push(m.value));
      await until('every record', () => new Set(got).size === 300);
      expect(new Set(got)).toEqual(new Set(Array.from({ length: 300 }, (_, i) => `v${i}`)));
      const parts = (await s.cluster.admin.listPartitions()).filter((p) => p.topic === 'plat-group');
      await until('committed to the end', async () => {
        const c = await committed('plat', 'plat-group');
        return parts.every((p) => c.get(p.partition) === p.hw);
      });
    } finally {
      await Promise.all(consumers.map((c) => c.close(true).catch(() => undefined)));
    }
  });
});
