/**
 * Fresh partition listings ("read your writes" for admin): before answering listPartitions the SC
 * asks every replica it knows to be running for its current report and answers when all replied
 * or `syncTimeoutMs` passed. Per-link FIFO makes this exact: a client that saw a produce ack and
 * then asks the SC gets a listing that includes that append, because the SC's request reaches
 * the replica after the append was processed.
 *
 * Invariant: at most `maxPendingSyncs` listings wait at once; beyond that the SC answers from its
 * last reports at once (never unbounded state).
 */
import type { Context } from '../../src/runtime/actor.js';
import type { ReplicaReport } from '../messages.js';
import { scheduleSc, toReplica } from '../send.js';

export const REPORT_SYNC = { syncTimeoutMs: 1_000, maxPendingSyncs: 64 } as const;

interface Pending {
  waiting: Set<string>;
  answer: () => void;
}

export class ReportSync {
  private readonly pending = new Map<number, Pending>();
  private nextToken = 1;

  /**
   * Ask `replicas` (actor ids) for reports, then call `answer`. Answers at once when there is
   * nothing to wait for or too many syncs are pending.
   */
  start(ctx: Context, replicas: string[], answer: () => void): void {
    if (replicas.length === 0 || this.pending.size >= REPORT_SYNC.maxPendingSyncs) {
      answer();
      return;
    }
    const token = this.nextToken++;
    this.pending.set(token, { waiting: new Set(replicas), answer });
    for (const id of replicas) toReplica(ctx, id, { type: 'ReportRequest', token, replyTo: ctx.self });
    scheduleSc(ctx, REPORT_SYNC.syncTimeoutMs, { type: 'ReportSyncTimeout', token });
  }

  /** A replica answered; `apply` folds its report into the SC's state first. */
  onReply(token: number, from: string, report: ReplicaReport, apply: (r: ReplicaReport) => void): void {
    apply(report);
    const p = this.pending.get(token);
    if (!p) return;
    p.waiting.delete(from);
    if (p.waiting.size === 0) this.finish(token);
  }

  onTimeout(token: number): void {
    this.finish(token);
  }

  private finish(token: number): void {
    const p = this.pending.get(token);
    if (!p) return;
    this.pending.delete(token);
    p.answer();
  }
}
