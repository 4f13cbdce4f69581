/**
 * Known open bugs in the actors that the simulator found, and the evidence that explains a
 * violation by one of them (the ledger's record of power-loss cuts and of whom the SC made
 * leader). A seed whose every violation is explained this way fails as `known: <bug>` — still a
 * failure, reported with its replay command, but not a new one; CI's fixed seeds may fail only so.
 * Any violation without such evidence is a new failure.
 *
 * Remove an entry once its bug is fixed: its evidence stops showing up and the seeds that failed
 * by it pass. Fixed so far: leader-local-isr (a leader shrank its in-sync set on its own, so a
 * deposed or partitioned leader committed what the SC's candidates lacked) and
 * isr-fallback-election (the SC elected among all replicas when the current leader's newest report
 * named no in-sync set), both by the SC-owned in-sync set (c624e55).
 */
import type { Violation } from './checkers.js';
import type { Ledger } from './ledger.js';

export const KNOWN_BUGS = {
  /**
   * A replica whose log lost its unsynced tail to a power loss (fsync 'never') returns at the same
   * epoch as leader when no other in-sync replica is available to the SC (the others partitioned
   * or down); followers that hold the committed records are then told to truncate to its shorter
   * log (or keep diverged records at the same epoch), and HW goes back within an epoch. Kafka
   * tracks unclean shutdowns (KIP-966) so such a replica cannot lead before it has caught up.
   */
  'unclean-leader-return': 'a replica that lost committed records to a power loss led again and the others truncated to it',
} as const;
export type KnownBug = keyof typeof KNOWN_BUGS;

/**
 * Checkers whose violations this bug causes: a record lost or changed after it was promised, and
 * replicas left diverged at the same epoch (a leader back with a shorter log never makes the
 * followers that hold the old records truncate them).
 */
const EXPLAINABLE = new Set(['acked-readable', 'exactly-once', 'consumed-committed', 'hw-monotonic', 'converged', 'workload']);

/** The known bug that explains `v`, if the ledger holds the evidence. */
export function explain(v: Violation, ledger: Ledger): KnownBug | undefined {
  if (v.tp === undefined || v.offset === undefined || !EXPLAINABLE.has(v.checker)) return undefined;
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
export function explainAll(vs: Violation[], ledger: Ledger): KnownBug | undefined {
  let bug: KnownBug | undefined;
  for (const v of vs) {
    const b = explain(v, ledger);
    if (!b) return undefined;
    bug ??= b;
  }
  return bug;
}
