/**
 * Golden cases for ApiVersions, Metadata, Produce and Fetch.
 * request cases: `theirs()` builds the body with kafkajs / @platformatic/kafka; `body` is what
 * our decoder must read (a subset: fields left out must decode to their defaults).
 * response cases: `body` is encoded by us; `decode` runs their decoder; `project` maps their
 * result into our field names (it must be a subset of `body`); `theirs` (optional) is a subset
 * their result must contain, in their names.
 */
import { kjDecodeResponse, kjRecordBatch, kjRequestBody, pkDecodeResponse, pkRecordBatch, pkRequestBody } from './libs.mjs';
import { T0, UUID_A, ZERO_UUID, big, bytes, range, thr } from './util.mjs';

const kjApiVersions = (v) => ({
  id: `ApiVersions.v${v}.response.kafkajs`, apiKey: 18, version: v, kind: 'response', source: 'kafkajs',
  body: { errorCode: 0, apiKeys: [{ apiKey: 0, minVersion: 3, maxVersion: 9 }, { apiKey: 18, minVersion: 0, maxVersion: 3 }], throttleTimeMs: 0 },
  decode: (b) => kjDecodeResponse('apiVersions', v, b),
  project: (d) => ({ errorCode: d.errorCode, apiKeys: d.apiVersions, throttleTimeMs: thr(d) }),
});

export const apiVersionsCases = () => [
  ...range(0, 2).map((v) => ({
    id: `ApiVersions.v${v}.request.kafkajs`, apiKey: 18, version: v, kind: 'request', source: 'kafkajs',
    theirs: () => kjRequestBody('apiVersions', v, {}), body: {},
  })),
  {
    id: 'ApiVersions.v3.request.platformatic', apiKey: 18, version: 3, kind: 'request', source: 'platformatic',
    theirs: () => pkRequestBody('metadata/api-versions-v3', ['rivulet-test', '1.0.0']),
    body: { clientSoftwareName: 'rivulet-test', clientSoftwareVersion: '1.0.0' },
  },
  ...range(0, 2).map(kjApiVersions),
  {
    id: 'ApiVersions.v3.response.platformatic', apiKey: 18, version: 3, kind: 'response', source: 'platformatic',
    body: {
      errorCode: 0, apiKeys: [{ apiKey: 0, minVersion: 3, maxVersion: 9 }, { apiKey: 32000, minVersion: 0, maxVersion: 0 }],
      throttleTimeMs: 7, finalizedFeaturesEpoch: 5n,
    },
    decode: (b) => pkDecodeResponse('metadata/api-versions-v3', 18, 3, b),
    project: (d) => ({ errorCode: d.errorCode, apiKeys: d.apiKeys.map(({ name, ...k }) => k), throttleTimeMs: d.throttleTimeMs }),
  },
];

const mdBody = (v) => ({
  throttleTimeMs: 3,
  brokers: [{ nodeId: 1, host: 'localhost', port: 9092, rack: null }, { nodeId: 2, host: '127.0.0.1', port: 9093, rack: 'r2' }],
  clusterId: 'rivulet',
  controllerId: 1,
  topics: [{
    errorCode: 0, name: 'orders', topicId: UUID_A, isInternal: false, topicAuthorizedOperations: -2147483648,
    partitions: [
      { errorCode: 0, partitionIndex: 0, leaderId: 1, leaderEpoch: 4, replicaNodes: [1, 2], isrNodes: [1, 2], offlineReplicas: [] },
      { errorCode: 5, partitionIndex: 1, leaderId: -1, leaderEpoch: 0, replicaNodes: [2], isrNodes: [], offlineReplicas: [2] },
    ],
  }],
  clusterAuthorizedOperations: -2147483648,
  version: v,
});

const kjMdProject = (d) => ({
  throttleTimeMs: thr(d),
  brokers: d.brokers,
  clusterId: d.clusterId,
  controllerId: d.controllerId,
  topics: d.topicMetadata.map((t) => ({
    errorCode: t.topicErrorCode, name: t.topic, isInternal: t.isInternal,
    partitions: t.partitionMetadata.map((p) => ({
      errorCode: p.partitionErrorCode, partitionIndex: p.partitionId, leaderId: p.leader,
      replicaNodes: p.replicas, isrNodes: p.isr, offlineReplicas: p.offlineReplicas,
    })),
  })),
});

// Below v10 @platformatic/kafka fills topicId with the topic name itself: not a wire field.
const pkMdProject = (d, v) => ({
  throttleTimeMs: d.throttleTimeMs,
  brokers: d.brokers,
  clusterId: d.clusterId,
  controllerId: d.controllerId,
  topics: d.topics.map((t) => ({
    errorCode: t.errorCode, name: t.name, topicId: v >= 10 ? t.topicId : undefined, isInternal: t.isInternal,
    topicAuthorizedOperations: t.topicAuthorizedOperations,
    partitions: t.partitions.map((p) => ({
      errorCode: p.errorCode, partitionIndex: p.partitionIndex, leaderId: p.leaderId, leaderEpoch: p.leaderEpoch,
      replicaNodes: p.replicaNodes, isrNodes: p.isrNodes, offlineReplicas: p.offlineReplicas,
    })),
  })),
});

export const metadataCases = () => [
  ...range(0, 6).map((v) => ({
    id: `Metadata.v${v}.request.kafkajs`, apiKey: 3, version: v, kind: 'request', source: 'kafkajs',
    theirs: () => kjRequestBody('metadata', v, { topics: ['orders', 'payments'], allowAutoTopicCreation: false }),
    body: { topics: [{ name: 'orders' }, { name: 'payments' }], ...(v >= 4 ? { allowAutoTopicCreation: false } : {}) },
  })),
  // kafkajs asks for every topic with an empty list, which it writes as null from v1.
  ...range(1, 6).map((v) => ({
    id: `Metadata.v${v}.request.kafkajs.all-topics`, apiKey: 3, version: v, kind: 'request', source: 'kafkajs',
    theirs: () => kjRequestBody('metadata', v, { topics: [] }),
    body: { topics: null, ...(v >= 4 ? { allowAutoTopicCreation: true } : {}) },
  })),
  // @platformatic/kafka's Metadata v11 still writes IncludeClusterAuthorizedOperations (8-10 only): not a golden source.
  ...[9, 10, 12].map((v) => ({
    id: `Metadata.v${v}.request.platformatic`, apiKey: 3, version: v, kind: 'request', source: 'platformatic',
    theirs: () => pkRequestBody(`metadata/metadata-v${v}`, [['orders'], true, false]),
    body: {
      topics: [{ name: 'orders', ...(v >= 10 ? { topicId: ZERO_UUID } : {}) }],
      allowAutoTopicCreation: true, includeTopicAuthorizedOperations: false,
      ...(v <= 10 ? { includeClusterAuthorizedOperations: false } : {}),
    },
  })),
  ...range(0, 6).map((v) => ({
    id: `Metadata.v${v}.response.kafkajs`, apiKey: 3, version: v, kind: 'response', source: 'kafkajs',
    body: mdBody(v), decode: (b) => kjDecodeResponse('metadata', v, b), project: kjMdProject,
  })),
  ...range(9, 12).map((v) => ({
    id: `Metadata.v${v}.response.platformatic`, apiKey: 3, version: v, kind: 'response', source: 'platformatic',
    body: mdBody(v), decode: (b) => pkDecodeResponse(`metadata/metadata-v${v}`, 3, v, b), project: (d) => pkMdProject(d, v),
  })),
];

const MESSAGES = [
  { key: 'k1', value: 'v1', timestamp: T0, headers: { h: 'x' } },
  { key: null, value: 'v2', timestamp: T0 + 1 },
];
const PK_MESSAGES = () => [
  { topic: 'orders', partition: 0, key: Buffer.from('k1'), value: Buffer.from('v1'), timestamp: BigInt(T0), headers: new Map([[Buffer.from('h'), Buffer.from('x')]]) },
  { topic: 'orders', partition: 0, key: undefined, value: Buffer.from('v2'), timestamp: BigInt(T0 + 1) },
];

export const produceCases = () => [
  ...range(3, 7).map((v) => ({
    id: `Produce.v${v}.request.kafkajs`, apiKey: 0, version: v, kind: 'request', source: 'kafkajs',
    theirs: () => kjRequestBody('produce', v, {
      acks: -1, timeout: 30000, topicData: [{ topic: 'orders', partitions: [{ partition: 0, messages: MESSAGES }] }],
    }),
    body: async () => ({
      transactionalId: null, acks: -1, timeoutMs: 30000,
      topicData: [{ name: 'orders', partitionData: [{ index: 0, records: await kjRecordBatch(MESSAGES) }] }],
    }),
  })),
  ...range(7, 9).map((v) => ({
    id: `Produce.v${v}.request.platformatic`, apiKey: 0, version: v, kind: 'request', source: 'platformatic',
    theirs: () => pkRequestBody(`producer/produce-v${v}`, [1, 5000, PK_MESSAGES(), {}]),
    body: async () => ({
      transactionalId: null, acks: 1, timeoutMs: 5000,
      topicData: [{ name: 'orders', partitionData: [{ index: 0, records: await pkRecordBatch(PK_MESSAGES(), {}) }] }],
    }),
  })),
  ...range(3, 9).map((v) => ({
    id: `Produce.v${v}.response.${v <= 7 ? 'kafkajs' : 'platformatic'}`, apiKey: 0, version: v, kind: 'response',
    source: v <= 7 ? 'kafkajs' : 'platformatic',
    body: {
      responses: [{ name: 'orders', partitionResponses: [
        { index: 0, errorCode: 0, baseOffset: 42n, logAppendTimeMs: -1n, logStartOffset: 0n, recordErrors: [], errorMessage: null },
        { index: 1, errorCode: 0, baseOffset: 7n, logAppendTimeMs: BigInt(T0), logStartOffset: 3n, recordErrors: [], errorMessage: null },
      ] }],
      throttleTimeMs: 0,
    },
    decode: (b) => (v <= 7 ? kjDecodeResponse('produce', v, b) : pkDecodeResponse(`producer/produce-v${v}`, 0, v, b)),
    project: (d) => (v <= 7
      ? {
          throttleTimeMs: thr(d),
          responses: d.topics.map((t) => ({ name: t.topicName, partitionResponses: t.partitions.map((p) => ({
            index: p.partition, errorCode: p.errorCode, baseOffset: big(p.baseOffset),
            logAppendTimeMs: big(p.logAppendTime), logStartOffset: big(p.logStartOffset),
          })) })),
        }
      : d),
  })),
];
