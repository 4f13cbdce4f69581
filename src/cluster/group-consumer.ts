/**
 * The embedded group consumer (DESIGN §6a, §8): `cluster.consumer(topic | topics, { groupId })`.
 * Partitions come from the group (GroupMembership: Kafka's classic protocol and consumer-protocol
 * encodings, so kafkajs consumers can be members of the same group); each assigned partition is
 * read by a PartitionConsumer from the group's committed offset (or `offset` when none is
 * committed, default the end, as Kafka's auto.offset.reset=latest); records of all of them come
 * out of one async iterator (or `.batches()`), each with its topic and partition.
 *
 * A background loop heartbeats, auto-commits (every `autoCommitMs`, on a rebalance and on close)
 * and rejoins when the group rebalances. All waiting is host time (virtual in the simulator).
 *
 * Invariants:
 * - Committed offsets are "processed" positions: a record (or batch) counts as processed once the
 *   loop body that got it finishes or leaves the loop, so a crash redelivers, never skips.
 * - Every revocation bumps `epoch`: queued batches, positions and pumps of the old assignment are
 *   dropped, so nothing is yielded or committed for a partition this member no longer owns.
 * - At most MAX_QUEUED batches wait per partition (the pumps stop fetching meanwhile).
 */
import type { Isolation } from '../../actors/messages.js';
import type { HostTransport } from '../runtime/transport.js';
import { RivuletError, ErrorCode } from '../runtime/errors.js';
import type { Admin } from './admin.js';
import { PartitionConsumer, type ConsumedBatch, type ConsumerRecord } from './consumer.js';
import { GroupMembership, Kafka, type Generation } from './group-membership.js';
import type { GroupClient } from './groups.js';
import { Offset, type OffsetSpec } from './offset.js';

export interface GroupConsumerOptions {
  groupId: string;
  /** Where a partition without a committed offset starts (default: the end). */
  offset?: OffsetSpec;
  isolation?: Isolation;
  maxBytes?: number;
  waitMs?: number;
  sessionTimeoutMs?: number;
  rebalanceTimeoutMs?: number;
  heartbeatMs?: number;
  /** Commit processed positions every autoCommitMs, before a rebalance and on close (default true). */
  autoCommit?: boolean;
  autoCommitMs?: number;
  clientId?: string;
}

export interface GroupRecord extends ConsumerRecord {
  topic: string;
}
export type GroupBatch = ConsumedBatch & { topic: string };

export const GROUP_CONSUMER_DEFAULTS = { sessionTimeoutMs: 10_000, rebalanceTimeoutMs: 30_000, heartbeatMs: 500, autoCommitMs: 1_000 } as const;
const MAX_QUEUED = 4;

interface Item { epoch: number; topic: string; partition: number; batch: ConsumedBatch }
const keyOf = (topic: string, partition: number) => `${topic}/${partition}`;

export class GroupConsumer implements AsyncIterable<GroupRecord> {
  private readonly membership: GroupMembership;
  private readonly queue: Item[] = [];
  private readonly owned = new Map<string, { topic: string; partition: number; consumer: PartitionConsumer; queued: number }>();
  /** Next offset to commit per owned partition (this epoch's processed positions), and what was last committed. */
  private readonly processed = new Map<string, number>();
  private readonly committedAt = new Map<string, number>();
  private epoch = 0;
  private closed = false;
  /** Stopped like a killed process: no commit, no LeaveGroup (abandon()). */
  private abandoned = false;
  private failure: unknown;
  private dataSignal = new AbortController();
  private roomSignal = new AbortController();
  private readonly closeSignal = new AbortController();
  private loop: Promise<void> = Promise.resolve();
  /** True while the loop waits in a join (a parked JoinGroup that only a LeaveGroup cuts short). */
  private joining = false;

  private constructor(
    readonly topics: readonly string[],
    private readonly t: HostTransport,
    private readonly admin: Admin,
    groups: GroupClient,
    private readonly o: GroupConsumerOptions,
    requestTimeoutMs: number,
  ) {
    this.membership = new GroupMembership(groups, t, admin, {
      groupId: o.groupId, topics, clientId: o.clientId ?? 'rivulet',
      sessionTimeoutMs: o.sessionTimeoutMs ?? GROUP_CONSUMER_DEFAULTS.sessionTimeoutMs,
      rebalanceTimeoutMs: o.rebalanceTimeoutMs ?? GROUP_CONSUMER_DEFAULTS.rebalanceTimeoutMs,
      requestTimeoutMs,
    });
  }

  /** Join the group; resolves once this member has its first assignment. */
  static async start(topics: readonly string[], t: HostTransport, admin: Admin, groups: GroupClient, o: GroupConsumerOptions, requestTimeoutMs: number): Promise<GroupConsumer> {
    if (typeof o.groupId !== 'string' || o.groupId.length === 0) throw new RivuletError(ErrorCode.INVALID_ARGUMENT, 'groupId must be a non-empty string');
    if (topics.length === 0) throw new RivuletError(ErrorCode.INVALID_ARGUMENT, 'a group consumer needs at least one topic');
    for (const topic of topics) await admin.topicPartitions(topic); // UNKNOWN_TOPIC now, not in the background
    const c = new GroupConsumer(topics, t, admin, groups, o, requestTimeoutMs);
    let assigned!: (err?: unknown) => void;
    const first = new Promise<void>((resolve, reject) => (assigned = (err) => (err === undefined ? resolve() : reject(err))));
    c.loop = c.run(assigned);
    await first;
    return c;
  }

  /** The partitions this member owns now. */
  get assignment(): { topic: string; partition: number }[] {
    return [...this.owned.values()].map(({ topic, partition }) => ({ topic, partition }));
  }

  /** This member's id and generation (as kafkajs or DescribeGroups show them). */
  get member(): { memberId: string; generationId: number } {
    return { memberId: this.membership.memberId, generationId: this.membership.generationId };
  }

  private async run(assigned: (err?: unknown) => void): Promise<void> {
    try {
      while (!this.closed) {
        this.joining = true;
        const gen = await this.membership.join(() => !this.closed);
        this.joining = false;
        if (!gen || this.closed) break;
        await this.assign(gen);
        assigned();
        const code = await this.heartbeats();
        await this.revoke(!this.abandoned && (code === Kafka.REBALANCE_IN_PROGRESS || this.closed));
      }
    } catch (err) {
      this.failure = err;
      this.dataSignal.abort();
      assigned(err);
    }
  }

  private async assign(gen: Generation): Promise<void> {
    const committed = await this.membership.committed(gen.assignment);
    const epoch = this.epoch;
    for (const [topic, partitions] of gen.assignment) {
      const infos = await this.admin.topicPartitions(topic).catch(() => []);
      for (const partition of partitions) {
        const info = infos[partition];
        if (!info) continue;
        const at = committed.get(keyOf(topic, partition));
        const consumer = new PartitionConsumer(topic, info, this.t, this.admin, {
          partition, offset: at !== undefined ? Offset.absolute(at) : this.o.offset ?? Offset.end(),
          ...(this.o.isolation ? { isolation: this.o.isolation } : {}),
          ...(this.o.maxBytes ? { maxBytes: this.o.maxBytes } : {}),
          ...(this.o.waitMs ? { waitMs: this.o.waitMs } : {}),
        });
        const key = keyOf(topic, partition);
        this.owned.set(key, { topic, partition, consumer, queued: 0 });
        if (at !== undefined) this.committedAt.set(key, at);
        void this.pump(epoch, key, consumer);
      }
    }
  }

  /** Feed one partition's batches into the queue while this epoch lasts. */
  private async pump(epoch: number, key: string, consumer: PartitionConsumer): Promise<void> {
    const slot = this.owned.get(key)!;
    try {
      for await (const batch of consumer.batches()) {
        if (epoch !== this.epoch || this.closed) return;
        this.queue.push({ epoch, topic: slot.topic, partition: slot.partition, batch });
        slot.queued++;
        this.dataSignal.abort();
        while (slot.queued >= MAX_QUEUED && epoch === this.epoch && !this.closed) await this.t.sleep(100, this.roomSignal.signal);
      }
    } catch {
      // The topic is gone or the cluster closed: this partition stops; the group loop goes on.
    }
  }

  /** Heartbeat (and auto-commit) until the group wants a rejoin or the consumer closes. */
  private async heartbeats(): Promise<number> {
    const heartbeatMs = this.o.heartbeatMs ?? GROUP_CONSUMER_DEFAULTS.heartbeatMs;
    const commitEvery = this.o.autoCommitMs ?? GROUP_CONSUMER_DEFAULTS.autoCommitMs;
    let nextCommit = this.t.now() + commitEvery;
    for (;;) {
      await this.t.sleep(heartbeatMs, this.closeSignal.signal);
      if (this.closed) return Kafka.NONE;
      if (this.o.autoCommit !== false && this.t.now() >= nextCommit) {
        nextCommit = this.t.now() + commitEvery;
        const code = await this.commitProcessed().catch(() => Kafka.NONE);
        if (code === Kafka.ILLEGAL_GENERATION || code === Kafka.UNKNOWN_MEMBER_ID) return code;
      }
      const code = await this.membership.heartbeat().catch(() => Kafka.NONE); // a timed-out heartbeat: try again
      if (code !== Kafka.NONE) return code;
    }
  }

  /** Give the assignment up: commit what was processed (when asked to), drop queue and readers. */
  private async revoke(commit: boolean): Promise<void> {
    if (commit && this.o.autoCommit !== false) await this.commitProcessed().catch(() => undefined);
    this.epoch++;
    for (const o of this.owned.values()) o.consumer.close();
    this.owned.clear();
    this.processed.clear();
    this.committedAt.clear();
    this.queue.length = 0;
    this.roomSignal.abort();
    this.roomSignal = new AbortController();
  }

  /** Commit the processed positions that moved since the last commit; the coordinator's error code. */
  private async commitProcessed(): Promise<number> {
    const epoch = this.epoch;
    const offsets = [...this.processed]
      .filter(([key, offset]) => this.owned.has(key) && this.committedAt.get(key) !== offset)
      .map(([key, offset]) => ({ topic: this.owned.get(key)!.topic, partition: this.owned.get(key)!.partition, offset }));
    const code = await this.membership.commit(offsets);
    if (code === Kafka.NONE && epoch === this.epoch) for (const o of offsets) this.committedAt.set(keyOf(o.topic, o.partition), o.offset);
    return code;
  }

  /**
   * Commit every processed position of the partitions this member owns. During a rebalance it
   * waits for the next generation and commits what is still this member's then (partitions that
   * moved to another member are read again from their last commit: at least once).
   */
  async commit(): Promise<void> {
    for (let attempt = 0; attempt < 100 && !this.closed; attempt++) {
      const epoch = this.epoch;
      const code = await this.commitProcessed();
      if (code === Kafka.NONE) return;
      while (epoch === this.epoch && !this.closed && !this.failure) await this.t.sleep(20);
    }
  }

  /** The next batch of this epoch, or undefined once closed. */
  private async take(): Promise<Item | undefined> {
    for (;;) {
      if (this.failure) throw this.failure;
      while (this.queue.length > 0) {
        const item = this.queue.shift()!;
        if (item.epoch !== this.epoch) continue;
        const slot = this.owned.get(keyOf(item.topic, item.partition));
        if (slot) slot.queued--;
        this.roomSignal.abort();
        this.roomSignal = new AbortController();
        return item;
      }
      if (this.closed) return undefined;
      this.dataSignal = new AbortController();
      await this.t.sleep(100, this.dataSignal.signal); // woken by a pump; short, so simulated members take turns
    }
  }

  private markProcessed(item: Item, next: number): void {
    if (item.epoch === this.epoch) this.processed.set(keyOf(item.topic, item.partition), next);
  }

  /** Whole batches from every owned partition; a batch counts as processed once the next is asked for. */
  async *batches(): AsyncGenerator<GroupBatch> {
    for (let item = await this.take(); item; item = await this.take()) {
      try {
        yield Object.assign(item.batch, { topic: item.topic });
      } finally {
        this.markProcessed(item, item.batch.lastOffset + 1);
      }
    }
  }

  async *[Symbol.asyncIterator](): AsyncGenerator<GroupRecord> {
    for (let item = await this.take(); item; item = await this.take()) {
      for (const r of item.batch.records) {
        if (item.epoch !== this.epoch) break;
        try {
          yield Object.assign(r, { topic: item.topic, partition: item.partition });
        } finally {
          this.markProcessed(item, r.offset + 1); // the loop body finished, or left the loop
        }
      }
      this.markProcessed(item, item.batch.lastOffset + 1);
    }
  }

  /**
   * Stop at once as a crashed process would: nothing is committed and the group is not told; it
   * rebalances when this member's session expires (simulations of member crashes use it).
   */
  abandon(): void {
    if (this.closed) return;
    this.abandoned = true;
    this.closed = true;
    this.closeSignal.abort();
    this.dataSignal.abort();
    for (const o of this.owned.values()) o.consumer.close();
  }

  /** Stop reading; commit what was processed (auto-commit), leave the group. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.closeSignal.abort();
    this.dataSignal.abort();
    if (this.joining) await this.membership.leave().catch(() => undefined); // answers the parked join
    await this.loop;
    await this.membership.leave().catch(() => undefined);
    await this.revoke(false);
  }
}
