/**
 * Types of the PartitionLog API (deps, sink, read options, append result) and the admission check
 * every incoming batch passes before it can be stored.
 *
 * Admission (checkIncomingBatch), in order:
 * 1. Larger than maxBatchBytes (by buffer size or by its length field) → RECORD_TOO_LARGE.
 * 2. validateBatch: framing, magic 2, CRC-32C, counts → CORRUPT_BATCH.
 * 3. The buffer must hold exactly one batch (no trailing bytes) → CORRUPT_BATCH.
 * Nothing is stored before all checks pass, so a corrupt batch is never stored.
 */
import { BatchLayout, MAX_BATCH_BYTES, batchTotalBytes, validateBatch } from './batch-header.js';
import type { StorageBudget } from './budget.js';
import { CorruptBatchError, RecordTooLargeError } from './errors.js';
import type { FileOps } from './file-ops.js';

/** Receives the log's tail as it changes (implemented over the SAB ring). Called synchronously. */
export interface TailSink {
  /** A batch was stored (the stored bytes; copy them, they are only valid during the call). */
  append(batch: Uint8Array): void;
  truncate(leo: number): void;
  publish(o: { base: number; hw: number; leo: number }): void;
}

export interface LogDeps {
  now(): number;
  budget: StorageBudget;
  sink?: TailSink;
  /** Sync file operations (default node:fs) — the simulator injects faults here. */
  fs?: FileOps;
}

export interface ReadOptions {
  /** Exclusive bound on returned offsets (e.g. HW); default and maximum LEO. */
  maxOffset?: number;
  /** Soft cap on returned bytes; default 1 MiB; at least one whole batch is returned. */
  maxBytes?: number;
}

export interface AppendResult {
  baseOffset: number;
  lastOffset: number;
}

/** Check an incoming batch (see the rules above); returns its size in bytes. */
export function checkIncomingBatch(batch: Uint8Array, maxBatchBytes: number): number {
  const declared = batch.byteLength >= BatchLayout.logOverheadBytes ? batchTotalBytes(batch) : 0;
  const bytes = Math.max(batch.byteLength, declared);
  if (bytes > maxBatchBytes) {
    throw new RecordTooLargeError(`batch of ${bytes} bytes exceeds maxBatchBytes ${maxBatchBytes}`, { bytes, maxBatchBytes });
  }
  const total = validateBatch(batch, MAX_BATCH_BYTES);
  if (total !== batch.byteLength) {
    throw new CorruptBatchError(`expected exactly one batch: ${batch.byteLength} bytes given, batch is ${total}`, {
      bytes: batch.byteLength,
      total,
    });
  }
  return total;
}
