/**
 * Producer options (DESIGN §5, §8), their defaults, and their check: every option is validated when
 * the producer is created, and an unknown key or a bad value is an INVALID_CONFIG RivuletError
 * (a typo such as `ack: 1` must not silently mean the default).
 *
 * Idempotence (default on, as Kafka ≥ 3.0): needs acks 1 or 'all' (with acks 0 no answer can tell
 * a retry from a first attempt, so `acks: 0` turns it off unless it was asked for, which is an
 * error) and at most 32 batches in flight per partition (the leader remembers 40; Kafka's 5 would
 * halve a single partition's acks=all throughput here: an RF=3 ack takes ~10–20 ms under load).
 */
import type { AcksMode } from '../../actors/messages.js';
import { RivuletError, ErrorCode } from '../runtime/errors.js';
import { MAX_BATCH_BYTES } from '../storage/index.js';
import { describeValue } from './record-input.js';

export interface ProducerOptions {
  acks?: AcksMode;
  /**
   * Idempotent delivery (default true; false with acks 0): a producer id from the SC and a
   * sequence per partition in every batch, so retries never store a record twice.
   */
  idempotent?: boolean;
  /** Batches of one partition sent before the first is acknowledged (idempotent: 1..32, default 32). */
  maxInFlight?: number;
  lingerMs?: number;
  batchBytes?: number;
  maxBufferedBytes?: number;
  deliveryTimeoutMs?: number;
  /** How long one attempt waits for its ack before it is retried (within deliveryTimeoutMs). */
  requestTimeoutMs?: number;
  maxRecordBytes?: number;
}

export const PRODUCER_DEFAULTS = {
  acks: 'all' as AcksMode,
  lingerMs: 0,
  batchBytes: 128 * 1024,
  maxBufferedBytes: 32 * 1024 * 1024,
  deliveryTimeoutMs: 30_000,
  requestTimeoutMs: 10_000,
  maxRecordBytes: 8 * 1024 * 1024,
} as const;

/**
 * A full partition builder's buffer: batchBytes rounded up to a power of two (a builder starts at
 * most 16 KiB and doubles, so one that filled a whole batch has exactly this size; pooled batch
 * buffers have it too). A batch closes before a record would take it past batchBytes.
 */
export const batchBufferBytes = (o: { batchBytes: number }): number => 2 ** Math.ceil(Math.log2(Math.max(o.batchBytes, 4096)));
/** What a partition builder starts with (idle partitions of a wide topic stay small). */
export const builderStartBytes = (o: { batchBytes: number }): number => Math.min(batchBufferBytes(o), 16 * 1024);

/** Most batches in flight per partition for an idempotent producer (the leader keeps more). */
export const IDEMPOTENT_MAX_IN_FLIGHT = 32;

export type ResolvedProducerOptions = Required<Omit<ProducerOptions, 'maxInFlight'>> & { maxInFlight: number };

const KEYS = new Set(['acks', 'idempotent', 'maxInFlight', 'lingerMs', 'batchBytes', 'maxBufferedBytes', 'deliveryTimeoutMs', 'requestTimeoutMs', 'maxRecordBytes']);

function bad(message: string): RivuletError {
  return new RivuletError(ErrorCode.INVALID_CONFIG, message);
}

function integerIn(name: string, v: unknown, lo: number, hi: number): void {
  if (typeof v !== 'number' || !Number.isInteger(v) || v < lo || v > hi) throw bad(`producer option ${name} must be an integer in ${lo}..${hi}, got ${describeValue(v)}`);
}

export function resolveProducerOptions(given: unknown): ResolvedProducerOptions {
  if (given === undefined || given === null) given = {};
  if (typeof given !== 'object' || Array.isArray(given)) throw bad(`producer options must be an object, got ${describeValue(given)}`);
  for (const k of Object.keys(given as object)) {
    if (!KEYS.has(k)) throw bad(`unknown producer option '${k}' (known: ${[...KEYS].join(', ')})`);
  }
  const o = given as ProducerOptions;
  const acks = o.acks ?? PRODUCER_DEFAULTS.acks;
  if (acks !== 0 && acks !== 1 && acks !== 'all') throw bad(`acks must be 0, 1 or 'all', got ${describeValue(acks)}`);
  if (o.idempotent !== undefined && typeof o.idempotent !== 'boolean') throw bad(`idempotent must be true or false, got ${describeValue(o.idempotent)}`);
  if (o.idempotent === true && acks === 0) throw bad("an idempotent producer needs acks 1 or 'all' (acks 0 has no answer to deduplicate by)");
  const idempotent = o.idempotent ?? acks !== 0;
  const r: ResolvedProducerOptions = { ...PRODUCER_DEFAULTS, ...o, acks, idempotent, maxInFlight: o.maxInFlight ?? (idempotent ? IDEMPOTENT_MAX_IN_FLIGHT : Infinity) };
  if (o.maxInFlight !== undefined) integerIn('maxInFlight', o.maxInFlight, 1, idempotent ? IDEMPOTENT_MAX_IN_FLIGHT : 1_000_000);
  integerIn('lingerMs', r.lingerMs, 0, 60 * 60_000);
  integerIn('batchBytes', r.batchBytes, 128, MAX_BATCH_BYTES);
  integerIn('maxBufferedBytes', r.maxBufferedBytes, 1, Number.MAX_SAFE_INTEGER);
  integerIn('deliveryTimeoutMs', r.deliveryTimeoutMs, 1, 2 ** 31 - 1);
  integerIn('requestTimeoutMs', r.requestTimeoutMs, 1, 2 ** 31 - 1);
  integerIn('maxRecordBytes', r.maxRecordBytes, 1, MAX_BATCH_BYTES);
  return r;
}
