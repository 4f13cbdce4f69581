// Summarise a .cpuprofile by self time: node scripts/cpuprof-top.mjs FILE [topN]
import * as fs from 'node:fs';
const [file, topArg = '30'] = process.argv.slice(2);
const p = JSON.parse(fs.readFileSync(file, 'utf8'));
const byId = new Map(p.nodes.map((n) => [n.id, n]));
const self = new Map();
const dt = p.timeDeltas; let total = 0;
for (let i = 0; i < p.samples.length; i++) {
  const n = byId.get(p.samples[i]); const d = dt[i] ?? 0; total += d;
  const cf = n.callFrame; const key = `${cf.functionName || '(anon)'} ${cf.url.split('/').slice(-2).join('/')}:${cf.lineNumber + 1}`;
  self.set(key, (self.get(key) ?? 0) + d);
}
const rows = [...self].sort((a, b) => b[1] - a[1]).slice(0, Number(topArg));
console.log(`total ${(total / 1000).toFixed(0)} ms`);
for (const [k, v] of rows) console.log(`${(v / total * 100).toFixed(1).padStart(5)}%  ${(v / 1000).toFixed(0).padStart(6)} ms  ${k}`);
