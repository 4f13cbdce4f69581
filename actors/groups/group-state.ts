/**
 * The group coordinator's model: its config (with the defaults documented here), the groups with
 * their members, and the pure helpers the protocol files share (protocol vote, minted member ids,
 * the empty consumer assignment).
 *
 * Timing defaults (GROUP_DEFAULTS) differ from Kafka's on purpose — rivulet is a test and embedded
 * platform, and Kafka's 3 s initial rebalance delay is the classic slow-test complaint:
 * - initialRebalanceDelayMs 200: an empty group waits this long after its first member joins
 *   (extended by the same again, up to the rebalance timeout, while new members keep arriving),
 *   so consumers started together land in one generation. Kafka: 3000.
 * - minSessionTimeoutMs 100 / maxSessionTimeoutMs 1,800,000: Kafka 6000 / 1,800,000.
 *
 * Invariants:
 * - `members` and `pending` are disjoint; a member id is in at most one group.
 * - `leader` is a member of the group, or '' when it has none.
 * - A member has at most one parked join and one parked sync.
 */
import type { ActorId, TimerId } from '../../src/runtime/actor.js';
import type { GroupProtocol, GroupState, OffsetCommitReply } from './messages.js';

export interface GroupConfig {
  initialRebalanceDelayMs: number;
  minSessionTimeoutMs: number;
  maxSessionTimeoutMs: number;
  /** Kafka's offset.metadata.max.bytes. */
  offsetMetadataMaxBytes: number;
  maxGroups: number;
  maxMembersPerGroup: number;
}

export const GROUP_DEFAULTS: GroupConfig = {
  initialRebalanceDelayMs: 200,
  minSessionTimeoutMs: 100,
  maxSessionTimeoutMs: 1_800_000,
  offsetMetadataMaxBytes: 4096,
  maxGroups: 10_000,
  maxMembersPerGroup: 1_000,
};

/** Kafka's error codes the coordinator answers with. */
export const GroupError = {
  NONE: 0,
  OFFSET_METADATA_TOO_LARGE: 12,
  COORDINATOR_NOT_AVAILABLE: 15,
  ILLEGAL_GENERATION: 22,
  INCONSISTENT_GROUP_PROTOCOL: 23,
  INVALID_GROUP_ID: 24,
  UNKNOWN_MEMBER_ID: 25,
  INVALID_SESSION_TIMEOUT: 26,
  REBALANCE_IN_PROGRESS: 27,
  GROUP_MAX_SIZE_REACHED: 81,
  MEMBER_ID_REQUIRED: 79,
} as const;

export interface Parked { reqId: number; replyTo: ActorId }

export interface Member {
  memberId: string;
  groupInstanceId: string | null;
  clientId: string;
  clientHost: string;
  sessionTimeoutMs: number;
  rebalanceTimeoutMs: number;
  protocolType: string;
  protocols: GroupProtocol[];
  assignment: Uint8Array;
  awaitingJoin: Parked | undefined;
  awaitingSync: Parked | undefined;
  /** Host time after which the member's session has expired (pushed on by every contact). */
  sessionDeadline: number;
  /** The session timer is armed (one per member; re-armed on expiry if the deadline moved). */
  sessionTimer: TimerId | undefined;
}

export interface StoredOffset { offset: number; metadata: string | null }

export interface Group {
  id: string;
  state: GroupState;
  generation: number;
  protocolType: string;
  protocolName: string;
  leader: string;
  /** Join order (Map keeps insertion order): the first member becomes leader when there is none. */
  members: Map<string, Member>;
  /** Ids handed out with MEMBER_ID_REQUIRED, not yet back (id → expiry time). */
  pending: Map<string, number>;
  /** Members of this generation that have not sent SyncGroup yet (removed at the sync deadline). */
  pendingSync: Set<string>;
  /** The current join or sync phase timer, and the token that makes older ones stale. */
  phaseTimer: TimerId | undefined;
  phaseToken: number;
  /** Inside the initial delay of a group that was empty: how much longer it may be extended. */
  initialDelay: { remainingMs: number; newMemberAdded: boolean } | undefined;
  /** Committed offsets by `topic\u0000partition`. */
  offsets: Map<string, StoredOffset>;
}

export interface CoordinatorModel {
  readonly config: GroupConfig;
  readonly groups: Map<string, Group>;
  /** Commit replies waiting for this turn's save (offsets.ts), in arrival order. */
  readonly unsaved: { to: ActorId; reply: OffsetCommitReply }[];
}

export function newGroup(id: string): Group {
  return {
    id, state: 'Empty', generation: 0, protocolType: '', protocolName: '', leader: '',
    members: new Map(), pending: new Map(), pendingSync: new Set(), phaseTimer: undefined, phaseToken: 0, initialDelay: undefined, offsets: new Map(),
  };
}

export const offsetKey = (topic: string, partition: number): string => `${topic}\u0000${partition}`;

export function splitOffsetKey(key: string): { topic: string; partition: number } {
  const at = key.lastIndexOf('\u0000');
  return { topic: key.slice(0, at), partition: Number(key.slice(at + 1)) };
}

/** A Kafka-style member id: `<clientId>-<32 hex digits>` from the actor's (seeded) entropy. */
export function mintMemberId(clientId: string, random: () => number): string {
  let hex = '';
  for (let i = 0; i < 4; i++) hex += Math.floor(random() * 0x1_0000_0000).toString(16).padStart(8, '0');
  return `${clientId || 'member'}-${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/**
 * The protocol every member supports, by vote: each member votes for its most preferred protocol
 * among those all support; the most votes wins, ties go to the first member's preference order.
 * undefined when the members share no protocol.
 */
export function selectProtocol(members: Iterable<Member>): string | undefined {
  const list = [...members];
  if (list.length === 0) return undefined;
  const candidates = list[0]!.protocols.map((p) => p.name).filter((name) => list.every((m) => m.protocols.some((p) => p.name === name)));
  if (candidates.length === 0) return undefined;
  const votes = new Map<string, number>(candidates.map((c) => [c, 0]));
  for (const m of list) {
    const choice = m.protocols.find((p) => votes.has(p.name))!;
    votes.set(choice.name, votes.get(choice.name)! + 1);
  }
  let best = candidates[0]!;
  for (const c of candidates) if (votes.get(c)! > votes.get(best)!) best = c;
  return best;
}

/** True when a joining member's protocols leave the group with at least one common protocol. */
export function compatibleWith(group: Group, protocolType: string, protocols: GroupProtocol[], except?: string): boolean {
  if (protocolType.length === 0 || protocols.length === 0) return false;
  const others = [...group.members.values()].filter((m) => m.memberId !== except);
  if (others.length === 0) return true;
  if (others[0]!.protocolType !== protocolType) return false;
  return protocols.some((p) => others.every((m) => m.protocols.some((q) => q.name === p.name)));
}

export const metadataFor = (m: Member, protocol: string): Uint8Array => m.protocols.find((p) => p.name === protocol)?.metadata ?? new Uint8Array(0);

/**
 * ConsumerProtocolAssignment v0 with no partitions and null user data: what a consumer gets when
 * the leader assigned it nothing (some clients fail to decode zero bytes).
 */
export const EMPTY_CONSUMER_ASSIGNMENT: Uint8Array = Uint8Array.of(0, 0, 0, 0, 0, 0, 0xff, 0xff, 0xff, 0xff);

/** The longest rebalance timeout among the members (the join phase's deadline). */
export function rebalanceTimeoutOf(group: Group): number {
  let max = 0;
  for (const m of group.members.values()) max = Math.max(max, m.rebalanceTimeoutMs);
  return max;
}

const sameBytes = (a: Uint8Array, b: Uint8Array): boolean => a.length === b.length && a.every((x, i) => x === b[i]);

/** Same protocols with the same metadata, in the same order. */
export function sameProtocols(a: GroupProtocol[], b: GroupProtocol[]): boolean {
  return a.length === b.length && a.every((p, i) => p.name === b[i]!.name && sameBytes(p.metadata, b[i]!.metadata));
}
