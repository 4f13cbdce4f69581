/**
 * Partition-scaling cases for `npm run bench` (DESIGN §10 "per-record cost from 1 to 64 partitions:
 * flat", issue #16's 1, 16, 64 and 1,000 partitions): one embedded cluster (1 SPU, RF=1, acks=1,
 * memory mode), a topic of P partitions, and 100 B records sent with keys — the producer's murmur2
 * partitioner picks the partition — pipelined with a bounded window of un-acked records, then
 * flush(). Keys are chosen so every partition gets the same share, visited in turn
 * (key i → partition i mod P), which is the worst case for batching and the one the target is about.
 *
 * Reported: records/s (wall) and CPU µs per record of the whole process (main thread and every
 * worker, process.cpuUsage) over the timed phase, in steady state: the warm-up before it has the
 * same shape and size, so one-time costs (JIT, every partition's tail ring and segment chunks
 * growing to their working size) are paid before the clock starts. The warm-up's own figure is
 * reported too ("cold"): at 64 partitions those one-time costs roughly doubled the first 200,000
 * records' cost, which a 5,000-record warm-up left inside the measurement.
 * Measurements only; nothing asserts speed.
 */
import { Cluster, type Producer } from '../src/index.js';
import { partitionForKey } from '../src/cluster/partitioner.js';
import { cpuUsPerRecord, rateOf, type Rate } from './e2e.js';

export interface ScaleRun { partitions: number; recordBytes: number; keys: number; produce: Rate; cpuUsPerRecord: number; coldCpuUsPerRecord: number; createTopicMs: number }

const KEYS_PER_PARTITION = 4;
const MIN_KEYS = 64;
const WINDOW_RECORDS = 10_000;
const MIN_WARMUP_RECORDS = 5_000;

/** Keys ordered so that key i lands on partition i mod P (each partition gets the same number of keys). */
export function keysSpreadOver(partitions: number): Uint8Array[] {
  const perPartition = Math.max(KEYS_PER_PARTITION, Math.ceil(MIN_KEYS / partitions));
  const buckets: Uint8Array[][] = Array.from({ length: partitions }, () => []);
  const enc = new TextEncoder();
  let filled = 0;
  for (let i = 0; filled < partitions; i++) {
    const key = enc.encode(`key-${i}`);
    const bucket = buckets[partitionForKey(key, partitions)]!;
    if (bucket.length < perPartition) {
      bucket.push(key);
      if (bucket.length === perPartition) filled++;
    }
  }
  const keys: Uint8Array[] = [];
  for (let k = 0; k < perPartition; k++) for (let p = 0; p < partitions; p++) keys.push(buckets[p]![k]!);
  return keys;
}

async function sendKeyed(producer: Producer, keys: Uint8Array[], value: Uint8Array, total: number): Promise<void> {
  const window: PromiseLike<unknown>[] = [];
  const stride = WINDOW_RECORDS / 10;
  for (let i = 0; i < total; i++) {
    const sent = producer.send(keys[i % keys.length]!, value);
    if (i % stride === 0) {
      window.push(sent);
      if (window.length > 10) await window.shift();
    }
  }
  await producer.flush();
}

export async function scaleCase(partitions: number, records: number, recordBytes = 100): Promise<ScaleRun> {
  const cluster = await Cluster.start({ spus: 1 });
  try {
    const c0 = performance.now();
    await cluster.admin.createTopic('scale', { partitions, replicationFactor: 1 });
    const createTopicMs = Math.round(performance.now() - c0);
    const producer = await cluster.producer('scale', { acks: 1 });
    const keys = keysSpreadOver(partitions);
    const value = new Uint8Array(recordBytes).fill(0x61);
    const warm = Math.max(MIN_WARMUP_RECORDS, keys.length, records);
    const cold0 = process.cpuUsage();
    await sendKeyed(producer, keys, value, warm);
    const coldCpuUsPerRecord = cpuUsPerRecord(cold0, warm);
    const cpu0 = process.cpuUsage();
    const t0 = performance.now();
    await sendKeyed(producer, keys, value, records);
    const ms = performance.now() - t0;
    return { partitions, recordBytes, keys: keys.length, produce: rateOf(records, recordBytes, ms), cpuUsPerRecord: cpuUsPerRecord(cpu0, records), coldCpuUsPerRecord, createTopicMs };
  } finally {
    await cluster.shutdown();
  }
}
