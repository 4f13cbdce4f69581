/**
 * One member of a consumer group, as a Kafka client is one: the JoinGroup/SyncGroup round (the
 * member-id round trip, computing the assignment when this member leads), heartbeats, commits,
 * committed-offset lookups and LeaveGroup — over the GroupClient, speaking Kafka's consumer
 * protocol ('consumer', 'RoundRobinAssigner'), so kafkajs members can share the group.
 *
 * Requests the coordinator parks (JoinGroup, a follower's SyncGroup) are sent with a short host
 * timeout and sent again when it passes: the coordinator lets a member's newer request take its
 * parked one's place (and answers a rejoin of a completed phase with its result), so nothing is
 * lost, and a host that runs one request at a time (the simulator) lets other members take turns
 * meanwhile instead of blocking on one parked request.
 *
 * Invariants: `memberId`/`generationId` are those of the last completed sync (or '' / -1);
 * UNKNOWN_MEMBER_ID forgets the member id (the next join starts over); errors that no retry can fix
 * (INCONSISTENT_GROUP_PROTOCOL, INVALID_SESSION_TIMEOUT, INVALID_GROUP_ID) throw INVALID_CONFIG.
 */
import type { HostTransport } from '../runtime/transport.js';
import { RivuletError, ErrorCode } from '../runtime/errors.js';
import type { Admin } from './admin.js';
import {
  CONSUMER_PROTOCOL_TYPE, ROUND_ROBIN, decodeAssignment, decodeSubscription, encodeAssignment, encodeSubscription, roundRobinAssign,
  type Assignment,
} from './consumer-protocol.js';
import { GROUP_CALL_SLACK_MS, type GroupClient, type GroupReplyOf, type GroupRequestBody } from './groups.js';

export const Kafka = { NONE: 0, ILLEGAL_GENERATION: 22, INCONSISTENT_GROUP_PROTOCOL: 23, INVALID_GROUP_ID: 24, UNKNOWN_MEMBER_ID: 25, INVALID_SESSION_TIMEOUT: 26, REBALANCE_IN_PROGRESS: 27, MEMBER_ID_REQUIRED: 79 } as const;
const FATAL: ReadonlySet<number> = new Set([Kafka.INCONSISTENT_GROUP_PROTOCOL, Kafka.INVALID_GROUP_ID, Kafka.INVALID_SESSION_TIMEOUT]);
const SYNC_TIMEOUT_MS = 30 * 60_000;
const RETRY_MS = 50;
/** How long one send of a parked request waits before it is sent again. */
const PARKED_POLL_MS = 200;

export interface MembershipOptions {
  groupId: string;
  topics: readonly string[];
  clientId: string;
  sessionTimeoutMs: number;
  rebalanceTimeoutMs: number;
  requestTimeoutMs: number;
}

export interface Generation {
  generationId: number;
  memberId: string;
  assignment: Assignment;
}

export class GroupMembership {
  memberId = '';
  generationId = -1;

  constructor(
    private readonly groups: GroupClient,
    private readonly t: HostTransport,
    private readonly admin: Admin,
    private readonly o: MembershipOptions,
  ) {}

  private fatal(errorCode: number, what: string): never {
    throw new RivuletError(ErrorCode.INVALID_CONFIG, `group '${this.o.groupId}': ${what} refused with Kafka error ${errorCode}`, { group: this.o.groupId, errorCode });
  }

  /** Join and sync until this member has a generation and its assignment (retrying what a retry can fix). */
  async join(stillWanted: () => boolean): Promise<Generation | undefined> {
    for (let attempt = 0; stillWanted(); attempt++) {
      if (attempt > 0) await this.t.sleep(Math.min(1_000, RETRY_MS * 2 ** Math.min(attempt, 5)));
      const r = await this.parked({
        type: 'GroupJoin', groupId: this.o.groupId, memberId: this.memberId, groupInstanceId: null,
        clientId: this.o.clientId, clientHost: 'embedded', sessionTimeoutMs: this.o.sessionTimeoutMs,
        rebalanceTimeoutMs: this.o.rebalanceTimeoutMs, protocolType: CONSUMER_PROTOCOL_TYPE,
        protocols: [{ name: ROUND_ROBIN, metadata: encodeSubscription(this.o.topics) }], requireKnownMemberId: true,
      }, this.o.rebalanceTimeoutMs + GROUP_CALL_SLACK_MS);
      if (r.errorCode === Kafka.MEMBER_ID_REQUIRED) {
        this.memberId = r.memberId;
        attempt = -1; // straight back with the id
        continue;
      }
      if (FATAL.has(r.errorCode)) this.fatal(r.errorCode, 'JoinGroup');
      if (r.errorCode === Kafka.UNKNOWN_MEMBER_ID) this.memberId = '';
      if (r.errorCode !== Kafka.NONE) continue;
      this.memberId = r.memberId;
      const assignments = r.leader === r.memberId ? await this.assign(r.members) : [];
      const s = await this.parked({
        type: 'GroupSync', groupId: this.o.groupId, memberId: this.memberId, generationId: r.generationId,
        protocolType: CONSUMER_PROTOCOL_TYPE, protocolName: r.protocolName, assignments,
      }, SYNC_TIMEOUT_MS);
      if (s.errorCode === Kafka.NONE) {
        this.generationId = r.generationId;
        return { generationId: r.generationId, memberId: this.memberId, assignment: decodeAssignment(s.assignment) };
      }
      if (FATAL.has(s.errorCode)) this.fatal(s.errorCode, 'SyncGroup');
      if (s.errorCode === Kafka.UNKNOWN_MEMBER_ID) this.memberId = '';
    }
    return undefined;
  }

  /** A request the coordinator may park: sent again every PARKED_POLL_MS until answered or `timeoutMs` passes. */
  private async parked<B extends GroupRequestBody>(body: B, timeoutMs: number): Promise<GroupReplyOf[B['type']]> {
    const deadline = this.t.now() + timeoutMs;
    for (;;) {
      try {
        return await this.groups.call(body, PARKED_POLL_MS);
      } catch (err) {
        if (!(err instanceof RivuletError) || err.code !== ErrorCode.TIMEOUT || this.t.now() >= deadline) throw err;
      }
    }
  }

  /** The leader's work: every member's partitions by round robin over what each subscribed to. */
  private async assign(members: { memberId: string; metadata: Uint8Array }[]): Promise<{ memberId: string; assignment: Uint8Array }[]> {
    const subs = members.map((m) => ({ memberId: m.memberId, topics: decodeSubscription(m.metadata).topics }));
    const counts = new Map<string, number>();
    for (const topic of new Set(subs.flatMap((s) => s.topics))) {
      counts.set(topic, await this.admin.topicPartitions(topic).then((p) => p.length, () => 0));
    }
    return [...roundRobinAssign(subs, (topic) => counts.get(topic) ?? 0)].map(([memberId, a]) => ({ memberId, assignment: encodeAssignment(a) }));
  }

  /** One heartbeat: 0, or the Kafka error that means "rejoin" (27, 22, 25). */
  async heartbeat(): Promise<number> {
    const r = await this.groups.call({ type: 'GroupHeartbeat', groupId: this.o.groupId, memberId: this.memberId, generationId: this.generationId }, this.o.requestTimeoutMs);
    if (r.errorCode === Kafka.UNKNOWN_MEMBER_ID) this.memberId = '';
    return r.errorCode;
  }

  /** Commit offsets as this generation's member; returns the first error code (0 = all stored). */
  async commit(offsets: { topic: string; partition: number; offset: number }[]): Promise<number> {
    if (offsets.length === 0) return Kafka.NONE;
    const r = await this.groups.call({
      type: 'OffsetCommit', groupId: this.o.groupId, memberId: this.memberId, generationId: this.generationId,
      offsets: offsets.map((o) => ({ ...o, metadata: null })),
    }, this.o.requestTimeoutMs);
    return r.results.find((x) => x.errorCode !== Kafka.NONE)?.errorCode ?? Kafka.NONE;
  }

  /** The group's committed offsets of the assigned partitions (missing = none committed). */
  async committed(assignment: Assignment): Promise<Map<string, number>> {
    const topics = [...assignment].map(([topic, partitions]) => ({ topic, partitions }));
    const r = await this.groups.call({ type: 'OffsetFetch', groupId: this.o.groupId, topics }, this.o.requestTimeoutMs);
    return new Map(r.offsets.filter((o) => o.offset >= 0).map((o) => [`${o.topic}/${o.partition}`, o.offset]));
  }

  async leave(): Promise<void> {
    if (this.memberId === '') return;
    await this.groups.call({ type: 'GroupLeave', groupId: this.o.groupId, members: [{ memberId: this.memberId, groupInstanceId: null }] }, this.o.requestTimeoutMs);
    this.memberId = '';
    this.generationId = -1;
  }
}
