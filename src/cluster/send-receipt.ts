/**
 * What `producer.send()` returns: an awaitable receipt (a Promise in shape: then/catch/finally) for one
 * record. It allocates a Promise only when someone awaits it — a fire-and-forget loop that ends
 * with `flush()` costs one small object per record, not a promise chain — which is most of the
 * producer's speed on small records (see the note in producer.ts).
 *
 * Invariants: a receipt settles once its batch settles, with offset = batch base + index (or -1
 * with acks 0); a failed batch whose receipts were not all observed is reported by flush().
 */
export interface RecordMetadata {
  topic: string;
  partition: number;
  offset: number;
}

export class BatchOutcome {
  base: number | undefined;
  error: Error | undefined;
  settled = false;
  /** Receipts whose result someone asked for. */
  observed = 0;
  count = 0;
  /** Scratch mark of the last sendBatch call that waits on this outcome (batch-receipt.ts). */
  tag = 0;
  private waiters: (() => void)[] | null = null;

  constructor(readonly topic: string, readonly partition: number) {}

  resolve(base: number): void {
    this.settle(base, undefined);
  }

  reject(err: Error): void {
    this.settle(undefined, err);
  }

  private settle(base: number | undefined, err: Error | undefined): void {
    if (this.settled) return;
    this.settled = true;
    this.base = base;
    this.error = err;
    const w = this.waiters;
    this.waiters = null;
    if (w) for (const f of w) f();
  }

  /** The settled result of the record at `index`. */
  metadata(index: number): RecordMetadata | Error {
    if (this.error) return this.error;
    return { topic: this.topic, partition: this.partition, offset: this.base! < 0 ? -1 : this.base! + index };
  }

  whenSettled(f: () => void): void {
    if (this.settled) f();
    else (this.waiters ??= []).push(f);
  }
}

export class SendReceipt implements Promise<RecordMetadata> {
  private promise: Promise<RecordMetadata> | undefined;
  /** Waiting for bind() (the record was queued behind backpressure). */
  private onBind: (() => void)[] | null = null;
  /** On the prototype (a getter), not a field per receipt. */
  get [Symbol.toStringTag](): string {
    return 'SendReceipt';
  }

  /** `batch` null: the record waits in the producer's queue; bind() places it later. */
  constructor(private batch: BatchOutcome | null, private index: number) {}

  /** The queued record entered `batch` at `index`. */
  bind(batch: BatchOutcome, index: number): void {
    this.batch = batch;
    this.index = index;
    const w = this.onBind;
    this.onBind = null;
    if (w) for (const f of w) f();
  }

  /** This record's result once its promise settled (the batch is bound and settled by then). */
  settledMetadata(): RecordMetadata | Error {
    return this.batch!.metadata(this.index);
  }

  private settled(): Promise<RecordMetadata> {
    if (!this.promise) {
      this.promise = new Promise((resolve, reject) => {
        const follow = () => {
          const b = this.batch!;
          b.observed++;
          b.whenSettled(() => {
            const m = b.metadata(this.index);
            if (m instanceof Error) reject(m);
            else resolve(m);
          });
        };
        if (this.batch) follow();
        else (this.onBind ??= []).push(follow);
      });
    }
    return this.promise;
  }

  then<A = RecordMetadata, B = never>(
    onFulfilled?: ((v: RecordMetadata) => A | PromiseLike<A>) | null,
    onRejected?: ((e: unknown) => B | PromiseLike<B>) | null,
  ): Promise<A | B> {
    return this.settled().then(onFulfilled, onRejected);
  }

  catch<B = never>(onRejected?: ((e: unknown) => B | PromiseLike<B>) | null): Promise<RecordMetadata | B> {
    return this.settled().catch(onRejected);
  }

  finally(f?: (() => void) | null): Promise<RecordMetadata> {
    return this.settled().finally(f);
  }
}
