/**
 * Zigzag varint/varlong: golden encodings, round trips (int32, ±2^53), size functions agree with
 * writers, and malformed input (truncated, overlong, out of range) → CorruptBatchError.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { CorruptBatchError } from '../../src/runtime/errors.js';
import {
  readVarint,
  readVarlong,
  varintSize,
  varlongSize,
  writeVarint,
  writeVarlong,
} from '../../src/storage/varint.js';

const hex = (b: Uint8Array): string => Buffer.from(b).toString('hex');
const unhex = (s: string): Uint8Array => new Uint8Array(Buffer.from(s, 'hex'));

function encInt(v: number): Uint8Array {
  const buf = new Uint8Array(16);
  const end = writeVarint(buf, 0, v);
  expect(end).toBe(varintSize(v));
  return buf.slice(0, end);
}
function encLong(v: number): Uint8Array {
  const buf = new Uint8Array(16);
  const end = writeVarlong(buf, 0, v);
  expect(end).toBe(varlongSize(v));
  return buf.slice(0, end);
}
function decInt(b: Uint8Array): number {
  const c = { pos: 0 };
  const v = readVarint(b, c, b.length);
  expect(c.pos).toBe(b.length);
  return v;
}
function decLong(b: Uint8Array): number {
  const c = { pos: 0 };
  const v = readVarlong(b, c, b.length);
  expect(c.pos).toBe(b.length);
  return v;
}

/** Reference varlong encoder on BigInt (what Kafka's ByteUtils.writeVarlong does). */
function refLongBytes(x: bigint): Uint8Array {
  let z = BigInt.asUintN(64, (x << 1n) ^ (x >> 63n));
  const out: number[] = [];
  while (z >= 0x80n) {
    out.push(Number(z & 0x7fn) | 0x80);
    z >>= 7n;
  }
  out.push(Number(z));
  return new Uint8Array(out);
}

function refLong(v: number): string {
  return Buffer.from(refLongBytes(BigInt(v))).toString('hex');
}

const GOLDEN_INT: Array<[number, string]> = [
  [0, '00'],
  [-1, '01'],
  [1, '02'],
  [-2, '03'],
  [63, '7e'],
  [-64, '7f'],
  [64, '8001'],
  [300, 'd804'],
  [-300, 'd704'],
  [8191, 'fe7f'],
  [8192, '808001'],
  [2147483647, 'feffffff0f'],
  [-2147483648, 'ffffffff0f'],
];

const GOLDEN_LONG: Array<[number, string]> = [
  ...GOLDEN_INT,
  [2147483648, '8080808010'],
  [-2147483649, '8180808010'],
  [2 ** 32, '8080808020'],
  [1700000000000, '80a0abfef962'],
  [2 ** 53, '8080808080808020'],
  [-(2 ** 53), 'ffffffffffffff1f'],
  [Number.MAX_SAFE_INTEGER, 'feffffffffffff1f'],
  [-Number.MAX_SAFE_INTEGER, 'fdffffffffffff1f'],
];

describe('varint (int32)', () => {
  it('golden values', () => {
    for (const [v, h] of GOLDEN_INT) {
      expect(hex(encInt(v)), `${v}`).toBe(h);
      expect(decInt(unhex(h))).toBe(v);
    }
  });

  it('round-trips any int32 and the size matches', () => {
    fc.assert(
      fc.property(fc.integer({ min: -(2 ** 31), max: 2 ** 31 - 1 }), (v) => {
        expect(decInt(encInt(v))).toBe(v);
        expect(hex(encInt(v))).toBe(refLong(v)); // same bytes as the 64-bit encoding for int32
      }),
      { numRuns: 2000 },
    );
    for (const v of [2 ** 31 - 1, 2 ** 31 - 2, -(2 ** 31), -(2 ** 31) + 1, 2 ** 30, -(2 ** 30), 2 ** 30 - 1]) {
      expect(decInt(encInt(v))).toBe(v);
    }
  });

  it('writes consecutive values at increasing positions', () => {
    const buf = new Uint8Array(64);
    let p = 0;
    const vals = [5, -70000, 2 ** 31 - 1, 0, -1];
    for (const v of vals) p = writeVarint(buf, p, v);
    const c = { pos: 0 };
    for (const v of vals) expect(readVarint(buf, c, p)).toBe(v);
    expect(c.pos).toBe(p);
  });

  it('rejects truncated and overlong input with CorruptBatchError', () => {
    for (const h of ['', '80', 'ffff', 'ffffffff', 'ffffffffff', 'ffffffff1f', 'ffffffff8f01', '8080808080']) {
      expect(() => readVarint(unhex(h), { pos: 0 }, h.length / 2), h).toThrow(CorruptBatchError);
    }
    // the end bound is respected even when more bytes follow
    expect(() => readVarint(unhex('8001'), { pos: 0 }, 1)).toThrow(CorruptBatchError);
  });
});

describe('varlong (int64 as Number within ±2^53)', () => {
  it('golden values', () => {
    for (const [v, h] of GOLDEN_LONG) {
      expect(hex(encLong(v)), `${v}`).toBe(h);
      expect(refLong(v)).toBe(h);
      expect(decLong(unhex(h))).toBe(v);
    }
  });

  it('round-trips integers in ±2^53, matching a BigInt reference', () => {
    const wide = fc.integer({ min: -Number.MAX_SAFE_INTEGER, max: Number.MAX_SAFE_INTEGER });
    fc.assert(
      fc.property(fc.oneof(wide, fc.integer(), fc.constantFrom(2 ** 53, -(2 ** 53), 2 ** 31, -(2 ** 31) - 1, 2 ** 32 - 1, 2 ** 32)), (v) => {
        const b = encLong(v);
        expect(hex(b)).toBe(refLong(v));
        expect(decLong(b)).toBe(v);
      }),
      { numRuns: 3000 },
    );
    for (let k = 0; k <= 53; k++) {
      for (const v of [2 ** k, 2 ** k - 1, 2 ** k + 1, -(2 ** k), -(2 ** k) + 1, -(2 ** k) - 1]) {
        if (Math.abs(v) > 2 ** 53) continue;
        expect(hex(encLong(v)), `${v}`).toBe(refLong(v));
        expect(decLong(encLong(v))).toBe(v);
      }
    }
  });

  it('reads what a BigInt writer produces for any 64-bit value, or rejects it', () => {
    fc.assert(
      fc.property(fc.bigInt({ min: -(2n ** 63n), max: 2n ** 63n - 1n }), (x) => {
        const b = refLongBytes(x);
        if (x >= -(2n ** 53n) && x <= 2n ** 53n) expect(decLong(b)).toBe(Number(x));
        else expect(() => decLong(b)).toThrow(CorruptBatchError);
      }),
      { numRuns: 2000 },
    );
  });

  it('rejects truncated, overlong and out-of-range input with CorruptBatchError', () => {
    const bad = [
      '',
      '80',
      'ffffffffffffffffff', // 9 bytes, continuation still set
      'ffffffffffffffffff02', // tenth byte with more than one bit
      'ffffffffffffffffff81', // tenth byte with continuation
      '8080808080808040', // zigzag 2^55 → 2^54
      '8180808080808020', // zigzag 2^54 + 1 → -(2^53) - 1
      '8280808080808020', // zigzag 2^54 + 2 → 2^53 + 1
      'ffffffffffffffffff01', // zigzag 2^64 - 1 → -2^63
    ];
    for (const h of bad) expect(() => readVarlong(unhex(h), { pos: 0 }, h.length / 2), h).toThrow(CorruptBatchError);
  });

  it('refuses to write non-integers or values beyond ±2^53', () => {
    for (const v of [0.5, NaN, Infinity, 2 ** 53 + 2, -(2 ** 54)]) {
      expect(() => writeVarlong(new Uint8Array(16), 0, v)).toThrow(/assertion/);
    }
  });
});
