/**
 * The deterministic host: one thread, a virtual clock, a seeded PRNG, and one event queue ordered
 * by (time, sequence). All actors of the simulated cluster live in one ActorCore; every message
 * between actors, and between actors and clients, travels through the simulated network (a
 * latency drawn from the seed, FIFO per link). The same `actors/` code runs here unchanged.
 *
 * Invariants:
 * - Nothing here reads the wall clock or Math.random: the trace depends only on the seed and on
 *   the order in which clients call in.
 * - Every delivered message is folded into the trace hash.
 */
import type { ActorId, ActorLogger, Message, SpawnSpec, BehaviorRegistry } from '../runtime/actor.js';
import { ActorCore, type CoreHost } from '../runtime/actor-core.js';
import { LinkCuts } from '../runtime/link-cuts.js';
import { spuActorId } from '../runtime/actor-ids.js';
import type { Simulator } from '../runtime/transport.js';
import { TimerQueue } from '../runtime/timer-queue.js';
import { Prng, type SeededRandom } from './prng.js';
import { NodeFaults, interpose } from './node-faults.js';
import { SimStorage } from './sim-storage.js';
import { TraceHash } from './trace-hash.js';

/** What the network does to one message (faults drawn from the seed by a fault model). */
export interface LinkFate {
  drop?: boolean;
  extraDelayMs?: number;
  duplicate?: boolean;
  /** Deliver out of per-link FIFO order (reordering). */
  reorder?: boolean;
}

/** Fault model hook: called once per sent message, in event order, with the sim's PRNG. */
export type NetworkFaultModel = (from: ActorId, to: ActorId, msg: Message, prng: SeededRandom, nowMs: number) => LinkFate;

export interface SimOptions {
  /** Network faults (loss, delay, duplication, reordering, partitions); none by default. */
  network?: NetworkFaultModel;
  seed: number;
  behaviors: BehaviorRegistry;
  /** Network latency range per message, ms (drawn from the seed). */
  latencyMs?: [number, number];
  storageBytes?: number;
  /** Collect log lines (deterministic: virtual time only). */
  logLines?: string[];
}

type SimEvent = { from: ActorId; to: ActorId; msg: Message };
/** How long a supervised SPU stays down after killWorker (virtual ms). */
const SIM_RESTART_BACKOFF_MS = 50;

const quietLogger = (id: string, lines?: string[], now?: () => number): ActorLogger => {
  const put = (level: string) => (fields: Record<string, unknown>, msg: string) => {
    lines?.push(`${now?.() ?? 0} ${level} ${id} ${msg} ${JSON.stringify(fields)}`);
  };
  return { debug: () => {}, info: put('info'), warn: put('warn'), error: put('error') };
};

export class SimHost implements Simulator {
  readonly prng: Prng;
  readonly trace = new TraceHash();
  readonly storage: SimStorage;
  /** Clock skew, pauses and observers per node (node-faults.ts); a network model may carry them in. */
  readonly nodes: NodeFaults;
  private clock = 0;
  private readonly events = new TimerQueue<SimEvent>();
  /** Host-level actions at a virtual time (fault schedules: restart an SPU, heal a link…). */
  private readonly actions = new TimerQueue<() => void>();
  private readonly spawned = new Map<ActorId, SpawnSpec>();
  private readonly down = new Set<number>();
  private readonly cuts = new LinkCuts();
  private readonly linkClock = new Map<string, number>();
  private readonly clients = new Map<ActorId, (msg: Message) => void>();
  private readonly core: ActorCore;
  private readonly latency: [number, number];
  /** Messages to actors that do not exist (dead letters). */
  deadLetters = 0;

  constructor(private readonly opts: SimOptions) {
    this.prng = new Prng(opts.seed);
    this.latency = opts.latencyMs ?? [1, 3];
    this.storage = new SimStorage(() => this.clock, opts.storageBytes);
    const host: CoreHost = {
      now: () => this.clock,
      random: () => this.prng.next(),
      route: (from, to, msg) => this.route(from, to, msg),
      spawn: (spec: SpawnSpec) => {
        if (this.down.has(spec.spuId)) return; // a crashed SPU starts nothing
        this.spawned.set(spec.id, spec);
        this.core.spawnLocal(spec);
      },
      stop: (id) => this.core.stopLocal(id),
      storage: this.storage,
      logger: (id) => quietLogger(id, opts.logLines, () => this.clock),
      wake: () => {},
      escalate: (id, err) => opts.logLines?.push(`${this.clock} escalate ${id} ${String(err)}`),
    };
    this.nodes = (opts.network as { nodeFaults?: NodeFaults } | undefined)?.nodeFaults ?? new NodeFaults();
    this.nodes.bindClock(() => this.clock);
    this.core = new ActorCore(host, interpose(opts.behaviors, this.nodes));
  }

  now(): number {
    return this.clock;
  }

  spawn(spec: SpawnSpec): void {
    this.spawned.set(spec.id, spec);
    this.core.spawnLocal(spec);
  }

  /** Run `fn` at virtual time `atMs` (in event order with everything else). */
  at(atMs: number, fn: () => void): void {
    this.actions.add(Math.max(atMs, this.clock), fn);
  }

  /**
   * Crash an SPU as `kill -9` would: its actors vanish without onStop, messages to them become
   * dead letters. Its logs are its disk: they stay as written (acknowledged appends survive).
   */
  async crashSpu(spuId: number): Promise<void> {
    this.crashNow(spuId);
  }

  async restartSpu(spuId: number): Promise<void> {
    this.restartNow(spuId);
  }

  /** A crash the supervisor recovers from: the SPU is back after a short backoff. */
  killWorker(spuId: number): void {
    this.crashNow(spuId);
    this.at(this.clock + SIM_RESTART_BACKOFF_MS, () => this.restartNow(spuId));
  }

  setDisconnected(spuId: number, disconnected: boolean): void {
    const next = new Set(this.cuts.spus);
    if (disconnected) next.add(spuId);
    else next.delete(spuId);
    this.cuts.set(next);
    this.trace.addString(`${this.clock}|cut ${this.cuts.spus.join(',')}|`);
  }

  storageFault(spuId: number, op: 'fillStorage' | 'freeStorage'): void {
    if (op === 'fillStorage') this.storage.budget(spuId).fill();
    else this.storage.budget(spuId).unfill();
  }

  crashNow(spuId: number): void {
    for (const id of this.core.idsOfSpu(spuId)) this.core.crashLocal(id);
    this.nodes.crashed(spuId);
    this.down.add(spuId);
    this.trace.addString(`${this.clock}|crash spu ${spuId}|`);
  }

  /** Start a crashed SPU again from its original spec; it re-registers and gets its replicas back. */
  restartNow(spuId: number): void {
    if (!this.down.delete(spuId)) return;
    this.trace.addString(`${this.clock}|restart spu ${spuId}|`);
    const spec = this.spawned.get(spuActorId(spuId));
    if (spec && !this.core.has(spec.id)) this.core.spawnLocal(spec);
  }

  isDown(spuId: number): boolean {
    return this.down.has(spuId);
  }

  has(id: ActorId): boolean {
    return this.core.has(id);
  }

  /** Register an outside endpoint (a client) that receives messages addressed to `id`. */
  registerClient(id: ActorId, handler: (msg: Message) => void): void {
    this.clients.set(id, handler);
  }

  /** Send from outside (a client) into the simulated network. */
  inject(from: ActorId, to: ActorId, msg: Message): void {
    this.route(from, to, msg);
  }

  private route(from: ActorId, to: ActorId, msg: Message): void {
    if (this.cuts.blocks(from, to)) {
      this.dropped++;
      return;
    }
    const fate = this.opts.network?.(from, to, msg, this.prng, this.clock) ?? {};
    if (fate.drop) {
      this.dropped++;
      return;
    }
    const [lo, hi] = this.latency;
    const link = `${from}>${to}`;
    const sent = this.clock + this.prng.int(lo, hi) + (fate.extraDelayMs ?? 0);
    const at = fate.reorder ? sent : Math.max(sent, this.linkClock.get(link) ?? 0);
    if (!fate.reorder) this.linkClock.set(link, at);
    this.events.add(at, { from, to, msg });
    if (fate.duplicate) this.events.add(at + this.prng.int(lo, hi), { from, to, msg });
  }

  /** Messages the fault model dropped. */
  dropped = 0;

  /** Time of the next thing that will happen, or undefined when the world is idle. */
  private nextDue(): number | undefined {
    const due = [this.events.peek()?.dueMs, this.core.nextTimerDue(), this.actions.peek()?.dueMs].filter((d): d is number => d !== undefined);
    return due.length === 0 ? undefined : Math.min(...due);
  }

  /** Process one instant of virtual time. Returns false when nothing is left to do. */
  step(): boolean {
    const due = this.nextDue();
    if (due === undefined) return false;
    this.clock = Math.max(this.clock, due);
    for (let a = this.actions.popDue(this.clock); a; a = this.actions.popDue(this.clock)) a.payload();
    for (let e = this.events.popDue(this.clock); e; e = this.events.popDue(this.clock)) {
      const { from, to, msg } = e.payload;
      this.trace.event(this.clock, from, to, msg);
      const client = this.clients.get(to);
      if (client) client(msg);
      else if (!this.core.deliver(to, msg)) this.deadLetters++;
    }
    this.core.fireTimers();
    while (this.core.hasMail) this.core.runTurn();
    return true;
  }

  /** Run until `done()` holds or `maxMs` of virtual time pass. Returns whether done() held. */
  runUntil(done: () => boolean, maxMs: number): boolean {
    const end = this.clock + maxMs;
    while (!done()) {
      const due = this.nextDue();
      if (due === undefined || due > end) {
        this.clock = Math.max(this.clock, Math.min(end, due ?? end));
        return done();
      }
      this.step();
    }
    return true;
  }

  runFor(ms: number): void {
    this.runUntil(() => false, ms);
  }

  stopAll(): void {
    this.core.stopAll();
  }
}
