/**
 * Reader — a bounded cursor over a Uint8Array for Kafka wire primitives.
 *
 * Invariants:
 * - Never reads outside [start, end): every read first checks the bytes remaining, and every
 *   length prefix is checked against what remains BEFORE it is trusted (no allocation or slice
 *   sized by an unchecked length).
 * - Negative lengths other than the null marker (-1, or compact 0) are MALFORMED.
 * - Array counts are bounded by remaining / minimum element size, so a lying count cannot make
 *   a caller loop or allocate beyond the input.
 * - bytes/records are returned as subarrays of the input (zero copy): they alias the frame.
 * - Strings are strict UTF-8 (invalid sequences are MALFORMED), a leading BOM is kept.
 * - Throws only ProtocolError('MALFORMED').
 *
 * Encodings (big-endian):
 *   STRING            int16 N, N bytes (N = -1: null, only where nullable)
 *   COMPACT_STRING    uvarint N+1, N bytes (0: null)
 *   BYTES             int32 N, N bytes (-1: null)
 *   ARRAY             int32 count, elements (-1: null)
 *   COMPACT_ARRAY     uvarint count+1, elements (0: null)
 *   TAGGED_FIELDS     uvarint n, n × (uvarint tag, uvarint size, size bytes)
 *   UUID              16 bytes, rendered as 8-4-4-4-12 lowercase hex
 */
import { malformed } from './errors.js';

const utf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });
const HEX: string[] = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0'));

export interface RawTaggedField {
  tag: number;
  data: Uint8Array;
}

export class Reader {
  readonly buf: Uint8Array;
  private readonly view: DataView;
  pos: number;
  readonly end: number;

  constructor(buf: Uint8Array, start = 0, end = buf.length) {
    this.buf = buf;
    this.view = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
    this.pos = start;
    this.end = end;
  }

  get remaining(): number {
    return this.end - this.pos;
  }

  private need(n: number, what: string): number {
    if (n > this.end - this.pos) throw malformed(`${what}: needs ${n} bytes, ${this.end - this.pos} remain`);
    const at = this.pos;
    this.pos += n;
    return at;
  }

  expectEnd(what = 'message'): void {
    if (this.pos !== this.end) throw malformed(`${what}: ${this.end - this.pos} trailing bytes`);
  }

  int8(): number {
    return this.view.getInt8(this.need(1, 'int8'));
  }
  int16(): number {
    return this.view.getInt16(this.need(2, 'int16'));
  }
  int32(): number {
    return this.view.getInt32(this.need(4, 'int32'));
  }
  uint32(): number {
    return this.view.getUint32(this.need(4, 'uint32'));
  }
  int64(): bigint {
    return this.view.getBigInt64(this.need(8, 'int64'));
  }
  /** int64 as a JS number; MALFORMED if it is not a safe integer. */
  int64Number(): number {
    return safeNumber(this.int64());
  }
  float64(): number {
    return this.view.getFloat64(this.need(8, 'float64'));
  }
  bool(): boolean {
    return this.buf[this.need(1, 'bool')] !== 0;
  }

  /** Unsigned varint, at most 5 bytes, value < 2^32. */
  uvarint(): number {
    let value = 0;
    for (let i = 0; i < 5; i++) {
      const b = this.buf[this.need(1, 'uvarint')]!;
      if (i === 4 && b > 0x0f) throw malformed('uvarint overflows 32 bits');
      value += (b & 0x7f) * 2 ** (7 * i);
      if ((b & 0x80) === 0) return value;
    }
    throw malformed('uvarint longer than 5 bytes');
  }
  /** Zigzag varint (int32). */
  varint(): number {
    const u = this.uvarint();
    return u % 2 === 0 ? u / 2 : -(u + 1) / 2;
  }
  /** Zigzag varlong (int64), at most 10 bytes. */
  varlong(): bigint {
    let u = 0n;
    for (let i = 0; i < 10; i++) {
      const b = this.buf[this.need(1, 'varlong')]!;
      if (i === 9 && b > 0x01) throw malformed('varlong overflows 64 bits');
      u |= BigInt(b & 0x7f) << BigInt(7 * i);
      if ((b & 0x80) === 0) return (u >> 1n) ^ -(u & 1n);
    }
    throw malformed('varlong longer than 10 bytes');
  }

  uuid(): string {
    const at = this.need(16, 'uuid');
    let s = '';
    for (let i = 0; i < 16; i++) {
      if (i === 4 || i === 6 || i === 8 || i === 10) s += '-';
      s += HEX[this.buf[at + i]!];
    }
    return s;
  }

  /** Length prefix of a string: int16 or compact uvarint N+1; -1 means null. */
  stringLength(compact: boolean): number {
    const n = compact ? this.uvarint() - 1 : this.int16();
    if (n < -1) throw malformed(`negative string length ${n}`);
    if (n > this.remaining) throw malformed(`string length ${n} exceeds ${this.remaining} remaining`);
    return n;
  }
  /** Length prefix of bytes: int32 or compact uvarint N+1; -1 means null. */
  bytesLength(compact: boolean): number {
    const n = compact ? this.uvarint() - 1 : this.int32();
    if (n < -1) throw malformed(`negative bytes length ${n}`);
    if (n > this.remaining) throw malformed(`bytes length ${n} exceeds ${this.remaining} remaining`);
    return n;
  }
  /** Element count of an array: int32 or compact uvarint N+1; -1 means null. */
  arrayLength(compact: boolean, minElementSize = 1): number {
    const n = compact ? this.uvarint() - 1 : this.int32();
    if (n < -1) throw malformed(`negative array length ${n}`);
    if (n * Math.max(1, minElementSize) > this.remaining) {
      throw malformed(`array of ${n} elements cannot fit in ${this.remaining} remaining bytes`);
    }
    return n;
  }

  /** n raw bytes as a subarray (zero copy). */
  raw(n: number): Uint8Array {
    const at = this.need(n, 'bytes');
    return this.buf.subarray(at, at + n);
  }
  utf8(n: number): string {
    const at = this.need(n, 'string');
    try {
      return utf8.decode(this.buf.subarray(at, at + n));
    } catch {
      throw malformed('string is not valid UTF-8');
    }
  }

  string(compact = false): string {
    const n = this.stringLength(compact);
    if (n < 0) throw malformed('null where a string is required');
    return this.utf8(n);
  }
  nullableString(compact = false): string | null {
    const n = this.stringLength(compact);
    return n < 0 ? null : this.utf8(n);
  }
  compactString(): string {
    return this.string(true);
  }
  compactNullableString(): string | null {
    return this.nullableString(true);
  }
  bytes(compact = false): Uint8Array {
    const n = this.bytesLength(compact);
    if (n < 0) throw malformed('null where bytes are required');
    return this.raw(n);
  }
  nullableBytes(compact = false): Uint8Array | null {
    const n = this.bytesLength(compact);
    return n < 0 ? null : this.raw(n);
  }
  compactBytes(): Uint8Array {
    return this.bytes(true);
  }
  compactNullableBytes(): Uint8Array | null {
    return this.nullableBytes(true);
  }

  /** A non-null array read with `item`; `minElementSize` bounds the count. */
  array<T>(item: (r: Reader) => T, compact = false, minElementSize = 1): T[] {
    const n = this.arrayLength(compact, minElementSize);
    if (n < 0) throw malformed('null where an array is required');
    const out: T[] = [];
    for (let i = 0; i < n; i++) out.push(item(this));
    return out;
  }
  nullableArray<T>(item: (r: Reader) => T, compact = false, minElementSize = 1): T[] | null {
    const n = this.arrayLength(compact, minElementSize);
    if (n < 0) return null;
    const out: T[] = [];
    for (let i = 0; i < n; i++) out.push(item(this));
    return out;
  }

  /** A sub-reader over the next n bytes (same underlying buffer), advancing past them. */
  sub(n: number): Reader {
    const at = this.need(n, 'section');
    return new Reader(this.buf, at, at + n);
  }

  /** A tagged-field section, every field kept raw (data aliases the input); a repeated tag is MALFORMED. */
  taggedFields(): RawTaggedField[] {
    const n = this.uvarint();
    if (n * 2 > this.remaining) throw malformed(`${n} tagged fields cannot fit in ${this.remaining} bytes`);
    const out: RawTaggedField[] = [];
    const seen = new Set<number>();
    for (let i = 0; i < n; i++) {
      const tag = this.uvarint();
      if (seen.has(tag)) throw malformed(`tagged field ${tag} repeated`);
      seen.add(tag);
      const size = this.uvarint();
      out.push({ tag, data: this.raw(size) });
    }
    return out;
  }
  /** A tagged-field section whose fields are all ignored (still validated for framing). */
  skipTaggedFields(): void {
    this.taggedFields();
  }
}

/** A bigint as a safe-integer number, or MALFORMED. */
export function safeNumber(v: bigint): number {
  if (v > BigInt(Number.MAX_SAFE_INTEGER) || v < BigInt(Number.MIN_SAFE_INTEGER)) {
    throw malformed(`int64 ${v} is not a safe integer`);
  }
  return Number(v);
}
