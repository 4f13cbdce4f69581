/**
 * The SC's persisted metadata (topics, assignments, epochs, resolutions, the sticky out-of-space
 * mark, the reserved producer-id block), saved through ctx.storage after every metadata change and restored on start.
 *
 * Invariants:
 * - Replica reports are never persisted: after a restart they are rebuilt from the SPUs' reports.
 * - On restore, a partition that was Online or ElectionLeaderFound becomes LeaderOffline (no
 *   leader has reported to this SC yet); OutOfSpace stays OutOfSpace (sticky: a report decides).
 */
import type { Context } from '../../src/runtime/actor.js';
import { Resolution } from '../messages.js';
import { setResolution } from './resolution.js';
import { partitionKey, type PartitionState, type PersistedScState, type ScModel } from './sc-state.js';

export const STATE_NAME = 'sc';

export function persist(ctx: Context, m: ScModel): void {
  const state: PersistedScState = {
    topics: [...m.topics.values()],
    partitions: [...m.partitions.values()].map(({ reports: _r, leaderHw: _h, ...rest }) => rest),
    producerIdsUntil: m.producerIds.until,
  };
  ctx.storage.saveState(STATE_NAME, state);
}

export function restore(ctx: Context, m: ScModel): void {
  const saved = ctx.storage.loadState(STATE_NAME) as PersistedScState | undefined;
  if (!saved) return;
  // Producer ids resume after the last reserved block: none handed out before is given again.
  m.producerIds.next = m.producerIds.until = saved.producerIdsUntil ?? 0;
  for (const t of saved.topics) m.topics.set(t.name, t);
  for (const p of saved.partitions) {
    const state: PartitionState = { ...p, reports: {} };
    m.partitions.set(partitionKey(p.topic, p.partition), state);
    if (state.resolution === Resolution.Online || state.resolution === Resolution.ElectionLeaderFound) {
      setResolution(ctx, m, state, Resolution.LeaderOffline, 'spu-lost');
    }
  }
}
