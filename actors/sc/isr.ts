/**
 * In-sync sets owned by the SC (DESIGN §5, §6), as Kafka's controller owns the ISR: a leader asks
 * for a change (AlterIsr: drop followers that lag, add ones that caught up) and applies a set
 * only once the SC confirms it (IsrChanged), so the set the SC elects from is always inside the
 * set the leader's HW waits for — every replica the SC may elect holds every committed record.
 * The SC itself drops a lost SPU's replicas from the sets they follow in (KRaft fences a lost
 * broker), so a restarted replica that lost its unsynced tail cannot be elected before its leader
 * has seen it catch up again.
 *
 * Invariants:
 * - Every change bumps `isrVersion` and is persisted; a request based on an older version, or
 *   from a replica that is not the leader at the current epoch, changes nothing (the current set
 *   goes back to a stale leader; a deposed one learns from its next assignment).
 * - A set always contains the leader and only replicas of the partition.
 */
import type { Context } from '../../src/runtime/actor.js';
import { replicaActorId, type AlterIsr } from '../messages.js';
import { toReplica } from '../send.js';
import { persist } from './persistence.js';
import { isSpuOnline, partitionKey, type PartitionState, type ScModel } from './sc-state.js';

/** The partition's in-sync set (every replica for metadata saved before sets were kept). */
export function isrOf(p: PartitionState): number[] {
  return p.isr ?? p.replicas;
}

/** Tell the leader the current set (after a change, or when it reports an older version). */
export function sendIsr(ctx: Context, m: ScModel, p: PartitionState): void {
  if (!isSpuOnline(m, p.leader) || isUnclean(p, p.leader)) return;
  toReplica(ctx, replicaActorId(p.topic, p.partition, p.leader), {
    type: 'IsrChanged', topic: p.topic, partition: p.partition, epoch: p.epoch, isrVersion: p.isrVersion ?? 0, isr: isrOf(p),
  });
}

/** The partition topic's minInSyncReplicas (1 when unset). */
export function minIsrOf(m: ScModel, p: PartitionState): number {
  return m.topics.get(p.topic)?.config.minInSyncReplicas ?? 1;
}

/** Whether `spu`'s replica of `p` restarted uncleanly and has not caught up since (recovery.ts). */
export function isUnclean(p: PartitionState, spu: number): boolean {
  return p.unclean?.some((u) => u.spu === spu) === true;
}

/**
 * Make `isr` (leader added, sorted, unique) the partition's set; the caller persists and tells.
 * Eligible leaders follow (KIP-966): a clean replica that leaves a set now below minInSyncReplicas
 * joins them; a set back at minInSyncReplicas or more empties them (the HW moves again); members
 * of the set are not among them. A replica (other than a fenced leader) back in the set has
 * caught up: it is no longer unclean.
 */
export function setIsr(m: ScModel, p: PartitionState, isr: number[]): void {
  const before = isrOf(p);
  const next = [...new Set([p.leader, ...isr])].sort((a, b) => a - b);
  let elr = (p.elr ?? []).filter((id) => !next.includes(id));
  if (next.length >= minIsrOf(m, p)) elr = [];
  else for (const id of before) if (!next.includes(id) && !elr.includes(id) && !isUnclean(p, id)) elr.push(id);
  p.isr = next;
  p.elr = elr.sort((a, b) => a - b);
  if (p.unclean) p.unclean = p.unclean.filter((u) => u.spu === p.leader || !next.includes(u.spu));
  p.isrVersion = (p.isrVersion ?? 0) + 1;
}

export function onAlterIsr(ctx: Context, m: ScModel, a: AlterIsr): void {
  const p = m.partitions.get(partitionKey(a.topic, a.partition));
  if (!p || a.spuId !== p.leader || a.epoch !== p.epoch || isUnclean(p, p.leader)) return;
  // Only replicas of the partition; an addition only on an online SPU (KIP-841: a leader's view of
  // a paused or lost follower is stale — the SC knows it is gone).
  const current = isrOf(p);
  const valid = a.isr.includes(p.leader) && a.isr.every((id) => p.replicas.includes(id) && (current.includes(id) || isSpuOnline(m, id)));
  if (a.isrVersion !== (p.isrVersion ?? 0) || !valid) {
    sendIsr(ctx, m, p); // stale or malformed: here is the current set
    return;
  }
  setIsr(m, p, a.isr);
  ctx.log.info({ topic: p.topic, partition: p.partition, isr: p.isr, version: p.isrVersion }, 'in-sync set changed');
  persist(ctx, m);
  sendIsr(ctx, m, p);
}

/** An SPU was lost: its replicas leave the sets of partitions it follows in. */
export function dropFromIsrs(ctx: Context, m: ScModel, spuId: number): void {
  for (const p of m.partitions.values()) {
    if (p.leader === spuId || !isrOf(p).includes(spuId)) continue;
    setIsr(m, p, isrOf(p).filter((id) => id !== spuId));
    sendIsr(ctx, m, p);
  }
}
