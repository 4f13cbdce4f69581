/**
 * Typed mail for the group coordinator (the actors/send.ts pattern): replies go only to clients
 * and only as GroupsClientMessage members; timers carry only the coordinator's own GroupTimer
 * messages, so a misspelt field is a compile error, not a lost message.
 */
import type { ActorId, Context, TimerId } from '../../src/runtime/actor.js';
import type { GroupsClientMessage, GroupTimer } from './messages.js';

export function toGroupClient(ctx: Context, to: ActorId, msg: GroupsClientMessage): void {
  ctx.send(to, msg);
}

export function scheduleGroups(ctx: Context, afterMs: number, msg: GroupTimer): TimerId {
  return ctx.schedule(afterMs, msg);
}
