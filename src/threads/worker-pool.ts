/**
 * The thread host's workers (main-thread side): launches a worker and wires it into the full mesh
 * of direct MessagePorts, hands it the current link cuts and every known route, and lists, counts
 * and forgets workers. Owned by the ThreadHost, which alone posts to workers (through this pool,
 * the Directory and the produce lanes).
 *
 * Invariants: every live worker has a direct port to every other live worker; a worker that
 * exited is never posted to again; at most `maxWorkers` workers are live at once.
 */
import { MessageChannel } from 'node:worker_threads';
import type { ActorId } from '../runtime/actor.js';
import type { LinkCuts } from '../runtime/link-cuts.js';
import type { Envelope, WorkerInit } from './envelope.js';
import { launchWorker, type WorkerSlot } from './worker-slot.js';

export interface WorkerPoolOptions {
  storage: WorkerInit['storage'];
  placement: WorkerInit['placement'];
  heartbeatMs: number;
  produceRingBytes: number;
  logLevel?: string;
  maxWorkers: number;
}

export interface WorkerEvents {
  message(slot: WorkerSlot, env: Envelope): void;
  error(slot: WorkerSlot, err: Error): void;
  exit(slot: WorkerSlot, code: number): void;
}

export class WorkerPool {
  /** Every worker not yet forgotten, by index (the Directory reads it). */
  readonly slots = new Map<number, WorkerSlot>();
  private nextIndex = 1;

  constructor(private readonly opts: WorkerPoolOptions, private readonly on: WorkerEvents) {}

  /** Workers that have not exited (nor are being ended). */
  live(): WorkerSlot[] {
    return [...this.slots.values()].filter((w) => !w.exited);
  }

  ofSpu(spuId: number): WorkerSlot[] {
    return this.live().filter((w) => w.spuId === spuId);
  }

  /** Start a worker for `spuId`, connected to every live worker and told every known route. */
  launch(spuId: number, cuts: LinkCuts, routes: Iterable<[ActorId, number]>): WorkerSlot {
    if (this.live().length >= this.opts.maxWorkers) {
      throw new Error(`refusing to start more than ${this.opts.maxWorkers} workers (placement '${this.opts.placement}')`);
    }
    const index = this.nextIndex++;
    const slot = launchWorker(index, spuId, this.opts);
    const worker = slot.worker;
    this.slots.set(index, slot);
    for (const other of this.slots.values()) {
      if (other === slot || other.exited) continue;
      const ch = new MessageChannel();
      other.worker.postMessage({ k: 'port', peer: index, port: ch.port1 } satisfies Envelope, [ch.port1]);
      worker.postMessage({ k: 'port', peer: other.index, port: ch.port2 } satisfies Envelope, [ch.port2]);
    }
    if (cuts.active) worker.postMessage({ k: 'cuts', spus: cuts.spus } satisfies Envelope);
    for (const [id, w] of routes) worker.postMessage({ k: 'route', id, worker: w } satisfies Envelope);
    worker.on('message', (env: Envelope) => this.on.message(slot, env));
    worker.on('error', (err) => this.on.error(slot, err));
    worker.on('exit', (code) => this.on.exit(slot, code));
    return slot;
  }

  /** Post to every live worker (of one SPU when given). */
  postAll(env: Envelope, spuId?: number): void {
    for (const w of this.slots.values()) if (!w.exited && (spuId === undefined || w.spuId === spuId)) w.worker.postMessage(env);
  }

  /** Graceful end of every live worker: it stops its actors and closes its logs (5 s at most), then ends. */
  async shutdownAll(): Promise<void> {
    const live = this.live();
    await Promise.all(live.map((w) => new Promise<void>((resolve) => {
      const t = setTimeout(resolve, 5_000);
      w.worker.on('message', (env: Envelope) => { if (env.k === 'closed') { clearTimeout(t); resolve(); } });
      w.worker.postMessage({ k: 'shutdown' } satisfies Envelope);
    })));
    for (const w of live) w.exited = true;
    await Promise.all(live.map((w) => w.worker.terminate()));
  }

  forget(slot: WorkerSlot): void {
    this.slots.delete(slot.index);
  }
}
