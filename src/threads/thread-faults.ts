/**
 * The thread host's fault injection (main-thread side), as acknowledged round trips: a fault is
 * posted to every worker it concerns with an ack id, and its promise resolves once each of them
 * has applied it (or has exited — a dead worker holds no state to change), so a caller that awaits
 * a fault and acts at once sees it in effect. A worker that does not answer within `ackTimeoutMs`
 * is not waited for longer.
 *
 * Storage faults belong to the SPU's storage, not to its workers (storage-fills.ts keeps them on
 * the main thread, and on disk in disk mode): every worker launched for a full SPU is told first,
 * before it starts any actor (`prime`), so a restarted SPU comes back still full.
 *
 * Invariants: every pending ack settles exactly once (ack, worker exit, or timeout); network cuts
 * are applied on the main thread before the workers are told.
 */
import type { LinkCuts } from '../runtime/link-cuts.js';
import type { Envelope } from './envelope.js';
import { StorageFills } from './storage-fills.js';
import type { WorkerPool } from './worker-pool.js';
import type { WorkerSlot } from './worker-slot.js';

export const FAULT_LIMITS = { ackTimeoutMs: 5_000 } as const;

interface PendingAck { slot: WorkerSlot; done: () => void }

export class ThreadFaults {
  private readonly pending = new Map<number, PendingAck>();
  private nextAck = 1;
  private readonly fills: StorageFills;

  constructor(private readonly pool: WorkerPool, private readonly cuts: LinkCuts, home: string | undefined, spuIds: readonly number[]) {
    this.fills = new StorageFills(home, spuIds);
  }

  /** A freshly launched worker of `slot.spuId`: hand it the SPU's storage state before anything else. */
  prime(slot: WorkerSlot): void {
    if (this.fills.has(slot.spuId)) slot.worker.postMessage({ k: 'fault', op: 'fillStorage', spuId: slot.spuId } satisfies Envelope);
  }

  /** Make an SPU's storage full (or free it) on its disk and in every worker of it now running. */
  storage(spuId: number, op: 'fillStorage' | 'freeStorage'): Promise<void> {
    this.fills.set(spuId, op === 'fillStorage');
    return this.ask(this.pool.ofSpu(spuId), (ack) => ({ k: 'fault', op, spuId, ack }));
  }

  /** Cut an SPU off (or heal it): on the main thread at once, then in every worker. */
  disconnect(spuId: number, disconnected: boolean): Promise<void> {
    const next = new Set(this.cuts.spus);
    if (disconnected) next.add(spuId);
    else next.delete(spuId);
    this.cuts.set(next);
    const spus = this.cuts.spus;
    return this.ask(this.pool.live(), (ack) => ({ k: 'cuts', spus, ack }));
  }

  /** Inject an uncaught exception into the worker; resolves once it has died. */
  killWorker(slot: WorkerSlot | undefined): Promise<void> {
    if (!slot || slot.exited) return Promise.resolve();
    const exited = new Promise<void>((resolve) => {
      const t = setTimeout(resolve, FAULT_LIMITS.ackTimeoutMs);
      t.unref();
      slot.worker.once('exit', () => {
        clearTimeout(t);
        resolve();
      });
    });
    slot.worker.postMessage({ k: 'fault', op: 'crash', spuId: slot.spuId } satisfies Envelope);
    return exited;
  }

  /** A worker applied the fault posted with `ack`. */
  onAck(ack: number): void {
    const p = this.pending.get(ack);
    if (!p) return;
    this.pending.delete(ack);
    p.done();
  }

  /** A worker exited: it will not answer; nothing of its state is left to change. */
  onExit(slot: WorkerSlot): void {
    for (const [ack, p] of [...this.pending]) if (p.slot === slot) this.onAck(ack);
  }

  private ask(slots: WorkerSlot[], env: (ack: number) => Envelope): Promise<void> {
    return Promise.all(slots.filter((s) => !s.exited).map((slot) => new Promise<void>((resolve) => {
      const ack = this.nextAck++;
      const t = setTimeout(() => this.onAck(ack), FAULT_LIMITS.ackTimeoutMs);
      t.unref();
      this.pending.set(ack, { slot, done: () => { clearTimeout(t); resolve(); } });
      slot.worker.postMessage(env(ack));
    }))).then(() => undefined);
  }
}
