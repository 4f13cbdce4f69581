/**
 * Storage micro-benchmark: PartitionLog append and read throughput, memory and disk mode, for
 * 100 B and 1 KiB records in pre-built batches (~1,000 records, or 64 KiB for big records).
 * Measures the log only: batches are encoded before the clock starts. MB = 10^6 bytes.
 *
 * Run directly: `node dist/bench/storage.js` prints a table. `benchStorage()` returns the rows.
 * Each case appends until `caseMs` or `maxCaseBytes` is reached, then reads everything back in
 * 1 MiB reads and decodes every record (repeating until `caseMs`); disk mode uses a temp dir that
 * is removed afterwards.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { BatchBuilder, decodeBatch } from '../src/storage/record-batch.js';
import { StorageBudget } from '../src/storage/budget.js';
import { PartitionLog } from '../src/storage/log.js';

export interface StorageBenchRow {
  mode: 'memory' | 'disk';
  recordBytes: number;
  appendRecordsPerSec: number;
  appendMbPerSec: number;
  readRecordsPerSec: number;
  readMbPerSec: number;
}

export interface StorageBenchOptions {
  /** Wall time per phase (append, read) of one case; default 350 ms. */
  caseMs?: number;
  /** Stop appending after this many bytes per case (memory use); default 192 MiB. */
  maxCaseBytes?: number;
  recordSizes?: number[];
  modes?: Array<'memory' | 'disk'>;
}

const BATCH_TARGET_BYTES = 64 * 1024;
const DISTINCT_BATCHES = 16;

function buildBatches(recordBytes: number): { batches: Uint8Array[]; recordsPerBatch: number } {
  const recordsPerBatch = recordBytes <= 128 ? 1000 : Math.max(1, Math.floor(BATCH_TARGET_BYTES / recordBytes));
  const builder = new BatchBuilder({ initialBytes: recordsPerBatch * (recordBytes + 16) + 128 });
  const batches: Uint8Array[] = [];
  for (let b = 0; b < DISTINCT_BATCHES; b++) {
    for (let r = 0; r < recordsPerBatch; r++) {
      const value = new Uint8Array(recordBytes);
      value.fill((b * 31 + r) & 0xff);
      builder.add(null, value, 1_700_000_000_000 + r);
    }
    batches.push(builder.finish({}));
  }
  return { batches, recordsPerBatch };
}

function benchCase(mode: 'memory' | 'disk', recordBytes: number, caseMs: number, maxCaseBytes: number): StorageBenchRow {
  const { batches, recordsPerBatch } = buildBatches(recordBytes);
  const dir = mode === 'disk' ? fs.mkdtempSync(path.join(os.tmpdir(), 'rivulet-bench-')) : '';
  const deps = { now: () => Date.now(), budget: new StorageBudget() };
  const log = mode === 'disk' ? PartitionLog.openDisk(dir, {}, deps) : PartitionLog.openMemory({}, deps);
  try {
    let appended = 0;
    let bytes = 0;
    const t0 = performance.now();
    let elapsed = 0;
    do {
      for (let i = 0; i < DISTINCT_BATCHES; i++) {
        const b = batches[i]!;
        log.append(b);
        bytes += b.byteLength;
      }
      appended += DISTINCT_BATCHES;
      elapsed = performance.now() - t0;
    } while (elapsed < caseMs && bytes < maxCaseBytes);
    const appendSec = elapsed / 1000;
    log.setHighWatermark(log.leo);

    let readRecords = 0;
    let readBytes = 0;
    let touched = 0;
    const t1 = performance.now();
    let readElapsed = 0;
    do {
      let next = log.base;
      while (next < log.leo) {
        const r = log.read(next, { maxBytes: 1024 * 1024 });
        // Touch what was read: decode every record (framing checked; the CRC was verified on
        // append), as a consumer would. Returning views alone would measure nothing.
        for (const b of r.batches) {
          readBytes += b.byteLength;
          for (const rec of decodeBatch(b, { verifyCrc: false }).records) touched += rec.value.length;
        }
        readRecords += r.nextOffset - next;
        next = r.nextOffset;
      }
      readElapsed = performance.now() - t1;
    } while (readElapsed < caseMs);
    const readSec = readElapsed / 1000;
    if (touched === 0) throw new Error('read phase decoded nothing');
    return {
      mode,
      recordBytes,
      appendRecordsPerSec: Math.round((appended * recordsPerBatch) / appendSec),
      appendMbPerSec: Math.round(bytes / 1e6 / appendSec),
      readRecordsPerSec: Math.round(readRecords / readSec),
      readMbPerSec: Math.round(readBytes / 1e6 / readSec),
    };
  } finally {
    log.close();
    if (dir !== '') fs.rmSync(dir, { recursive: true, force: true });
  }
}

export async function benchStorage(opts: StorageBenchOptions = {}): Promise<StorageBenchRow[]> {
  const caseMs = opts.caseMs ?? 350;
  const maxCaseBytes = opts.maxCaseBytes ?? 192 * 1024 * 1024;
  const rows: StorageBenchRow[] = [];
  for (const mode of opts.modes ?? (['memory', 'disk'] as const)) {
    for (const recordBytes of opts.recordSizes ?? [100, 1024]) {
      rows.push(benchCase(mode, recordBytes, caseMs, maxCaseBytes));
      await new Promise((r) => setImmediate(r)); // let GC and I/O breathe between cases
    }
  }
  return rows;
}

export function formatStorageTable(rows: StorageBenchRow[]): string {
  const head = ['mode', 'record', 'append rec/s', 'append MB/s', 'read+decode rec/s', 'read MB/s'];
  const body = rows.map((r) => [
    r.mode,
    `${r.recordBytes} B`,
    r.appendRecordsPerSec.toLocaleString('en-US'),
    String(r.appendMbPerSec),
    r.readRecordsPerSec.toLocaleString('en-US'),
    String(r.readMbPerSec),
  ]);
  const widths = head.map((h, i) => Math.max(h.length, ...body.map((row) => row[i]!.length)));
  const line = (cells: string[]) => cells.map((c, i) => (i < 2 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ');
  return [line(head), ...body.map(line)].join('\n');
}

if (process.argv[1] !== undefined && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  benchStorage().then((rows) => console.log(formatStorageTable(rows)));
}
