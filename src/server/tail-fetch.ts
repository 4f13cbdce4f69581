/**
 * The listener's Fetch served from the leader replica's tail ring (the host's TailReader, as the
 * embedded consumer reads it) instead of a round trip to the SPU worker: the batches are copied
 * once out of shared memory and written to the socket as they are.
 *
 * One TailSession per client connection keeps a reader per replica, so a client reading on
 * sequentially finds its next batch where the last one ended. Whatever the tail cannot answer
 * exactly as the worker would goes to the worker: no tail (sim, remote hosts), an offset the ring
 * no longer (or not yet) holds, an offset outside [BASE, LEO] (the worker's OFFSET_OUT_OF_RANGE),
 * data stored but not yet committed (the worker's long poll wakes when the HW moves), a closed ring.
 *
 * Invariants (the same as the worker's reply, tested against it):
 * - the first batch holds `offset`; batches follow in order, all below the bound (HW for
 *   read_committed, LEO for read_uncommitted), within maxBytes except that the first is whole;
 * - hw/leo/base are the log's published counters read after the batches (never below them);
 * - a batch read but left out by maxBytes is kept for the next fetch of that offset (the reader
 *   has moved past it), only for read_committed (committed bytes never change).
 */
import type { FetchReply, Isolation } from '../../actors/messages.js';
import type { HostTransport, TailRead, TailReader } from '../runtime/transport.js';
import { batchBaseOffset, batchLastOffset } from '../storage/batch-layout.js';

interface Tail {
  reader: TailReader;
  /** Offset after the last batch this reader returned (a lower offset needs a fresh reader). */
  next: number;
  /** A committed batch read but not sent (maxBytes). */
  carry: Uint8Array | undefined;
}

export interface TailFetchArgs {
  offset: number;
  isolation: Isolation;
  maxBytes: number;
}

/** What a tail read found: the reply, or why the worker must answer ('miss'), or why to wait. */
export type TailFetch = FetchReply | 'miss' | 'idle';

/** Per client connection: tail readers by replica. */
export class TailSession {
  private readonly tails = new Map<string, Tail | null>();

  constructor(private readonly t: HostTransport) {}

  private tailOf(replica: string, offset: number): Tail | undefined {
    let tail = this.tails.get(replica);
    if (tail === undefined || (tail !== null && offset < tail.next)) {
      const reader = this.t.tailReader(replica);
      tail = reader?.bounds ? { reader, next: -1, carry: tail?.carry } : null;
      this.tails.set(replica, tail);
    }
    return tail ?? undefined;
  }

  /** Batches from `args.offset` on, read from the tail, or 'miss' / 'idle' (nothing new yet). */
  read(replica: string, args: TailFetchArgs): TailFetch {
    const tail = this.tailOf(replica, args.offset);
    if (!tail) return 'miss';
    const committed = args.isolation === 'read_committed';
    const upTo = committed ? 'hw' : 'leo';
    const batches: Uint8Array[] = [];
    let bytes = 0;
    let offset = args.offset;
    let end: TailRead = 'idle';
    for (;;) {
      let b: TailRead;
      const carry = tail.carry;
      if (carry && committed && batchBaseOffset(carry) <= offset && offset <= batchLastOffset(carry)) b = carry;
      else b = tail.reader.read(offset, upTo);
      tail.carry = undefined;
      if (typeof b === 'string') {
        end = b;
        break;
      }
      if (batches.length > 0 && bytes + b.byteLength > args.maxBytes) {
        if (committed) tail.carry = b;
        break;
      }
      batches.push(b);
      bytes += b.byteLength;
      offset = batchLastOffset(b) + 1;
      tail.next = offset;
      if (bytes >= args.maxBytes) break;
    }
    const bounds = tail.reader.bounds!();
    if (!bounds) return 'miss';
    if (batches.length === 0) {
      // Only 'idle' at a valid offset is the tail's to answer; anything else the worker decides.
      if (end !== 'idle' || offset < bounds.base || offset > bounds.leo) return 'miss';
      return 'idle';
    }
    return { type: 'FetchReply', reqId: 0, batches, hw: bounds.hw, leo: bounds.leo, base: bounds.base };
  }

  /** After 'idle': resolves when the replica's tail may have new data, or after `timeoutMs`. */
  waitForData(replica: string, timeoutMs: number): Promise<boolean> {
    const tail = this.tails.get(replica);
    return tail ? tail.reader.waitForData(timeoutMs) : Promise.resolve(false);
  }

  /** An empty reply with the tail's counters (a long poll that found nothing), or undefined. */
  empty(replica: string): FetchReply | undefined {
    const b = this.tails.get(replica)?.reader.bounds?.();
    return b ? { type: 'FetchReply', reqId: 0, batches: [], hw: b.hw, leo: b.leo, base: b.base } : undefined;
  }
}
