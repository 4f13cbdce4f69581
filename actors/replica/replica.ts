/**
 * Partition replica behaviour. The leader serves produce (assigns offsets, appends to its log,
 * acks per the producer's `acks`) and fetch (up to HW for read_committed, LEO otherwise; long
 * polls are parked until data arrives or their wait ends). Every state change is reported to the
 * owning SPU (coalesced). A timer applies retention, re-checks storage space, and checkpoints HW.
 *
 * Invariants:
 * - Only the leader of the current epoch appends client batches; others answer NOT_LEADER.
 * - HW never goes backwards while leader; with a single replica HW = LEO after each append.
 * - A failed append (OUT_OF_SPACE, CORRUPT_BATCH, RECORD_TOO_LARGE) stores nothing and is
 *   answered with a typed error; anything else is a bug and crashes the actor.
 * - At most `maxParkedFetches` long polls are parked; more are answered at once (empty).
 */
import type { Actor, Context, Message } from '../../src/runtime/actor.js';
import { RivuletError, ErrorCode, toPlainError } from '../../src/storage/errors.js';
import type { PartitionLog } from '../../src/storage/index.js';
import type { ReportRequest, Fetch, FetchReply, FetchTimeout, Produce, ProduceAck, ReplicaAssign, ReplicaReport, TopicConfig } from '../messages.js';

export interface ReplicaArgs {
  spuId: number;
  topic: string;
  partition: number;
  leader: number;
  replicas: number[];
  epoch: number;
  config: TopicConfig;
  /** Actor id of the owning SPU (status reports go there). */
  statusSpu: string;
}

export const REPLICA_DEFAULTS = { tickMs: 500, maxParkedFetches: 1024, maxFetchBytes: 8 * 1024 * 1024 } as const;

export function createReplica(rawArgs: unknown): Actor {
  const a = rawArgs as ReplicaArgs;
  let leader = a.leader;
  let epoch = a.epoch;
  let log!: PartitionLog;
  let outOfSpace = false;
  let statusScheduled = false;
  const parked = new Map<string, Fetch>();

  const isLeader = () => leader === a.spuId;
  const parkKey = (f: { replyTo: string; reqId: number }) => `${f.replyTo}#${f.reqId}`;

  function report(): ReplicaReport {
    return {
      topic: a.topic, partition: a.partition, spuId: a.spuId, leader: isLeader(), epoch,
      hw: log.hw, leo: log.leo, base: log.base, sizeBytes: log.sizeBytes, outOfSpace,
      ...(isLeader() ? { inSync: [a.spuId] } : {}),
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

  function answerParked(ctx: Context): void {
    for (const [k, f] of parked) {
      const bound = f.isolation === 'read_uncommitted' ? log.leo : log.hw;
      if (f.offset < bound) {
        parked.delete(k);
        ctx.send(f.replyTo, fetchReply(f));
      }
    }
  }

  function produce(p: Produce, ctx: Context): void {
    const reply = (ack: Omit<ProduceAck, 'type' | 'reqId'>) => {
      if (p.acks !== 0) ctx.send(p.replyTo, { type: 'ProduceAck', reqId: p.reqId, ...ack } as Message);
    };
    if (!isLeader()) {
      reply({ baseOffset: -1, lastOffset: -1, error: toPlainError(new RivuletError(ErrorCode.NOT_LEADER, `SPU ${a.spuId} is not the leader of ${a.topic}/${a.partition}`, { leader })) });
      return;
    }
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
      reply({ baseOffset: -1, lastOffset: -1, error: toPlainError(err) });
      return;
    }
    // Single replica: the in-sync set is the leader alone, so HW = LEO.
    log.setHighWatermark(log.leo);
    if (log.segmentCount !== segmentsBefore) log.enforceRetention();
    reply(res);
    answerParked(ctx);
    statusChanged(ctx);
  }

  function fetch(f: Fetch, ctx: Context): void {
    if (!isLeader()) {
      ctx.send(f.replyTo, { type: 'FetchReply', reqId: f.reqId, batches: [], hw: -1, leo: -1, base: -1, error: toPlainError(new RivuletError(ErrorCode.NOT_LEADER, `SPU ${a.spuId} is not the leader of ${a.topic}/${a.partition}`, { leader })) } as Message);
      return;
    }
    if (f.offset === -1) {
      // Metadata only: where the log starts and ends.
      ctx.send(f.replyTo, { type: 'FetchReply', reqId: f.reqId, batches: [], hw: log.hw, leo: log.leo, base: log.base } as Message);
      return;
    }
    if (f.offset < log.base || f.offset > log.leo) {
      const err = new RivuletError(ErrorCode.OFFSET_OUT_OF_RANGE, `offset ${f.offset} is outside ${a.topic}/${a.partition}'s range [${log.base}, ${log.leo}]`, { offset: f.offset, base: log.base, leo: log.leo });
      ctx.send(f.replyTo, { type: 'FetchReply', reqId: f.reqId, batches: [], hw: log.hw, leo: log.leo, base: log.base, error: toPlainError(err) } as Message);
      return;
    }
    const r = fetchReply(f);
    if (r.batches.length > 0 || f.waitMs <= 0 || parked.size >= REPLICA_DEFAULTS.maxParkedFetches) {
      ctx.send(f.replyTo, r);
      return;
    }
    parked.set(parkKey(f), f);
    ctx.schedule(f.waitMs, { type: 'FetchTimeout', reqId: f.reqId, replyTo: f.replyTo } as Message);
  }

  return {
    onStart(ctx) {
      log = ctx.storage.openLog(a.spuId, a.topic, a.partition, a.config);
      outOfSpace = ctx.storage.budget(a.spuId).full;
      if (isLeader() && log.hw < log.leo) log.setHighWatermark(log.leo);
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
        case 'ReplicaAssign': {
          const as = msg as ReplicaAssign;
          if (as.epoch < epoch) return;
          leader = as.leader;
          epoch = as.epoch;
          if (isLeader() && log.hw < log.leo) log.setHighWatermark(log.leo);
          statusChanged(ctx);
          return;
        }
        case 'Tick': {
          const baseBefore = log.base;
          const spaceBefore = outOfSpace;
          log.enforceRetention();
          if (outOfSpace && !ctx.storage.budget(a.spuId).full) {
            outOfSpace = false;
            ctx.log.info({ topic: a.topic, partition: a.partition }, 'space available again');
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
    onStop() {
      // The host's storage owns the log (a restarted replica reopens it); just checkpoint HW.
      log.checkpoint();
    },
  };
}
