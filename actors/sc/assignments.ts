/**
 * Replica assignments and their reconciliation: the SC tells SPUs which replicas to host
 * (ReplicaAssign, with leader, replica set and epoch) and which to drop (ReplicaRemove). Messages
 * can be lost, so each full heartbeat is compared with the assignments and the difference re-sent.
 *
 * Invariants:
 * - An assignment goes only to SPUs that are online (a returning SPU gets it on registration).
 * - After a full heartbeat, an SPU that lacks an assigned replica, holds it at an older epoch, or
 *   leads where it should follow or the reverse (a fenced leader, recovery.ts), is sent its
 *   ReplicaAssign again; one that hosts a replica it is not assigned (a deleted topic,
 *   a partition moved away) is sent ReplicaRemove.
 */
import type { Context } from '../../src/runtime/actor.js';
import type { ReplicaAssign, ReplicaReport, TopicSpec } from '../messages.js';
import { toSpu } from '../send.js';
import { isrOf, isUnclean } from './isr.js';
import { isSpuOnline, partitionKey, type PartitionState, type ScModel } from './sc-state.js';

export function assignmentOf(p: PartitionState, spec: TopicSpec): ReplicaAssign {
  return {
    type: 'ReplicaAssign', topic: p.topic, partition: p.partition, leader: isUnclean(p, p.leader) ? -1 : p.leader,
    replicas: p.replicas, epoch: p.epoch, config: spec.config, isr: isrOf(p), isrVersion: p.isrVersion ?? 0,
  };
}

/** Send the partition's assignment to its online replicas' SPUs (or just to `only`). */
export function assign(ctx: Context, m: ScModel, p: PartitionState, spec: TopicSpec, only?: number): void {
  const msg = assignmentOf(p, spec);
  for (const spu of p.replicas) if ((only === undefined || spu === only) && isSpuOnline(m, spu)) toSpu(ctx, spu, msg);
}

/** An SPU (re)joined: re-send the assignments of every partition it has a replica of. */
export function assignPartitionsOf(ctx: Context, m: ScModel, spuId: number): void {
  for (const p of m.partitions.values()) {
    const spec = m.topics.get(p.topic);
    if (spec && p.replicas.includes(spuId)) assign(ctx, m, p, spec);
  }
}

export function removeReplica(ctx: Context, spuId: number, topic: string, partition: number): void {
  toSpu(ctx, spuId, { type: 'ReplicaRemove', topic, partition });
}

/**
 * A full heartbeat lists every replica the SPU hosts: re-send assignments it lacks or holds at
 * an older epoch, and removals of replicas it should not host (a lost message must not leave a
 * partition without its replica, or a deleted one behind).
 */
export function reconcile(ctx: Context, m: ScModel, spuId: number, reports: readonly ReplicaReport[]): void {
  const hosted = new Map(reports.map((r) => [partitionKey(r.topic, r.partition), r]));
  for (const p of m.partitions.values()) {
    if (!p.replicas.includes(spuId)) continue;
    const r = hosted.get(partitionKey(p.topic, p.partition));
    const spec = m.topics.get(p.topic);
    // At the same epoch a fenced leader resumes (recovery.ts): the replica's leader flag tells.
    const leads = p.leader === spuId && !isUnclean(p, spuId);
    if (spec && (!r || r.epoch < p.epoch || (r.epoch === p.epoch && r.leader !== leads))) assign(ctx, m, p, spec, spuId);
  }
  for (const r of reports) {
    const p = m.partitions.get(partitionKey(r.topic, r.partition));
    if (!p || !p.replicas.includes(spuId)) removeReplica(ctx, spuId, r.topic, r.partition);
  }
}
