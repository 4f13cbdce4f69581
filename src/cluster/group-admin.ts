/**
 * Group listings for the admin API (`admin.listGroups()`, `admin.describeGroup(id)`): the
 * coordinator's view, with consumer-protocol members decoded (subscribed topics, assigned
 * partitions) and, per committed partition, the lag behind its high watermark.
 */
import type { GroupState } from '../../actors/groups/messages.js';
import type { PartitionInfo } from '../../actors/messages.js';
import { RivuletError, ErrorCode } from '../runtime/errors.js';
import { CONSUMER_PROTOCOL_TYPE, decodeAssignment, decodeSubscription } from './consumer-protocol.js';
import type { GroupClient } from './groups.js';

export interface GroupSummary {
  groupId: string;
  protocolType: string;
  state: GroupState;
}

export interface GroupMemberInfo {
  memberId: string;
  clientId: string;
  clientHost: string;
  /** Subscribed topics (consumer groups; [] otherwise). */
  topics: string[];
  /** Assigned partitions (consumer groups in Stable state; [] otherwise). */
  assignment: { topic: string; partition: number }[];
}

export interface GroupOffsetInfo {
  topic: string;
  partition: number;
  committed: number;
  hw: number;
  /** hw - committed (0 when caught up). */
  lag: number;
}

export interface GroupInfo extends GroupSummary {
  protocol: string;
  generationId: number;
  leader: string;
  members: GroupMemberInfo[];
  offsets: GroupOffsetInfo[];
}

function checked(errorCode: number, what: string): void {
  if (errorCode !== 0) throw new RivuletError(ErrorCode.TIMEOUT, `${what}: the group coordinator answered Kafka error ${errorCode}`, { errorCode });
}

export async function listGroups(groups: GroupClient): Promise<GroupSummary[]> {
  const r = await groups.call({ type: 'GroupList' });
  checked(r.errorCode, 'listGroups');
  return r.groups.map(({ groupId, protocolType, state }) => ({ groupId, protocolType, state }));
}

/** A group with its members, their assignments and each committed partition's lag (state 'Dead' when unknown). */
export async function describeGroup(groups: GroupClient, partitions: () => Promise<PartitionInfo[]>, groupId: string): Promise<GroupInfo> {
  const [d] = (await groups.call({ type: 'GroupDescribe', groupIds: [groupId] })).groups;
  if (!d) throw new RivuletError(ErrorCode.INTERNAL, `describeGroup: no answer for '${groupId}'`);
  checked(d.errorCode, 'describeGroup');
  const fetched = await groups.call({ type: 'OffsetFetch', groupId, topics: null });
  const consumer = d.protocolType === CONSUMER_PROTOCOL_TYPE;
  const safe = <T>(f: () => T, fallback: T): T => {
    try {
      return f();
    } catch {
      return fallback;
    }
  };
  const hw = new Map((fetched.offsets.length > 0 ? await partitions() : []).map((p) => [`${p.topic}/${p.partition}`, p.hw]));
  return {
    groupId, protocolType: d.protocolType, state: d.state, protocol: d.protocol, generationId: d.generationId, leader: d.leader,
    members: d.members.map((m) => ({
      memberId: m.memberId, clientId: m.clientId, clientHost: m.clientHost,
      topics: consumer && m.metadata.length > 0 ? safe(() => decodeSubscription(m.metadata).topics, []) : [],
      assignment: consumer ? safe(() => [...decodeAssignment(m.assignment)].flatMap(([topic, ps]) => ps.map((partition) => ({ topic, partition }))), []) : [],
    })),
    offsets: fetched.offsets.map((o) => {
      const end = hw.get(`${o.topic}/${o.partition}`) ?? o.offset;
      return { topic: o.topic, partition: o.partition, committed: o.offset, hw: end, lag: Math.max(0, end - o.offset) };
    }),
  };
}
