/**
 * ListGroups and DescribeGroups. A group known only by its committed offsets is listed as Empty;
 * an unknown group is described as Dead with no error, as Kafka does. Member metadata is the
 * member's bytes for the chosen protocol (empty while none is chosen); assignments are what the
 * last SyncGroup gave each member.
 */
import type { Context } from '../../src/runtime/actor.js';
import { GroupError, metadataFor, type CoordinatorModel } from './group-state.js';
import type { GroupDescribe, GroupDescription, GroupList } from './messages.js';
import { toGroupClient } from './send.js';

export function onList(ctx: Context, model: CoordinatorModel, req: GroupList): void {
  const groups = [...model.groups.values()]
    .filter((g) => g.state !== 'Dead')
    .map((g) => ({ groupId: g.id, protocolType: g.protocolType, state: g.state }))
    .sort((a, b) => a.groupId.localeCompare(b.groupId));
  toGroupClient(ctx, req.replyTo, { type: 'GroupListReply', reqId: req.reqId, errorCode: GroupError.NONE, groups });
}

export function describe(model: CoordinatorModel, groupId: string): GroupDescription {
  const g = model.groups.get(groupId);
  if (!g) return { groupId, errorCode: GroupError.NONE, state: 'Dead', protocolType: '', protocol: '', generationId: -1, leader: '', members: [] };
  const chosen = g.state === 'Stable' || g.state === 'CompletingRebalance';
  return {
    groupId,
    errorCode: GroupError.NONE,
    state: g.state,
    protocolType: g.protocolType,
    protocol: chosen ? g.protocolName : '',
    generationId: g.generation,
    leader: g.leader,
    members: [...g.members.values()].map((m) => ({
      memberId: m.memberId,
      groupInstanceId: m.groupInstanceId,
      clientId: m.clientId,
      clientHost: m.clientHost,
      metadata: chosen ? metadataFor(m, g.protocolName) : new Uint8Array(0),
      assignment: g.state === 'Stable' ? m.assignment : new Uint8Array(0),
    })),
  };
}

export function onDescribe(ctx: Context, model: CoordinatorModel, req: GroupDescribe): void {
  toGroupClient(ctx, req.replyTo, { type: 'GroupDescribeReply', reqId: req.reqId, groups: req.groupIds.map((id) => describe(model, id)) });
}
