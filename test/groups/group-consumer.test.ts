/**
 * The embedded group consumer (`cluster.consumer(topic, { groupId })`) on the thread host and on
 * the simulator: members split the partitions (kafkajs's round robin), read every record once
 * from the committed offsets, rebalance when a member closes, commit (explicitly and
 * automatically), and admin.listGroups/describeGroup show members, assignments and lag.
 * The consumer-protocol encodings match kafkajs's byte for byte.
 */
import { describe, it, expect } from 'vitest';
import { AssignerProtocol } from 'kafkajs';
import { Cluster, Offset, type GroupConsumer } from '../../src/index.js';
import { decodeAssignment, decodeSubscription, encodeAssignment, encodeSubscription, roundRobinAssign } from '../../src/cluster/consumer-protocol.js';

const dec = new TextDecoder();

async function readN(c: GroupConsumer, n: number, into: string[]): Promise<void> {
  if (n <= 0) return;
  let got = 0;
  for await (const r of c) {
    into.push(dec.decode(r.value));
    if (++got >= n) return;
  }
}

describe('consumer protocol', () => {
  it('encodes subscriptions and assignments exactly as kafkajs does, and decodes kafkajs bytes', () => {
    const kjSub = AssignerProtocol.MemberMetadata.encode({ version: 0, topics: ['a', 'bb'], userData: Buffer.alloc(0) });
    expect(Buffer.from(encodeSubscription(['a', 'bb']))).toEqual(kjSub);
    expect(decodeSubscription(kjSub).topics).toEqual(['a', 'bb']);
    const kjAsg = AssignerProtocol.MemberAssignment.encode({ version: 0, assignment: { a: [0, 2], bb: [1] }, userData: Buffer.alloc(0) });
    expect(Buffer.from(encodeAssignment(new Map([['a', [0, 2]], ['bb', [1]]])))).toEqual(kjAsg);
    expect([...decodeAssignment(kjAsg)]).toEqual([['a', [0, 2]], ['bb', [1]]]);
    expect(decodeAssignment(new Uint8Array(0)).size).toBe(0);
  });

  it("assigns like kafkajs's RoundRobinAssigner: sorted members, partition p to member p mod n", () => {
    const a = roundRobinAssign([{ memberId: 'm2', topics: ['t'] }, { memberId: 'm1', topics: ['t', 'u'] }], (t) => (t === 't' ? 5 : 2));
    expect([...a.get('m1')!]).toEqual([['t', [0, 2, 4]], ['u', [0, 1]]]);
    expect([...a.get('m2')!]).toEqual([['t', [1, 3]]]);
  });
});

describe('embedded group consumer (threads)', () => {
  it('two members split 4 partitions, read every record once, rebalance when one closes, and commit', async () => {
    const cluster = await Cluster.start({ spus: 2 });
    try {
      await cluster.admin.createTopic('jobs', { partitions: 4 });
      const producer = await cluster.producer('jobs');
      await producer.sendBatch(Array.from({ length: 200 }, (_, i) => ({ value: `j${i}`, partition: i % 4 })));
      await producer.flush();
      const opts = { groupId: 'workers', offset: Offset.beginning(), heartbeatMs: 50, autoCommitMs: 100 };
      const [a, b] = await Promise.all([cluster.consumer('jobs', opts), cluster.consumer('jobs', opts)]);
      expect([a.assignment.length, b.assignment.length]).toEqual([2, 2]);
      const got: string[] = [];
      await Promise.all([readN(a, 100, got), readN(b, 100, got)]);
      expect(new Set(got).size).toBe(200);
      await a.commit();
      await b.commit();
      const described = await cluster.admin.describeGroup('workers');
      expect(described).toMatchObject({ state: 'Stable', protocolType: 'consumer', protocol: 'RoundRobinAssigner' });
      expect(described.members.map((m) => m.assignment.length)).toEqual([2, 2]);
      expect(described.offsets.map((o) => o.lag)).toEqual([0, 0, 0, 0]);
      expect(await cluster.admin.listGroups()).toEqual([{ groupId: 'workers', protocolType: 'consumer', state: 'Stable' }]);

      await a.close();
      for (let i = 0; i < 100 && b.assignment.length < 4; i++) await cluster.transport.sleep(20);
      expect(b.assignment.length).toBe(4);
      await producer.sendBatch(Array.from({ length: 40 }, (_, i) => ({ value: `k${i}`, partition: i % 4 })));
      await producer.flush();
      const more: string[] = [];
      await readN(b, 40, more);
      expect(new Set(more)).toEqual(new Set(Array.from({ length: 40 }, (_, i) => `k${i}`)));
      await b.close(); // auto-commits what it processed
      const after = await cluster.admin.describeGroup('workers');
      expect(after.state).toBe('Empty');
      expect(after.offsets.map((o) => o.committed)).toEqual([60, 60, 60, 60]);
    } finally {
      await cluster.shutdown();
    }
  });

  it('a new member resumes from the committed offsets, not from its reset offset', async () => {
    const cluster = await Cluster.start({ spus: 1 });
    try {
      await cluster.admin.createTopic('log', { partitions: 2 });
      const producer = await cluster.producer('log');
      await producer.sendBatch(Array.from({ length: 20 }, (_, i) => ({ value: `r${i}`, partition: i % 2 })));
      await producer.flush();
      const first = await cluster.consumer('log', { groupId: 'g', offset: Offset.beginning(), autoCommit: false });
      const got: string[] = [];
      await readN(first, 12, got);
      await first.commit(); // the 12th counts as processed: the loop was left after it
      await first.close();
      const second = await cluster.consumer(['log'], { groupId: 'g', offset: Offset.beginning() });
      const rest: string[] = [];
      const committed = (await cluster.admin.describeGroup('g')).offsets.reduce((n, o) => n + o.committed, 0);
      expect(committed).toBe(12);
      await readN(second, 20 - committed, rest);
      expect(new Set([...got, ...rest]).size).toBe(20);
      expect(rest.length).toBe(20 - committed);
      await second.close();
    } finally {
      await cluster.shutdown();
    }
  });
});

describe('embedded group consumer (simulator)', () => {
  it('runs the same on virtual time: two members read every record', async () => {
    const cluster = await Cluster.start({ spus: 3, simulation: { seed: 7 } });
    try {
      await cluster.admin.createTopic('sim', { partitions: 3, replicationFactor: 2 });
      const producer = await cluster.producer('sim', { acks: 'all' });
      await producer.sendBatch(Array.from({ length: 90 }, (_, i) => ({ value: `s${i}`, partition: i % 3 })));
      await producer.flush();
      const opts = { groupId: 'sim-group', offset: Offset.beginning() };
      const [a, b] = await Promise.all([cluster.consumer('sim', opts), cluster.consumer('sim', opts)]);
      expect(a.assignment.length + b.assignment.length).toBe(3);
      const got: string[] = [];
      const share = (c: GroupConsumer) => c.assignment.length * 30;
      await Promise.all([readN(a, share(a), got), readN(b, share(b), got)]);
      expect(new Set(got).size).toBe(90);
      await Promise.all([a.close(), b.close()]);
    } finally {
      await cluster.shutdown();
    }
  });
});
