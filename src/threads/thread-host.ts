/**
 * The thread host (main-thread side) — the one object that owns the main thread's side of the workers:
 * it starts workers by placement (worker-pool.ts: full mesh of direct MessagePorts), keeps the actor
 * directory (directory.ts), hosts the SC on the main thread in its own ActorCore, relays what has no
 * direct route, keeps every worker's produce lane (produce-lane.ts) and every replica's announced tail
 * ring (tail-reader.ts), injects faults (thread-faults.ts), and supervises workers — a worker that
 * exits is an SPU crash: all of that SPU's workers end, the SC is told at once (SpuLost), and the
 * SPU is started again with backoff (until the restart intensity is exceeded).
 * The ThreadTransport asks it for routes, lanes and rings and posts nothing to workers itself.
 *
 * Placements (DESIGN §2): 'spu' — one worker per SPU hosting its replicas (the SPU's worker starts them
 * itself and tells main where they live); 'replica' — one worker for the SPU actor plus one per
 * replica actor, placed by main. Actors cannot tell them apart.
 */
import pino from 'pino';
import type { ActorId, BehaviorRegistry, Message, SpawnSpec } from '../runtime/actor.js';
import { actorLoggers } from './logging.js';
import { ActorCore } from '../runtime/actor-core.js';
import { RestartTracker } from '../runtime/supervisor.js';
import { LinkCuts } from '../runtime/link-cuts.js';
import { SC_ID, isClientId, spuActorId } from '../runtime/actor-ids.js';
import type { SpuLost } from '../../actors/messages.js';
import type { ClusterPlan, HostFaults, WorkerStats } from '../runtime/transport.js';
import { CoreDriver } from './core-driver.js';
import type { Envelope } from './envelope.js';
import { MainStorage } from './main-storage.js';
import type { ProduceLane } from './produce-lane.js';
import { TailRings } from './tail-reader.js';
import type { WorkerSlot } from './worker-slot.js';
import { WorkerPool } from './worker-pool.js';
import { Directory } from './directory.js';
import { ThreadFaults } from './thread-faults.js';
export type Placement = 'spu' | 'replica';

export interface ThreadHostOptions {
  plan: ClusterPlan;
  behaviors: BehaviorRegistry;
  placement: Placement;
  storage: { mode: 'memory' | 'disk'; home?: string; storageBytes: number; ringBytes: number };
  produceRingBytes: number;
  heartbeatMs: number;
  logLevel?: string;
  /** Most workers a host may run (guards the 'replica' placement on many partitions). */
  maxWorkers: number;
}

/** What the host tells its transport. */
export interface ThreadHostEvents {
  /** A message for a main-thread client endpoint (a reply or an event). */
  clientMessage(to: ActorId, msg: Message): void;
  /** A worker could not hand a produce frame to its replica. */
  produceError(reqId: number, error: unknown): void;
  /** An SPU's workers ended (crash or fault): nothing pending there will be answered. */
  spuLost(spuId: number): void;
}

const isMainActor = (id: ActorId) => id === SC_ID || isClientId(id);

export class ThreadHost implements HostFaults {
  private readonly pool: WorkerPool;
  private readonly directory: Directory;
  private readonly restarts = new RestartTracker({ maxRestarts: 5, periodMs: 30_000, backoffBaseMs: 50, backoffMaxMs: 2_000 });
  private readonly downSpus = new Set<number>();
  /** Injected network partitions (faults.disconnectSpu); workers get a copy. */
  private readonly cuts = new LinkCuts();
  private readonly faults: ThreadFaults; // acknowledged round trips; storage fills outlive workers
  /** Every replica's tail ring, as its worker announced it (in-place consumers read them). */
  readonly tailRings = new TailRings();
  private readonly core: ActorCore;
  private readonly driver = new CoreDriver();
  private readonly log;
  private closed = false;

  constructor(private readonly opts: ThreadHostOptions, private readonly events: ThreadHostEvents) {
    this.log = pino({ level: opts.logLevel ?? 'silent' }).child({ host: 'main' });
    this.pool = new WorkerPool(opts, {
      message: (slot, env) => this.onWorkerMessage(slot, env),
      error: (slot, err) => this.log.error({ worker: slot.index, err: String(err) }, 'worker error'),
      exit: (slot, code) => this.onWorkerExit(slot, code),
    });
    this.directory = new Directory(this.pool.slots, this.cuts, this.log);
    this.faults = new ThreadFaults(this.pool, this.cuts, opts.storage.mode === 'disk' ? opts.storage.home : undefined, opts.plan.spuIds);
    this.core = new ActorCore(
      {
        now: () => Date.now(),
        random: () => Math.random(),
        route: (from, to, msg) => this.route(from, to, msg),
        spawn: (spec) => this.placeSpawn(spec),
        stop: (id) => this.stopActor(id),
        storage: new MainStorage(opts.storage.mode === 'disk' ? opts.storage.home : undefined),
        logger: actorLoggers(this.log),
        wake: this.driver.wake,
        escalate: (id, err) => this.log.error({ actor: id, err: String(err) }, 'main-thread actor escalated'),
      },
      opts.behaviors,
    );
    this.driver.core = this.core;
  }

  async start(): Promise<void> {
    const { plan } = this.opts;
    this.core.spawnLocal({ id: plan.sc.id, behavior: plan.sc.behavior, args: plan.sc.args, spuId: 0 });
    await Promise.all(plan.spus.map((s) => this.startSpu(s.spuId)));
  }

  get workerCount(): number {
    return this.pool.live().length;
  }

  async workerStats(): Promise<WorkerStats[]> {
    return Promise.all(this.pool.live().map(async (w) => ({ ...(await w.control.call('stats')), spuId: w.spuId })));
  }

  /** The SPU whose worker runs `actor` right now; undefined for main-thread actors and unknown ids. */
  spuHosting(actor: ActorId): number | undefined {
    return this.directory.workerOf(actor)?.spuId;
  }

  /** The produce lane of the worker running `actor`; undefined if it is not running anywhere. */
  laneOf(actor: ActorId): ProduceLane | undefined {
    const slot = this.directory.workerOf(actor);
    return slot && !slot.exited ? slot.lane : undefined;
  }

  /** True while an injected network partition separates `from` and `to`. */
  blocks(from: ActorId, to: ActorId): boolean {
    return this.cuts.blocks(from, to);
  }

  /** Send from a main-thread client endpoint (or the SC) to any actor. */
  route(from: ActorId, to: ActorId, msg: Message): void {
    if (this.cuts.blocks(from, to)) return; // an injected network partition: the message is lost
    if (to === SC_ID) {
      this.core.deliver(to, msg);
      return;
    }
    if (isClientId(to)) {
      this.events.clientMessage(to, msg);
      return;
    }
    this.directory.relay({ k: 'msg', from, to, msg });
  }

  /** A new worker for `spuId`, told the SPU's storage state before anything else. */
  private launch(spuId: number): WorkerSlot {
    const slot = this.pool.launch(spuId, this.cuts, this.directory.entries());
    this.faults.prime(slot);
    return slot;
  }

  private async startSpu(spuId: number): Promise<void> {
    this.downSpus.delete(spuId);
    const slot = this.launch(spuId);
    await slot.ready;
    const s = this.opts.plan.spus.find((x) => x.spuId === spuId)!;
    this.spawnOn(slot, { id: s.id, behavior: s.behavior, args: s.args, spuId });
  }

  private spawnOn(slot: WorkerSlot, spec: SpawnSpec): void {
    slot.worker.postMessage({ k: 'spawn', spec } satisfies Envelope);
    this.register(slot, spec.id);
  }

  /** `id` runs on `slot` (or is about to): route to it there and release what was held for it. */
  private register(slot: WorkerSlot, id: ActorId): void {
    slot.actors.add(id);
    this.directory.set(id, slot.index);
    for (const env of this.directory.release(id)) slot.worker.postMessage(env);
  }

  private placeSpawn(spec: SpawnSpec): void {
    if (this.closed || this.downSpus.has(spec.spuId)) return;
    const spuWorker = this.directory.workerOf(spuActorId(spec.spuId));
    if (this.opts.placement === 'spu' || !spuWorker) {
      if (spuWorker && !spuWorker.exited) this.spawnOn(spuWorker, spec);
      return;
    }
    const slot = this.launch(spec.spuId);
    this.directory.set(spec.id, slot.index);
    slot.actors.add(spec.id);
    void slot.ready.then(() => this.spawnOn(slot, spec), () => {});
  }

  private stopActor(id: ActorId): void {
    this.directory.workerOf(id)?.worker.postMessage({ k: 'stop', id } satisfies Envelope);
  }

  private onWorkerMessage(slot: WorkerSlot, env: Envelope): void {
    switch (env.k) {
      case 'batch':
        for (const e of env.items) this.onWorkerMessage(slot, e);
        return;
      case 'msg':
        if (isMainActor(env.to)) this.route(env.from, env.to, env.msg);
        else this.directory.relay(env);
        return;
      case 'spawnReq':
        this.placeSpawn(env.spec);
        return;
      case 'spawned':
        if (!slot.exited && !this.closed) this.register(slot, env.id);
        return;
      case 'stopReq':
        this.stopActor(env.id);
        return;
      case 'stopped': {
        const owner = this.directory.workerOf(env.id);
        owner?.actors.delete(env.id);
        this.directory.set(env.id, null);
        // A replica worker with nothing left to host ends ('replica' placement).
        if (owner && owner.actors.size === 0 && this.opts.placement === 'replica' && owner.worker !== this.directory.workerOf(spuActorId(owner.spuId))?.worker) {
          owner.exited = true;
          void owner.worker.terminate();
        }
        return;
      }
      case 'faultAck':
        this.faults.onAck(env.ack);
        return;
      case 'ring':
        this.tailRings.set(env.replica, env.sab);
        return;
      case 'produceError':
        this.events.produceError(env.reqId, env.error);
        return;
      case 'escalate':
        this.log.error({ worker: slot.index, actor: env.id, err: env.error }, 'actor escalated: restarting its SPU');
        void this.killSpu(slot.spuId, true);
        return;
      default:
        return;
    }
  }

  private onWorkerExit(slot: WorkerSlot, code: number): void {
    const wasExpected = slot.exited;
    slot.exited = true;
    slot.control.workerExited();
    slot.lane.close(); // acks already in its ack ring are delivered
    this.faults.onExit(slot);
    for (const id of slot.actors) this.directory.set(id, null);
    slot.actors.clear();
    this.pool.forget(slot);
    if (this.closed || wasExpected) return;
    this.log.warn({ worker: slot.index, spu: slot.spuId, code }, 'worker exited: SPU crash');
    void this.killSpu(slot.spuId, true);
  }

  /** End every worker of an SPU; tell the SC; optionally restart it with backoff. */
  private async killSpu(spuId: number, restart: boolean): Promise<void> {
    const slots = this.pool.ofSpu(spuId);
    for (const s of slots) s.exited = true;
    await Promise.all(slots.map(async (s) => {
      await s.worker.terminate();
      this.onWorkerExit(s, 1);
    }));
    this.tailRings.forgetSpu(spuId);
    this.events.spuLost(spuId);
    const lost: SpuLost = { type: 'SpuLost', spuId };
    this.core.deliver(SC_ID, lost);
    this.downSpus.add(spuId);
    if (!restart) return;
    const decision = this.restarts.onCrash(spuActorId(spuId), Date.now());
    if (decision.action === 'escalate') {
      this.log.error({ spu: spuId }, 'SPU crashed too often; leaving it down');
      return;
    }
    await new Promise((r) => setTimeout(r, decision.delayMs));
    if (this.closed) return;
    await this.restartSpu(spuId);
  }

  async restartSpu(spuId: number): Promise<void> {
    if (this.closed || this.pool.ofSpu(spuId).length > 0) return;
    await this.startSpu(spuId);
  }

  async crashSpu(spuId: number): Promise<void> {
    await this.killSpu(spuId, false);
  }

  // Faults below resolve once in effect on every worker concerned (thread-faults.ts).
  killWorker(spuId: number): Promise<void> {
    return this.faults.killWorker(this.directory.workerOf(spuActorId(spuId)));
  }
  setDisconnected(spuId: number, disconnected: boolean): Promise<void> {
    return this.faults.disconnect(spuId, disconnected);
  }
  storageFault(spuId: number, op: 'fillStorage' | 'freeStorage'): Promise<void> {
    return this.faults.storage(spuId, op);
  }

  async shutdown(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.pool.shutdownAll();
    this.core.stopAll();
    this.driver.stop();
  }
}
