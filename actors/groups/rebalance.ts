/**
 * Generations: the transitions of Kafka's classic group state machine that every request and
 * timer shares — start a rebalance, complete the join phase (new generation, protocol vote,
 * leader, parked joins answered), the sync deadline, member removal, session deadlines.
 *
 *   Empty ──join──▶ PreparingRebalance ──all rejoined / deadline──▶ CompletingRebalance
 *     ▲                    ▲                                              │ leader's SyncGroup
 *     └──last member gone──┴──────── join / leave / expiry ◀── Stable ◀───┘
 *
 * Invariants:
 * - At most one phase timer per group (join deadline, initial delay or sync deadline); a timer
 *   whose token is not the group's current one is stale and ignored.
 * - A parked join or sync is answered exactly once: with the generation's result, or with an
 *   error when its member is removed or the generation is abandoned.
 * - Members parked in a join or a sync are kept alive (the phase deadline decides their fate);
 *   otherwise a member whose session deadline passed is removed and the group rebalances.
 */
import type { Context } from '../../src/runtime/actor.js';
import {
  EMPTY_CONSUMER_ASSIGNMENT, GroupError, metadataFor, rebalanceTimeoutOf, selectProtocol,
  type CoordinatorModel, type Group, type Member,
} from './group-state.js';
import type { GroupJoinReply } from './messages.js';
import { scheduleGroups, toGroupClient } from './send.js';

function armPhase(ctx: Context, g: Group, kind: 'join' | 'sync', afterMs: number): void {
  if (g.phaseTimer !== undefined) ctx.cancel(g.phaseTimer);
  const token = ++g.phaseToken;
  g.phaseTimer = scheduleGroups(ctx, afterMs, kind === 'join' ? { type: 'GroupJoinTimeout', groupId: g.id, token } : { type: 'GroupSyncTimeout', groupId: g.id, token });
}

function clearPhase(ctx: Context, g: Group): void {
  if (g.phaseTimer !== undefined) ctx.cancel(g.phaseTimer);
  g.phaseTimer = undefined;
  g.phaseToken++;
}

/** The join reply a member gets for the group's current generation (the leader also gets the members). */
export function joinResult(g: Group, m: Member, reqId: number): GroupJoinReply {
  return {
    type: 'GroupJoinReply', reqId, errorCode: GroupError.NONE, generationId: g.generation,
    protocolType: g.protocolType, protocolName: g.protocolName, leader: g.leader, memberId: m.memberId,
    members: g.leader === m.memberId
      ? [...g.members.values()].map((x) => ({ memberId: x.memberId, groupInstanceId: x.groupInstanceId, metadata: metadataFor(x, g.protocolName) }))
      : [],
  };
}

export function joinError(reqId: number, errorCode: number, memberId: string): GroupJoinReply {
  return { type: 'GroupJoinReply', reqId, errorCode, generationId: -1, protocolType: null, protocolName: null, leader: '', memberId, members: [] };
}

/** Push a member's session deadline on (any contact); arm its timer if none is armed. */
export function touch(ctx: Context, g: Group, m: Member): void {
  m.sessionDeadline = ctx.now() + m.sessionTimeoutMs;
  if (m.sessionTimer === undefined) {
    m.sessionTimer = scheduleGroups(ctx, m.sessionTimeoutMs, { type: 'GroupSessionTimeout', groupId: g.id, memberId: m.memberId });
  }
}

/** Answer parked syncs with REBALANCE_IN_PROGRESS and forget the assignments (generation abandoned). */
function abandonSync(ctx: Context, g: Group): void {
  for (const m of g.members.values()) {
    if (m.awaitingSync) {
      toGroupClient(ctx, m.awaitingSync.replyTo, { type: 'GroupSyncReply', reqId: m.awaitingSync.reqId, errorCode: GroupError.REBALANCE_IN_PROGRESS, protocolType: null, protocolName: null, assignment: new Uint8Array(0) });
      m.awaitingSync = undefined;
    }
    m.assignment = new Uint8Array(0);
  }
  g.pendingSync.clear();
}

/** Enter PreparingRebalance (from Empty: with the initial delay) and complete at once if it can. */
export function prepareRebalance(ctx: Context, model: CoordinatorModel, g: Group): void {
  if (g.state === 'CompletingRebalance' || g.state === 'Stable') abandonSync(ctx, g);
  const wasEmpty = g.state === 'Empty';
  g.state = 'PreparingRebalance';
  const timeout = rebalanceTimeoutOf(g);
  if (wasEmpty) {
    const delay = Math.min(model.config.initialRebalanceDelayMs, timeout);
    g.initialDelay = { remainingMs: Math.max(timeout - delay, 0), newMemberAdded: false };
    armPhase(ctx, g, 'join', delay);
  } else {
    g.initialDelay = undefined;
    armPhase(ctx, g, 'join', timeout);
  }
  tryCompleteJoin(ctx, model, g);
}

/** Start a rebalance unless one is already under way. */
export function maybePrepareRebalance(ctx: Context, model: CoordinatorModel, g: Group): void {
  if (g.state === 'PreparingRebalance') tryCompleteJoin(ctx, model, g);
  else if (g.state !== 'Dead') prepareRebalance(ctx, model, g);
}

/** Complete the join phase early once every known member has rejoined (never inside the initial delay). */
export function tryCompleteJoin(ctx: Context, model: CoordinatorModel, g: Group): void {
  if (g.state !== 'PreparingRebalance' || g.initialDelay) return;
  if (g.pending.size > 0) return;
  for (const m of g.members.values()) if (!m.awaitingJoin) return;
  completeJoin(ctx, model, g);
}

export function onJoinTimeout(ctx: Context, model: CoordinatorModel, groupId: string, token: number): void {
  const g = model.groups.get(groupId);
  if (!g || token !== g.phaseToken || g.state !== 'PreparingRebalance') return;
  g.phaseTimer = undefined;
  const d = g.initialDelay;
  if (d && d.newMemberAdded && d.remainingMs > 0) {
    // Members kept arriving during the initial delay: wait once more (bounded by the rebalance timeout).
    const delay = Math.min(model.config.initialRebalanceDelayMs, d.remainingMs);
    g.initialDelay = { remainingMs: Math.max(d.remainingMs - delay, 0), newMemberAdded: false };
    armPhase(ctx, g, 'join', delay);
    return;
  }
  completeJoin(ctx, model, g);
}

/**
 * The join phase ends: members that did not rejoin are removed; a new generation with the voted
 * protocol and a leader starts (CompletingRebalance), or the group is Empty when none is left.
 */
export function completeJoin(ctx: Context, model: CoordinatorModel, g: Group): void {
  clearPhase(ctx, g);
  g.initialDelay = undefined;
  for (const m of [...g.members.values()]) if (!m.awaitingJoin) removeMember(ctx, g, m, 'did not rejoin in time');
  g.generation++;
  const protocol = selectProtocol(g.members.values());
  if (g.members.size === 0 || protocol === undefined) {
    for (const m of [...g.members.values()]) {
      toGroupClient(ctx, m.awaitingJoin!.replyTo, joinError(m.awaitingJoin!.reqId, GroupError.INCONSISTENT_GROUP_PROTOCOL, m.memberId));
      m.awaitingJoin = undefined;
      removeMember(ctx, g, m, 'no common protocol');
    }
    becomeEmpty(model, g);
    return;
  }
  const first = g.members.values().next().value!;
  g.protocolType = first.protocolType;
  g.protocolName = protocol;
  if (!g.members.has(g.leader)) g.leader = first.memberId;
  g.state = 'CompletingRebalance';
  g.pendingSync = new Set(g.members.keys());
  for (const m of g.members.values()) {
    const parked = m.awaitingJoin!;
    m.awaitingJoin = undefined;
    toGroupClient(ctx, parked.replyTo, joinResult(g, m, parked.reqId));
    touch(ctx, g, m);
  }
  ctx.log.debug({ group: g.id, generation: g.generation, members: g.members.size, protocol }, 'groups: generation complete');
  armPhase(ctx, g, 'sync', rebalanceTimeoutOf(g));
}

function becomeEmpty(model: CoordinatorModel, g: Group): void {
  g.state = 'Empty';
  g.protocolName = '';
  g.leader = '';
  g.pendingSync.clear();
  if (g.offsets.size === 0 && g.pending.size === 0) model.groups.delete(g.id);
}

/** The leader's SyncGroup: store every member's assignment, answer parked syncs, → Stable. */
export function completeSync(ctx: Context, g: Group, assignments: { memberId: string; assignment: Uint8Array }[]): void {
  const given = new Map(assignments.map((a) => [a.memberId, a.assignment]));
  for (const m of g.members.values()) {
    const a = given.get(m.memberId);
    m.assignment = a && a.length > 0 ? a.slice() : g.protocolType === 'consumer' ? EMPTY_CONSUMER_ASSIGNMENT : new Uint8Array(0);
  }
  g.state = 'Stable';
  for (const m of g.members.values()) {
    if (!m.awaitingSync) continue;
    toGroupClient(ctx, m.awaitingSync.replyTo, { type: 'GroupSyncReply', reqId: m.awaitingSync.reqId, errorCode: GroupError.NONE, protocolType: g.protocolType, protocolName: g.protocolName, assignment: m.assignment });
    m.awaitingSync = undefined;
  }
  if (g.pendingSync.size === 0) clearPhase(ctx, g);
}

/** The sync deadline: members of this generation that never synced are removed; the rest rebalance. */
export function onSyncTimeout(ctx: Context, model: CoordinatorModel, groupId: string, token: number): void {
  const g = model.groups.get(groupId);
  if (!g || token !== g.phaseToken || (g.state !== 'CompletingRebalance' && g.state !== 'Stable')) return;
  g.phaseTimer = undefined;
  if (g.pendingSync.size === 0) return;
  for (const id of [...g.pendingSync]) {
    const m = g.members.get(id);
    if (m) removeMember(ctx, g, m, 'did not sync in time');
  }
  prepareRebalance(ctx, model, g);
}

/** Take a member out of the group, answering whatever it has parked. Does not rebalance. */
export function removeMember(ctx: Context, g: Group, m: Member, why: string): void {
  g.members.delete(m.memberId);
  g.pendingSync.delete(m.memberId);
  if (m.sessionTimer !== undefined) ctx.cancel(m.sessionTimer);
  if (m.awaitingJoin) toGroupClient(ctx, m.awaitingJoin.replyTo, joinError(m.awaitingJoin.reqId, GroupError.UNKNOWN_MEMBER_ID, m.memberId));
  if (m.awaitingSync) {
    toGroupClient(ctx, m.awaitingSync.replyTo, { type: 'GroupSyncReply', reqId: m.awaitingSync.reqId, errorCode: GroupError.UNKNOWN_MEMBER_ID, protocolType: null, protocolName: null, assignment: new Uint8Array(0) });
  }
  if (g.leader === m.memberId) g.leader = '';
  ctx.log.debug({ group: g.id, member: m.memberId, why }, 'groups: member removed');
}

/** A member leaves or expires: remove it and let the group react (rebalance, or finish a join phase). */
export function removeMemberAndUpdate(ctx: Context, model: CoordinatorModel, g: Group, m: Member, why: string): void {
  removeMember(ctx, g, m, why);
  if (g.state === 'Stable' || g.state === 'CompletingRebalance') prepareRebalance(ctx, model, g);
  else if (g.state === 'PreparingRebalance') tryCompleteJoin(ctx, model, g);
}

/** A member's (or a pending member id's) session timer fired. */
export function onSessionTimeout(ctx: Context, model: CoordinatorModel, groupId: string, memberId: string): void {
  const g = model.groups.get(groupId);
  if (!g) return;
  const expiry = g.pending.get(memberId);
  if (expiry !== undefined) {
    if (ctx.now() < expiry) return;
    g.pending.delete(memberId);
    if (g.state === 'PreparingRebalance') tryCompleteJoin(ctx, model, g);
    else if (g.state === 'Empty' && g.members.size === 0) becomeEmpty(model, g);
    return;
  }
  const m = g.members.get(memberId);
  if (!m) return;
  m.sessionTimer = undefined;
  if (m.awaitingJoin || m.awaitingSync) return touch(ctx, g, m); // parked: the phase deadline decides
  const left = m.sessionDeadline - ctx.now();
  if (left > 0) {
    m.sessionTimer = scheduleGroups(ctx, left, { type: 'GroupSessionTimeout', groupId, memberId });
    return;
  }
  ctx.log.info({ group: g.id, member: memberId }, 'groups: session expired');
  removeMemberAndUpdate(ctx, model, g, m, 'session expired');
}
