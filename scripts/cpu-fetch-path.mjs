#!/usr/bin/env node
/**
 * CPU per record (all threads) of the paths that read the log through Fetch messages rather than
 * the tail ring: a consumer catching up from the beginning (1 SPU, RF=1), and produce → consume
 * with 3 SPUs, RF=3, acks=all (followers replicate by fetching from the leader's worker).
 *
 *   npm run build && node scripts/cpu-fetch-path.mjs [distDir] [records]
 */
import path from 'node:path';
import { pathToFileURL } from 'node:url';

const dist = path.resolve(process.argv[2] ?? new URL('../dist', import.meta.url).pathname);
const records = Number(process.argv[3] ?? 200_000);
const { Cluster, Offset } = await import(pathToFileURL(path.join(dist, 'src/index.js')).href);
const cpuMs = (c) => (c.user + c.system) / 1000;

async function send(producer, n, value) {
  const checkpoints = [];
  for (let i = 0; i < n; i++) {
    const s = producer.send(null, value);
    if (i % 1000 === 0) { checkpoints.push(s); if (checkpoints.length > 16) await checkpoints.shift(); }
  }
  await producer.flush();
}

async function drain(consumer, n) {
  let seen = 0;
  for await (const b of consumer.batches()) { seen += b.records.length; if (seen >= n) break; }
  consumer.close();
}

async function catchUp(recordBytes) {
  const cluster = await Cluster.start({ spus: 1 });
  try {
    await cluster.admin.createTopic('c', { partitions: 1 });
    const producer = await cluster.producer('c', { acks: 1 });
    await send(producer, records, new Uint8Array(recordBytes).fill(97));
    const consumer = await cluster.consumer('c', { partition: 0, offset: Offset.beginning() });
    const c0 = process.cpuUsage();
    const t0 = performance.now();
    await drain(consumer, records);
    return { case: 'catch-up consume RF=1', recordBytes, cpuUsPerRecord: +((cpuMs(process.cpuUsage(c0)) * 1000) / records).toFixed(3), recordsPerSec: Math.round(records / ((performance.now() - t0) / 1000)) };
  } finally {
    await cluster.shutdown();
  }
}

async function rf3(recordBytes) {
  const cluster = await Cluster.start({ spus: 3 });
  try {
    await cluster.admin.createTopic('r', { partitions: 1, replicationFactor: 3 });
    const producer = await cluster.producer('r', { acks: 'all' });
    const value = new Uint8Array(recordBytes).fill(97);
    await send(producer, 10_000, value);
    const consumer = await cluster.consumer('r', { partition: 0, offset: Offset.absolute(10_000) });
    const c0 = process.cpuUsage();
    const t0 = performance.now();
    const drained = drain(consumer, records);
    await send(producer, records, value);
    await drained;
    return { case: 'RF=3 acks=all produce→consume', recordBytes, cpuUsPerRecord: +((cpuMs(process.cpuUsage(c0)) * 1000) / records).toFixed(3), recordsPerSec: Math.round(records / ((performance.now() - t0) / 1000)) };
  } finally {
    await cluster.shutdown();
  }
}

console.log(JSON.stringify(await catchUp(100)));
console.log(JSON.stringify(await rf3(100)));
