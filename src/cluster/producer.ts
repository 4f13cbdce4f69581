/**
 * Producer (DESIGN §8): records accumulate per partition in a BatchBuilder and leave as one
 * RecordBatch when the batch reaches `batchBytes` or `lingerMs` passes (0: at the next tick), so
 * sends issued without awaiting each are batched, never serialized. murmur2(key) picks the
 * partition (Kafka's default), null keys round-robin, a record may pin its partition.
 *
 * Invariants:
 * - At most `maxBufferedBytes` are buffered or in flight; beyond that send() waits (backpressure).
 * - Every send's promise settles: with its offset, or with the batch's typed error after
 *   retriable errors (NOT_LEADER, WORKER_EXITED, TIMEOUT) were retried until `deliveryTimeoutMs`.
 * - flush() resolves when every record sent before it is acknowledged (or failed).
 */
import type { HostTransport } from '../runtime/transport.js';
import { replicaActorId, type AcksMode, type PartitionInfo, type ProduceAck } from '../../actors/messages.js';
import { BatchBuilder, type RecordHeader } from '../storage/index.js';
import { RivuletError, ErrorCode, fromPlainError } from '../storage/errors.js';
import type { Admin } from './admin.js';
import { partitionForKey, RoundRobin } from './partitioner.js';

export interface ProducerOptions {
  acks?: AcksMode;
  lingerMs?: number;
  batchBytes?: number;
  maxBufferedBytes?: number;
  deliveryTimeoutMs?: number;
  maxRecordBytes?: number;
}

export const PRODUCER_DEFAULTS = {
  acks: 'all' as AcksMode,
  lingerMs: 0,
  batchBytes: 64 * 1024,
  maxBufferedBytes: 32 * 1024 * 1024,
  deliveryTimeoutMs: 30_000,
  maxRecordBytes: 8 * 1024 * 1024,
} as const;

export type Bytes = Uint8Array | string;
export interface ProduceRecord { key?: Bytes | null; value: Bytes; partition?: number; headers?: RecordHeader[]; timestamp?: number }
export interface RecordMetadata { topic: string; partition: number; offset: number }

const enc = new TextEncoder();
export const toBytes = (b: Bytes): Uint8Array => (typeof b === 'string' ? enc.encode(b) : b);

interface Open {
  builder: BatchBuilder;
  done: Promise<number>;
  resolve(base: number): void;
  reject(err: Error): void;
}

export class Producer {
  private readonly opts: Required<ProducerOptions>;
  private readonly open = new Map<number, Open>();
  private readonly rr = new RoundRobin();
  private readonly inflight = new Set<Promise<unknown>>();
  private buffered = 0;
  private spaceWaiters: (() => void)[] = [];
  private lingerTimer: NodeJS.Timeout | NodeJS.Immediate | null = null;
  private closed = false;

  constructor(
    readonly topic: string,
    private partitions: PartitionInfo[],
    private readonly t: HostTransport,
    private readonly admin: Admin,
    opts: ProducerOptions = {},
  ) {
    this.opts = { ...PRODUCER_DEFAULTS, ...opts };
    if (![0, 1, 'all'].includes(this.opts.acks)) {
      throw new RivuletError(ErrorCode.INVALID_CONFIG, `acks must be 0, 1 or 'all', got ${String(this.opts.acks)}`);
    }
  }

  send(key: Bytes | null | undefined, value: Bytes, opts: { partition?: number; headers?: RecordHeader[]; timestamp?: number } = {}): Promise<RecordMetadata> {
    if (this.closed) return Promise.reject(new RivuletError(ErrorCode.CLUSTER_CLOSED, 'producer is closed'));
    if (this.buffered > this.opts.maxBufferedBytes || this.spaceWaiters.length > 0) {
      // Backpressure: wait for acks to free room; queued sends keep their order.
      return new Promise<void>((r) => this.spaceWaiters.push(r)).then(() => this.send(key, value, opts));
    }
    const k = key === null || key === undefined ? null : toBytes(key);
    const v = toBytes(value);
    if (v.length + (k?.length ?? 0) > this.opts.maxRecordBytes) {
      return Promise.reject(new RivuletError(ErrorCode.RECORD_TOO_LARGE, `record of ${v.length + (k?.length ?? 0)} bytes exceeds ${this.opts.maxRecordBytes}`));
    }
    const n = this.partitions.length;
    const partition = opts.partition ?? (k ? partitionForKey(k, n) : this.rr.next(n));
    if (!Number.isInteger(partition) || partition < 0 || partition >= n) {
      return Promise.reject(new RivuletError(ErrorCode.UNKNOWN_PARTITION, `topic '${this.topic}' has no partition ${partition} (it has ${n})`, { partition }));
    }
    let o = this.open.get(partition);
    if (o && o.builder.sizeBytes + v.length + (k?.length ?? 0) + 64 > this.opts.batchBytes && o.builder.count > 0) {
      this.seal(partition);
      o = undefined;
    }
    if (!o) o = this.newOpen(partition);
    const index = o.builder.count;
    const before = o.builder.sizeBytes;
    o.builder.add(k, v, opts.timestamp ?? this.t.now(), opts.headers);
    this.buffered += o.builder.sizeBytes - before;
    if (o.builder.sizeBytes >= this.opts.batchBytes) this.seal(partition);
    else this.armLinger();
    const topic = this.topic;
    return o.done.then((base) => ({ topic, partition, offset: base < 0 ? -1 : base + index }));
  }

  /** Bytes buffered or in flight (bounded by maxBufferedBytes plus one record). */
  get bufferedBytes(): number {
    return this.buffered;
  }

  async sendBatch(records: ProduceRecord[]): Promise<RecordMetadata[]> {
    return Promise.all(records.map((r) => this.send(r.key, r.value, { partition: r.partition, headers: r.headers, timestamp: r.timestamp })));
  }

  async flush(): Promise<void> {
    for (const p of [...this.open.keys()]) this.seal(p);
    while (this.inflight.size > 0) await Promise.allSettled([...this.inflight]);
  }

  async close(): Promise<void> {
    await this.flush();
    this.closed = true;
  }

  private wakeWaiters(): void {
    const waiters = this.spaceWaiters.splice(0);
    // Each resumed send re-checks the limit; those that do not fit queue again, in order.
    for (const w of waiters) w();
  }

  private newOpen(partition: number): Open {
    let resolve!: (b: number) => void;
    let reject!: (e: Error) => void;
    const done = new Promise<number>((res, rej) => { resolve = res; reject = rej; });
    done.catch(() => {});
    const o: Open = { builder: new BatchBuilder({ initialBytes: Math.min(this.opts.batchBytes + 1024, 1 << 20) }), done, resolve, reject };
    this.open.set(partition, o);
    this.buffered += o.builder.sizeBytes;
    return o;
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
    const o = this.open.get(partition);
    if (!o || o.builder.count === 0) return;
    this.open.delete(partition);
    const batch = o.builder.finish();
    const job = this.deliver(partition, batch).then(
      (base) => o.resolve(base),
      (err: Error) => o.reject(err),
    ).finally(() => {
      this.inflight.delete(job);
      this.buffered -= batch.length;
      // Wake waiters one at a time, in order, while there is room.
      if (this.buffered <= this.opts.maxBufferedBytes && this.spaceWaiters.length > 0) this.wakeWaiters();
    });
    this.inflight.add(job);
  }

  private async deliver(partition: number, batch: Uint8Array): Promise<number> {
    const deadline = this.t.now() + this.opts.deliveryTimeoutMs;
    for (let attempt = 0; ; attempt++) {
      try {
        const p = this.partitions[partition]!;
        const ack = (await this.t.produce(replicaActorId(this.topic, partition, p.leader), batch, this.opts.acks, Math.max(1, deadline - this.t.now()))) as ProduceAck | undefined;
        if (!ack) return -1;
        if (ack.error) throw fromPlainError(ack.error);
        return ack.baseOffset;
      } catch (err) {
        const retriable = err instanceof RivuletError && err.retriable && err.code !== ErrorCode.OUT_OF_SPACE;
        if (!retriable || this.closed || this.t.now() >= deadline) throw err;
        await this.t.sleep(Math.min(500, 10 * 2 ** attempt));
        try {
          this.partitions = await this.admin.topicPartitions(this.topic);
        } catch {
          // metadata not available yet; retry with what we have
        }
      }
    }
  }
}
