/**
 * SyncGroup, Heartbeat and LeaveGroup, as Kafka's classic coordinator answers them.
 * - Sync: unknown member 25, wrong generation 22, a protocol type/name other than the group's 23;
 *   during PreparingRebalance 27; in CompletingRebalance followers are parked until the leader's
 *   SyncGroup brings the assignment (a member the leader left out gets an empty one); in Stable
 *   the member's current assignment at once.
 * - Heartbeat: unknown member 25, wrong generation 22, PreparingRebalance 27 (the member is still
 *   kept alive), otherwise 0; every accepted heartbeat pushes the session deadline on.
 * - Leave: per member (batch in v3+); the group rebalances, or becomes Empty with its last member.
 */
import type { Context } from '../../src/runtime/actor.js';
import { GroupError, type CoordinatorModel } from './group-state.js';
import type { GroupHeartbeat, GroupLeave, GroupSync, GroupSyncReply } from './messages.js';
import { completeSync, removeMemberAndUpdate, touch } from './rebalance.js';
import { toGroupClient } from './send.js';

export function onSync(ctx: Context, model: CoordinatorModel, req: GroupSync): void {
  const answer = (errorCode: number, assignment: Uint8Array = new Uint8Array(0), g?: { protocolType: string; protocolName: string }) => {
    const reply: GroupSyncReply = {
      type: 'GroupSyncReply', reqId: req.reqId, errorCode,
      protocolType: g?.protocolType ?? null, protocolName: g?.protocolName ?? null, assignment,
    };
    toGroupClient(ctx, req.replyTo, reply);
  };
  const g = model.groups.get(req.groupId);
  const m = g?.members.get(req.memberId);
  if (!g || !m) return answer(GroupError.UNKNOWN_MEMBER_ID);
  if (req.generationId !== g.generation) return answer(GroupError.ILLEGAL_GENERATION);
  if ((req.protocolType !== null && req.protocolType !== g.protocolType) || (req.protocolName !== null && req.protocolName !== g.protocolName)) {
    return answer(GroupError.INCONSISTENT_GROUP_PROTOCOL);
  }
  switch (g.state) {
    case 'Empty':
    case 'Dead':
      return answer(GroupError.UNKNOWN_MEMBER_ID);
    case 'PreparingRebalance':
      return answer(GroupError.REBALANCE_IN_PROGRESS);
    case 'CompletingRebalance':
      if (m.awaitingSync) {
        toGroupClient(ctx, m.awaitingSync.replyTo, { type: 'GroupSyncReply', reqId: m.awaitingSync.reqId, errorCode: GroupError.REBALANCE_IN_PROGRESS, protocolType: null, protocolName: null, assignment: new Uint8Array(0) });
      }
      m.awaitingSync = { reqId: req.reqId, replyTo: req.replyTo };
      g.pendingSync.delete(m.memberId);
      touch(ctx, g, m);
      if (g.leader === m.memberId) completeSync(ctx, g, req.assignments);
      return;
    case 'Stable':
      g.pendingSync.delete(m.memberId);
      touch(ctx, g, m);
      return answer(GroupError.NONE, m.assignment, g);
  }
}

export function onHeartbeat(ctx: Context, model: CoordinatorModel, req: GroupHeartbeat): void {
  const answer = (errorCode: number) => toGroupClient(ctx, req.replyTo, { type: 'GroupHeartbeatReply', reqId: req.reqId, errorCode });
  const g = model.groups.get(req.groupId);
  const m = g?.members.get(req.memberId);
  if (!g || !m) return answer(GroupError.UNKNOWN_MEMBER_ID);
  if (req.generationId !== g.generation) return answer(GroupError.ILLEGAL_GENERATION);
  switch (g.state) {
    case 'Empty':
    case 'Dead':
      return answer(GroupError.UNKNOWN_MEMBER_ID);
    case 'PreparingRebalance':
      touch(ctx, g, m);
      return answer(GroupError.REBALANCE_IN_PROGRESS);
    case 'CompletingRebalance':
    case 'Stable':
      touch(ctx, g, m);
      return answer(GroupError.NONE);
  }
}

export function onLeave(ctx: Context, model: CoordinatorModel, req: GroupLeave): void {
  const g = model.groups.get(req.groupId);
  const results = req.members.map(({ memberId, groupInstanceId }) => {
    if (!g) return { memberId, groupInstanceId, errorCode: GroupError.UNKNOWN_MEMBER_ID };
    if (memberId !== '' && g.pending.delete(memberId)) return { memberId, groupInstanceId, errorCode: GroupError.NONE };
    const m = memberId !== '' ? g.members.get(memberId) : [...g.members.values()].find((x) => groupInstanceId !== null && x.groupInstanceId === groupInstanceId);
    if (!m) return { memberId, groupInstanceId, errorCode: GroupError.UNKNOWN_MEMBER_ID };
    removeMemberAndUpdate(ctx, model, g, m, 'left the group');
    return { memberId: m.memberId, groupInstanceId, errorCode: GroupError.NONE };
  });
  toGroupClient(ctx, req.replyTo, { type: 'GroupLeaveReply', reqId: req.reqId, errorCode: GroupError.NONE, members: results });
}
