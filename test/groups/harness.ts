/**
 * A group coordinator on the fake context (test/actors/fake-context.ts), with request builders
 * and reply readers, so coordinator tests read like Kafka traces: join, sync, heartbeat, leave,
 * commit, fetch — each returns the reply it got (or undefined while the request is parked).
 */
import { createGroupCoordinator } from '../../actors/groups/coordinator.js';
import type {
  GroupDescribeReply, GroupHeartbeatReply, GroupJoin, GroupJoinReply, GroupLeaveReply, GroupListReply, GroupsClientMessage, GroupsMessage,
  GroupSyncReply, OffsetCommitReply, OffsetFetchReply,
} from '../../actors/groups/messages.js';
import { ActorDriver, FakeStorage } from '../actors/fake-context.js';

export const enc = (s: string): Uint8Array => new TextEncoder().encode(s);
export const CLIENT = 'client:test';

export class GroupHarness {
  readonly d: ActorDriver;
  private reqId = 1;
  /** Replies by reqId, collected as they are sent. */
  private readonly replies = new Map<number, GroupsClientMessage>();

  constructor(config: Record<string, number> = {}, storage?: FakeStorage) {
    this.d = new ActorDriver(createGroupCoordinator({ initialRebalanceDelayMs: 100, ...config }), 'sc', storage ? { storage } : {});
    this.d.start();
  }

  get storage(): FakeStorage {
    return this.d.ctx.storage;
  }

  private collect(): void {
    for (const s of this.d.take()) {
      const m = s.msg as GroupsClientMessage;
      if ('reqId' in m) this.replies.set(m.reqId, m);
    }
  }

  /** Send a request and end the turn (0 ms timers fire: commits are answered after their save); returns its reqId. */
  send(msg: Omit<GroupsMessage, 'reqId' | 'replyTo'> & { type: GroupsMessage['type'] }): number {
    const reqId = this.reqId++;
    this.d.deliverRaw({ ...msg, reqId, replyTo: CLIENT });
    this.d.advance(0);
    this.collect();
    return reqId;
  }

  reply<R extends GroupsClientMessage>(reqId: number): R | undefined {
    this.collect();
    return this.replies.get(reqId) as R | undefined;
  }

  advance(ms: number): this {
    this.d.advance(ms);
    this.collect();
    return this;
  }

  join(groupId: string, memberId: string, opts: Partial<GroupJoin> = {}): number {
    return this.send({
      type: 'GroupJoin', groupId, memberId, groupInstanceId: null, clientId: 'c', clientHost: '/127.0.0.1',
      sessionTimeoutMs: 1000, rebalanceTimeoutMs: 2000, protocolType: 'consumer',
      protocols: [{ name: 'range', metadata: enc(`meta-${memberId}`) }], requireKnownMemberId: true, ...opts,
    });
  }

  /** The member-id round trip: returns the minted id and the reqId of the parked second join. */
  newMember(groupId: string, opts: Partial<GroupJoin> = {}): { id: string; req: number } {
    const first = this.reply<GroupJoinReply>(this.join(groupId, '', opts))!;
    if (first.errorCode !== 79) throw new Error(`expected MEMBER_ID_REQUIRED, got ${first.errorCode}`);
    return { id: first.memberId, req: this.join(groupId, first.memberId, opts) };
  }

  joinReply(reqId: number): GroupJoinReply | undefined {
    return this.reply<GroupJoinReply>(reqId);
  }

  sync(groupId: string, memberId: string, generationId: number, assignments: { memberId: string; assignment: Uint8Array }[] = []): number {
    return this.send({ type: 'GroupSync', groupId, memberId, generationId, protocolType: null, protocolName: null, assignments });
  }

  syncReply(reqId: number): GroupSyncReply | undefined {
    return this.reply<GroupSyncReply>(reqId);
  }

  heartbeat(groupId: string, memberId: string, generationId: number): number {
    return this.reply<GroupHeartbeatReply>(this.send({ type: 'GroupHeartbeat', groupId, memberId, generationId }))!.errorCode;
  }

  leave(groupId: string, memberId: string): GroupLeaveReply {
    return this.reply<GroupLeaveReply>(this.send({ type: 'GroupLeave', groupId, members: [{ memberId, groupInstanceId: null }] }))!;
  }

  commit(groupId: string, memberId: string, generationId: number, offsets: [string, number, number][]): number[] {
    const r = this.reply<OffsetCommitReply>(this.send({
      type: 'OffsetCommit', groupId, memberId, generationId,
      offsets: offsets.map(([topic, partition, offset]) => ({ topic, partition, offset, metadata: null })),
    }))!;
    return r.results.map((x) => x.errorCode);
  }

  fetch(groupId: string, topics: { topic: string; partitions: number[] }[] | null): OffsetFetchReply {
    return this.reply<OffsetFetchReply>(this.send({ type: 'OffsetFetch', groupId, topics }))!;
  }

  list(): GroupListReply {
    return this.reply<GroupListReply>(this.send({ type: 'GroupList' }))!;
  }

  describe(...groupIds: string[]): GroupDescribeReply {
    return this.reply<GroupDescribeReply>(this.send({ type: 'GroupDescribe', groupIds }))!;
  }
}
