/**
 * What a partition leader knows about its followers (DESIGN §5): each follower's LEO (the offset
 * of its last fetch), when it was last caught up, and the in-sync set (LRS/ISR) that the HW is
 * computed over: HW = min LEO over it. Pure: time comes in as arguments.
 *
 * The in-sync set belongs to the SC (actors/sc/isr.ts), as Kafka's controller approves every ISR
 * change (AlterPartition): the leader *proposes* a new set — without followers not caught up for
 * `replicaLagMs`, with followers that caught up — and uses it only as the SC confirms it. So the
 * set the SC elects from is always contained in the set the HW waits for, and every replica the
 * SC may make leader holds every committed record (no leader-local shrink, no zombie commits).
 *
 * Invariants:
 * - The leader is always in sync; HW never goes backwards while this state lives.
 * - The HW set is confirmed ∪ every follower proposed for addition since the last confirmation:
 *   an addition counts at once (more cautious), a removal only once confirmed — whichever of the
 *   outstanding proposals the SC applies, its set stays within the HW set.
 * - At most one proposal is outstanding; it is sent again after `resendMs` without an answer.
 * - With the SC's set smaller than `minInSync` (the topic's minInSyncReplicas) the HW stays where it
 *   is: replicas that left the set then hold every committed record (the SC's eligible leaders).
 * - A follower's progress is unknown until its first fetch to this leader: it is never proposed
 *   for addition nor counted as caught up before that (an empty leader log does not make a
 *   follower that never fetched — paused, partitioned — "caught up").
 */
export interface FollowerProgress {
  /** The offset of its last fetch (0 until it fetched: unknown progress). */
  leo: number;
  caughtUpMs: number;
  /** Whether it fetched from this leader yet: until then its LEO is unknown, not 0. */
  fetched: boolean;
}

export const ISR_PROPOSAL = { resendMs: 1_000 } as const;

const sorted = (ids: Iterable<number>) => [...new Set(ids)].sort((a, b) => a - b);

export class LeaderState {
  private readonly followers = new Map<number, FollowerProgress>();
  private confirmed: Set<number>;
  /** Followers proposed for addition since the last confirmation. */
  private readonly adding = new Set<number>();
  private proposed: { isr: number[]; sentMs: number } | null = null;
  private hwValue: number;

  constructor(
    private readonly self: number,
    followerIds: number[],
    /** The SC's in-sync set (from the assignment). */
    isr: number[],
    startHw: number,
    nowMs: number,
    private readonly replicaLagMs: number,
    private readonly minInSync = 1,
  ) {
    this.hwValue = startHw;
    this.confirmed = new Set([self, ...isr]);
    // Followers' LEOs are unknown until they fetch: in-sync ones hold the HW back until then.
    for (const id of followerIds) if (id !== self) this.followers.set(id, { leo: 0, caughtUpMs: nowMs, fetched: false });
  }

  get hw(): number {
    return this.hwValue;
  }

  /** Whether the SC's set has at least minInSyncReplicas members (acks=all may be taken). */
  enoughInSync(): boolean {
    return this.confirmed.size >= this.minInSync;
  }

  /** The set the HW waits for: confirmed ∪ proposed additions. */
  isr(): number[] {
    return sorted([...this.confirmed, ...this.adding]);
  }

  progress(id: number): FollowerProgress | undefined {
    return this.followers.get(id);
  }

  /** In-sync followers caught up (at the leader's LEO) within the last `withinMs`. */
  caughtUp(nowMs: number, withinMs: number): number[] {
    return [...this.followers].filter(([id, f]) => this.confirmed.has(id) && f.fetched && nowMs - f.caughtUpMs <= withinMs).map(([id]) => id).sort((a, b) => a - b);
  }

  /** A follower fetched at `offset` (its LEO). Returns true when the HW moved. */
  onFetch(id: number, offset: number, leaderLeo: number, nowMs: number): boolean {
    let f = this.followers.get(id);
    if (!f) {
      f = { leo: 0, caughtUpMs: nowMs, fetched: true };
      this.followers.set(id, f);
    }
    f.leo = offset;
    f.fetched = true;
    if (offset >= leaderLeo) f.caughtUpMs = nowMs;
    return this.recompute(leaderLeo);
  }

  /** The leader's own LEO moved (or time passed). Returns true when the HW moved. */
  tick(leaderLeo: number): boolean {
    return this.recompute(leaderLeo);
  }

  /** The SC confirmed (or set) the in-sync set. Returns true when the HW moved. */
  confirm(isr: number[], leaderLeo: number): boolean {
    this.confirmed = new Set([this.self, ...isr]);
    this.adding.clear();
    this.proposed = null;
    return this.recompute(leaderLeo);
  }

  /**
   * The set to propose to the SC now, if it differs from the confirmed one and no proposal of it
   * is outstanding (or the last one went unanswered for `resendMs`): laggards out, followers
   * caught up with the leader and the HW in.
   */
  proposal(leaderLeo: number, nowMs: number): number[] | null {
    const want = new Set(this.confirmed);
    for (const [id, f] of this.followers) {
      if (want.has(id) && f.leo < leaderLeo && nowMs - f.caughtUpMs > this.replicaLagMs) want.delete(id);
      else if (!want.has(id) && f.fetched && f.leo >= this.hwValue && f.leo >= leaderLeo) want.add(id);
    }
    const isr = sorted(want);
    if (isr.join() === sorted(this.confirmed).join()) return null;
    if (this.proposed && this.proposed.isr.join() === isr.join() && nowMs - this.proposed.sentMs < ISR_PROPOSAL.resendMs) return null;
    this.proposed = { isr, sentMs: nowMs };
    for (const id of isr) if (!this.confirmed.has(id)) this.adding.add(id);
    return isr;
  }

  private recompute(leaderLeo: number): boolean {
    if (!this.enoughInSync()) return false;
    let hw = leaderLeo;
    for (const id of this.isr()) if (id !== this.self) hw = Math.min(hw, this.followers.get(id)?.leo ?? 0);
    if (hw <= this.hwValue) return false;
    this.hwValue = hw;
    return true;
  }
}
