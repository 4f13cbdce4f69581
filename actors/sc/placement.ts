/**
 * Replica placement for new topics (pure): round-robin over the online SPU ids, sorted, so the
 * leaders of consecutive partitions land on consecutive SPUs and followers on the next ones.
 * Invariant: the replicas of one partition are distinct SPUs; leader first.
 */
import { assert } from '../../src/runtime/errors.js';

export function placeReplicas(spuIds: readonly number[], partitions: number, replicationFactor: number): number[][] {
  const ids = [...spuIds].sort((a, b) => a - b);
  assert(replicationFactor >= 1 && replicationFactor <= ids.length, `rf ${replicationFactor} with ${ids.length} SPUs`);
  const out: number[][] = [];
  for (let p = 0; p < partitions; p++) {
    const replicas: number[] = [];
    for (let r = 0; r < replicationFactor; r++) replicas.push(ids[(p + r) % ids.length]!);
    out.push(replicas);
  }
  return out;
}
