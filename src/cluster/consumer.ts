/**
 * Partition consumer (DESIGN §8): an async iterator of records, or of whole batches with lazily
 * decoded records. Reads the leader replica's tail ring in place when the host has one (thread
 * host): each frame is one stored batch, bounded by the HW (read_committed) or LEO published in
 * the ring header; one copy leaves the ring, then `stillValid()` proves the writer did not lap
 * it meanwhile. Data older than the ring, a lapped reader, or a host without rings (sim) use
 * long-poll Fetch requests to the leader instead.
 *
 * Invariants: offsets are yielded strictly increasing from the start offset, each at most once;
 * read_committed never yields at or past HW; a batch is validated (CRC) before its records are.
 */
import type { HostTransport } from '../runtime/transport.js';
import { replicaActorId, type FetchReply, type Isolation, type PartitionInfo } from '../../actors/messages.js';
import {
  RingReader, RingCounter, batchBaseOffset, batchLastOffset, decodeBatch, validateBatch, type Record,
} from '../storage/index.js';
import { RivuletError, ErrorCode, fromPlainError } from '../runtime/errors.js';
import type { Admin } from './admin.js';
import { resolveOffset, type OffsetSpec, Offset } from './offset.js';

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

export class ConsumedBatch {
  private decoded: Record[] | undefined;
  constructor(
    readonly partition: number,
    /** The whole stored batch (a private copy). */
    readonly bytes: Uint8Array,
    /** First offset this consumer had not yet seen when the batch arrived. */
    private readonly fromOffset: number,
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
  /** Records at or after the consumer's position, decoded on first access. */
  get records(): Record[] {
    if (!this.decoded) {
      // The leader verified the CRC when the batch entered its log; the bytes reached us through
      // shared memory or structured clone, so only the framing is re-checked here.
      const records = decodeBatch(this.bytes, { verifyCrc: false }).records;
      this.decoded = records[0] && records[0].offset >= this.fromOffset ? records : records.filter((r) => r.offset >= this.fromOffset);
    }
    return this.decoded;
  }
}

const CONSUMER_DEFAULTS = { maxBytes: 1 << 20, waitMs: 500, ringWaitMs: 20, retryMs: 50 } as const;

export class PartitionConsumer implements AsyncIterable<ConsumerRecord> {
  readonly partition: number;
  private readonly isolation: Isolation;
  private next = -1;
  private closed = false;
  private leader: number;
  private ringSab: SharedArrayBuffer | undefined;
  private reader: RingReader | undefined;

  constructor(
    readonly topic: string,
    info: PartitionInfo,
    private readonly t: HostTransport,
    private readonly admin: Admin,
    private readonly opts: ConsumerOptions,
  ) {
    this.partition = info.partition;
    this.leader = info.leader;
    this.isolation = opts.isolation ?? 'read_committed';
  }

  /** Where the next record will come from. */
  get position(): number {
    return this.next;
  }

  close(): void {
    this.closed = true;
  }

  private get leaderId(): string {
    return replicaActorId(this.topic, this.partition, this.leader);
  }

  private async fetch(offset: number, waitMs: number): Promise<FetchReply> {
    for (let attempt = 0; ; attempt++) {
      try {
        const reqId = this.t.nextReqId();
        const r = await this.t.request<FetchReply>(this.leaderId, {
          type: 'Fetch', reqId, replyTo: this.t.clientId, offset, isolation: this.isolation,
          maxBytes: this.opts.maxBytes ?? CONSUMER_DEFAULTS.maxBytes, waitMs,
        } as never, waitMs + 10_000);
        if (r.error) throw fromPlainError(r.error);
        return r;
      } catch (err) {
        if (!(err instanceof RivuletError) || !err.retriable || this.closed) throw err;
        await this.t.sleep(Math.min(1000, CONSUMER_DEFAULTS.retryMs * 2 ** Math.min(attempt, 5)));
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
      throw new RivuletError(ErrorCode.OFFSET_OUT_OF_RANGE, `offset ${start} is outside ${this.topic}/${this.partition}'s range [${meta.base}, ${meta.leo}]`, { offset: start, base: meta.base, leo: meta.leo });
    }
    this.next = start;
  }

  /**
   * Next batch from the tail ring: a private copy, 'idle' (no frame yet), 'pending' (frames exist
   * but are not committed yet), or undefined when the ring cannot serve `next` (older data, lapped).
   */
  private fromRing(): Uint8Array | 'idle' | 'pending' | 'closed' | undefined {
    const sab = this.t.tailRing(this.leaderId);
    if (!sab) return undefined;
    if (sab !== this.ringSab || !this.reader || this.reader.lapped) {
      this.ringSab = sab;
      this.reader = new RingReader(sab, { from: 'oldest' });
    }
    const r = this.reader;
    if (r.closed) return 'closed'; // the replica's log was removed or replaced: look it up again
    const bound = r.counter(this.isolation === 'read_uncommitted' ? RingCounter.leo : RingCounter.hw);
    for (;;) {
      const pos = r.position;
      const frame = r.next();
      // No frame: if `next` is committed it is older than everything in this ring (a fresh ring
      // after a restart, or one that wrapped): fetch it. Otherwise wait for new data.
      if (!frame) return r.lapped || this.next < bound ? undefined : 'idle';
      const base = batchBaseOffset(frame);
      const last = batchLastOffset(frame);
      if (last < this.next) continue;
      if (base > this.next) {
        r.seek(pos); // `next` is older than anything in the ring: fetch it
        return undefined;
      }
      if (last >= bound) {
        r.seek(pos); // stored but not yet committed (HW moves by whole batches)
        return 'pending';
      }
      const copy = frame.slice();
      if (!r.stillValid()) return undefined;
      return copy;
    }
  }

  /** Whole batches from the current position on; follows the log (never ends unless closed). */
  async *batches(): AsyncGenerator<ConsumedBatch> {
    await this.start();
    while (!this.closed) {
      const fromRing = this.fromRing();
      if (fromRing === 'idle') {
        await this.reader!.waitForDataAsync(CONSUMER_DEFAULTS.ringWaitMs);
        continue;
      }
      if (fromRing === 'pending') {
        await this.t.sleep(1);
        continue;
      }
      if (fromRing === 'closed') {
        await this.refreshLeader(); // UNKNOWN_TOPIC if the topic is gone
        await this.t.sleep(CONSUMER_DEFAULTS.retryMs);
        continue;
      }
      const list = fromRing ? [fromRing] : (await this.fetch(this.next, this.opts.waitMs ?? CONSUMER_DEFAULTS.waitMs)).batches;
      for (const bytes of list) {
        validateBatch(bytes, undefined, false);
        if (batchLastOffset(bytes) < this.next) continue;
        const batch = new ConsumedBatch(this.partition, bytes, this.next);
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
