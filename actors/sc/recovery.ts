/**
 * Unclean restarts and recovery elections (Kafka's KIP-966, "balanced" unclean recovery).
 *
 * An SPU that registers with a new incarnation restarted (crash, kill -9, power loss). For topics
 * whose fsync policy is not 'always', its logs may have lost writes they had acknowledged (the
 * unsynced tail), so its replicas are marked unclean: they leave the in-sync set and the eligible
 * leaders, and rejoin only by catching up (isr.ts clears the mark). If the restarted SPU was the
 * partition's leader, the leader is *fenced*: its assignment names no leader (-1) — it must not
 * serve, nor make followers that hold the committed records truncate to its shorter log.
 *
 * Who leads a fenced partition (electLeaderless → election.ts, then here):
 * 1. an online clean in-sync replica, else an online eligible leader (election.ts candidateFor);
 * 2. if a clean in-sync or eligible replica exists but is offline: nobody yet — wait for it (no
 *    unclean election: Kafka's default);
 * 3. if every in-sync and eligible replica restarted uncleanly: once every replica is online and
 *    has reported since its restart, the one with the newest log (last epoch, then LEO) leads, at
 *    the next epoch (even when it is the fenced leader itself: every replica then sees a new
 *    epoch, so one that missed the assignment is found by reconciliation — assignments.ts).
 *
 * Invariant: a replica marked unclean never leads before a recovery election chose it.
 */
import type { Context } from '../../src/runtime/actor.js';
import { DEFAULT_LOG_CONFIG } from '../../src/storage/log-config.js';
import { Resolution } from '../messages.js';
import { assign } from './assignments.js';
import { isrOf, isUnclean, sendIsr, setIsr } from './isr.js';
import { persist } from './persistence.js';
import { setResolution } from './resolution.js';
import { isSpuOnline, type PartitionState, type ScModel } from './sc-state.js';

/** `spuId` registered with a new incarnation: mark its replicas of non-'always' topics unclean. */
export function onSpuRestart(ctx: Context, m: ScModel, spuId: number): void {
  let changed = false;
  for (const p of m.partitions.values()) {
    const spec = m.topics.get(p.topic);
    if (!spec || !p.replicas.includes(spuId) || (spec.config.fsync ?? DEFAULT_LOG_CONFIG.fsync) === 'always') continue;
    p.unclean = [...(p.unclean ?? []).filter((u) => u.spu !== spuId), { spu: spuId, before: p.reports[spuId]?.incarnation ?? -1 }];
    p.elr = (p.elr ?? []).filter((id) => id !== spuId);
    if (p.leader === spuId) {
      ctx.log.warn({ topic: p.topic, partition: p.partition, spu: spuId }, 'leader restarted uncleanly: fenced until an election');
      if (p.resolution === Resolution.Online || p.resolution === Resolution.ElectionLeaderFound) setResolution(ctx, m, p, Resolution.LeaderOffline, 'spu-lost');
    } else if (isrOf(p).includes(spuId)) {
      setIsr(m, p, isrOf(p).filter((id) => id !== spuId));
      sendIsr(ctx, m, p);
    }
    changed = true;
  }
  if (changed) persist(ctx, m);
}

/** Every replica online, with a report newer than its restart (its log as it is now). */
function allReported(m: ScModel, p: PartitionState): boolean {
  return p.replicas.every((id) => {
    const r = p.reports[id];
    const u = p.unclean?.find((x) => x.spu === id);
    return isSpuOnline(m, id) && r !== undefined && (!u || r.incarnation > u.before);
  });
}

/** Step 3 above, for a fenced partition that election.ts found no candidate for. */
export function recover(ctx: Context, m: ScModel, p: PartitionState): void {
  const spec = m.topics.get(p.topic);
  if (!spec || !isUnclean(p, p.leader)) return;
  if ([...isrOf(p), ...(p.elr ?? [])].some((id) => !isUnclean(p, id))) return; // a clean one may return
  if (!allReported(m, p)) return;
  const newest = (id: number) => [p.reports[id]!.lastEpoch ?? -1, p.reports[id]!.leo] as const;
  const chosen = [...p.replicas].sort((a, b) => newest(b)[0] - newest(a)[0] || newest(b)[1] - newest(a)[1] || a - b)[0]!;
  ctx.log.warn({ topic: p.topic, partition: p.partition, chosen, leo: newest(chosen)[1] }, 'recovery election: every in-sync replica restarted uncleanly; the newest log leads');
  p.unclean = (p.unclean ?? []).filter((u) => u.spu !== chosen);
  // OutOfSpace is sticky (its leader's report decides, reports.ts): with the same leader it stays,
  // no false Online; leadership moving to another replica goes through an election (as spuLost).
  if (p.resolution !== Resolution.OutOfSpace || chosen !== p.leader) {
    if (p.resolution !== Resolution.LeaderOffline) setResolution(ctx, m, p, Resolution.LeaderOffline, 'spu-lost');
    if (!setResolution(ctx, m, p, Resolution.ElectionLeaderFound, 'election')) return;
  }
  p.leader = chosen;
  p.epoch += 1;
  p.replicas = [chosen, ...p.replicas.filter((id) => id !== chosen)];
  setIsr(m, p, [chosen]);
  assign(ctx, m, p, spec);
  persist(ctx, m);
}
