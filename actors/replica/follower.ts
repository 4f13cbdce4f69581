/**
 * The follower side of replication (DESIGN §5): fetch from the leader at our LEO carrying the
 * epoch of our last batch; truncate where the leader says we diverged; append what it sends
 * (offsets already assigned); take HW = min(leader's HW, our LEO). One fetch in flight at a time;
 * a fetch unanswered for `fetchTimeoutMs` is sent again (lost messages, a dead leader).
 */
import type { Context } from '../../src/runtime/actor.js';
import { RivuletError, ErrorCode } from '../../src/runtime/errors.js';
import { batchBaseOffset, batchLastOffset } from '../../src/storage/batch-layout.js';
import type { PartitionLog } from '../../src/storage/log.js';
import { replicaActorId, type ReplicaFetch, type ReplicaFetchReply } from '../messages.js';
import { toReplica } from '../send.js';

export const FOLLOWER_DEFAULTS = { fetchWaitMs: 500, fetchTimeoutMs: 1_000, retryMs: 100 } as const;

export class Follower {
  private inFlight: { reqId: number; sentMs: number } | null = null;
  private reqSeq = 1;

  constructor(
    private readonly topic: string,
    private readonly partition: number,
    private readonly self: number,
  ) {}

  /** Send a fetch unless one is in flight and not yet timed out. */
  fetch(ctx: Context, log: PartitionLog, leader: number, caughtUp: boolean): void {
    if (leader < 0) return; // no leader yet (the SC is recovering the partition, sc/recovery.ts)
    const now = ctx.now();
    if (this.inFlight && now - this.inFlight.sentMs < FOLLOWER_DEFAULTS.fetchTimeoutMs) return;
    const reqId = this.reqSeq++;
    this.inFlight = { reqId, sentMs: now };
    const last = log.leo > log.base ? log.epochCache.latest : undefined;
    const req: ReplicaFetch = {
      type: 'ReplicaFetch', reqId, replyTo: ctx.self, follower: this.self, offset: log.leo,
      lastEpoch: last?.epoch ?? -1, lastEpochStart: last?.startOffset ?? -1,
      waitMs: caughtUp ? FOLLOWER_DEFAULTS.fetchWaitMs : 0,
    };
    toReplica(ctx, replicaActorId(this.topic, this.partition, leader), req);
  }

  /** Stop expecting an answer (we became leader, or the leader changed). */
  reset(): void {
    this.inFlight = null;
  }

  /**
   * Apply a reply. Returns 'again' to fetch right away, 'later' to wait for the next tick, or
   * 'stale' for a reply that is not the one in flight. Storage errors other than a full disk are
   * bugs and propagate (the supervisor restarts the replica).
   */
  onReply(r: ReplicaFetchReply, log: PartitionLog, ctx: Context): 'again' | 'later' | 'stale' {
    if (!this.inFlight || r.reqId !== this.inFlight.reqId) return 'stale';
    this.inFlight = null;
    if (r.error) return 'later';
    if (r.truncateTo !== undefined && r.truncateTo < log.leo) {
      ctx.log.info({ topic: this.topic, partition: this.partition, from: log.leo, to: r.truncateTo }, 'follower truncates diverged tail');
      log.truncateTo(r.truncateTo);
    }
    for (const b of r.batches) {
      if (batchLastOffset(b) < log.leo) continue;
      if (batchBaseOffset(b) !== log.leo) break; // a gap: fetch again from our LEO
      try {
        log.appendReplicated(b);
      } catch (err) {
        if (err instanceof RivuletError && err.code === ErrorCode.OUT_OF_SPACE) return 'later';
        throw err;
      }
    }
    const hw = Math.min(r.hw, log.leo);
    if (hw > log.hw) log.setHighWatermark(hw);
    return 'again';
  }

  /** Whether we hold everything the leader had when it answered. */
  static caughtUp(r: ReplicaFetchReply, log: PartitionLog): boolean {
    return log.leo >= r.leo;
  }
}
