/**
 * Consumer-group membership over the Kafka protocol: FindCoordinator, JoinGroup, SyncGroup,
 * Heartbeat, LeaveGroup — each a request to the group coordinator (actors/groups, co-hosted with
 * the SC) through the backend. Handlers are async, so a join parked for a whole rebalance blocks
 * only its own connection's response order, never the listener.
 *
 * The coordinator is reachable from every SPU's port. FindCoordinator still names one broker per
 * group, as Kafka does — `hash(groupId)` over the brokers, moved on to the next online one if that
 * SPU is down — because clients such as kafkajs list groups by asking every broker and concatenate
 * the answers: ListGroups on a broker lists the groups it is named coordinator of.
 *
 * When the coordinator cannot be reached (host timeout, cluster closing) the answer is
 * COORDINATOR_NOT_AVAILABLE (15): clients look the coordinator up again and retry.
 */
import type { GroupProtocol } from '../../../actors/groups/messages.js';
import { GROUP_CALL_SLACK_MS } from '../../cluster/groups.js';
import type { BrokerAddress, RequestContext } from '../context.js';
import { Wire } from './errors.js';

export const COORDINATOR_NOT_AVAILABLE = 15;
/** How long a client's SyncGroup may stay parked (the coordinator answers within the rebalance timeout). */
const SYNC_TIMEOUT_MS = 30 * 60_000;
const HEARTBEAT_TIMEOUT_MS = 30_000;

/** Java's String.hashCode, as Kafka hashes a group id onto its offsets partitions. */
function javaHash(s: string): number {
  let h = 0;
  for (let i = 0; i < s.length; i++) h = (Math.imul(h, 31) + s.charCodeAt(i)) | 0;
  return h;
}

/** The broker named coordinator of `groupId`: its hash slot, or the next online broker after it. */
export function coordinatorOf(groupId: string, brokers: readonly BrokerAddress[], online: ReadonlySet<number>): BrokerAddress | undefined {
  const sorted = [...brokers].sort((a, b) => a.nodeId - b.nodeId);
  if (sorted.length === 0) return undefined;
  const start = (javaHash(groupId) & 0x7fffffff) % sorted.length;
  for (let i = 0; i < sorted.length; i++) {
    const b = sorted[(start + i) % sorted.length]!;
    if (online.has(b.nodeId)) return b;
  }
  return sorted[start];
}

export async function onlineSpus(rc: RequestContext): Promise<Set<number>> {
  const view = await rc.server.view.get();
  return new Set(view.spus.filter((s) => s.status === 'online').map((s) => s.id));
}

interface FindCoordinatorRequest { key: string; keyType: number; coordinatorKeys: string[] }

export async function findCoordinator(rc: RequestContext, body: FindCoordinatorRequest) {
  const online = await onlineSpus(rc);
  const one = (key: string) => {
    if (body.keyType !== 0) return { key, nodeId: -1, host: '', port: -1, errorCode: COORDINATOR_NOT_AVAILABLE, errorMessage: 'rivulet has no transaction coordinator' };
    const b = coordinatorOf(key, rc.server.brokers(), online);
    if (!b) return { key, nodeId: -1, host: '', port: -1, errorCode: COORDINATOR_NOT_AVAILABLE, errorMessage: 'no broker is listening' };
    return { key, nodeId: b.nodeId, host: b.host, port: b.port, errorCode: Wire.NONE, errorMessage: null };
  };
  if (rc.apiVersion >= 4) return { throttleTimeMs: 0, coordinators: body.coordinatorKeys.map(one) };
  return { throttleTimeMs: 0, ...one(body.key) };
}

interface JoinGroupRequest {
  groupId: string;
  sessionTimeoutMs: number;
  rebalanceTimeoutMs: number;
  memberId: string;
  groupInstanceId: string | null;
  protocolType: string;
  protocols: GroupProtocol[];
}

export async function joinGroup(rc: RequestContext, body: JoinGroupRequest) {
  const v = rc.apiVersion;
  const rebalanceTimeoutMs = v >= 1 && body.rebalanceTimeoutMs > 0 ? body.rebalanceTimeoutMs : body.sessionTimeoutMs;
  const base = { throttleTimeMs: 0, protocolType: null, skipAssignment: false };
  try {
    const r = await rc.server.backend.group({
      type: 'GroupJoin', groupId: body.groupId, memberId: body.memberId,
      groupInstanceId: v >= 5 ? body.groupInstanceId : null,
      clientId: rc.clientId ?? '', clientHost: '/127.0.0.1',
      sessionTimeoutMs: body.sessionTimeoutMs, rebalanceTimeoutMs,
      protocolType: body.protocolType, protocols: body.protocols, requireKnownMemberId: v >= 4,
    }, rebalanceTimeoutMs + GROUP_CALL_SLACK_MS);
    return {
      ...base, errorCode: r.errorCode, generationId: r.generationId, protocolType: r.protocolType,
      protocolName: v >= 7 ? r.protocolName : (r.protocolName ?? ''), leader: r.leader, memberId: r.memberId,
      members: r.members,
    };
  } catch (err) {
    rc.server.log.warn({ group: body.groupId, err: String(err) }, 'listener: JoinGroup failed');
    return { ...base, errorCode: COORDINATOR_NOT_AVAILABLE, generationId: -1, protocolName: v >= 7 ? null : '', leader: '', memberId: body.memberId, members: [] };
  }
}

interface SyncGroupRequest {
  groupId: string;
  generationId: number;
  memberId: string;
  protocolType: string | null;
  protocolName: string | null;
  assignments: { memberId: string; assignment: Uint8Array }[];
}

export async function syncGroup(rc: RequestContext, body: SyncGroupRequest) {
  const v5 = rc.apiVersion >= 5;
  try {
    const r = await rc.server.backend.group({
      type: 'GroupSync', groupId: body.groupId, memberId: body.memberId, generationId: body.generationId,
      protocolType: v5 ? body.protocolType : null, protocolName: v5 ? body.protocolName : null, assignments: body.assignments,
    }, SYNC_TIMEOUT_MS);
    return { throttleTimeMs: 0, errorCode: r.errorCode, protocolType: r.protocolType, protocolName: r.protocolName, assignment: r.assignment };
  } catch (err) {
    rc.server.log.warn({ group: body.groupId, err: String(err) }, 'listener: SyncGroup failed');
    return { throttleTimeMs: 0, errorCode: COORDINATOR_NOT_AVAILABLE, protocolType: null, protocolName: null, assignment: new Uint8Array(0) };
  }
}

export async function heartbeat(rc: RequestContext, body: { groupId: string; generationId: number; memberId: string }) {
  try {
    const r = await rc.server.backend.group({ type: 'GroupHeartbeat', groupId: body.groupId, memberId: body.memberId, generationId: body.generationId }, HEARTBEAT_TIMEOUT_MS);
    return { throttleTimeMs: 0, errorCode: r.errorCode };
  } catch {
    return { throttleTimeMs: 0, errorCode: COORDINATOR_NOT_AVAILABLE };
  }
}

interface LeaveGroupRequest {
  groupId: string;
  memberId: string;
  members: { memberId: string; groupInstanceId: string | null }[];
}

export async function leaveGroup(rc: RequestContext, body: LeaveGroupRequest) {
  const batch = rc.apiVersion >= 3;
  const members = batch ? body.members.map((m) => ({ memberId: m.memberId, groupInstanceId: m.groupInstanceId })) : [{ memberId: body.memberId, groupInstanceId: null }];
  try {
    const r = await rc.server.backend.group({ type: 'GroupLeave', groupId: body.groupId, members }, HEARTBEAT_TIMEOUT_MS);
    if (!batch) return { throttleTimeMs: 0, errorCode: r.members[0]?.errorCode ?? r.errorCode, members: [] };
    return { throttleTimeMs: 0, errorCode: r.errorCode, members: r.members };
  } catch {
    return { throttleTimeMs: 0, errorCode: COORDINATOR_NOT_AVAILABLE, members: [] };
  }
}
