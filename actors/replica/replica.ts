/**
 * Partition replica behaviour. The leader serves produce (assigns offsets, appends, acks per the
 * producer's `acks`: 1 when written, 'all' when the HW covers it), consumer fetches (up to HW for
 * read_committed, LEO otherwise; long polls parked — client-requests.ts), and follower fetches
 * (replication.ts); it keeps the HW over the SC-approved in-sync set (leader-state.ts, isr-sync.ts).
 * A follower fetches from the leader (follower.ts). Changes the SC acts on are reported to the SPU
 * at once (coalesced); HW/LEO/size alone with the tick, which also applies retention, re-checks
 * space, proposes in-sync set changes, re-sends lost follower fetches and checkpoints HW.
 *
 * Invariants:
 * - Only the leader of the current epoch appends client batches; others answer NOT_LEADER; acks=all
 *   while the SC's set is below minInSyncReplicas gets NOT_ENOUGH_REPLICAS, storing nothing.
 * - An idempotent producer's retried batch is answered with its original offsets, never stored
 *   twice; its producer state is rebuilt from the log on becoming leader (producer-state.ts).
 * - HW never goes backwards while leader; acks=all is answered only once HW > the batch's last offset.
 * - A failed append (OUT_OF_SPACE, CORRUPT_BATCH, RECORD_TOO_LARGE) stores nothing and gets a typed error; anything else crashes the actor.
 * - At most `maxParkedFetches` consumer long polls and `maxPendingAcks` acks=all wait at once.
 * - Reports are ordered by (incarnation, seq): incarnation = the start time of this incarnation.
 */
import type { Actor, Context, Message } from '../../src/runtime/actor.js';
import { RivuletError, ErrorCode, toPlainError, type PlainError } from '../../src/runtime/errors.js';
import type { PartitionLog } from '../../src/storage/log.js';
import type {
  IsrChanged, Produce, ProduceAck, ReplicaAssign, ReplicaFetch, ReplicaFetchReply, ReplicaMessage, ReplicaReport, TopicConfig,
} from '../messages.js';
import { messageGuard, reply, scheduleReplica, toClient, toReplica, toSpuActor, unexpected } from '../send.js';
import { CLIENT_LIMITS, ClientRequests } from './client-requests.js';
import { Follower } from './follower.js';
import { IsrSync } from './isr-sync.js';
import { LeaderState } from './leader-state.js';
import { notEnoughReplicasError, notLeaderError } from './replica-errors.js';
import { ProducerWindows } from './producer-state.js';
import { FollowerFetches } from './replication.js';

export interface ReplicaArgs {
  spuId: number;
  topic: string;
  partition: number;
  /** The leader's SPU id (-1: none yet, the SC is recovering the partition); all replica SPU ids, leader first. */
  leader: number;
  replicas: number[];
  epoch: number;
  config: TopicConfig;
  statusSpu: string; // actor id of the owning SPU (status reports go there)
}

export const REPLICA_DEFAULTS = { tickMs: 500, ...CLIENT_LIMITS, replicaLagMs: 10_000 } as const;

const isReplicaMessage = messageGuard<ReplicaMessage>({
  Produce: true, Fetch: true, FetchTimeout: true, ReplicaFetch: true, ReplicaFetchReply: true, ReplicaFetchTimeout: true,
  ReplicaAssign: true, IsrChanged: true, ReportRequest: true, Tick: true, FlushStatus: true,
});

class Replica {
  private leader: number;
  private epoch: number;
  private replicas: number[];
  private log!: PartitionLog;
  private outOfSpace = false;
  private statusScheduled = false;
  /** Only HW/LEO/size moved since the last report: the next tick reports it (the SC acts on none at once). */
  private figuresDirty = false;
  private leaderState: LeaderState | null = null;
  private incarnation = 0;
  private reportSeq = 0;
  private readonly clients: ClientRequests;
  private readonly followerFetches = new FollowerFetches();
  private readonly follower: Follower;
  private readonly producers: ProducerWindows;
  private readonly isrSync: IsrSync;
  private readonly replicaLagMs: number;

  constructor(private readonly a: ReplicaArgs) {
    this.leader = a.leader;
    this.epoch = a.epoch;
    this.replicas = a.replicas;
    this.clients = new ClientRequests(a.topic, a.partition);
    this.follower = new Follower(a.topic, a.partition, a.spuId);
    this.producers = new ProducerWindows(`${a.topic}/${a.partition}`);
    this.isrSync = new IsrSync(a.topic, a.partition, a.spuId);
    this.replicaLagMs = a.config.replicaLagMs ?? REPLICA_DEFAULTS.replicaLagMs;
  }

  private isLeader(): boolean {
    return this.leader === this.a.spuId;
  }

  private notLeader(): PlainError {
    return notLeaderError(this.a.spuId, this.a.topic, this.a.partition, this.leader);
  }

  start(ctx: Context): void {
    this.incarnation = ctx.now();
    this.log = ctx.storage.openLog(this.a.spuId, this.a.topic, this.a.partition, this.a.config);
    this.outOfSpace = ctx.storage.budget(this.a.spuId).full;
    // No known in-sync set after a (re)start: wait for every replica until the SC sends it.
    if (this.isLeader()) this.becomeLeader(ctx, this.replicas, -1);
    else this.becomeFollower(ctx);
    this.statusChanged(ctx);
    scheduleReplica(ctx, REPLICA_DEFAULTS.tickMs, { type: 'Tick' });
  }

  receive(ctx: Context, msg: ReplicaMessage): void {
    switch (msg.type) {
      case 'Produce':
        return this.produce(msg, ctx);
      case 'Fetch':
        return this.isLeader() ? this.clients.fetch(msg, ctx, this.log) : toClient(ctx, msg.replyTo, { type: 'FetchReply', reqId: msg.reqId, batches: [], hw: -1, leo: -1, base: -1, error: this.notLeader() });
      case 'FetchTimeout':
        return this.clients.timeout(msg, ctx, this.log);
      case 'ReplicaFetch':
        return this.onReplicaFetch(msg, ctx);
      case 'ReplicaFetchTimeout':
        return this.followerFetches.timeout(msg, ctx, this.log, this.epoch);
      case 'ReplicaFetchReply':
        return this.onReplicaFetchReply(msg, ctx);
      case 'ReplicaAssign':
        return this.onAssign(msg, ctx);
      case 'IsrChanged':
        return this.onIsrChanged(msg, ctx);
      case 'Tick':
        return this.tick(ctx);
      case 'ReportRequest':
        return reply(ctx, msg.replyTo, { type: 'ReportReply', token: msg.token, report: this.report(ctx.now()) });
      case 'FlushStatus':
        this.statusScheduled = false;
        toSpuActor(ctx, this.a.statusSpu, { type: 'ReplicaStatus', report: this.report(ctx.now()) });
        return;
    }
  }

  stop(ctx: Context): void {
    // Nobody will answer these any more: tell the waiting clients now, not by their timeouts.
    this.clients.failFetches(ctx, this.notLeader());
    this.clients.failAcks(ctx, this.notLeader());
    // The host's storage owns the log (a restarted replica reopens it); just checkpoint HW.
    this.log.checkpoint();
  }

  private report(now: number): ReplicaReport {
    const { topic, partition, spuId } = this.a;
    const log = this.log;
    return {
      topic, partition, spuId, leader: this.isLeader(), epoch: this.epoch,
      hw: log.hw, leo: log.leo, base: log.base, sizeBytes: log.sizeBytes, outOfSpace: this.outOfSpace,
      incarnation: this.incarnation, seq: ++this.reportSeq, lastEpoch: log.epochCache.latestEpoch,
      ...(this.leaderState ? { inSync: this.leaderState.isr(), isrVersion: this.isrSync.version, caughtUp: this.leaderState.caughtUp(now, this.replicaLagMs / 2) } : {}),
    };
  }

  private statusChanged(ctx: Context): void {
    this.figuresDirty = false;
    if (this.statusScheduled) return;
    this.statusScheduled = true;
    scheduleReplica(ctx, 0, { type: 'FlushStatus' });
  }

  /** Data arrived or HW moved: answer parked consumer and follower fetches that can progress. */
  private wakeFetches(ctx: Context): void {
    this.clients.wake(ctx, this.log);
    this.followerFetches.wake(ctx, this.log, this.epoch);
  }

  /** The leader's HW may have moved: publish it, answer acks=all it now covers. */
  private advanceHw(ctx: Context): void {
    if (!this.leaderState || this.leaderState.hw <= this.log.hw) return;
    this.log.setHighWatermark(Math.min(this.leaderState.hw, this.log.leo));
    this.clients.release(ctx, this.log.hw);
    this.wakeFetches(ctx);
    this.figuresDirty = true;
  }

  /** Lead with the SC's in-sync set `isr` of version `isrVersion` (-1: unknown, all replicas). */
  private becomeLeader(ctx: Context, isr: number[], isrVersion: number): void {
    this.follower.reset();
    this.producers.rebuild(this.log);
    this.isrSync.version = isrVersion;
    this.leaderState = new LeaderState(this.a.spuId, this.replicas, isr, this.log.hw, ctx.now(), this.replicaLagMs, this.a.config.minInSyncReplicas);
    this.leaderState.tick(this.log.leo); // alone in sync: HW = LEO at once
    this.advanceHw(ctx);
  }

  /** The SC's in-sync set (IsrChanged, or a repeated assignment): apply it when newer. */
  private onIsrChanged(c: Pick<IsrChanged, 'epoch' | 'isrVersion' | 'isr'>, ctx: Context): void {
    if (!this.leaderState || c.epoch !== this.epoch || !this.isrSync.accept(c.isrVersion)) return;
    if (this.leaderState.confirm(c.isr, this.log.leo)) this.advanceHw(ctx);
    this.statusChanged(ctx);
  }

  private becomeFollower(ctx: Context): void {
    this.leaderState = null;
    this.producers.clear();
    this.clients.failAcks(ctx, this.notLeader());
    this.clients.failFetches(ctx, this.notLeader());
    this.followerFetches.clear();
    this.follower.reset();
    this.follower.fetch(ctx, this.log, this.leader, false);
  }

  private produce(p: Produce, ctx: Context): void {
    const answer = (ack: Omit<ProduceAck, 'type' | 'reqId'>) => {
      if (p.acks !== 0) toClient(ctx, p.replyTo, { type: 'ProduceAck', reqId: p.reqId, ...ack });
    };
    const refuse = (error: PlainError) => answer({ baseOffset: -1, lastOffset: -1, error });
    if (!this.isLeader() || !this.leaderState) return refuse(this.notLeader());
    const { topic, partition, config } = this.a;
    if (p.acks === 'all' && !this.leaderState.enoughInSync()) return refuse(notEnoughReplicasError(topic, partition, config.minInSyncReplicas ?? 1, this.leaderState.isr()));
    const log = this.log;
    const verdict = this.producers.check(p.batch); // idempotence: a retried batch gets its first offsets again
    if (verdict.kind === 'refuse') return refuse(toPlainError(verdict.error));
    let res: { baseOffset: number; lastOffset: number };
    if (verdict.kind === 'duplicate') {
      res = { baseOffset: verdict.baseOffset, lastOffset: verdict.lastOffset };
    } else {
      const segmentsBefore = log.segmentCount;
      try {
        res = log.append(p.batch, { leaderEpoch: this.epoch });
      } catch (err) {
        if (!(err instanceof RivuletError)) throw err;
        if (err.code === ErrorCode.OUT_OF_SPACE && !this.outOfSpace) {
          this.outOfSpace = true;
          ctx.log.warn({ topic, partition }, 'out of space');
          this.statusChanged(ctx);
        }
        return refuse(toPlainError(err));
      }
      this.producers.appended(p.batch, res.baseOffset, res.lastOffset);
      if (log.segmentCount !== segmentsBefore) log.enforceRetention();
      if (this.leaderState.tick(log.leo)) this.advanceHw(ctx); // alone in sync: HW = LEO at once
    }
    this.clients.answerProduce(ctx, p, res, log.hw);
    this.wakeFetches(ctx);
    this.figuresDirty = true;
  }

  private onReplicaFetch(f: ReplicaFetch, ctx: Context): void {
    if (!this.isLeader() || !this.leaderState) return toReplica(ctx, f.replyTo, { type: 'ReplicaFetchReply', reqId: f.reqId, epoch: this.epoch, batches: [], hw: -1, leo: -1, error: this.notLeader() });
    if (this.followerFetches.serve(f, ctx, this.log, this.epoch, this.leaderState)) this.advanceHw(ctx);
    if (this.isrSync.propose(ctx, this.leaderState, this.log.leo, this.epoch)) this.statusChanged(ctx);
    else this.figuresDirty = true;
  }

  private onReplicaFetchReply(r: ReplicaFetchReply, ctx: Context): void {
    if (this.isLeader() || r.epoch < this.epoch) return;
    const next = this.follower.onReply(r, this.log, ctx);
    if (next === 'stale') return;
    this.figuresDirty = true;
    if (next === 'again') this.follower.fetch(ctx, this.log, this.leader, Follower.caughtUp(r, this.log));
  }

  private onAssign(as: ReplicaAssign, ctx: Context): void {
    if (as.epoch < this.epoch) return;
    // A repeated assignment (reconciliation, a duplicated message) changes nothing but the in-sync set.
    const isr = { epoch: as.epoch, isrVersion: as.isrVersion ?? 0, isr: as.isr ?? as.replicas };
    if (as.epoch === this.epoch && as.leader === this.leader && as.replicas.join(',') === this.replicas.join(',')) return this.onIsrChanged(isr, ctx);
    const wasLeader = this.isLeader() && this.leaderState !== null;
    this.leader = as.leader;
    this.epoch = as.epoch;
    this.replicas = as.replicas;
    if (this.isLeader()) {
      if (!wasLeader) this.becomeLeader(ctx, isr.isr, isr.isrVersion);
      else this.onIsrChanged(isr, ctx);
    } else {
      this.becomeFollower(ctx);
    }
    this.statusChanged(ctx);
  }

  private tick(ctx: Context): void {
    const log = this.log;
    const baseBefore = log.base;
    const spaceBefore = this.outOfSpace;
    log.enforceRetention();
    if (this.outOfSpace && !ctx.storage.budget(this.a.spuId).full) {
      this.outOfSpace = false;
      ctx.log.info({ topic: this.a.topic, partition: this.a.partition }, 'space available again');
    }
    if (this.leaderState) {
      if (this.leaderState.tick(log.leo)) this.advanceHw(ctx);
      if (this.isrSync.propose(ctx, this.leaderState, log.leo, this.epoch)) this.statusChanged(ctx);
    } else {
      this.follower.fetch(ctx, log, this.leader, false); // re-sends only if the last one was lost
    }
    log.checkpoint();
    if (log.base !== baseBefore || this.outOfSpace !== spaceBefore || this.figuresDirty) this.statusChanged(ctx);
    scheduleReplica(ctx, REPLICA_DEFAULTS.tickMs, { type: 'Tick' });
  }
}

export function createReplica(rawArgs: unknown): Actor {
  const replica = new Replica(rawArgs as ReplicaArgs);
  return {
    onStart: (ctx: Context) => replica.start(ctx),
    receive(msg: Message, ctx: Context) {
      if (isReplicaMessage(msg)) replica.receive(ctx, msg);
      else unexpected(ctx, 'replica', msg);
    },
    onStop: (ctx: Context) => replica.stop(ctx),
  };
}
