/**
 * The thread host (main-thread side): starts workers by placement, keeps the actor directory
 * (directory.ts), connects workers with direct MessagePorts (full mesh), hosts the SC on the main
 * thread in its own ActorCore, relays what has no direct route, and supervises workers — a worker that exits
 * is an SPU crash: all of that SPU's workers end, the SC is told at once (SpuLost), and the SPU
 * is started again with backoff (until the restart intensity is exceeded).
 *
 * Placements (DESIGN §2): 'spu' — one worker per SPU hosting its replicas; 'replica' — one worker
 * for the SPU actor plus one per replica actor. Actors cannot tell them apart.
 */
import { MessageChannel } from 'node:worker_threads';
import pino from 'pino';
import type { ActorId, BehaviorRegistry, Message, SpawnSpec } from '../runtime/actor.js';
import { actorLoggers } from './logging.js';
import { ActorCore } from '../runtime/actor-core.js';
import { RestartTracker } from '../runtime/supervisor.js';
import { LinkCuts } from '../runtime/link-cuts.js';
import { SC_ID, isClientId, spuActorId } from '../runtime/actor-ids.js';
import type { ClusterPlan, HostFaults } from '../runtime/transport.js';
import { CoreDriver } from './core-driver.js';
import type { Envelope } from './envelope.js';
import { MainStorage } from './main-storage.js';
import { launchWorker, type WorkerSlot } from './worker-slot.js';
import { Directory } from './directory.js';

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


export interface ThreadHostEvents {
  clientMessage(to: ActorId, msg: Message): void;
  ring(replica: ActorId, sab: SharedArrayBuffer): void;
  produceError(reqId: number, error: unknown): void;
  workerLost(worker: number, spuId: number): void;
  spuRestarted(spuId: number): void;
}

const isMainActor = (id: ActorId) => id === SC_ID || isClientId(id);

export class ThreadHost implements HostFaults {
  private readonly workers = new Map<number, WorkerSlot>();
  private readonly directory: Directory;
  private readonly restarts = new RestartTracker({ maxRestarts: 5, periodMs: 30_000, backoffBaseMs: 50, backoffMaxMs: 2_000 });
  private readonly downSpus = new Set<number>();
  /** Injected network partitions (faults.disconnectSpu); workers get a copy. */
  readonly cuts = new LinkCuts();
  private nextWorkerIndex = 1;
  private readonly core: ActorCore;
  private readonly driver = new CoreDriver();
  private readonly log;
  private closed = false;

  constructor(private readonly opts: ThreadHostOptions, private readonly events: ThreadHostEvents) {
    this.log = pino({ level: opts.logLevel ?? 'silent' }).child({ host: 'main' });
    this.directory = new Directory(this.workers, this.cuts, this.log);
    const logger = actorLoggers(this.log);
    this.core = new ActorCore(
      {
        now: () => Date.now(),
        random: () => Math.random(),
        route: (from, to, msg) => this.route(from, to, msg),
        spawn: (spec) => this.placeSpawn(spec),
        stop: (id) => this.stopActor(id),
        storage: new MainStorage(opts.storage.mode === 'disk' ? opts.storage.home : undefined),
        logger,
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
    return [...this.workers.values()].filter((w) => !w.exited).length;
  }

  workerOf(actor: ActorId): WorkerSlot | undefined {
    return this.directory.workerOf(actor);
  }

  workerByIndex(index: number): WorkerSlot | undefined {
    return this.workers.get(index);
  }

  async workerStats(): Promise<{ worker: number; spuId: number; actors: string[] }[]> {
    const live = [...this.workers.values()].filter((w) => !w.exited);
    return Promise.all(live.map(async (w) => ({ ...(await w.control.call('stats')), spuId: w.spuId })));
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

  private spuSpec(spuId: number): SpawnSpec {
    const s = this.opts.plan.spus.find((x) => x.spuId === spuId)!;
    return { id: s.id, behavior: s.behavior, args: s.args, spuId };
  }

  private async startSpu(spuId: number): Promise<void> {
    this.downSpus.delete(spuId);
    const slot = this.startWorker(spuId);
    await slot.ready;
    this.spawnOn(slot, this.spuSpec(spuId));
  }

  private startWorker(spuId: number): WorkerSlot {
    if (this.workerCount >= this.opts.maxWorkers) {
      throw new Error(`refusing to start more than ${this.opts.maxWorkers} workers (placement '${this.opts.placement}')`);
    }
    const index = this.nextWorkerIndex++;
    const slot = launchWorker(index, spuId, this.opts);
    const worker = slot.worker;
    this.workers.set(index, slot);
    // Full mesh of direct channels with every live worker.
    for (const other of this.workers.values()) {
      if (other === slot || other.exited) continue;
      const ch = new MessageChannel();
      other.worker.postMessage({ k: 'port', peer: index, port: ch.port1 } satisfies Envelope, [ch.port1]);
      worker.postMessage({ k: 'port', peer: other.index, port: ch.port2 } satisfies Envelope, [ch.port2]);
    }
    if (this.cuts.active) worker.postMessage({ k: 'cuts', spus: this.cuts.spus } satisfies Envelope);
    // Tell the new worker where every known actor lives.
    for (const [id, w] of this.directory.entries()) worker.postMessage({ k: 'route', id, worker: w } satisfies Envelope);
    worker.on('message', (env: Envelope) => this.onWorkerMessage(slot, env));
    worker.on('error', (err) => this.log.error({ worker: index, err: String(err) }, 'worker error'));
    worker.on('exit', (code) => this.onWorkerExit(slot, code));
    return slot;
  }

  private spawnOn(slot: WorkerSlot, spec: SpawnSpec): void {
    slot.actors.add(spec.id);
    this.directory.set(spec.id, slot.index);
    slot.worker.postMessage({ k: 'spawn', spec } satisfies Envelope);
    for (const env of this.directory.release(spec.id)) slot.worker.postMessage(env);
  }

  private placeSpawn(spec: SpawnSpec): void {
    if (this.closed || this.downSpus.has(spec.spuId)) return;
    const spuWorker = this.workerOf(spuActorId(spec.spuId));
    if (this.opts.placement === 'spu' || !spuWorker) {
      if (spuWorker && !spuWorker.exited) this.spawnOn(spuWorker, spec);
      return;
    }
    const slot = this.startWorker(spec.spuId);
    this.directory.set(spec.id, slot.index);
    slot.actors.add(spec.id);
    void slot.ready.then(() => this.spawnOn(slot, spec), () => {});
  }

  private stopActor(id: ActorId): void {
    const slot = this.workerOf(id);
    if (!slot) return;
    slot.worker.postMessage({ k: 'stop', id } satisfies Envelope);
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
      case 'stopReq':
        this.stopActor(env.id);
        return;
      case 'stopped': {
        const owner = this.workerOf(env.id);
        owner?.actors.delete(env.id);
        this.directory.set(env.id, null);
        // A replica worker with nothing left to host ends ('replica' placement).
        if (owner && owner.actors.size === 0 && this.opts.placement === 'replica' && owner.worker !== this.workerOf(spuActorId(owner.spuId))?.worker) {
          owner.exited = true;
          void owner.worker.terminate();
        }
        return;
      }
      case 'ring':
        this.events.ring(env.replica, env.sab);
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
    for (const id of slot.actors) this.directory.set(id, null);
    slot.actors.clear();
    this.workers.delete(slot.index);
    if (this.closed || wasExpected) return;
    this.log.warn({ worker: slot.index, spu: slot.spuId, code }, 'worker exited: SPU crash');
    void this.killSpu(slot.spuId, true);
  }

  /** End every worker of an SPU; tell the SC; optionally restart it with backoff. */
  async killSpu(spuId: number, restart: boolean): Promise<void> {
    const slots = [...this.workers.values()].filter((w) => w.spuId === spuId && !w.exited);
    for (const s of slots) s.exited = true;
    await Promise.all(slots.map(async (s) => {
      await s.worker.terminate();
      this.onWorkerExit(s, 1);
    }));
    this.events.workerLost(-1, spuId);
    this.core.deliver(SC_ID, { type: 'SpuLost', spuId } as Message);
    if (!restart) {
      this.downSpus.add(spuId);
      return;
    }
    const decision = this.restarts.onCrash(spuActorId(spuId), Date.now());
    if (decision.action === 'escalate') {
      this.downSpus.add(spuId);
      this.log.error({ spu: spuId }, 'SPU crashed too often; leaving it down');
      return;
    }
    this.downSpus.add(spuId);
    await new Promise((r) => setTimeout(r, decision.delayMs));
    if (this.closed) return;
    await this.restartSpu(spuId);
  }

  async restartSpu(spuId: number): Promise<void> {
    if (this.closed || [...this.workers.values()].some((w) => w.spuId === spuId && !w.exited)) return;
    await this.startSpu(spuId);
    this.events.spuRestarted(spuId);
  }

  async crashSpu(spuId: number): Promise<void> {
    await this.killSpu(spuId, false);
  }

  /** Inject a real crash (an uncaught exception) into an SPU's worker. */
  killWorker(spuId: number): void {
    this.workerOf(spuActorId(spuId))?.worker.postMessage({ k: 'fault', op: 'crash', spuId } satisfies Envelope);
  }

  /** Cut an SPU off from the SC, the other SPUs and clients (or heal it). */
  setDisconnected(spuId: number, disconnected: boolean): void {
    const next = new Set(this.cuts.spus);
    if (disconnected) next.add(spuId);
    else next.delete(spuId);
    this.cuts.set(next);
    for (const w of this.workers.values()) if (!w.exited) w.worker.postMessage({ k: 'cuts', spus: this.cuts.spus } satisfies Envelope);
  }

  storageFault(spuId: number, op: 'fillStorage' | 'freeStorage'): void {
    for (const w of this.workers.values()) if (w.spuId === spuId && !w.exited) w.worker.postMessage({ k: 'fault', op, spuId } satisfies Envelope);
  }

  async shutdown(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    const live = [...this.workers.values()].filter((w) => !w.exited);
    await Promise.all(live.map((w) => new Promise<void>((resolve) => {
      const t = setTimeout(resolve, 5_000);
      w.worker.on('message', (env: Envelope) => { if (env.k === 'closed') { clearTimeout(t); resolve(); } });
      w.worker.postMessage({ k: 'shutdown' } satisfies Envelope);
    })));
    for (const w of live) w.exited = true;
    await Promise.all(live.map((w) => w.worker.terminate()));
    this.core.stopAll();
    this.driver.stop();
  }
}
