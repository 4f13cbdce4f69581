/**
 * Idempotent-producer ids (DESIGN §5): the SC hands out producer ids, each at epoch 0, unique for
 * the life of the cluster — across SC restarts and cluster shutdown/resume too. Ids are reserved
 * in blocks: the persisted metadata records the end of the current block (`producerIdsUntil`)
 * before any id of it is handed out, so a restarted SC starts after every id it may have given.
 *
 * Invariants: an id is never handed out twice; persistence happens once per block, not per id;
 * ids stay below 2^53 (safe integers) and are ≥ 0 (Kafka's "no producer" is -1).
 */
import type { Context } from '../../src/runtime/actor.js';
import type { ProducerIdGrant } from '../messages.js';
import { persist } from './persistence.js';
import type { ScModel } from './sc-state.js';

/** Ids reserved per persisted block. */
export const PRODUCER_ID_BLOCK = 1000;

export function allocateProducerId(ctx: Context, m: ScModel): ProducerIdGrant {
  const ids = m.producerIds;
  if (ids.next >= ids.until) {
    ids.until = ids.next + PRODUCER_ID_BLOCK;
    persist(ctx, m); // the block is on record before its first id leaves
  }
  return { producerId: ids.next++, producerEpoch: 0 };
}
