/**
 * The one promise behind `producer.sendBatch(records)`: records placed in open batches are noted
 * by (outcome, index) in two arrays allocated once per call — no receipt, promise or closure per
 * record — and the call's promise settles when every distinct batch outcome it touched settled.
 * A record that had to wait behind backpressure keeps its SendReceipt (bound later); only those
 * cost a promise each.
 *
 *   slot i:  outcomes[i] = BatchOutcome  → offset = outcome.base + indexes[i]
 *            outcomes[i] = SendReceipt   → its own metadata once it settles (queued record)
 *
 * Invariants:
 * - Each distinct outcome is waited on once per call (outcome.tag dedupes interleaved partitions).
 * - The promise resolves with one RecordMetadata per record, in order, or rejects with the first
 *   failed record's error in record order. Every record counts as observed (flush() does not
 *   report failures this promise carries).
 */
import { SendReceipt, type BatchOutcome, type RecordMetadata } from './send-receipt.js';

let nextTag = 1;

export class BatchReceipt {
  readonly outcomes: (BatchOutcome | SendReceipt)[];
  readonly indexes: Int32Array;
  private n = 0;

  constructor(readonly topic: string, capacity: number) {
    this.outcomes = new Array<BatchOutcome | SendReceipt>(capacity);
    this.indexes = new Int32Array(capacity);
  }

  /** The record placed at `index` of the batch whose outcome is `outcome`. */
  placed(outcome: BatchOutcome, index: number): void {
    outcome.observed++;
    this.outcomes[this.n] = outcome;
    this.indexes[this.n++] = index;
  }

  /** The record waits in the producer's queue with `receipt`. */
  queued(receipt: SendReceipt): void {
    this.outcomes[this.n++] = receipt;
  }

  /** One promise for every record noted. */
  settle(): Promise<RecordMetadata[]> {
    return new Promise<RecordMetadata[]>((resolve, reject) => {
      const tag = nextTag++;
      let waiting = 1; // released below, after every outcome was counted
      const done = (): void => {
        if (--waiting > 0) return;
        const out = this.result();
        if (out instanceof Error) reject(out);
        else resolve(out);
      };
      for (let i = 0; i < this.n; i++) {
        const o = this.outcomes[i]!;
        if (o instanceof SendReceipt) {
          waiting++;
          o.then(done, done);
        } else if (o.tag !== tag) {
          o.tag = tag;
          waiting++;
          o.whenSettled(done);
        }
      }
      done();
    });
  }

  private result(): RecordMetadata[] | Error {
    const out = new Array<RecordMetadata>(this.n);
    for (let i = 0; i < this.n; i++) {
      const o = this.outcomes[i]!;
      const m = o instanceof SendReceipt ? o.settledMetadata() : o.metadata(this.indexes[i]!);
      if (m instanceof Error) return m;
      out[i] = m;
    }
    return out;
  }
}
