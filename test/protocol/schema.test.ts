/**
 * The schema interpreter's rules, one by one: defaults for absent fields, tagged fields
 * (written only when not default, unknown ones skipped, sizes checked), nullability per version,
 * zero-copy records, exact consumption.
 */
import { describe, expect, it } from 'vitest';
import { ApiKey, decodeRequestBody, decodeResponseBody, encodeRequestBody, encodeResponseBody } from '../../src/protocol/index.js';
import { ProtocolError } from '../../src/protocol/errors.js';
import { FetchResponse } from '../../src/protocol/messages/fetch.js';
import { MetadataRequest } from '../../src/protocol/messages/metadata.js';
import { decodeMessage, encodeMessage, type LengthMark } from '../../src/protocol/schema.js';
import { hex } from './golden/json.mjs';

const UUID = '0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0';
const fetchPartition = { partitionIndex: 0, errorCode: 0, highWatermark: 1n, records: Uint8Array.of(1, 2, 3) };

describe('schema interpreter', () => {
  it('decodes fields absent at a version to their defaults and ignores them when encoding', () => {
    const b = encodeResponseBody(ApiKey.Metadata, 0, { brokers: [{ nodeId: 1, host: 'h', port: 9, rack: 'ignored' }], clusterId: 'ignored', topics: [] });
    expect(hex(b)).toBe('00000001' + '00000001' + '000168' + '00000009' + '00000000');
    expect(decodeResponseBody(ApiKey.Metadata, 0, b)).toEqual({
      throttleTimeMs: 0, brokers: [{ nodeId: 1, host: 'h', port: 9, rack: null }], clusterId: null, controllerId: -1,
      topics: [], clusterAuthorizedOperations: -2147483648,
    });
  });

  it('writes a tagged field only when it differs from its default, ascending by tag', () => {
    const base = { responses: [{ topicId: UUID, partitions: [fetchPartition] }] };
    const plain = encodeResponseBody(ApiKey.Fetch, 13, base);
    const withDefaults = encodeResponseBody(ApiKey.Fetch, 13, {
      responses: [{ topicId: UUID, partitions: [{ ...fetchPartition, currentLeader: { leaderId: -1, leaderEpoch: -1 } }] }],
    });
    expect(hex(withDefaults)).toBe(hex(plain));
    const tagged = encodeResponseBody(ApiKey.Fetch, 13, {
      responses: [{ topicId: UUID, partitions: [{ ...fetchPartition, snapshotId: { endOffset: 5n }, currentLeader: { leaderId: 2 } }] }],
    });
    // partition tag section: 2 fields, tag 1 (currentLeader: 8 bytes + its own empty tag section),
    // then tag 2 (snapshotId: 12 bytes + its empty tag section)
    expect(hex(tagged)).toContain('02' + '0109' + '00000002ffffffff00' + '020d' + '0000000000000005ffffffff00');
    const d = decodeResponseBody(ApiKey.Fetch, 13, tagged);
    expect(d.responses[0]!.partitions[0]!.currentLeader).toEqual({ leaderId: 2, leaderEpoch: -1 });
    expect(d.responses[0]!.partitions[0]!.snapshotId).toEqual({ endOffset: 5n, epoch: -1 });
    expect(d.responses[0]!.partitions[0]!.divergingEpoch).toEqual({ epoch: -1, endOffset: -1n });
  });

  it('reads known tagged fields in any order, refuses a repeated one', () => {
    // ApiVersions v3 response with tags 3 (zkMigrationReady) then 1 (finalizedFeaturesEpoch).
    const head = encodeResponseBody(ApiKey.ApiVersions, 3, {}).subarray(0, 7);
    const body = Uint8Array.from([...head, 2, 3, 1, 1, 1, 8, 0, 0, 0, 0, 0, 0, 0, 9]);
    expect(decodeResponseBody(ApiKey.ApiVersions, 3, body)).toMatchObject({ zkMigrationReady: true, finalizedFeaturesEpoch: 9n });
    const twice = Uint8Array.from([...head, 2, 3, 1, 1, 3, 1, 0]);
    expect(() => decodeResponseBody(ApiKey.ApiVersions, 3, twice)).toThrow(/repeated/);
  });

  it('skips unknown tagged fields and refuses a known one whose size lies', () => {
    const b = encodeRequestBody(ApiKey.ApiVersions, 3, { clientSoftwareName: 'a', clientSoftwareVersion: 'b' });
    expect(hex(b)).toBe('0261' + '0262' + '00');
    const unknown = Uint8Array.from([...b.subarray(0, 4), 2, 7, 1, 0xee, 9, 0]);
    expect(decodeRequestBody(ApiKey.ApiVersions, 3, unknown)).toEqual({ clientSoftwareName: 'a', clientSoftwareVersion: 'b' });
    // ApiVersions response v3, tag 1 = finalizedFeaturesEpoch (int64) declared with 4 bytes.
    const res = encodeResponseBody(ApiKey.ApiVersions, 3, { finalizedFeaturesEpoch: 3n });
    expect(decodeResponseBody(ApiKey.ApiVersions, 3, res).finalizedFeaturesEpoch).toBe(3n);
    const short = Uint8Array.from([...res.subarray(0, 7), 1, 1, 4, 0, 0, 0, 3]);
    expect(() => decodeResponseBody(ApiKey.ApiVersions, 3, short)).toThrow(ProtocolError);
  });

  it('enforces nullability per version', () => {
    expect(() => encodeMessage(MetadataRequest, 0, { topics: null })).toThrow(ProtocolError);
    expect(hex(encodeMessage(MetadataRequest, 1, { topics: null }))).toBe('ffffffff');
    expect(() => decodeMessage(MetadataRequest, 0, Uint8Array.of(0xff, 0xff, 0xff, 0xff))).toThrow(ProtocolError);
    expect(decodeMessage(MetadataRequest, 10, Uint8Array.of(2, ...new Uint8Array(16), 0, 0, 1, 0, 0, 0)).topics).toEqual([
      { topicId: '00000000-0000-0000-0000-000000000000', name: null },
    ]);
    expect(() => decodeMessage(MetadataRequest, 9, Uint8Array.of(2, 0, 0, 1, 0, 0))).toThrow(ProtocolError);
  });

  it('returns records as a view of the frame, null records as null', () => {
    const b = encodeMessage(FetchResponse, 11, { responses: [{ topic: 't', partitions: [fetchPartition, { ...fetchPartition, records: null }] }] });
    const d = decodeMessage(FetchResponse, 11, b);
    const [p0, p1] = d.responses[0]!.partitions;
    expect(p0!.records!.buffer).toBe(b.buffer);
    expect([...p0!.records!]).toEqual([1, 2, 3]);
    expect(p1!.records).toBeNull();
  });

  it('refuses trailing bytes and versions outside the declared range', () => {
    const b = encodeRequestBody(ApiKey.SaslHandshake, 1, { mechanism: 'PLAIN' });
    expect(() => decodeRequestBody(ApiKey.SaslHandshake, 1, Uint8Array.from([...b, 0]))).toThrow(/trailing/);
    expect(() => encodeRequestBody(ApiKey.Produce, 2, {})).toThrow(expect.objectContaining({ code: 'UNSUPPORTED_VERSION' }));
    expect(() => decodeRequestBody(ApiKey.Fetch, 18, b)).toThrow(expect.objectContaining({ code: 'UNSUPPORTED_VERSION' }));
  });

  it('refuses values of the wrong type when encoding, as MALFORMED', () => {
    for (const body of [{ acks: '1' }, { acks: 1.5 }, { topicData: {} }, { topicData: [null] }, { transactionalId: 7 }]) {
      expect(() => encodeRequestBody(ApiKey.Produce, 7, body as never)).toThrow(expect.objectContaining({ code: 'MALFORMED' }));
    }
  });

  it('reports every length prefix it writes when traced', () => {
    const trace: LengthMark[] = [];
    encodeMessage(MetadataRequest, 9, { topics: [{ name: 'a' }, { name: 'b' }] }, { trace });
    expect(trace).toEqual([{ at: 0, width: 'uvarint' }, { at: 1, width: 'uvarint' }, { at: 4, width: 'uvarint' }]);
  });

  it('accepts int64 inputs as bigint or safe-integer number, decodes bigint', () => {
    const b = encodeResponseBody(ApiKey.InitProducerId, 0, { producerId: 12, producerEpoch: 1 });
    expect(decodeResponseBody(ApiKey.InitProducerId, 0, b).producerId).toBe(12n);
  });
});
