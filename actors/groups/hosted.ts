/**
 * Co-hosting: the group coordinator runs inside the SC's actor, so it is wherever the SC is (the
 * thread host's main thread, the simulator's core) under the SC's id — no host, placement or
 * routing change. `withGroupCoordinator(createSc)` is a behaviour that starts both and hands each
 * message to the one that receives its type; each keeps its own state and its own guard, and a
 * timer either schedules comes back to it alone (the types are disjoint).
 *
 * The coordinator's config comes from the SC's args under `groups` (a partial GroupConfig).
 */
import type { Actor, ActorFactory, Context, Message } from '../../src/runtime/actor.js';
import { createGroupCoordinator, isGroupsMessage } from './coordinator.js';

export function withGroupCoordinator(inner: ActorFactory): ActorFactory {
  return (args, id) => {
    const sc = inner(args, id);
    const groups = createGroupCoordinator(typeof args === 'object' && args !== null ? (args as { groups?: unknown }).groups : undefined);
    return {
      onStart(ctx: Context) {
        sc.onStart?.(ctx);
        groups.onStart?.(ctx);
      },
      receive(msg: Message, ctx: Context) {
        if (isGroupsMessage(msg)) groups.receive(msg, ctx);
        else sc.receive(msg, ctx);
      },
      onStop(ctx: Context) {
        groups.onStop?.(ctx);
        sc.onStop?.(ctx);
      },
    } satisfies Actor;
  };
}
