/**
 * Messages of the group coordinator (DESIGN §6a): Kafka's classic group protocol as plain data.
 * Requests come from clients (the Kafka listener, the embedded group consumer, the sim) with a
 * `reqId`/`replyTo`; every reply carries the request's `reqId` and a Kafka error code
 * (`errorCode`, 0 = none) — the coordinator speaks Kafka's codes because its protocol is Kafka's.
 *
 * Where it lives: the coordinator is co-hosted in the SC's actor (actors/groups/hosted.ts), so its
 * address is the SC's id on every host (GROUP_COORDINATOR_ID) and it needs no host change.
 *
 * Offsets are JS numbers (safe integers); protocol metadata and assignments are opaque bytes (the
 * consumer protocol's encoding, which the coordinator never decodes).
 */
import { SC_ID } from '../../src/runtime/actor-ids.js';

export const GROUP_COORDINATOR_ID = SC_ID;

/** Kafka's group states (DescribeGroups/ListGroups spell them like this). */
export type GroupState = 'Empty' | 'PreparingRebalance' | 'CompletingRebalance' | 'Stable' | 'Dead';

export interface GroupProtocol { name: string; metadata: Uint8Array }

// ---- client → coordinator ----------------------------------------------------------------
export interface GroupJoin {
  type: 'GroupJoin';
  reqId: number;
  replyTo: string;
  groupId: string;
  /** '' for a new member. */
  memberId: string;
  groupInstanceId: string | null;
  clientId: string;
  clientHost: string;
  sessionTimeoutMs: number;
  rebalanceTimeoutMs: number;
  protocolType: string;
  protocols: GroupProtocol[];
  /** JoinGroup v4+: a new dynamic member first gets MEMBER_ID_REQUIRED with its minted id. */
  requireKnownMemberId: boolean;
}
export interface GroupSync {
  type: 'GroupSync';
  reqId: number;
  replyTo: string;
  groupId: string;
  memberId: string;
  generationId: number;
  protocolType: string | null;
  protocolName: string | null;
  /** The leader's assignment (empty from followers). */
  assignments: { memberId: string; assignment: Uint8Array }[];
}
export interface GroupHeartbeat { type: 'GroupHeartbeat'; reqId: number; replyTo: string; groupId: string; memberId: string; generationId: number }
export interface GroupLeave {
  type: 'GroupLeave';
  reqId: number;
  replyTo: string;
  groupId: string;
  members: { memberId: string; groupInstanceId: string | null }[];
}
export interface CommittedOffset { topic: string; partition: number; offset: number; metadata: string | null }
export interface OffsetCommit {
  type: 'OffsetCommit';
  reqId: number;
  replyTo: string;
  groupId: string;
  /** '' with generationId -1: a "simple" commit by a client that manages its own partitions. */
  memberId: string;
  generationId: number;
  offsets: CommittedOffset[];
}
export interface OffsetFetchRequest {
  type: 'OffsetFetch';
  reqId: number;
  replyTo: string;
  groupId: string;
  /** null = every committed offset of the group. */
  topics: { topic: string; partitions: number[] }[] | null;
}
export interface GroupList { type: 'GroupList'; reqId: number; replyTo: string }
export interface GroupDescribe { type: 'GroupDescribe'; reqId: number; replyTo: string; groupIds: string[] }

// ---- coordinator → client ----------------------------------------------------------------
export interface GroupJoinReply {
  type: 'GroupJoinReply';
  reqId: number;
  errorCode: number;
  generationId: number;
  protocolType: string | null;
  protocolName: string | null;
  leader: string;
  memberId: string;
  /** The leader's reply lists every member with its metadata for the chosen protocol; followers get []. */
  members: { memberId: string; groupInstanceId: string | null; metadata: Uint8Array }[];
}
export interface GroupSyncReply {
  type: 'GroupSyncReply';
  reqId: number;
  errorCode: number;
  protocolType: string | null;
  protocolName: string | null;
  assignment: Uint8Array;
}
export interface GroupHeartbeatReply { type: 'GroupHeartbeatReply'; reqId: number; errorCode: number }
export interface GroupLeaveReply {
  type: 'GroupLeaveReply';
  reqId: number;
  errorCode: number;
  members: { memberId: string; groupInstanceId: string | null; errorCode: number }[];
}
export interface OffsetCommitReply {
  type: 'OffsetCommitReply';
  reqId: number;
  results: { topic: string; partition: number; errorCode: number }[];
}
export interface OffsetFetchReply {
  type: 'OffsetFetchReply';
  reqId: number;
  errorCode: number;
  /** offset -1 = nothing committed. */
  offsets: { topic: string; partition: number; offset: number; metadata: string | null; errorCode: number }[];
}
export interface GroupListing { groupId: string; protocolType: string; state: GroupState }
export interface GroupListReply { type: 'GroupListReply'; reqId: number; errorCode: number; groups: GroupListing[] }
export interface GroupMemberDescription {
  memberId: string;
  groupInstanceId: string | null;
  clientId: string;
  clientHost: string;
  /** The member's metadata for the group's protocol (empty unless a protocol is chosen). */
  metadata: Uint8Array;
  assignment: Uint8Array;
}
export interface GroupDescription {
  groupId: string;
  errorCode: number;
  state: GroupState;
  protocolType: string;
  /** The chosen protocol's name ('' when none). */
  protocol: string;
  generationId: number;
  leader: string;
  members: GroupMemberDescription[];
}
export interface GroupDescribeReply { type: 'GroupDescribeReply'; reqId: number; groups: GroupDescription[] }

// ---- coordinator timers (to itself) --------------------------------------------------------
/** The join phase's deadline (rebalance timeout, or the initial delay of an empty group). */
export interface GroupJoinTimeout { type: 'GroupJoinTimeout'; groupId: string; token: number }
/** The sync phase's deadline: members that have not synced by then are removed. */
export interface GroupSyncTimeout { type: 'GroupSyncTimeout'; groupId: string; token: number }
/** A member's session deadline (re-armed on expiry if it heartbeated meanwhile). */
export interface GroupSessionTimeout { type: 'GroupSessionTimeout'; groupId: string; memberId: string }
/** Save the commits of this turn at once, then answer them (offsets.ts: one save for many commits). */
export interface GroupFlush { type: 'GroupFlush' }

// ---- who receives what ----------------------------------------------------------------------
export type GroupRequest = GroupJoin | GroupSync | GroupHeartbeat | GroupLeave | OffsetCommit | OffsetFetchRequest | GroupList | GroupDescribe;
export type GroupTimer = GroupJoinTimeout | GroupSyncTimeout | GroupSessionTimeout | GroupFlush;
/** Messages the group coordinator receives. */
export type GroupsMessage = GroupRequest | GroupTimer;
/** Replies clients receive from the coordinator. */
export type GroupsClientMessage =
  | GroupJoinReply | GroupSyncReply | GroupHeartbeatReply | GroupLeaveReply | OffsetCommitReply | OffsetFetchReply
  | GroupListReply | GroupDescribeReply;
