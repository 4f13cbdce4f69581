#!/usr/bin/env node
/**
 * Measures what idle partitions cost: starts a memory-mode cluster (1 SPU, RF=1, default options),
 * creates an N-partition topic (default 1,000), waits until every partition is online, and prints
 * the process's memory growth per partition (RSS — all threads — plus the main thread's
 * arrayBuffers/external), the tail-ring SABs the main thread holds, and the start times.
 *
 *   npm run build && node --expose-gc scripts/idle-partitions.mjs [partitions]
 *
 * Figures are wall-clock/RSS: informative, noisy on a shared machine; never asserted by tests.
 */
import { Cluster } from '../dist/src/index.js';

const partitions = Number(process.argv[2] ?? 1000);
const gc = globalThis.gc ?? (() => {});
const mem = () => { gc(); const m = process.memoryUsage(); return { rss: m.rss, ab: m.arrayBuffers, ext: m.external, heap: m.heapUsed }; };
const kib = (n) => `${(n / 1024).toFixed(1)} KiB`;

const m0 = mem();
const t0 = performance.now();
const cluster = await Cluster.start({ spus: 1, ...(process.env.RING_BYTES ? { ringBytes: Number(process.env.RING_BYTES) } : {}) });
const t1 = performance.now();
await new Promise((r) => setTimeout(r, 300));
const m1 = mem();
const c0 = process.cpuUsage();
const t2 = performance.now();
await cluster.admin.createTopic('idle', { partitions, replicationFactor: 1 });
const t3 = performance.now();
const cpu = process.cpuUsage(c0);
await new Promise((r) => setTimeout(r, 1000));
const m2 = mem();
const rings = cluster.transport.host?.tailRings?.rings;
let ringCount = 0;
let ringBytes = 0;
if (rings) for (const sab of rings.values()) { ringCount++; ringBytes += sab.byteLength; }
const d = (k) => (m2[k] - m1[k]) / partitions;
console.log(JSON.stringify({ partitions, startMs: Math.round(t1 - t0), createTopicMs: Math.round(t3 - t2), createCpuMs: Math.round((cpu.user + cpu.system) / 1000) }));
console.log(`per partition: rss ${kib(d('rss'))}  arrayBuffers ${kib(d('ab'))}  external ${kib(d('ext'))}  mainHeap ${kib(d('heap'))}`);
console.log(`tail rings held by main: ${ringCount}, ${kib(ringBytes / Math.max(1, ringCount))} each`);
console.log(`totals: rss ${kib(m2.rss)} (cluster alone ${kib(m1.rss - m0.rss)})`);
await cluster.shutdown();
