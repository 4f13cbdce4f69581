/**
 * Known open bugs in the actors that the simulator found, and the evidence that explains a
 * violation by one of them (the ledger's record of what the SC knew and which replicas led).
 * A seed whose every violation is explained this way fails as `known: <bug>` — still a failure,
 * reported with its replay command, but not a new one; CI's fixed seeds may fail only so. Any
 * violation without such evidence is a new failure.
 *
 * The evidence is specific: an acknowledgement or a served batch is "unsafe" only when a replica
 * the SC could elect at that instant lacked it (ledger.ts) — a correct protocol never does that —
 * and a record counts as lost to an unclean return only when a power loss cut it from a replica
 * that the SC then let lead again. Remove an entry once its bug is fixed: its evidence never
 * shows up again, and seeds that failed by it pass.
 */
import type { Violation } from './checkers.js';
import type { ElectionWatch } from './elections.js';
import type { Ledger } from './ledger.js';

export const KNOWN_BUGS = {
  /**
   * A leader drops followers from its in-sync set on its own (actors/replica/leader-state.ts tick:
   * not caught up for replicaLagMs) and moves HW and answers acks=all by that set at once; the SC
   * learns the new set only from later reports, and elects from the set it last heard of. So:
   * (1) a leader cut off from the SC (partition, pause) but reachable by clients keeps
   * acknowledging after the SC made another replica leader — its records are truncated when it
   * hears of the new epoch (zombie leader); (2) a leader that dropped a follower acknowledges what
   * the follower lacks, the report of the smaller set is lost or late, and the SC elects that
   * follower. Consumers read such records too (HW moved). Kafka makes the controller approve every
   * in-sync set change (AlterPartition, fenced by leader epoch) before HW uses it.
   */
  'leader-local-isr': 'acks=all acknowledged (or served to read_committed) while a replica the SC could elect lacked the record',
  /**
   * A replica whose log lost its unsynced tail to a power loss (fsync 'never') returns at the same
   * epoch as leader when no other in-sync replica is available to the SC (or is elected while
   * still catching up, having stayed in the leader's in-sync set across its restart); followers
   * that hold the committed records are then told to truncate to its shorter log, and HW goes
   * back within an epoch. Kafka fences a restarted broker (new broker epoch, KIP-903) and tracks
   * unclean shutdowns (KIP-966) so such a replica cannot lead before catching up.
   */
  'unclean-leader-return': 'a replica that lost committed records to a power loss led again and the others truncated to it',
  /**
   * The SC elects among the in-sync replicas named by the newest report of the partition's
   * current leader, and among all replicas when that report names none (actors/sc/election.ts:
   * `leaderReport?.inSync ?? p.replicas`). Right after an election the new leader's newest report
   * at the SC is a follower's (no in-sync set) until its first leader report arrives — never, if
   * it died before sending one — so a second election in that window may pick any replica, one
   * that never caught up included, and the committed records it lacks are lost. Kafka keeps the
   * in-sync set in the controller's state and shrinks it on election ({new leader} ∪ the old set's
   * live members); it never falls back to all replicas.
   */
  'isr-fallback-election': 'the SC elected a replica lacking acknowledged records, judging in-sync by all replicas (no leader report yet)',
} as const;
export type KnownBug = keyof typeof KNOWN_BUGS;

/**
 * Checkers whose violations these bugs cause: a record lost or changed after it was promised, and
 * replicas left diverged at the same epoch (a leader back with a shorter log never makes the
 * followers that hold the old records truncate them).
 */
const EXPLAINABLE = new Set(['acked-readable', 'exactly-once', 'consumed-committed', 'hw-monotonic', 'converged', 'workload']);

/** The known bug that explains `v`, if the ledger (or the election watch) holds the evidence. */
export function explain(v: Violation, ledger: Ledger, elections?: ElectionWatch): KnownBug | undefined {
  if (v.tp === undefined || v.offset === undefined || !EXPLAINABLE.has(v.checker)) return undefined;
  const offset = v.offset;
  if (elections?.unclean.some((e) => e.tp === v.tp && e.from <= offset && offset <= e.to)) return 'isr-fallback-election';
  if (ledger.unsafeAt(v.tp, v.offset).some((u) => ledger.leaderLocal(u))) return 'leader-local-isr';
  for (const c of ledger.cuts) {
    if (`${c.topic}/${c.partition}` !== v.tp || v.offset < c.to || v.offset >= c.from) continue;
    const leaders = ledger.leaders.get(v.tp) ?? [];
    // The SC's leader from the cut replica's return (c.until) on: did the cut replica lead again?
    const atReturn = leaders.filter((l) => l.at <= c.until).pop();
    if (atReturn?.spu === c.spu || leaders.some((l) => l.at > c.until && l.spu === c.spu)) return 'unclean-leader-return';
  }
  return undefined;
}

/** The known bug every violation is explained by (the first, if several), or undefined. */
export function explainAll(vs: Violation[], ledger: Ledger, elections?: ElectionWatch): KnownBug | undefined {
  let bug: KnownBug | undefined;
  for (const v of vs) {
    const b = explain(v, ledger, elections);
    if (!b) return undefined;
    bug ??= b;
  }
  return bug;
}
