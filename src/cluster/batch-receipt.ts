/**
 * The one promise behind `producer.sendBatch(records)`: records are noted as RUNS — consecutive
 * records placed at consecutive indexes of the same open batch are one run (outcome, first index,
 * length) — so a call of 1,000 records into one partition notes one or two runs, not 1,000 slots;
 * no receipt, promise or closure per record. The call's promise settles when every distinct batch
 * outcome it touched settled. A record that had to wait behind backpressure is a run of its own
 * with its SendReceipt (bound later); only those cost a promise each.
 *
 *   run r:  outcomes[r] = BatchOutcome → records start[r] … start[r]+length[r]-1 of that batch
 *           outcomes[r] = SendReceipt  → one queued record, its own metadata once it settles
 *
 * Invariants:
 * - Runs are in record order; their lengths add up to the records noted.
 * - Each distinct outcome is waited on once per call (outcome.tag dedupes interleaved partitions).
 * - With metadata (the default) the promise resolves with one RecordMetadata per record, in order;
 *   without, with undefined (nothing is allocated per record). Either way it rejects with the first
 *   failed record's error in record order. Every record counts as observed (flush() does not
 *   report failures this promise carries).
 */
import { SendReceipt, type BatchOutcome, type RecordMetadata } from './send-receipt.js';

let nextTag = 1;

export class BatchReceipt {
  private outcomes: (BatchOutcome | SendReceipt)[] = [];
  private starts: number[] = [];
  private lengths: number[] = [];
  private records = 0;

  constructor(readonly topic: string) {}

  /** The next record was placed at `index` of the batch whose outcome is `outcome`. */
  placed(outcome: BatchOutcome, index: number): void {
    outcome.observed++;
    this.records++;
    const last = this.outcomes.length - 1;
    if (last >= 0 && this.outcomes[last] === outcome && this.starts[last]! + this.lengths[last]! === index) {
      this.lengths[last]!++;
      return;
    }
    this.outcomes.push(outcome);
    this.starts.push(index);
    this.lengths.push(1);
  }

  /** The next record waits in the producer's queue with `receipt`. */
  queued(receipt: SendReceipt): void {
    this.records++;
    this.outcomes.push(receipt);
    this.starts.push(0);
    this.lengths.push(1);
  }

  /** One promise for every record noted: their metadata, or undefined when `metadata` is false. */
  settle(metadata: true): Promise<RecordMetadata[]>;
  settle(metadata: boolean): Promise<RecordMetadata[] | undefined>;
  settle(metadata: boolean): Promise<RecordMetadata[] | undefined> {
    return new Promise<RecordMetadata[] | undefined>((resolve, reject) => {
      const tag = nextTag++;
      let waiting = 1; // released below, after every outcome was counted
      const done = (): void => {
        if (--waiting > 0) return;
        const err = this.firstError();
        if (err) reject(err);
        else resolve(metadata ? this.result() : undefined);
      };
      for (const o of this.outcomes) {
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

  private firstError(): Error | undefined {
    for (let r = 0; r < this.outcomes.length; r++) {
      const o = this.outcomes[r]!;
      const m = o instanceof SendReceipt ? o.settledMetadata() : o.error;
      if (m instanceof Error) return m;
    }
    return undefined;
  }

  private result(): RecordMetadata[] {
    const out = new Array<RecordMetadata>(this.records);
    let i = 0;
    for (let r = 0; r < this.outcomes.length; r++) {
      const o = this.outcomes[r]!;
      if (o instanceof SendReceipt) {
        out[i++] = o.settledMetadata() as RecordMetadata;
        continue;
      }
      const end = this.starts[r]! + this.lengths[r]!;
      for (let index = this.starts[r]!; index < end; index++) out[i++] = o.metadata(index) as RecordMetadata;
    }
    return out;
  }
}
