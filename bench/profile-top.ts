/**
 * Where the time went: reads the `.cpuprofile` files that `node --cpu-prof --cpu-prof-dir DIR
 * dist/bench/main.js --only …` wrote (one per thread: the main thread and every worker) and prints,
 * per file, the functions with the most self time — the figure to compare before/after a change.
 *
 *   node dist/bench/profile-top.js DIR [--top 25]
 *
 * A .cpuprofile is V8's JSON: { nodes: [{ id, callFrame: { functionName, url, lineNumber },
 * children? }], samples: [node id …], timeDeltas: [µs …] }; a sample's time is its timeDelta.
 * Self time of a function = the time of samples whose leaf node is that function (summed over its
 * call sites). "(garbage collector)", "(program)" and "(idle)" appear as they are.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parseArgs } from 'node:util';
import { pathToFileURL } from 'node:url';

interface CallFrame { functionName: string; url: string; lineNumber: number }
interface CpuProfile { nodes: { id: number; callFrame: CallFrame }[]; samples: number[]; timeDeltas: number[] }
export interface TopEntry { fn: string; selfMs: number; share: number }

const DEFAULT_TOP = 25;

/** Self time per function (name + file:line), largest first, and the profile's total ms. */
export function selfTimes(profile: CpuProfile): { totalMs: number; top: TopEntry[] } {
  const frameOf = new Map<number, string>();
  for (const n of profile.nodes) {
    const f = n.callFrame;
    const file = f.url === '' ? '' : ` ${path.basename(f.url)}:${f.lineNumber + 1}`;
    frameOf.set(n.id, `${f.functionName || '(anonymous)'}${file}`);
  }
  const self = new Map<string, number>();
  let total = 0;
  for (let i = 0; i < profile.samples.length; i++) {
    const us = profile.timeDeltas[i] ?? 0;
    const fn = frameOf.get(profile.samples[i]!) ?? '(unknown)';
    self.set(fn, (self.get(fn) ?? 0) + us);
    total += us;
  }
  const top = [...self.entries()].sort((a, b) => b[1] - a[1]).map(([fn, us]) => ({ fn, selfMs: us / 1000, share: total > 0 ? us / total : 0 }));
  return { totalMs: total / 1000, top };
}

function main(): void {
  const { values, positionals } = parseArgs({ allowPositionals: true, options: { top: { type: 'string', default: String(DEFAULT_TOP) } } });
  const dir = positionals[0];
  const top = Number(values.top);
  if (dir === undefined || !fs.existsSync(dir) || !(Number.isInteger(top) && top >= 1)) {
    console.error('usage: node dist/bench/profile-top.js DIR [--top N]   (DIR: where --cpu-prof-dir wrote .cpuprofile files)');
    process.exit(2);
  }
  const files = fs.readdirSync(dir).filter((f) => f.endsWith('.cpuprofile')).sort();
  if (files.length === 0) {
    console.error(`no .cpuprofile files in ${dir}`);
    process.exit(2);
  }
  for (const file of files) {
    const r = selfTimes(JSON.parse(fs.readFileSync(path.join(dir, file), 'utf8')) as CpuProfile);
    const busy = r.top.filter((e) => e.fn !== '(idle)').reduce((a, e) => a + e.selfMs, 0);
    console.log(`\n${file}: ${r.totalMs.toFixed(0)} ms sampled, ${busy.toFixed(0)} ms not idle`);
    for (const e of r.top.slice(0, top)) console.log(`  ${e.selfMs.toFixed(1).padStart(9)} ms  ${(e.share * 100).toFixed(1).padStart(5)}%  ${e.fn}`);
  }
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) main();
