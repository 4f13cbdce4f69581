/**
 * ActorCore: a set of actors with bounded mailboxes, timers and supervision, run to completion and
 * drained fairly. Both hosts embed it — the thread host one per worker (and one on the main thread
 * for the SC), the sim host one for the whole simulated cluster — and inject what differs through
 * `CoreHost`: time, entropy, routing of sends, storage, logging.
 *
 * Invariants:
 * - `receive` runs synchronously; one message at a time per core.
 * - A turn gives every actor with mail at most `perActorBudget` messages (fairness).
 * - Sends always go through `host.route` (the host decides local delivery, a port, or the sim
 *   network); local delivery comes back through `deliver`.
 * - A throwing actor is restarted from its factory after the supervisor's backoff, or escalated.
 */
import type { Actor, ActorId, BehaviorRegistry, Context, Message, SpawnSpec, StorageProvider, ActorLogger } from './actor.js';
import { Mailbox } from './mailbox.js';
import { RestartTracker, type RestartPolicy } from './supervisor.js';
import { TimerQueue } from './timer-queue.js';
import { assert } from '../runtime/errors.js';

export interface CoreHost {
  now(): number;
  random(): number;
  /** Route a message from an actor of this core to any actor. */
  route(from: ActorId, to: ActorId, msg: Message): void;
  /** Start an actor somewhere (the host's placement decides; it may call core.spawnLocal). */
  spawn(spec: SpawnSpec, parent: ActorId): void;
  stop(id: ActorId): void;
  readonly storage: StorageProvider;
  logger(id: ActorId): ActorLogger;
  /** The core has new work (mail or an earlier timer): the host should run a turn soon. */
  wake(): void;
  /** An actor crashed too often; it has been stopped. */
  escalate(id: ActorId, err: unknown): void;
  /** An actor crashed and will be restarted (for logs/metrics). */
  crashed?(id: ActorId, err: unknown): void;
}

type TimerPayload = { kind: 'msg'; to: ActorId; msg: Message } | { kind: 'restart'; id: ActorId };

interface Cell {
  spec: SpawnSpec;
  actor: Actor | null; // null while waiting for a restart
  mailbox: Mailbox<Message>;
  ctx: Context;
  timers: Set<number>;
}

export const CORE_DEFAULTS = { perActorBudget: 64, mailboxCapacity: 65_536 } as const;

export class ActorCore {
  private readonly cells = new Map<ActorId, Cell>();
  private readonly ready: ActorId[] = [];
  private readonly readySet = new Set<ActorId>();
  private readonly timers = new TimerQueue<TimerPayload>();
  private readonly restarts: RestartTracker;
  /** Messages dropped because a mailbox was full (observable for tests and metrics). */
  dropped = 0;

  constructor(
    private readonly host: CoreHost,
    private readonly behaviors: BehaviorRegistry,
    opts: { restartPolicy?: RestartPolicy; mailboxCapacity?: number; perActorBudget?: number } = {},
  ) {
    this.restarts = new RestartTracker(opts.restartPolicy);
    this.mailboxCapacity = opts.mailboxCapacity ?? CORE_DEFAULTS.mailboxCapacity;
    this.perActorBudget = opts.perActorBudget ?? CORE_DEFAULTS.perActorBudget;
  }
  private readonly mailboxCapacity: number;
  private readonly perActorBudget: number;

  has(id: ActorId): boolean {
    return this.cells.has(id);
  }

  ids(): ActorId[] {
    return [...this.cells.keys()];
  }

  get actorCount(): number {
    return this.cells.size;
  }

  spawnLocal(spec: SpawnSpec): void {
    assert(!this.cells.has(spec.id), `actor ${spec.id} already exists`);
    const factory = this.behaviors[spec.behavior];
    assert(factory !== undefined, `unknown behaviour ${spec.behavior}`);
    const cell: Cell = {
      spec,
      actor: null,
      mailbox: new Mailbox<Message>(this.mailboxCapacity),
      ctx: this.makeContext(spec.id),
      timers: new Set(),
    };
    this.cells.set(spec.id, cell);
    this.startCell(cell);
  }

  stopLocal(id: ActorId): void {
    const cell = this.remove(id);
    try {
      cell?.actor?.onStop?.(cell.ctx);
    } catch (err) {
      this.host.logger(id).error({ err: String(err) }, 'onStop threw');
    }
  }

  /** Remove an actor as a crash would: no onStop, timers gone, mailbox lost. */
  crashLocal(id: ActorId): void {
    this.remove(id);
  }

  private remove(id: ActorId): Cell | undefined {
    const cell = this.cells.get(id);
    if (!cell) return undefined;
    this.cells.delete(id);
    for (const t of cell.timers) this.timers.cancel(t);
    this.restarts.forget(id);
    return cell;
  }

  /** Ids of the actors that belong to one SPU (its placement group). */
  idsOfSpu(spuId: number): ActorId[] {
    return [...this.cells.values()].filter((c) => c.spec.spuId === spuId).map((c) => c.spec.id);
  }

  /** Stop every actor (used when a host shuts down). */
  stopAll(): void {
    for (const id of [...this.cells.keys()]) this.stopLocal(id);
  }

  /** Local delivery. Returns false when the actor is unknown here or its mailbox is full. */
  deliver(to: ActorId, msg: Message): boolean {
    const cell = this.cells.get(to);
    if (!cell) return false;
    if (!cell.mailbox.push(msg)) {
      this.dropped++;
      this.host.logger(to).warn({ type: msg.type, size: cell.mailbox.size }, 'mailbox full, message dropped');
      return false;
    }
    this.markReady(to);
    return true;
  }

  /** Run and deliver a message right now (to-completion), bypassing the mailbox; used by hosts for
   *  messages whose payload is a view valid only during this call (produce frames in a SAB ring).
   *  False when the actor is not running or crashed on it: the caller answers for it. */
  deliverNow(to: ActorId, msg: Message): boolean {
    const cell = this.cells.get(to);
    if (!cell || !cell.actor) return false;
    return this.invoke(cell, msg);
  }

  /** Move due timers into mailboxes. Returns how many fired. */
  fireTimers(): number {
    const now = this.host.now();
    let fired = 0;
    for (let e = this.timers.popDue(now); e; e = this.timers.popDue(now)) {
      fired++;
      const p = e.payload;
      if (p.kind === 'restart') {
        const cell = this.cells.get(p.id);
        if (cell && !cell.actor) this.startCell(cell);
      } else {
        const cell = this.cells.get(p.to);
        if (cell) {
          cell.timers.delete(e.id);
          this.deliver(p.to, p.msg);
        }
      }
    }
    return fired;
  }

  nextTimerDue(): number | undefined {
    return this.timers.peek()?.dueMs;
  }

  get hasMail(): boolean {
    return this.ready.length > 0;
  }

  /** One fair turn over actors with mail. Returns messages processed. */
  runTurn(): number {
    let processed = 0;
    const n = this.ready.length;
    for (let i = 0; i < n; i++) {
      const id = this.ready.shift()!;
      this.readySet.delete(id);
      const cell = this.cells.get(id);
      if (!cell || !cell.actor) continue; // stopped, or waiting for restart (mail stays)
      for (let k = 0; k < this.perActorBudget && cell.actor; k++) {
        const msg = cell.mailbox.shift();
        if (msg === undefined) break;
        processed++;
        this.invoke(cell, msg);
        if (!this.cells.has(id)) break;
      }
      if (cell.actor && cell.mailbox.size > 0 && this.cells.has(id)) this.markReady(id);
    }
    return processed;
  }

  private markReady(id: ActorId): void {
    if (this.readySet.has(id)) return;
    this.readySet.add(id);
    this.ready.push(id);
    this.host.wake();
  }

  /** Run one message; false when the actor crashed on it (it is then restarted or escalated). */
  private invoke(cell: Cell, msg: Message): boolean {
    try {
      cell.actor!.receive(msg, cell.ctx);
      return true;
    } catch (err) {
      this.crash(cell, err);
      return false;
    }
  }

  private startCell(cell: Cell): void {
    try {
      cell.actor = this.behaviors[cell.spec.behavior]!(cell.spec.args, cell.spec.id);
      cell.actor.onStart?.(cell.ctx);
      if (cell.mailbox.size > 0) this.markReady(cell.spec.id);
    } catch (err) {
      this.crash(cell, err);
    }
  }

  private crash(cell: Cell, err: unknown): void {
    const id = cell.spec.id;
    cell.actor = null;
    for (const t of cell.timers) this.timers.cancel(t);
    cell.timers.clear();
    const decision = this.restarts.onCrash(id, this.host.now());
    const log = this.host.logger(id);
    if (decision.action === 'escalate') {
      log.error({ err: String(err), crashes: decision.crashes }, 'actor crashed too often; escalating');
      this.cells.delete(id);
      this.host.escalate(id, err);
      return;
    }
    log.warn({ err: String(err), restartInMs: decision.delayMs }, 'actor crashed; restarting');
    this.host.crashed?.(id, err);
    this.timers.add(this.host.now() + decision.delayMs, { kind: 'restart', id });
    this.host.wake();
  }

  private makeContext(self: ActorId): Context {
    const host = this.host;
    const core = this;
    return {
      self,
      send: (to, msg) => host.route(self, to, msg),
      schedule: (afterMs, msg) => {
        assert(afterMs >= 0 && Number.isFinite(afterMs), `schedule afterMs ${afterMs}`);
        const id = core.timers.add(host.now() + afterMs, { kind: 'msg', to: self, msg });
        core.cells.get(self)?.timers.add(id);
        host.wake();
        return id;
      },
      cancel: (id) => {
        core.timers.cancel(id);
        core.cells.get(self)?.timers.delete(id);
      },
      now: () => host.now(),
      random: () => host.random(),
      log: host.logger(self),
      storage: host.storage,
      spawn: (spec) => host.spawn(spec, self),
      stop: (id) => host.stop(id),
    };
  }
}
