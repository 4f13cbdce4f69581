/**
 * `npm run bench` (dist/bench/main.js) — rivulet's throughput figures beside the bare ring's,
 * measured in the same run (DESIGN §10). Flags: `--quick` (≈ 30 s), `--json FILE`.
 *
 * Sections:
 * 1. bare SPSC SAB ring between two threads (bench/ring.ts), 100 B and 1 KiB records — the yardstick;
 * 2. storage: PartitionLog append/read, memory and disk (bench/storage.ts);
 * 3. end-to-end through the public Cluster API (bench/e2e.ts): 1 SPU, RF=1, acks=1, 100 B and 1 KiB
 *    values (null keys), 1 and 16 partitions, placements 'spu' and 'replica'; plus 100 B with
 *    3 SPUs RF=3 acks=all, and 100 B in disk mode. Consumers (one per partition,
 *    batches() with every record decoded) follow the log while send() runs in a loop without
 *    awaiting each record (a bounded window of bytes in flight). Reported: produce rate (until
 *    flush), end-to-end rate (until the last record was consumed), a catch-up consume from the
 *    beginning, and produce-ack latency p50/p99 under that load (send() call → its promise
 *    resolving, every k-th record sampled). A probe with one record in flight gives the idle latency.
 * 4. over the Kafka listener on loopback (bench/remote.ts): rivulet's connect() client produce →
 *    consume, and a kafkajs producer beside kafkajs's own encoding cost for the same batches.
 *
 * Figures are measurements only: nothing here asserts speed. MB = 10^6 bytes.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import { parseArgs } from 'node:util';
import { e2eCase, probeCase, RF1, type E2eRun, type E2eSetup, type Placement, type ProbeFigure } from './e2e.js';
import { benchBareRing } from './ring.js';
import { benchStorage, type StorageBenchRow } from './storage.js';
import { connectCase, kafkajsCase, kafkajsEncodeCase, type KafkajsEncode, type RemoteRun } from './remote.js';

interface RingFigure { recordBytes: number; records: number; recordsPerSec: number; mbPerSec: number }
/** ratioToRing: e2e ÷ bare ring; for disk-mode rows, e2e ÷ the same case in memory mode. */
interface E2eFigure extends E2eRun { ringRecordsPerSec: number | null; ratioToRing: number | null; targetRatio: number }

const RECORD_SIZES = [100, 1024] as const;
const PARTITION_COUNTS = [1, 16] as const;
const PLACEMENTS: readonly Placement[] = ['spu', 'replica'];
/** DESIGN §10: embedded RF=1 ≥ 0.3× the bare ring (100 B records), ≥ 0.5× its bytes/s (1 KiB). */
const TARGET_RATIO = { 100: 0.3, 1024: 0.5 } as const;

const SIZES = {
  full: { ringRecords: { 100: 4_000_000, 1024: 1_000_000 }, e2eBytes: 128e6, e2eMaxRecords: 1_000_000, probeSends: 1000, storageCaseMs: 350, ringRuns: 3, ringTimeoutMs: 20_000, e2eRuns: 3 },
  quick: { ringRecords: { 100: 2_000_000, 1024: 500_000 }, e2eBytes: 48e6, e2eMaxRecords: 200_000, probeSends: 300, storageCaseMs: 150, ringRuns: 2, ringTimeoutMs: 10_000, e2eRuns: 1 },
} as const;
/**
 * Best of `runs` bare-ring runs (the yardstick should not be a slow outlier). A run that fails or
 * does not finish within `timeoutMs` leaves the figure null (ratios print n/a) instead of hanging.
 */
async function ringCase(recordBytes: number, records: number, runs: number, timeoutMs: number): Promise<RingFigure | null> {
  let best = { recordsPerSec: 0, mbPerSec: 0 };
  for (let i = 0; i < runs; i++) {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`no result within ${timeoutMs / 1000} s`)), timeoutMs);
    });
    try {
      const r = await Promise.race([benchBareRing({ recordBytes, records }), timeout]);
      if (r.recordsPerSec > best.recordsPerSec) best = r;
    } catch (err) {
      console.error(`  bare ring ${recordBytes} B failed: ${err instanceof Error ? err.message : String(err)}`);
      return null;
    } finally {
      clearTimeout(timer);
    }
  }
  return { recordBytes, records, recordsPerSec: Math.round(best.recordsPerSec), mbPerSec: Math.round(best.mbPerSec) };
}

const fmtInt = (n: number): string => Math.round(n).toLocaleString('en-US');
function table(header: string[], rows: string[][]): string {
  const widths = header.map((h, c) => Math.max(h.length, ...rows.map((r) => r[c]!.length)));
  const line = (cells: string[]): string => cells.map((cell, c) => (c < 3 ? cell.padEnd(widths[c]!) : cell.padStart(widths[c]!))).join('  ');
  return [line(header), ...rows.map(line)].map((l) => `  ${l}`).join('\n');
}

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { json: { type: 'string' }, quick: { type: 'boolean', default: false } } });
  const quick = values.quick === true;
  const size = quick ? SIZES.quick : SIZES.full;
  const started = performance.now();
  const loadAtStart = os.loadavg()[0]!;
  console.log(`rivulet bench${quick ? ' --quick' : ''}: Node ${process.version}, ${os.cpus().length} CPUs, ${os.platform()}/${os.arch()}, load ${loadAtStart.toFixed(2)}`);
  if (loadAtStart > os.cpus().length * 0.75) {
    console.log('  warning: the machine is busy; the bare ring spins two threads and suffers most, so ratios are unreliable');
  }

  // The yardstick runs before and after the end-to-end cases; the better figure of the two is used,
  // so a burst of load from elsewhere during one pass does not inflate rivulet's ratio.
  const ringPass = async (): Promise<RingFigure[]> => {
    const figs: RingFigure[] = [];
    for (const recordBytes of RECORD_SIZES) {
      const fig = await ringCase(recordBytes, size.ringRecords[recordBytes], size.ringRuns, size.ringTimeoutMs);
      if (fig) figs.push(fig);
    }
    return figs;
  };
  const printRing = (title: string, figs: RingFigure[]): void => {
    console.log(title);
    console.log(table(['record', '', '', 'records/s', 'MB/s'], figs.map((r) => [`${r.recordBytes} B`, '', '', fmtInt(r.recordsPerSec), fmtInt(r.mbPerSec)])));
  };
  const ringBefore = await ringPass();
  printRing(`\nbare SPSC SharedArrayBuffer ring, 2 threads (the yardstick, best of ${size.ringRuns})`, ringBefore);

  const storage: StorageBenchRow[] = await benchStorage({ caseMs: size.storageCaseMs });
  console.log('\nstorage: PartitionLog append / read (pre-built batches)');
  console.log(table(['mode', 'record', '', 'append rec/s', 'append MB/s', 'read+decode rec/s', 'read MB/s'], storage.map((s) => [
    s.mode, `${s.recordBytes} B`, '', fmtInt(s.appendRecordsPerSec), fmtInt(s.appendMbPerSec), fmtInt(s.readRecordsPerSec), fmtInt(s.readMbPerSec),
  ])));

  console.log(`\nend-to-end, embedded Cluster API: produce → consume (running), best of ${size.e2eRuns}; 1 SPU RF=1 acks=1 unless the setup says`);
  const runs: E2eRun[] = [];
  for (const recordBytes of RECORD_SIZES) {
    const records = Math.min(size.e2eMaxRecords, Math.floor(size.e2eBytes / recordBytes));
    for (const partitions of PARTITION_COUNTS) {
      for (const threads of PLACEMENTS) {
        let fig = await e2eCase(recordBytes, partitions, threads, records);
        for (let run = 1; run < size.e2eRuns; run++) {
          const again = await e2eCase(recordBytes, partitions, threads, records);
          if (again.endToEnd.recordsPerSec > fig.endToEnd.recordsPerSec) fig = again;
        }
        runs.push(fig);
      }
    }
  }
  // DESIGN §10's other targets: RF=3 acks=all (3 SPUs) ≥ 0.15× the ring; disk mode ≥ 0.7× memory.
  const extra: { setup: E2eSetup; target: number }[] = [
    { setup: { spus: 3, replicationFactor: 3, acks: 'all', disk: false }, target: 0.15 },
    { setup: { ...RF1, disk: true }, target: 0.3 * 0.7 },
  ];
  for (const { setup } of extra) {
    const records = Math.min(size.e2eMaxRecords, Math.floor(size.e2eBytes / 100));
    let fig = await e2eCase(100, 1, 'spu', records, setup);
    for (let run = 1; run < size.e2eRuns; run++) {
      const again = await e2eCase(100, 1, 'spu', records, setup);
      if (again.endToEnd.recordsPerSec > fig.endToEnd.recordsPerSec) fig = again;
    }
    runs.push(fig);
  }
  const ringAfter = await ringPass();
  const ring = RECORD_SIZES.flatMap((recordBytes) => {
    const both = [...ringBefore, ...ringAfter].filter((r) => r.recordBytes === recordBytes);
    return both.length === 0 ? [] : [both.reduce((a, b) => (b.recordsPerSec > a.recordsPerSec ? b : a))];
  });
  const e2e: E2eFigure[] = runs.map((fig) => {
    const ringFig = ring.find((r) => r.recordBytes === fig.recordBytes);
    // Disk mode is judged against the same case in memory mode (DESIGN: ≥ 0.7× memory).
    const memory = runs.find((m) => m.mode === 'memory' && m.recordBytes === fig.recordBytes && m.partitions === fig.partitions && m.threads === fig.threads && m.replicationFactor === fig.replicationFactor);
    const base = fig.mode === 'disk' && memory ? memory.endToEnd.recordsPerSec : ringFig?.recordsPerSec;
    return {
      ...fig,
      ringRecordsPerSec: ringFig?.recordsPerSec ?? null,
      ratioToRing: base ? Math.round((fig.endToEnd.recordsPerSec / base) * 1000) / 1000 : null,
      targetRatio: fig.replicationFactor === 3 ? 0.15 : fig.mode === 'disk' ? 0.7 : TARGET_RATIO[fig.recordBytes as keyof typeof TARGET_RATIO],
    };
  });
  console.log(table(
    ['record', 'parts', 'threads', 'setup', 'produce rec/s', 'e2e rec/s', 'e2e MB/s', 'consume rec/s', 'ack p50 ms', 'ack p99 ms', 'ring rec/s', 'ratio', 'target'],
    e2e.map((f) => [
      `${f.recordBytes} B`, String(f.partitions), f.threads, `RF${f.replicationFactor} acks=${f.acks} ${f.mode}`, fmtInt(f.produce.recordsPerSec), fmtInt(f.endToEnd.recordsPerSec),
      f.endToEnd.mbPerSec.toFixed(1), fmtInt(f.consume.recordsPerSec), f.ackLatencyUnderLoad.p50Ms.toFixed(2),
      f.ackLatencyUnderLoad.p99Ms.toFixed(2), f.ringRecordsPerSec === null ? 'n/a' : fmtInt(f.ringRecordsPerSec),
      f.ratioToRing === null ? 'n/a' : `${f.ratioToRing.toFixed(3)}×${f.mode === 'disk' ? ' mem' : ''}`,
      `${f.ratioToRing === null ? '?' : f.ratioToRing >= f.targetRatio ? 'met' : 'MISSED'} ≥${f.targetRatio}`,
    ]),
  ));
  console.log('  ratio = e2e records/s ÷ bare ring records/s at the same record size (= ratio of bytes/s);');
  console.log('  targets: RF1 ≥ 0.3× (100 B), ≥ 0.5× (1 KiB); RF3 acks=all ≥ 0.15×; the disk row is a ratio to the same case in memory (≥ 0.7×);');
  console.log(`  ring = the better of its runs before and after these cases (after: ${ringAfter.map((r) => `${r.recordBytes} B ${fmtInt(r.recordsPerSec)}/s`).join(', ')});`);
  console.log('  ack latency under load: send() → promise resolved with up to 1 MiB of records un-acked.');

  const remoteRecords = Math.min(size.e2eMaxRecords, Math.floor(size.e2eBytes / 100)) / (quick ? 2 : 4);
  const remote: RemoteRun[] = [await connectCase(100, remoteRecords), await kafkajsCase(100, remoteRecords)];
  const kjsEncode: KafkajsEncode = await kafkajsEncodeCase(100, remoteRecords);
  const ring100 = ring.find((r) => r.recordBytes === 100)?.recordsPerSec;
  console.log('\nover the Kafka listener, loopback: produce → consume, 100 B, 1 SPU RF=1 acks=1, 1 partition');
  console.log(table(['client', '', '', 'produce rec/s', 'e2e rec/s', 'ack p50 ms', 'ack p99 ms', 'ratio', 'target'], remote.map((r) => {
    const ratio = ring100 ? r.endToEnd.recordsPerSec / ring100 : null;
    const target = r.client === 'connect()' ? '≥0.12' : `≤ kafkajs encode ${fmtInt(kjsEncode.encode.recordsPerSec)}/s`;
    const verdict = r.client === 'connect()' ? (ratio === null ? '?' : ratio >= 0.12 ? 'met' : 'MISSED') : `${((r.produce.recordsPerSec / kjsEncode.encode.recordsPerSec) * 100).toFixed(0)}% of it`;
    return [r.client, '', '', fmtInt(r.produce.recordsPerSec), fmtInt(r.endToEnd.recordsPerSec), r.ackLatencyUnderLoad.p50Ms.toFixed(2), r.ackLatencyUnderLoad.p99Ms.toFixed(2), ratio === null ? 'n/a' : `${ratio.toFixed(3)}×`, `${verdict} ${target}`];
  })));
  console.log('  connect(): send() pipelined (window of 10,000), consumer follows by Fetch; kafkajs: sends of 1,000 records, 8 in flight, acks=1;');
  console.log(`  kafkajs encode = its Produce v7 encoder alone on the same batches, no socket (${fmtInt(kjsEncode.encode.recordsPerSec)} rec/s): no broker can make kafkajs produce faster.`);

  const probes: ProbeFigure[] = [];
  for (const threads of PLACEMENTS) probes.push(await probeCase(threads, 100, size.probeSends));
  console.log('\nproduce-ack latency, one 100 B record in flight (acks=1, 1 partition)');
  console.log(table(['threads', '', '', 'p50 ms', 'p99 ms'], probes.map((p) => [p.threads, '', '', p.ackLatencyOneInFlight.p50Ms.toFixed(3), p.ackLatencyOneInFlight.p99Ms.toFixed(3)])));

  const totalMs = Math.round(performance.now() - started);
  console.log(`\ndone in ${(totalMs / 1000).toFixed(1)} s`);
  if (values.json !== undefined) {
    const report = {
      tool: 'rivulet bench', version: 1, quick, when: new Date().toISOString(), totalMs,
      machine: { node: process.version, cpus: os.cpus().length, loadAtStart, loadAtEnd: os.loadavg()[0], cpuModel: os.cpus()[0]?.model ?? 'unknown', platform: os.platform(), arch: os.arch() },
      ring, ringRuns: { before: ringBefore, after: ringAfter }, storage, e2e, remote, kafkajsEncode: kjsEncode, latencyProbe: probes,
    };
    fs.writeFileSync(values.json, `${JSON.stringify(report, null, 2)}\n`);
    console.log(`wrote ${values.json}`);
  }
}

main().then(
  // Exit explicitly: a bare-ring worker that timed out must not keep the process alive.
  () => process.exit(process.exitCode ?? 0),
  (err: unknown) => {
    console.error(`bench failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
    process.exit(1);
  },
);
