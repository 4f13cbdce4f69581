/**
 * Summarise a .cpuprofile by self time: `node scripts/cpuprofile-top.mjs FILE [N]` prints the top N
 * functions (name, url:line, self ms, share of all samples). `--callers NAME` instead: NAME's self
 * time split by the chain of its 3 nearest callers.
 */
import * as fs from 'node:fs';
const args = process.argv.slice(2);
const ci = args.indexOf('--callers');
const callersOf = ci >= 0 ? args.splice(ci, 2)[1] : undefined;
const [file, topN = '25'] = args;
const p = JSON.parse(fs.readFileSync(file, 'utf8'));
const byId = new Map(p.nodes.map((n) => [n.id, n]));
const dt = new Map();
for (let i = 0; i < p.samples.length; i++) dt.set(p.samples[i], (dt.get(p.samples[i]) ?? 0) + (p.timeDeltas[i] ?? 0));
const parent = new Map();
for (const n of p.nodes) for (const c of n.children ?? []) parent.set(c, n);
const label = (n) => `${n.callFrame.functionName || '(anon)'} ${n.callFrame.url.split('/').slice(-2).join('/')}:${n.callFrame.lineNumber + 1}`;
if (callersOf) {
  const by = new Map();
  for (const [id, us] of dt) {
    let n = byId.get(id);
    if ((n.callFrame.functionName || '(anon)') !== callersOf) continue;
    const chain = [];
    for (let k = 0; k < 3 && parent.get(n.id); k++) { n = parent.get(n.id); chain.push(label(n)); }
    const key = chain.join(' < ');
    by.set(key, (by.get(key) ?? 0) + us);
  }
  for (const [k, us] of [...by].sort((a, b) => b[1] - a[1]).slice(0, Number(topN))) console.log(`${(us / 1000).toFixed(1).padStart(8)} ms  ${k}`);
  process.exit(0);
}
const self = new Map();
let total = 0;
for (const [id, us] of dt) {
  const n = byId.get(id); const cf = n.callFrame;
  const key = `${cf.functionName || '(anon)'} ${cf.url.split('/').slice(-2).join('/')}:${cf.lineNumber + 1}`;
  self.set(key, (self.get(key) ?? 0) + us); total += us;
}
const rows = [...self].sort((a, b) => b[1] - a[1]).slice(0, Number(topN));
console.log(`total ${(total / 1000).toFixed(0)} ms`);
for (const [k, us] of rows) console.log(`${(us / 1000).toFixed(1).padStart(8)} ms ${(100 * us / total).toFixed(1).padStart(5)}%  ${k}`);
