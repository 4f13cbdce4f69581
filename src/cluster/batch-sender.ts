/**
 * The producer's delivery side (DESIGN §5): seals a partition's batch, stamps it for idempotence,
 * waits for its turn and sends it to the partition's leader, retrying until it is acknowledged or
 * its delivery timeout passes. The accumulation side (records into builders, backpressure, flush)
 * is producer.ts.
 *
 * Idempotence: the producer id is asked of the SC once (`initProducerId`), when the first batch
 * is sealed; batches sealed before it arrives wait and are stamped, in order, when it does. A
 * server that grants no ids (a plain Kafka behind `connect()`, an older listener) makes the
 * producer a plain one. Sequencing and the in-flight bound are producer-sequences.ts.
 *
 * Retries: NOT_LEADER, WORKER_EXITED, TIMEOUT (with the partition's leader looked up again) and,
 * for an idempotent producer, OUT_OF_ORDER_SEQUENCE / INVALID_PRODUCER_EPOCH: a restamped batch is
 * sent again at once, the oldest unacknowledged batch restarts the partition's sequence, a later
 * one waits for the earlier to land. UNKNOWN_TOPIC, OUT_OF_SPACE and everything else fail the batch.
 */
import type { HostTransport } from '../runtime/transport.js';
import { replicaActorId, type PartitionInfo, type ProduceAck, type ProducerIdGrant } from '../../actors/messages.js';
import type { BatchBuilder, BatchOptions } from '../storage/index.js';
import { BatchBuffers } from './batch-buffers.js';
import { RivuletError, ErrorCode, fromPlainError } from '../runtime/errors.js';
import type { Admin } from './admin.js';
import { batchBufferBytes, builderStartBytes, type ResolvedProducerOptions } from './producer-options.js';
import { PartitionSequence, type ProducerId, type Sealed } from './producer-sequences.js';
import type { BatchOutcome } from './send-receipt.js';

const NO_STAMP: BatchOptions = Object.freeze({});
const backoff = (attempt: number) => Math.min(500, 10 * 2 ** Math.min(attempt, 6));

export class BatchSender {
  private idempotent: boolean;
  /** The producer id once the SC granted it (idempotent producers). */
  private id: ProducerId | null = null;
  private idRequest: Promise<void> | null = null;
  /** By partition. */
  private readonly sequences: (PartitionSequence | undefined)[] = [];
  /** Set by the producer's close(): no more retries. */
  closed = false;
  /** Batch buffers cycled through builders when the transport copies batches (batch-buffers.ts). */
  private readonly buffers: BatchBuffers | null;

  constructor(
    private readonly topic: string,
    private partitions: PartitionInfo[],
    private readonly t: HostTransport,
    private readonly admin: Admin,
    private readonly opts: ResolvedProducerOptions,
  ) {
    this.idempotent = opts.idempotent;
    this.buffers = t.producedBatchesCopied === true ? new BatchBuffers(builderStartBytes(opts), batchBufferBytes(opts)) : null;
  }

  /** The producer id and epoch stamped in batches (null: not granted yet, or not idempotent). */
  get producerId(): ProducerId | null {
    return this.idempotent ? this.id : null;
  }

  get partitionCount(): number {
    return this.partitions.length;
  }

  /**
   * Finish the builder's batch and deliver it: settles `outcome` (base offset or error), then
   * calls `onSettled(outcome, batchBytes)`. A batch that may go at once (room in flight, the
   * producer id known) costs no promise beyond its delivery.
   */
  send(partition: number, builder: BatchBuilder, outcome: BatchOutcome, onSettled: (o: BatchOutcome, bytes: number) => void): void {
    const ps = this.sequence(partition);
    const count = builder.count;
    let seq = -1;
    let stamp: BatchOptions = NO_STAMP;
    if (this.idempotent && this.id) {
      seq = ps.take(count);
      stamp = { producerId: this.id.producerId, producerEpoch: ps.epoch, baseSequence: seq };
    }
    // A batch that fills a quarter of its builder's buffer or more leaves in that buffer, swapped
    // for a pooled one of the same size; a small one is copied out (cheap) and the builder keeps
    // its buffer.
    const b = this.buffers;
    const size = builder.bufferBytes;
    const pool = b !== null && b.classOf(size) >= 0 && builder.sizeBytes >= size >> 2 ? b : null;
    const batch = pool ? builder.finishSwap(stamp, pool.take(size)) : builder.finish(stamp);
    const s: Sealed = { batch, count, bytes: batch.length, outcome, seq };
    const finish = (base: number, err: Error | undefined): void => {
      ps.done(s);
      ps.pump(this.ready);
      pool?.give(s.batch); // settled: nothing reads these bytes any more
      if (err) outcome.reject(err);
      else outcome.resolve(base);
      onSettled(outcome, s.bytes);
    };
    s.go = (err) => {
      if (err) return finish(-1, err);
      this.deliver(partition, ps, s).then((base) => finish(base, undefined), (e: Error) => finish(-1, e));
    };
    ps.waiting.push(s);
    ps.pump(this.ready);
    if (!this.ready) this.requestId();
  }

  private get ready(): boolean {
    return !this.idempotent || this.id !== null;
  }

  private sequence(partition: number): PartitionSequence {
    let ps = this.sequences[partition];
    if (!ps) this.sequences[partition] = ps = new PartitionSequence(this.id?.producerEpoch ?? 0, this.opts.maxInFlight);
    return ps;
  }

  /** Ask the SC for a producer id (once); then stamp what waited for it, in order, and send. */
  private requestId(): void {
    if (this.idRequest) return;
    this.idRequest = (async () => {
      const deadline = this.t.now() + this.opts.deliveryTimeoutMs;
      for (let attempt = 0; ; attempt++) {
        try {
          const g = await this.admin.call<ProducerIdGrant | undefined>({ op: 'initProducerId' });
          if (g && Number.isSafeInteger(g.producerId) && g.producerId >= 0) this.id = { producerId: g.producerId, producerEpoch: g.producerEpoch };
          else this.idempotent = false; // a server that grants no ids
          break;
        } catch (err) {
          const code = err instanceof RivuletError ? err.code : undefined;
          if (code === ErrorCode.UNSUPPORTED || code === ErrorCode.INVALID_ARGUMENT) {
            this.idempotent = false; // an older or foreign server: plain delivery
            break;
          }
          if (!(err instanceof RivuletError) || !err.retriable || this.closed || this.t.now() >= deadline) {
            for (const ps of this.sequences) ps?.failWaiting(err as Error);
            return;
          }
          await this.t.sleep(backoff(attempt));
        }
      }
      for (const ps of this.sequences) {
        if (!ps) continue;
        if (this.id) for (const s of ps.waiting) if (s.seq < 0) ps.stamp(s, this.id);
        ps.pump(true);
      }
    })().finally(() => {
      this.idRequest = null;
    });
  }

  private async deliver(partition: number, ps: PartitionSequence, s: Sealed): Promise<number> {
    const deadline = this.t.now() + this.opts.deliveryTimeoutMs;
    for (let attempt = 0; ; attempt++) {
      const sent = s.batch;
      try {
        const p = this.partitions[partition]!;
        const timeout = Math.max(1, Math.min(this.opts.requestTimeoutMs, deadline - this.t.now()));
        const ack = (await this.t.produce(replicaActorId(this.topic, partition, p.leader), sent, this.opts.acks, timeout)) as ProduceAck | undefined;
        if (!ack) return -1;
        if (ack.error) throw fromPlainError(ack.error);
        return ack.baseOffset;
      } catch (err) {
        if (!(err instanceof RivuletError) || this.closed || this.t.now() >= deadline) throw err;
        if (this.id && (err.code === ErrorCode.OUT_OF_ORDER_SEQUENCE || err.code === ErrorCode.INVALID_PRODUCER_EPOCH)) {
          if (s.batch !== sent) continue; // restamped meanwhile: send the new stamp
          // The oldest unacknowledged batch out of order: what came before is settled (acked or
          // failed for good), so the partition restarts its sequence. A later batch waits for
          // the earlier ones to land first.
          if (ps.isOldest(s)) ps.resequence(this.id, `${this.topic}/${partition}`);
          else await this.t.sleep(backoff(attempt));
          continue;
        }
        if (!err.retriable || err.code === ErrorCode.OUT_OF_SPACE) throw err;
        await this.t.sleep(backoff(attempt));
        this.partitions = (await this.admin.refreshPartitions(this.topic)) ?? this.partitions;
      }
    }
  }
}
