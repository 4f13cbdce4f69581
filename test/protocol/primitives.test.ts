/**
 * Reader / Writer primitives: round trips at the boundaries, varint/varlong against a BigInt
 * reference, and every refusal (lengths, overflow, UTF-8, ranges) as ProtocolError.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ProtocolError } from '../../src/protocol/errors.js';
import { Reader, safeNumber } from '../../src/protocol/reader.js';
import { Writer } from '../../src/protocol/writer.js';

const bytesOf = (f: (w: Writer) => void) => {
  const w = new Writer(1); // start tiny: every write crosses a growth boundary
  f(w);
  return w.finish().slice();
};
const reader = (...b: number[]) => new Reader(Uint8Array.from(b));
const malformed = (f: () => unknown) => expect(f).toThrow(ProtocolError);

/** Reference zigzag + base-128 encoder over BigInt. */
function refVarlong(v: bigint): number[] {
  let u = v >= 0n ? v << 1n : ((-v) << 1n) - 1n;
  const out: number[] = [];
  do {
    const b = Number(u & 0x7fn);
    u >>= 7n;
    out.push(u > 0n ? b | 0x80 : b);
  } while (u > 0n);
  return out;
}

describe('fixed-width integers', () => {
  it('round-trip across their whole range', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: -128, max: 127 }), fc.integer({ min: -32768, max: 32767 }), fc.integer({ min: -(2 ** 31), max: 2 ** 31 - 1 }),
        fc.integer({ min: 0, max: 2 ** 32 - 1 }), fc.bigInt({ min: -(2n ** 63n), max: 2n ** 63n - 1n }), fc.boolean(),
        (a, b, c, d, e, f) => {
          const r = new Reader(bytesOf((w) => w.int8(a).int16(b).int32(c).uint32(d).int64(e).bool(f)));
          expect([r.int8(), r.int16(), r.int32(), r.uint32(), r.int64(), r.bool()]).toEqual([a, b, c, d, e, f]);
          r.expectEnd();
        },
      ),
    );
  });

  it('refuses out-of-range or non-integer values when writing', () => {
    const w = new Writer();
    for (const f of [() => w.int8(128), () => w.int16(-32769), () => w.int32(2 ** 31), () => w.int32(1.5), () => w.uint32(-1),
      () => w.int64(2n ** 63n), () => w.int64(Number.MAX_SAFE_INTEGER + 2), () => w.uvarint(-1), () => w.uvarint(2 ** 32)]) malformed(f);
    expect(w.pos).toBe(0);
  });

  it('int64Number returns safe integers and refuses the rest', () => {
    expect(new Reader(bytesOf((w) => w.int64(-(2n ** 53n) + 1n))).int64Number()).toBe(-(2 ** 53) + 1);
    malformed(() => new Reader(bytesOf((w) => w.int64(2n ** 53n))).int64Number());
    expect(safeNumber(42n)).toBe(42);
  });

  it('refuses reads past the end', () => {
    malformed(() => reader(1).int16());
    malformed(() => reader(1, 2, 3).int32());
    malformed(() => reader(0, 0, 0, 0, 0, 0, 0).int64());
    malformed(() => reader().bool());
  });
});

describe('varints', () => {
  it('uvarint round-trips at the 7-bit boundaries and up to 2^32-1', () => {
    for (const v of [0, 1, 127, 128, 16383, 16384, 2 ** 21, 2 ** 28 - 1, 2 ** 28, 2 ** 32 - 1]) {
      expect(new Reader(bytesOf((w) => w.uvarint(v))).uvarint()).toBe(v);
    }
    expect([...bytesOf((w) => w.uvarint(300))]).toEqual([0xac, 0x02]);
  });

  it('varint and varlong match the reference zigzag encoding', () => {
    fc.assert(
      fc.property(fc.integer({ min: -(2 ** 31), max: 2 ** 31 - 1 }), fc.bigInt({ min: -(2n ** 63n), max: 2n ** 63n - 1n }), (i, l) => {
        const bi = bytesOf((w) => w.varint(i));
        const bl = bytesOf((w) => w.varlong(l));
        expect([...bi]).toEqual(refVarlong(BigInt(i)));
        expect([...bl]).toEqual(refVarlong(l));
        expect(new Reader(bi).varint()).toBe(i);
        expect(new Reader(bl).varlong()).toBe(l);
      }),
    );
  });

  it('refuses overlong and overflowing varints', () => {
    malformed(() => reader(0x80, 0x80, 0x80, 0x80, 0x80, 0x00).uvarint());
    malformed(() => reader(0xff, 0xff, 0xff, 0xff, 0x1f).uvarint()); // > 2^32-1
    malformed(() => reader(0x80, 0x80).uvarint()); // truncated
    malformed(() => new Reader(Uint8Array.from([...Array(10).fill(0xff), 0x01])).varlong());
    malformed(() => new Reader(Uint8Array.from([...Array(9).fill(0xff), 0x02])).varlong());
  });
});

describe('strings, bytes, arrays, uuids', () => {
  it('round-trip in both the classic and the compact encodings', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 40 }), fc.option(fc.uint8Array({ maxLength: 40 }), { nil: null }), fc.boolean(), (s, b, compact) => {
        const r = new Reader(bytesOf((w) => w.string(s, compact).nullableString(null, compact).nullableBytes(b, compact)));
        expect(r.string(compact)).toBe(s);
        expect(r.nullableString(compact)).toBeNull();
        expect(r.nullableBytes(compact)).toEqual(b);
        r.expectEnd();
      }),
      { numRuns: 50 },
    );
  });

  it('keeps a leading BOM and refuses invalid UTF-8 and lone surrogates', () => {
    expect(new Reader(bytesOf((w) => w.string('\uFEFFx'))).string()).toBe('\uFEFFx');
    malformed(() => reader(0, 2, 0xc3, 0x28).string());
    malformed(() => new Writer().string('a\uD800b'));
    malformed(() => new Writer().string('x'.repeat(32768)));
    expect(new Reader(bytesOf((w) => w.string('x'.repeat(40000), true))).compactString()).toHaveLength(40000);
  });

  it('refuses lengths that lie, negative lengths and null where not allowed', () => {
    malformed(() => reader(0, 3, 0x61, 0x62).string()); // 3 claimed, 2 remain
    malformed(() => reader(4, 0x61, 0x62).compactString()); // N+1 = 4 → 3 claimed
    malformed(() => reader(0, 0, 0, 9, 1).bytes());
    malformed(() => reader(0xff, 0xfe).nullableString()); // -2
    malformed(() => reader(0xff, 0xff, 0xff, 0xfe).nullableBytes());
    malformed(() => reader(0xff, 0xff).string()); // null, not nullable
    malformed(() => reader(0).compactBytes());
    malformed(() => reader(0, 0, 0, 5, 1, 2, 3, 4).array((r) => r.int8())); // 5 claimed
    malformed(() => reader(0, 0, 0, 2, 0, 0, 0, 1).array((r) => r.int32(), false, 4)); // 2×4 > 4
    malformed(() => reader(0xff, 0xff, 0xff, 0xfe).nullableArray((r) => r.int8()));
    malformed(() => reader(0xff, 0xff, 0xff, 0xff).array((r) => r.int8()));
    expect(reader(0xff, 0xff, 0xff, 0xff).nullableArray((r) => r.int8())).toBeNull();
    expect(reader(0).compactNullableString()).toBeNull();
  });

  it('bytes alias the input (zero copy)', () => {
    const input = Uint8Array.from([0, 0, 0, 2, 7, 8]);
    const b = new Reader(input).bytes();
    expect(b.buffer).toBe(input.buffer);
    expect(b.byteOffset).toBe(4);
  });

  it('arrays round-trip; uuids are lowercase 8-4-4-4-12 and validated', () => {
    const r = new Reader(bytesOf((w) => w.array([1, 2, 3], (w2, v) => w2.int32(v), true).uuid('0F1E2D3C-4B5A-6978-8796-A5B4C3D2E1F0')));
    expect(r.array((x) => x.int32(), true)).toEqual([1, 2, 3]);
    expect(r.uuid()).toBe('0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0');
    malformed(() => new Writer().uuid('not-a-uuid'));
  });
});

describe('tagged-field sections', () => {
  it('are written empty by default and in ascending tag order otherwise', () => {
    expect([...bytesOf((w) => w.taggedFields())]).toEqual([0]);
    const b = bytesOf((w) => w.taggedFields([{ tag: 5, data: Uint8Array.of(9) }, { tag: 1, data: Uint8Array.of() }]));
    expect([...b]).toEqual([2, 1, 0, 5, 1, 9]);
    expect(new Reader(b).taggedFields()).toEqual([{ tag: 1, data: new Uint8Array(0) }, { tag: 5, data: Uint8Array.of(9) }]);
  });

  it('accept any tag order but refuse repeated tags and sizes that lie', () => {
    expect(reader(2, 5, 0, 1, 0).taggedFields().map((f) => f.tag)).toEqual([5, 1]);
    malformed(() => reader(2, 1, 0, 1, 0).taggedFields());
    malformed(() => reader(1, 0, 5, 1).taggedFields());
    malformed(() => reader(200, 1).taggedFields()); // 200 fields cannot fit in 1 byte
  });
});
