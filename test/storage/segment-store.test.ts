/**
 * MemorySegmentStore against a plain-array model (fast-check): random batch sizes, truncations at
 * batch boundaries and scans. Checks: scan returns exactly the model's batches and positions;
 * every view handed out earlier still holds its bytes (never overwritten by later appends or
 * truncations); chunks grow geometrically (first MEMORY_CHUNK_LIMITS.firstBytes, doubling up to
 * chunkBytes), so a store holding one small batch allocates kilobytes, not a full chunk; chunks
 * are SharedArrayBuffers (posting a batch view to another thread shares it instead of cloning).
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { MEMORY_CHUNK_LIMITS, MemorySegmentStore, memoryChunkBytes } from '../../src/storage/segment-store.js';
import { makeBatch, sameBytes } from './log-helpers.js';

type Op = { kind: 'append'; valueBytes: number; records: number } | { kind: 'truncate'; keep: number } | { kind: 'scan'; from: number };

const opArb: fc.Arbitrary<Op> = fc.oneof(
  { weight: 8, arbitrary: fc.record({ kind: fc.constant('append' as const), valueBytes: fc.integer({ min: 0, max: 6000 }), records: fc.integer({ min: 1, max: 4 }) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('truncate' as const), keep: fc.nat() }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('scan' as const), from: fc.nat() }) },
);

describe('MemorySegmentStore', () => {
  it('matches a model; views handed out never change; chunks grow geometrically', () => {
    fc.assert(
      fc.property(fc.constantFrom(4096, 64 * 1024, 1024 * 1024), fc.array(opArb, { maxLength: 80 }), (chunkBytes, ops) => {
        const store = new MemorySegmentStore(0, chunkBytes);
        const model: { pos: number; bytes: Uint8Array }[] = [];
        const handedOut: { view: Uint8Array; copy: Uint8Array }[] = [];
        let size = 0;
        let seed = 1;
        for (const op of ops) {
          if (op.kind === 'append') {
            const batch = makeBatch({ records: op.records, valueBytes: op.valueBytes, seed: seed++ });
            const stored = store.append(batch, null);
            expect(sameBytes(stored, batch)).toBe(true);
            model.push({ pos: size, bytes: batch });
            handedOut.push({ view: stored, copy: batch });
            size += batch.length;
          } else if (op.kind === 'truncate') {
            const keep = model.length === 0 ? 0 : op.keep % (model.length + 1);
            size = keep === model.length ? size : model[keep]!.pos;
            model.length = keep;
            store.truncate(size);
          } else {
            const from = model.length === 0 ? 0 : op.from % model.length;
            const seen: { pos: number; bytes: Uint8Array }[] = [];
            store.scan(model.length === 0 ? 0 : model[from]!.pos, (b, pos) => {
              seen.push({ pos, bytes: b });
              handedOut.push({ view: b, copy: b.slice() });
              return true;
            });
            const want = model.slice(from);
            expect(seen.map((s) => s.pos)).toEqual(want.map((m) => m.pos));
            for (const [i, s] of seen.entries()) expect(sameBytes(s.bytes, want[i]!.bytes)).toBe(true);
          }
          expect(store.sizeBytes).toBe(size);
        }
        for (const h of handedOut) expect(sameBytes(h.view, h.copy)).toBe(true);
      }),
      { seed: 42, numRuns: 200 },
    );
  });

  it('allocates a small first chunk and doubles up to chunkBytes', () => {
    const chunkBytes = memoryChunkBytes(64 * 1024 * 1024);
    expect(chunkBytes).toBe(MEMORY_CHUNK_LIMITS.maxBytes);
    const store = new MemorySegmentStore(0, chunkBytes);
    expect(store.allocatedBytes).toBe(0);
    const batch = makeBatch({ records: 1, valueBytes: 100 });
    const stored = store.append(batch, null);
    expect(store.allocatedBytes).toBe(MEMORY_CHUNK_LIMITS.firstBytes);
    // Shared memory: a view posted to another thread is shared, not a clone of the whole chunk.
    expect(stored.buffer).toBeInstanceOf(SharedArrayBuffer);
    const sizes: number[] = [];
    let last = store.allocatedBytes;
    const big = makeBatch({ records: 1, valueBytes: 4000 });
    while (store.allocatedBytes < 8 * chunkBytes) {
      store.append(big, null);
      if (store.allocatedBytes !== last) sizes.push(store.allocatedBytes - last);
      last = store.allocatedBytes;
    }
    expect(sizes.slice(0, 7)).toEqual([32, 64, 128, 256, 512, 1024, 1024].map((k) => k * 1024));
  });
});
