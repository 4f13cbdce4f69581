/**
 * Bare SPSC SharedArrayBuffer ring between two worker threads — the reference every rivulet
 * throughput figure is compared with (DESIGN §10: ~10–17 M records/s of 100 B, ~3–4 GB/s of 1 KiB
 * on 2 cores). The writer thread writes one frame per record; the reader thread reads each frame in
 * place and touches it. Workers run compiled code: dist/bench/ring-worker.js next to this file.
 *
 * Run directly (`node dist/bench/ring.js`) to print 100 B and 1 KiB figures.
 */
import { Worker } from 'node:worker_threads';
import { performance } from 'node:perf_hooks';
import { pathToFileURL } from 'node:url';
import { createRing } from '../src/storage/ring.js';
import { assert } from '../src/runtime/errors.js';
import type { RingBenchWorkerData } from './ring-worker.js';

export interface BareRingResult {
  recordsPerSec: number;
  mbPerSec: number;
}

const RING_CAPACITY_BYTES = 1 << 20;
const MAX_RECORD_BYTES = RING_CAPACITY_BYTES / 4;
const MAX_RECORDS = 1e9;

function startWorker(data: RingBenchWorkerData): { worker: Worker; message: (type: string) => Promise<Record<string, unknown>> } {
  const worker = new Worker(new URL('./ring-worker.js', import.meta.url), { workerData: data });
  const waiters = new Map<string, (m: Record<string, unknown>) => void>();
  const early = new Map<string, Record<string, unknown>>();
  let failure: Error | null = null;
  const failAll = (err: Error) => {
    failure = err;
    for (const resolve of waiters.values()) resolve({ type: 'error', error: err });
  };
  worker.on('message', (m: Record<string, unknown>) => {
    const type = String(m.type);
    const resolve = waiters.get(type);
    if (resolve) resolve(m);
    else early.set(type, m);
  });
  worker.on('error', failAll);
  worker.on('exit', (code) => failAll(new Error(`ring bench worker exited with code ${code}`)));
  const message = (type: string) =>
    new Promise<Record<string, unknown>>((resolve, reject) => {
      const got = early.get(type);
      if (got) return resolve(got);
      if (failure) return reject(failure);
      waiters.set(type, (m) => (m.type === 'error' ? reject(m.error as Error) : resolve(m)));
    });
  return { worker, message };
}

export async function benchBareRing(opts: { recordBytes: number; records: number }): Promise<BareRingResult> {
  const { recordBytes, records } = opts;
  assert(Number.isInteger(recordBytes) && recordBytes >= 1 && recordBytes <= MAX_RECORD_BYTES, `recordBytes must be 1..${MAX_RECORD_BYTES}`);
  assert(Number.isInteger(records) && records >= 1 && records <= MAX_RECORDS, `records must be 1..${MAX_RECORDS}`);
  const sab = createRing(RING_CAPACITY_BYTES);
  const control = new SharedArrayBuffer(64);
  const go = new Int32Array(control);
  const base = { sab, control, recordBytes, records };
  const reader = startWorker({ ...base, role: 'reader' });
  const writer = startWorker({ ...base, role: 'writer' });
  try {
    await Promise.all([reader.message('ready'), writer.message('ready')]);
    const start = performance.now();
    Atomics.store(go, 0, 1);
    Atomics.notify(go, 0);
    const [done] = await Promise.all([reader.message('done'), writer.message('done')]);
    const seconds = (performance.now() - start) / 1000;
    assert(done.frames === records, `bare ring reader got ${String(done.frames)} of ${records} records`);
    return { recordsPerSec: records / seconds, mbPerSec: (records * recordBytes) / seconds / 1e6 };
  } finally {
    await Promise.all([reader.worker.terminate(), writer.worker.terminate()]);
  }
}

async function main(): Promise<void> {
  const runs = [
    { recordBytes: 100, records: 10_000_000 },
    { recordBytes: 1024, records: 2_000_000 },
  ];
  for (const run of runs) {
    const best = { recordsPerSec: 0, mbPerSec: 0 };
    for (let i = 0; i < 3; i++) {
      const r = await benchBareRing(run);
      if (r.recordsPerSec > best.recordsPerSec) Object.assign(best, r);
    }
    console.log(
      `bare SAB ring, ${String(run.recordBytes).padStart(5)} B records: ` +
        `${(best.recordsPerSec / 1e6).toFixed(2)} M records/s, ${best.mbPerSec.toFixed(0)} MB/s (best of 3, ${run.records} records)`,
    );
  }
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  main().catch((err: unknown) => {
    console.error(err);
    process.exitCode = 1;
  });
}
