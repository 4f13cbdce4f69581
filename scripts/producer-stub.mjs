// Producer + BatchSender CPU per record/batch with a stub transport that acks at once (no threads).
// usage: node scripts/producer-stub.mjs [batchBytes] [partitions] [records]
import * as fs from 'node:fs';
import { Producer } from '../dist/src/cluster/producer.js';
const threadsCpu = () => fs.readdirSync('/proc/self/task').filter((t) => t !== String(process.pid)).reduce((a, t) => { const f = fs.readFileSync(`/proc/self/task/${t}/stat`, 'utf8').split(') ')[1].split(' '); return a + (Number(f[11]) + Number(f[12])) * 10; }, 0);
const [bbArg = '65536', pArg = '1', nArg = '2000000'] = process.argv.slice(2);
const P = Number(pArg), N = Number(nArg);
let next = 0;
const t = {
  clientId: 'client:stub', nextReqId: () => ++next, now: () => Date.now(), sleep: (ms) => new Promise((r) => setTimeout(r, ms)),
  producedBatchesCopied: true,
  produce: (_to, batch) => Promise.resolve({ type: 'ProduceAck', reqId: 0, baseOffset: 0, lastOffset: 0 }),
};
const admin = { call: async () => ({ producerId: 1, producerEpoch: 0 }), refreshPartitions: async () => undefined };
const parts = Array.from({ length: P }, (_, i) => ({ partition: i, leader: 1, replicas: [1] }));
const p = new Producer('t', parts, t, admin, { acks: 1, batchBytes: Number(bbArg) });
const value = new Uint8Array(100).fill(97);
const keys = Array.from({ length: 4096 }, (_, i) => { const k = new Uint8Array(8); new DataView(k.buffer).setUint32(0, i * 2654435761 >>> 0); return k; });
async function run(n) { for (let i = 0; i < n; i++) { const s = p.send(keys[i & 4095], value); if ((i & 8191) === 0) await new Promise((r) => setImmediate(r)); } await p.flush(); }
await run(200000);
const h0 = threadsCpu(); const c0 = process.cpuUsage(); const t0 = performance.now();
await run(N);
const c = process.cpuUsage(c0); const ms = performance.now() - t0;
console.log(JSON.stringify({ batchBytes: Number(bbArg), partitions: P, helperNsPerRec: Math.round((threadsCpu() - h0) * 1e6 / N), cpuNsPerRec: Math.round((c.user + c.system) * 1000 / N), wallNsPerRec: Math.round(ms * 1e6 / N) }));
