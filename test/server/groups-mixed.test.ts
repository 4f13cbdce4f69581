/**
 * rivulet's embedded group consumer and an unmodified kafkajs consumer as members of the same
 * group (DESIGN §6a): both speak Kafka's consumer protocol with the 'RoundRobinAssigner'
 * protocol, so whichever leads, each gets half of a 4-partition topic; together they read every
 * record once; when the kafkajs member disconnects, the embedded member takes all partitions.
 */
import { describe, it, expect, afterAll } from 'vitest';
import { Kafka } from 'kafkajs';
import { Offset } from '../../src/index.js';
import { serve, kafkajsQuiet, type Served } from './helpers.js';

async function until(what: string, ok: () => boolean | Promise<boolean>, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await ok())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

describe('an embedded group consumer and kafkajs in one group', () => {
  let s: Served | undefined;
  afterAll(async () => s?.stop());

  it('split the partitions, read every record once, and the embedded member takes over when kafkajs leaves', async () => {
    s = await serve({ spus: 2 });
    const served = s;
    await served.cluster.admin.createTopic('shared', { partitions: 4 });
    const producer = await served.cluster.producer('shared');
    await producer.sendBatch(Array.from({ length: 400 }, (_, i) => ({ value: `v${i}`, partition: i % 4 })));
    await producer.flush();

    const kafka = new Kafka({ clientId: 'mixed', brokers: [served.bootstrap], ...kafkajsQuiet });
    const kj = kafka.consumer({ groupId: 'mixed', sessionTimeout: 6_000, heartbeatInterval: 100, maxWaitTimeInMs: 100 });
    const kjGot: string[] = [];
    let kjPartitions: number[] = [];
    kj.on(kj.events.GROUP_JOIN, (e) => void (kjPartitions = e.payload.memberAssignment['shared'] ?? []));
    await kj.connect();
    await kj.subscribe({ topic: 'shared', fromBeginning: true });
    const [embedded] = await Promise.all([
      served.cluster.consumer('shared', { groupId: 'mixed', offset: Offset.beginning(), heartbeatMs: 100, clientId: 'embedded' }),
      kj.run({ eachMessage: async ({ message }) => void kjGot.push(message.value!.toString()) }),
    ]);
    const embGot: string[] = [];
    const reading = (async () => {
      for await (const r of embedded) embGot.push(new TextDecoder().decode(r.value));
    })();
    await until('both members own 2 partitions', () => embedded.assignment.length === 2 && kjPartitions.length === 2);
    expect(new Set([...embedded.assignment.map((a) => a.partition), ...kjPartitions]).size).toBe(4);
    await until('every record', () => new Set([...kjGot, ...embGot]).size === 400);
    expect(kjGot.length + embGot.length).toBe(400);
    const d = await served.cluster.admin.describeGroup('mixed');
    expect(d).toMatchObject({ state: 'Stable', protocol: 'RoundRobinAssigner' });
    expect(d.members.map((m) => m.clientId).sort()).toEqual(['embedded', 'mixed']);

    await kj.disconnect();
    await until('the embedded member owns all 4', () => embedded.assignment.length === 4);
    await producer.sendBatch(Array.from({ length: 40 }, (_, i) => ({ value: `w${i}`, partition: i % 4 })));
    await producer.flush();
    await until('the new records', () => embGot.filter((v) => v.startsWith('w')).length === 40);
    await embedded.close();
    await reading;
  });
});
