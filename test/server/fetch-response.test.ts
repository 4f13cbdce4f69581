/**
 * The chunked Fetch response (src/server/handlers/fetch-response.ts): at every served version
 * (4–17), its chunks concatenated are byte for byte what the schema codec writes for the same
 * body, and they decode back to it; the batches themselves are chunks of their own (not copied).
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { ApiKey, decodeResponse, encodeResponse } from '../../src/protocol/index.js';
import { ChunkedFetchResponse, type FetchResponseOut } from '../../src/server/handlers/fetch-response.js';

fc.configureGlobal({ seed: 0xfe7c4, numRuns: 200 });

const hex = (b: Uint8Array): string => Buffer.from(b.buffer, b.byteOffset, b.byteLength).toString('hex');
function concat(parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.byteLength, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.byteLength;
  }
  return out;
}

const arbInt64 = fc.bigInt({ min: -1n, max: 2n ** 53n });
const arbPartition = fc.record({
  partitionIndex: fc.nat(1000),
  errorCode: fc.integer({ min: -1, max: 120 }),
  highWatermark: arbInt64,
  lastStableOffset: arbInt64,
  logStartOffset: arbInt64,
  preferredReadReplica: fc.constant(-1),
  records: fc.array(fc.uint8Array({ maxLength: 300 }), { maxLength: 4 }),
});
const arbBody: fc.Arbitrary<FetchResponseOut> = fc.record({
  throttleTimeMs: fc.nat(1000),
  errorCode: fc.integer({ min: 0, max: 100 }),
  sessionId: fc.nat(),
  responses: fc.array(fc.record({ topic: fc.string({ maxLength: 20 }), topicId: fc.uuid(), partitions: fc.array(arbPartition, { maxLength: 4 }) }), { maxLength: 3 }),
});

describe('chunked Fetch response', () => {
  it('equals the schema codec at every served version, and decodes back', () => {
    fc.assert(
      fc.property(arbBody, fc.integer({ min: 4, max: 17 }), fc.integer({ min: 0, max: 2 ** 31 - 1 }), (out, version, correlationId) => {
        const res = new ChunkedFetchResponse(out);
        const chunks = res.encodeChunks(correlationId, version);
        const expected = encodeResponse(ApiKey.Fetch, version, correlationId, res.body() as never);
        expect(hex(concat(chunks))).toBe(hex(expected));
        // Every non-empty batch goes out as its own chunk, the very same bytes object.
        for (const t of out.responses) for (const p of t.partitions) for (const b of p.records) if (b.byteLength > 0) expect(chunks).toContain(b);
        const back = decodeResponse(ApiKey.Fetch, version, concat(chunks).subarray(4)).body; // a frame: without its size
        expect(back.responses.flatMap((t) => t.partitions.map((p) => hex(p.records ?? new Uint8Array(0))))).toEqual(
          out.responses.flatMap((t) => t.partitions.map((p) => hex(concat([...p.records])))),
        );
      }),
    );
  });
});
