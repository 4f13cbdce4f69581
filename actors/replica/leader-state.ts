/**
 * What a partition leader knows about its followers (DESIGN §5): each follower's LEO (the offset
 * of its last fetch), when it was last caught up, the in-sync set (LRS/ISR), and the HW = min LEO
 * over the in-sync set. Pure: time comes in as arguments.
 *
 * Invariants:
 * - The leader is always in sync; HW never goes backwards while this state lives.
 * - A follower leaves the in-sync set when it has not been caught up (fetched at the leader's LEO)
 *   for `replicaLagMs`, and rejoins once its LEO reaches the HW.
 */
export interface FollowerProgress {
  leo: number;
  caughtUpMs: number;
}

export class LeaderState {
  private readonly followers = new Map<number, FollowerProgress>();
  private readonly inSync = new Set<number>();
  private hwValue: number;

  constructor(
    private readonly self: number,
    followerIds: number[],
    startHw: number,
    nowMs: number,
    private readonly replicaLagMs: number,
  ) {
    this.hwValue = startHw;
    this.inSync.add(self);
    // Followers start out of sync: they join once their fetches show they hold everything to HW.
    for (const id of followerIds) if (id !== self) this.followers.set(id, { leo: 0, caughtUpMs: nowMs });
  }

  get hw(): number {
    return this.hwValue;
  }

  isr(): number[] {
    return [...this.inSync].sort((a, b) => a - b);
  }

  progress(id: number): FollowerProgress | undefined {
    return this.followers.get(id);
  }

  /** A follower fetched at `offset` (its LEO). Returns true when the HW moved. */
  onFetch(id: number, offset: number, leaderLeo: number, nowMs: number): boolean {
    let f = this.followers.get(id);
    if (!f) {
      f = { leo: 0, caughtUpMs: nowMs };
      this.followers.set(id, f);
    }
    f.leo = offset;
    if (offset >= leaderLeo) f.caughtUpMs = nowMs;
    if (!this.inSync.has(id) && offset >= this.hwValue && offset >= leaderLeo) this.inSync.add(id);
    return this.recompute(leaderLeo);
  }

  /** Drop followers that lag too long; the leader's own LEO moved. Returns true when HW moved. */
  tick(leaderLeo: number, nowMs: number): boolean {
    for (const [id, f] of this.followers) {
      if (this.inSync.has(id) && f.leo < leaderLeo && nowMs - f.caughtUpMs > this.replicaLagMs) this.inSync.delete(id);
    }
    return this.recompute(leaderLeo);
  }

  private recompute(leaderLeo: number): boolean {
    let hw = leaderLeo;
    for (const id of this.inSync) if (id !== this.self) hw = Math.min(hw, this.followers.get(id)!.leo);
    if (hw <= this.hwValue) return false;
    this.hwValue = hw;
    return true;
  }
}
