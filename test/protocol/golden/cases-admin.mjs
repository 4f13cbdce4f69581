/**
 * Golden cases for ListOffsets, CreateTopics, DeleteTopics, CreatePartitions, DescribeConfigs,
 * InitProducerId, SaslHandshake and SaslAuthenticate (see cases-core.mjs for the case shape).
 * Versions neither library implements (ListOffsets 4, CreateTopics 4–6, DeleteTopics 2–5,
 * InitProducerId 2) are covered by the schema property tests only.
 */
import { kjDecodeResponse, kjRequestBody, pkDecodeResponse, pkRequestBody } from './libs.mjs';
import { UUID_A, big, range, thr } from './util.mjs';

const req = (api, v, source, theirs, body) => ({ id: `${api.name}.v${v}.request.${source}`, apiKey: api.key, version: v, kind: 'request', source, theirs, body });
const kjRes = (api, v, body, project) => ({
  id: `${api.name}.v${v}.response.kafkajs`, apiKey: api.key, version: v, kind: 'response', source: 'kafkajs',
  body, decode: (b) => kjDecodeResponse(api.kj, v, b), project,
});
const pkRes = (api, v, body, project = (d) => d) => ({
  id: `${api.name}.v${v}.response.platformatic`, apiKey: api.key, version: v, kind: 'response', source: 'platformatic',
  body, decode: (b) => pkDecodeResponse(`${api.pk}-v${v}`, api.key, v, b), project,
});

const LO = { name: 'ListOffsets', key: 2, kj: 'listOffsets', pk: 'consumer/list-offsets' };
const loBody = {
  throttleTimeMs: 0,
  topics: [{ name: 'orders', partitions: [
    { partitionIndex: 0, errorCode: 0, oldStyleOffsets: [42n], timestamp: -1n, offset: 42n, leaderEpoch: 3 },
    { partitionIndex: 1, errorCode: 3, oldStyleOffsets: [], timestamp: -1n, offset: -1n, leaderEpoch: -1 },
  ] }],
};
export const listOffsetsCases = () => [
  ...range(0, 3).map((v) => req(LO, v, 'kafkajs',
    () => kjRequestBody('listOffsets', v, { replicaId: -1, isolationLevel: 1, topics: [{ topic: 'orders', partitions: [{ partition: 0, timestamp: -1 }, { partition: 1, timestamp: -2 }] }] }),
    { replicaId: -1, isolationLevel: 1, topics: [{ name: 'orders', partitions: [
      { partitionIndex: 0, timestamp: -1n, maxNumOffsets: 1 }, { partitionIndex: 1, timestamp: -2n, maxNumOffsets: 1 },
    ] }] })),
  ...range(5, 7).map((v) => req(LO, v, 'platformatic',
    () => pkRequestBody(`consumer/list-offsets-v${v}`, [-1, 0, [{ name: 'orders', partitions: [{ partitionIndex: 2, currentLeaderEpoch: 5, timestamp: -2n }] }]]),
    { replicaId: -1, isolationLevel: 0, topics: [{ name: 'orders', partitions: [{ partitionIndex: 2, currentLeaderEpoch: 5, timestamp: -2n }] }] })),
  ...range(0, 3).map((v) => kjRes(LO, v, loBody, (d) => ({
    throttleTimeMs: thr(d),
    topics: d.responses.map((r) => ({ name: r.topic, partitions: r.partitions.map((p) => ({
      partitionIndex: p.partition, errorCode: p.errorCode, oldStyleOffsets: p.offsets?.map(big),
      timestamp: big(p.timestamp), offset: big(p.offset),
    })) })),
  }))),
  ...range(5, 7).map((v) => pkRes(LO, v, loBody)),
];

const CT = { name: 'CreateTopics', key: 19, kj: 'createTopics', pk: 'admin/create-topics' };
const ctResBody = {
  throttleTimeMs: 0,
  topics: [
    // configs [] rather than null: @platformatic/kafka reads a null array as [].
    { name: 'logs', topicId: UUID_A, errorCode: 36, errorMessage: 'Topic already exists', numPartitions: -1, replicationFactor: -1, configs: [] },
    { name: 'orders', topicId: UUID_A, errorCode: 0, errorMessage: null, numPartitions: 3, replicationFactor: 2, configs: [
      { name: 'cleanup.policy', value: 'compact', readOnly: false, configSource: 1, isSensitive: false },
    ] },
  ],
};
export const createTopicsCases = () => [
  ...range(0, 3).map((v) => req(CT, v, 'kafkajs',
    () => kjRequestBody('createTopics', v, { timeout: 5000, validateOnly: false, topics: [
      { topic: 'orders', numPartitions: 3, replicationFactor: 2, configEntries: [{ name: 'cleanup.policy', value: 'compact' }] },
      { topic: 'logs', replicaAssignment: [{ partition: 0, replicas: [1, 2] }] },
    ] }),
    { timeoutMs: 5000, ...(v >= 1 ? { validateOnly: false } : {}), topics: [
      { name: 'orders', numPartitions: 3, replicationFactor: 2, assignments: [], configs: [{ name: 'cleanup.policy', value: 'compact' }] },
      { name: 'logs', numPartitions: -1, replicationFactor: -1, assignments: [{ partitionIndex: 0, brokerIds: [1, 2] }], configs: [] },
    ] })),
  req(CT, 7, 'platformatic',
    () => pkRequestBody('admin/create-topics-v7', [[
      { name: 'orders', numPartitions: 3, replicationFactor: 1, assignments: [], configs: [{ name: 'retention.ms', value: '1000' }] },
      { name: 'logs', numPartitions: -1, replicationFactor: -1, assignments: [{ partitionIndex: 0, brokerIds: [1] }], configs: [] },
    ], 30000, true]),
    { timeoutMs: 30000, validateOnly: true, topics: [
      { name: 'orders', numPartitions: 3, replicationFactor: 1, assignments: [], configs: [{ name: 'retention.ms', value: '1000' }] },
      { name: 'logs', numPartitions: -1, replicationFactor: -1, assignments: [{ partitionIndex: 0, brokerIds: [1] }], configs: [] },
    ] }),
  // kafkajs sorts topicErrors by name; the body lists them sorted already.
  ...range(0, 3).map((v) => kjRes(CT, v, ctResBody, (d) => ({
    throttleTimeMs: thr(d),
    topics: d.topicErrors.map((t) => ({ name: t.topic, errorCode: t.errorCode, errorMessage: t.errorMessage })),
  }))),
  pkRes(CT, 7, ctResBody),
];

const DT = { name: 'DeleteTopics', key: 20, kj: 'deleteTopics', pk: 'admin/delete-topics' };
const dtResBody = { throttleTimeMs: 0, responses: [
  { name: 'logs', topicId: UUID_A, errorCode: 0, errorMessage: null },
  { name: 'orders', topicId: UUID_A, errorCode: 3, errorMessage: 'unknown' },
] };
export const deleteTopicsCases = () => [
  ...range(0, 1).map((v) => req(DT, v, 'kafkajs', () => kjRequestBody('deleteTopics', v, { topics: ['orders', 'logs'], timeout: 5000 }),
    { topicNames: ['orders', 'logs'], timeoutMs: 5000 })),
  req(DT, 6, 'platformatic', () => pkRequestBody('admin/delete-topics-v6', [[{ name: 'orders', topicId: UUID_A }, { name: null, topicId: UUID_A }], 15000]),
    { topics: [{ name: 'orders', topicId: UUID_A }, { name: null, topicId: UUID_A }], timeoutMs: 15000 }),
  ...range(0, 1).map((v) => kjRes(DT, v, dtResBody, (d) => ({
    throttleTimeMs: thr(d), responses: d.topicErrors.map((t) => ({ name: t.topic, errorCode: t.errorCode })),
  }))),
  pkRes(DT, 6, dtResBody),
];

const CP = { name: 'CreatePartitions', key: 37, kj: 'createPartitions', pk: 'admin/create-partitions' };
const cpResBody = { throttleTimeMs: 0, results: [
  { name: 'logs', errorCode: 37, errorMessage: 'Number of partitions must be larger' },
  { name: 'orders', errorCode: 0, errorMessage: null },
] };
export const createPartitionsCases = () => [
  ...range(0, 1).map((v) => req(CP, v, 'kafkajs',
    () => kjRequestBody('createPartitions', v, { validateOnly: false, timeout: 5000, topicPartitions: [
      { topic: 'orders', count: 6, assignments: [[1, 2], [2, 3]] }, { topic: 'logs', count: 2 },
    ] }),
    { timeoutMs: 5000, validateOnly: false, topics: [
      { name: 'orders', count: 6, assignments: [{ brokerIds: [1, 2] }, { brokerIds: [2, 3] }] }, { name: 'logs', count: 2, assignments: null },
    ] })),
  ...range(1, 3).map((v) => req(CP, v, 'platformatic',
    () => pkRequestBody(`admin/create-partitions-v${v}`, [[{ name: 'orders', count: 4, assignments: [{ brokerIds: [1] }] }], 10000, true]),
    { timeoutMs: 10000, validateOnly: true, topics: [{ name: 'orders', count: 4, assignments: [{ brokerIds: [1] }] }] })),
  ...range(0, 1).map((v) => kjRes(CP, v, cpResBody, (d) => ({
    throttleTimeMs: thr(d), results: d.topicErrors.map((t) => ({ name: t.topic, errorCode: t.errorCode, errorMessage: t.errorMessage })),
  }))),
  ...range(1, 3).map((v) => pkRes(CP, v, cpResBody)),
];
