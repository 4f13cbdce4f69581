/**
 * The idempotent producer's per-partition sequencing (DESIGN §5). Each sealed batch is stamped with
 * the producer id, the partition's epoch and its base sequence (the RecordBatch v2 header fields,
 * under the CRC) and waits its turn: at most `maxInFlight` batches of a partition are sent at
 * once, in sequence order, so a retried batch is always within the leader's window
 * (actors/replica/producer-state.ts remembers more than that).
 *
 * A partition restarts its sequence (`resequence`: epoch + 1, sequence 0, every unacknowledged
 * batch restamped in order) when its oldest unacknowledged batch is refused as out of order —
 * an earlier batch failed for good, or the leader lost the state — as Kafka's producer bumps its
 * epoch (KIP-360). Stamping copies the batch: bytes already handed to a transport never change.
 *
 * Invariants: sequences of a partition are assigned in seal order and never reused within an
 * epoch; a batch is sent only once stamped (when the producer is idempotent); `inflight` and
 * `waiting` together hold every sealed, unsettled batch of the partition, oldest first, and
 * `inflight` spans at most `maxInFlight` consecutive batches from the oldest unsettled one.
 */
import { RivuletError, ErrorCode } from '../runtime/errors.js';
import { BatchLayout, crc32c } from '../storage/index.js';
import type { BatchOutcome } from './send-receipt.js';

const SEQ_MOD = 2 ** 31;
const MAX_EPOCH = 0x7fff;

export interface ProducerId {
  producerId: number;
  producerEpoch: number;
}

/** One sealed batch on its way. */
export interface Sealed {
  /** Current bytes (replaced, never changed in place, when restamped). */
  batch: Uint8Array;
  readonly count: number;
  readonly bytes: number;
  readonly outcome: BatchOutcome;
  /** Base sequence stamped, -1 while unstamped (plain producer, or the id is not known yet). */
  seq: number;
  /** Called when the batch may be sent (or must fail). */
  go?: (err?: Error) => void;
  /** Acknowledged or failed for good. */
  settled?: boolean;
}

/** A copy of `batch` carrying the producer fields, with its CRC recomputed. */
export function stampBatch(batch: Uint8Array, producerId: number, epoch: number, baseSequence: number): Uint8Array {
  const b = batch.slice();
  const v = new DataView(b.buffer, b.byteOffset, b.byteLength);
  v.setBigInt64(BatchLayout.producerId, BigInt(producerId));
  v.setInt16(BatchLayout.producerEpoch, epoch);
  v.setInt32(BatchLayout.baseSequence, baseSequence);
  v.setUint32(BatchLayout.crc, crc32c(b, BatchLayout.attributes, b.length));
  return b;
}

export class PartitionSequence {
  epoch: number;
  private next = 0;
  readonly inflight: Sealed[] = [];
  readonly waiting: Sealed[] = [];

  constructor(epoch: number, private readonly maxInFlight: number) {
    this.epoch = epoch;
  }

  /** Take the next `count` sequence numbers (int32 wrap, as Kafka). */
  take(count: number): number {
    const seq = this.next;
    this.next = (this.next + count) % SEQ_MOD;
    return seq;
  }

  /** Stamp a batch sealed before the producer id was known (in seal order). */
  stamp(s: Sealed, id: ProducerId): void {
    const seq = this.take(s.count);
    s.batch = stampBatch(s.batch, id.producerId, this.epoch, seq);
    s.seq = seq;
  }

  /** Start waiting batches while there is room (`ready`: the producer id is known or not needed). */
  pump(ready: boolean): void {
    while (ready && this.inflight.length < this.maxInFlight && this.waiting.length > 0) {
      const s = this.waiting.shift()!;
      this.inflight.push(s);
      s.go?.();
    }
  }

  /**
   * A batch settled. It leaves the in-flight list only once every batch before it has settled
   * too: a batch stuck in retries holds back new ones, so the leader never stores more than
   * `maxInFlight - 1` batches after it and its retry is always within the leader's window.
   */
  done(s: Sealed): void {
    s.settled = true;
    while (this.inflight[0]?.settled) this.inflight.shift();
  }

  isOldest(s: Sealed): boolean {
    return this.inflight[0] === s;
  }

  /** Epoch + 1, sequence 0, and every unacknowledged batch restamped in order. */
  resequence(id: ProducerId, where: string): void {
    if (this.epoch >= MAX_EPOCH) {
      throw new RivuletError(ErrorCode.OUT_OF_ORDER_SEQUENCE, `${where}: producer ${id.producerId} restarted its sequence ${MAX_EPOCH} times; create a new producer`);
    }
    this.epoch++;
    this.next = 0;
    for (const s of [...this.inflight, ...this.waiting]) if (s.seq >= 0 && !s.settled) this.stamp(s, id);
  }

  /** Fail every waiting batch (the producer id could not be had). */
  failWaiting(err: Error): void {
    for (const s of this.waiting.splice(0)) s.go?.(err);
  }
}
