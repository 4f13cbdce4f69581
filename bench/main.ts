/**
 * `npm run bench` (dist/bench/main.js) — rivulet's throughput figures beside the bare ring's,
 * measured in the same run (DESIGN §10). Flags: `--quick` (≈ 30 s), `--json FILE`.
 *
 * Sections:
 * 1. bare SPSC SAB ring between two threads (bench/ring.ts), 100 B and 1 KiB records — the yardstick;
 * 2. storage: PartitionLog append/read, memory and disk (bench/storage.ts);
 * 3. end-to-end through the public Cluster API: 1 SPU, RF=1, acks=1, 100 B and 1 KiB values
 *    (null keys), 1 and 16 partitions, placements 'spu' and 'replica'. Consumers (one per partition,
 *    batches() with every record decoded) follow the log while send() runs in a loop without
 *    awaiting each record (a bounded window of bytes in flight). Reported: produce rate (until
 *    flush), end-to-end rate (until the last record was consumed), a catch-up consume from the
 *    beginning, and produce-ack latency p50/p99 under that load (send() call → its promise
 *    resolving, every k-th record sampled). A probe with one record in flight gives the idle latency.
 *
 * Figures are measurements only: nothing here asserts speed. MB = 10^6 bytes.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import { parseArgs } from 'node:util';
import { Cluster, Offset, type PartitionConsumer, type Producer } from '../src/index.js';
import { benchBareRing } from './ring.js';
import { benchStorage, type StorageBenchRow } from './storage.js';

type Placement = 'spu' | 'replica';

interface RingFigure { recordBytes: number; records: number; recordsPerSec: number; mbPerSec: number }
interface Rate { records: number; ms: number; recordsPerSec: number; mbPerSec: number }
interface Latency { samples: number; p50Ms: number; p99Ms: number }
interface E2eFigure {
  recordBytes: number; partitions: number; threads: Placement; replicationFactor: 1; acks: 1;
  produce: Rate; endToEnd: Rate; consume: Rate; ackLatencyUnderLoad: Latency;
  ringRecordsPerSec: number | null; ratioToRing: number | null; targetRatio: number;
}
interface ProbeFigure { threads: Placement; recordBytes: number; ackLatencyOneInFlight: Latency }

const RECORD_SIZES = [100, 1024] as const;
const PARTITION_COUNTS = [1, 16] as const;
const PLACEMENTS: readonly Placement[] = ['spu', 'replica'];
/** DESIGN §10: embedded RF=1 ≥ 0.3× the bare ring (100 B records), ≥ 0.5× its bytes/s (1 KiB). */
const TARGET_RATIO = { 100: 0.3, 1024: 0.5 } as const;

const SIZES = {
  full: { ringRecords: { 100: 4_000_000, 1024: 1_000_000 }, e2eBytes: 128e6, e2eMaxRecords: 1_000_000, probeSends: 1000, storageCaseMs: 350, ringRuns: 3, ringTimeoutMs: 20_000, e2eRuns: 3 },
  quick: { ringRecords: { 100: 2_000_000, 1024: 500_000 }, e2eBytes: 48e6, e2eMaxRecords: 200_000, probeSends: 300, storageCaseMs: 150, ringRuns: 2, ringTimeoutMs: 10_000, e2eRuns: 1 },
} as const;
/** Bytes the send loop keeps un-acked before it awaits the oldest sends (window of the loop). */
const WINDOW_BYTES = 1024 * 1024;
const LATENCY_SAMPLES = 4000;
const WARMUP_RECORDS = 5000;

const rateOf = (records: number, bytesPerRecord: number, ms: number): Rate => ({
  records,
  ms: Math.round(ms),
  recordsPerSec: Math.round((records * 1000) / ms),
  mbPerSec: Math.round(((records * bytesPerRecord) / 1e6 / ms) * 1000 * 10) / 10,
});

function latencyOf(samplesMs: number[]): Latency {
  const s = [...samplesMs].sort((a, b) => a - b);
  const at = (q: number): number => (s.length === 0 ? 0 : Math.round(s[Math.min(s.length - 1, Math.floor(q * s.length))]! * 1000) / 1000);
  return { samples: s.length, p50Ms: at(0.5), p99Ms: at(0.99) };
}

function valueOf(bytes: number): Uint8Array {
  const v = new Uint8Array(bytes);
  for (let i = 0; i < bytes; i++) v[i] = 97 + (i % 26);
  return v;
}

/** Consume from the consumer's position until `count` records were seen; every record is decoded. */
async function drain(consumer: PartitionConsumer, count: number): Promise<number> {
  let seen = 0;
  let bytes = 0;
  if (count <= 0) return 0;
  for await (const batch of consumer.batches()) {
    for (const r of batch.records) bytes += r.value.length;
    seen += batch.records.length;
    if (seen >= count) break;
  }
  consumer.close();
  return bytes;
}

/**
 * send() `total` records round-robin over partitions, keeping at most `windowRecords` un-acked.
 * Only sampled and window-checkpoint receipts are awaited (a receipt costs a Promise only when
 * observed); flush() rejects if any un-observed send failed, and drain() counts every byte.
 */
async function produce(producer: Producer, value: Uint8Array, total: number, partitions: number, windowRecords: number, latencies: number[] | null): Promise<void> {
  const every = Math.max(1, Math.floor(total / LATENCY_SAMPLES));
  const checkpoints: PromiseLike<unknown>[] = []; // every `stride`-th send, to bound the window
  const stride = Math.max(1, Math.floor(windowRecords / 16));
  for (let i = 0; i < total; i++) {
    const t0 = latencies !== null && i % every === 0 ? performance.now() : -1;
    const sent = producer.send(null, value, { partition: i % partitions });
    if (t0 >= 0) void sent.then(() => { latencies!.push(performance.now() - t0); }, () => {});
    if (i % stride === 0) {
      checkpoints.push(sent);
      if (checkpoints.length > 16) await checkpoints.shift();
    }
  }
  await producer.flush();
}

async function e2eCase(recordBytes: number, partitions: number, threads: Placement, records: number): Promise<Omit<E2eFigure, 'ringRecordsPerSec' | 'ratioToRing' | 'targetRatio'>> {
  const cluster = await Cluster.start({ spus: 1, threads });
  try {
    await cluster.admin.createTopic('bench', { partitions, replicationFactor: 1 });
    const producer = await cluster.producer('bench', { acks: 1 });
    const value = valueOf(recordBytes);
    const perPartition = Math.max(1, Math.floor(records / partitions));
    const total = perPartition * partitions;
    const windowRecords = Math.max(64, Math.floor(WINDOW_BYTES / recordBytes));
    const warm = Math.ceil(WARMUP_RECORDS / partitions) * partitions;
    await produce(producer, value, warm, partitions, windowRecords, null); // JIT and worker warm-up

    const warmPerPartition = warm / partitions; // round-robin pinned: offsets 0..warmPerPartition-1
    const consumers = await Promise.all(Array.from({ length: partitions }, (_, partition) =>
      cluster.consumer('bench', { partition, offset: Offset.absolute(warmPerPartition) })));
    const latencies: number[] = [];
    const t0 = performance.now();
    const consumed = Promise.all(consumers.map((c) => drain(c, perPartition)));
    await produce(producer, value, total, partitions, windowRecords, latencies);
    const produceMs = performance.now() - t0;
    const consumedBytes = (await consumed).reduce((a, b) => a + b, 0);
    const e2eMs = performance.now() - t0;
    if (consumedBytes !== total * recordBytes) throw new Error(`consumed ${consumedBytes} bytes, expected ${total * recordBytes}`);

    const catchUp = await Promise.all(Array.from({ length: partitions }, (_, partition) => cluster.consumer('bench', { partition, offset: Offset.beginning() })));
    const t1 = performance.now();
    await Promise.all(catchUp.map((c) => drain(c, perPartition + warmPerPartition)));
    const consumeMs = performance.now() - t1;
    return {
      recordBytes, partitions, threads, replicationFactor: 1, acks: 1,
      produce: rateOf(total, recordBytes, produceMs),
      endToEnd: rateOf(total, recordBytes, e2eMs),
      consume: rateOf(total + warm, recordBytes, consumeMs),
      ackLatencyUnderLoad: latencyOf(latencies),
    };
  } finally {
    await cluster.shutdown();
  }
}

/** Produce-ack latency with one record in flight (await each send). */
async function probeCase(threads: Placement, recordBytes: number, sends: number): Promise<ProbeFigure> {
  const cluster = await Cluster.start({ spus: 1, threads });
  try {
    await cluster.admin.createTopic('probe', { partitions: 1, replicationFactor: 1 });
    const producer = await cluster.producer('probe', { acks: 1 });
    const value = valueOf(recordBytes);
    const samples: number[] = [];
    for (let i = 0; i < sends + 100; i++) {
      const t0 = performance.now();
      await producer.send(null, value);
      if (i >= 100) samples.push(performance.now() - t0); // first 100: warm-up
    }
    return { threads, recordBytes, ackLatencyOneInFlight: latencyOf(samples) };
  } finally {
    await cluster.shutdown();
  }
}

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

  console.log(`\nend-to-end, embedded Cluster API: 1 SPU, RF=1, acks=1, produce → consume (running), best of ${size.e2eRuns}`);
  const runs: Omit<E2eFigure, 'ringRecordsPerSec' | 'ratioToRing' | 'targetRatio'>[] = [];
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
  const ringAfter = await ringPass();
  const ring = RECORD_SIZES.flatMap((recordBytes) => {
    const both = [...ringBefore, ...ringAfter].filter((r) => r.recordBytes === recordBytes);
    return both.length === 0 ? [] : [both.reduce((a, b) => (b.recordsPerSec > a.recordsPerSec ? b : a))];
  });
  const e2e: E2eFigure[] = runs.map((fig) => {
    const ringFig = ring.find((r) => r.recordBytes === fig.recordBytes);
    return {
      ...fig,
      ringRecordsPerSec: ringFig?.recordsPerSec ?? null,
      ratioToRing: ringFig ? Math.round((fig.endToEnd.recordsPerSec / ringFig.recordsPerSec) * 1000) / 1000 : null,
      targetRatio: TARGET_RATIO[fig.recordBytes as keyof typeof TARGET_RATIO],
    };
  });
  console.log(table(
    ['record', 'parts', 'threads', 'produce rec/s', 'e2e rec/s', 'e2e MB/s', 'consume rec/s', 'ack p50 ms', 'ack p99 ms', 'ring rec/s', 'ratio', 'target'],
    e2e.map((f) => [
      `${f.recordBytes} B`, String(f.partitions), f.threads, fmtInt(f.produce.recordsPerSec), fmtInt(f.endToEnd.recordsPerSec),
      f.endToEnd.mbPerSec.toFixed(1), fmtInt(f.consume.recordsPerSec), f.ackLatencyUnderLoad.p50Ms.toFixed(2),
      f.ackLatencyUnderLoad.p99Ms.toFixed(2), f.ringRecordsPerSec === null ? 'n/a' : fmtInt(f.ringRecordsPerSec),
      f.ratioToRing === null ? 'n/a' : `${f.ratioToRing.toFixed(3)}×`,
      `${f.ratioToRing === null ? '?' : f.ratioToRing >= f.targetRatio ? 'met' : 'MISSED'} ≥${f.targetRatio}`,
    ]),
  ));
  console.log('  ratio = e2e records/s ÷ bare ring records/s at the same record size (= ratio of bytes/s),');
  console.log(`  ring = the better of its runs before and after these cases (after: ${ringAfter.map((r) => `${r.recordBytes} B ${fmtInt(r.recordsPerSec)}/s`).join(', ')});`);
  console.log('  ack latency under load: send() → promise resolved with up to 1 MiB of records un-acked.');

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
      ring, ringRuns: { before: ringBefore, after: ringAfter }, storage, e2e, latencyProbe: probes,
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
