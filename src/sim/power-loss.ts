/**
 * Power loss for the sim host: an SPU crash (kill -9) that also loses what its disk had not made
 * durable. The sim's logs live in memory, so this models disk mode's durability on top of them:
 * a journal (a LogWatcher, node-faults.ts) notes when each replica's log grew, and a power loss
 * cuts each of the SPU's logs back to a point the disk could have kept.
 *
 * What survives a power loss of an SPU, per the topic's fsync policy (DESIGN §4):
 * - `fsync: 'always'`: everything appended (an append returns only after its fsync; the sim's
 *   appends are instantaneous, so no write is ever half done). A power loss is then a kill -9.
 * - `fsync: 'never'` (the default): sealed segments (fsynced when rolled) and every write older
 *   than the OS's writeback delay (`writebackMs`, drawn per seed) are durable. Of the later
 *   writes the OS may have written back some, in order: the log is cut at a batch boundary drawn
 *   uniformly between the durable point and the log end. With `tornChance` the write after the cut
 *   was torn — half on disk — which recovery (storage/recovery.ts) finds by its CRC and cuts off,
 *   so it is lost just the same (counted apart, as `torn`).
 * - HW after the loss = min(HW before, surviving LEO) — disk mode's checkpoint may hold less,
 *   which only makes a restarted replica more careful. Truncations made before the loss stay
 *   made; storage-full state and SC metadata are not touched (the SC never loses power here).
 *
 * What this promises about acknowledged (acks=all) data: under 'always' it survives any power
 * loss; under 'never' it survives as long as some in-sync replica that holds it keeps it — a power
 * loss of one SPU while the others stay up must lose no acknowledged record.
 */
import type { ActorId } from '../runtime/actor.js';
import type { PartitionLog } from '../storage/index.js';
import { batchLastOffset } from '../storage/batch-layout.js';
import type { LogWatcher } from './node-faults.js';
import type { SeededRandom } from './prng.js';

export interface PowerLossConfig {
  /** Writes older than this are on disk even without fsync (the OS's writeback). */
  writebackMs: number;
  /** Chance that the write after the cut was torn (half written). */
  tornChance: number;
}

interface Watched {
  spuId: number;
  topic: string;
  partition: number;
  log: PartitionLog;
  /** End of the writes known to be on disk (written back, or there before the journal). */
  syncedEnd: number;
  /** Later writes: the LEO after each, with its time. */
  writes: { end: number; at: number }[];
  lastLeo: number;
}

/** What one power loss did to one log. */
export interface LogLoss {
  topic: string;
  partition: number;
  from: number;
  to: number;
  torn: boolean;
}

export class WriteJournal implements LogWatcher {
  private readonly byKey = new Map<string, Watched>();
  private readonly byActor = new Map<ActorId, Watched>();

  constructor(
    private readonly now: () => number,
    private readonly cfg: PowerLossConfig,
  ) {}

  opened(id: ActorId, spuId: number, topic: string, partition: number, log: PartitionLog): void {
    const key = `${spuId}/${topic}/${partition}`;
    let w = this.byKey.get(key);
    if (!w || w.log !== log) {
      w = { spuId, topic, partition, log, syncedEnd: log.leo, writes: [], lastLeo: log.leo };
      this.byKey.set(key, w);
    }
    this.byActor.set(id, w);
  }

  touched(id: ActorId): void {
    const w = this.byActor.get(id);
    if (!w || w.log.leo === w.lastLeo) return;
    const leo = w.log.leo;
    if (leo > w.lastLeo) w.writes.push({ end: leo, at: this.now() });
    else this.truncated(w, leo);
    w.lastLeo = leo;
    this.settle(w);
  }

  /** Writes older than the writeback delay are on disk: fold them into syncedEnd. */
  private settle(w: Watched): void {
    const old = this.now() - this.cfg.writebackMs;
    let n = 0;
    while (n < w.writes.length && w.writes[n]!.at <= old) w.syncedEnd = Math.max(w.syncedEnd, w.writes[n++]!.end);
    if (n > 0) w.writes.splice(0, n);
  }

  private truncated(w: Watched, leo: number): void {
    w.writes = w.writes.filter((x) => x.end <= leo);
    w.syncedEnd = Math.min(w.syncedEnd, leo);
  }

  /** The offset below which `w`'s log is durable now. */
  private durableEnd(w: Watched): number {
    const log = w.log;
    if (log.config.fsync === 'always') return log.leo;
    this.settle(w);
    const segs = log.segments();
    const activeBase = segs[segs.length - 1]!.baseOffset; // rolled segments were fsynced
    return Math.min(log.leo, Math.max(w.syncedEnd, activeBase, log.base));
  }

  /** LEO of `spuId`'s log of topic/partition (-1: never opened). */
  leoOf(spuId: number, topic: string, partition: number): number {
    return this.byKey.get(`${spuId}/${topic}/${partition}`)?.log.leo ?? -1;
  }

  /** Topic/partition of every log `spuId` has opened. */
  logsOf(spuId: number): { topic: string; partition: number; fsync: string }[] {
    return [...this.byKey.values()].filter((w) => w.spuId === spuId).map((w) => ({ topic: w.topic, partition: w.partition, fsync: w.log.config.fsync }));
  }

  /**
   * Apply a power loss to every log of `spuId` (its actors must already be gone): cut each back
   * to a point the disk could have kept. Returns what was cut.
   */
  powerLoss(spuId: number, prng: SeededRandom): LogLoss[] {
    const out: LogLoss[] = [];
    for (const w of this.byKey.values()) {
      if (w.spuId !== spuId) continue;
      const log = w.log;
      const durable = this.durableEnd(w);
      if (durable >= log.leo) continue;
      // Batch boundaries past the durable point: where the OS's writeback may have stopped.
      const cuts = [durable];
      for (const b of log.read(durable, { maxOffset: log.leo, maxBytes: 1 << 30 }).batches) cuts.push(batchLastOffset(b) + 1);
      const cut = cuts[prng.int(0, cuts.length - 1)]!;
      if (cut >= log.leo) continue;
      const torn = prng.chance(this.cfg.tornChance);
      out.push({ topic: w.topic, partition: w.partition, from: log.leo, to: cut, torn });
      log.truncateTo(cut);
      this.truncated(w, cut);
      w.lastLeo = log.leo;
    }
    return out;
  }
}
