/**
 * Writer — a growable big-endian buffer for Kafka wire primitives (the mirror of Reader).
 *
 * Invariants:
 * - Values that cannot be represented are refused with ProtocolError('MALFORMED') before any
 *   byte of them is written: non-integers, ints out of range, strings longer than 32767 UTF-8
 *   bytes (non-compact), strings with lone surrogates (UTF-8 cannot carry them), bad uuids.
 * - `finish()` returns a view of the bytes written so far (no copy); keep writing only after
 *   copying it.
 * - Tagged-field sections are written empty unless fields are given; given fields are written
 *   in ascending tag order.
 */
import { malformed } from './errors.js';
import type { RawTaggedField } from './reader.js';

const utf8 = new TextEncoder();
const LONE_SURROGATE = /\p{Cs}/u;
const UUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;

function checkInt(v: number, min: number, max: number, what: string): void {
  if (!Number.isInteger(v) || v < min || v > max) throw malformed(`cannot encode ${String(v)} as ${what}`);
}

export function utf8Bytes(s: string): Uint8Array {
  if (typeof s !== 'string') throw malformed(`cannot encode ${typeof s} as a string`);
  if (LONE_SURROGATE.test(s)) throw malformed('cannot encode a string with a lone surrogate as UTF-8');
  return utf8.encode(s);
}

export class Writer {
  private buf: Uint8Array;
  private view: DataView;
  pos = 0;

  constructor(initialSize = 256) {
    this.buf = new Uint8Array(initialSize);
    this.view = new DataView(this.buf.buffer);
  }

  private reserve(n: number): number {
    const at = this.pos;
    if (at + n > this.buf.length) {
      let size = this.buf.length * 2;
      while (size < at + n) size *= 2;
      const next = new Uint8Array(size);
      next.set(this.buf.subarray(0, at));
      this.buf = next;
      this.view = new DataView(next.buffer);
    }
    this.pos = at + n;
    return at;
  }

  finish(): Uint8Array {
    return this.buf.subarray(0, this.pos);
  }

  // Every write reserves FIRST and only then touches this.buf / this.view: reserve() may replace
  // them (`this.buf[this.reserve(1)] = x` would evaluate this.buf before it grows).
  int8(v: number): this {
    checkInt(v, -0x80, 0x7f, 'int8');
    const at = this.reserve(1);
    this.view.setInt8(at, v);
    return this;
  }
  int16(v: number): this {
    checkInt(v, -0x8000, 0x7fff, 'int16');
    const at = this.reserve(2);
    this.view.setInt16(at, v);
    return this;
  }
  int32(v: number): this {
    checkInt(v, -0x80000000, 0x7fffffff, 'int32');
    const at = this.reserve(4);
    this.view.setInt32(at, v);
    return this;
  }
  uint32(v: number): this {
    checkInt(v, 0, 0xffffffff, 'uint32');
    const at = this.reserve(4);
    this.view.setUint32(at, v);
    return this;
  }
  /** int64 from a bigint (or a safe-integer number). */
  int64(v: bigint | number): this {
    const b = typeof v === 'number' ? (Number.isSafeInteger(v) ? BigInt(v) : undefined) : v;
    if (typeof b !== 'bigint' || b < INT64_MIN || b > INT64_MAX) throw malformed(`cannot encode ${String(v)} as int64`);
    const at = this.reserve(8);
    this.view.setBigInt64(at, b);
    return this;
  }
  float64(v: number): this {
    if (typeof v !== 'number') throw malformed(`cannot encode ${String(v)} as float64`);
    const at = this.reserve(8);
    this.view.setFloat64(at, v);
    return this;
  }
  bool(v: boolean): this {
    if (typeof v !== 'boolean') throw malformed(`cannot encode ${String(v)} as bool`);
    return this.byte(v ? 1 : 0);
  }
  private byte(b: number): this {
    const at = this.reserve(1);
    this.buf[at] = b;
    return this;
  }
  uvarint(v: number): this {
    checkInt(v, 0, 0xffffffff, 'uvarint');
    while (v >= 0x80) {
      this.byte((v % 0x80) | 0x80);
      v = Math.floor(v / 0x80);
    }
    return this.byte(v);
  }
  /** Zigzag varint (int32). */
  varint(v: number): this {
    checkInt(v, -0x80000000, 0x7fffffff, 'varint');
    return this.uvarint(v >= 0 ? v * 2 : -v * 2 - 1);
  }
  /** Zigzag varlong (int64). */
  varlong(v: bigint): this {
    if (typeof v !== 'bigint' || v < INT64_MIN || v > INT64_MAX) throw malformed(`cannot encode ${String(v)} as varlong`);
    let u = v >= 0n ? v << 1n : (-v << 1n) - 1n;
    while (u >= 0x80n) {
      this.byte(Number(u & 0x7fn) | 0x80);
      u >>= 7n;
    }
    return this.byte(Number(u));
  }
  uuid(v: string): this {
    if (typeof v !== 'string' || !UUID_RE.test(v)) throw malformed(`cannot encode ${String(v)} as a uuid`);
    const hex = v.replace(/-/g, '');
    const at = this.reserve(16);
    for (let i = 0; i < 16; i++) this.buf[at + i] = parseInt(hex.slice(2 * i, 2 * i + 2), 16);
    return this;
  }
  raw(bytes: Uint8Array): this {
    if (!(bytes instanceof Uint8Array)) throw malformed('cannot encode a non-Uint8Array as bytes');
    const at = this.reserve(bytes.length);
    this.buf.set(bytes, at);
    return this;
  }

  /** Length prefix: int16 / int32 / compact uvarint N+1; -1 writes null. */
  length(n: number, kind: 'int16' | 'int32', compact: boolean): this {
    if (compact) return this.uvarint(n + 1);
    return kind === 'int16' ? this.int16(n) : this.int32(n);
  }

  nullableString(s: string | null, compact = false): this {
    if (s === null) return this.length(-1, 'int16', compact);
    const b = utf8Bytes(s);
    if (!compact && b.length > 0x7fff) throw malformed(`string of ${b.length} bytes exceeds 32767`);
    return this.length(b.length, 'int16', compact).raw(b);
  }
  string(s: string, compact = false): this {
    if (s === null) throw malformed('cannot encode null as a non-nullable string');
    return this.nullableString(s, compact);
  }
  nullableBytes(b: Uint8Array | null, compact = false): this {
    if (b === null) return this.length(-1, 'int32', compact);
    if (!(b instanceof Uint8Array)) throw malformed('cannot encode a non-Uint8Array as bytes');
    return this.length(b.length, 'int32', compact).raw(b);
  }
  bytes(b: Uint8Array, compact = false): this {
    if (b === null) throw malformed('cannot encode null as non-nullable bytes');
    return this.nullableBytes(b, compact);
  }
  /** Array count (-1 = null). */
  arrayLength(n: number, compact = false): this {
    return this.length(n, 'int32', compact);
  }
  array<T>(items: readonly T[], item: (w: Writer, v: T) => void, compact = false): this {
    this.arrayLength(items.length, compact);
    for (const v of items) item(this, v);
    return this;
  }

  /** A tagged-field section; empty by default. */
  taggedFields(fields: readonly RawTaggedField[] = []): this {
    const sorted = [...fields].sort((a, b) => a.tag - b.tag);
    this.uvarint(sorted.length);
    for (const f of sorted) this.uvarint(f.tag).uvarint(f.data.length).raw(f.data);
    return this;
  }

  /** Overwrite an int32 already written at `at` (used for size prefixes). */
  patchInt32(at: number, v: number): this {
    checkInt(v, -0x80000000, 0x7fffffff, 'int32');
    this.view.setInt32(at, v);
    return this;
  }
}
