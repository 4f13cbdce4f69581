/**
 * Golden cases for the consumer-group APIs: FindCoordinator, JoinGroup, SyncGroup, Heartbeat,
 * LeaveGroup (kafkajs 0–3 / 0–5, @platformatic/kafka the first flexible versions). Versions
 * neither implements (FindCoordinator 3) rely on the schema property tests.
 */
import { kjDecodeResponse, kjRequestBody, pkDecodeResponse, pkRequestBody } from './libs.mjs';
import { bytes, range, thr } from './util.mjs';

export const req = (api, v, source, theirs, body, variant = '') =>
  ({ id: `${api.name}.v${v}.request.${source}${variant}`, apiKey: api.key, version: v, kind: 'request', source, theirs, body });
export const kjRes = (api, v, body, project) => ({
  id: `${api.name}.v${v}.response.kafkajs`, apiKey: api.key, version: v, kind: 'response', source: 'kafkajs',
  body, decode: (b) => kjDecodeResponse(api.kj, v, b), project,
});
export const pkRes = (api, v, body, project = (d) => d) => ({
  id: `${api.name}.v${v}.response.platformatic`, apiKey: api.key, version: v, kind: 'response', source: 'platformatic',
  body, decode: (b) => pkDecodeResponse(`${api.pk}-v${v}`, api.key, v, b), project,
});

const FC = { name: 'FindCoordinator', key: 10, kj: 'findCoordinator', pk: 'metadata/find-coordinator' };
const fcBody = {
  throttleTimeMs: 0, errorCode: 0, errorMessage: null, nodeId: 2, host: 'localhost', port: 9093,
  coordinators: [{ key: 'group-a', nodeId: 2, host: 'localhost', port: 9093, errorCode: 0, errorMessage: null }],
};
export const findCoordinatorCases = () => [
  req(FC, 0, 'kafkajs', () => kjRequestBody('findCoordinator', 0, { groupId: 'group-a' }), { key: 'group-a' }),
  ...range(1, 2).map((v) => req(FC, v, 'kafkajs', () => kjRequestBody('findCoordinator', v, { coordinatorKey: 'tx-1', coordinatorType: 1 }),
    { key: 'tx-1', keyType: 1 })),
  req(FC, 4, 'platformatic', () => pkRequestBody('metadata/find-coordinator-v4', [0, ['group-a', 'group-b']]),
    { keyType: 0, coordinatorKeys: ['group-a', 'group-b'] }),
  ...range(0, 2).map((v) => kjRes(FC, v, fcBody, (d) => ({
    throttleTimeMs: thr(d), errorCode: d.errorCode, errorMessage: d.errorMessage,
    nodeId: d.coordinator.nodeId, host: d.coordinator.host, port: d.coordinator.port,
  }))),
  pkRes(FC, 4, fcBody),
];

const JG = { name: 'JoinGroup', key: 11, kj: 'joinGroup', pk: 'consumer/join-group' };
const META = bytes('\u0000\u0001subscription');
const jgBody = {
  throttleTimeMs: 0, errorCode: 0, generationId: 3, protocolType: 'consumer', protocolName: 'RoundRobinAssigner',
  leader: 'member-1', memberId: 'member-1',
  members: [{ memberId: 'member-1', groupInstanceId: null, metadata: META }, { memberId: 'member-2', groupInstanceId: 'static-2', metadata: META }],
};
export const joinGroupCases = () => [
  ...range(0, 5).map((v) => req(JG, v, 'kafkajs',
    () => kjRequestBody('joinGroup', v, {
      groupId: 'group-a', sessionTimeout: 30000, rebalanceTimeout: 60000, memberId: '', protocolType: 'consumer',
      groupProtocols: [{ name: 'RoundRobinAssigner', metadata: Buffer.from(META) }, { name: 'range' }],
    }),
    {
      groupId: 'group-a', sessionTimeoutMs: 30000, ...(v >= 1 ? { rebalanceTimeoutMs: 60000 } : {}), memberId: '',
      ...(v >= 5 ? { groupInstanceId: null } : {}), protocolType: 'consumer',
      protocols: [{ name: 'RoundRobinAssigner', metadata: META }, { name: 'range', metadata: new Uint8Array(0) }],
    })),
  ...range(6, 7).map((v) => req(JG, v, 'platformatic',
    () => pkRequestBody(`consumer/join-group-v${v}`, ['group-a', 45000, 300000, 'member-1', 'static-1', 'consumer', [{ name: 'roundrobin', metadata: Buffer.from(META) }]]),
    { groupId: 'group-a', sessionTimeoutMs: 45000, rebalanceTimeoutMs: 300000, memberId: 'member-1', groupInstanceId: 'static-1',
      protocolType: 'consumer', protocols: [{ name: 'roundrobin', metadata: META }] })),
  ...range(0, 5).map((v) => kjRes(JG, v, jgBody, (d) => ({
    throttleTimeMs: thr(d), errorCode: d.errorCode, generationId: d.generationId, protocolName: d.groupProtocol,
    leader: d.leaderId, memberId: d.memberId,
    members: d.members.map((m) => ({ memberId: m.memberId, groupInstanceId: m.groupInstanceId, metadata: m.memberMetadata })),
  }))),
  // skipAssignment (v9+) and, at v6, protocolType (v7+) are constants @platformatic/kafka fills in, not wire fields.
  ...range(6, 7).map((v) => pkRes(JG, v, jgBody, ({ skipAssignment, protocolType, ...d }) => (v >= 7 ? { protocolType, ...d } : d))),
];

const SG = { name: 'SyncGroup', key: 14, kj: 'syncGroup', pk: 'consumer/sync-group' };
const ASSIGNMENT = bytes('\u0000\u0001assignment');
const sgBody = { throttleTimeMs: 0, errorCode: 0, protocolType: 'consumer', protocolName: 'roundrobin', assignment: ASSIGNMENT };
export const syncGroupCases = () => [
  ...range(0, 3).map((v) => req(SG, v, 'kafkajs',
    () => kjRequestBody('syncGroup', v, { groupId: 'group-a', generationId: 3, memberId: 'member-1', groupAssignment: [{ memberId: 'member-1', memberAssignment: Buffer.from(ASSIGNMENT) }] }),
    { groupId: 'group-a', generationId: 3, memberId: 'member-1', ...(v >= 3 ? { groupInstanceId: null } : {}),
      assignments: [{ memberId: 'member-1', assignment: ASSIGNMENT }] })),
  ...range(4, 5).map((v) => req(SG, v, 'platformatic',
    () => pkRequestBody(`consumer/sync-group-v${v}`, ['group-a', 3, 'member-2', null, 'consumer', 'roundrobin', []]),
    { groupId: 'group-a', generationId: 3, memberId: 'member-2', groupInstanceId: null,
      ...(v >= 5 ? { protocolType: 'consumer', protocolName: 'roundrobin' } : {}), assignments: [] })),
  ...range(0, 3).map((v) => kjRes(SG, v, sgBody, (d) => ({ throttleTimeMs: thr(d), errorCode: d.errorCode, assignment: d.memberAssignment }))),
  // At v4 @platformatic/kafka fills protocolType/protocolName (v5+ fields) with null.
  ...range(4, 5).map((v) => pkRes(SG, v, sgBody, ({ protocolType, protocolName, ...d }) => (v >= 5 ? { protocolType, protocolName, ...d } : d))),
];

const HB = { name: 'Heartbeat', key: 12, kj: 'heartbeat', pk: 'consumer/heartbeat' };
export const heartbeatCases = () => [
  ...range(0, 3).map((v) => req(HB, v, 'kafkajs',
    () => kjRequestBody('heartbeat', v, { groupId: 'group-a', groupGenerationId: 3, memberId: 'member-1', groupInstanceId: 'static-1' }),
    { groupId: 'group-a', generationId: 3, memberId: 'member-1', ...(v >= 3 ? { groupInstanceId: 'static-1' } : {}) })),
  req(HB, 4, 'platformatic', () => pkRequestBody('consumer/heartbeat-v4', ['group-a', 4, 'member-1', null]),
    { groupId: 'group-a', generationId: 4, memberId: 'member-1', groupInstanceId: null }),
  ...range(0, 3).map((v) => kjRes(HB, v, { throttleTimeMs: 0, errorCode: 27 }, (d) => ({ throttleTimeMs: thr(d), errorCode: d.errorCode }))),
  pkRes(HB, 4, { throttleTimeMs: 0, errorCode: 0 }),
];

const LG = { name: 'LeaveGroup', key: 13, kj: 'leaveGroup', pk: 'consumer/leave-group' };
const lgBody = { throttleTimeMs: 0, errorCode: 0, members: [{ memberId: 'member-1', groupInstanceId: 'static-1', errorCode: 0 }] };
export const leaveGroupCases = () => [
  ...range(0, 2).map((v) => req(LG, v, 'kafkajs', () => kjRequestBody('leaveGroup', v, { groupId: 'group-a', memberId: 'member-1' }),
    { groupId: 'group-a', memberId: 'member-1' })),
  req(LG, 3, 'kafkajs', () => kjRequestBody('leaveGroup', 3, { groupId: 'group-a', members: [{ memberId: 'member-1' }, { memberId: 'm2', groupInstanceId: 's2' }] }),
    { groupId: 'group-a', members: [{ memberId: 'member-1', groupInstanceId: null }, { memberId: 'm2', groupInstanceId: 's2' }] }),
  req(LG, 4, 'platformatic', () => pkRequestBody('consumer/leave-group-v4', ['group-a', [{ memberId: 'member-1', groupInstanceId: null }]]),
    { groupId: 'group-a', members: [{ memberId: 'member-1', groupInstanceId: null }] }),
  ...range(0, 3).map((v) => kjRes(LG, v, lgBody, (d) => ({ throttleTimeMs: thr(d), errorCode: d.errorCode, members: d.members }))),
  pkRes(LG, 4, lgBody),
];
