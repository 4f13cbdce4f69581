/**
 * Leader epoch cache: (epoch, startOffset) for each leader epoch seen in the log, as Kafka's
 * LeaderEpochFileCache, for OffsetsForLeaderEpoch (follower truncation after a leader change).
 *
 * Invariants:
 * - Entries strictly increase in epoch and in startOffset; startOffset is the base offset of the
 *   first batch of that epoch in the log.
 * - A batch whose epoch is not above the latest entry's adds nothing (epochs in a log never go
 *   down; an out-of-order epoch is ignored as Kafka does).
 * - After retention, the first entry's startOffset is clamped up to BASE; after truncation,
 *   entries starting at or past the new LEO are gone. Recovery rebuilds the cache by scanning.
 * - At most MAX_EPOCH_ENTRIES entries (asserted): one per leader change still in the log.
 */
import { assert } from './errors.js';

export const MAX_EPOCH_ENTRIES = 1_000_000;

export interface EpochEntry {
  epoch: number;
  startOffset: number;
}

export class EpochCache {
  private list: EpochEntry[] = [];

  /** The newest entry (no copy), undefined when empty. */
  get latest(): Readonly<EpochEntry> | undefined {
    return this.list[this.list.length - 1];
  }

  get latestEpoch(): number {
    return this.list.length === 0 ? -1 : this.list[this.list.length - 1]!.epoch;
  }

  /** A batch of leader epoch `epoch` was appended at `baseOffset`. */
  onBatch(epoch: number, baseOffset: number): void {
    const last = this.list[this.list.length - 1];
    if (last !== undefined && epoch <= last.epoch) return;
    assert(last === undefined || baseOffset > last.startOffset, `epoch ${epoch} starts at ${baseOffset}, not after ${last?.startOffset}`);
    assert(this.list.length < MAX_EPOCH_ENTRIES, 'too many leader epochs in one log');
    this.list.push({ epoch, startOffset: baseOffset });
  }

  /** The log was truncated to `leo`: forget epochs starting at or after it. */
  truncateFromEnd(leo: number): void {
    while (this.list.length > 0 && this.list[this.list.length - 1]!.startOffset >= leo) this.list.pop();
  }

  /** Retention moved BASE to `base`: drop epochs wholly below it, clamp the first one. */
  truncateFromStart(base: number): void {
    let drop = 0;
    while (drop + 1 < this.list.length && this.list[drop + 1]!.startOffset <= base) drop++;
    if (drop > 0) this.list.splice(0, drop);
    const first = this.list[0];
    if (first !== undefined && first.startOffset < base) this.list[0] = { epoch: first.epoch, startOffset: base };
  }

  /**
   * End offset (exclusive) of epoch ≤ `epoch`: the start offset of the first epoch above it, or
   * `leo` when there is none (the requested epoch is the latest, or newer than any in the log).
   */
  endOffsetFor(epoch: number, leo: number): number {
    for (const e of this.list) if (e.epoch > epoch) return e.startOffset;
    return leo;
  }

  /** Whether a batch of leader epoch `epoch` is (or was, before retention) in the log. */
  holds(epoch: number): boolean {
    return this.list.some((e) => e.epoch === epoch);
  }

  entries(): EpochEntry[] {
    return this.list.map((e) => ({ ...e }));
  }

  clear(): void {
    this.list = [];
  }
}
