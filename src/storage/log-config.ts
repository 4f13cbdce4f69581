/**
 * Partition log configuration: defaults and validation.
 *
 * Invariants (checked by `resolveLogConfig`, which every log constructor calls):
 * - 1 ≤ segmentBytes ≤ MAX_SEGMENT_BYTES (2 GiB − 1): file positions fit the index's u32 field
 *   even with one oversized batch on top (a batch larger than segmentBytes gets a segment alone).
 * - retentionMs > 0 (Infinity = keep forever); maxPartitionBytes ≥ 1 (Infinity = unlimited).
 * - 1 ≤ indexIntervalBytes ≤ segmentBytes cap; fsync ∈ FsyncPolicy.
 * - BatchLayout.headerBytes ≤ maxBatchBytes ≤ MAX_BATCH_BYTES (16 MiB).
 * A bad value is an operating error (INVALID_CONFIG): configs come from users (topic create).
 */
import { MAX_BATCH_BYTES, BatchLayout } from './batch-layout.js';
import { ErrorCode, RivuletError } from './errors.js';

export const FsyncPolicy = {
  /** Never fsync on append: acknowledged data survives a process kill, not a power loss. */
  never: 'never',
  /** fsync after every append (and checkpoint): survives power loss. */
  always: 'always',
} as const;
export type FsyncPolicy = (typeof FsyncPolicy)[keyof typeof FsyncPolicy];

export interface LogConfig {
  /** Roll to a new segment when the active one would pass this size. */
  segmentBytes: number;
  /** Sealed segments whose newest record is older than this are removed by retention. */
  retentionMs: number;
  /** When the partition is larger than this, oldest sealed segments are removed by retention. */
  maxPartitionBytes: number;
  /** A sparse index entry is added at most every this many bytes of batches. */
  indexIntervalBytes: number;
  /** Disk mode fsync policy (ignored in memory mode). */
  fsync: FsyncPolicy;
  /** Largest batch an append accepts (RECORD_TOO_LARGE above). */
  maxBatchBytes: number;
}

const MiB = 1024 * 1024;
const DAY_MS = 24 * 60 * 60 * 1000;

/** Positions are u32 in the index; keep segment + one max batch below 2^32. */
export const MAX_SEGMENT_BYTES = 2 ** 31 - 1;

export const DEFAULT_LOG_CONFIG: LogConfig = Object.freeze({
  segmentBytes: 64 * MiB,
  retentionMs: 7 * DAY_MS,
  maxPartitionBytes: Infinity,
  indexIntervalBytes: 4096,
  fsync: FsyncPolicy.never,
  maxBatchBytes: MAX_BATCH_BYTES,
});

function invalid(field: string, value: unknown, rule: string): RivuletError {
  return new RivuletError(ErrorCode.INVALID_CONFIG, `invalid log config ${field}=${String(value)}: ${rule}`, {
    field,
    value: String(value),
  });
}

function checkInt(field: string, v: number, min: number, max: number): void {
  if (!Number.isInteger(v) || v < min || v > max) throw invalid(field, v, `an integer in [${min}, ${max}]`);
}

function checkPositiveOrInfinity(field: string, v: number): void {
  if (v === Infinity) return;
  if (!Number.isInteger(v) || v < 1 || v > Number.MAX_SAFE_INTEGER) throw invalid(field, v, 'a positive integer or Infinity');
}

/** Defaults filled in, every field validated. Returns a frozen copy. */
export function resolveLogConfig(partial: Partial<LogConfig> = {}): Readonly<LogConfig> {
  const defined = Object.fromEntries(Object.entries(partial).filter(([, v]) => v !== undefined)) as Partial<LogConfig>;
  const c: LogConfig = { ...DEFAULT_LOG_CONFIG, ...defined };
  checkInt('segmentBytes', c.segmentBytes, 1, MAX_SEGMENT_BYTES);
  checkPositiveOrInfinity('retentionMs', c.retentionMs);
  checkPositiveOrInfinity('maxPartitionBytes', c.maxPartitionBytes);
  checkInt('indexIntervalBytes', c.indexIntervalBytes, 1, MAX_SEGMENT_BYTES);
  checkInt('maxBatchBytes', c.maxBatchBytes, BatchLayout.headerBytes, MAX_BATCH_BYTES);
  if (c.fsync !== FsyncPolicy.never && c.fsync !== FsyncPolicy.always) throw invalid('fsync', c.fsync, "'never' or 'always'");
  return Object.freeze(c);
}
