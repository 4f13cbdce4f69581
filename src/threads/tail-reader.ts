/**
 * The thread host's TailReader: reads a replica's log tail in place from the SAB tail ring its
 * worker announced (thread-storage.ts feeds it). Each frame of a tail ring is one stored batch;
 * the ring header publishes the log's BASE/HW/LEO.
 *
 * Invariants:
 * - A batch is returned only when it was fully below the bound (HW or LEO) and, after it was
 *   copied out, `stillValid()` proved the writer had not lapped the reader meanwhile.
 * - The reader follows the replica's current ring: a replaced ring (a follower's truncation) or a
 *   lapped reader starts over from the oldest frame of the current ring; no ring (yet, or since
 *   its SPU was lost) is a 'miss' and the caller fetches.
 */
import type { ActorId } from '../runtime/actor.js';
import type { TailRead, TailReader } from '../runtime/transport.js';
import { spuOf } from '../runtime/actor-ids.js';
import { RingCounter, RingReader, batchBaseOffset, batchLastOffset } from '../storage/index.js';

/** Every replica's current tail ring, as announced by the workers. */
export class TailRings {
  private readonly rings = new Map<ActorId, SharedArrayBuffer>();

  get(replica: ActorId): SharedArrayBuffer | undefined {
    return this.rings.get(replica);
  }

  set(replica: ActorId, sab: SharedArrayBuffer): void {
    this.rings.set(replica, sab);
  }

  /** The host shut down: no ring is fed any more. */
  clear(): void {
    this.rings.clear();
  }

  /** An SPU was lost: its rings are no longer fed. */
  forgetSpu(spuId: number): void {
    for (const replica of [...this.rings.keys()]) if (spuOf(replica) === spuId) this.rings.delete(replica);
  }
}

export class RingTailReader implements TailReader {
  private sab: SharedArrayBuffer | undefined;
  private reader: RingReader | undefined;

  constructor(private readonly rings: TailRings, private readonly replica: ActorId) {}

  read(offset: number, upTo: 'hw' | 'leo'): TailRead {
    const sab = this.rings.get(this.replica);
    if (!sab) return 'miss';
    if (sab !== this.sab || !this.reader || this.reader.lapped) {
      this.sab = sab;
      this.reader = new RingReader(sab, { from: 'oldest' });
    }
    const r = this.reader;
    if (r.closed) return 'closed';
    const bound = r.counter(upTo === 'leo' ? RingCounter.leo : RingCounter.hw);
    for (;;) {
      const pos = r.position;
      const frame = r.next();
      // No frame: if `offset` is committed it is older than everything in this ring (a fresh ring
      // after a restart, or one that wrapped): fetch it. Otherwise wait for new data.
      if (!frame) return r.lapped || offset < bound ? 'miss' : 'idle';
      const base = batchBaseOffset(frame);
      const last = batchLastOffset(frame);
      if (last < offset) continue;
      if (base > offset) {
        r.seek(pos); // `offset` is older than anything in the ring: fetch it
        return 'miss';
      }
      if (last >= bound) {
        r.seek(pos); // stored but not yet committed (HW moves by whole batches)
        return 'pending';
      }
      const copy = frame.slice();
      if (!r.stillValid()) return 'miss';
      return copy;
    }
  }

  bounds(): { base: number; hw: number; leo: number } | undefined {
    const r = this.reader;
    if (!r || r.closed || this.sab !== this.rings.get(this.replica)) return undefined;
    return { base: r.counter(RingCounter.base), hw: r.counter(RingCounter.hw), leo: r.counter(RingCounter.leo) };
  }

  waitForData(timeoutMs: number): Promise<boolean> {
    return this.reader ? this.reader.waitForDataAsync(timeoutMs) : Promise.resolve(false);
  }
}
