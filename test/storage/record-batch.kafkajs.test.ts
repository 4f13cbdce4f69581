/**
 * kafkajs as the oracle for the RecordBatch v2 byte format (compression none):
 * - the golden batches of record-batch.test.ts are exactly what kafkajs's encoder writes;
 * - for random records our encoder's bytes equal kafkajs's bytes;
 * - batches we encode decode with kafkajs's decoder to the same records, and batches kafkajs
 *   encodes (tombstones included) decode with ours to the same records.
 * kafkajs is CommonJS: its internals are loaded with createRequire.
 */
import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { decodeBatch, encodeBatch, type Record, type RecordInput } from '../../src/storage/record-batch.js';

fc.configureGlobal({ seed: 0x4a4a5, numRuns: 150 });

const require = createRequire(import.meta.url);

// ---- kafkajs internals (minimal typings) ----
interface KEncoder {
  buffer: Buffer;
}
type KHeaders = { [key: string]: Buffer | Buffer[] };
interface KRecordArgs {
  offsetDelta: number;
  timestampDelta: number;
  key: Buffer | null;
  value: Buffer | null;
  headers: KHeaders;
}
interface KDecodedRecord {
  offset: string;
  timestamp: string;
  key: Buffer | null;
  value: Buffer | null;
  headers: { [key: string]: Buffer | null | Array<Buffer | null> };
}
interface KDecodedBatch {
  firstOffset: string;
  firstTimestamp: string;
  maxTimestamp: string;
  partitionLeaderEpoch: number;
  lastOffsetDelta: number;
  producerId: string;
  producerEpoch: number;
  firstSequence: number;
  records: KDecodedRecord[];
}
const { RecordBatch } = require('kafkajs/src/protocol/recordBatch/v0/index.js') as {
  RecordBatch: (args: object) => Promise<KEncoder>;
};
const KRecord = require('kafkajs/src/protocol/recordBatch/record/v0/index.js') as (args: KRecordArgs) => KEncoder;
const KDecoder = require('kafkajs/src/protocol/decoder.js') as new (buf: Buffer) => object;
const kDecodeBatch = require('kafkajs/src/protocol/recordBatch/v0/decoder.js') as (d: object) => Promise<KDecodedBatch>;
const Long = require('kafkajs/src/utils/long.js') as { fromValue: (v: number) => object };

interface KInput {
  key: Uint8Array | null;
  value: Uint8Array | null; // null = tombstone
  headers: KHeaders;
  timestamp: number;
}
interface Opts {
  baseOffset: number;
  partitionLeaderEpoch: number;
  producerId: number;
  producerEpoch: number;
  baseSequence: number;
}
const DEFAULT_OPTS: Opts = { baseOffset: 0, partitionLeaderEpoch: 0, producerId: -1, producerEpoch: -1, baseSequence: -1 };

const buf = (b: Uint8Array): Buffer => Buffer.from(b.buffer, b.byteOffset, b.byteLength);
const hex = (b: Uint8Array): string => buf(b).toString('hex');
const utf8 = (s: string): Uint8Array => new TextEncoder().encode(s);

/** kafkajs encodes a batch as its producer does: firstTimestamp = min, deltas from it, offsetDelta = index. */
async function kafkajsEncode(records: KInput[], opts: Opts = DEFAULT_OPTS): Promise<Uint8Array> {
  const ts = records.map((r) => r.timestamp);
  const first = Math.min(...ts);
  const encoded = records.map((r, i) =>
    KRecord({
      offsetDelta: i,
      timestampDelta: r.timestamp - first,
      key: r.key === null ? null : buf(r.key),
      value: r.value === null ? null : buf(r.value),
      headers: r.headers,
    }),
  );
  const batch = await RecordBatch({
    compression: 0,
    firstOffset: Long.fromValue(opts.baseOffset),
    firstTimestamp: first,
    maxTimestamp: Math.max(...ts),
    partitionLeaderEpoch: opts.partitionLeaderEpoch,
    lastOffsetDelta: records.length - 1,
    producerId: Long.fromValue(opts.producerId),
    producerEpoch: opts.producerEpoch,
    firstSequence: opts.baseSequence,
    records: encoded,
  });
  return new Uint8Array(batch.buffer);
}

async function kafkajsDecode(bytes: Uint8Array): Promise<KDecodedBatch> {
  return kDecodeBatch(new KDecoder(Buffer.from(bytes)));
}

/** kafkajs headers are an object: a key seen several times collects its values in an array. */
function toKHeaders(headers: RecordInput['headers']): KHeaders {
  const out: KHeaders = {};
  for (const h of headers ?? []) {
    const v = buf(h.value);
    const prev = out[h.key];
    out[h.key] = prev === undefined ? v : Array.isArray(prev) ? [...prev, v] : [prev, v];
  }
  return out;
}
/** The order kafkajs writes an object's headers in (Object.keys order, arrays expanded). */
function fromKHeaders(h: KHeaders): Array<[string, string]> {
  return Object.keys(h).flatMap((k) => {
    const v = h[k]!;
    return (Array.isArray(v) ? v : [v]).map((x): [string, string] => [k, hex(x)]);
  });
}

const plain = (r: Record) => ({
  offset: String(r.offset),
  timestamp: String(r.timestamp),
  key: r.key === null ? null : hex(r.key),
  value: hex(r.value),
  headers: r.headers.map((h): [string, string] => [h.key, hex(h.value)]),
});
const plainK = (r: KDecodedRecord) => ({
  offset: r.offset,
  timestamp: r.timestamp,
  key: r.key === null ? null : hex(r.key),
  value: r.value === null ? '' : hex(r.value), // our decoder maps a null value to an empty one
  headers: fromKHeaders(
    Object.fromEntries(
      Object.entries(r.headers).map(([k, v]) => [
        k,
        Array.isArray(v) ? v.map((x) => x ?? Buffer.alloc(0)) : (v ?? Buffer.alloc(0)),
      ]),
    ),
  ),
});

// Header keys: kafkajs folds headers into a plain object, so keys must not be Object.prototype
// names; the 'h-' prefix keeps them ordinary (and non-numeric, so Object.keys keeps their order).
const arbHeaderKey = fc.string({ unit: 'grapheme', maxLength: 8 }).map((s) => `h-${s}`);
const arbTimestamp = fc.oneof(
  fc.integer({ min: 1_600_000_000_000, max: 1_800_000_000_000 }),
  fc.integer({ min: 0, max: 2 ** 52 }),
);
const arbRecord = fc.record({
  key: fc.option(fc.uint8Array({ maxLength: 20 }), { nil: null }),
  value: fc.uint8Array({ maxLength: 100 }),
  headers: fc.array(fc.record({ key: arbHeaderKey, value: fc.uint8Array({ maxLength: 10 }) }), { maxLength: 3 }),
  timestamp: arbTimestamp,
});
const arbOpts: fc.Arbitrary<Opts> = fc.record({
  baseOffset: fc.oneof(fc.nat(10_000), fc.integer({ min: 0, max: 2 ** 52 })),
  partitionLeaderEpoch: fc.integer({ min: -1, max: 2 ** 31 - 1 }),
  producerId: fc.oneof(fc.constant(-1), fc.nat()),
  producerEpoch: fc.integer({ min: -1, max: 32767 }),
  baseSequence: fc.integer({ min: -1, max: 2 ** 31 - 1 }),
});
const arbBatch = fc.tuple(fc.array(arbRecord, { minLength: 1, maxLength: 10 }), arbOpts);

/** Records whose headers survive kafkajs's object form unchanged in order: group equal keys. */
function kafkajsOrder(records: RecordInput[]): RecordInput[] {
  return records.map((r) => ({
    ...r,
    headers: fromKHeaders(toKHeaders(r.headers)).map(([key, v]) => ({ key, value: new Uint8Array(Buffer.from(v, 'hex')) })),
  }));
}

// The same inputs as the golden batches in record-batch.test.ts, and the hex kafkajs writes.
const T0 = 1_700_000_000_000;
const GOLDEN: Array<{ records: KInput[]; opts: Opts; hex: string }> = [
  {
    records: [{ key: null, value: utf8('hello'), headers: {}, timestamp: T0 }],
    opts: DEFAULT_OPTS,
    hex:
      '00000000000000000000003d0000000002e641a44b0000000000000000018bcfe568000000018bcfe56800' +
      'ffffffffffffffffffffffffffff00000001160000000' +
      '10a68656c6c6f00',
  },
  {
    records: [
      {
        key: utf8('key-1'),
        value: utf8('payload'),
        headers: { 'trace-id': Buffer.from('abc'), 'content-type': Buffer.from('json') },
        timestamp: T0 + 123,
      },
    ],
    opts: { ...DEFAULT_OPTS, baseOffset: 42, partitionLeaderEpoch: 7 },
    hex:
      '000000000000002a00000063000000070' +
      '23a1221b70000000000000000018bcfe5687b0000018bcfe5687bffffffffffffffffffffffffffff00000001' +
      '620000000a6b65792d310e7061796c6f6164041074726163652d69640661626318636f6e74656e742d74797065086a736f6e',
  },
  {
    records: [5, 0, 17, 3, 300, 300, 1, 70000, 2, 9].map((d, i) => ({
      key: i % 3 === 0 ? null : utf8(`k${i}`),
      value: utf8(['a', '', 'ccc', 'dddd', 'e'.repeat(70), 'f', '', 'gg', 'h', 'iiiiiiiiii'][i]!),
      headers: {},
      timestamp: T0 + d,
    })),
    opts: { baseOffset: 1000, partitionLeaderEpoch: 3, producerId: 12345, producerEpoch: 2, baseSequence: 100 },
    hex:
      '00000000000003e8000000e500000003024ba4289a0000000000090000018bcfe568000000018bcfe67970' +
      '00000000000030390002000000640000000a' +
      '0e000a000102610010000002046b31000016002204046b3206636363001400060601086464646400' +
      'a00100d80408046b348c01' +
      '65'.repeat(70) +
      '001400d8040a046b350266000c00020c0100001800e0c5080e046b370467670012000410046b380268' +
      '002000121201146969696969696969696900',
  },
];

const toInput = (r: KInput): RecordInput => ({
  key: r.key,
  value: r.value ?? new Uint8Array(0),
  timestamp: r.timestamp,
  headers: fromKHeaders(r.headers).map(([key, v]) => ({ key, value: new Uint8Array(Buffer.from(v, 'hex')) })),
});

describe('kafkajs is the oracle for the byte format', () => {
  it('golden batches: kafkajs writes exactly the golden bytes, and so do we', async () => {
    for (const g of GOLDEN) {
      expect(hex(await kafkajsEncode(g.records, g.opts))).toBe(g.hex);
      expect(hex(encodeBatch(g.records.map(toInput), g.opts))).toBe(g.hex);
    }
  });

  it('our bytes equal kafkajs bytes for random records (unordered timestamps, headers, null keys)', async () => {
    await fc.assert(
      fc.asyncProperty(arbBatch, async ([records, opts]) => {
        const inputs = kafkajsOrder(records);
        const theirs = await kafkajsEncode(
          inputs.map((r) => ({ key: r.key ?? null, value: r.value, headers: toKHeaders(r.headers), timestamp: r.timestamp! })),
          opts,
        );
        expect(hex(encodeBatch(inputs, opts))).toBe(hex(theirs));
      }),
    );
  });
});

describe('round trips with kafkajs', () => {
  it('batches we encode decode with kafkajs to the same records', async () => {
    await fc.assert(
      fc.asyncProperty(arbBatch, async ([records, opts]) => {
        const bytes = encodeBatch(records, opts);
        const k = await kafkajsDecode(bytes);
        const ours = decodeBatch(bytes, { expectedBaseOffset: opts.baseOffset });
        expect(k.records.map(plainK)).toEqual(
          ours.records.map(plain).map((r, i) => ({ ...r, headers: fromKHeaders(toKHeaders(records[i]!.headers)) })),
        );
        expect(k.firstOffset).toBe(String(opts.baseOffset));
        expect([k.partitionLeaderEpoch, k.producerId, k.producerEpoch, k.firstSequence, k.lastOffsetDelta]).toEqual([
          opts.partitionLeaderEpoch,
          String(opts.producerId),
          opts.producerEpoch,
          opts.baseSequence,
          records.length - 1,
        ]);
        expect([k.firstTimestamp, k.maxTimestamp]).toEqual([String(ours.firstTimestamp), String(ours.maxTimestamp)]);
      }),
    );
  });

  it('batches kafkajs encodes decode with ours to the same records (tombstones → empty values)', async () => {
    const arbK = fc.record({
      key: fc.option(fc.uint8Array({ maxLength: 20 }), { nil: null }),
      value: fc.option(fc.uint8Array({ maxLength: 100 }), { nil: null, freq: 4 }),
      headers: fc.dictionary(arbHeaderKey, fc.uint8Array({ maxLength: 10 }).map(buf), { maxKeys: 3 }),
      timestamp: arbTimestamp,
    });
    await fc.assert(
      fc.asyncProperty(fc.array(arbK, { minLength: 1, maxLength: 10 }), arbOpts, async (records, opts) => {
        const bytes = await kafkajsEncode(records, opts);
        const ours = decodeBatch(bytes, { expectedBaseOffset: opts.baseOffset });
        const k = await kafkajsDecode(bytes);
        expect(ours.records.map(plain)).toEqual(k.records.map(plainK));
        expect(ours.records.map(plain)).toEqual(
          records.map((r, i) => ({
            offset: String(opts.baseOffset + i),
            timestamp: String(r.timestamp),
            key: r.key === null ? null : hex(r.key),
            value: r.value === null ? '' : hex(r.value),
            headers: fromKHeaders(r.headers),
          })),
        );
      }),
    );
  });

  it('fixed cases: tombstone, empty key vs null key, repeated header keys, unicode, big batch', async () => {
    const records: KInput[] = [
      { key: utf8('k'), value: null, headers: {}, timestamp: T0 },
      { key: new Uint8Array(0), value: new Uint8Array(0), headers: {}, timestamp: T0 + 1 },
      { key: null, value: utf8('v'), headers: { 'h-a': [Buffer.from('1'), Buffer.from('2')], 'h-é😀': Buffer.from('x') }, timestamp: T0 - 1 },
    ];
    const ours = decodeBatch(await kafkajsEncode(records));
    expect(ours.records.map((r) => [r.key === null ? null : hex(r.key), hex(r.value), r.headers.map((h) => h.key)])).toEqual([
      ['6b', '', []],
      ['', '', []],
      [null, '76', ['h-a', 'h-a', 'h-é😀']],
    ]);
    expect(ours.records[0]!.value).toBeInstanceOf(Uint8Array);

    const many: RecordInput[] = Array.from({ length: 2000 }, (_, i) => ({
      key: i % 5 ? utf8(`key-${i}`) : null,
      value: new Uint8Array(i % 1200).fill(i & 0xff),
      timestamp: T0 + ((i * 7919) % 5000),
      headers: i % 7 ? [] : [{ key: `h-${i}`, value: utf8(String(i)) }],
    }));
    const bytes = encodeBatch(many, { baseOffset: 77 });
    const k = await kafkajsDecode(bytes);
    expect(k.records.map(plainK)).toEqual(decodeBatch(bytes).records.map(plain));
    expect(
      hex(
        await kafkajsEncode(
          many.map((r) => ({ key: r.key ?? null, value: r.value, headers: toKHeaders(r.headers), timestamp: r.timestamp! })),
          { ...DEFAULT_OPTS, baseOffset: 77 },
        ),
      ),
    ).toBe(hex(bytes));
  });
});
