/**
 * Producer (DESIGN §5, §8): records accumulate per partition in a BatchBuilder and leave as one
 * RecordBatch when the batch reaches `batchBytes` or `lingerMs` passes (0: at the next tick), so
 * sends issued without awaiting each are batched, never serialized. Records are checked and
 * partitioned by record-check.ts; sendBatch settles through one promise (batch-receipt.ts).
 *
 * Delivery — sealing, idempotent stamping (default on: a producer id from the SC, a sequence
 * per partition, at most `maxInFlight` batches of a partition in flight), retries — is
 * batch-sender.ts; the leader answers a retried batch with its first offsets, so retries never
 * store a record twice.
 *
 * Invariants:
 * - A record is checked (record-input.ts) before it touches a batch: a bad one gets its own typed
 *   error (INVALID_ARGUMENT, RECORD_TOO_LARGE, UNKNOWN_PARTITION) and changes nothing else.
 * - At most `maxBufferedBytes` (plus one record) are buffered or in flight; beyond that records
 *   wait in an ordered queue and enter batches as acks free room (backpressure).
 * - Every send's receipt settles: with its offset, or with the batch's typed error after
 *   retriable errors (NOT_LEADER, WORKER_EXITED, TIMEOUT; out-of-order sequences while an earlier
 *   batch is still on its way) were retried — each attempt bounded by `requestTimeoutMs` — until
 *   `deliveryTimeoutMs`. UNKNOWN_TOPIC and OUT_OF_SPACE are not retried.
 * - flush() resolves when every record sent before it is acknowledged; it rejects with the first
 *   failure of a record whose receipt nobody awaited (refused sends included).
 */
import type { HostTransport } from '../runtime/transport.js';
import type { PartitionInfo } from '../../actors/messages.js';
import { BatchBuilder, type RecordHeader } from '../storage/index.js';
import { RivuletError, ErrorCode } from '../runtime/errors.js';
import type { Admin } from './admin.js';
import { BatchSender } from './batch-sender.js';
import { builderStartBytes, resolveProducerOptions, type ProducerOptions, type ResolvedProducerOptions } from './producer-options.js';
import type { ProducerId } from './producer-sequences.js';
import { checkSendBatchOptions, type Bytes, type HeaderInput, type SendBatchOptions, type SendOptions } from './record-input.js';
import { ProducerClock } from './producer-clock.js';
import { RecordCheck } from './record-check.js';
import { BatchReceipt } from './batch-receipt.js';
import { BatchOutcome, SendReceipt, type RecordMetadata } from './send-receipt.js';

export type { RecordMetadata } from './send-receipt.js';
export type { ProducerOptions } from './producer-options.js';
export { PRODUCER_DEFAULTS } from './producer-options.js';
export type { Bytes, SendOptions, HeaderInput, SendBatchOptions } from './record-input.js';

export interface ProduceRecord { key?: Bytes | null; value: Bytes; partition?: number; headers?: HeaderInput[]; timestamp?: number }


/** A validated record waiting for room (backpressure), with the receipt already handed out. */
interface Queued { key: Uint8Array | null; value: Uint8Array; partition: number; timestamp: number | undefined; headers: RecordHeader[] | undefined; receipt: SendReceipt }

/** A sendBatch of at least this many records is sealed at the end of the call (lingerMs 0). */
const SEAL_BATCH_CALL_RECORDS = 64;
/** Refused sends remembered until the next flush (to report the ones nobody awaited). */
const MAX_REMEMBERED_REFUSALS = 1024;

export class Producer {
  private readonly opts: ResolvedProducerOptions;
  private readonly sender: BatchSender;
  /** One builder per partition (by partition), reused batch after batch (batch-sender.ts: copy or buffer swap). */
  private readonly builders: (BatchBuilder | undefined)[] = [];
  /** The outcome of each partition's open (not yet sealed) batch, by partition. */
  private readonly open: (BatchOutcome | undefined)[] = [];
  /** Partitions that opened a batch since the last sealAll() (may repeat; seal() skips closed ones). */
  private openList: number[] = [];
  /** The record being sent, as its check left it (record-check.ts). */
  private readonly rec: RecordCheck;
  /** Sealed batches not yet settled, and flush() calls waiting for one to settle. */
  private inflight = 0;
  private settleWaiters: (() => void)[] = [];
  private buffered = 0;
  /** Sends waiting for room (backpressure), in order. */
  private queue: Queued[] = [];
  private queueHead = 0;
  private unobservedFailures: Error[] = [];
  private refusals: BatchOutcome[] = [];
  private lingerTimer: NodeJS.Timeout | NodeJS.Immediate | null = null;
  private closed = false;
  private readonly clock: ProducerClock;

  constructor(
    readonly topic: string,
    partitions: PartitionInfo[],
    private readonly t: HostTransport,
    admin: Admin,
    opts: ProducerOptions = {},
  ) {
    this.opts = resolveProducerOptions(opts);
    this.sender = new BatchSender(topic, partitions, t, admin, this.opts);
    this.clock = new ProducerClock(() => t.now());
    this.rec = new RecordCheck(topic, this.opts.maxRecordBytes, () => this.sender.partitionCount);
  }

  /** The producer id and epoch stamped in batches (null: not granted yet, or not idempotent). */
  get producerId(): ProducerId | null {
    return this.sender.producerId;
  }

  /**
   * Queue one record. Returns an awaitable receipt (resolves with its partition and offset once
   * acknowledged); not awaiting it is fine — flush() then reports any failure. A bad argument is
   * a receipt that rejects with a typed error; the record is not queued. When more than
   * maxBufferedBytes are buffered or in flight, the record waits its turn (backpressure).
   */
  send(key: Bytes | null | undefined, value: Bytes, opts?: SendOptions): Promise<RecordMetadata> {
    if (this.closed) return this.refuse(new RivuletError(ErrorCode.CLUSTER_CLOSED, 'producer is closed'));
    const err = this.rec.check(key, value, opts);
    if (err) return this.refuse(err);
    const receipt = new SendReceipt(null, -1);
    if (this.mustQueue()) this.enqueue(receipt);
    else {
      const r = this.rec;
      const o = this.append(r.k, r.v, r.p, r.o.timestamp, r.o.headers);
      receipt.bind(o, o.count - 1);
    }
    return receipt;
  }

  /**
   * Queue many records, each as send() would; resolves with every record's metadata, or rejects
   * with the first failure (a bad record is refused alone: the others are still sent, in order).
   * One promise for the whole call (batch-receipt.ts), not one per record; with
   * `{ metadata: false }` it resolves with undefined and nothing is allocated per record.
   */
  sendBatch(records: ProduceRecord[], opts?: { metadata?: true }): Promise<RecordMetadata[]>;
  sendBatch(records: ProduceRecord[], opts: { metadata: false }): Promise<undefined>;
  sendBatch(records: ProduceRecord[], opts?: SendBatchOptions): Promise<RecordMetadata[] | undefined>;
  sendBatch(records: ProduceRecord[], opts?: SendBatchOptions): Promise<RecordMetadata[] | undefined> {
    if (!Array.isArray(records)) {
      return Promise.reject(new RivuletError(ErrorCode.INVALID_ARGUMENT, 'sendBatch takes an array of { key?, value, partition?, headers?, timestamp? }'));
    }
    const badOpts = checkSendBatchOptions(opts);
    if (badOpts) return Promise.reject(badOpts);
    if (this.closed) return Promise.reject(new RivuletError(ErrorCode.CLUSTER_CLOSED, 'producer is closed'));
    const n = records.length;
    const br = new BatchReceipt(this.topic);
    let refused: Error | undefined;
    for (let i = 0; i < n; i++) {
      const r: unknown = records[i];
      if (typeof r !== 'object' || r === null || Array.isArray(r)) {
        refused ??= new RivuletError(ErrorCode.INVALID_ARGUMENT, `record ${i} must be an object { key?, value, … }`, { index: i });
        continue;
      }
      const rec = r as ProduceRecord;
      const err = this.rec.check(rec.key, rec.value, rec);
      if (err) {
        refused ??= err;
        continue;
      }
      if (this.mustQueue()) {
        const receipt = new SendReceipt(null, -1);
        this.enqueue(receipt);
        br.queued(receipt);
      } else {
        const o = this.append(this.rec.k, this.rec.v, this.rec.p, this.rec.o.timestamp, this.rec.o.headers);
        br.placed(o, o.count - 1);
      }
    }
    // lingerMs 0: a batch call's records leave now, not at the next tick (one hop less when awaited).
    if (this.opts.lingerMs === 0 && n >= SEAL_BATCH_CALL_RECORDS) this.sealAll();
    const all = br.settle(opts?.metadata !== false);
    if (!refused) return all;
    all.catch(() => {}); // the refusal is what this call reports; the rest were observed
    return Promise.reject(refused);
  }

  /** Backpressure: more than maxBufferedBytes buffered, or records already wait their turn. */
  private mustQueue(): boolean {
    return this.buffered > this.opts.maxBufferedBytes || this.queueHead < this.queue.length;
  }

  /** The checked record waits its turn; its receipt is bound when it enters a batch. */
  private enqueue(receipt: SendReceipt): void {
    const r = this.rec;
    this.queue.push({ key: r.k, value: r.v, partition: r.p, timestamp: r.o.timestamp, headers: r.o.headers, receipt });
  }

  /** A receipt that rejects with `err` (no promise until someone looks; flush() reports it otherwise). */
  private refuse(err: Error): SendReceipt {
    const outcome = new BatchOutcome(this.topic, -1);
    outcome.count = 1;
    outcome.reject(err);
    if (this.refusals.length < MAX_REMEMBERED_REFUSALS) this.refusals.push(outcome);
    return new SendReceipt(outcome, 0);
  }

  /**
   * Add one validated record to its partition's open batch; returns that batch's outcome (the
   * record is its last: index outcome.count - 1).
   */
  private append(k: Uint8Array | null, v: Uint8Array, partition: number, timestamp: number | undefined, headers: RecordHeader[] | undefined): BatchOutcome {
    let builder = this.builders[partition];
    if (!builder) {
      builder = new BatchBuilder({ initialBytes: builderStartBytes(this.opts), clock: this.clock.cell });
      this.builders[partition] = builder;
    }
    if (builder.count > 0 && builder.sizeBytes + v.length + (k === null ? 0 : k.length) + 64 > this.opts.batchBytes) this.seal(partition);
    let outcome = this.open[partition];
    if (!outcome) {
      outcome = new BatchOutcome(this.topic, partition);
      this.open[partition] = outcome;
      this.openList.push(partition);
      this.buffered += builder.sizeBytes; // the batch header
    }
    const before = builder.sizeBytes;
    if (timestamp === undefined) this.clock.tick();
    builder.add(k, v, timestamp, headers);
    this.buffered += builder.sizeBytes - before;
    outcome.count++;
    if (builder.sizeBytes >= this.opts.batchBytes) this.seal(partition);
    else this.armLinger();
    return outcome;
  }

  /** Bytes buffered or in flight (bounded by maxBufferedBytes plus one record). */
  get bufferedBytes(): number {
    return this.buffered;
  }

  /**
   * Send every buffered record now and wait until all are acknowledged or failed. Rejects with the
   * first failure of a record whose receipt nobody awaited (so fire-and-forget loses nothing
   * silently).
   */
  async flush(): Promise<void> {
    for (;;) {
      this.drainQueue();
      this.sealAll();
      if (this.inflight > 0) await new Promise<void>((r) => this.settleWaiters.push(r));
      else if (this.queueHead >= this.queue.length) break;
    }
    for (const r of this.refusals) if (r.observed === 0 && r.error) this.unobservedFailures.push(r.error);
    this.refusals = [];
    const err = this.unobservedFailures[0];
    this.unobservedFailures = [];
    if (err) throw err;
  }

  async close(): Promise<void> {
    await this.flush();
    this.closed = true;
    this.sender.closed = true;
  }

  /** Move queued sends into batches, in order, while there is room. */
  private drainQueue(): void {
    while (this.queueHead < this.queue.length && this.buffered <= this.opts.maxBufferedBytes) {
      const q = this.queue[this.queueHead]!;
      this.queue[this.queueHead++] = undefined as never;
      const o = this.append(q.key, q.value, q.partition, q.timestamp, q.headers);
      q.receipt.bind(o, o.count - 1);
    }
    if (this.queueHead === this.queue.length) {
      this.queue = [];
      this.queueHead = 0;
    }
  }

  private armLinger(): void {
    if (this.lingerTimer) return;
    this.lingerTimer = this.opts.lingerMs > 0 ? setTimeout(this.lingerFired, this.opts.lingerMs) : setImmediate(this.lingerFired);
  }

  /** One closure for the producer's life (a closure made in armLinger cost a context per record). */
  private readonly lingerFired = (): void => {
    this.lingerTimer = null;
    this.sealAll();
  };

  private sealAll(): void {
    const list = this.openList;
    this.openList = [];
    for (let i = 0; i < list.length; i++) this.seal(list[i]!);
  }

  private seal(partition: number): void {
    const outcome = this.open[partition];
    const builder = this.builders[partition];
    if (!outcome || !builder || builder.count === 0) return;
    this.open[partition] = undefined;
    this.inflight++;
    this.sender.send(partition, builder, outcome, this.settled);
  }

  /** A sealed batch of `bytes` settled (its outcome already is): room for queued sends. */
  private readonly settled = (outcome: BatchOutcome, bytes: number): void => {
    if (outcome.error && outcome.observed < outcome.count) this.unobservedFailures.push(outcome.error);
    this.inflight--;
    this.buffered -= bytes;
    this.drainQueue();
    if (this.settleWaiters.length > 0) for (const w of this.settleWaiters.splice(0)) w();
  };
}
