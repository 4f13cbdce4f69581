/**
 * End-to-end cases for `npm run bench`: a cluster through the public API, a send loop — pipelined
 * send() with a bounded window of un-acked bytes, or `await producer.sendBatch(1000 records)` one
 * at a time — consumers (one per partition, every record's value read through the lazy batch accessors) following the log, and a
 * one-in-flight latency probe. CPU per record is the whole process's (main thread and every
 * worker: process.cpuUsage) over the timed phase ÷ records. Measurements only; nothing asserts speed.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Cluster, Offset, type PartitionConsumer, type Producer } from '../src/index.js';

export type Placement = 'spu' | 'replica';
export interface Rate { records: number; ms: number; recordsPerSec: number; mbPerSec: number }
export interface Latency { samples: number; p50Ms: number; p99Ms: number }
export interface E2eRun {
  recordBytes: number; partitions: number; threads: Placement; replicationFactor: number; acks: 1 | 'all'; mode: 'memory' | 'disk';
  sends: SendMode; produce: Rate; endToEnd: Rate; consume: Rate; ackLatencyUnderLoad: Latency; cpuUsPerRecord: number;
}
/** 'pipelined': send() without awaiting each; 'sendBatch': await producer.sendBatch(SEND_BATCH_RECORDS) in a loop. */
export type SendMode = 'pipelined' | 'sendBatch';
export const SEND_BATCH_RECORDS = 1000;
export interface ProbeFigure { threads: Placement; recordBytes: number; ackLatencyOneInFlight: Latency }

/** Bytes the send loop keeps un-acked before it awaits the oldest sends (window of the loop). */
const WINDOW_BYTES = 1024 * 1024;
const LATENCY_SAMPLES = 4000;
const WARMUP_RECORDS = 5000;

/** CPU µs (user + system, every thread of the process) since `from`, per record. */
export function cpuUsPerRecord(from: NodeJS.CpuUsage, records: number): number {
  const d = process.cpuUsage(from);
  return Math.round(((d.user + d.system) / records) * 1000) / 1000;
}

export const rateOf = (records: number, bytesPerRecord: number, ms: number): Rate => ({
  records,
  ms: Math.round(ms),
  recordsPerSec: Math.round((records * 1000) / ms),
  mbPerSec: Math.round(((records * bytesPerRecord) / 1e6 / ms) * 1000 * 10) / 10,
});

export function latencyOf(samplesMs: number[]): Latency {
  const s = [...samplesMs].sort((a, b) => a - b);
  const at = (q: number): number => (s.length === 0 ? 0 : Math.round(s[Math.min(s.length - 1, Math.floor(q * s.length))]! * 1000) / 1000);
  return { samples: s.length, p50Ms: at(0.5), p99Ms: at(0.99) };
}

function valueOf(bytes: number): Uint8Array {
  const v = new Uint8Array(bytes);
  for (let i = 0; i < bytes; i++) v[i] = 97 + (i % 26);
  return v;
}

/**
 * Consume from the consumer's position until `count` records were seen; every record's value is
 * read (a view of the batch bytes, through the lazy batch accessors — as an application reading
 * batches would; `batch.records` would build an object per record).
 */
async function drain(consumer: PartitionConsumer, count: number): Promise<number> {
  let seen = 0;
  let bytes = 0;
  if (count <= 0) return 0;
  for await (const batch of consumer.batches()) {
    const n = batch.count;
    for (let i = 0; i < n; i++) bytes += batch.valueAt(i).length;
    seen += n;
    if (seen >= count) break;
  }
  consumer.close();
  return bytes;
}

/**
 * send() `total` records round-robin over partitions, keeping at most `windowRecords` un-acked.
 * Only sampled and window-checkpoint receipts are awaited (a receipt costs a Promise only when
 * observed); flush() rejects if any un-observed send failed, and drain() counts every byte.
 */
async function produce(producer: Producer, value: Uint8Array, total: number, partitions: number, windowRecords: number, latencies: number[] | null): Promise<void> {
  const every = Math.max(1, Math.floor(total / LATENCY_SAMPLES));
  const checkpoints: PromiseLike<unknown>[] = []; // every `stride`-th send, to bound the window
  const stride = Math.max(1, Math.floor(windowRecords / 16));
  for (let i = 0; i < total; i++) {
    const t0 = latencies !== null && i % every === 0 ? performance.now() : -1;
    const sent = producer.send(null, value, { partition: i % partitions });
    if (t0 >= 0) void sent.then(() => { latencies!.push(performance.now() - t0); }, () => {});
    if (i % stride === 0) {
      checkpoints.push(sent);
      if (checkpoints.length > 16) await checkpoints.shift();
    }
  }
  await producer.flush();
}

/** Awaits producer.sendBatch() of SEND_BATCH_RECORDS records, one call at a time (latency-bound). */
async function produceBatches(producer: Producer, value: Uint8Array, total: number, latencies: number[] | null): Promise<void> {
  const batch = Array.from({ length: SEND_BATCH_RECORDS }, () => ({ value }));
  for (let sent = 0; sent < total; sent += SEND_BATCH_RECORDS) {
    const t0 = performance.now();
    await producer.sendBatch(sent + SEND_BATCH_RECORDS <= total ? batch : batch.slice(0, total - sent));
    latencies?.push(performance.now() - t0);
  }
}

export interface E2eSetup { spus: number; replicationFactor: number; acks: 1 | 'all'; disk: boolean; sends?: SendMode }
export const RF1: E2eSetup = { spus: 1, replicationFactor: 1, acks: 1, disk: false };

export async function e2eCase(recordBytes: number, partitions: number, threads: Placement, records: number, setup: E2eSetup = RF1): Promise<E2eRun> {
  const home = setup.disk ? fs.mkdtempSync(path.join(os.tmpdir(), 'rivulet-bench-')) : undefined;
  const cluster = await Cluster.start({ spus: setup.spus, threads, ...(home ? { home } : {}) });
  try {
    await cluster.admin.createTopic('bench', { partitions, replicationFactor: setup.replicationFactor });
    const producer = await cluster.producer('bench', { acks: setup.acks });
    const value = valueOf(recordBytes);
    const perPartition = Math.max(1, Math.floor(records / partitions));
    const total = perPartition * partitions;
    const windowRecords = Math.max(64, Math.floor(WINDOW_BYTES / recordBytes));
    const warm = Math.ceil(WARMUP_RECORDS / partitions) * partitions;
    const sends = setup.sends ?? 'pipelined';
    if (sends === 'sendBatch' && partitions !== 1) throw new Error('the sendBatch case runs on 1 partition');
    const send = (n: number, lat: number[] | null) =>
      (sends === 'sendBatch' ? produceBatches(producer, value, n, lat) : produce(producer, value, n, partitions, windowRecords, lat));
    await send(warm, null); // JIT and worker warm-up

    const warmPerPartition = warm / partitions; // round-robin pinned: offsets 0..warmPerPartition-1
    const consumers = await Promise.all(Array.from({ length: partitions }, (_, partition) =>
      cluster.consumer('bench', { partition, offset: Offset.absolute(warmPerPartition) })));
    const latencies: number[] = [];
    const cpu0 = process.cpuUsage();
    const t0 = performance.now();
    const consumed = Promise.all(consumers.map((c) => drain(c, perPartition)));
    consumed.catch(() => {}); // a send failure is what this case reports, not the consumers' shutdown
    await send(total, latencies);
    const produceMs = performance.now() - t0;
    const consumedBytes = (await consumed).reduce((a, b) => a + b, 0);
    const e2eMs = performance.now() - t0;
    const cpuUs = cpuUsPerRecord(cpu0, total);
    if (consumedBytes !== total * recordBytes) throw new Error(`consumed ${consumedBytes} bytes, expected ${total * recordBytes}`);

    const catchUp = await Promise.all(Array.from({ length: partitions }, (_, partition) => cluster.consumer('bench', { partition, offset: Offset.beginning() })));
    const t1 = performance.now();
    await Promise.all(catchUp.map((c) => drain(c, perPartition + warmPerPartition)));
    const consumeMs = performance.now() - t1;
    return {
      recordBytes, partitions, threads, replicationFactor: setup.replicationFactor, acks: setup.acks, mode: setup.disk ? 'disk' : 'memory', sends,
      produce: rateOf(total, recordBytes, produceMs),
      endToEnd: rateOf(total, recordBytes, e2eMs),
      consume: rateOf(total + warm, recordBytes, consumeMs),
      ackLatencyUnderLoad: latencyOf(latencies), cpuUsPerRecord: cpuUs,
    };
  } finally {
    await cluster.shutdown();
    if (home) fs.rmSync(home, { recursive: true, force: true });
  }
}

/** Produce-ack latency with one record in flight (await each send). */
export async function probeCase(threads: Placement, recordBytes: number, sends: number): Promise<ProbeFigure> {
  const cluster = await Cluster.start({ spus: 1, threads });
  try {
    await cluster.admin.createTopic('probe', { partitions: 1, replicationFactor: 1 });
    const producer = await cluster.producer('probe', { acks: 1 });
    const value = valueOf(recordBytes);
    const samples: number[] = [];
    for (let i = 0; i < sends + 100; i++) {
      const t0 = performance.now();
      await producer.send(null, value);
      if (i >= 100) samples.push(performance.now() - t0); // first 100: warm-up
    }
    return { threads, recordBytes, ackLatencyOneInFlight: latencyOf(samples) };
  } finally {
    await cluster.shutdown();
  }
}

