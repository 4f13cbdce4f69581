/**
 * The thread host's TailReader: reads a replica's log tail in place from the SAB tail ring its
 * worker announced (thread-storage.ts feeds it). Each frame of a tail ring is one stored batch;
 * the ring header publishes the log's BASE/HW/LEO.
 *
 * Invariants:
 * - A batch is returned only when it was fully below the bound (HW or LEO) and, after it was
 *   copied out, `stillValid()` proved the writer had not lapped the reader meanwhile.
 * - The reader follows the replica's current ring (storage/ring-grow.ts followRing): a grown ring
 *   is read to its end, then the reader continues in its successor — the ring announced after it
 *   (TailRings remembers that weakly) — and bounds come from the newest ring (a grown ring's
 *   counters are frozen); a replaced ring (a follower's truncation) or a
 *   lapped reader starts over from the oldest frame of the current ring; no ring (yet, or since
 *   its SPU was lost), or a grown ring drained before its successor was announced, is a 'miss'
 *   and the caller fetches.
 */
import type { ActorId } from '../runtime/actor.js';
import type { TailRead, TailReader } from '../runtime/transport.js';
import { spuOf } from '../runtime/actor-ids.js';
import { RingCounter, RingReader, batchBaseOffset, batchLastOffset, continueReader, followRing } from '../storage/index.js';

/** Rings one read may go through (grown rings read to their end, then their successors). */
const MAX_RING_HOPS = 8;

/** Every replica's current tail ring, as announced by the workers. */
export class TailRings {
  private readonly rings = new Map<ActorId, SharedArrayBuffer>();
  /** Ring → the ring announced after it for the same replica (weak: gone with the older ring). */
  private readonly successors = new WeakMap<SharedArrayBuffer, SharedArrayBuffer>();

  get(replica: ActorId): SharedArrayBuffer | undefined {
    return this.rings.get(replica);
  }

  set(replica: ActorId, sab: SharedArrayBuffer): void {
    const previous = this.rings.get(replica);
    if (previous !== undefined && previous !== sab) this.successors.set(previous, sab);
    this.rings.set(replica, sab);
  }

  /** The ring announced right after `sab` (a reader finishing a grown ring continues there). */
  successor(sab: SharedArrayBuffer): SharedArrayBuffer | undefined {
    return this.successors.get(sab);
  }

  /** How many rings are held and their bytes (memory reports). */
  footprint(): { rings: number; bytes: number } {
    let bytes = 0;
    for (const sab of this.rings.values()) bytes += sab.byteLength;
    return { rings: this.rings.size, bytes };
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
  /** Reads frames: the newest ring, or an older grown one it is finishing. */
  private reader: RingReader | undefined;
  /** On the newest announced ring: its counters are the live bounds. */
  private newest: RingReader | undefined;
  /** On the ring announced after the one `reader` is on (while it is not the newest). */
  private next: RingReader | undefined;
  /** The newest ring this reader marked as read in place. */
  private marked: RingReader | undefined;

  constructor(private readonly rings: TailRings, private readonly replica: ActorId) {}

  /** Moves to the ring to read from now; false when there is none. */
  private follow(): boolean {
    const sab = this.rings.get(this.replica);
    if (!sab) return false;
    if (this.newest?.sab !== sab) this.newest = new RingReader(sab, { from: 'oldest' });
    const r = this.reader;
    if (r === undefined) {
      this.reader = new RingReader(sab, { from: 'oldest' });
      return true;
    }
    if (r.sab === sab && !r.lapped) return true;
    const nextSab = this.rings.successor(r.sab) ?? sab;
    if (this.next?.sab !== nextSab) this.next = nextSab === sab ? this.newest : new RingReader(nextSab, { from: 'oldest' });
    const step = followRing(r, this.next);
    if (step === 'continue') this.reader = continueReader(r, this.next);
    else if (step === 'restart') this.reader = new RingReader(sab, { from: 'oldest' });
    return true;
  }

  read(offset: number, upTo: 'hw' | 'leo'): TailRead {
    // At most: finish a grown ring, then continue in its successor.
    for (let hop = 0; hop < MAX_RING_HOPS; hop++) {
      if (!this.follow()) return 'miss';
      if (this.marked !== this.newest) {
        this.newest!.markRead(); // the writer may grow this ring now (ring-grow.ts growWhenRead)
        this.marked = this.newest;
      }
      const r = this.reader!;
      if (r.closed) return r.state === 'continued' ? 'miss' : 'closed'; // successor not announced yet: fetch
      const got = this.readFrom(r, offset, this.newest!.counter(upTo === 'leo' ? RingCounter.leo : RingCounter.hw));
      if (got !== 'drained') return got;
    }
    return 'miss';
  }

  /** The batch holding `offset` in ring r, or 'drained': r is a grown ring read to its end. */
  private readFrom(r: RingReader, offset: number, bound: number): TailRead | 'drained' {
    for (;;) {
      const pos = r.position;
      const frame = r.next();
      if (!frame) {
        if (!r.lapped && r.state === 'continued' && r.closed) return 'drained';
        // If `offset` is committed it is older than everything in this ring (a fresh ring after a
        // restart, or one that wrapped): fetch it. Otherwise wait for new data.
        return r.lapped || offset < bound ? 'miss' : 'idle';
      }
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

  /** BASE/HW/LEO from the newest ring (a grown ring's counters are frozen); none without a live ring. */
  bounds(): { base: number; hw: number; leo: number } | undefined {
    if (!this.follow()) return undefined;
    const n = this.newest!;
    if (n.closed) return undefined;
    return { base: n.counter(RingCounter.base), hw: n.counter(RingCounter.hw), leo: n.counter(RingCounter.leo) };
  }

  waitForData(timeoutMs: number): Promise<boolean> {
    return this.reader ? this.reader.waitForDataAsync(timeoutMs) : Promise.resolve(false);
  }
}
