/**
 * The catalogue of `npm run bench`: every case, the rows it yields and each row's DESIGN §10
 * target. A case runs once per run (`--runs N`) and returns one Sample per row it measured; row
 * names are what `--only` matches. docs/performance.md explains every row.
 *
 * Targets (DESIGN §10; "ring" = the bare ring's records/s at the row's record size, same run):
 *   e2e 100 B RF1 p1 / p16   ≥ 0.3× ring         e2e 1 KiB RF1 p1 / p16   ≥ 0.5× ring (bytes/s)
 *   e2e 100 B RF3 acks=all   ≥ 0.15× ring        e2e 100 B sendBatch      ≥ 0.15× ring
 *   disk 100 B RF1 p1        ≥ 0.7× the memory row      connect() 100 B    ≥ 0.12× ring
 *   kafkajs producer         ≥ 0.5× kafkajs's own encode-only rate (bench's reading of "not
 *                            slower than kafkajs's own encoding cost allows": the broker and the
 *                            socket cost no more than kafkajs's encoder)
 *   keyed p16 / p64          CPU µs/record ≤ 1.5× keyed p1's (p1000 reported beside p1, no target)
 *   1000 partitions start    < 10 s          1000 partitions memory   ≤ 100 KiB RSS per idle partition
 */
import { e2eCase, probeCase, RF1, SEND_BATCH_RECORDS, type E2eRun, type E2eSetup, type Placement } from './e2e.js';
import { benchBareRing } from './ring.js';
import { connectCase, kafkajsCase, kafkajsEncodeCase } from './remote.js';
import type { RecordSize, RowDef, Sample } from './report.js';
import { scaleCase } from './scale.js';
import { benchStorage } from './storage.js';
import { thousandCase } from './thousand.js';
import { runYardstick } from './yardstick.js';
import type { Sizes } from './args.js';

export interface BenchCase { rows: RowDef[]; run(): Promise<Map<string, Sample>> }

export const ringRowName = (size: RecordSize): string => `ring ${sizeName(size)}`;
const sizeName = (size: number): string => (size === 1024 ? '1 KiB' : `${size} B`);
const f = (n: number, digits = 2): string => (n >= 1e6 ? `${(n / 1e6).toFixed(digits)} M` : n >= 1e4 ? `${(n / 1e3).toFixed(1)} k` : n.toFixed(digits));
const one = (name: string, s: Sample): Map<string, Sample> => new Map([[name, s]]);
const E2E_MEMORY_100 = 'e2e 100 B RF1 p1';
const KAFKAJS_ENCODE = 'kafkajs encode 100 B';
const KEYED_P1 = 'keyed 100 B p1';

function e2eSample(r: E2eRun): Sample {
  return {
    value: r.endToEnd.recordsPerSec, recordsPerSec: r.endToEnd.recordsPerSec,
    detail: {
      'MB/s': r.endToEnd.mbPerSec.toFixed(1), produce: `${f(r.produce.recordsPerSec)}/s`, 'catch-up consume': `${f(r.consume.recordsPerSec)}/s`,
      'CPU µs/rec': r.cpuUsPerRecord.toFixed(2), 'ack p50/p99 ms': `${r.ackLatencyUnderLoad.p50Ms.toFixed(2)}/${r.ackLatencyUnderLoad.p99Ms.toFixed(2)}`,
    },
  };
}

export function catalogue(sizes: Sizes, yardstick: string | null): BenchCase[] {
  const cases: BenchCase[] = [];
  for (const size of [100, 1024] as const) {
    const ring = ringRowName(size);
    cases.push({
      rows: [{ name: ring, section: 'ring', unit: 'rec/s', target: null }],
      run: async () => {
        const r = await benchBareRing({ recordBytes: size, records: sizes.ringRecords[size] });
        return one(ring, { value: r.recordsPerSec, recordsPerSec: r.recordsPerSec, detail: { 'MB/s': r.mbPerSec.toFixed(0) } });
      },
    });
    if (yardstick !== null) {
      const name = `yardstick ${sizeName(size)}`;
      cases.push({
        rows: [{ name, section: 'ring', unit: 'rec/s', ringBytes: size, target: null }],
        run: async () => {
          const rate = await runYardstick(yardstick, size, sizes.ringRecords[size]);
          return rate === null ? new Map() : one(name, { value: rate, recordsPerSec: rate, detail: { script: yardstick } });
        },
      });
    }
  }

  const e2e = (name: string, size: RecordSize, partitions: number, threads: Placement, setup: E2eSetup, target: RowDef['target']): void => {
    const records = Math.min(sizes.e2eMaxRecords, Math.floor(sizes.e2eBytes / size));
    cases.push({
      rows: [{ name, section: 'e2e', unit: 'rec/s', ringBytes: size, target }],
      run: async () => one(name, e2eSample(await e2eCase(size, partitions, threads, records, setup))),
    });
  };
  for (const threads of sizes.replicaPlacement ? (['spu', 'replica'] as const) : (['spu'] as const)) {
    const suffix = threads === 'spu' ? '' : ' replica-threads';
    for (const size of [100, 1024] as const) {
      for (const partitions of [1, 16]) {
        e2e(`e2e ${sizeName(size)} RF1 p${partitions}${suffix}`, size, partitions, threads, RF1, { base: 'ring', op: '>=', value: size === 100 ? 0.3 : 0.5 });
      }
    }
  }
  e2e('e2e 100 B RF3 acks=all', 100, 1, 'spu', { spus: 3, replicationFactor: 3, acks: 'all', disk: false }, { base: 'ring', op: '>=', value: 0.15 });
  e2e(`e2e 100 B sendBatch(${SEND_BATCH_RECORDS}) awaited`, 100, 1, 'spu', { ...RF1, sends: 'sendBatch' }, { base: 'ring', op: '>=', value: 0.15 });
  e2e('disk 100 B RF1 p1', 100, 1, 'spu', { ...RF1, disk: true }, { base: 'row', row: E2E_MEMORY_100, op: '>=', value: 0.7, what: 'memory' });

  const remote = sizes.remoteRecords;
  cases.push({
    rows: [{ name: 'connect() 100 B', section: 'remote', unit: 'rec/s', ringBytes: 100, target: { base: 'ring', op: '>=', value: 0.12 } }],
    run: async () => {
      const r = await connectCase(100, remote, 'child');
      const inProcess = await connectCase(100, remote, 'in-process');
      return one('connect() 100 B', { value: r.endToEnd.recordsPerSec, recordsPerSec: r.endToEnd.recordsPerSec, detail: {
        produce: `${f(r.produce.recordsPerSec)}/s`, 'CPU µs/rec client/server': `${r.clientCpuUsPerRecord.toFixed(2)}/${r.serverCpuUsPerRecord.toFixed(2)}`,
        'ack p50/p99 ms': `${r.ackLatencyUnderLoad.p50Ms.toFixed(2)}/${r.ackLatencyUnderLoad.p99Ms.toFixed(2)}`,
        'in-process': `${f(inProcess.endToEnd.recordsPerSec)}/s`, 'in-process CPU µs/rec': inProcess.clientCpuUsPerRecord.toFixed(2),
      } });
    },
  });
  cases.push({
    rows: [{ name: KAFKAJS_ENCODE, section: 'remote', unit: 'rec/s', ringBytes: 100, target: null }],
    run: async () => {
      const r = await kafkajsEncodeCase(100, remote);
      return one(KAFKAJS_ENCODE, { value: r.encode.recordsPerSec, recordsPerSec: r.encode.recordsPerSec, detail: { what: 'kafkajs Produce v7 encoder alone, no socket' } });
    },
  });
  cases.push({
    rows: [{ name: 'kafkajs producer 100 B', section: 'remote', unit: 'rec/s', ringBytes: 100, target: { base: 'row', row: KAFKAJS_ENCODE, op: '>=', value: 0.5, what: 'encode' } }],
    run: async () => {
      const r = await kafkajsCase(100, remote, 'child');
      const inProcess = await kafkajsCase(100, remote, 'in-process');
      return one('kafkajs producer 100 B', { value: r.produce.recordsPerSec, recordsPerSec: r.produce.recordsPerSec, detail: {
        'e2e': `${f(r.endToEnd.recordsPerSec)}/s`, 'ack p50/p99 ms': `${r.ackLatencyUnderLoad.p50Ms.toFixed(2)}/${r.ackLatencyUnderLoad.p99Ms.toFixed(2)}`,
        'in-process': `${f(inProcess.produce.recordsPerSec)}/s`,
      } });
    },
  });

  for (const partitions of sizes.scalePartitions) {
    const name = partitions === 1 ? KEYED_P1 : `keyed 100 B p${partitions}`;
    const target: RowDef['target'] = partitions === 1 ? null : { base: 'row', row: KEYED_P1, op: partitions <= 64 ? '<=' : 'info', value: 1.5, what: 'p1 cost' };
    cases.push({
      rows: [{ name, section: 'scale', unit: 'CPU µs/rec', ringBytes: 100, target }],
      run: async () => {
        const r = await scaleCase(partitions, sizes.scaleRecords);
        return one(name, { value: r.cpuUsPerRecord, recordsPerSec: r.produce.recordsPerSec, detail: { 'rec/s': f(r.produce.recordsPerSec), 'cold µs/rec': r.coldCpuUsPerRecord.toFixed(3), keys: String(r.keys), 'createTopic ms': String(r.createTopicMs) } });
      },
    });
  }
  const p = sizes.thousandPartitions;
  cases.push({
    rows: [
      { name: `${p} partitions start`, section: 'thousand', unit: 's', target: { base: 'abs', op: '<', value: 10 } },
      { name: `${p} partitions memory`, section: 'thousand', unit: 'KiB RSS/part', target: { base: 'abs', op: '<=', value: 100 } },
    ],
    run: async () => {
      const r = await thousandCase(p);
      const kib = (b: number): string => (b / 1024).toFixed(1);
      return new Map<string, Sample>([
        [`${p} partitions start`, { value: r.startMs / 1000, detail: { 'Cluster.start ms': String(r.clusterStartMs), 'createTopic+online ms': String(r.createTopicMs) } }],
        [`${p} partitions memory`, { value: r.perPartition.rssBytes / 1024, detail: { 'virtual KiB/part': kib(r.perPartition.vmBytes), 'main arrayBuffers+external KiB/part': kib(r.perPartition.arrayBuffersBytes) } }],
      ]);
    },
  });

  const storageRows = (['memory', 'disk'] as const).flatMap((mode) => ([100, 1024] as const).map((size) => ({ mode, size, name: `storage ${mode} ${sizeName(size)}` })));
  cases.push({
    rows: storageRows.map((s) => ({ name: s.name, section: 'storage', unit: 'append rec/s', ringBytes: s.size, target: null })),
    run: async () => {
      const got = await benchStorage({ caseMs: sizes.storageCaseMs });
      const m = new Map<string, Sample>();
      for (const s of storageRows) {
        const r = got.find((g) => g.mode === s.mode && g.recordBytes === s.size);
        if (r) m.set(s.name, { value: r.appendRecordsPerSec, recordsPerSec: r.appendRecordsPerSec, detail: { 'append MB/s': String(r.appendMbPerSec), 'read+decode': `${f(r.readRecordsPerSec)}/s` } });
      }
      return m;
    },
  });
  for (const threads of ['spu', 'replica'] as const) {
    const name = `ack latency 1 in flight ${threads}-threads`;
    cases.push({
      rows: [{ name, section: 'latency', unit: 'p50 ms', target: null }],
      run: async () => {
        const r = await probeCase(threads, 100, sizes.probeSends);
        return one(name, { value: r.ackLatencyOneInFlight.p50Ms, detail: { 'p99 ms': r.ackLatencyOneInFlight.p99Ms.toFixed(3) } });
      },
    });
  }
  return cases;
}

/**
 * The cases to run: those with a row matching `only` (all when empty; a term matches a row whose
 * name contains it, or ends with it when the term ends with '$'), plus what those rows are judged against.
 */
export function select(cases: BenchCase[], only: string[]): BenchCase[] {
  if (only.length === 0) return cases;
  const wanted = new Set<string>();
  const matches = (name: string, o: string): boolean => (o.endsWith('$') ? name.toLowerCase().endsWith(o.slice(0, -1)) : name.toLowerCase().includes(o));
  for (const c of cases) for (const r of c.rows) if (only.some((o) => matches(r.name, o))) wanted.add(r.name);
  for (const c of cases) {
    for (const r of c.rows) {
      if (!wanted.has(r.name)) continue;
      if (r.ringBytes !== undefined) wanted.add(ringRowName(r.ringBytes));
      if (r.target?.base === 'ring' && r.ringBytes !== undefined) wanted.add(ringRowName(r.ringBytes));
      if (r.target?.base === 'row') wanted.add(r.target.row);
    }
  }
  return cases.filter((c) => c.rows.some((r) => wanted.has(r.name)));
}
