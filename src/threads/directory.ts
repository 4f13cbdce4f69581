/**
 * Where every worker-hosted actor lives (actor id → worker index), kept by the main thread and
 * mirrored to every worker (`route` envelopes). Messages the main thread relays go to the
 * actor's worker; messages for an actor that is not running yet are held (bounded per actor and
 * in number of actors) and released when it starts; a message relayed too often is dropped.
 */
import type { Logger } from 'pino';
import type { ActorId } from '../runtime/actor.js';
import type { LinkCuts } from '../runtime/link-cuts.js';
import type { Envelope } from './envelope.js';
import type { WorkerSlot } from './worker-slot.js';

/** A message relayed more often than this is dropped (never an endless bounce). */
const MAX_RELAY_HOPS = 4;
/** Messages held for actors that are not running yet: per actor, and how many actors. */
const RELAY_LIMITS = { heldPerActor: 1024, heldActors: 4096 } as const;

export class Directory {
  private readonly where = new Map<ActorId, number>();
  private readonly held = new Map<ActorId, Envelope[]>();

  constructor(
    private readonly workers: ReadonlyMap<number, WorkerSlot>,
    private readonly cuts: LinkCuts,
    private readonly log: Logger,
  ) {}

  workerOf(actor: ActorId): WorkerSlot | undefined {
    const w = this.where.get(actor);
    return w === undefined ? undefined : this.workers.get(w);
  }

  entries(): IterableIterator<[ActorId, number]> {
    return this.where.entries();
  }

  /** Record where an actor lives (null: gone) and tell every live worker. */
  set(id: ActorId, worker: number | null): void {
    if (worker === null) this.where.delete(id);
    else this.where.set(id, worker);
    for (const w of this.workers.values()) if (!w.exited) w.worker.postMessage({ k: 'route', id, worker } satisfies Envelope);
  }

  /** The messages held for an actor that just started (they leave the directory's care). */
  release(id: ActorId): Envelope[] {
    const held = this.held.get(id) ?? [];
    this.held.delete(id);
    return held;
  }

  relay(env: Envelope & { k: 'msg' }): void {
    if (this.cuts.blocks(env.from, env.to)) return; // an injected network partition
    env.hops = (env.hops ?? 0) + 1;
    if (env.hops > MAX_RELAY_HOPS) {
      // The directory and a worker disagree (an actor stopping right now): a dead letter.
      this.log.warn({ to: env.to, type: env.msg.type }, 'dropping a message that bounced between workers');
      return;
    }
    const slot = this.workerOf(env.to);
    if (slot && !slot.exited) {
      slot.worker.postMessage(env);
      return;
    }
    const q = this.held.get(env.to);
    if (q) {
      if (q.length < RELAY_LIMITS.heldPerActor) q.push(env);
    } else if (this.held.size < RELAY_LIMITS.heldActors) {
      this.held.set(env.to, [env]);
    }
  }
}
