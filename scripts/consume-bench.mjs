/**
 * Consume-path measurement (issue #16): CPU time per record and records/s of one case, for
 * before/after comparisons. Run after `npm run build`:
 *   node scripts/consume-bench.mjs <case> [records] [dist-dir]
 * cases: embedded-consume (catch-up read of a pre-filled partition via batches()),
 *        embedded-e2e (send loop + batches() consumer), remote-e2e (connect() client, send loop +
 *        consumer over the Kafka listener), remote-consume (connect() catch-up read).
 * read mode (env READ): records (batch.records, default) | lazy (batch accessors, if present).
 * PROF=FILE: a main-thread .cpuprofile of the measured part only (node:inspector).
 * RING=BYTES: the tail ring size (cluster option ringBytes).
 * CPU = process.cpuUsage() (every thread of the process). Nothing here asserts speed.
 */
import * as os from 'node:os';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';

const [kind = 'embedded-consume', n = '1000000', dist = 'dist'] = process.argv.slice(2);
const records = Number(n);
const { Cluster, Offset, connect } = await import(pathToFileURL(path.resolve(dist, 'src/index.js')).href);
const READ = process.env.READ ?? 'records';
const value = new Uint8Array(100).fill(97);

function readBatch(b) {
  let bytes = 0;
  if (READ === 'lazy' && typeof b.valueAt === 'function') {
    const k = b.count;
    for (let i = 0; i < k; i++) bytes += b.valueSizeAt(i);
    return { count: k, bytes };
  }
  const rs = b.records;
  for (const r of rs) bytes += r.value.length;
  return { count: rs.length, bytes };
}

let batchesSeen = 0;
async function drain(consumer, count) {
  let seen = 0, bytes = 0;
  for await (const b of consumer.batches()) {
    const r = readBatch(b);
    batchesSeen++;
    seen += r.count; bytes += r.bytes;
    if (seen >= count) break;
  }
  consumer.close();
  if (bytes !== count * value.length) throw new Error(`read ${bytes} bytes, expected ${count * value.length}`);
}

async function sendLoop(producer, total) {
  const checkpoints = [];
  for (let i = 0; i < total; i++) {
    const sent = producer.send(null, value);
    if (i % 1000 === 0) { checkpoints.push(sent); if (checkpoints.length > 10) await checkpoints.shift(); }
  }
  await producer.flush();
}

async function profiled(fn) {
  if (!process.env.PROF) return fn();
  const { Session } = await import('node:inspector');
  const fs = await import('node:fs');
  const s = new Session(); s.connect();
  const post = (m, a) => new Promise((res, rej) => s.post(m, a, (e, r) => (e ? rej(e) : res(r))));
  await post('Profiler.enable'); await post('Profiler.start');
  await fn();
  const { profile } = await post('Profiler.stop');
  fs.writeFileSync(process.env.PROF, JSON.stringify(profile));
}

function measure(label, fn) {
  return profiled(async () => {
    batchesSeen = 0;
    const c0 = process.cpuUsage(); const t0 = performance.now();
    await fn();
    const ms = performance.now() - t0; const c = process.cpuUsage(c0);
    const cpuMs = (c.user + c.system) / 1000;
    console.log(JSON.stringify({ case: label, dist, read: READ, records, recPerSec: Math.round(records / ms * 1000), wallMs: Math.round(ms), cpuNsPerRecord: Math.round(cpuMs * 1e6 / records), batches: batchesSeen, load1: os.loadavg()[0].toFixed(2) }));
  });
}

const cluster = await Cluster.start({ spus: 1, ...(process.env.RING ? { ringBytes: Number(process.env.RING) } : {}) });
try {
  await cluster.admin.createTopic('bench', { partitions: 1 });
  if (kind.startsWith('embedded')) {
    const producer = await cluster.producer('bench', { acks: 1 });
    await sendLoop(producer, 20_000); // warm-up
    if (kind === 'embedded-consume') {
      await sendLoop(producer, records);
      const warm = await cluster.consumer('bench', { partition: 0, offset: Offset.beginning() });
      await drain(warm, 20_000);
      const c = await cluster.consumer('bench', { partition: 0, offset: Offset.absolute(20_000) });
      await measure(kind, () => drain(c, records));
    } else {
      const c = await cluster.consumer('bench', { partition: 0, offset: Offset.absolute(20_000) });
      await measure(kind, () => Promise.all([drain(c, records), sendLoop(producer, records)]));
    }
  } else {
    const l = await cluster.listen({ port: 0 });
    const client = await connect({ brokers: [`${l.host}:${l.port}`] });
    try {
      const producer = await client.producer('bench', { acks: 1 });
      await sendLoop(producer, 20_000);
      const w = await client.consumer('bench', { partition: 0, offset: Offset.beginning() });
      await drain(w, 20_000);
      if (kind === 'remote-consume') {
        await sendLoop(producer, records);
        const c = await client.consumer('bench', { partition: 0, offset: Offset.absolute(20_000) });
        await measure(kind, () => drain(c, records));
      } else {
        const c = await client.consumer('bench', { partition: 0, offset: Offset.absolute(20_000) });
        await measure(kind, () => Promise.all([drain(c, records), sendLoop(producer, records)]));
      }
    } finally { await client.close(); }
  }
} finally {
  await cluster.shutdown();
}
