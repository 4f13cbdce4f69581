/**
 * Typed mail for actors: the only way actors put messages on the wire, and the one place a
 * delivered `Message` is narrowed to an actor's own union (actors/messages.ts).
 *
 * Sending: each helper accepts only what its recipient kind receives (`toSc` an ScMessage,
 * `toSpu` an SpuMessage, …), so an object literal with an unknown `type`, a missing field or an
 * extra one is a compile error. No casts: the runtime's `Message` is `{ type: string }` and every
 * member of these unions is one.
 *
 * Receiving: `messageGuard(table)` narrows by `type` from a table that the compiler checks against
 * the union (every member's type present, nothing else), so a new message kind cannot be
 * forgotten in a guard, and an unexpected delivery is seen (and logged) instead of misread.
 */
import type { ActorId, Context, Message, TimerId } from '../src/runtime/actor.js';
import {
  SC_ID, spuActorId, type AnyMessage, type ClientMessage, type ReplicaMessage, type ScMessage, type SpuMessage,
} from './messages.js';

export function toSc(ctx: Context, msg: ScMessage): void {
  ctx.send(SC_ID, msg);
}

export function toSpu(ctx: Context, spuId: number, msg: SpuMessage): void {
  ctx.send(spuActorId(spuId), msg);
}

/** To an SPU actor by actor id (a replica's `statusSpu`). */
export function toSpuActor(ctx: Context, id: ActorId, msg: SpuMessage): void {
  ctx.send(id, msg);
}

/** To a replica actor by id (built with replicaActorId, or a request's `replyTo`). */
export function toReplica(ctx: Context, id: ActorId, msg: ReplicaMessage): void {
  ctx.send(id, msg);
}

/** To a client outside the cluster (facade, listener, sim): replies and status events. */
export function toClient(ctx: Context, id: ActorId, msg: ClientMessage): void {
  ctx.send(id, msg);
}

/** To a request's `replyTo` whose kind the request does not fix (the SC or a client). */
export function reply(ctx: Context, to: ActorId, msg: AnyMessage): void {
  ctx.send(to, msg);
}

/** Timers: each actor schedules only messages it receives itself. */
export function scheduleSc(ctx: Context, afterMs: number, msg: ScMessage): TimerId {
  return ctx.schedule(afterMs, msg);
}

export function scheduleSpu(ctx: Context, afterMs: number, msg: SpuMessage): TimerId {
  return ctx.schedule(afterMs, msg);
}

export function scheduleReplica(ctx: Context, afterMs: number, msg: ReplicaMessage): TimerId {
  return ctx.schedule(afterMs, msg);
}

/** One entry per member of the union M, keyed by its `type`. */
export type TypeTable<M extends Message> = { readonly [K in M['type']]: true };

/** A guard that narrows a delivered message to M when its `type` is one of M's. */
export function messageGuard<M extends Message>(table: TypeTable<M>): (msg: Message) => msg is M {
  const types: ReadonlySet<string> = new Set(Object.keys(table));
  return (msg: Message): msg is M => types.has(msg.type);
}

/** Log a message an actor does not handle (the receive switch's default). */
export function unexpected(ctx: Context, who: string, msg: Message): void {
  ctx.log.warn({ type: msg.type }, `${who}: unexpected message`);
}
