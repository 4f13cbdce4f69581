/**
 * The leader's waiting client requests: consumer fetches (answered now, or parked as long polls
 * until data reaches their bound or their wait ends) and acks=all produces (answered when the HW
 * covers them). Pure bookkeeping over the log the replica passes in.
 *
 * Invariants:
 * - A consumer reads up to HW (read_committed) or LEO (read_uncommitted), never past it.
 * - At most `maxParkedFetches` long polls and `maxPendingAcks` acks=all wait at once; past that
 *   a fetch is answered at once (empty) and an ack with TIMEOUT — state never grows unbounded.
 * - Pending acks are answered in offset order, exactly once: on HW progress, or with an error
 *   when leadership is lost or the replica stops.
 */
import type { Context } from '../../src/runtime/actor.js';
import { RivuletError, ErrorCode, toPlainError, type PlainError } from '../../src/runtime/errors.js';
import type { PartitionLog } from '../../src/storage/log.js';
import type { Fetch, FetchReply, FetchTimeout, Produce, ProduceAck } from '../messages.js';
import { scheduleReplica, toClient } from '../send.js';

export const CLIENT_LIMITS = {
  maxParkedFetches: 1024,
  maxPendingAcks: 65_536,
  maxFetchBytes: 8 * 1024 * 1024,
} as const;

interface PendingAck { replyTo: string; reqId: number; baseOffset: number; lastOffset: number }

const parkKey = (f: { replyTo: string; reqId: number }) => `${f.replyTo}#${f.reqId}`;
const boundOf = (f: Fetch, log: PartitionLog) => (f.isolation === 'read_uncommitted' ? log.leo : log.hw);

export class ClientRequests {
  private readonly parked = new Map<string, Fetch>();
  private pendingAcks: PendingAck[] = [];

  constructor(private readonly topic: string, private readonly partition: number) {}

  /** Serve a consumer fetch at the leader: metadata, a range error, data now, or a long poll. */
  fetch(f: Fetch, ctx: Context, log: PartitionLog): void {
    const answer = (extra: Partial<FetchReply>) =>
      toClient(ctx, f.replyTo, { type: 'FetchReply', reqId: f.reqId, batches: [], hw: log.hw, leo: log.leo, base: log.base, ...extra });
    if (f.offset === -1) return answer({}); // metadata only: where the log starts and ends
    if (f.offset < log.base || f.offset > log.leo) {
      const err = new RivuletError(ErrorCode.OFFSET_OUT_OF_RANGE, `offset ${f.offset} is outside ${this.topic}/${this.partition}'s range [${log.base}, ${log.leo}]`, { offset: f.offset, base: log.base, leo: log.leo });
      return answer({ error: toPlainError(err) });
    }
    const r = this.fetchReply(f, log);
    if (r.batches.length > 0 || f.waitMs <= 0 || this.parked.size >= CLIENT_LIMITS.maxParkedFetches) {
      toClient(ctx, f.replyTo, r);
      return;
    }
    this.parked.set(parkKey(f), f);
    scheduleReplica(ctx, f.waitMs, { type: 'FetchTimeout', reqId: f.reqId, replyTo: f.replyTo });
  }

  /** A long poll's wait ended: answer it with whatever there is. */
  timeout(t: FetchTimeout, ctx: Context, log: PartitionLog): void {
    const f = this.parked.get(parkKey(t));
    if (!f) return;
    this.parked.delete(parkKey(t));
    toClient(ctx, f.replyTo, this.fetchReply(f, log));
  }

  /** Data arrived or HW moved: answer the long polls that can progress. */
  wake(ctx: Context, log: PartitionLog): void {
    for (const [k, f] of this.parked) {
      if (f.offset < boundOf(f, log)) {
        this.parked.delete(k);
        toClient(ctx, f.replyTo, this.fetchReply(f, log));
      }
    }
  }

  /** Whether another acks=all may wait for the HW. */
  get acksFull(): boolean {
    return this.pendingAcks.length >= CLIENT_LIMITS.maxPendingAcks;
  }

  get waitingAcks(): number {
    return this.pendingAcks.length;
  }

  /**
   * Answer a stored (or deduplicated) produce per its acks: 1 at once; 'all' at once when the HW
   * already covers it, else when it does (TIMEOUT when too many wait); 0 never.
   */
  answerProduce(ctx: Context, p: Produce, res: { baseOffset: number; lastOffset: number }, hw: number): void {
    if (p.acks === 0) return;
    if (p.acks === 1 || res.lastOffset < hw) {
      toClient(ctx, p.replyTo, { type: 'ProduceAck', reqId: p.reqId, ...res });
    } else if (this.acksFull) {
      const error = toPlainError(new RivuletError(ErrorCode.TIMEOUT, 'too many acks=all requests waiting for replication', { waiting: this.waitingAcks }));
      toClient(ctx, p.replyTo, { type: 'ProduceAck', reqId: p.reqId, ...res, error });
    } else {
      this.pendingAcks.push({ replyTo: p.replyTo, reqId: p.reqId, ...res });
    }
  }

  /** The HW moved to `hw`: answer the acks=all it now covers. */
  release(ctx: Context, hw: number): void {
    if (this.pendingAcks.length === 0 || this.pendingAcks[0]!.lastOffset >= hw) return;
    const done = this.pendingAcks.filter((p) => p.lastOffset < hw);
    this.pendingAcks = this.pendingAcks.filter((p) => p.lastOffset >= hw);
    for (const p of done) toClient(ctx, p.replyTo, ackOf(p));
  }

  /** Answer every waiting acks=all with `error` (leadership lost, replica stopping). */
  failAcks(ctx: Context, error: PlainError): void {
    for (const p of this.pendingAcks) toClient(ctx, p.replyTo, { type: 'ProduceAck', reqId: p.reqId, baseOffset: -1, lastOffset: -1, error });
    this.pendingAcks = [];
  }

  /** Answer every long poll with `error`. */
  failFetches(ctx: Context, error: PlainError): void {
    for (const f of this.parked.values()) toClient(ctx, f.replyTo, { type: 'FetchReply', reqId: f.reqId, batches: [], hw: -1, leo: -1, base: -1, error });
    this.parked.clear();
  }

  private fetchReply(f: Fetch, log: PartitionLog): FetchReply {
    const bound = boundOf(f, log);
    const maxBytes = Math.min(Math.max(1, f.maxBytes), CLIENT_LIMITS.maxFetchBytes);
    const batches = f.offset < bound ? log.read(f.offset, { maxOffset: bound, maxBytes }).batches : [];
    return { type: 'FetchReply', reqId: f.reqId, batches, hw: log.hw, leo: log.leo, base: log.base };
  }
}

const ackOf = (p: PendingAck): ProduceAck => ({ type: 'ProduceAck', reqId: p.reqId, baseOffset: p.baseOffset, lastOffset: p.lastOffset });
