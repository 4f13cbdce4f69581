/**
 * JoinGroup, as Kafka's classic coordinator answers it:
 * - a new dynamic member (empty id) on JoinGroup v4+ gets MEMBER_ID_REQUIRED (79) with a minted
 *   id and must join again with it (the id is pending meanwhile, for one session timeout);
 * - a join is parked until the join phase completes (every known member rejoined, or the
 *   rebalance timeout passed, or the initial delay of an empty group ran out);
 * - a follower rejoining a Stable (or CompletingRebalance) group with unchanged metadata gets the
 *   current generation at once; the leader, or changed metadata, starts a rebalance;
 * - session timeouts outside [min, max] are INVALID_SESSION_TIMEOUT (26); a protocol type or set
 *   the group's members do not share is INCONSISTENT_GROUP_PROTOCOL (23); an unknown id is
 *   UNKNOWN_MEMBER_ID (25).
 * Static members (groupInstanceId) skip the id round trip; one rejoining with an empty id
 * replaces its previous incarnation.
 */
import type { Context } from '../../src/runtime/actor.js';
import {
  GroupError, compatibleWith, mintMemberId, newGroup, sameProtocols, type CoordinatorModel, type Group, type Member,
} from './group-state.js';
import type { GroupJoin } from './messages.js';
import { joinError, joinResult, maybePrepareRebalance, removeMember } from './rebalance.js';
import { scheduleGroups, toGroupClient } from './send.js';

export function onJoin(ctx: Context, model: CoordinatorModel, req: GroupJoin): void {
  const fail = (errorCode: number, memberId = req.memberId) => toGroupClient(ctx, req.replyTo, joinError(req.reqId, errorCode, memberId));
  const { config } = model;
  if (req.groupId.length === 0) return fail(GroupError.INVALID_GROUP_ID);
  if (!(req.sessionTimeoutMs >= config.minSessionTimeoutMs && req.sessionTimeoutMs <= config.maxSessionTimeoutMs)) {
    return fail(GroupError.INVALID_SESSION_TIMEOUT);
  }
  let g = model.groups.get(req.groupId);
  if (!g) {
    if (req.memberId !== '') return fail(GroupError.UNKNOWN_MEMBER_ID);
    if (model.groups.size >= config.maxGroups) return fail(GroupError.COORDINATOR_NOT_AVAILABLE);
    g = newGroup(req.groupId);
    model.groups.set(g.id, g);
  }
  if (g.state === 'Dead') return fail(GroupError.COORDINATOR_NOT_AVAILABLE);
  if (!compatibleWith(g, req.protocolType, req.protocols, req.memberId)) {
    if (g.members.size === 0 && g.offsets.size === 0 && g.pending.size === 0) model.groups.delete(g.id);
    return fail(GroupError.INCONSISTENT_GROUP_PROTOCOL);
  }

  if (req.memberId === '') {
    if (req.groupInstanceId !== null) {
      const previous = [...g.members.values()].find((m) => m.groupInstanceId === req.groupInstanceId);
      if (previous) removeMember(ctx, g, previous, 'replaced by a new incarnation of its static member');
    }
    if (g.members.size + g.pending.size >= config.maxMembersPerGroup) return fail(GroupError.GROUP_MAX_SIZE_REACHED);
    const id = mintMemberId(req.clientId, () => ctx.random());
    if (req.requireKnownMemberId && req.groupInstanceId === null) {
      g.pending.set(id, ctx.now() + req.sessionTimeoutMs);
      scheduleGroups(ctx, req.sessionTimeoutMs, { type: 'GroupSessionTimeout', groupId: g.id, memberId: id });
      return fail(GroupError.MEMBER_ID_REQUIRED, id);
    }
    return addMember(ctx, model, g, id, req);
  }
  if (g.pending.delete(req.memberId)) return addMember(ctx, model, g, req.memberId, req);
  const m = g.members.get(req.memberId);
  if (!m) return fail(GroupError.UNKNOWN_MEMBER_ID);
  rejoin(ctx, model, g, m, req);
}

function addMember(ctx: Context, model: CoordinatorModel, g: Group, memberId: string, req: GroupJoin): void {
  const m: Member = {
    memberId, groupInstanceId: req.groupInstanceId, clientId: req.clientId, clientHost: req.clientHost,
    sessionTimeoutMs: req.sessionTimeoutMs, rebalanceTimeoutMs: req.rebalanceTimeoutMs,
    protocolType: req.protocolType, protocols: copyProtocols(req),
    assignment: new Uint8Array(0), awaitingJoin: { reqId: req.reqId, replyTo: req.replyTo }, awaitingSync: undefined,
    sessionDeadline: ctx.now() + req.sessionTimeoutMs, sessionTimer: undefined,
  };
  g.members.set(memberId, m);
  if (g.initialDelay) g.initialDelay.newMemberAdded = true;
  ctx.log.debug({ group: g.id, member: memberId, state: g.state }, 'groups: member joined');
  maybePrepareRebalance(ctx, model, g);
}

function rejoin(ctx: Context, model: CoordinatorModel, g: Group, m: Member, req: GroupJoin): void {
  const unchanged = m.protocolType === req.protocolType && sameProtocols(m.protocols, req.protocols);
  const answerNow =
    (g.state === 'CompletingRebalance' && unchanged) ||
    (g.state === 'Stable' && unchanged && g.leader !== m.memberId);
  if (answerNow) {
    // A lost JoinGroup response, or a follower with nothing new: the current generation, no rebalance.
    toGroupClient(ctx, req.replyTo, joinResult(g, m, req.reqId));
    return;
  }
  if (m.awaitingJoin) {
    // A second join while one is parked: the newer one takes its place (the older gets an error).
    toGroupClient(ctx, m.awaitingJoin.replyTo, joinError(m.awaitingJoin.reqId, GroupError.REBALANCE_IN_PROGRESS, m.memberId));
  }
  m.protocolType = req.protocolType;
  m.protocols = copyProtocols(req);
  m.sessionTimeoutMs = req.sessionTimeoutMs;
  m.rebalanceTimeoutMs = req.rebalanceTimeoutMs;
  m.clientId = req.clientId;
  m.clientHost = req.clientHost;
  m.awaitingJoin = { reqId: req.reqId, replyTo: req.replyTo };
  maybePrepareRebalance(ctx, model, g);
}

/** Request bytes may be views of a network frame: keep copies. */
function copyProtocols(req: GroupJoin): Member['protocols'] {
  return req.protocols.map((p) => ({ name: p.name, metadata: p.metadata.slice() }));
}
