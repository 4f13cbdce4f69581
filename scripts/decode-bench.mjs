/**
 * Consumer-side decode cost alone (no cluster): ConsumedBatch over pre-encoded batches of 100 B
 * records, read as `records` objects or through the lazy accessors. CPU ns per record, best of 5.
 *   node scripts/decode-bench.mjs [dist-dir] [records|lazy]
 */
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
const [dist = 'dist', mode = 'records'] = process.argv.slice(2);
const imp = (p) => import(pathToFileURL(path.resolve(dist, p)).href);
const { ConsumedBatch } = await imp('src/index.js');
const { encodeBatch, setBatchBaseOffset } = await imp('src/storage/index.js');
const value = new Uint8Array(100).fill(97);
const PER = 590, BATCHES = 1700;
const batches = [];
for (let b = 0; b < BATCHES; b++) {
  const bytes = encodeBatch(Array.from({ length: PER }, () => ({ value })), { timestamp: 1_700_000_000_000 }).slice();
  setBatchBaseOffset(bytes, b * PER);
  batches.push(bytes);
}
let best = Infinity;
for (let run = 0; run < 7; run++) {
  const c0 = process.cpuUsage();
  let sum = 0;
  for (let b = 0; b < BATCHES; b++) {
    const cb = new ConsumedBatch(0, batches[b], b * PER);
    if (mode === 'lazy') { const n = cb.count; for (let i = 0; i < n; i++) sum += cb.valueSizeAt(i); }
    else if (mode === 'lazy-view') { const n = cb.count; for (let i = 0; i < n; i++) sum += cb.valueAt(i).length; }
    else for (const r of cb.records) sum += r.value.length;
  }
  const c = process.cpuUsage(c0);
  if (sum !== PER * BATCHES * 100) throw new Error('bad sum');
  best = Math.min(best, ((c.user + c.system) * 1000) / (PER * BATCHES));
}
console.log(JSON.stringify({ dist, mode, cpuNsPerRecord: Math.round(best * 10) / 10 }));
