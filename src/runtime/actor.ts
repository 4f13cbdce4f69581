/**
 * The actor contract shared by both hosts (thread host and sim host).
 *
 * An actor is a behaviour: `receive(msg, ctx)` runs synchronously to completion; every effect goes
 * through `ctx`. Actors are addressed by id, never by thread: where an actor runs is the host's
 * business. This file knows no host.
 *
 * Invariants:
 * - Messages are plain data (structured-clone safe); a Uint8Array field may be a view into shared
 *   memory that is valid only during `receive` (copy it to keep it).
 * - `ctx.now()` and `ctx.random()` are the only clock and entropy an actor sees.
 * - An actor that throws is restarted by its supervisor (fresh state from its factory + args).
 */
import type { LogConfig, PartitionLog, StorageBudget } from '../storage/index.js';

export type { ActorId } from './actor-ids.js';
import type { ActorId } from './actor-ids.js';
export type TimerId = number;

/** Every message carries a string discriminator `type`. */
export interface Message {
  readonly type: string;
}

export interface ActorLogger {
  debug(fields: Record<string, unknown>, msg: string): void;
  info(fields: Record<string, unknown>, msg: string): void;
  warn(fields: Record<string, unknown>, msg: string): void;
  error(fields: Record<string, unknown>, msg: string): void;
}

/** Storage the host lends to actors; logs are synchronous, the sim host can fault them. */
export interface StorageProvider {
  /** Open (or recover) the log of one replica, named by topic/partition on this SPU. */
  openLog(spuId: number, topic: string, partition: number, config: Partial<LogConfig>): PartitionLog;
  /** Remove a replica's log and its files. */
  removeLog(spuId: number, topic: string, partition: number): void;
  /** The storage budget (capacity) of one SPU, shared by all its logs. */
  budget(spuId: number): StorageBudget;
  /** Small persisted state (SC metadata), written atomically by the host; undefined if none. */
  loadState(name: string): unknown;
  saveState(name: string, value: unknown): void;
}

export interface SpawnSpec {
  id: ActorId;
  /** Behaviour name, looked up in the behaviour registry of the host. */
  behavior: string;
  /** Plain-data arguments given to the behaviour factory (on start and every restart). */
  args: unknown;
  /** Placement group: the SPU id that owns this actor (the 'spu' placement co-locates by it). */
  spuId: number;
}

export interface Context {
  readonly self: ActorId;
  send(to: ActorId, msg: Message): void;
  /** Deliver `msg` to self after `afterMs` of host time. */
  schedule(afterMs: number, msg: Message): TimerId;
  cancel(id: TimerId): void;
  now(): number;
  /** Uniform in [0, 1), from the host's (seeded, in the sim) generator. */
  random(): number;
  readonly log: ActorLogger;
  readonly storage: StorageProvider;
  /** Start a child actor (the host decides which thread by its placement). */
  spawn(spec: SpawnSpec): void;
  /** Stop an actor started with spawn (its onStop runs). */
  stop(id: ActorId): void;
}

export interface Actor {
  onStart?(ctx: Context): void;
  receive(msg: Message, ctx: Context): void;
  onStop?(ctx: Context): void;
}

export type ActorFactory = (args: unknown, id: ActorId) => Actor;

/** Behaviour name → factory. Hosts resolve SpawnSpec.behavior through it. */
export type BehaviorRegistry = Readonly<Record<string, ActorFactory>>;
