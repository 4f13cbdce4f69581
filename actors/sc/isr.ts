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
  if (!isSpuOnline(m, p.leader)) return;
  toReplica(ctx, replicaActorId(p.topic, p.partition, p.leader), {
    type: 'IsrChanged', topic: p.topic, partition: p.partition, epoch: p.epoch, isrVersion: p.isrVersion ?? 0, isr: isrOf(p),
  });
}

/** Make `isr` (leader added, sorted, unique) the partition's set; the caller persists and tells. */
export function setIsr(p: PartitionState, isr: number[]): void {
  p.isr = [...new Set([p.leader, ...isr])].sort((a, b) => a - b);
  p.isrVersion = (p.isrVersion ?? 0) + 1;
}

export function onAlterIsr(ctx: Context, m: ScModel, a: AlterIsr): void {
  const p = m.partitions.get(partitionKey(a.topic, a.partition));
  if (!p || a.spuId !== p.leader || a.epoch !== p.epoch) return;
  const valid = a.isr.includes(p.leader) && a.isr.every((id) => p.replicas.includes(id));
  if (a.isrVersion !== (p.isrVersion ?? 0) || !valid) {
    sendIsr(ctx, m, p); // stale or malformed: here is the current set
    return;
  }
  setIsr(p, a.isr);
  ctx.log.info({ topic: p.topic, partition: p.partition, isr: p.isr, version: p.isrVersion }, 'in-sync set changed');
  persist(ctx, m);
  sendIsr(ctx, m, p);
}

/** An SPU was lost: its replicas leave the sets of partitions it follows in. */
export function dropFromIsrs(ctx: Context, m: ScModel, spuId: number): void {
  for (const p of m.partitions.values()) {
    if (p.leader === spuId || !isrOf(p).includes(spuId)) continue;
    setIsr(p, isrOf(p).filter((id) => id !== spuId));
    sendIsr(ctx, m, p);
  }
}
