/**
 * Lazy batches (src/storage/batch-view.ts, and ConsumedBatch's accessors over it): for random
 * batches, every accessor equals the eager decode (decodeBatch) of the same record; for damaged
 * batches (random edits under a recomputed CRC) the lazy view and the eager decode agree — both
 * give the same records, or both throw CorruptBatchError (the view at its first record access).
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { BatchLayout } from '../../src/storage/batch-header.js';
import { crc32c } from '../../src/storage/crc32c.js';
import { CorruptBatchError } from '../../src/runtime/errors.js';
import { type Record, type RecordInput, decodeBatch, encodeBatch } from '../../src/storage/record-batch.js';
import { BatchIndexScratch, RecordBatchView } from '../../src/storage/batch-view.js';
import { ConsumedBatch } from '../../src/cluster/consumer.js';

fc.configureGlobal({ seed: 0x1a2b, numRuns: 300 });

const hex = (b: Uint8Array): string => Buffer.from(b.buffer, b.byteOffset, b.byteLength).toString('hex');
const plain = (r: Record) => ({ offset: r.offset, timestamp: r.timestamp, key: r.key === null ? null : hex(r.key), value: hex(r.value), headers: r.headers.map((h) => [h.key, hex(h.value)]) });

const arbRecord: fc.Arbitrary<RecordInput> = fc.record(
  {
    key: fc.option(fc.uint8Array({ maxLength: 20 }), { nil: null }),
    // Up to 9,000 bytes: one-, two- and three-byte length varints.
    value: fc.oneof(fc.uint8Array({ maxLength: 80 }), fc.uint8Array({ minLength: 8000, maxLength: 9000 })),
    headers: fc.array(fc.record({ key: fc.string({ maxLength: 8 }), value: fc.uint8Array({ maxLength: 10 }) }), { maxLength: 3 }),
    timestamp: fc.oneof(fc.integer({ min: 1_600_000_000_000, max: 1_800_000_000_000 }), fc.integer({ min: -(2 ** 40), max: 2 ** 40 })),
  },
  { requiredKeys: ['value'] },
);
const arbBatch = fc.tuple(
  fc.array(arbRecord, { minLength: 1, maxLength: 30 }),
  fc.oneof(fc.nat(1000), fc.integer({ min: 0, max: Number.MAX_SAFE_INTEGER - 2 ** 31 })),
  fc.integer({ min: 1_600_000_000_000, max: 1_800_000_000_000 }),
);

/** Every accessor of the view (and of a ConsumedBatch from `from`) against the eager records. */
function expectSame(bytes: Uint8Array, eager: Record[], from: number): void {
  const view = RecordBatchView.of(bytes, { verifyCrc: false });
  expect(view.count).toBe(eager.length);
  for (let i = 0; i < view.count; i++) {
    const r = eager[i]!;
    expect(view.offsetAt(i)).toBe(r.offset);
    expect(view.timestampAt(i)).toBe(r.timestamp);
    expect(view.keyAt(i) === null ? null : hex(view.keyAt(i)!)).toBe(r.key === null ? null : hex(r.key));
    expect(view.keySizeAt(i)).toBe(r.key === null ? -1 : r.key.length);
    expect(hex(view.valueAt(i))).toBe(hex(r.value));
    expect(view.valueSizeAt(i)).toBe(r.value.length);
    expect(view.headerCountAt(i)).toBe(r.headers.length);
    expect(plain(view.recordAt(i))).toEqual(plain(r));
  }
  const wanted = eager.filter((r) => r.offset >= from);
  const cb = new ConsumedBatch(0, bytes, from);
  expect(cb.count).toBe(wanted.length);
  for (let i = 0; i < wanted.length; i++) {
    expect(cb.offsetAt(i)).toBe(wanted[i]!.offset);
    expect(cb.timestampAt(i)).toBe(wanted[i]!.timestamp);
    expect(hex(cb.valueAt(i))).toBe(hex(wanted[i]!.value));
    expect(cb.valueSizeAt(i)).toBe(wanted[i]!.value.length);
    expect(cb.keyAt(i) === null ? null : hex(cb.keyAt(i)!)).toBe(wanted[i]!.key === null ? null : hex(wanted[i]!.key!));
    expect(cb.headersAt(i).map((h) => [h.key, hex(h.value)])).toEqual(wanted[i]!.headers.map((h) => [h.key, hex(h.value)]));
    expect(plain(cb.recordAt(i))).toEqual(plain(wanted[i]!));
  }
  expect(cb.records.map(plain)).toEqual(wanted.map(plain));
  if (wanted.length > 0) expect(cb.firstOffset).toBe(wanted[0]!.offset);
  expect(() => cb.valueAt(wanted.length)).toThrow(RangeError);
  expect(() => cb.valueAt(-1)).toThrow(RangeError);
}

describe('lazy batches equal the eager decode', () => {
  it('every accessor, for random batches and start offsets inside them', () => {
    fc.assert(
      fc.property(arbBatch, fc.nat(40), ([records, baseOffset, timestamp], skip) => {
        const bytes = encodeBatch(records, { baseOffset, timestamp });
        const eager = decodeBatch(bytes).records;
        expectSame(bytes, eager, baseOffset + skip);
      }),
    );
  });

  it('views sharing one index scratch, read interleaved, equal the eager decode (and a corrupt one leaves the scratch usable)', () => {
    fc.assert(
      fc.property(arbBatch, arbBatch, fc.nat(1000), ([ra, baseA, tsA], [rb, baseB, tsB], seed) => {
        const a = encodeBatch(ra, { baseOffset: baseA, timestamp: tsA });
        const b = encodeBatch(rb, { baseOffset: baseB, timestamp: tsB });
        const eager = [decodeBatch(a).records, decodeBatch(b).records];
        const scratch = new BatchIndexScratch();
        const views = [RecordBatchView.of(a, { verifyCrc: false, scratch }), RecordBatchView.of(b, { verifyCrc: false, scratch })];
        for (let step = 0; step < 60; step++) {
          const v = (seed + step * 7) % 2; // alternate, irregularly
          const i = (seed + step * 13) % views[v]!.count;
          const r = eager[v]![i]!;
          expect(views[v]!.offsetAt(i)).toBe(r.offset);
          expect(views[v]!.firstTimestamp + views[v]!.timestampDeltaAt(i)).toBe(r.timestamp);
          expect(hex(views[v]!.valueAt(i))).toBe(hex(r.value));
          expect(plain(views[v]!.recordAt(i))).toEqual(plain(r));
        }
        // A view of damaged bytes throws while building into the scratch; the others still read right.
        const bad = a.slice();
        bad[BatchLayout.headerBytes] = 0x7f; // first record's length varint: far past the batch end
        expect(() => RecordBatchView.of(bad, { verifyCrc: false, scratch }).offsetAt(0)).toThrow(CorruptBatchError);
        expect(scratch.owner).toBe(null);
        expect(views[0]!.offsetAt(0)).toBe(eager[0]![0]!.offset);
        expect(views[1]!.offsetAt(views[1]!.count - 1)).toBe(eager[1]![eager[1]!.length - 1]!.offset);
      }),
      { numRuns: 150 },
    );
  });

  it('a batch followed by other bytes: the view stops at the batch end', () => {
    fc.assert(
      fc.property(arbBatch, fc.uint8Array({ maxLength: 50 }), ([records, baseOffset, timestamp], trailing) => {
        const enc = encodeBatch(records, { baseOffset, timestamp });
        const bytes = new Uint8Array(enc.length + trailing.length);
        bytes.set(enc);
        bytes.set(trailing, enc.length);
        const eager = decodeBatch(bytes).records;
        expectSame(bytes, eager, baseOffset);
        expect(RecordBatchView.of(bytes).sizeBytes).toBe(enc.length);
      }),
      { numRuns: 100 },
    );
  });

  it('damaged records under a valid CRC: both decode the same records or both throw CorruptBatchError', () => {
    const arbEdit = fc.record({ at: fc.nat(), value: fc.nat(255), kind: fc.constantFrom('set', 'insert', 'delete') });
    const small = fc.tuple(fc.array(fc.record({ key: fc.option(fc.uint8Array({ maxLength: 6 }), { nil: null }), value: fc.uint8Array({ maxLength: 12 }) }), { minLength: 1, maxLength: 5 }), fc.nat(100));
    fc.assert(
      fc.property(small, fc.array(arbEdit, { minLength: 1, maxLength: 4 }), ([records, baseOffset], edits) => {
        const b = Array.from(encodeBatch(records, { baseOffset, timestamp: 1_700_000_000_000 }));
        for (const e of edits) {
          const at = BatchLayout.headerBytes + (e.at % Math.max(1, b.length - BatchLayout.headerBytes));
          if (e.kind === 'set') b[at] = e.value;
          else if (e.kind === 'insert') b.splice(at, 0, e.value);
          else if (b.length > BatchLayout.headerBytes + 1) b.splice(at, 1);
        }
        const bytes = new Uint8Array(b);
        const v = new DataView(bytes.buffer);
        v.setInt32(BatchLayout.batchLength, bytes.length - BatchLayout.logOverheadBytes);
        v.setUint32(BatchLayout.crc, crc32c(bytes, BatchLayout.attributes, bytes.length));
        let eager: Record[] | CorruptBatchError;
        try {
          eager = decodeBatch(bytes).records;
        } catch (err) {
          expect(err).toBeInstanceOf(CorruptBatchError);
          eager = err as CorruptBatchError;
        }
        // checkRecords (the listener's produce check) throws exactly when the eager decode does.
        let checked = true;
        try {
          RecordBatchView.of(bytes).checkRecords();
        } catch (err) {
          expect(err).toBeInstanceOf(CorruptBatchError);
          checked = false;
        }
        expect(checked).toBe(!(eager instanceof CorruptBatchError));
        let lazy: Record[] | CorruptBatchError;
        try {
          const view = RecordBatchView.of(bytes);
          lazy = Array.from({ length: view.count }, (_, i) => view.recordAt(i));
        } catch (err) {
          expect(err).toBeInstanceOf(CorruptBatchError);
          lazy = err as CorruptBatchError;
        }
        if (eager instanceof CorruptBatchError) expect(lazy).toBeInstanceOf(CorruptBatchError);
        else {
          expect(lazy).not.toBeInstanceOf(CorruptBatchError);
          expect((lazy as Record[]).map(plain)).toEqual(eager.map(plain));
        }
      }),
      { numRuns: 1000 },
    );
  });

  it('counting records from the start of a batch decodes none of them', () => {
    const bytes = encodeBatch([{ value: new Uint8Array([1]) }, { value: new Uint8Array([2]) }], { baseOffset: 10, timestamp: 5 });
    // Damage the first record's length: only an access that needs the index notices.
    const bad = bytes.slice();
    bad[BatchLayout.headerBytes] = 0x7f;
    const cb = new ConsumedBatch(0, bad, 10);
    expect(cb.count).toBe(2);
    expect(() => cb.valueAt(0)).toThrow(CorruptBatchError);
  });
});
