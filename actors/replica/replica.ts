/**
 * Partition replica behaviour. The leader serves produce (assigns offsets, appends, acks per the
 * producer's `acks`: 1 when written, 'all' when the HW covers it), consumer fetches (up to HW for
 * read_committed, LEO otherwise; long polls parked), and follower fetches (replication.ts); it
 * keeps the in-sync set and HW (leader-state.ts). A follower fetches from the leader
 * (follower.ts). Every state change is reported to the owning SPU (coalesced). A timer applies
 * retention, re-checks storage space, drops lagging followers from the in-sync set, re-sends lost
 * follower fetches and checkpoints HW.
 *
 * Invariants:
 * - Only the leader of the current epoch appends client batches; others answer NOT_LEADER.
 * - HW never goes backwards while leader; acks=all is answered only once HW > the batch's last offset.
 * - A failed append (OUT_OF_SPACE, CORRUPT_BATCH, RECORD_TOO_LARGE) stores nothing and is
 *   answered with a typed error; anything else is a bug and crashes the actor.
 * - At most `maxParkedFetches` consumer long polls and `maxPendingAcks` acks=all wait at once.
 */
import type { Actor, Context, Message } from '../../src/runtime/actor.js';
import { RivuletError, ErrorCode, toPlainError } from '../../src/runtime/errors.js';
import type { PartitionLog } from '../../src/storage/index.js';
import type {
  ReportRequest, Fetch, FetchReply, FetchTimeout, Produce, ProduceAck, ReplicaAssign, ReplicaFetch, ReplicaFetchReply,
  ReplicaReport, TopicConfig,
} from '../messages.js';
import { Follower } from './follower.js';
import { LeaderState } from './leader-state.js';
import { FollowerFetches } from './replication.js';

export interface ReplicaArgs {
  spuId: number;
  topic: string;
  partition: number;
  leader: number;
  /** All replica SPU ids, leader first. */
  replicas: number[];
  epoch: number;
  config: TopicConfig;
  /** Actor id of the owning SPU (status reports go there). */
  statusSpu: string;
}

export const REPLICA_DEFAULTS = {
  tickMs: 500,
  maxParkedFetches: 1024,
  maxPendingAcks: 65_536,
  maxFetchBytes: 8 * 1024 * 1024,
  replicaLagMs: 10_000,
} as const;

interface PendingAck { replyTo: string; reqId: number; baseOffset: number; lastOffset: number }

const notLeader = (a: ReplicaArgs, leader: number) =>
  toPlainError(new RivuletError(ErrorCode.NOT_LEADER, `SPU ${a.spuId} is not the leader of ${a.topic}/${a.partition}`, { leader }));

export function createReplica(rawArgs: unknown): Actor {
  const a = rawArgs as ReplicaArgs;
  let leader = a.leader;
  let epoch = a.epoch;
  let replicas = a.replicas;
  let log!: PartitionLog;
  let outOfSpace = false;
  let statusScheduled = false;
  let leaderState: LeaderState | null = null;
  let pendingAcks: PendingAck[] = [];
  let incarnation = 0;
  let reportSeq = 0;
  const parked = new Map<string, Fetch>();
  const followerFetches = new FollowerFetches();
  const follower = new Follower(a.topic, a.partition, a.spuId);
  const replicaLagMs = a.config.replicaLagMs ?? REPLICA_DEFAULTS.replicaLagMs;

  const isLeader = () => leader === a.spuId;
  const parkKey = (f: { replyTo: string; reqId: number }) => `${f.replyTo}#${f.reqId}`;

  function report(): ReplicaReport {
    return {
      topic: a.topic, partition: a.partition, spuId: a.spuId, leader: isLeader(), epoch,
      hw: log.hw, leo: log.leo, base: log.base, sizeBytes: log.sizeBytes, outOfSpace,
      incarnation, seq: ++reportSeq,
      ...(leaderState ? { inSync: leaderState.isr() } : {}),
    };
  }

  function statusChanged(ctx: Context): void {
    if (statusScheduled) return;
    statusScheduled = true;
    ctx.schedule(0, { type: 'FlushStatus' });
  }

  function fetchReply(f: Fetch): FetchReply {
    const bound = f.isolation === 'read_uncommitted' ? log.leo : log.hw;
    const maxBytes = Math.min(Math.max(1, f.maxBytes), REPLICA_DEFAULTS.maxFetchBytes);
    const batches = f.offset < bound ? log.read(f.offset, { maxOffset: bound, maxBytes }).batches : [];
    return { type: 'FetchReply', reqId: f.reqId, batches, hw: log.hw, leo: log.leo, base: log.base };
  }

  /** Data arrived or HW moved: answer parked consumer and follower fetches that can progress. */
  function wakeFetches(ctx: Context): void {
    for (const [k, f] of parked) {
      const bound = f.isolation === 'read_uncommitted' ? log.leo : log.hw;
      if (f.offset < bound) {
        parked.delete(k);
        ctx.send(f.replyTo, fetchReply(f));
      }
    }
    followerFetches.wake(ctx, log, epoch);
  }

  /** The leader's HW may have moved: publish it, answer acks=all it now covers. */
  function advanceHw(ctx: Context): void {
    if (!leaderState || leaderState.hw <= log.hw) return;
    log.setHighWatermark(Math.min(leaderState.hw, log.leo));
    const hw = log.hw;
    if (pendingAcks.length > 0 && pendingAcks[0]!.lastOffset < hw) {
      const done = pendingAcks.filter((p) => p.lastOffset < hw);
      pendingAcks = pendingAcks.filter((p) => p.lastOffset >= hw);
      for (const p of done) ctx.send(p.replyTo, { type: 'ProduceAck', reqId: p.reqId, baseOffset: p.baseOffset, lastOffset: p.lastOffset } as Message);
    }
    wakeFetches(ctx);
    statusChanged(ctx);
  }

  function becomeLeader(ctx: Context): void {
    follower.reset();
    leaderState = new LeaderState(a.spuId, replicas, log.hw, ctx.now(), replicaLagMs);
    leaderState.tick(log.leo, ctx.now()); // alone in sync at first: HW = LEO
    advanceHw(ctx);
  }

  function becomeFollower(ctx: Context): void {
    leaderState = null;
    for (const p of pendingAcks) ctx.send(p.replyTo, { type: 'ProduceAck', reqId: p.reqId, baseOffset: -1, lastOffset: -1, error: notLeader(a, leader) } as Message);
    pendingAcks = [];
    for (const f of parked.values()) ctx.send(f.replyTo, { type: 'FetchReply', reqId: f.reqId, batches: [], hw: -1, leo: -1, base: -1, error: notLeader(a, leader) } as Message);
    parked.clear();
    followerFetches.clear();
    follower.reset();
    follower.fetch(ctx, log, leader, false);
  }

  function produce(p: Produce, ctx: Context): void {
    const reply = (ack: Omit<ProduceAck, 'type' | 'reqId'>) => {
      if (p.acks !== 0) ctx.send(p.replyTo, { type: 'ProduceAck', reqId: p.reqId, ...ack } as Message);
    };
    if (!isLeader() || !leaderState) return reply({ baseOffset: -1, lastOffset: -1, error: notLeader(a, leader) });
    const segmentsBefore = log.segmentCount;
    let res: { baseOffset: number; lastOffset: number };
    try {
      res = log.append(p.batch, { leaderEpoch: epoch });
    } catch (err) {
      if (!(err instanceof RivuletError)) throw err;
      if (err.code === ErrorCode.OUT_OF_SPACE && !outOfSpace) {
        outOfSpace = true;
        ctx.log.warn({ topic: a.topic, partition: a.partition }, 'out of space');
        statusChanged(ctx);
      }
      return reply({ baseOffset: -1, lastOffset: -1, error: toPlainError(err) });
    }
    if (log.segmentCount !== segmentsBefore) log.enforceRetention();
    // A single replica is alone in sync: HW = LEO at once (this also answers earlier acks=all).
    if (leaderState.tick(log.leo, ctx.now())) advanceHw(ctx);
    if (p.acks === 1) {
      reply(res);
    } else if (p.acks === 'all') {
      if (res.lastOffset < log.hw) reply(res);
      else if (pendingAcks.length >= REPLICA_DEFAULTS.maxPendingAcks) {
        reply({ ...res, error: toPlainError(new RivuletError(ErrorCode.TIMEOUT, 'too many acks=all requests waiting for replication', { waiting: pendingAcks.length })) });
      } else pendingAcks.push({ replyTo: p.replyTo, reqId: p.reqId, ...res });
    }
    wakeFetches(ctx);
    statusChanged(ctx);
  }

  function fetch(f: Fetch, ctx: Context): void {
    const answer = (extra: Partial<FetchReply>) =>
      ctx.send(f.replyTo, { type: 'FetchReply', reqId: f.reqId, batches: [], hw: log.hw, leo: log.leo, base: log.base, ...extra } as Message);
    if (!isLeader()) return answer({ hw: -1, leo: -1, base: -1, error: notLeader(a, leader) });
    if (f.offset === -1) return answer({}); // metadata only: where the log starts and ends
    if (f.offset < log.base || f.offset > log.leo) {
      const err = new RivuletError(ErrorCode.OFFSET_OUT_OF_RANGE, `offset ${f.offset} is outside ${a.topic}/${a.partition}'s range [${log.base}, ${log.leo}]`, { offset: f.offset, base: log.base, leo: log.leo });
      return answer({ error: toPlainError(err) });
    }
    const r = fetchReply(f);
    if (r.batches.length > 0 || f.waitMs <= 0 || parked.size >= REPLICA_DEFAULTS.maxParkedFetches) {
      ctx.send(f.replyTo, r);
      return;
    }
    parked.set(parkKey(f), f);
    ctx.schedule(f.waitMs, { type: 'FetchTimeout', reqId: f.reqId, replyTo: f.replyTo } as Message);
  }

  function onAssign(as: ReplicaAssign, ctx: Context): void {
    if (as.epoch < epoch) return;
    // A repeated assignment (reconciliation, a duplicated message) changes nothing.
    if (as.epoch === epoch && as.leader === leader && as.replicas.join(',') === replicas.join(',')) return;
    const wasLeader = isLeader() && leaderState !== null;
    leader = as.leader;
    epoch = as.epoch;
    replicas = as.replicas;
    if (isLeader()) {
      if (!wasLeader) becomeLeader(ctx);
    } else {
      becomeFollower(ctx);
    }
    statusChanged(ctx);
  }

  return {
    onStart(ctx) {
      incarnation = ctx.now();
      log = ctx.storage.openLog(a.spuId, a.topic, a.partition, a.config);
      outOfSpace = ctx.storage.budget(a.spuId).full;
      if (isLeader()) becomeLeader(ctx);
      else becomeFollower(ctx);
      statusChanged(ctx);
      ctx.schedule(REPLICA_DEFAULTS.tickMs, { type: 'Tick' });
    },
    receive(msg, ctx) {
      switch (msg.type) {
        case 'Produce':
          return produce(msg as Produce, ctx);
        case 'Fetch':
          return fetch(msg as Fetch, ctx);
        case 'FetchTimeout': {
          const t = msg as FetchTimeout;
          const f = parked.get(parkKey(t));
          if (f) {
            parked.delete(parkKey(t));
            ctx.send(f.replyTo, fetchReply(f));
          }
          return;
        }
        case 'ReplicaFetch': {
          const f = msg as ReplicaFetch;
          if (!isLeader() || !leaderState) {
            ctx.send(f.replyTo, { type: 'ReplicaFetchReply', reqId: f.reqId, epoch, batches: [], hw: -1, leo: -1, error: notLeader(a, leader) } as Message);
            return;
          }
          if (followerFetches.serve(f, ctx, log, epoch, leaderState)) advanceHw(ctx);
          statusChanged(ctx);
          return;
        }
        case 'ReplicaFetchTimeout':
          followerFetches.timeout(msg as { type: string; follower: number; reqId: number }, ctx, log, epoch);
          return;
        case 'ReplicaFetchReply': {
          const r = msg as ReplicaFetchReply;
          if (isLeader() || r.epoch < epoch) return;
          const next = follower.onReply(r, log, ctx);
          if (next === 'stale') return;
          statusChanged(ctx);
          if (next === 'again') follower.fetch(ctx, log, leader, Follower.caughtUp(r, log));
          return;
        }
        case 'ReplicaAssign':
          return onAssign(msg as ReplicaAssign, ctx);
        case 'Tick': {
          const baseBefore = log.base;
          const spaceBefore = outOfSpace;
          log.enforceRetention();
          if (outOfSpace && !ctx.storage.budget(a.spuId).full) {
            outOfSpace = false;
            ctx.log.info({ topic: a.topic, partition: a.partition }, 'space available again');
          }
          if (leaderState) {
            const isrBefore = leaderState.isr().join(',');
            if (leaderState.tick(log.leo, ctx.now())) advanceHw(ctx);
            if (leaderState.isr().join(',') !== isrBefore) statusChanged(ctx);
          } else {
            follower.fetch(ctx, log, leader, false); // re-sends only if the last one was lost
          }
          log.checkpoint();
          if (log.base !== baseBefore || outOfSpace !== spaceBefore) statusChanged(ctx);
          ctx.schedule(REPLICA_DEFAULTS.tickMs, { type: 'Tick' });
          return;
        }
        case 'ReportRequest': {
          const rq = msg as ReportRequest;
          ctx.send(rq.replyTo, { type: 'ReportReply', token: rq.token, report: report() } as Message);
          return;
        }
        case 'FlushStatus':
          statusScheduled = false;
          ctx.send(a.statusSpu, { type: 'ReplicaStatus', report: report() } as Message);
          return;
        default:
          ctx.log.warn({ type: msg.type }, 'replica: unexpected message');
      }
    },
    onStop(ctx) {
      // Nobody will answer these any more: tell the waiting clients now (they look the partition
      // up again), instead of letting them time out.
      for (const f of parked.values()) ctx.send(f.replyTo, { type: 'FetchReply', reqId: f.reqId, batches: [], hw: -1, leo: -1, base: -1, error: notLeader(a, leader) } as Message);
      for (const p of pendingAcks) ctx.send(p.replyTo, { type: 'ProduceAck', reqId: p.reqId, baseOffset: -1, lastOffset: -1, error: notLeader(a, leader) } as Message);
      // The host's storage owns the log (a restarted replica reopens it); just checkpoint HW.
      log.checkpoint();
    },
  };
}
