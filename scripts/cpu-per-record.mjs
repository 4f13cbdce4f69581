#!/usr/bin/env node
/**
 * CPU per record (all threads: process.cpuUsage) of one busy partition, produce → consume, memory
 * mode, 1 SPU, RF=1, acks=1 — a steadier figure than records/s on a shared machine. Prints µs of
 * CPU per record and records/s for each record size.
 *
 *   npm run build && node scripts/cpu-per-record.mjs [distDir] [records] [partitions]
 */
import path from 'node:path';
import { pathToFileURL } from 'node:url';

const dist = path.resolve(process.argv[2] ?? new URL('../dist', import.meta.url).pathname);
const records = Number(process.argv[3] ?? 300_000);
const partitions = Number(process.argv[4] ?? 1);
const { Cluster, Offset } = await import(pathToFileURL(path.join(dist, 'src/index.js')).href);

async function run(recordBytes) {
  const cluster = await Cluster.start({ spus: 1 });
  try {
    await cluster.admin.createTopic('cpu', { partitions });
    const producer = await cluster.producer('cpu', { acks: 1 });
    const value = new Uint8Array(recordBytes).fill(97);
    const window = Math.max(64, Math.floor((4 << 20) / recordBytes));
    const send = async (n) => {
      const checkpoints = [];
      for (let i = 0; i < n; i++) {
        const s = producer.send(null, value, { partition: i % partitions });
        if (i % (window >> 4) === 0) { checkpoints.push(s); if (checkpoints.length > 16) await checkpoints.shift(); }
      }
      await producer.flush();
    };
    const warm = 20_000 - (20_000 % partitions);
    await send(warm);
    const consumers = await Promise.all(Array.from({ length: partitions }, (_, p) => cluster.consumer('cpu', { partition: p, offset: Offset.absolute(warm / partitions) })));
    const per = Math.floor(records / partitions);
    const c0 = process.cpuUsage();
    const t0 = performance.now();
    const drained = Promise.all(consumers.map(async (c) => {
      let seen = 0;
      for await (const b of c.batches()) { for (const r of b.records) if (r.value.length !== recordBytes) throw new Error('bad'); seen += b.records.length; if (seen >= per) break; }
      c.close();
    }));
    await send(per * partitions);
    await drained;
    const ms = performance.now() - t0;
    const cpu = process.cpuUsage(c0);
    return { recordBytes, partitions, cpuUsPerRecord: +((cpu.user + cpu.system) / (per * partitions)).toFixed(3), recordsPerSec: Math.round((per * partitions) / (ms / 1000)) };
  } finally {
    await cluster.shutdown();
  }
}
for (const size of (process.env.SIZES ?? "100,1024").split(",").map(Number)) console.log(JSON.stringify(await run(size)));
