/**
 * Unmodified kafkajs (2.2.4) consumer groups against the listener: three consumers in one group
 * over 6 partitions receive every record; one disconnecting (LeaveGroup) and one crashing (a child
 * process killed with SIGKILL: its session expires) each trigger a rebalance after which the
 * others take over its partitions; committed offsets end at the log end (admin.fetchOffsets);
 * admin.listGroups/describeGroups see the group.
 */
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { spawn, type ChildProcess } from 'node:child_process';
import { Kafka, type Consumer, type Admin } from 'kafkajs';
import { serve, kafkajsQuiet, type Served } from './helpers.js';

const TOPIC = 'events';
const GROUP = 'workers';
const fast = { sessionTimeout: 3_000, rebalanceTimeout: 6_000, heartbeatInterval: 200, maxWaitTimeInMs: 100 } as const;

async function until(what: string, ok: () => boolean | Promise<boolean>, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await ok())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

interface Member { consumer: Consumer; got: string[]; partitions: Set<number> }

describe('kafkajs consumer groups against the listener', () => {
  let s: Served;
  let kafka: Kafka;
  let admin: Admin;
  const members: Member[] = [];
  let child: ChildProcess | undefined;

  beforeAll(async () => {
    s = await serve({ spus: 3 });
    kafka = new Kafka({ clientId: 'group-test', brokers: [s.bootstrap], ...kafkajsQuiet });
    admin = kafka.admin();
    await admin.connect();
    await admin.createTopics({ topics: [{ topic: TOPIC, numPartitions: 6, replicationFactor: 1 }] });
  });
  afterAll(async () => {
    child?.kill('SIGKILL');
    await Promise.all(members.map((m) => m.consumer.disconnect().catch(() => undefined)));
    await admin?.disconnect();
    await s?.stop();
  });

  async function produce(from: number, count: number): Promise<void> {
    const producer = kafka.producer();
    await producer.connect();
    await producer.send({ topic: TOPIC, messages: Array.from({ length: count }, (_, i) => ({ key: `k${from + i}`, value: `v${from + i}` })) });
    await producer.disconnect();
  }

  async function member(): Promise<Member> {
    const consumer = kafka.consumer({ groupId: GROUP, ...fast });
    const m: Member = { consumer, got: [], partitions: new Set() };
    consumer.on(consumer.events.GROUP_JOIN, (e) => {
      m.partitions = new Set(e.payload.memberAssignment[TOPIC] ?? []);
    });
    await consumer.connect();
    await consumer.subscribe({ topic: TOPIC, fromBeginning: true });
    await consumer.run({ eachMessage: async ({ message }) => void m.got.push(message.value!.toString()) });
    members.push(m);
    return m;
  }

  const all = () => new Set(members.flatMap((m) => m.got));
  /** Distinct records numbered `from` or more that the current members received. */
  const receivedFrom = (from: number) => new Set(members.flatMap((m) => m.got).filter((v) => Number(v.slice(1)) >= from)).size;
  const expected = (n: number) => Array.from({ length: n }, (_, i) => `v${i}`);

  it('three members split 6 partitions and receive every record', async () => {
    await produce(0, 600);
    const [a, b, c] = await Promise.all([member(), member(), member()]);
    await until('every record', () => all().size === 600);
    expect([...all()].sort()).toEqual(expected(600).sort());
    expect(members.map((m) => m.got.length).reduce((x, y) => x + y)).toBe(600); // none twice
    expect([a!, b!, c!].map((m) => m.partitions.size)).toEqual([2, 2, 2]);
    expect(new Set([a!, b!, c!].flatMap((m) => [...m.partitions])).size).toBe(6);
    const { groups } = await admin.listGroups();
    expect(groups).toContainEqual({ groupId: GROUP, protocolType: 'consumer' });
    const [d] = (await admin.describeGroups([GROUP])).groups;
    expect(d).toMatchObject({ groupId: GROUP, state: 'Stable', protocolType: 'consumer', protocol: 'RoundRobinAssigner' });
    expect(d!.members).toHaveLength(3);
  });

  it('a member that disconnects triggers a rebalance; the other two take over its partitions', async () => {
    const leaving = members.shift()!;
    await leaving.consumer.disconnect();
    await until('two members own all 6 partitions', () => members.every((m) => m.partitions.size === 3) && new Set(members.flatMap((m) => [...m.partitions])).size === 6);
    await produce(600, 300);
    await until('the new records', () => receivedFrom(600) === 300);
  });

  it('a member that crashes (SIGKILL, no LeaveGroup) is dropped when its session expires; the others take over', async () => {
    // A third member in a child process, killed without a goodbye.
    const script = `
      import { Kafka } from 'kafkajs';
      const kafka = new Kafka({ clientId: 'doomed', brokers: [${JSON.stringify(s.bootstrap)}], logLevel: 0 });
      const c = kafka.consumer({ groupId: ${JSON.stringify(GROUP)}, sessionTimeout: 1500, rebalanceTimeout: 6000, heartbeatInterval: 200, maxWaitTimeInMs: 100 });
      c.on(c.events.GROUP_JOIN, (e) => console.log('JOINED ' + JSON.stringify(e.payload.memberAssignment)));
      await c.connect();
      await c.subscribe({ topic: ${JSON.stringify(TOPIC)}, fromBeginning: true });
      await c.run({ eachMessage: async () => {} });
    `;
    child = spawn(process.execPath, ['--input-type=module', '-e', script], { cwd: process.cwd(), stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    child.stdout!.on('data', (d: Buffer) => (out += d.toString()));
    await until('the child joined with partitions', () => /JOINED \{"events":\[\d/.test(out));
    await until('the others gave partitions up', () => members.reduce((n, m) => n + m.partitions.size, 0) < 6);
    child.kill('SIGKILL');
    await until('the survivors own all 6 partitions again', () => new Set(members.flatMap((m) => [...m.partitions])).size === 6, 15_000);
    await produce(900, 300);
    await until('the records after the crash', () => receivedFrom(900) === 300);
  });

  it('committed offsets end at the log end', async () => {
    const parts = (await s.cluster.admin.listPartitions()).filter((p) => p.topic === TOPIC);
    expect(parts.reduce((n, p) => n + p.hw, 0)).toBe(1200);
    await until('offsets committed to the end', async () => {
      const [t] = await admin.fetchOffsets({ groupId: GROUP, topics: [TOPIC] });
      return t!.partitions.every((p) => Number(p.offset) === parts[p.partition]!.hw);
    });
  });
});
