/**
 * The facade's client of the group coordinator (DESIGN §6a): one typed request/reply call per
 * classic-protocol request, through the host face. The Kafka listener's handlers, the embedded
 * group consumer and the admin's group listings all use it.
 *
 * The coordinator answers with Kafka's error codes (`errorCode` in each reply); this client adds
 * only the host's own failures (TIMEOUT, CLUSTER_CLOSED as RivuletErrors). A join or sync may be
 * parked by the coordinator for up to the group's rebalance timeout: callers pass a timeout that
 * covers it.
 */
import {
  GROUP_COORDINATOR_ID, type GroupDescribeReply, type GroupHeartbeatReply, type GroupJoinReply, type GroupLeaveReply,
  type GroupListReply, type GroupRequest, type GroupSyncReply, type OffsetCommitReply, type OffsetFetchReply,
} from '../../actors/groups/messages.js';
import type { HostTransport } from '../runtime/transport.js';

/** A group request without the envelope fields the client fills in. */
export type GroupRequestBody = GroupRequest extends infer R ? (R extends GroupRequest ? Omit<R, 'reqId' | 'replyTo'> : never) : never;

/** The reply each request type gets. */
export interface GroupReplyOf {
  GroupJoin: GroupJoinReply;
  GroupSync: GroupSyncReply;
  GroupHeartbeat: GroupHeartbeatReply;
  GroupLeave: GroupLeaveReply;
  OffsetCommit: OffsetCommitReply;
  OffsetFetch: OffsetFetchReply;
  GroupList: GroupListReply;
  GroupDescribe: GroupDescribeReply;
}

/** Slack on top of a parked request's own deadline (initial delay, scheduling). */
export const GROUP_CALL_SLACK_MS = 10_000;

export class GroupClient {
  constructor(private readonly t: HostTransport, private readonly timeoutMs: number) {}

  call<B extends GroupRequestBody>(body: B, timeoutMs: number = this.timeoutMs): Promise<GroupReplyOf[B['type']]> {
    const reqId = this.t.nextReqId();
    return this.t.request<GroupReplyOf[B['type']]>(GROUP_COORDINATOR_ID, { ...body, reqId, replyTo: this.t.clientId }, timeoutMs);
  }
}
