/**
 * Leader balance (as Kafka's preferred-leader election with auto leader rebalance): each partition
 * has a preferred leader — the first replica placement gave it, so preferred leaders are spread
 * round-robin over the SPUs — and leadership goes back to it once it is safe: the partition is
 * Online, the preferred replica's SPU is online, and the current leader's *fresh* report (asked
 * for just before deciding, report-sync.ts) lists it among the followers caught up within half of
 * `replicaLagMs` — so it holds every committed record and cannot leave the in-sync set before its
 * new assignment arrives. The SC checks on every tick (and on `rebalanceLeaders`); a move bumps
 * the epoch, puts the preferred replica first and sends the assignment, like an election, while
 * the resolution stays Online (the table has no Online → ElectionLeaderFound).
 *
 * Invariants: leadership only ever moves *to* a preferred replica; at most one balance round is in
 * flight; a partition with one replica never moves.
 */
import type { Context } from '../../src/runtime/actor.js';
import { Resolution, replicaActorId, type LeaderMove } from '../messages.js';
import { assign } from './assignments.js';
import { isrOf } from './isr.js';
import { persist } from './persistence.js';
import { isSpuOnline, partitionKey, type PartitionState, type ScModel } from './sc-state.js';

export function preferredLeader(p: PartitionState): number {
  return p.preferred ?? p.replicas[0]!;
}

/** Worth asking the leader about: not on its preferred replica, which looks in sync. */
function imbalanced(m: ScModel, p: PartitionState): boolean {
  const pref = preferredLeader(p);
  if (p.leader === pref || p.resolution !== Resolution.Online || !isSpuOnline(m, pref) || !p.replicas.includes(pref)) return false;
  return isrOf(p).includes(pref);
}

/** Safe to move now, by the leader's fresh report. */
function safeToMove(m: ScModel, p: PartitionState): boolean {
  const r = p.reports[p.leader];
  return imbalanced(m, p) && r !== undefined && r.leader && r.epoch === p.epoch && (r.caughtUp ?? []).includes(preferredLeader(p));
}

function move(ctx: Context, m: ScModel, p: PartitionState): LeaderMove {
  const from = p.leader;
  const to = preferredLeader(p);
  p.leader = to;
  p.epoch += 1;
  p.replicas = [to, ...p.replicas.filter((id) => id !== to)];
  const spec = m.topics.get(p.topic);
  if (spec) assign(ctx, m, p, spec);
  ctx.log.info({ topic: p.topic, partition: p.partition, from, to, epoch: p.epoch }, 'leadership back to the preferred replica');
  return { topic: p.topic, partition: p.partition, from, to, epoch: p.epoch };
}

/**
 * One balance round: ask the leaders of imbalanced partitions for fresh reports, then move the
 * partitions where it is safe. `done` gets the moves (none when a round is already in flight).
 */
export function balanceLeaders(ctx: Context, m: ScModel, done: (moves: LeaderMove[]) => void = () => {}): void {
  if (m.balancing) return done([]);
  const candidates = [...m.partitions.values()].filter((p) => imbalanced(m, p));
  if (candidates.length === 0) return done([]);
  m.balancing = true;
  m.sync.start(ctx, candidates.map((p) => replicaActorId(p.topic, p.partition, p.leader)), () => {
    m.balancing = false;
    const moves = candidates.filter((p) => m.partitions.get(partitionKey(p.topic, p.partition)) === p && safeToMove(m, p)).map((p) => move(ctx, m, p));
    if (moves.length > 0) persist(ctx, m);
    done(moves);
  });
}
