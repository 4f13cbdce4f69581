/**
 * A fake actor Context for unit tests of behaviours (messages in, effects out — the TigerBeetle /
 * xstate style): it implements src/runtime/actor.ts's Context by recording every effect (messages
 * sent with their destination, timers scheduled and cancelled, actors spawned and stopped, log
 * lines, saved state) against a manual clock, and `ActorDriver` runs one behaviour on it:
 * `start()`, `deliver(msg)`, `advance(ms)` (fires due timers in (due time, scheduling order), the
 * clock moving to each one), `take()` (the sent messages since the last take).
 *
 * No host, no threads, no real timers: a test reads like a trace.
 */
import type {
  Actor, ActorId, ActorLogger, Context, Message, SpawnSpec, StorageProvider, TimerId,
} from '../../src/runtime/actor.js';
import { PartitionLog, StorageBudget, type LogConfig } from '../../src/storage/index.js';
import type { AnyMessage } from '../../actors/messages.js';

export interface Sent { to: ActorId; msg: Message; at: number }
export interface Timer { id: TimerId; due: number; seq: number; msg: Message }
export interface LogLine { level: 'debug' | 'info' | 'warn' | 'error'; fields: Record<string, unknown>; msg: string }

/** In-memory StorageProvider: memory logs, one budget per SPU, saved state kept as JSON. */
export class FakeStorage implements StorageProvider {
  readonly budgets = new Map<number, StorageBudget>();
  readonly logs = new Map<string, PartitionLog>();
  readonly removed: { spuId: number; topic: string; partition: number }[] = [];
  readonly states = new Map<string, string>();

  constructor(private readonly now: () => number) {}

  openLog(spuId: number, topic: string, partition: number, config: Partial<LogConfig>): PartitionLog {
    const k = `${spuId}/${topic}/${partition}`;
    let log = this.logs.get(k);
    if (!log) {
      log = PartitionLog.openMemory(config, { now: this.now, budget: this.budget(spuId) });
      this.logs.set(k, log);
    }
    return log;
  }

  removeLog(spuId: number, topic: string, partition: number): void {
    this.logs.delete(`${spuId}/${topic}/${partition}`);
    this.removed.push({ spuId, topic, partition });
  }

  budget(spuId: number): StorageBudget {
    let b = this.budgets.get(spuId);
    if (!b) {
      b = new StorageBudget();
      this.budgets.set(spuId, b);
    }
    return b;
  }

  loadState(name: string): unknown {
    const s = this.states.get(name);
    return s === undefined ? undefined : JSON.parse(s);
  }

  saveState(name: string, value: unknown): void {
    this.states.set(name, JSON.stringify(value));
  }
}

export class FakeContext implements Context {
  readonly sent: Sent[] = [];
  readonly timers = new Map<TimerId, Timer>();
  readonly cancelled: TimerId[] = [];
  readonly spawned: SpawnSpec[] = [];
  readonly stopped: ActorId[] = [];
  readonly lines: LogLine[] = [];
  readonly storage: FakeStorage;
  readonly log: ActorLogger;
  clock = 0;
  private nextTimer = 1;
  private timerSeq = 0;
  private rng: number;

  constructor(readonly self: ActorId, opts: { storage?: FakeStorage; seed?: number; now?: number } = {}) {
    this.clock = opts.now ?? 0;
    this.storage = opts.storage ?? new FakeStorage(() => this.clock);
    this.rng = opts.seed ?? 1;
    const line = (level: LogLine['level']) => (fields: Record<string, unknown>, msg: string) => void this.lines.push({ level, fields, msg });
    this.log = { debug: line('debug'), info: line('info'), warn: line('warn'), error: line('error') };
  }

  send(to: ActorId, msg: Message): void {
    this.sent.push({ to, msg, at: this.clock });
  }

  schedule(afterMs: number, msg: Message): TimerId {
    const id = this.nextTimer++;
    this.timers.set(id, { id, due: this.clock + Math.max(0, afterMs), seq: this.timerSeq++, msg });
    return id;
  }

  cancel(id: TimerId): void {
    if (this.timers.delete(id)) this.cancelled.push(id);
  }

  now(): number {
    return this.clock;
  }

  /** A small deterministic LCG (the actors under test must not care which numbers they get). */
  random(): number {
    this.rng = (Math.imul(this.rng, 1664525) + 1013904223) >>> 0;
    return this.rng / 2 ** 32;
  }

  spawn(spec: SpawnSpec): void {
    this.spawned.push(spec);
  }

  stop(id: ActorId): void {
    this.stopped.push(id);
  }

  /** The earliest pending timer due at or before `until`, removed from the pending set. */
  popDue(until: number): Timer | undefined {
    let first: Timer | undefined;
    for (const t of this.timers.values()) {
      if (t.due <= until && (!first || t.due < first.due || (t.due === first.due && t.seq < first.seq))) first = t;
    }
    if (first) this.timers.delete(first.id);
    return first;
  }

  /** Pending timers' messages (e.g. to check a Tick is scheduled), in firing order. */
  pending(): Timer[] {
    return [...this.timers.values()].sort((a, b) => a.due - b.due || a.seq - b.seq);
  }
}

/** Runs one behaviour on a FakeContext. */
export class ActorDriver {
  readonly ctx: FakeContext;
  private taken = 0;

  constructor(readonly actor: Actor, self: ActorId, opts: ConstructorParameters<typeof FakeContext>[1] = {}) {
    this.ctx = new FakeContext(self, opts);
  }

  start(): this {
    this.actor.onStart?.(this.ctx);
    return this;
  }

  /** Deliver a protocol message (checked against actors/messages.ts). */
  deliver(msg: AnyMessage): this {
    this.actor.receive(msg, this.ctx);
    return this;
  }

  /** Deliver anything with a `type` (e.g. a message the actor does not know). */
  deliverRaw(msg: Message): this {
    this.actor.receive(msg, this.ctx);
    return this;
  }

  stopActor(): this {
    this.actor.onStop?.(this.ctx);
    return this;
  }

  /** Move the clock by `ms`, firing every timer that falls due on the way, in order. */
  advance(ms: number): this {
    const until = this.ctx.clock + ms;
    for (let t = this.ctx.popDue(until); t; t = this.ctx.popDue(until)) {
      this.ctx.clock = Math.max(this.ctx.clock, t.due);
      this.actor.receive(t.msg, this.ctx);
    }
    this.ctx.clock = until;
    return this;
  }

  /** Messages sent since the last take (optionally only those to `to`). */
  take(to?: ActorId): Sent[] {
    const fresh = this.ctx.sent.slice(this.taken);
    this.taken = this.ctx.sent.length;
    return to === undefined ? fresh : fresh.filter((s) => s.to === to);
  }

  /** Messages of one `type` among `sent`, typed by the caller's union member. */
  static ofType<M extends Message>(sent: readonly Sent[], type: M['type']): { to: ActorId; msg: M }[] {
    return sent.filter((s): s is { to: ActorId; msg: M; at: number } => s.msg.type === type);
  }

  warnings(): string[] {
    return this.ctx.lines.filter((l) => l.level === 'warn').map((l) => l.msg);
  }
}
