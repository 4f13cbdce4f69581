/**
 * Faults that belong to a node (the SC is node 0, SPU n is node n) rather than to the network,
 * applied by wrapping every behaviour the sim host starts (`interpose`), so the actors run
 * unchanged and cannot tell:
 *
 * - Clock skew: a node's `ctx.now()` reads `T0 + offset + (t − T0)·(1 + drift)` from the moment
 *   skew is set (T0; a forward step of `offset`, then a steady drift), and its timers run at its
 *   own rate (`schedule(ms)` fires after ms / (1 + drift) of true time). Offsets are ≥ 0 and
 *   drift > −1, so every node's clock is monotonic (no backward steps).
 * - Pauses (a stop-the-world GC, SIGSTOP): while a node is paused its actors process nothing —
 *   messages and timers that reach them are held, in arrival order — and on resume they all arrive
 *   at once (a burst), in that order. A paused node sends nothing. A crash ends the pause and drops
 *   what was held (the process and its mailboxes are gone).
 * - Observers and planted bugs (tests only): `watcher` sees every log an actor opens and is called
 *   after each message an actor that opened one handles (power-loss.ts journals writes with it);
 *   `observer` sees every message actors receive and send (src/testing's ledger);
 *   `plant` may rewrite or swallow a message before an actor sees it or as it sends one, rewrite a
 *   behaviour's args, or wrap its storage — how src/testing/plants.ts plants known bugs to prove
 *   the checkers bite.
 *
 * With nothing set, every wrapper passes straight through (same trace as no wrapper at all).
 */
import type { Actor, ActorFactory, ActorId, BehaviorRegistry, Context, Message, StorageProvider } from '../runtime/actor.js';
import { nodeOf } from '../runtime/actor-ids.js';
import type { PartitionLog } from '../storage/index.js';

/** A node's clock relative to true (virtual) time. */
export interface NodeClock {
  offsetMs: number;
  /** Rate error: 0.01 = runs 1 % fast. Must be > −1. */
  drift: number;
}

/** A planted bug: rewrite (or swallow, with null) what an actor receives; rewrite start args. */
export interface Plant {
  message?(to: ActorId, msg: Message, now: number): Message | null;
  /** Rewrite (or swallow) what an actor sends. */
  outbound?(from: ActorId, to: ActorId, msg: Message): Message | null;
  args?(behavior: string, id: ActorId, args: unknown): unknown;
  /** Wrap the storage an actor sees (e.g. a budget that lies). */
  storage?(id: ActorId, storage: StorageProvider): StorageProvider;
}

/** Sees what actors receive (as sent: before a plant rewrites it) and send, with the true time. */
export interface MessageObserver {
  received?(to: ActorId, msg: Message, now: number): void;
  sent?(from: ActorId, to: ActorId, msg: Message, now: number): void;
}

/** Sees every log an actor opens, and is told after each message that actor handled. */
export interface LogWatcher {
  opened(id: ActorId, spuId: number, topic: string, partition: number, log: PartitionLog): void;
  touched(id: ActorId): void;
}

interface Held {
  ctx: Context;
  msgs: Message[];
}

export class NodeFaults {
  private readonly clocks = new Map<number, NodeClock & { sinceMs: number }>();
  private readonly paused = new Map<number, Map<ActorId, Held>>();
  plant: Plant | undefined;
  watcher: LogWatcher | undefined;
  observer: MessageObserver | undefined;
  /** Messages held by pauses so far (all nodes). */
  held = 0;
  private now: () => number = () => 0;

  /** The sim host gives its virtual clock (true time) when it takes these faults on. */
  bindClock(now: () => number): void {
    this.now = now;
  }

  /** True (virtual) time, as the host's clock reads it. */
  trueNow(): number {
    return this.now();
  }

  /** Skew `node`'s clock from now on (replaces an earlier skew). */
  setClock(node: number, clock: NodeClock): void {
    if (!(clock.drift > -1) || !(clock.offsetMs >= 0)) throw new RangeError(`bad clock ${JSON.stringify(clock)}`);
    this.clocks.set(node, { ...clock, sinceMs: this.now() });
  }

  clockOf(node: number): NodeClock | undefined {
    return this.clocks.get(node);
  }

  /** What `node` reads as the time at true time `t`. */
  localNow(node: number, t: number): number {
    const c = this.clocks.get(node);
    if (!c) return t;
    return Math.floor(c.sinceMs + c.offsetMs + (t - c.sinceMs) * (1 + c.drift));
  }

  /** True delay of a timer `node` sets for `ms` of its own time. */
  trueDelay(node: number, ms: number): number {
    const c = this.clocks.get(node);
    return c ? Math.round(ms / (1 + c.drift)) : ms;
  }

  isPaused(node: number): boolean {
    return this.paused.has(node);
  }

  pause(node: number): void {
    if (!this.paused.has(node)) this.paused.set(node, new Map());
  }

  /** End a pause: everything held arrives now, in the order it came. */
  resume(node: number): void {
    const held = this.paused.get(node);
    if (!held) return;
    this.paused.delete(node);
    for (const h of held.values()) for (const m of h.msgs) h.ctx.schedule(0, m);
  }

  /** The node crashed: its pause ends and what was held is gone with its mailboxes. */
  crashed(node: number): void {
    this.paused.delete(node);
  }

  /** Hold a message for a paused node's actor (false: the node is not paused). */
  hold(node: number, id: ActorId, ctx: Context, msg: Message): boolean {
    const held = this.paused.get(node);
    if (!held) return false;
    let h = held.get(id);
    if (!h || h.ctx !== ctx) held.set(id, (h = { ctx, msgs: [] }));
    h.msgs.push(msg);
    this.held++;
    return true;
  }
}

/** Every behaviour of `registry`, wrapped so that `nodes` applies to the actors it starts. */
export function interpose(registry: BehaviorRegistry, nodes: NodeFaults): BehaviorRegistry {
  const out: Record<string, ActorFactory> = {};
  for (const [name, factory] of Object.entries(registry)) {
    out[name] = (args, id) => wrapActor(factory(nodes.plant?.args ? nodes.plant.args(name, id, args) : args, id), id, nodes);
  }
  return out;
}

function wrapActor(inner: Actor, id: ActorId, nodes: NodeFaults): Actor {
  const node = nodeOf(id);
  let base: Context | undefined;
  let view: Context | undefined;
  let watches = false;
  const viewOf = (ctx: Context): Context => {
    if (base !== ctx || !view) {
      base = ctx;
      view = contextView(ctx, id, node, nodes, () => (watches = true));
    }
    return view;
  };
  const after = () => {
    if (watches) nodes.watcher?.touched(id);
  };
  return {
    onStart(ctx) {
      inner.onStart?.(viewOf(ctx));
      after();
    },
    receive(msg, ctx) {
      if (nodes.hold(node, id, ctx, msg)) return;
      nodes.observer?.received?.(id, msg, nodes.trueNow()); // what was sent, before any plant
      const m = nodes.plant?.message ? nodes.plant.message(id, msg, ctx.now()) : msg;
      if (m === null) return;
      inner.receive(m, viewOf(ctx));
      after();
    },
    onStop(ctx) {
      inner.onStop?.(viewOf(ctx));
    },
  };
}

/** The context an interposed actor sees: its node's clock and timers, watched logs. */
function contextView(ctx: Context, id: ActorId, node: number, nodes: NodeFaults, watching: () => void): Context {
  const real = ctx.storage;
  let storage: StorageProvider = {
    openLog(spuId, topic, partition, config) {
      const log = real.openLog(spuId, topic, partition, config);
      if (nodes.watcher) {
        watching();
        nodes.watcher.opened(id, spuId, topic, partition, log);
      }
      return log;
    },
    removeLog: (spuId, topic, partition) => real.removeLog(spuId, topic, partition),
    budget: (spuId) => real.budget(spuId),
    loadState: (name) => real.loadState(name),
    saveState: (name, value) => real.saveState(name, value),
  };
  if (nodes.plant?.storage) storage = nodes.plant.storage(id, storage);
  return {
    self: ctx.self,
    send: (to, msg) => {
      const m = nodes.plant?.outbound ? nodes.plant.outbound(id, to, msg) : msg;
      if (m === null) return;
      nodes.observer?.sent?.(id, to, m, nodes.trueNow());
      ctx.send(to, m);
    },
    schedule: (afterMs, msg) => ctx.schedule(nodes.trueDelay(node, afterMs), msg),
    cancel: (t) => ctx.cancel(t),
    now: () => nodes.localNow(node, ctx.now()),
    random: () => ctx.random(),
    log: ctx.log,
    storage,
    spawn: (spec) => ctx.spawn(spec),
    stop: (a) => ctx.stop(a),
  };
}
