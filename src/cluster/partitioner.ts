/**
 * Kafka's default partitioner, byte for byte: a record with a key goes to
 * `toPositive(murmur2(keyBytes)) % partitions`, exactly as the Java client's
 * `DefaultPartitioner`/`BuiltInPartitioner.partitionForKey` (and kafkajs's `DefaultPartitioner`)
 * compute it, so the same key lands on the same partition number in rivulet and in Kafka.
 * A record without a key is spread evenly by a round-robin counter.
 *
 * Invariants:
 * - `murmur2` is Kafka's `Utils.murmur2` (MurmurHash2, 32-bit, seed 0x9747b28c, little-endian
 *   4-byte blocks) and returns a *signed* 32-bit integer, as Java's `int` does.
 * - `partitionForKey` returns an integer in [0, partitions); pure and deterministic.
 * - `RoundRobin` is deterministic (no entropy): it starts at `start` and its counter wraps as a
 *   Java int does; `toPositive` keeps the result non-negative across the wrap.
 */
import { assert } from '../runtime/errors.js';

/** Kafka's MurmurHash2 constants. */
export const MURMUR2 = {
  seed: 0x9747b28c,
  /** Multiplier `m`, "generated offline", as the reference implementation says. */
  multiplier: 0x5bd1e995,
  /** Shift `r`. */
  shiftBits: 24,
} as const;

/** Upper bound on the partition count a partitioner accepts (a sanity limit, not a topic limit). */
export const PARTITIONER_LIMITS = { maxPartitions: 1 << 20 } as const;

/**
 * Kafka's `Utils.murmur2(byte[])`: MurmurHash2 over `bytes` with seed 0x9747b28c.
 * Returns a signed 32-bit integer (may be negative), identical to the Java client's value.
 *
 *   bytes:  | b0 b1 b2 b3 | b4 b5 b6 b7 | ... | tail (0-3 bytes) |
 *           k = b0 | b1<<8 | b2<<16 | b3<<24   (little-endian block)
 */
export function murmur2(bytes: Uint8Array): number {
  const m = MURMUR2.multiplier;
  const length = bytes.length;
  let h = (MURMUR2.seed ^ length) | 0;
  const blocks = length >>> 2;
  for (let i = 0; i < blocks; i++) {
    const i4 = i << 2;
    let k = bytes[i4]! | (bytes[i4 + 1]! << 8) | (bytes[i4 + 2]! << 16) | (bytes[i4 + 3]! << 24);
    k = Math.imul(k, m);
    k ^= k >>> MURMUR2.shiftBits;
    k = Math.imul(k, m);
    h = Math.imul(h, m);
    h ^= k;
  }
  // The tail: Java's switch falls through from case 3 to case 1; spelled out without fallthrough.
  const tail = length & ~3;
  const rest = length & 3;
  if (rest >= 3) h ^= bytes[tail + 2]! << 16;
  if (rest >= 2) h ^= bytes[tail + 1]! << 8;
  if (rest >= 1) {
    h ^= bytes[tail]!;
    h = Math.imul(h, m);
  }
  h ^= h >>> 13;
  h = Math.imul(h, m);
  h ^= h >>> 15;
  return h | 0;
}

/** Kafka's `Utils.toPositive`: clears the sign bit (not `Math.abs`, which fails on -2^31). */
export function toPositive(n: number): number {
  return n & 0x7fffffff;
}

/** (The message is built only on failure: this runs once per record.) */
function assertPartitions(partitions: number): void {
  if (!(Number.isInteger(partitions) && partitions >= 1 && partitions <= PARTITIONER_LIMITS.maxPartitions)) {
    assert(false, `partition count must be an integer in 1..${PARTITIONER_LIMITS.maxPartitions}, got ${partitions}`);
  }
}

/** The partition Kafka's default partitioner picks for a keyed record. */
export function partitionForKey(key: Uint8Array, partitions: number): number {
  assertPartitions(partitions);
  return toPositive(murmur2(key)) % partitions;
}

/**
 * Round-robin over partitions for records without a key (Kafka's pre-2.4 default for null keys):
 * `toPositive(counter++) % partitions`. One instance per producer (per topic).
 */
export class RoundRobin {
  private counter: number;

  constructor(start = 0) {
    assert(Number.isInteger(start), `round-robin start must be an integer, got ${start}`);
    this.counter = start | 0;
  }

  /** The next partition in [0, partitions). */
  next(partitions: number): number {
    assertPartitions(partitions);
    const current = this.counter;
    this.counter = (this.counter + 1) | 0; // wraps like a Java int
    return toPositive(current) % partitions;
  }
}
