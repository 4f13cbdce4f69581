/**
 * SASL/PLAIN on the listener (DESIGN §8: user `rivulet`, password = the token). With
 * `{ token }`: kafkajs with the right password works (metadata, produce); a wrong password is
 * refused with an authentication error and changes nothing; a client that skips SASL and sends
 * Metadata gets its connection closed without an answer; kcat (librdkafka) with
 * SASL_PLAINTEXT/PLAIN works with the right token and fails with a wrong one.
 */
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { Kafka, type SASLOptions } from 'kafkajs';
import { Offset } from '../../src/index.js';
import { encodeRequest, decodeResponse } from '../../src/protocol/api.js';
import { ApiKey } from '../../src/protocol/registry.js';
import { serve, kcat, kafkajsQuiet, rawExchange, type Served } from './helpers.js';

const TOKEN = 'secret-token';
const TOPIC = 'guarded';
const dec = new TextDecoder();


const kcatSasl = (password: string) => [
  '-X', 'security.protocol=SASL_PLAINTEXT', '-X', 'sasl.mechanisms=PLAIN',
  '-X', 'sasl.username=rivulet', '-X', `sasl.password=${password}`,
];

describe('SASL/PLAIN on the listener', () => {
  let s: Served;
  let hwBefore: () => Promise<number[]>;
  beforeAll(async () => {
    s = await serve({ spus: 3 }, { token: TOKEN });
    await s.cluster.admin.createTopic(TOPIC, { partitions: 2, replicationFactor: 2 });
    hwBefore = async () => (await s.cluster.admin.listPartitions()).filter((p) => p.topic === TOPIC).sort((a, b) => a.partition - b.partition).map((p) => p.hw);
  });
  afterAll(async () => s?.stop());

  const kafka = (password: string, extra: { sasl?: SASLOptions | undefined } = {}) =>
    new Kafka({
      clientId: 'auth-test',
      brokers: [s.bootstrap],
      sasl: { mechanism: 'plain', username: 'rivulet', password },
      retry: { retries: 0 },
      connectionTimeout: 3_000,
      ...extra,
      ...kafkajsQuiet,
    });

  it('kafkajs with the right token reads metadata and produces', async () => {
    const k = kafka(TOKEN);
    const admin = k.admin();
    const producer = k.producer({ allowAutoTopicCreation: false });
    await admin.connect();
    await producer.connect();
    try {
      const meta = await admin.fetchTopicMetadata({ topics: [TOPIC] });
      expect(meta.topics[0]!.partitions).toHaveLength(2);
      const messages = Array.from({ length: 20 }, (_, i) => ({ key: `k${i}`, value: `v${i}`, partition: i % 2 }));
      const res = await producer.send({ topic: TOPIC, acks: -1, messages });
      expect(res.every((r) => r.errorCode === 0)).toBe(true);
      expect(await hwBefore()).toEqual([10, 10]);
      const c = await s.cluster.consumer(TOPIC, { partition: 1, offset: Offset.beginning() });
      const got: string[] = [];
      for await (const r of c) {
        got.push(`${dec.decode(r.key!)}=${dec.decode(r.value)}`);
        if (got.length === 10) break;
      }
      c.close();
      expect(got).toEqual(messages.filter((m) => m.partition === 1).map((m) => `${m.key}=${m.value}`));
    } finally {
      await producer.disconnect();
      await admin.disconnect();
    }
  });

  it('kafkajs with a wrong token is refused with an authentication error, and nothing changes', async () => {
    const before = await hwBefore();
    const producer = kafka('not-the-token').producer({ allowAutoTopicCreation: false });
    await expect(producer.connect()).rejects.toMatchObject({ name: 'KafkaJSSASLAuthenticationError' });
    await expect(producer.send({ topic: TOPIC, messages: [{ value: 'x' }] })).rejects.toThrow();
    await producer.disconnect().catch(() => undefined);
    // A wrong user name with the right token is refused too.
    const other = new Kafka({ clientId: 'auth-test', brokers: [s.bootstrap], sasl: { mechanism: 'plain', username: 'admin', password: TOKEN }, retry: { retries: 0 }, ...kafkajsQuiet }).admin();
    await expect(other.connect()).rejects.toMatchObject({ name: 'KafkaJSSASLAuthenticationError' });
    await other.disconnect().catch(() => undefined);
    expect(await hwBefore()).toEqual(before);
  });

  it('closes the connection of a client that sends Metadata without authenticating', async () => {
    // ApiVersions is answered before SASL (the SASL sequence needs it) …
    const apiVersions = encodeRequest(ApiKey.ApiVersions, 3, 1, 'raw', { clientSoftwareName: 'raw', clientSoftwareVersion: '1' });
    const metadata = encodeRequest(ApiKey.Metadata, 1, 2, 'raw', { topics: null });
    const a = await rawExchange(s.listener.port, [apiVersions], 1);
    expect(a.closedByServer).toBe(false);
    const size = a.received.readInt32BE(0);
    const v = decodeResponse(ApiKey.ApiVersions, 3, a.received.subarray(4, 4 + size));
    expect(v.correlationId).toBe(1);
    expect(v.body.errorCode).toBe(0);
    // … Metadata is not: the server closes at once, with no answer to it.
    const m = await rawExchange(s.listener.port, [metadata]);
    expect(m.closedByServer).toBe(true);
    expect(m.received.length).toBe(0);
    const both = await rawExchange(s.listener.brokers[2]!.port, [apiVersions, metadata]);
    expect(both.closedByServer).toBe(true);
    expect(both.received.readInt32BE(4)).toBe(1); // only the ApiVersions answer came back
    expect(both.received.length).toBe(4 + both.received.readInt32BE(0));
    // SaslHandshake v0 (raw, unframed tokens would follow) is refused with UNSUPPORTED_VERSION and a close.
    const v0 = await rawExchange(s.listener.port, [encodeRequest(ApiKey.SaslHandshake, 0, 3, 'raw', { mechanism: 'PLAIN' })]);
    expect(v0.closedByServer).toBe(true);
    const h = decodeResponse(ApiKey.SaslHandshake, 0, v0.received.subarray(4, 4 + v0.received.readInt32BE(0)));
    expect(h).toMatchObject({ correlationId: 3, body: { errorCode: 35, mechanisms: ['PLAIN'] } });
    // kafkajs without SASL cannot use the cluster either.
    const plain = new Kafka({ clientId: 'no-auth', brokers: [s.bootstrap], retry: { retries: 0 }, connectionTimeout: 2_000, ...kafkajsQuiet }).admin();
    await expect(plain.connect().then(() => plain.fetchTopicMetadata({ topics: [TOPIC] }))).rejects.toThrow();
    await plain.disconnect().catch(() => undefined);
  });

  it('kcat with SASL_PLAINTEXT/PLAIN works with the right token and fails with a wrong one', async () => {
    const list = await kcat(['-b', s.bootstrap, ...kcatSasl(TOKEN), '-L', '-J']);
    expect(list.status, list.err).toBe(0);
    const meta = JSON.parse(list.out) as { brokers: { id: number }[]; topics: { topic: string }[] };
    expect(meta.brokers.map((b) => b.id).sort()).toEqual([1, 2, 3]);
    expect(meta.topics.map((t) => t.topic)).toContain(TOPIC);

    const before = await hwBefore();
    const lines = Array.from({ length: 50 }, (_, i) => `kc${i}:line ${i}`);
    const put = await kcat(['-b', s.bootstrap, ...kcatSasl(TOKEN), '-t', TOPIC, '-p', '0', '-P', '-K', ':'], lines.join('\n') + '\n');
    expect(put.status, put.err).toBe(0);
    expect(await hwBefore()).toEqual([before[0]! + 50, before[1]!]);
    const get = await kcat(['-b', s.bootstrap, ...kcatSasl(TOKEN), '-t', TOPIC, '-p', '0', '-C', '-o', String(before[0]), '-e', '-q', '-f', '%k:%s\n']);
    expect(get.status, get.err).toBe(0);
    expect(get.out.trimEnd().split('\n')).toEqual(lines);

    const after = await hwBefore();
    const bad = await kcat(['-b', s.bootstrap, ...kcatSasl('wrong-token'), '-m', '3', '-L']);
    expect(bad.status).not.toBe(0);
    expect(bad.err).toMatch(/SASL authentication error: Authentication failed/);
    const badPut = await kcat(['-b', s.bootstrap, ...kcatSasl('wrong-token'), '-m', '3', '-X', 'message.timeout.ms=3000', '-t', TOPIC, '-p', '0', '-P'], 'nope\n');
    expect(badPut.status).not.toBe(0);
    expect(await hwBefore()).toEqual(after);
  });
});
