/**
 * Producer (DESIGN §5, §8): records accumulate per partition in a BatchBuilder and leave as one
 * RecordBatch when the batch reaches `batchBytes` or `lingerMs` passes (0: at the next tick), so
 * sends issued without awaiting each are batched, never serialized. murmur2(key) picks the
 * partition (Kafka's default), null keys round-robin, a record may pin its partition.
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
import { partitionForKey, RoundRobin } from './partitioner.js';
import { resolveProducerOptions, type ProducerOptions, type ResolvedProducerOptions } from './producer-options.js';
import type { ProducerId } from './producer-sequences.js';
import { checkBytes, checkKey, checkSendOptions, type Bytes, type HeaderInput, type SendOptions } from './record-input.js';
import { BatchOutcome, SendReceipt, type RecordMetadata } from './send-receipt.js';

export type { RecordMetadata } from './send-receipt.js';
export type { ProducerOptions } from './producer-options.js';
export { PRODUCER_DEFAULTS } from './producer-options.js';
export type { Bytes, SendOptions, HeaderInput } from './record-input.js';

export interface ProduceRecord { key?: Bytes | null; value: Bytes; partition?: number; headers?: HeaderInput[]; timestamp?: number }

/** A validated record waiting for room (backpressure), with the receipt already handed out. */
interface Queued {
  key: Uint8Array | null;
  value: Uint8Array;
  partition: number;
  timestamp: number | undefined;
  headers: RecordHeader[] | undefined;
  receipt: SendReceipt;
}

/** Refused sends remembered until the next flush (to report the ones nobody awaited). */
const MAX_REMEMBERED_REFUSALS = 1024;

export class Producer {
  private readonly opts: ResolvedProducerOptions;
  private readonly sender: BatchSender;
  /** One builder per partition, reused batch after batch (finish() hands out a copy). */
  private readonly builders = new Map<number, BatchBuilder>();
  /** The outcome of each partition's open (not yet sealed) batch. */
  private readonly open = new Map<number, BatchOutcome>();
  private readonly rr = new RoundRobin();
  private readonly inflight = new Set<Promise<unknown>>();
  private buffered = 0;
  /** Sends waiting for room (backpressure), in order. */
  private queue: Queued[] = [];
  private queueHead = 0;
  private unobservedFailures: Error[] = [];
  private refusals: BatchOutcome[] = [];
  private lingerTimer: NodeJS.Timeout | NodeJS.Immediate | null = null;
  private closed = false;
  private clockReads = 0;
  private clockMs = 0;

  constructor(
    readonly topic: string,
    partitions: PartitionInfo[],
    private readonly t: HostTransport,
    admin: Admin,
    opts: ProducerOptions = {},
  ) {
    this.opts = resolveProducerOptions(opts);
    this.sender = new BatchSender(topic, partitions, t, admin, this.opts);
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
    let k: Uint8Array | null;
    let v: Uint8Array;
    let o: ReturnType<typeof checkSendOptions>;
    try {
      k = checkKey(key);
      v = checkBytes(value, 'value');
      o = checkSendOptions(opts);
    } catch (err) {
      return this.refuse(err as Error);
    }
    const recordBytes = v.length + (k === null ? 0 : k.length);
    if (recordBytes > this.opts.maxRecordBytes) {
      return this.refuse(new RivuletError(ErrorCode.RECORD_TOO_LARGE, `record of ${recordBytes} bytes exceeds ${this.opts.maxRecordBytes}`, { bytes: recordBytes }));
    }
    const n = this.sender.partitionCount;
    const partition = o.partition ?? (k ? partitionForKey(k, n) : this.rr.next(n));
    if (partition >= n) {
      return this.refuse(new RivuletError(ErrorCode.UNKNOWN_PARTITION, `topic '${this.topic}' has no partition ${partition} (it has ${n})`, { partition }));
    }
    const receipt = new SendReceipt(null, -1);
    if (this.buffered > this.opts.maxBufferedBytes || this.queueHead < this.queue.length) {
      // Backpressure: the record waits its turn; its receipt is bound when it enters a batch.
      this.queue.push({ key: k, value: v, partition, timestamp: o.timestamp, headers: o.headers, receipt });
    } else {
      this.append(k, v, partition, o.timestamp, o.headers, receipt);
    }
    return receipt;
  }

  /**
   * Queue many records, each as send() would; resolves with every record's metadata, or rejects
   * with the first failure (a bad record is refused alone: the others are still sent, in order).
   */
  sendBatch(records: ProduceRecord[]): Promise<RecordMetadata[]> {
    if (!Array.isArray(records)) {
      return Promise.reject(new RivuletError(ErrorCode.INVALID_ARGUMENT, 'sendBatch takes an array of { key?, value, partition?, headers?, timestamp? }'));
    }
    return Promise.all(records.map((r: unknown, i) => {
      if (typeof r !== 'object' || r === null || Array.isArray(r)) {
        return this.refuse(new RivuletError(ErrorCode.INVALID_ARGUMENT, `record ${i} must be an object { key?, value, … }`, { index: i }));
      }
      const rec = r as ProduceRecord;
      return this.send(rec.key, rec.value, { partition: rec.partition, headers: rec.headers, timestamp: rec.timestamp });
    }));
  }

  /** A receipt that rejects with `err` (no promise until someone looks; flush() reports it otherwise). */
  private refuse(err: Error): SendReceipt {
    const outcome = new BatchOutcome(this.topic, -1);
    outcome.count = 1;
    outcome.reject(err);
    if (this.refusals.length < MAX_REMEMBERED_REFUSALS) this.refusals.push(outcome);
    return new SendReceipt(outcome, 0);
  }

  /** Add one validated record to its partition's open batch and bind its receipt. */
  private append(k: Uint8Array | null, v: Uint8Array, partition: number, timestamp: number | undefined, headers: RecordHeader[] | undefined, receipt: SendReceipt): void {
    let builder = this.builders.get(partition);
    if (!builder) {
      builder = new BatchBuilder({ initialBytes: Math.min(this.opts.batchBytes + 1024, 1 << 20) });
      this.builders.set(partition, builder);
    }
    if (builder.count > 0 && builder.sizeBytes + v.length + (k === null ? 0 : k.length) + 64 > this.opts.batchBytes) this.seal(partition);
    let outcome = this.open.get(partition);
    if (!outcome) {
      outcome = new BatchOutcome(this.topic, partition);
      this.open.set(partition, outcome);
      this.buffered += builder.sizeBytes; // the batch header
    }
    const index = builder.count;
    const before = builder.sizeBytes;
    builder.add(k, v, timestamp ?? this.clock(), headers);
    this.buffered += builder.sizeBytes - before;
    outcome.count++;
    receipt.bind(outcome, index);
    if (builder.sizeBytes >= this.opts.batchBytes) this.seal(partition);
    else this.armLinger();
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
      for (const p of [...this.open.keys()]) this.seal(p);
      if (this.inflight.size > 0) await Promise.race([...this.inflight]);
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

  /** Host time, read at most once per 256 records (a clock read per record costs ~4%). */
  private clock(): number {
    if ((this.clockReads++ & 0xff) === 0) this.clockMs = this.t.now();
    return this.clockMs;
  }

  /** Move queued sends into batches, in order, while there is room. */
  private drainQueue(): void {
    while (this.queueHead < this.queue.length && this.buffered <= this.opts.maxBufferedBytes) {
      const q = this.queue[this.queueHead]!;
      this.queue[this.queueHead++] = undefined as never;
      this.append(q.key, q.value, q.partition, q.timestamp, q.headers, q.receipt);
    }
    if (this.queueHead === this.queue.length) {
      this.queue = [];
      this.queueHead = 0;
    }
  }

  private armLinger(): void {
    if (this.lingerTimer) return;
    const fire = () => {
      this.lingerTimer = null;
      for (const p of [...this.open.keys()]) this.seal(p);
    };
    this.lingerTimer = this.opts.lingerMs > 0 ? setTimeout(fire, this.opts.lingerMs) : setImmediate(fire);
  }

  private seal(partition: number): void {
    const outcome = this.open.get(partition);
    const builder = this.builders.get(partition);
    if (!outcome || !builder || builder.count === 0) return;
    this.open.delete(partition);
    const { bytes, done } = this.sender.send(partition, builder, outcome);
    const job = done.then(
      (base) => outcome.resolve(base),
      (err: Error) => {
        if (outcome.observed < outcome.count) this.unobservedFailures.push(err);
        outcome.reject(err);
      },
    ).finally(() => {
      this.inflight.delete(job);
      this.buffered -= bytes;
      this.drainQueue();
    });
    this.inflight.add(job);
  }
}
