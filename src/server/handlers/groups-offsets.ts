/**
 * Committed offsets and group listings over the Kafka protocol: OffsetCommit, OffsetFetch,
 * ListGroups, DescribeGroups — requests to the group coordinator through the backend.
 *
 * - OffsetCommit v0 has no generation or member: a "simple" commit (generation -1). A partition
 *   the cluster does not have is UNKNOWN_TOPIC_OR_PARTITION and is not stored.
 * - OffsetFetch: topics null (v2+) = every committed offset of the group; v8 batches groups.
 *   committedOffset -1 = nothing committed.
 * - ListGroups on a broker lists the groups that broker is named coordinator of (groups.ts), so a
 *   client asking every broker sees each group once; states filter (v4+) applied here.
 */
import type { OffsetFetchReply } from '../../../actors/groups/messages.js';
import type { RequestContext } from '../context.js';
import { Wire } from './errors.js';
import { COORDINATOR_NOT_AVAILABLE, coordinatorOf, onlineSpus } from './groups.js';

const CALL_TIMEOUT_MS = 30_000;
const NO_AUTH_OPS = -2147483648;

interface OffsetCommitRequest {
  groupId: string;
  generationIdOrMemberEpoch: number;
  memberId: string;
  topics: { name: string; partitions: { partitionIndex: number; committedOffset: bigint; committedMetadata: string | null }[] }[];
}

export async function offsetCommit(rc: RequestContext, body: OffsetCommitRequest) {
  const v0 = rc.apiVersion === 0;
  const codes = new Map<string, number>();
  const key = (t: string, p: number) => `${t}\u0000${p}`;
  const offsets: { topic: string; partition: number; offset: number; metadata: string | null }[] = [];
  for (const t of body.topics) {
    for (const p of t.partitions) {
      if (!(await rc.server.view.partition(t.name, p.partitionIndex))) codes.set(key(t.name, p.partitionIndex), Wire.UNKNOWN_TOPIC_OR_PARTITION);
      else offsets.push({ topic: t.name, partition: p.partitionIndex, offset: Number(p.committedOffset), metadata: p.committedMetadata });
    }
  }
  if (offsets.length > 0) {
    try {
      const r = await rc.server.backend.group({
        type: 'OffsetCommit', groupId: body.groupId, offsets,
        memberId: v0 ? '' : body.memberId, generationId: v0 ? -1 : body.generationIdOrMemberEpoch,
      }, CALL_TIMEOUT_MS);
      for (const x of r.results) codes.set(key(x.topic, x.partition), x.errorCode);
    } catch {
      for (const o of offsets) codes.set(key(o.topic, o.partition), COORDINATOR_NOT_AVAILABLE);
    }
  }
  return {
    throttleTimeMs: 0,
    topics: body.topics.map((t) => ({
      name: t.name,
      partitions: t.partitions.map((p) => ({ partitionIndex: p.partitionIndex, errorCode: codes.get(key(t.name, p.partitionIndex)) ?? Wire.NONE })),
    })),
  };
}

type FetchTopics = { name: string; partitionIndexes: number[] }[] | null;

/** One group's offsets in the response's topics[] shape; errorCode for the group. */
async function fetchGroup(rc: RequestContext, groupId: string, topics: FetchTopics) {
  let r: OffsetFetchReply;
  try {
    r = await rc.server.backend.group({
      type: 'OffsetFetch', groupId, topics: topics === null ? null : topics.map((t) => ({ topic: t.name, partitions: t.partitionIndexes })),
    }, CALL_TIMEOUT_MS);
  } catch {
    return { errorCode: COORDINATOR_NOT_AVAILABLE, topics: [] };
  }
  const byTopic = new Map<string, { partitionIndex: number; committedOffset: bigint; committedLeaderEpoch: number; metadata: string | null; errorCode: number }[]>();
  for (const o of r.offsets) {
    let list = byTopic.get(o.topic);
    if (!list) byTopic.set(o.topic, (list = []));
    list.push({ partitionIndex: o.partition, committedOffset: BigInt(o.offset), committedLeaderEpoch: -1, metadata: o.metadata, errorCode: o.errorCode });
  }
  return { errorCode: r.errorCode, topics: [...byTopic].map(([name, partitions]) => ({ name, partitions })) };
}

interface OffsetFetchRequest {
  groupId: string;
  topics: FetchTopics;
  groups: { groupId: string; topics: FetchTopics }[];
}

export async function offsetFetch(rc: RequestContext, body: OffsetFetchRequest) {
  if (rc.apiVersion >= 8) {
    const groups = await Promise.all(body.groups.map(async (g) => ({ groupId: g.groupId, ...(await fetchGroup(rc, g.groupId, g.topics)) })));
    return { throttleTimeMs: 0, groups };
  }
  const { errorCode, topics } = await fetchGroup(rc, body.groupId, body.topics);
  // v0–1 carry errors per partition only.
  if (rc.apiVersion < 2 && errorCode !== Wire.NONE) {
    const failed = (body.topics ?? []).map((t) => ({
      name: t.name,
      partitions: t.partitionIndexes.map((p) => ({ partitionIndex: p, committedOffset: -1n, committedLeaderEpoch: -1, metadata: '', errorCode })),
    }));
    return { throttleTimeMs: 0, topics: failed, errorCode };
  }
  return { throttleTimeMs: 0, topics, errorCode };
}

export async function listGroups(rc: RequestContext, body: { statesFilter: string[] }) {
  try {
    const [r, online] = await Promise.all([rc.server.backend.group({ type: 'GroupList' }, CALL_TIMEOUT_MS), onlineSpus(rc)]);
    const brokers = rc.server.brokers();
    const states = rc.apiVersion >= 4 && body.statesFilter.length > 0 ? new Set(body.statesFilter) : undefined;
    const groups = r.groups
      .filter((g) => coordinatorOf(g.groupId, brokers, online)?.nodeId === rc.nodeId)
      .filter((g) => !states || states.has(g.state))
      .map((g) => ({ groupId: g.groupId, protocolType: g.protocolType, groupState: g.state }));
    return { throttleTimeMs: 0, errorCode: r.errorCode, groups };
  } catch {
    return { throttleTimeMs: 0, errorCode: COORDINATOR_NOT_AVAILABLE, groups: [] };
  }
}

export async function describeGroups(rc: RequestContext, body: { groups: string[] }) {
  try {
    const r = await rc.server.backend.group({ type: 'GroupDescribe', groupIds: body.groups }, CALL_TIMEOUT_MS);
    return {
      throttleTimeMs: 0,
      groups: r.groups.map((g) => ({
        errorCode: g.errorCode,
        groupId: g.groupId,
        groupState: g.state,
        protocolType: g.protocolType,
        protocolData: g.protocol,
        members: g.members.map((m) => ({
          memberId: m.memberId, groupInstanceId: m.groupInstanceId, clientId: m.clientId, clientHost: m.clientHost,
          memberMetadata: m.metadata, memberAssignment: m.assignment,
        })),
        authorizedOperations: NO_AUTH_OPS,
      })),
    };
  } catch {
    return {
      throttleTimeMs: 0,
      groups: body.groups.map((groupId) => ({ errorCode: COORDINATOR_NOT_AVAILABLE, groupId, groupState: '', protocolType: '', protocolData: '', members: [], authorizedOperations: NO_AUTH_OPS })),
    };
  }
}
