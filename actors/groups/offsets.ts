/**
 * Committed offsets: OffsetCommit and OffsetFetch, and their persistence.
 *
 * Commits are accepted as Kafka's coordinator accepts them: from a member of the current
 * generation in Stable or PreparingRebalance (kafkajs commits before it rejoins, so refusing those
 * would lose progress), and "simple" commits (generation < 0, no member id) while the group has no
 * members. CompletingRebalance → REBALANCE_IN_PROGRESS (27); otherwise UNKNOWN_MEMBER_ID (25) or
 * ILLEGAL_GENERATION (22). Metadata over `offsetMetadataMaxBytes` is OFFSET_METADATA_TOO_LARGE (12).
 *
 * Persistence: every group's offsets (and protocol type) are saved through ctx.storage's state
 * store under STATE_NAME before the commit is answered — the SC's mechanism (a JSON file written
 * atomically under <home>/metadata/ in disk mode, memory otherwise) — and restored on start, so an
 * OffsetFetch after a restart returns what was committed. Commits are applied at once (an
 * OffsetFetch sees them) but answered after a GroupFlush timer of 0 ms: the commits that arrive in
 * one turn share one save (a disk-mode save is a write + fsync) instead of one each. Members are not persisted: after a
 * restart they rejoin (their heartbeats get UNKNOWN_MEMBER_ID).
 */
import type { Context } from '../../src/runtime/actor.js';
import { GroupError, newGroup, offsetKey, splitOffsetKey, type CoordinatorModel, type Group } from './group-state.js';
import type { OffsetCommit, OffsetFetchRequest } from './messages.js';
import { touch } from './rebalance.js';
import { scheduleGroups, toGroupClient } from './send.js';

export const STATE_NAME = 'groups';

/** What is saved: per group, its protocol type and committed offsets as [topic, partition, offset, metadata]. */
export interface PersistedGroups {
  version: 1;
  groups: { id: string; protocolType: string; offsets: [string, number, number, string | null][] }[];
}

const utf8Length = (s: string): number => {
  let n = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    n += c < 0x80 ? 1 : c < 0x800 ? 2 : c >= 0xd800 && c < 0xdc00 ? (i++, 4) : 3;
  }
  return n;
};

function commitError(ctx: Context, g: Group | undefined, req: OffsetCommit): number {
  if (req.groupId.length === 0) return GroupError.INVALID_GROUP_ID;
  if (!g) return req.generationId < 0 ? GroupError.NONE : GroupError.ILLEGAL_GENERATION;
  if (g.state === 'Dead') return GroupError.COORDINATOR_NOT_AVAILABLE;
  if (req.generationId < 0 && g.members.size === 0) return GroupError.NONE;
  if (g.state === 'CompletingRebalance') return GroupError.REBALANCE_IN_PROGRESS;
  const m = g.members.get(req.memberId);
  if (!m) return GroupError.UNKNOWN_MEMBER_ID;
  if (req.generationId !== g.generation) return GroupError.ILLEGAL_GENERATION;
  touch(ctx, g, m);
  return GroupError.NONE;
}

export function onCommit(ctx: Context, model: CoordinatorModel, req: OffsetCommit): void {
  let g = model.groups.get(req.groupId);
  const error = commitError(ctx, g, req);
  if (error === GroupError.NONE && !g) {
    if (model.groups.size >= model.config.maxGroups) return answerAll(ctx, req, GroupError.COORDINATOR_NOT_AVAILABLE);
    g = newGroup(req.groupId);
    model.groups.set(g.id, g);
  }
  if (error !== GroupError.NONE || !g) return answerAll(ctx, req, error);
  const results = req.offsets.map(({ topic, partition, offset, metadata }) => {
    if (metadata !== null && utf8Length(metadata) > model.config.offsetMetadataMaxBytes) {
      return { topic, partition, errorCode: GroupError.OFFSET_METADATA_TOO_LARGE };
    }
    g!.offsets.set(offsetKey(topic, partition), { offset, metadata });
    return { topic, partition, errorCode: GroupError.NONE };
  });
  if (model.unsaved.length === 0) scheduleGroups(ctx, 0, { type: 'GroupFlush' });
  model.unsaved.push({ to: req.replyTo, reply: { type: 'OffsetCommitReply', reqId: req.reqId, results } });
}

/** Save once for every commit since the last flush, then answer them. */
export function flushCommits(ctx: Context, model: CoordinatorModel): void {
  if (model.unsaved.length === 0) return;
  persist(ctx, model);
  for (const { to, reply } of model.unsaved.splice(0)) toGroupClient(ctx, to, reply);
}

function answerAll(ctx: Context, req: OffsetCommit, errorCode: number): void {
  const results = req.offsets.map(({ topic, partition }) => ({ topic, partition, errorCode }));
  toGroupClient(ctx, req.replyTo, { type: 'OffsetCommitReply', reqId: req.reqId, results });
}

export function onOffsetFetch(ctx: Context, model: CoordinatorModel, req: OffsetFetchRequest): void {
  const g = model.groups.get(req.groupId);
  let offsets;
  if (req.topics === null) {
    offsets = g
      ? [...g.offsets].map(([key, o]) => ({ ...splitOffsetKey(key), offset: o.offset, metadata: o.metadata, errorCode: GroupError.NONE }))
        .sort((a, b) => a.topic.localeCompare(b.topic) || a.partition - b.partition)
      : [];
  } else {
    offsets = req.topics.flatMap((t) => t.partitions.map((partition) => {
      const o = g?.offsets.get(offsetKey(t.topic, partition));
      return { topic: t.topic, partition, offset: o?.offset ?? -1, metadata: o ? o.metadata : '', errorCode: GroupError.NONE };
    }));
  }
  toGroupClient(ctx, req.replyTo, { type: 'OffsetFetchReply', reqId: req.reqId, errorCode: GroupError.NONE, offsets });
}

export function persist(ctx: Context, model: CoordinatorModel): void {
  const state: PersistedGroups = { version: 1, groups: [] };
  for (const g of model.groups.values()) {
    if (g.offsets.size === 0) continue;
    state.groups.push({
      id: g.id,
      protocolType: g.protocolType,
      offsets: [...g.offsets].map(([key, o]) => {
        const { topic, partition } = splitOffsetKey(key);
        return [topic, partition, o.offset, o.metadata];
      }),
    });
  }
  ctx.storage.saveState(STATE_NAME, state);
}

const isSavedOffset = (o: unknown): o is [string, number, number, string | null] =>
  Array.isArray(o) && typeof o[0] === 'string' && Number.isInteger(o[1]) && Number.isInteger(o[2]) && (o[3] === null || typeof o[3] === 'string');

/** Load what persist() saved; entries that do not have its shape are skipped and logged, never fatal. */
export function restore(ctx: Context, model: CoordinatorModel): void {
  const saved = ctx.storage.loadState(STATE_NAME) as Partial<PersistedGroups> | undefined;
  if (saved === undefined) return;
  if (saved?.version !== 1 || !Array.isArray(saved.groups)) {
    ctx.log.error({ state: STATE_NAME }, 'groups: saved state has an unknown shape; starting without committed offsets');
    return;
  }
  let skipped = 0;
  for (const s of saved.groups) {
    if (typeof s?.id !== 'string' || !Array.isArray(s.offsets)) {
      skipped++;
      continue;
    }
    const g = newGroup(s.id);
    g.protocolType = typeof s.protocolType === 'string' ? s.protocolType : '';
    for (const o of s.offsets) {
      if (isSavedOffset(o)) g.offsets.set(offsetKey(o[0], o[1]), { offset: o[2], metadata: o[3] });
      else skipped++;
    }
    model.groups.set(g.id, g);
  }
  if (skipped > 0) ctx.log.error({ skipped }, 'groups: skipped malformed saved entries');
  ctx.log.info({ groups: saved.groups.length }, 'groups: committed offsets restored');
}
