/**
 * Group coordinator behaviour (DESIGN §6a): Kafka's classic consumer-group protocol, pure and
 * deterministic like every actor — timers through ctx.schedule, member ids from ctx.random, state
 * through ctx.storage. It routes each message to the file that handles it:
 *   join.ts        JoinGroup (member-id round trip, parked joins, rejoin without rebalance)
 *   members.ts     SyncGroup, Heartbeat, LeaveGroup
 *   rebalance.ts   generations: join/sync phases, initial delay, deadlines, member removal
 *   offsets.ts     OffsetCommit, OffsetFetch, persistence of committed offsets
 *   listing.ts     ListGroups, DescribeGroups
 * Args: a partial GroupConfig (group-state.ts documents the defaults). It runs co-hosted in the SC's
 * actor (hosted.ts), or alone under the behaviour name 'groups' (tests).
 */
import type { Actor, Context, Message } from '../../src/runtime/actor.js';
import { messageGuard, unexpected } from '../send.js';
import { GROUP_DEFAULTS, type CoordinatorModel, type GroupConfig } from './group-state.js';
import { onJoin } from './join.js';
import { onList, onDescribe } from './listing.js';
import { onHeartbeat, onLeave, onSync } from './members.js';
import type { GroupsMessage } from './messages.js';
import { flushCommits, onCommit, onOffsetFetch, restore } from './offsets.js';
import { onJoinTimeout, onSessionTimeout, onSyncTimeout } from './rebalance.js';

export const isGroupsMessage = messageGuard<GroupsMessage>({
  GroupJoin: true, GroupSync: true, GroupHeartbeat: true, GroupLeave: true, OffsetCommit: true, OffsetFetch: true,
  GroupList: true, GroupDescribe: true, GroupJoinTimeout: true, GroupSyncTimeout: true, GroupSessionTimeout: true, GroupFlush: true,
});

function receive(ctx: Context, model: CoordinatorModel, msg: GroupsMessage): void {
  switch (msg.type) {
    case 'GroupJoin':
      return onJoin(ctx, model, msg);
    case 'GroupSync':
      return onSync(ctx, model, msg);
    case 'GroupHeartbeat':
      return onHeartbeat(ctx, model, msg);
    case 'GroupLeave':
      return onLeave(ctx, model, msg);
    case 'OffsetCommit':
      return onCommit(ctx, model, msg);
    case 'OffsetFetch':
      return onOffsetFetch(ctx, model, msg);
    case 'GroupList':
      return onList(ctx, model, msg);
    case 'GroupDescribe':
      return onDescribe(ctx, model, msg);
    case 'GroupJoinTimeout':
      return onJoinTimeout(ctx, model, msg.groupId, msg.token);
    case 'GroupSyncTimeout':
      return onSyncTimeout(ctx, model, msg.groupId, msg.token);
    case 'GroupSessionTimeout':
      return onSessionTimeout(ctx, model, msg.groupId, msg.memberId);
    case 'GroupFlush':
      return flushCommits(ctx, model);
  }
}

/** The coordinator's config from plain-data args (unknown or invalid fields keep their defaults). */
export function groupConfigOf(args: unknown): GroupConfig {
  const given = (typeof args === 'object' && args !== null ? args : {}) as Record<string, unknown>;
  const config: GroupConfig = { ...GROUP_DEFAULTS };
  for (const key of Object.keys(GROUP_DEFAULTS) as (keyof GroupConfig)[]) {
    const v = given[key];
    if (typeof v === 'number' && Number.isFinite(v) && v >= 0) config[key] = v;
  }
  return config;
}

export function createGroupCoordinator(args: unknown): Actor {
  const model: CoordinatorModel = { config: groupConfigOf(args), groups: new Map(), unsaved: [] };
  return {
    onStart(ctx: Context) {
      restore(ctx, model);
    },
    receive(msg: Message, ctx: Context) {
      if (isGroupsMessage(msg)) receive(ctx, model, msg);
      else unexpected(ctx, 'group coordinator', msg);
    },
    onStop(ctx: Context) {
      flushCommits(ctx, model);
    },
  };
}
