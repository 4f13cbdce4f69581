/**
 * Golden cases for Fetch (served 4–17): kafkajs implements 4–11, @platformatic/kafka 12–17.
 * Response records are a real RecordBatch (built by kafkajs); both decoders must find its
 * records, which proves the records length prefix (int32 / compact) is right.
 */
import { kjDecodeResponse, kjRecordBatch, kjRequestBody, pkDecodeResponse, pkRequestBody } from './libs.mjs';
import { T0, UUID_A, UUID_B, big, range, thr } from './util.mjs';

const MESSAGES = [
  { key: 'k1', value: 'v1', timestamp: T0 },
  { key: 'k2', value: 'v2', timestamp: T0 + 5 },
];

const kjRequest = (v) => ({
  id: `Fetch.v${v}.request.kafkajs`, apiKey: 1, version: v, kind: 'request', source: 'kafkajs',
  theirs: () => kjRequestBody('fetch', v, {
    replicaId: -1, maxWaitTime: 5000, minBytes: 1, maxBytes: 10485760, isolationLevel: 1,
    topics: [{ topic: 'orders', partitions: [{ partition: 0, fetchOffset: '42', maxBytes: 1048576 }, { partition: 2, fetchOffset: '0', maxBytes: 1024 }] }],
  }),
  body: {
    replicaId: -1, maxWaitMs: 5000, minBytes: 1, maxBytes: 10485760, isolationLevel: 1,
    ...(v >= 7 ? { sessionId: 0, sessionEpoch: -1, forgottenTopicsData: [] } : {}),
    topics: [{ topic: 'orders', partitions: [
      { partition: 0, fetchOffset: 42n, partitionMaxBytes: 1048576, ...(v >= 5 ? { logStartOffset: -1n } : {}), ...(v >= 9 ? { currentLeaderEpoch: -1 } : {}) },
      { partition: 2, fetchOffset: 0n, partitionMaxBytes: 1024, ...(v >= 5 ? { logStartOffset: -1n } : {}), ...(v >= 9 ? { currentLeaderEpoch: -1 } : {}) },
    ] }],
    ...(v >= 11 ? { rackId: '' } : {}),
  },
});

// At v12 @platformatic/kafka writes its topicId where the topic NAME goes (a string); pass a name.
const pkRequest = (v) => ({
  id: `Fetch.v${v}.request.platformatic`, apiKey: 1, version: v, kind: 'request', source: 'platformatic',
  theirs: () => pkRequestBody(`consumer/fetch-v${v}`, [
    500, 1, 52428800, 0, 0, -1,
    [{ topicId: v === 12 ? 'orders' : UUID_A, partitions: [{ partition: 3, currentLeaderEpoch: 2, fetchOffset: 100n, lastFetchedEpoch: 1, partitionMaxBytes: 1048576 }] }],
    [], 'rack-1',
  ]),
  body: {
    ...(v <= 14 ? { replicaId: -1 } : {}),
    maxWaitMs: 500, minBytes: 1, maxBytes: 52428800, isolationLevel: 0, sessionId: 0, sessionEpoch: -1,
    topics: [{
      ...(v === 12 ? { topic: 'orders' } : { topicId: UUID_A }),
      partitions: [{ partition: 3, currentLeaderEpoch: 2, fetchOffset: 100n, lastFetchedEpoch: 1, logStartOffset: -1n, partitionMaxBytes: 1048576 }],
    }],
    forgottenTopicsData: [], rackId: 'rack-1',
  },
});

const responseBody = async (v) => ({
  throttleTimeMs: 0, errorCode: 0, sessionId: 0,
  responses: [{
    topic: 'orders', topicId: UUID_B,
    partitions: [{
      partitionIndex: 0, errorCode: 0, highWatermark: 44n, lastStableOffset: 44n, logStartOffset: 0n,
      abortedTransactions: [{ producerId: 9n, firstOffset: 40n }], preferredReadReplica: -1,
      records: await kjRecordBatch(MESSAGES),
      ...(v >= 12 ? { currentLeader: { leaderId: 1, leaderEpoch: 3 } } : {}),
    }],
  }],
  ...(v >= 16 ? { nodeEndpoints: [{ nodeId: 1, host: 'localhost', port: 9092, rack: null }] } : {}),
});

const kjResponse = (v) => ({
  id: `Fetch.v${v}.response.kafkajs`, apiKey: 1, version: v, kind: 'response', source: 'kafkajs',
  body: () => responseBody(v),
  decode: (b) => kjDecodeResponse('fetch', v, b),
  project: (d) => ({
    throttleTimeMs: thr(d), errorCode: d.errorCode, sessionId: d.sessionId,
    responses: d.responses.map((r) => ({ topic: r.topicName, partitions: r.partitions.map((p) => ({
      partitionIndex: p.partition, errorCode: p.errorCode, highWatermark: big(p.highWatermark),
      lastStableOffset: big(p.lastStableOffset), logStartOffset: big(p.lastStartOffset),
      abortedTransactions: p.abortedTransactions.map((a) => ({ producerId: big(a.producerId), firstOffset: big(a.firstOffset) })),
      preferredReadReplica: p.preferredReadReplica,
    })) })),
  }),
  theirs: { responses: [{ partitions: [{ messages: [
    { offset: '0', key: { $hex: '6b31' }, value: { $hex: '7631' } },
    { offset: '1', key: { $hex: '6b32' }, value: { $hex: '7632' } },
  ] }] }] },
});

const pkResponse = (v) => ({
  id: `Fetch.v${v}.response.platformatic`, apiKey: 1, version: v, kind: 'response', source: 'platformatic',
  body: () => responseBody(v),
  decode: (b) => pkDecodeResponse(`consumer/fetch-v${v}`, 1, v, b),
  project: ({ responses, ...d }) => ({
    ...d,
    responses: responses.map(({ topicId, partitions }) => ({
      [v === 12 ? 'topic' : 'topicId']: topicId,
      partitions: partitions.map(({ records, ...p }) => p),
    })),
  }),
  theirs: { responses: [{ partitions: [{ records: [{ firstTimestamp: { $bigint: String(T0) }, records: [
    { offsetDelta: 0, key: { $hex: '6b31' }, value: { $hex: '7631' } },
    { offsetDelta: 1, key: { $hex: '6b32' }, value: { $hex: '7632' } },
  ] }] }] }] },
});

export const fetchCases = () => [
  ...range(4, 11).map(kjRequest),
  ...range(12, 17).map(pkRequest),
  ...range(4, 11).map(kjResponse),
  ...range(12, 17).map(pkResponse),
];
