/**
 * The leader side of replication (DESIGN §5): serve follower fetches. A follower fetching at
 * offset O tells the leader its LEO is O (LeaderState tracks it; HW may move). A follower whose
 * last batch is from an older epoch and whose log runs past where that epoch ended on the leader
 * is told to truncate there first (the Kafka OffsetsForLeaderEpoch rule); a follower whose last
 * epoch the leader never held (it led that epoch itself, or another replica did, while this leader
 * was away) diverged from that epoch's start at the latest, and is told to truncate there (then it
 * asks again with its previous epoch: Kafka's rule taken one epoch at a time); one past the
 * leader's LEO is told to truncate to it. A caught-up follower's fetch is parked until data arrives, the HW
 * moves, or its wait ends (one parked fetch per follower).
 */
import type { Context } from '../../src/runtime/actor.js';
import { RivuletError, ErrorCode, toPlainError } from '../../src/runtime/errors.js';
import type { PartitionLog } from '../../src/storage/log.js';
import type { ReplicaFetch, ReplicaFetchReply, ReplicaFetchTimeout } from '../messages.js';
import { scheduleReplica, toReplica } from '../send.js';
import type { LeaderState } from './leader-state.js';

export const REPLICATION_LIMITS = { maxFetchBytes: 1024 * 1024 } as const;

export class FollowerFetches {
  /** Parked follower fetches, with the HW they would have carried then. */
  private readonly parked = new Map<number, { f: ReplicaFetch; hw: number }>();

  /** Serve one follower fetch. Returns true when it moved the HW. */
  serve(f: ReplicaFetch, ctx: Context, log: PartitionLog, epoch: number, state: LeaderState): boolean {
    const reply = (extra: Partial<ReplicaFetchReply>) =>
      toReplica(ctx, f.replyTo, { type: 'ReplicaFetchReply', reqId: f.reqId, epoch, batches: [], hw: log.hw, leo: log.leo, ...extra });
    if (f.lastEpoch >= 0 && f.lastEpoch < epoch) {
      const leaderEnd = log.lastOffsetForEpoch(f.lastEpoch);
      const end = log.epochCache.holds(f.lastEpoch) ? leaderEnd : Math.min(leaderEnd, Math.max(f.lastEpochStart, 0));
      if (f.offset > end) {
        reply({ truncateTo: end });
        return false;
      }
    }
    if (f.offset > log.leo) {
      reply({ truncateTo: log.leo });
      return false;
    }
    if (f.offset < log.base) {
      const err = new RivuletError(ErrorCode.OFFSET_OUT_OF_RANGE, `follower ${f.follower} fetches ${f.offset}, below the leader's BASE ${log.base}`, { offset: f.offset, base: log.base });
      ctx.log.warn({ follower: f.follower, offset: f.offset, base: log.base }, 'follower is behind retention');
      reply({ error: toPlainError(err) });
      return false;
    }
    const moved = state.onFetch(f.follower, f.offset, log.leo, ctx.now());
    if (f.offset < log.leo || f.waitMs <= 0) {
      toReplica(ctx, f.replyTo, this.data(f, log, epoch));
      return moved;
    }
    this.parked.set(f.follower, { f, hw: log.hw });
    scheduleReplica(ctx, f.waitMs, { type: 'ReplicaFetchTimeout', follower: f.follower, reqId: f.reqId });
    return moved;
  }

  /** New data, or a higher HW (followers learn it at once, not at their fetch's timeout): answer parked fetches. */
  wake(ctx: Context, log: PartitionLog, epoch: number): void {
    for (const [id, { f, hw }] of this.parked) {
      if (f.offset < log.leo || log.hw > hw) {
        this.parked.delete(id);
        toReplica(ctx, f.replyTo, this.data(f, log, epoch));
      }
    }
  }

  timeout(t: ReplicaFetchTimeout, ctx: Context, log: PartitionLog, epoch: number): void {
    const f = this.parked.get(t.follower)?.f;
    if (!f || f.reqId !== t.reqId) return;
    this.parked.delete(t.follower);
    toReplica(ctx, f.replyTo, this.data(f, log, epoch));
  }

  clear(): void {
    this.parked.clear();
  }

  private data(f: ReplicaFetch, log: PartitionLog, epoch: number): ReplicaFetchReply {
    const batches = f.offset < log.leo ? log.read(f.offset, { maxOffset: log.leo, maxBytes: REPLICATION_LIMITS.maxFetchBytes }).batches : [];
    return { type: 'ReplicaFetchReply', reqId: f.reqId, epoch, batches, hw: log.hw, leo: log.leo };
  }
}
