/**
 * Partition consumer (DESIGN §8): an async iterator of records, or of whole batches with lazily
 * decoded records. Reads the leader replica's log tail in place when the host offers a TailReader
 * (thread host: its tail ring), bounded by the HW (read_committed) or LEO; whatever the tail
 * cannot serve (older data, a lapped reader, a host without one such as the sim) comes from
 * long-poll Fetch requests to the leader instead.
 *
 * Opening (`open()`, which `cluster.consumer()` awaits) checks the options (INVALID_ARGUMENT) and
 * resolves the start offset against the partition now: out of [BASE, LEO] is an
 * OffsetOutOfRangeError at creation, not at the first read.
 *
 * Invariants: offsets are yielded strictly increasing from the start offset, each at most once;
 * read_committed never yields at or past HW; a batch is validated (CRC) before its records are;
 * iteration ends (returns) within one wait slice of `close()`, and ends with CLUSTER_CLOSED once
 * the cluster is shut down (the host refuses requests and drops its tails).
 */
import type { HostTransport, TailRead, TailReader } from '../runtime/transport.js';
import { replicaActorId, type Fetch, type FetchReply, type Isolation, type PartitionInfo } from '../../actors/messages.js';
import { batchBaseOffset, batchLastOffset, decodeBatch, validateBatch, type Record, type RecordHeader } from '../storage/index.js';
import { BatchIndexScratch, RecordBatchView } from '../storage/batch-view.js';
import { RivuletError, ErrorCode, OffsetOutOfRangeError, fromPlainError } from '../runtime/errors.js';
import type { Admin } from './admin.js';
import { checkOffsetSpec, resolveOffset, type OffsetSpec, Offset } from './offset.js';
import { describeValue } from './record-input.js';

export interface ConsumerOptions {
  partition?: number;
  offset?: OffsetSpec;
  isolation?: Isolation;
  /** Most bytes per fetch request. */
  maxBytes?: number;
  /** Long-poll wait per fetch when caught up. */
  waitMs?: number;
}

export interface ConsumerRecord extends Record {
  partition: number;
}

/**
 * One stored batch as a consumer sees it: the records at or after the consumer's position when it
 * arrived. Read them by index without an object per record — `count`, `offsetAt(i)`,
 * `valueAt(i)` (a view of the batch bytes), `valueSizeAt(i)`, `keyAt(i)`, `timestampAt(i)`,
 * `headersAt(i)` — or as objects through `records` (decoded on first access) / `recordAt(i)`.
 * Index 0 is the first record at or after the position, whatever the batch's baseOffset.
 * A consumer's batches share one record index (BatchIndexScratch): reading batch after batch
 * allocates nothing per record; going back and forth between two held batches is correct but
 * re-indexes the batch read at each switch.
 */
export class ConsumedBatch {
  private decoded: Record[] | undefined;
  private lazy: RecordBatchView | undefined;
  private skip = -1;
  constructor(
    readonly partition: number,
    /** The whole stored batch (a private copy). */
    readonly bytes: Uint8Array,
    /** First offset this consumer had not yet seen when the batch arrived. */
    private readonly fromOffset: number,
    /** The consumer's shared record index (none: this batch's own). */
    private readonly scratch?: BatchIndexScratch,
  ) {}
  get baseOffset(): number {
    return batchBaseOffset(this.bytes);
  }
  get lastOffset(): number {
    return batchLastOffset(this.bytes);
  }
  get sizeBytes(): number {
    return this.bytes.length;
  }
  /** The batch's records, read lazily; `first` = index of the first record at or after the position. */
  private get view(): RecordBatchView {
    if (!this.lazy) {
      // The leader verified the CRC when the batch entered its log; the bytes reached us through
      // shared memory, structured clone or a socket frame, so only the framing is re-checked here.
      this.lazy = RecordBatchView.of(this.bytes, { verifyCrc: false, scratch: this.scratch });
      this.skip = this.lazy.indexOf(this.fromOffset);
    }
    return this.lazy;
  }
  /** Records at or after the consumer's position (no record is decoded to count them, except when the position is inside the batch). */
  get count(): number {
    const v = this.view;
    return v.count - this.skip;
  }
  /** Offset of the first record (index 0). */
  get firstOffset(): number {
    return this.offsetAt(0);
  }
  offsetAt(i: number): number {
    return this.view.offsetAt(this.at(i));
  }
  timestampAt(i: number): number {
    return this.view.timestampAt(this.at(i));
  }
  /** The batch's firstTimestamp (timestampAt(i) = firstTimestamp + timestampDeltaAt(i)). */
  get firstTimestamp(): number {
    return this.view.firstTimestamp;
  }
  /** timestampAt(i) - firstTimestamp, without making a double (allocation-free). */
  timestampDeltaAt(i: number): number {
    return this.view.timestampDeltaAt(this.at(i));
  }
  /** The key as a view of the batch bytes (no copy), or null. */
  keyAt(i: number): Uint8Array | null {
    return this.view.keyAt(this.at(i));
  }
  /** Key bytes without slicing (-1 for a null key). */
  keySizeAt(i: number): number {
    return this.view.keySizeAt(this.at(i));
  }
  /** The value as a view of the batch bytes (no copy). */
  valueAt(i: number): Uint8Array {
    return this.view.valueAt(this.at(i));
  }
  /** Value bytes without slicing. */
  valueSizeAt(i: number): number {
    return this.view.valueSizeAt(this.at(i));
  }
  headersAt(i: number): RecordHeader[] {
    return this.view.headersAt(this.at(i));
  }
  /** Record `i` as an object (allocates). */
  recordAt(i: number): Record {
    return this.view.recordAt(this.at(i));
  }
  /** Records at or after the consumer's position, as objects, decoded on first access. */
  get records(): Record[] {
    if (!this.decoded) {
      // One pass that builds the objects (cheaper than the lazy index plus an object per record).
      const records = decodeBatch(this.bytes, { verifyCrc: false }).records;
      this.decoded = records[0] && records[0].offset >= this.fromOffset ? records : records.filter((r) => r.offset >= this.fromOffset);
    }
    return this.decoded;
  }
  private at(i: number): number {
    const v = this.view;
    if (!Number.isInteger(i) || i < 0 || i >= v.count - this.skip) throw new RangeError(`record index ${i} outside [0, ${v.count - this.skip})`);
    return this.skip + i;
  }
}

const CONSUMER_DEFAULTS = { maxBytes: 1 << 20, waitMs: 500, tailWaitMs: 20, retryMs: 50 } as const;
const OPTION_KEYS = new Set(['partition', 'offset', 'isolation', 'maxBytes', 'waitMs']);

/** INVALID_ARGUMENT for an unknown key or a bad value; the offset spec checked (offset.ts). */
function checkConsumerOptions(opts: unknown): ConsumerOptions {
  const bad = (why: string) => new RivuletError(ErrorCode.INVALID_ARGUMENT, `consumer options: ${why}`);
  if (typeof opts !== 'object' || opts === null || Array.isArray(opts)) throw bad(`must be an object, got ${describeValue(opts)}`);
  for (const k of Object.keys(opts)) if (!OPTION_KEYS.has(k)) throw bad(`unknown option '${k}' (known: ${[...OPTION_KEYS].join(', ')})`);
  const o = opts as ConsumerOptions;
  if (o.offset !== undefined) checkOffsetSpec(o.offset);
  if (o.isolation !== undefined && o.isolation !== 'read_committed' && o.isolation !== 'read_uncommitted') throw bad(`isolation must be 'read_committed' or 'read_uncommitted', got ${describeValue(o.isolation)}`);
  if (o.maxBytes !== undefined && (!Number.isSafeInteger(o.maxBytes) || o.maxBytes < 1)) throw bad(`maxBytes must be an integer ≥ 1, got ${describeValue(o.maxBytes)}`);
  if (o.waitMs !== undefined && (!Number.isSafeInteger(o.waitMs) || o.waitMs < 0 || o.waitMs > 60_000)) throw bad(`waitMs must be an integer in 0..60000, got ${describeValue(o.waitMs)}`);
  return o;
}

export class PartitionConsumer implements AsyncIterable<ConsumerRecord> {
  readonly partition: number;
  private readonly isolation: Isolation;
  private next = -1;
  private closed = false;
  /** Aborted by close(): cuts every wait short. */
  private readonly stop = new AbortController();
  private readonly stopped: Promise<'closed'>;
  private leader: number;
  /** The tail reader of the current leader replica (undefined: the host has none). */
  private tail: { replica: string; reader: TailReader | undefined } | undefined;
  /** The record index this consumer's batches share (ConsumedBatch). */
  private readonly indexScratch = new BatchIndexScratch();

  constructor(
    readonly topic: string,
    info: PartitionInfo,
    private readonly t: HostTransport,
    private readonly admin: Admin,
    private readonly opts: ConsumerOptions,
  ) {
    checkConsumerOptions(opts);
    this.stopped = new Promise((resolve) => this.stop.signal.addEventListener('abort', () => resolve('closed'), { once: true }));
    this.partition = info.partition;
    this.leader = info.leader;
    this.isolation = opts.isolation ?? 'read_committed';
  }

  /** Where the next record will come from. */
  get position(): number {
    return this.next;
  }

  /** End iteration: a `for await` over this consumer returns (at once when it was waiting). */
  close(): void {
    this.closed = true;
    this.stop.abort();
  }

  /** Resolve the start offset now (OffsetOutOfRangeError when outside [BASE, LEO]). */
  async open(): Promise<this> {
    await this.start();
    return this;
  }

  private get leaderId(): string {
    return replicaActorId(this.topic, this.partition, this.leader);
  }

  private async fetch(offset: number, waitMs: number): Promise<FetchReply> {
    for (let attempt = 0; ; attempt++) {
      try {
        const fetch: Fetch = {
          type: 'Fetch', reqId: this.t.nextReqId(), replyTo: this.t.clientId, offset, isolation: this.isolation,
          maxBytes: this.opts.maxBytes ?? CONSUMER_DEFAULTS.maxBytes, waitMs,
        };
        const r = await this.t.request<FetchReply>(this.leaderId, fetch, waitMs + 10_000);
        if (r.error) throw fromPlainError(r.error);
        return r;
      } catch (err) {
        if (!(err instanceof RivuletError) || !err.retriable || this.closed) throw err;
        await this.t.sleep(Math.min(1000, CONSUMER_DEFAULTS.retryMs * 2 ** Math.min(attempt, 5)), this.stop.signal);
        await this.refreshLeader();
      }
    }
  }

  /** Look the partition's leader up again; UNKNOWN_TOPIC (thrown) if the topic is gone. */
  private async refreshLeader(): Promise<void> {
    const info = (await this.admin.refreshPartitions(this.topic))?.[this.partition];
    if (info) this.leader = info.leader;
  }

  private async start(): Promise<void> {
    if (this.next >= 0) return;
    const spec = this.opts.offset ?? Offset.end();
    const meta = await this.fetch(-1, 0);
    const end = this.isolation === 'read_uncommitted' ? meta.leo : meta.hw;
    const start = resolveOffset(spec, meta.base, end);
    if (start < meta.base || start > meta.leo) {
      throw new OffsetOutOfRangeError(`offset ${start} is outside ${this.topic}/${this.partition}'s range [${meta.base}, ${meta.leo}]`, { offset: start, base: meta.base, leo: meta.leo });
    }
    this.next = start;
  }

  /** Next batch from the leader's log tail, read in place ('miss' when the host keeps no tail). */
  private fromTail(): TailRead {
    const replica = this.leaderId;
    if (this.tail?.replica !== replica) this.tail = { replica, reader: this.t.tailReader(replica) };
    return this.tail.reader?.read(this.next, this.isolation === 'read_uncommitted' ? 'leo' : 'hw') ?? 'miss';
  }

  /** Whole batches from the current position on; follows the log (never ends unless closed). */
  async *batches(): AsyncGenerator<ConsumedBatch> {
    await this.start();
    while (!this.closed) {
      const fromTail = this.fromTail();
      if (fromTail === 'idle') {
        await this.tail!.reader!.waitForData(CONSUMER_DEFAULTS.tailWaitMs);
        continue;
      }
      if (fromTail === 'pending') {
        await this.t.sleep(1, this.stop.signal);
        continue;
      }
      if (fromTail === 'closed') {
        await this.refreshLeader(); // UNKNOWN_TOPIC if the topic is gone
        await this.t.sleep(CONSUMER_DEFAULTS.retryMs, this.stop.signal);
        continue;
      }
      let list: Uint8Array[];
      if (fromTail !== 'miss') list = [fromTail];
      else {
        // A long poll: close() does not wait for its answer.
        const fetching = this.fetch(this.next, this.opts.waitMs ?? CONSUMER_DEFAULTS.waitMs);
        fetching.catch(() => {}); // after close() nobody awaits it
        const r = await Promise.race([fetching, this.stopped]);
        if (r === 'closed') return;
        list = r.batches; // the caller's own bytes: a host copies what it shares (thread-transport.ts)
      }
      for (const bytes of list) {
        validateBatch(bytes, undefined, false);
        if (batchLastOffset(bytes) < this.next) continue;
        const batch = new ConsumedBatch(this.partition, bytes, this.next, this.indexScratch);
        this.next = batchLastOffset(bytes) + 1;
        yield batch;
        if (this.closed) return;
      }
    }
  }

  async *[Symbol.asyncIterator](): AsyncGenerator<ConsumerRecord> {
    for await (const b of this.batches()) {
      for (const r of b.records) {
        const rec = r as ConsumerRecord;
        rec.partition = this.partition;
        yield rec;
      }
    }
  }
}
