/**
 * The connect() client's chunked Produce request (src/remote/produce-request.ts): at every served
 * version (3–9) its chunks concatenated are byte for byte the schema codec's request frame for
 * the same body, and the batch is a chunk of its own (sent as it is, not copied).
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { ApiKey, decodeRequest, encodeRequest } from '../../src/protocol/index.js';
import { encodeProduceChunks } from '../../src/remote/produce-request.js';

fc.configureGlobal({ seed: 0x9d0c, numRuns: 300 });

const hex = (b: Uint8Array): string => Buffer.from(b.buffer, b.byteOffset, b.byteLength).toString('hex');
const concat = (parts: Uint8Array[]): Uint8Array => new Uint8Array(Buffer.concat(parts));

describe('chunked Produce request', () => {
  it('equals the schema codec at every served version', () => {
    const arb = fc.record({
      transactionalId: fc.option(fc.string({ maxLength: 10 }), { nil: null }),
      acks: fc.constantFrom(-1, 0, 1),
      timeoutMs: fc.nat(),
      topic: fc.string({ maxLength: 30 }),
      partition: fc.nat(5000),
      batch: fc.uint8Array({ maxLength: 400 }),
    });
    fc.assert(
      fc.property(arb, fc.integer({ min: 3, max: 9 }), fc.integer({ min: 0, max: 2 ** 31 - 1 }), fc.option(fc.string({ maxLength: 12 }), { nil: null }), (p, version, id, clientId) => {
        const chunks = encodeProduceChunks(version, id, clientId, p);
        const body = { transactionalId: p.transactionalId, acks: p.acks, timeoutMs: p.timeoutMs, topicData: [{ name: p.topic, partitionData: [{ index: p.partition, records: p.batch }] }] };
        expect(hex(concat(chunks))).toBe(hex(encodeRequest(ApiKey.Produce, version, id, clientId, body)));
        if (p.batch.byteLength > 0) expect(chunks).toContain(p.batch);
        const back = decodeRequest(concat(chunks).subarray(4));
        expect(back.header.correlationId).toBe(id);
      }),
    );
  });
});
