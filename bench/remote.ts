/**
 * Remote cases for `npm run bench` (DESIGN §10): the same produce → consume path as bench/e2e.ts,
 * but through the Kafka listener on loopback — rivulet's own `connect()` client (pipelined sends,
 * Fetch-based consumer), and an unmodified kafkajs producer (batches of 1,000 records, several in
 * flight), beside kafkajs's own encoding cost for the same batches (its encoder alone, no socket),
 * which bounds what any broker can make kafkajs do. The server runs in a child process
 * (served-process.ts), as a daemon would for a connect() or kafkajs user; each case can also run
 * with the listener in this process ('in-process', one main thread for client and server), the
 * rows' `in-process` detail. Measurements only; nothing asserts speed.
 */
import { createRequire } from 'node:module';
import { Kafka } from 'kafkajs';
import { Cluster, Offset, connect, type PartitionConsumer } from '../src/index.js';
import { cpuUsPerRecord, rateOf, latencyOf, type Latency, type Rate } from './e2e.js';
import { withServedChild } from './served-process.js';

export interface RemoteRun { client: 'connect()' | 'kafkajs'; recordBytes: number; produce: Rate; endToEnd: Rate; ackLatencyUnderLoad: Latency }
/** Where the server runs: its own process (the row's figure) or this process's main thread. */
export type ServedWhere = 'child' | 'in-process';
/** Client CPU: this process, all threads; server CPU: the child's (0 when in-process: it is in the client's). */
export interface ConnectRun extends RemoteRun { clientCpuUsPerRecord: number; serverCpuUsPerRecord: number }
export interface KafkajsEncode { recordBytes: number; encode: Rate }

const WINDOW_RECORDS = 10_000;
const BATCH = 1_000;

function valueOf(bytes: number): Buffer {
  return Buffer.alloc(bytes, 'abcdefghijklmnopqrstuvwxyz');
}

async function served<T>(fn: (bootstrap: string, cluster: Cluster) => Promise<T>): Promise<T> {
  const cluster = await Cluster.start({ spus: 1 });
  try {
    const l = await cluster.listen({ port: 0 });
    await cluster.admin.createTopic('bench', { partitions: 1 });
    return await fn(`${l.host}:${l.port}`, cluster);
  } finally {
    await cluster.shutdown();
  }
}

/**
 * connect() client: send() pipelined with a window, a consumer following through Fetch. 'child':
 * the server runs in its own process (bench/served-child.ts) — what a connect() user has;
 * 'in-process': the listener on this process's main thread, beside the client (one core for both).
 */
export function connectCase(recordBytes: number, records: number, where: ServedWhere = 'child'): Promise<ConnectRun> {
  if (where === 'in-process') return served((bootstrap) => connectRun(bootstrap, recordBytes, records, async () => 0));
  return withServedChild((s) => connectRun(s.bootstrap, recordBytes, records, s.cpuUs));
}

async function connectRun(bootstrap: string, recordBytes: number, records: number, serverCpuUs: () => Promise<number>): Promise<ConnectRun> {
  const client = await connect({ brokers: [bootstrap] });
  try {
    const producer = await client.producer('bench', { acks: 1 });
    const value = valueOf(recordBytes);
    for (let i = 0; i < 5_000; i++) void producer.send(null, value);
    await producer.flush(); // warm-up: JIT, connections
    const consumer = await client.consumer('bench', { partition: 0, offset: Offset.absolute(5_000) });
    const latencies: number[] = [];
    const every = Math.max(1, Math.floor(records / 4000));
    const server0 = await serverCpuUs();
    const cpu0 = process.cpuUsage();
    const t0 = performance.now();
    const consumed = (async () => {
      let seen = 0;
      for await (const b of consumer.batches()) {
        const n = b.count;
        for (let i = 0; i < n; i++) if (b.valueAt(i).length !== recordBytes) throw new Error('short record');
        seen += n;
        if (seen >= records) break;
      }
      consumer.close();
    })();
    // If producing fails first, the client closes under the consumer: its error must not mask ours.
    consumed.catch(() => {});
    const checkpoints: Promise<unknown>[] = [];
    for (let i = 0; i < records; i++) {
      const ts = i % every === 0 ? performance.now() : -1;
      const sent = producer.send(null, value);
      if (ts >= 0) void sent.then(() => latencies.push(performance.now() - ts), () => {});
      if (i % (WINDOW_RECORDS / 10) === 0) {
        checkpoints.push(sent);
        if (checkpoints.length > 10) await checkpoints.shift();
      }
    }
    await producer.flush();
    const produceMs = performance.now() - t0;
    await consumed;
    const e2eMs = performance.now() - t0;
    const clientCpuUsPerRecord = cpuUsPerRecord(cpu0, records);
    const serverCpuUsPerRecord = Math.round(((await serverCpuUs()) - server0) / records * 1000) / 1000;
    return {
      client: 'connect()', recordBytes, produce: rateOf(records, recordBytes, produceMs), endToEnd: rateOf(records, recordBytes, e2eMs), ackLatencyUnderLoad: latencyOf(latencies),
      clientCpuUsPerRecord, serverCpuUsPerRecord,
    };
  } finally {
    await client.close();
  }
}

/**
 * kafkajs producer: batches of 1,000 records, up to 8 requests in flight; a rivulet consumer
 * follows — connect()'s when the server is a child process, the embedded one when in-process.
 */
export function kafkajsCase(recordBytes: number, records: number, where: ServedWhere = 'child'): Promise<RemoteRun> {
  if (where === 'in-process') return served((bootstrap, cluster) => kafkajsRun(bootstrap, recordBytes, records, (offset) => cluster.consumer('bench', { partition: 0, offset: Offset.absolute(offset) })));
  return withServedChild(async (s) => {
    const client = await connect({ brokers: [s.bootstrap] });
    try {
      return await kafkajsRun(s.bootstrap, recordBytes, records, (offset) => client.consumer('bench', { partition: 0, offset: Offset.absolute(offset) }));
    } finally {
      await client.close();
    }
  });
}

async function kafkajsRun(bootstrap: string, recordBytes: number, records: number, consumerAt: (offset: number) => Promise<PartitionConsumer>): Promise<RemoteRun> {
  const kafka = new Kafka({ clientId: 'bench', brokers: [bootstrap], logLevel: 0 });
  const producer = kafka.producer({ allowAutoTopicCreation: false });
  await producer.connect();
  try {
    const value = valueOf(recordBytes);
    const messages = Array.from({ length: BATCH }, () => ({ value }));
    await producer.send({ topic: 'bench', acks: 1, messages }); // warm-up
    const consumer = await consumerAt(BATCH);
    const batches = Math.max(1, Math.floor(records / BATCH));
    const latencies: number[] = [];
    const t0 = performance.now();
    const consumed = (async () => {
      let seen = 0;
      for await (const b of consumer.batches()) {
        seen += b.count;
        if (seen >= batches * BATCH) break;
      }
      consumer.close();
    })();
    consumed.catch(() => {}); // (as in connectRun: a produce failure is what this case reports)
    const inFlight = new Set<Promise<unknown>>();
    for (let i = 0; i < batches; i++) {
      const ts = performance.now();
      const p: Promise<unknown> = producer.send({ topic: 'bench', acks: 1, messages }).then(() => {
        latencies.push(performance.now() - ts);
        inFlight.delete(p);
      });
      inFlight.add(p);
      if (inFlight.size >= 8) await Promise.race(inFlight);
    }
    await Promise.all(inFlight);
    const produceMs = performance.now() - t0;
    await consumed;
    const e2eMs = performance.now() - t0;
    const n = batches * BATCH;
    return { client: 'kafkajs', recordBytes, produce: rateOf(n, recordBytes, produceMs), endToEnd: rateOf(n, recordBytes, e2eMs), ackLatencyUnderLoad: latencyOf(latencies) };
  } finally {
    await producer.disconnect();
  }
}

/** kafkajs's own cost to encode the same Produce requests (its encoder alone, no socket). */
export async function kafkajsEncodeCase(recordBytes: number, records: number): Promise<KafkajsEncode> {
  const require = createRequire(import.meta.url);
  const produceV7 = require('kafkajs/src/protocol/requests/produce/v7/request.js') as (a: object) => { encode(): Promise<{ buffer: Buffer }> };
  const value = valueOf(recordBytes);
  const messages = Array.from({ length: BATCH }, () => ({ value }));
  const batches = Math.max(1, Math.floor(records / BATCH));
  const request = () => produceV7({ acks: 1, timeout: 30_000, topicData: [{ topic: 'bench', partitions: [{ partition: 0, messages }] }] });
  for (let i = 0; i < 20; i++) await request().encode();
  const t0 = performance.now();
  for (let i = 0; i < batches; i++) await request().encode();
  return { recordBytes, encode: rateOf(batches * BATCH, recordBytes, performance.now() - t0) };
}
