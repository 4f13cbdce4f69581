/**
 * Micro-benchmark of the RecordBatch v2 codec: encode (BatchBuilder.add + finish, CRC included)
 * and decode (decodeBatch, views, CRC included) in records/s and MB/s of record values, for
 * 100 B and 1 KiB values. Whole run ≈ 4 × 0.8 s plus warm-up; run with `node dist/bench/codec.js`.
 *
 * Invariant: measures only; results are never asserted by tests (timing is not deterministic).
 */
import { pathToFileURL } from 'node:url';
import { performance } from 'node:perf_hooks';
import { BatchBuilder, decodeBatch } from '../src/storage/record-batch.js';

export interface CodecFigure {
  valueBytes: number;
  recordsPerBatch: number;
  encodeRecordsPerSec: number;
  encodeMBPerSec: number;
  decodeRecordsPerSec: number;
  decodeMBPerSec: number;
}

export interface CodecBenchResult {
  figures: CodecFigure[];
}

const RUN_MS = 800;
const BATCH_TARGET_BYTES = 256 * 1024;

/** Repeat `round` (which handles `perRound` records) for about `ms`; returns records/s. */
function measure(ms: number, perRound: number, round: () => void): number {
  for (let i = 0; i < 3; i++) round(); // warm-up
  let records = 0;
  const start = performance.now();
  let now = start;
  while (now - start < ms) {
    round();
    records += perRound;
    now = performance.now();
  }
  return (records * 1000) / (now - start);
}

function benchSize(valueBytes: number): CodecFigure {
  const recordsPerBatch = Math.max(1, Math.floor(BATCH_TARGET_BYTES / (valueBytes + 20)));
  const key = new Uint8Array(8).fill(0x6b);
  const value = new Uint8Array(valueBytes);
  for (let i = 0; i < valueBytes; i++) value[i] = (i * 31) & 0xff;
  const builder = new BatchBuilder({ initialBytes: BATCH_TARGET_BYTES * 2 });
  const t0 = 1_700_000_000_000;
  let batch: Uint8Array = new Uint8Array(0);
  let sink = 0;

  const encodeRate = measure(RUN_MS, recordsPerBatch, () => {
    for (let i = 0; i < recordsPerBatch; i++) builder.add(key, value, t0 + i);
    batch = builder.finish({ baseOffset: 0 });
  });
  const decodeRate = measure(RUN_MS, recordsPerBatch, () => {
    const d = decodeBatch(batch);
    sink += d.records.length;
  });
  if (sink === 0) throw new Error('decode produced nothing');
  const mb = (rate: number): number => Math.round((rate * valueBytes) / 1e6);
  return {
    valueBytes,
    recordsPerBatch,
    encodeRecordsPerSec: Math.round(encodeRate),
    encodeMBPerSec: mb(encodeRate),
    decodeRecordsPerSec: Math.round(decodeRate),
    decodeMBPerSec: mb(decodeRate),
  };
}

export function benchCodec(): CodecBenchResult {
  return { figures: [benchSize(100), benchSize(1024)] };
}

function isMain(): boolean {
  const entry = process.argv[1];
  return entry !== undefined && import.meta.url === pathToFileURL(entry).href;
}

if (isMain()) {
  const { figures } = benchCodec();
  for (const f of figures) {
    console.log(
      `codec ${String(f.valueBytes).padStart(4)} B values, ${f.recordsPerBatch} records/batch: ` +
        `encode ${(f.encodeRecordsPerSec / 1e6).toFixed(2)} M rec/s (${f.encodeMBPerSec} MB/s), ` +
        `decode ${(f.decodeRecordsPerSec / 1e6).toFixed(2)} M rec/s (${f.decodeMBPerSec} MB/s)`,
    );
  }
}
