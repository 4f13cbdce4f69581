/**
 * The yardstick (DESIGN §10): a bare SPSC SharedArrayBuffer ring between two worker threads
 * (bench/ring-worker.ts draws its layout and says why it is fast). Every rivulet throughput row is
 * divided by this ring's records/s at the same record size, measured in the same run.
 *
 * Timing: both workers wait on a go word; the reader times from go to its last record (thread
 * start-up and messages are outside the clock). The reader copies every record out of the ring
 * and checks its sequence number, so a figure means every record arrived, in order.
 *
 * Run directly (`node dist/bench/ring.js`) to print 100 B and 1 KiB figures.
 */
import { Worker } from 'node:worker_threads';
import { pathToFileURL } from 'node:url';
import { Ctl, type RingBenchWorkerData } from './ring-worker.js';

export interface BareRingResult { records: number; recordBytes: number; ms: number; recordsPerSec: number; mbPerSec: number }

export const RING_DEFAULTS = { capacityBytes: 1 << 20, publishBytes: 16 * 1024, timeoutMs: 30_000 } as const;
const MAX_RECORD_BYTES = RING_DEFAULTS.capacityBytes / 4;

function started(data: RingBenchWorkerData): { worker: Worker; ready: Promise<unknown>; done: Promise<Record<string, unknown>> } {
  const worker = new Worker(new URL('./ring-worker.js', import.meta.url), { workerData: data });
  let onReady: (v: unknown) => void = () => {};
  let onDone: (m: Record<string, unknown>) => void = () => {};
  let onFail: (e: Error) => void = () => {};
  const ready = new Promise((resolve, reject) => { onReady = resolve; worker.once('error', reject); });
  const done = new Promise<Record<string, unknown>>((resolve, reject) => { onDone = resolve; onFail = reject; });
  worker.on('message', (m: Record<string, unknown>) => (m.type === 'ready' ? onReady(m) : onDone(m)));
  worker.on('error', (e) => onFail(e));
  worker.on('exit', (code) => onFail(new Error(`bare ring ${data.role} exited with code ${code}`)));
  return { worker, ready, done };
}

/** One run of the bare ring: `records` records of `recordBytes`. Rejects after `timeoutMs`. */
export async function benchBareRing(opts: { recordBytes: number; records: number; publishBytes?: number; timeoutMs?: number }): Promise<BareRingResult> {
  const { recordBytes, records } = opts;
  if (!(Number.isInteger(recordBytes) && recordBytes >= 4 && recordBytes <= MAX_RECORD_BYTES)) throw new RangeError(`recordBytes must be 4..${MAX_RECORD_BYTES}`);
  if (!(Number.isInteger(records) && records >= 1 && records < 2 ** 31)) throw new RangeError('records must be 1..2^31-1');
  const publishBytes = opts.publishBytes ?? RING_DEFAULTS.publishBytes;
  if (!(Number.isInteger(publishBytes) && publishBytes >= 4 && publishBytes <= RING_DEFAULTS.capacityBytes / 4)) throw new RangeError('publishBytes must be 4..capacity/4');
  const control = new SharedArrayBuffer(Ctl.words * 4);
  const base = { ring: new SharedArrayBuffer(RING_DEFAULTS.capacityBytes), control, recordBytes, records, publishBytes };
  const reader = started({ ...base, role: 'reader' });
  const writer = started({ ...base, role: 'writer' });
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`bare ring: no result within ${(opts.timeoutMs ?? RING_DEFAULTS.timeoutMs) / 1000} s`)), opts.timeoutMs ?? RING_DEFAULTS.timeoutMs);
  });
  try {
    await Promise.race([Promise.all([reader.ready, writer.ready]), timeout]);
    const go = new Int32Array(control);
    Atomics.store(go, Ctl.go, 1);
    Atomics.notify(go, Ctl.go);
    const [done] = await Promise.race([Promise.all([reader.done, writer.done]), timeout]);
    if (done.frames !== records) throw new Error(`bare ring reader got ${String(done.frames)} of ${records} records`);
    const ms = Number(done.ms);
    return { records, recordBytes, ms, recordsPerSec: (records * 1000) / ms, mbPerSec: (records * recordBytes) / ms / 1000 };
  } finally {
    clearTimeout(timer);
    await Promise.all([reader.worker.terminate(), writer.worker.terminate()]);
  }
}

async function main(): Promise<void> {
  const publishBytes = process.env.RING_PUBLISH_BYTES ? Number(process.env.RING_PUBLISH_BYTES) : undefined;
  for (const run of [{ recordBytes: 100, records: 10_000_000 }, { recordBytes: 1024, records: 2_000_000 }]) {
    const figs: number[] = [];
    for (let i = 0; i < 3; i++) figs.push((await benchBareRing({ ...run, ...(publishBytes ? { publishBytes } : {}) })).recordsPerSec);
    console.log(`bare SAB ring, ${String(run.recordBytes).padStart(5)} B: ${figs.map((f) => (f / 1e6).toFixed(2)).join(' / ')} M records/s (${run.records} records per run)`);
  }
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  main().then(() => process.exit(0), (err: unknown) => { console.error(err); process.exit(1); });
}
