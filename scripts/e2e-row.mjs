// One bench/e2e.ts row from a given build: node scripts/e2e-row.mjs DIST_ROOT recordBytes partitions [rf3]
import * as os from 'node:os';
const [root, bArg = '100', pArg = '1', setup = ''] = process.argv.slice(2);
const { e2eCase, RF1 } = await import(`${root}/dist/bench/e2e.js`);
const B = Number(bArg), P = Number(pArg);
const s = setup === 'rf3' ? { spus: 3, replicationFactor: 3, acks: 'all', disk: false } : RF1;
const records = Math.min(200_000, Math.floor(48e6 / B));
const c0 = process.cpuUsage();
const r = await e2eCase(B, P, 'spu', records, s);
const c = process.cpuUsage(c0);
console.log(JSON.stringify({ B, P, setup: setup || 'rf1', produce: r.produce.recordsPerSec, e2e: r.endToEnd.recordsPerSec, ackP50: r.ackLatencyUnderLoad.p50Ms, cpuUsPerRecAllPhases: Math.round((c.user + c.system) / (records * 2.1) * 1000) / 1000, load: os.loadavg()[0].toFixed(2) }));
process.exit(0);
