/**
 * RecordBatch v2 codec: golden bytes (equal to kafkajs's encoder output, see
 * record-batch.kafkajs.test.ts), BatchBuilder behaviour, encode∘decode = id, and corruption:
 * flipped bytes, truncation, lying lengths, malformed records under a valid CRC — all must end
 * in CorruptBatchError, never a RangeError or wrong records.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { BatchLayout, validateBatch } from '../../src/storage/batch-header.js';
import { crc32c } from '../../src/storage/crc32c.js';
import { CorruptBatchError, RecordTooLargeError } from '../../src/runtime/errors.js';
import {
  BatchBuilder,
  type DecodedBatch,
  type Record,
  type RecordInput,
  decodeBatch,
  decodeBatches,
  encodeBatch,
  iterateRecords,
} from '../../src/storage/record-batch.js';
import { writeVarint, writeVarlong } from '../../src/storage/varint.js';

fc.configureGlobal({ seed: 0x7a11e7, numRuns: 200 });

const utf8 = (s: string): Uint8Array => new TextEncoder().encode(s);
const hex = (b: Uint8Array): string => Buffer.from(b.buffer, b.byteOffset, b.byteLength).toString('hex');
const unhex = (s: string): Uint8Array => new Uint8Array(Buffer.from(s.replace(/\s+/g, ''), 'hex'));
/** What a string becomes after a UTF-8 round trip (lone surrogates → U+FFFD). */
const wellFormed = (s: string): string => new TextDecoder().decode(utf8(s));

interface Plain {
  offset: number;
  timestamp: number;
  key: string | null;
  value: string;
  headers: Array<[string, string]>;
}
const plain = (r: Record): Plain => ({
  offset: r.offset,
  timestamp: r.timestamp,
  key: r.key === null ? null : hex(r.key),
  value: hex(r.value),
  headers: r.headers.map((h) => [h.key, hex(h.value)]),
});
const expected = (inputs: RecordInput[], baseOffset: number, defaultTs = 0): Plain[] =>
  inputs.map((r, i) => ({
    offset: baseOffset + i,
    timestamp: r.timestamp ?? defaultTs,
    key: r.key == null ? null : hex(r.key),
    value: hex(r.value),
    headers: (r.headers ?? []).map((h) => [wellFormed(h.key), hex(h.value)]),
  }));

/** Recompute batchLength (from the array's size) and the CRC after editing a batch by hand. */
function seal(b: Uint8Array): Uint8Array {
  const v = new DataView(b.buffer, b.byteOffset, b.byteLength);
  v.setInt32(BatchLayout.batchLength, b.length - BatchLayout.logOverheadBytes);
  v.setUint32(BatchLayout.crc, crc32c(b, BatchLayout.attributes, b.length));
  return b;
}
/** A batch around hand-written record bytes, header taken from a real batch. */
function withRecords(records: Uint8Array, count: number, lastOffsetDelta = count - 1): Uint8Array {
  const b = new Uint8Array(BatchLayout.headerBytes + records.length);
  b.set(encodeBatch([{ value: new Uint8Array(0) }]).subarray(0, BatchLayout.headerBytes));
  b.set(records, BatchLayout.headerBytes);
  const v = new DataView(b.buffer);
  v.setInt32(BatchLayout.recordCount, count);
  v.setInt32(BatchLayout.lastOffsetDelta, lastOffsetDelta);
  return seal(b);
}
/** Record bytes from a list of varints (numbers) and raw byte strings. */
function rawRecord(parts: Array<number | Uint8Array | { long: number }>): Uint8Array {
  const body = new Uint8Array(1024);
  let p = 0;
  for (const part of parts) {
    if (typeof part === 'number') p = writeVarint(body, p, part);
    else if (part instanceof Uint8Array) (body.set(part, p), (p += part.length));
    else p = writeVarlong(body, p, part.long);
  }
  const out = new Uint8Array(p + 5);
  const q = writeVarint(out, 0, p);
  out.set(body.subarray(0, p), q);
  return out.slice(0, q + p);
}

// ---- golden batches: bytes identical to kafkajs RecordBatch v0 (magic 2), compression none ----

const T0 = 1_700_000_000_000; // 0x0000018bcfe56800
const GOLDEN_3_DELTAS = [5, 0, 17, 3, 300, 300, 1, 70000, 2, 9];
const GOLDEN_3_VALUES = ['a', '', 'ccc', 'dddd', 'e'.repeat(70), 'f', '', 'gg', 'h', 'iiiiiiiiii'];

const GOLDEN: Array<{ name: string; records: RecordInput[]; opts: object; hex: string }> = [
  {
    name: '(1) no key, one record',
    records: [{ value: utf8('hello'), timestamp: T0 }],
    opts: {},
    hex: `
      0000000000000000 0000003d 00000000 02 e641a44b  | baseOffset 0, length 61, epoch 0, magic, crc
      0000 00000000 0000018bcfe56800 0000018bcfe56800  | attributes, lastOffsetDelta 0, first/max ts
      ffffffffffffffff ffff ffffffff 00000001  | producerId/epoch/baseSequence -1, 1 record
      16 00 00 00 01 0a 68656c6c6f 00  | len 11, attr, tsΔ 0, offΔ 0, key null, "hello", 0 headers`,
  },
  {
    name: '(2) key + two headers',
    records: [
      {
        key: utf8('key-1'),
        value: utf8('payload'),
        timestamp: T0 + 123,
        headers: [
          { key: 'trace-id', value: utf8('abc') },
          { key: 'content-type', value: utf8('json') },
        ],
      },
    ],
    opts: { baseOffset: 42, partitionLeaderEpoch: 7 },
    hex: `
      000000000000002a 00000063 00000007 02 3a1221b7  | baseOffset 42, length 99, epoch 7
      0000 00000000 0000018bcfe5687b 0000018bcfe5687b
      ffffffffffffffff ffff ffffffff 00000001
      62 00 00 00 0a 6b65792d31 0e 7061796c6f6164  | len 49, key "key-1", value "payload"
      04 10 74726163652d6964 06 616263  | 2 headers: "trace-id" = "abc"
         18 636f6e74656e742d74797065 08 6a736f6e  |   "content-type" = "json"`,
  },
  {
    name: '(3) ten records, unordered timestamps, producer fields',
    records: GOLDEN_3_DELTAS.map((d, i) => ({
      key: i % 3 === 0 ? null : utf8(`k${i}`),
      value: utf8(GOLDEN_3_VALUES[i]!),
      timestamp: T0 + d,
    })),
    opts: { baseOffset: 1000, partitionLeaderEpoch: 3, producerId: 12345, producerEpoch: 2, baseSequence: 100 },
    hex: `
      00000000000003e8 000000e5 00000003 02 4ba4289a  | baseOffset 1000, length 229
      0000 00000009 0000018bcfe56800 0000018bcfe67970  | lastOffsetDelta 9, first = T0, max = T0 + 70000
      0000000000003039 0002 00000064 0000000a  | producerId 12345, epoch 2, seq 100, 10 records
      0e 00 0a 00 01 02 61 00  | tsΔ 5, offΔ 0, key null, "a"
      10 00 00 02 04 6b31 00 00  | tsΔ 0, offΔ 1, "k1", ""
      16 00 22 04 04 6b32 06 636363 00  | tsΔ 17
      14 00 06 06 01 08 64646464 00  | tsΔ 3, key null
      a001 00 d804 08 04 6b34 8c01 ${'65'.repeat(70)} 00  | len 80, tsΔ 300, value 70 × "e"
      14 00 d804 0a 04 6b35 02 66 00
      0c 00 02 0c 01 00 00  | key null, ""
      18 00 e0c508 0e 04 6b37 04 6767 00  | tsΔ 70000
      12 00 04 10 04 6b38 02 68 00
      20 00 12 12 01 14 69696969696969696969 00  | key null, 10 × "i"`,
  },
];
/** The hex of a golden batch: everything left of '|' on each line. */
const goldenBytes = (g: (typeof GOLDEN)[number]): Uint8Array =>
  unhex(g.hex.split('\n').map((line) => line.split('|')[0]!).join(''));

describe('golden batches (kafkajs byte layout)', () => {
  for (const g of GOLDEN) {
    it(`${g.name}: encodes to the golden bytes and decodes back`, () => {
      const bytes = goldenBytes(g);
      const ours = encodeBatch(g.records, g.opts);
      expect(hex(ours)).toBe(hex(bytes));
      expect(validateBatch(bytes)).toBe(bytes.length);
      const d = decodeBatch(bytes, { expectedBaseOffset: (g.opts as { baseOffset?: number }).baseOffset ?? 0 });
      expect(d.records.map(plain)).toEqual(expected(g.records, d.baseOffset));
      expect(d.sizeBytes).toBe(bytes.length);
      const ts = g.records.map((r) => r.timestamp!);
      expect(d.firstTimestamp).toBe(Math.min(...ts));
      expect(d.maxTimestamp).toBe(Math.max(...ts));
      expect(d.lastOffsetDelta).toBe(g.records.length - 1);
    });
  }

  it('decodes the header fields of golden (3)', () => {
    const d = decodeBatch(goldenBytes(GOLDEN[2]!));
    const { records: _r, ...header } = d;
    expect(header).toEqual({
      baseOffset: 1000,
      partitionLeaderEpoch: 3,
      attributes: 0,
      lastOffsetDelta: 9,
      firstTimestamp: T0,
      maxTimestamp: T0 + 70000,
      producerId: 12345,
      producerEpoch: 2,
      baseSequence: 100,
      sizeBytes: 241,
    } satisfies Omit<DecodedBatch, 'records'>);
  });
});

// ---- arbitraries ----

const arbHeader = fc.record({
  key: fc.string({ unit: 'binary', maxLength: 10 }),
  value: fc.uint8Array({ maxLength: 12 }),
});
const arbTimestamp = fc.oneof(
  fc.integer({ min: 1_600_000_000_000, max: 1_800_000_000_000 }),
  fc.integer({ min: -300, max: 300 }),
  fc.integer({ min: -(2 ** 52), max: 2 ** 52 - 1 }),
);
const arbRecord: fc.Arbitrary<RecordInput> = fc.record(
  {
    key: fc.option(fc.uint8Array({ maxLength: 20 }), { nil: null }),
    value: fc.uint8Array({ maxLength: 80 }),
    headers: fc.array(arbHeader, { maxLength: 3 }),
    timestamp: arbTimestamp,
  },
  { requiredKeys: ['value'] },
);
const arbOpts = fc.record({
  baseOffset: fc.oneof(fc.nat(1000), fc.integer({ min: 0, max: Number.MAX_SAFE_INTEGER - 2 ** 31 })),
  partitionLeaderEpoch: fc.integer({ min: -(2 ** 31), max: 2 ** 31 - 1 }),
  timestamp: arbTimestamp,
  producerId: fc.oneof(fc.constant(-1), fc.nat()),
  producerEpoch: fc.integer({ min: -1, max: 32767 }),
  baseSequence: fc.integer({ min: -1, max: 2 ** 31 - 1 }),
});
const arbBatch = fc.tuple(fc.array(arbRecord, { minLength: 1, maxLength: 12 }), arbOpts);

// ---- encode / decode ----

describe('encode ∘ decode = id', () => {
  it('round-trips random records and header fields', () => {
    fc.assert(
      fc.property(arbBatch, ([records, opts]) => {
        const bytes = encodeBatch(records, opts);
        const d = decodeBatch(bytes, { expectedBaseOffset: opts.baseOffset });
        expect(d.records.map(plain)).toEqual(expected(records, opts.baseOffset, opts.timestamp));
        const ts = records.map((r) => r.timestamp ?? opts.timestamp);
        expect(d.firstTimestamp).toBe(Math.min(...ts));
        expect(d.maxTimestamp).toBe(Math.max(...ts));
        expect([d.partitionLeaderEpoch, d.producerId, d.producerEpoch, d.baseSequence]).toEqual([
          opts.partitionLeaderEpoch,
          opts.producerId,
          opts.producerEpoch,
          opts.baseSequence,
        ]);
        expect(d.sizeBytes).toBe(bytes.length);
        const copied = decodeBatch(bytes, { copy: true });
        expect(copied.records.map(plain)).toEqual(d.records.map(plain));
        expect([...iterateRecords(bytes)].map(plain)).toEqual(d.records.map(plain));
      }),
    );
  });

  it('BatchBuilder: incremental adds equal encodeBatch, sizeBytes is exact, the builder is reusable', () => {
    const builder = new BatchBuilder({ initialBytes: 8 });
    fc.assert(
      fc.property(arbBatch, ([records, opts]) => {
        for (const r of records) {
          builder.add(r.key ?? null, r.value, r.timestamp ?? opts.timestamp, r.headers);
        }
        expect(builder.count).toBe(records.length);
        const size = builder.sizeBytes;
        const bytes = builder.finish(opts);
        expect(bytes.length).toBe(size);
        expect(builder.count).toBe(0);
        expect(hex(bytes)).toBe(hex(encodeBatch(records, opts)));
      }),
    );
  });

  it('defaults: baseOffset 0, epoch 0, producer fields -1, missing timestamps = opts.timestamp or 0', () => {
    const d = decodeBatch(encodeBatch([{ value: utf8('x') }, { value: utf8('y'), timestamp: 5 }]));
    expect([d.baseOffset, d.partitionLeaderEpoch, d.producerId, d.producerEpoch, d.baseSequence]).toEqual([0, 0, -1, -1, -1]);
    expect(d.records.map((r) => r.timestamp)).toEqual([0, 5]);
    const e = decodeBatch(encodeBatch([{ value: utf8('x') }], { timestamp: 77 }));
    expect(e.records[0]!.timestamp).toBe(77);
  });

  it('copy: false gives views of the input, copy: true gives fresh arrays', () => {
    const bytes = encodeBatch([{ key: utf8('k'), value: utf8('v'), headers: [{ key: 'h', value: utf8('x') }] }]);
    const view = decodeBatch(bytes).records[0]!;
    expect(view.value.buffer).toBe(bytes.buffer);
    expect(view.key!.buffer).toBe(bytes.buffer);
    expect(view.headers[0]!.value.buffer).toBe(bytes.buffer);
    const copy = decodeBatch(bytes, { copy: true }).records[0]!;
    expect(copy.value.buffer).not.toBe(bytes.buffer);
    expect(copy.key!.buffer).not.toBe(bytes.buffer);
    expect(copy.headers[0]!.value.buffer).not.toBe(bytes.buffer);
    expect(hex(copy.value)).toBe(hex(view.value));
  });

  it('decodes from a SharedArrayBuffer at an offset', () => {
    const bytes = encodeBatch([{ key: utf8('k'), value: utf8('hello'), headers: [{ key: 'é', value: utf8('x') }] }], { baseOffset: 9 });
    const sab = new Uint8Array(new SharedArrayBuffer(bytes.length + 16), 8, bytes.length);
    sab.set(bytes);
    expect(decodeBatch(sab).records.map(plain)).toEqual(decodeBatch(bytes).records.map(plain));
  });

  it('header keys are UTF-8; lone surrogates become U+FFFD (as Buffer/TextEncoder do)', () => {
    const keys = ['plain', 'é', '日本語', '😀', '\ud800', 'a\udc00b', ''];
    const bytes = encodeBatch([{ value: utf8('v'), headers: keys.map((key) => ({ key, value: utf8(key) })) }]);
    const headers = decodeBatch(bytes).records[0]!.headers;
    expect(headers.map((h) => h.key)).toEqual(['plain', 'é', '日本語', '😀', '\ufffd', 'a\ufffdb', '']);
    expect(headers.map((h) => hex(h.value))).toEqual(keys.map((k) => hex(utf8(k))));
  });

  it('out-of-order timestamps: firstTimestamp is the minimum, deltas rebased (large span too)', () => {
    const ts = [T0, T0 - 10, T0 + 5, T0 - 2 ** 40, -(2 ** 52), 2 ** 52 - 1];
    const records = ts.map((timestamp, i) => ({ value: utf8(`v${i}`), timestamp }));
    const d = decodeBatch(encodeBatch(records));
    expect(d.records.map((r) => r.timestamp)).toEqual(ts);
    expect(d.firstTimestamp).toBe(-(2 ** 52));
    expect(d.maxTimestamp).toBe(2 ** 52 - 1);
  });

  it('many records and large values', () => {
    const records = Array.from({ length: 5000 }, (_, i) => ({
      key: i % 2 ? utf8(`key-${i}`) : null,
      value: new Uint8Array(i % 300).fill(i & 0xff),
      timestamp: T0 + (i % 97),
    }));
    records.push({ key: null, value: new Uint8Array(300_000).fill(7), timestamp: T0 });
    const bytes = encodeBatch(records, { baseOffset: 123 });
    expect(decodeBatch(bytes).records.map(plain)).toEqual(expected(records, 123));
  });

  it('decodeBatches splits concatenated batches; decodeBatch ignores bytes after its batch', () => {
    const a = encodeBatch([{ value: utf8('a') }], { baseOffset: 0 });
    const b = encodeBatch([{ value: utf8('b') }, { value: utf8('c') }], { baseOffset: 1 });
    const both = new Uint8Array(a.length + b.length);
    both.set(a);
    both.set(b, a.length);
    const batches = decodeBatches(both);
    expect(batches.map((x) => [x.baseOffset, x.records.map((r) => r.offset)])).toEqual([
      [0, [0]],
      [1, [1, 2]],
    ]);
    expect(decodeBatch(both).sizeBytes).toBe(a.length);
    expect(decodeBatches(new Uint8Array(0))).toEqual([]);
    expect(() => decodeBatches(both.subarray(0, both.length - 1))).toThrow(CorruptBatchError);
  });
});

describe('BatchBuilder limits', () => {
  it('throws RecordTooLargeError beyond maxBatchBytes and leaves the builder unchanged', () => {
    const builder = new BatchBuilder({ maxBatchBytes: 200 });
    builder.add(null, new Uint8Array(50), T0);
    builder.add(null, new Uint8Array(50), T0 + 1);
    const size = builder.sizeBytes;
    expect(() => builder.add(null, new Uint8Array(80), T0 - 5)).toThrow(RecordTooLargeError);
    expect(() => builder.add(null, new Uint8Array(300), T0)).toThrow(RecordTooLargeError);
    expect(builder.count).toBe(2);
    expect(builder.sizeBytes).toBe(size);
    builder.add(null, new Uint8Array(10), T0 + 2);
    const d = decodeBatch(builder.finish());
    expect(d.records.map((r) => [r.offset, r.timestamp, r.value.length])).toEqual([
      [0, T0, 50],
      [1, T0 + 1, 50],
      [2, T0 + 2, 10],
    ]);
    expect(d.firstTimestamp).toBe(T0);
    expect(() => new BatchBuilder({ maxBatchBytes: 100 }).add(null, new Uint8Array(100), 0)).toThrow(RecordTooLargeError);
  });

  it('reset() drops records; finish() on an empty builder and bad inputs are assertion failures', () => {
    const builder = new BatchBuilder();
    builder.add(null, utf8('x'), 1);
    builder.reset();
    expect(builder.count).toBe(0);
    expect(builder.sizeBytes).toBe(BatchLayout.headerBytes);
    expect(() => builder.finish()).toThrow(/assertion/);
    expect(() => builder.add(null, utf8('x'), 1.5)).toThrow(/assertion/);
    builder.add(null, utf8('x'), 2 ** 52);
    expect(() => builder.add(null, utf8('x'), -(2 ** 52))).toThrow(/assertion/); // span > 2^53 - 1
    expect(() => builder.finish({ baseOffset: -1 })).toThrow(/assertion/);
    expect(() => new BatchBuilder({ maxBatchBytes: 2 ** 30 })).toThrow(/assertion/);
  });
});

// ---- corruption ----

const arbSmallBatch = fc.tuple(fc.array(arbRecord, { minLength: 1, maxLength: 5 }), arbOpts);

function expectCorrupt(fn: () => unknown): void {
  let err: unknown;
  try {
    fn();
  } catch (e) {
    err = e;
  }
  expect(err, 'expected a CorruptBatchError').toBeInstanceOf(CorruptBatchError);
}

/** Decode must either succeed or throw CorruptBatchError, nothing else. */
function decodeOrCorrupt(bytes: Uint8Array): DecodedBatch | undefined {
  try {
    const d = decodeBatch(bytes);
    expect([...iterateRecords(bytes)].length).toBe(d.records.length);
    return d;
  } catch (e) {
    expect(e).toBeInstanceOf(CorruptBatchError);
    return undefined;
  }
}

describe('corruption', () => {
  it('any single flipped byte → CorruptBatchError, except partitionLeaderEpoch (12..15): same records', () => {
    fc.assert(
      fc.property(arbSmallBatch, fc.nat(), fc.integer({ min: 1, max: 255 }), ([records, opts], at, mask) => {
        const bytes = encodeBatch(records, opts);
        const good = decodeBatch(bytes).records.map(plain);
        const i = at % bytes.length;
        const bad = bytes.slice();
        bad[i]! ^= mask;
        const decode = (): DecodedBatch => decodeBatch(bad, { expectedBaseOffset: opts.baseOffset });
        if (i >= 12 && i < 16) {
          const d = decode();
          expect(d.records.map(plain)).toEqual(good);
          expect(d.partitionLeaderEpoch).not.toBe(opts.partitionLeaderEpoch);
        } else {
          expectCorrupt(decode);
        }
      }),
      { numRuns: 1000 },
    );
  });

  it('every byte of a golden batch, flipped, is caught', () => {
    const bytes = goldenBytes(GOLDEN[1]!);
    for (let i = 0; i < bytes.length; i++) {
      if (i >= 12 && i < 16) continue;
      const bad = bytes.slice();
      bad[i]! ^= 0x01 << i % 8;
      expectCorrupt(() => decodeBatch(bad, { expectedBaseOffset: 42 }));
      if (i >= 8) expectCorrupt(() => iterateRecords(bad)); // baseOffset is not under the CRC
    }
  });

  it('truncating a batch at any point → CorruptBatchError', () => {
    fc.assert(
      fc.property(arbSmallBatch, ([records, opts]) => {
        const bytes = encodeBatch(records, opts);
        for (let cut = 0; cut < bytes.length; cut++) {
          expectCorrupt(() => decodeBatch(bytes.subarray(0, cut)));
          expectCorrupt(() => iterateRecords(bytes.subarray(0, cut)));
        }
      }),
      { numRuns: 40 },
    );
  });

  it('a batchLength that lies (bigger or smaller) → CorruptBatchError, even with bytes to spare', () => {
    fc.assert(
      fc.property(
        arbSmallBatch,
        fc.oneof(fc.integer({ min: -300, max: 300 }), fc.integer({ min: -(2 ** 31), max: 2 ** 31 - 1 })),
        fc.uint8Array({ minLength: 0, maxLength: 400 }),
        ([records, opts], lie, trailing) => {
          const bytes = encodeBatch(records, opts);
          fc.pre(lie !== 0);
          const buf = new Uint8Array(bytes.length + trailing.length);
          buf.set(bytes);
          buf.set(trailing, bytes.length);
          const v = new DataView(buf.buffer);
          v.setInt32(BatchLayout.batchLength, (bytes.length - 12 + lie) | 0);
          expectCorrupt(() => decodeBatch(buf));
          expectCorrupt(() => iterateRecords(buf));
          expectCorrupt(() => decodeBatches(buf));
        },
      ),
      { numRuns: 500 },
    );
  });

  it('random damage under a recomputed CRC → decodes or CorruptBatchError, never another error', () => {
    const arbEdit = fc.record({ at: fc.nat(), value: fc.nat(255), kind: fc.constantFrom('set', 'insert', 'delete') });
    fc.assert(
      fc.property(arbSmallBatch, fc.array(arbEdit, { minLength: 1, maxLength: 4 }), ([records, opts], edits) => {
        const b = Array.from(encodeBatch(records, opts));
        for (const e of edits) {
          const i = BatchLayout.attributes + (e.at % (b.length - BatchLayout.attributes));
          if (e.kind === 'set') b[i] = e.value;
          else if (e.kind === 'insert') b.splice(i, 0, e.value);
          else if (b.length > BatchLayout.headerBytes) b.splice(i, 1);
        }
        decodeOrCorrupt(seal(new Uint8Array(b)));
      }),
      { numRuns: 1500 },
    );
  });

  it('malformed records under a valid CRC → CorruptBatchError', () => {
    const ok = (ts = 0, off = 0) => rawRecord([0, { long: ts }, off, -1, 1, utf8('v'), 0]);
    expect(decodeBatch(withRecords(ok(), 1)).records[0]!.value).toEqual(utf8('v')); // the helper works
    const cases: Array<[string, Uint8Array, number, number?]> = [
      ['count too high', ok(), 2],
      ['count too low', concat(ok(), ok(0, 1)), 1],
      ['count negative', ok(), -1],
      ['huge count', ok(), 2 ** 31 - 1],
      ['key length < -1', rawRecord([0, 0, 0, -2, 1, utf8('v'), 0]), 1],
      ['key past record end', rawRecord([0, 0, 0, 9, 1, utf8('v'), 0]), 1],
      ['value length < -1', rawRecord([0, 0, 0, -1, -5, 0]), 1],
      ['value past record end', rawRecord([0, 0, 0, -1, 100, utf8('v'), 0]), 1],
      ['negative header count', rawRecord([0, 0, 0, -1, 0, -1]), 1],
      ['header count too big', rawRecord([0, 0, 0, -1, 0, 1000]), 1],
      ['null header key', rawRecord([0, 0, 0, -1, 0, 1, -1, 0]), 1],
      ['header value < -1', rawRecord([0, 0, 0, -1, 0, 1, 1, utf8('k'), -3]), 1],
      ['trailing bytes in record', rawRecord([0, 0, 0, -1, 0, 0, utf8('zz')]), 1],
      ['fields past record length', concat(unhex('0c 00 00 00 01 00'), unhex('02 41 00')), 1],
      ['record length below minimum', unhex('0400000001'), 1],
      ['trailing bytes after records', concat(ok(), unhex('00')), 1],
      ['offsetDelta repeats', concat(ok(0, 0), ok(0, 0)), 2],
      ['offsetDelta decreases', concat(ok(0, 1), ok(0, 0)), 2, 1],
      ['offsetDelta beyond lastOffsetDelta', ok(0, 3), 1, 2],
      ['negative offsetDelta', ok(0, -1), 1],
      ['timestamp beyond 2^53', ok(2 ** 53), 1],
      ['overlong varint', concat(unhex('ffffffffff01'), ok()), 1],
    ];
    for (const [name, recs, count, last] of cases) {
      const b = withRecords(recs, count, last ?? Math.max(count - 1, 0));
      expect(() => decodeBatch(b), name).toThrow(CorruptBatchError);
      expect(() => [...iterateRecords(b)], name).toThrow(CorruptBatchError);
    }
  });

  it('compression bits set → CorruptBatchError "compression … not supported"', () => {
    for (const codec of [1, 2, 3, 4]) {
      const b = encodeBatch([{ value: utf8('x') }]);
      b[BatchLayout.attributes + 1]! |= codec;
      seal(b);
      expect(() => decodeBatch(b)).toThrow(/compression codec \d not supported/);
      expect(() => iterateRecords(b)).toThrow(CorruptBatchError);
    }
  });

  it('expectedBaseOffset mismatch → CorruptBatchError; header i64 beyond 2^53 → CorruptBatchError', () => {
    const b = encodeBatch([{ value: utf8('x') }], { baseOffset: 5 });
    expect(decodeBatch(b, { expectedBaseOffset: 5 }).records[0]!.offset).toBe(5);
    expect(() => decodeBatch(b, { expectedBaseOffset: 6 })).toThrow(CorruptBatchError);
    const huge = b.slice();
    huge[0] = 0x7f; // baseOffset ~ 2^62
    expect(() => decodeBatch(huge)).toThrow(CorruptBatchError);
    const ts = b.slice();
    ts[BatchLayout.firstTimestamp] = 0x01; // ~2^56, under CRC
    expect(() => decodeBatch(seal(ts))).toThrow(CorruptBatchError);
  });

  it('a null value on the wire decodes to an empty value; a null key stays null', () => {
    const b = withRecords(rawRecord([0, 0, 0, -1, -1, 1, 1, utf8('h'), -1]), 1);
    const r = decodeBatch(b).records[0]!;
    expect(r.key).toBeNull();
    expect(r.value).toBeInstanceOf(Uint8Array);
    expect(r.value.length).toBe(0);
    expect(r.headers).toEqual([{ key: 'h', value: new Uint8Array(0) }]);
  });
});

function concat(...parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let p = 0;
  for (const part of parts) (out.set(part, p), (p += part.length));
  return out;
}
