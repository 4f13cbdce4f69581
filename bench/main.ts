/**
 * `npm run bench` (dist/bench/main.js) — every DESIGN §10 row beside the bare ring measured in the
 * same run, with its ratio, target and met/MISSED. Flags (bench/args.ts): --runs N (default 3),
 * --quick, --only A,B, --json FILE, --list. docs/performance.md says what each row measures.
 *
 * Order: run 1 of every selected case, then run 2 of every case, … so that a burst of load from
 * elsewhere (the machine is shared) lands on one run of many rows rather than on every run of one
 * row; the median of the N runs is the row's figure and min–max its spread (bench/report.ts).
 * A case that fails is reported and leaves that run out; the bench goes on.
 *
 * Figures are measurements only: nothing here asserts speed. MB = 10^6 bytes, KiB = 1,024 bytes.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import { parseBenchArgs } from './args.js';
import { formatSection, judge, type RowResult, type Sample } from './report.js';
import { catalogue, ringRowName, select } from './rows.js';
import { YARDSTICK_ENV, yardstickScript } from './yardstick.js';

const SECTIONS = [
  { id: 'ring', title: 'bare SPSC SharedArrayBuffer ring, 2 threads (the yardstick every ×ring divides by)' },
  { id: 'e2e', title: 'embedded Cluster API, produce → consume (consumers follow the log, every record value read by index); 1 SPU RF=1 acks=1 memory, pipelined send() unless the row says' },
  { id: 'remote', title: 'over the Kafka listener on loopback, 1 SPU RF=1 acks=1, 1 partition' },
  { id: 'scale', title: 'keyed sends spread over all partitions (1 SPU RF=1 acks=1 memory, produce → ack): CPU per record of the whole process, all threads' },
  { id: 'thousand', title: 'partitions on one host: 1 SPU RF=1 memory, fresh process' },
  { id: 'storage', title: 'storage: PartitionLog append / read of pre-built batches (no target)' },
  { id: 'latency', title: 'produce-ack latency, one 100 B record in flight (acks=1, 1 partition; no target)' },
] as const;

const load = (): string => os.loadavg().map((l) => l.toFixed(2)).join(' ');

async function main(): Promise<void> {
  const args = parseBenchArgs(process.argv.slice(2));
  const yardstick = yardstickScript();
  const cases = select(catalogue(args.sizes, yardstick), args.only);
  if (args.list) {
    for (const c of catalogue(args.sizes, yardstick)) for (const r of c.rows) console.log(r.name);
    return;
  }
  if (cases.length === 0) throw new RangeError(`--only ${args.only.join(',')} matches no row (--list prints them)`);
  const started = performance.now();
  const loadStart = os.loadavg();
  console.log(`rivulet bench${args.smoke ? ' --smoke' : args.quick ? ' --quick' : ''} --runs ${args.runs}${args.only.length ? ` --only ${args.only.join(',')}` : ''}: ` +
    `Node ${process.version}, ${os.cpus().length} CPUs (${os.cpus()[0]?.model ?? '?'}), ${os.platform()}/${os.arch()}, load ${load()}`);
  console.log(yardstick === null ? `  (set ${YARDSTICK_ENV}=…/sab-ring.js to run an outside yardstick beside ours)` : `  yardstick beside ours: ${yardstick}`);
  if (loadStart[0]! > os.cpus().length * 0.75) console.log('  warning: the machine is busy; the two-thread ring suffers most, so ratios are unreliable');

  const samples = new Map<string, Sample[]>();
  const loads: string[] = [];
  for (let run = 1; run <= args.runs; run++) {
    const t0 = performance.now();
    for (const c of cases) {
      try {
        const c0 = performance.now();
        const got = await c.run();
        const caseMs = Math.round(performance.now() - c0);
        for (const [name, s] of got) samples.set(name, [...(samples.get(name) ?? []), { ...s, run, caseMs }]);
      } catch (err) {
        console.error(`  run ${run}, ${c.rows.map((r) => r.name).join(' / ')} failed: ${err instanceof Error ? err.message : String(err)}`);
      }
    }
    loads.push(load());
    console.log(`  run ${run}/${args.runs}: ${cases.length} cases in ${((performance.now() - t0) / 1000).toFixed(1)} s, load ${load()}`);
  }

  const rows = cases.flatMap((c) => c.rows);
  const results: RowResult[] = judge(rows, samples, ringRowName);
  for (const s of SECTIONS) {
    const inSection = results.filter((r) => r.section === s.id);
    if (inSection.length > 0) console.log(formatSection(s.title, inSection));
  }
  console.log(`\n  median of ${args.runs} run(s) per row; ×ring = row records/s ÷ ring records/s at the same record size (= ratio of bytes/s);`);
  console.log('  verdict: met/MISSED against DESIGN §10 (a ratio to another row prints as "0.85× → met"); info rows have no target.');
  const missed = results.filter((r) => r.verdict === 'MISSED').map((r) => r.name);
  const met = results.filter((r) => r.verdict === 'met').length;
  console.log(`  targets: ${met} met, ${missed.length} missed${missed.length ? ` (${missed.join('; ')})` : ''}`);
  const totalMs = Math.round(performance.now() - started);
  console.log(`\ndone in ${(totalMs / 1000).toFixed(1)} s; load at start ${loadStart.map((l) => l.toFixed(2)).join(' ')}, at end ${load()}`);

  if (args.json !== null) {
    const report = {
      tool: 'rivulet bench', version: 2, quick: args.quick, smoke: args.smoke, runs: args.runs, only: args.only, when: new Date().toISOString(), totalMs,
      machine: { node: process.version, cpus: os.cpus().length, cpuModel: os.cpus()[0]?.model ?? 'unknown', platform: os.platform(), arch: os.arch(), loadAtStart: loadStart, loadAfterEachRun: loads, loadAtEnd: os.loadavg() },
      yardstick, sizes: args.sizes, rows: results,
    };
    fs.writeFileSync(args.json, `${JSON.stringify(report, null, 2)}\n`);
    console.log(`wrote ${args.json}`);
  }
}

main().then(
  // Exit explicitly: a bare-ring worker that timed out must not keep the process alive.
  () => process.exit(process.exitCode ?? 0),
  (err: unknown) => {
    console.error(`bench failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
    process.exit(err instanceof RangeError ? 2 : 1);
  },
);
