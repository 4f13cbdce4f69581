/**
 * Leader election (DESIGN §6): when a partition's leader is lost, hand leadership to a live
 * in-sync follower — highest LEO first, then lowest SPU id — and bump the leader epoch.
 *
 * Invariants:
 * - Candidates come from the SC's in-sync set (isr.ts); a follower outside it, or on an offline
 *   SPU, is never chosen. The lost leader leaves the set (it rejoins once caught up).
 * - An election moves the partition to ElectionLeaderFound (Online comes with the new leader's
 *   own report, reports.ts), bumps the epoch by one, puts the new leader first in `replicas`
 *   and sends the new assignment to every online replica.
 * - With no candidate the partition stays where it is (LeaderOffline) until a replica returns.
 */
import type { Context } from '../../src/runtime/actor.js';
import { Resolution } from '../messages.js';
import { assign } from './assignments.js';
import { isrOf, isUnclean, setIsr } from './isr.js';
import { persist } from './persistence.js';
import { recover } from './recovery.js';
import { setResolution } from './resolution.js';
import { isSpuOnline, type PartitionState, type ScModel } from './sc-state.js';

/**
 * A live, clean in-sync follower to lead next, else a live eligible leader (highest LEO, then
 * lowest id), if any.
 */
export function candidateFor(m: ScModel, p: PartitionState): number | undefined {
  const best = (set: number[]) => p.replicas
    .filter((id) => id !== p.leader && isSpuOnline(m, id) && set.includes(id) && !isUnclean(p, id))
    .sort((a, b) => (p.reports[b]?.leo ?? 0) - (p.reports[a]?.leo ?? 0) || a - b)[0];
  return best(isrOf(p)) ?? best(p.elr ?? []);
}

/** Hand leadership to the candidate, if any, and bump the epoch. */
export function elect(ctx: Context, m: ScModel, p: PartitionState): void {
  const next = candidateFor(m, p);
  if (next === undefined) return; // stays LeaderOffline until a replica returns
  if (!setResolution(ctx, m, p, Resolution.ElectionLeaderFound, 'election')) return;
  const lost = p.leader;
  p.leader = next;
  setIsr(m, p, isrOf(p).filter((id) => id !== lost)); // the lost leader rejoins once caught up
  p.epoch += 1;
  p.replicas = [next, ...p.replicas.filter((id) => id !== next)];
  const spec = m.topics.get(p.topic);
  if (spec) assign(ctx, m, p, spec);
  persist(ctx, m); // epoch and in-sync set on record before anyone acts on them
}

/**
 * Elect where no leader serves (LeaderOffline or Offline, or a fenced OutOfSpace partition) and the
 * leader's SPU is offline or the leader is fenced (restarted uncleanly, recovery.ts); a fenced
 * partition nobody can take over goes to the recovery election.
 */
export function electLeaderless(ctx: Context, m: ScModel): void {
  for (const p of m.partitions.values()) {
    const fenced = isUnclean(p, p.leader);
    const leaderless = p.resolution === Resolution.LeaderOffline || p.resolution === Resolution.Offline || (fenced && p.resolution === Resolution.OutOfSpace);
    if (!leaderless || (isSpuOnline(m, p.leader) && !fenced)) continue;
    if (fenced && candidateFor(m, p) !== undefined && p.resolution === Resolution.OutOfSpace) setResolution(ctx, m, p, Resolution.LeaderOffline, 'spu-lost');
    elect(ctx, m, p);
    if (isUnclean(p, p.leader)) recover(ctx, m, p);
  }
}
