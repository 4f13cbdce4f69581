/**
 * Golden cases for OffsetCommit, OffsetFetch, DescribeGroups and ListGroups. kafkajs implements
 * OffsetCommit 0–5, OffsetFetch 1–4, DescribeGroups 0–2, ListGroups 0–2; @platformatic/kafka
 * OffsetCommit 8, OffsetFetch 8, DescribeGroups 5, ListGroups 4. The rest (OffsetCommit 6–7,
 * OffsetFetch 0 and 5–7, DescribeGroups 3–4, ListGroups 3) rely on the schema property tests.
 */
import { kjRequestBody, pkRequestBody } from './libs.mjs';
import { kjRes, pkRes, req } from './cases-groups.mjs';
import { T0, big, bytes, range, thr } from './util.mjs';

const OC = { name: 'OffsetCommit', key: 8, kj: 'offsetCommit', pk: 'consumer/offset-commit' };
const ocBody = { throttleTimeMs: 0, topics: [{ name: 'orders', partitions: [{ partitionIndex: 0, errorCode: 0 }, { partitionIndex: 1, errorCode: 22 }] }] };
export const offsetCommitCases = () => [
  ...range(0, 5).map((v) => req(OC, v, 'kafkajs',
    () => kjRequestBody('offsetCommit', v, {
      groupId: 'group-a', groupGenerationId: 3, memberId: 'member-1', retentionTime: -1,
      topics: [{ topic: 'orders', partitions: [{ partition: 0, offset: '42', timestamp: T0 }, { partition: 1, offset: '7', metadata: 'm', timestamp: T0 }] }],
    }),
    {
      groupId: 'group-a', ...(v >= 1 ? { generationIdOrMemberEpoch: 3, memberId: 'member-1' } : {}),
      ...(v >= 2 && v <= 4 ? { retentionTimeMs: -1n } : {}),
      topics: [{ name: 'orders', partitions: [
        { partitionIndex: 0, committedOffset: 42n, committedMetadata: null, ...(v === 1 ? { commitTimestamp: BigInt(T0) } : {}) },
        { partitionIndex: 1, committedOffset: 7n, committedMetadata: 'm', ...(v === 1 ? { commitTimestamp: BigInt(T0) } : {}) },
      ] }],
    })),
  req(OC, 8, 'platformatic',
    () => pkRequestBody('consumer/offset-commit-v8', ['group-a', 5, 'member-1', null, [{ name: 'orders', partitions: [{ partitionIndex: 0, committedOffset: 43n, committedLeaderEpoch: -1, committedMetadata: null }] }]]),
    { groupId: 'group-a', generationIdOrMemberEpoch: 5, memberId: 'member-1', groupInstanceId: null,
      topics: [{ name: 'orders', partitions: [{ partitionIndex: 0, committedOffset: 43n, committedLeaderEpoch: -1, committedMetadata: null }] }] }),
  ...range(0, 5).map((v) => kjRes(OC, v, ocBody, (d) => ({
    throttleTimeMs: thr(d),
    topics: d.responses.map((r) => ({ name: r.topic, partitions: r.partitions.map((p) => ({ partitionIndex: p.partition, errorCode: p.errorCode })) })),
  }))),
  pkRes(OC, 8, ocBody),
];

const OF = { name: 'OffsetFetch', key: 9, kj: 'offsetFetch', pk: 'consumer/offset-fetch' };
const ofPartitions = [
  { partitionIndex: 0, committedOffset: 42n, committedLeaderEpoch: -1, metadata: '', errorCode: 0 },
  { partitionIndex: 1, committedOffset: -1n, committedLeaderEpoch: -1, metadata: null, errorCode: 0 },
];
const ofBody = {
  throttleTimeMs: 0, topics: [{ name: 'orders', partitions: ofPartitions }], errorCode: 0,
  groups: [{ groupId: 'group-a', topics: [{ name: 'orders', partitions: ofPartitions }], errorCode: 0 }],
};
export const offsetFetchCases = () => [
  ...range(1, 4).map((v) => req(OF, v, 'kafkajs',
    () => kjRequestBody('offsetFetch', v, { groupId: 'group-a', topics: [{ topic: 'orders', partitions: [{ partition: 0 }, { partition: 1 }] }] }),
    { groupId: 'group-a', topics: [{ name: 'orders', partitionIndexes: [0, 1] }] })),
  // kafkajs writes "all topics" as null from v3 (an empty list).
  ...range(3, 4).map((v) => req(OF, v, 'kafkajs', () => kjRequestBody('offsetFetch', v, { groupId: 'group-a', topics: [] }),
    { groupId: 'group-a', topics: null }, '.all-topics')),
  req(OF, 8, 'platformatic',
    () => pkRequestBody('consumer/offset-fetch-v8', [[{ groupId: 'group-a', topics: [{ name: 'orders', partitionIndexes: [0, 1] }] }], true]),
    { groups: [{ groupId: 'group-a', topics: [{ name: 'orders', partitionIndexes: [0, 1] }] }], requireStable: true }),
  ...range(1, 4).map((v) => kjRes(OF, v, ofBody, (d) => ({
    throttleTimeMs: thr(d), errorCode: d.errorCode,
    topics: d.responses.map((r) => ({ name: r.topic, partitions: r.partitions.map((p) => ({
      partitionIndex: p.partition, committedOffset: big(p.offset), metadata: p.metadata, errorCode: p.errorCode,
    })) })),
  }))),
  pkRes(OF, 8, ofBody),
];

const DG = { name: 'DescribeGroups', key: 15, kj: 'describeGroups', pk: 'admin/describe-groups' };
const dgBody = { throttleTimeMs: 0, groups: [{
  errorCode: 0, groupId: 'group-a', groupState: 'Stable', protocolType: 'consumer', protocolData: 'roundrobin',
  members: [{ memberId: 'member-1', groupInstanceId: null, clientId: 'c1', clientHost: '/127.0.0.1', memberMetadata: bytes('md'), memberAssignment: bytes('as') }],
  authorizedOperations: -2147483648,
}] };
export const describeGroupsCases = () => [
  ...range(0, 2).map((v) => req(DG, v, 'kafkajs', () => kjRequestBody('describeGroups', v, { groupIds: ['group-a', 'group-b'] }), { groups: ['group-a', 'group-b'] })),
  req(DG, 5, 'platformatic', () => pkRequestBody('admin/describe-groups-v5', [['group-a'], true]), { groups: ['group-a'], includeAuthorizedOperations: true }),
  ...range(0, 2).map((v) => kjRes(DG, v, dgBody, (d) => ({
    throttleTimeMs: thr(d),
    groups: d.groups.map((g) => ({
      errorCode: g.errorCode, groupId: g.groupId, groupState: g.state, protocolType: g.protocolType, protocolData: g.protocol,
      members: g.members.map((m) => ({ memberId: m.memberId, clientId: m.clientId, clientHost: m.clientHost, memberMetadata: m.memberMetadata, memberAssignment: m.memberAssignment })),
    })),
  }))),
  pkRes(DG, 5, dgBody),
];

const LGR = { name: 'ListGroups', key: 16, kj: 'listGroups', pk: 'admin/list-groups' };
const lgrBody = { throttleTimeMs: 0, errorCode: 0, groups: [{ groupId: 'group-a', protocolType: 'consumer', groupState: 'Stable' }] };
export const listGroupsCases = () => [
  ...range(0, 2).map((v) => req(LGR, v, 'kafkajs', () => kjRequestBody('listGroups', v, {}), {})),
  req(LGR, 4, 'platformatic', () => pkRequestBody('admin/list-groups-v4', [['stable', 'empty']]), { statesFilter: ['Stable', 'Empty'] }),
  ...range(0, 2).map((v) => kjRes(LGR, v, lgrBody, (d) => ({ throttleTimeMs: thr(d), errorCode: d.errorCode, groups: d.groups }))),
  pkRes(LGR, 4, lgrBody),
];
