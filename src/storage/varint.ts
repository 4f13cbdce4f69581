/**
 * Zigzag varints (int32) and varlongs (int64), as Kafka RecordBatch v2 records use them
 * (protobuf-style base-128, least significant group first, high bit = "more bytes follow").
 *
 *   zigzag(v) = (v << 1) ^ (v >> 63)      0 → 0, -1 → 1, 1 → 2, -2 → 3, …
 *   300 → zigzag 600 → 0xd8 0x04
 *
 * Numbers, not BigInts: a varint holds any int32; a varlong holds any integer in
 * [-2^53, 2^53] exactly (timestamps, offsets). The >32-bit varlong path works on two 32-bit
 * halves (hi, lo) so that no intermediate value ever leaves the exact double range.
 *
 * Invariants:
 * - write* put bytes at buf[pos…] one by one and return the position after them; the caller
 *   has reserved `varintSize`/`varlongSize` bytes (asserted only by typed-array bounds: callers
 *   size first, then write).
 * - read* never read at or past `end`, never accept more than 5 (varint) / 10 (varlong) bytes or
 *   bits beyond the type's width, and report every violation as CorruptBatchError — never a
 *   RangeError, never a wrong value. They advance `cursor.pos`.
 */
import { assert, CorruptBatchError } from './errors.js';

export const VarintLimits = {
  /** Longest int32 varint. */
  maxVarintBytes: 5,
  /** Longest int64 varlong. */
  maxVarlongBytes: 10,
  /** Largest magnitude a varlong may carry as a Number (2^53). */
  maxVarlongMagnitude: 2 ** 53,
} as const;

/** A read position, advanced by the read* functions (one per decode, not per value). */
export interface Cursor {
  pos: number;
}

const TWO_POW_32 = 2 ** 32;
const TWO_POW_31 = 2 ** 31;

/** Bytes `writeVarint(value)` takes. `value` must be an int32. */
export function varintSize(value: number): number {
  const z = ((value << 1) ^ (value >> 31)) >>> 0;
  if (z < 0x80) return 1;
  if (z < 0x4000) return 2;
  if (z < 0x200000) return 3;
  if (z < 0x10000000) return 4;
  return 5;
}

/** Write an int32 as a zigzag varint at buf[pos]; returns the position after it. */
export function writeVarint(buf: Uint8Array, pos: number, value: number): number {
  let z = ((value << 1) ^ (value >> 31)) >>> 0;
  while (z >= 0x80) {
    buf[pos++] = (z & 0x7f) | 0x80;
    z >>>= 7;
  }
  buf[pos++] = z;
  return pos;
}

function assertVarlong(value: number): void {
  // message built only on failure: this runs per record
  if (!(Number.isInteger(value) && Math.abs(value) <= VarintLimits.maxVarlongMagnitude)) {
    assert(false, `varlong value ${value} is not an integer within ±2^53`);
  }
}

/** Bytes `writeVarlong(value)` takes. `value` must be an integer within ±2^53. */
export function varlongSize(value: number): number {
  if ((value | 0) === value) return varintSize(value);
  assertVarlong(value);
  // zigzag(value) < 2^54; count 7-bit groups of the magnitude 2|v| (- 1 when negative).
  const z = value >= 0 ? value * 2 : -value * 2 - 1; // may round up by < 4 near 2^54: group count unchanged
  let bytes = 1;
  let rest = Math.floor(z / 128);
  while (rest > 0) {
    bytes++;
    rest = Math.floor(rest / 128);
  }
  return bytes;
}

/** Write an integer within ±2^53 as a zigzag varlong at buf[pos]; returns the position after it. */
export function writeVarlong(buf: Uint8Array, pos: number, value: number): number {
  if ((value | 0) === value) return writeVarint(buf, pos, value);
  assertVarlong(value);
  // Split |value| = mHi·2^32 + mLo exactly, then z = 2|value| (- 1 if negative) as (hi, lo).
  const negative = value < 0;
  const m = negative ? -value : value;
  const mLo = m >>> 0;
  const mHi = Math.floor(m / TWO_POW_32);
  let lo = (mLo << 1) >>> 0;
  let hi = mHi * 2 + (mLo >>> 31);
  if (negative) {
    if (lo === 0) {
      lo = 0xffffffff;
      hi -= 1;
    } else {
      lo -= 1;
    }
  }
  while (hi !== 0 || lo >= 0x80) {
    buf[pos++] = (lo & 0x7f) | 0x80;
    lo = ((lo >>> 7) | ((hi & 0x7f) << 25)) >>> 0;
    hi >>>= 7;
  }
  buf[pos++] = lo;
  return pos;
}

function truncated(what: string, pos: number, end: number): CorruptBatchError {
  return new CorruptBatchError(`${what} runs past the end of its batch (at ${pos}, end ${end})`, { pos, end });
}

/** Read a zigzag varint (int32) from buf[cursor.pos, end). */
export function readVarint(buf: Uint8Array, cursor: Cursor, end: number): number {
  let pos = cursor.pos;
  let z = 0;
  let shift = 0;
  for (;;) {
    if (pos >= end) throw truncated('varint', pos, end);
    const b = buf[pos++]!;
    if (shift === 28) {
      if (b > 0x0f) throw new CorruptBatchError(`varint longer than 32 bits at ${cursor.pos}`, { pos: cursor.pos });
      z |= b << 28;
      break;
    }
    z |= (b & 0x7f) << shift;
    if (b < 0x80) break;
    shift += 7;
  }
  cursor.pos = pos;
  return (z >>> 1) ^ -(z & 1);
}

/** Read a zigzag varlong from buf[cursor.pos, end); values beyond ±2^53 are corrupt. */
export function readVarlong(buf: Uint8Array, cursor: Cursor, end: number): number {
  const start = cursor.pos;
  let pos = start;
  let lo = 0; // bits 0..27 of zigzag value, then bits 28..31 from the fifth byte
  let hi = 0; // bits 32..63
  let shift = 0;
  for (;;) {
    if (pos >= end) throw truncated('varlong', pos, end);
    const b = buf[pos++]!;
    const bits = b & 0x7f;
    if (shift < 28) {
      lo |= bits << shift;
    } else if (shift === 28) {
      lo |= (bits & 0x0f) << 28;
      hi = bits >>> 4;
    } else if (shift < 63) {
      hi |= bits << (shift - 32);
    } else {
      // tenth byte: only bit 63 remains
      if (b > 0x01) throw new CorruptBatchError(`varlong longer than 64 bits at ${start}`, { pos: start });
      hi |= bits << 31;
    }
    if (b < 0x80) break;
    shift += 7;
  }
  cursor.pos = pos;
  hi >>>= 0;
  lo >>>= 0;
  // |v| = z >>> 1 (+1 when z is odd); must stay within 2^53, i.e. z <= 2^54 - 1 (or 2^54 for +2^53).
  if (hi > 0x400000 || (hi === 0x400000 && lo !== 0)) {
    throw new CorruptBatchError(`varlong at ${start} exceeds ±2^53`, { pos: start });
  }
  const half = hi * TWO_POW_31 + (lo >>> 1);
  return (lo & 1) === 0 ? half : -(half + 1);
}
