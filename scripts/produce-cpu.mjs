// Produce-path CPU per record (whole process = main + workers, and main thread alone via /proc).
// Usage: node scripts/produce-cpu.mjs <case> [partitions] [records] [recordBytes]
//   case: keyed (send() with 8-byte keys over P partitions, a bounded window) | pinned (null key, { partition: i % P }, as bench/e2e.ts) |
//         batch (await sendBatch(1000) loop, null keys, P partitions) | send1 (await send() one at a time)
import * as fs from 'node:fs';
import * as os from 'node:os';
import { Cluster } from '../dist/src/index.js';
import { Session } from 'node:inspector/promises';

const [kind = 'keyed', pArg = '1', nArg = '300000', bArg = '100'] = process.argv.slice(2);
const P = Number(pArg), N = Number(nArg), B = Number(bArg);
const TICK_MS = 1000 / 100; // USER_HZ 100
const mainCpuMs = (which = 'both') => {
  const f = fs.readFileSync(`/proc/self/task/${process.pid}/stat`, 'utf8').split(') ')[1].split(' ');
  return ((which === 'sys' ? 0 : Number(f[11])) + (which === 'user' ? 0 : Number(f[12]))) * TICK_MS;
};
const value = new Uint8Array(B).fill(97);
const keys = Array.from({ length: 4096 }, (_, i) => { const k = new Uint8Array(8); new DataView(k.buffer).setUint32(0, i * 2654435761 >>> 0); new DataView(k.buffer).setUint32(4, i); return k; });

async function keyed(producer, n) {
  const checkpoints = [];
  const stride = 1024;
  for (let i = 0; i < n; i++) {
    const s = producer.send(keys[i & 4095], value);
    if (i % stride === 0) { checkpoints.push(s); if (checkpoints.length > 16) await checkpoints.shift(); }
  }
  await producer.flush();
}
async function pinned(producer, n) {
  const checkpoints = [];
  for (let i = 0; i < n; i++) {
    const s = producer.send(null, value, { partition: i % P });
    if (i % 1024 === 0) { checkpoints.push(s); if (checkpoints.length > 16) await checkpoints.shift(); }
  }
  await producer.flush();
}
async function batch(producer, n) {
  const recs = Array.from({ length: 1000 }, (_, i) => ({ value, partition: P > 1 ? i % P : undefined }));
  for (let i = 0; i < n; i += 1000) await producer.sendBatch(recs);
}
async function send1(producer, n) {
  for (let i = 0; i < n; i++) await producer.send(null, value);
}
const run = { keyed, pinned, batch, send1 }[kind];
const t0s = performance.now();
const tids0 = fs.readdirSync('/proc/self/task');
const cluster = await Cluster.start({ spus: 1, threads: 'spu' });
if (process.env.THREADS) console.error('before cluster:', tids0.join(' '), ' after:', fs.readdirSync('/proc/self/task').filter((t) => !tids0.includes(t)).join(' '));
const startMs = performance.now() - t0s;
try {
  await cluster.admin.createTopic('t', { partitions: P, replicationFactor: 1 });
  const producer = await cluster.producer('t', { acks: 1, ...(process.env.BATCH_BYTES ? { batchBytes: Number(process.env.BATCH_BYTES) } : {}) });
  await run(producer, Math.min(N, 50_000)); // warm-up
  const prof = process.env.PROF ? new Session() : null;
  if (prof) { prof.connect(); await prof.post('Profiler.enable'); await prof.post('Profiler.start'); }
  const threads = () => Object.fromEntries(fs.readdirSync('/proc/self/task').map((tid) => {
    const raw = fs.readFileSync(`/proc/self/task/${tid}/stat`, 'utf8');
    const name = raw.slice(raw.indexOf('(') + 1, raw.lastIndexOf(')'));
    const f = raw.split(') ')[1].split(' ');
    return [`${tid}:${name}`, (Number(f[11]) + Number(f[12])) * TICK_MS];
  }));
  const th0 = process.env.THREADS ? threads() : null;
  const c0 = process.cpuUsage(), m0 = mainCpuMs(), s0 = mainCpuMs('sys'), t0 = performance.now();
  await run(producer, N);
  if (th0) { const th1 = threads(); console.error(Object.entries(th1).map(([k, v]) => [k, Math.round((v - (th0[k] ?? 0)) * 1e6 / N)]).filter(([, v]) => v > 0).map(([k, v]) => `${k} ${v} ns/rec`).join('\n')); }
  if (prof) { const { profile } = await prof.post('Profiler.stop'); fs.writeFileSync(process.env.PROF, JSON.stringify(profile)); }
  const ms = performance.now() - t0, c = process.cpuUsage(c0), m = mainCpuMs() - m0, ms_sys = mainCpuMs('sys') - s0;
  const totalUs = (c.user + c.system);
  console.log(JSON.stringify({ kind, partitions: P, records: N, recordBytes: B, recPerSec: Math.round(N / ms * 1000), cpuNsPerRec: Math.round(totalUs * 1000 / N), mainNsPerRec: Math.round(m * 1e6 / N), mainSysNsPerRec: Math.round(ms_sys * 1e6 / N), sysNsPerRec: Math.round(c.system * 1000 / N), wallNsPerRec: Math.round(ms * 1e6 / N), load: os.loadavg()[0].toFixed(2), startMs: Math.round(startMs) }));
} finally {
  await cluster.shutdown();
}
process.exit(0);
