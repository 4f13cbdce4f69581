/**
 * Applying a partition's resolution change (DESIGN §6): every change the SC makes goes through
 * `setResolution`, which asks the table in partition-status.ts, logs a rejection and keeps the old
 * resolution, or applies the change and sends a StatusEvent to every subscriber.
 *
 * Invariant: `p.resolution` changes nowhere else (restore in persistence.ts loads saved values).
 */
import type { Context } from '../../src/runtime/actor.js';
import type { PartitionStatusEvent, Resolution } from '../messages.js';
import { toClient } from '../send.js';
import { transition, type TransitionCause } from './partition-status.js';
import type { PartitionState, ScModel } from './sc-state.js';

/** Returns true when `p` is (now) at `to`; false when the transition was rejected. */
export function setResolution(ctx: Context, m: ScModel, p: PartitionState, to: Resolution, cause: TransitionCause): boolean {
  const from = p.resolution;
  if (from === to) return true;
  const r = transition(from, to, cause);
  if (!r.ok) {
    ctx.log.warn({ topic: p.topic, partition: p.partition, from, to, cause }, `rejected transition: ${r.reason}`);
    return false;
  }
  p.resolution = to;
  const event: PartitionStatusEvent = { topic: p.topic, partition: p.partition, from, to, leader: p.leader, epoch: p.epoch };
  ctx.log.info({ ...event }, 'partition status');
  for (const s of m.subscribers) toClient(ctx, s, { type: 'StatusEvent', event });
  return true;
}
