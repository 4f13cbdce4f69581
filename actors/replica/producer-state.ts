/**
 * The leader's idempotent-producer state (DESIGN §5): per producer id, its epoch and the last
 * `PRODUCER_WINDOW.batches` batches it stored here (sequence range → offsets). A produced batch
 * is checked against it before it is appended:
 *   - no producer id (-1) or no sequence (-1): a plain batch, appended;
 *   - a batch already in the window (same epoch, same first and last sequence): a retry —
 *     answered with the original offsets, never appended again;
 *   - the next sequence after the last stored batch (int32 wrap as Kafka): appended;
 *   - a new (higher) epoch, or a producer this leader does not know: appended if it starts at
 *     sequence 0, else OUT_OF_ORDER_SEQUENCE (the producer restarts its sequence: producer.ts);
 *   - anything else — a gap, or an old batch that left the window — OUT_OF_ORDER_SEQUENCE;
 *     an older epoch: INVALID_PRODUCER_EPOCH (fenced).
 * The state is rebuilt from the log's tail batch headers whenever a replica becomes leader (after
 * an election, a restart, a recovered disk log), so a retry across a failover is still answered
 * with its first offsets: followers copy the producer fields byte for byte.
 *
 * Invariants: at most `producers` ids are kept (least recently used dropped first); each keeps at
 * most `batches` entries, oldest first; only appended batches enter it. The rebuild reads at most
 * about `rebuildBytes` of the tail (a producer whose batches all lie before that is unknown).
 */
import { RivuletError, ErrorCode } from '../../src/runtime/errors.js';
import { BatchLayout, batchBaseOffset, batchLastOffset } from '../../src/storage/batch-layout.js';
import type { PartitionLog } from '../../src/storage/log.js';

export const PRODUCER_WINDOW = {
  /** Batches remembered per producer (the producer keeps at most 32 in flight per partition). */
  batches: 40,
  /** Producer ids remembered per partition. */
  producers: 2_000,
  /** How much of the log tail a new leader reads to rebuild the state. */
  rebuildBytes: 16 * 1024 * 1024,
} as const;

const SEQ_MOD = 2 ** 31;

export interface ProducerStamp {
  producerId: number;
  epoch: number;
  firstSeq: number;
  lastSeq: number;
}

/** The producer fields of a batch, or null for a plain (non-idempotent) batch. */
export function producerStamp(b: Uint8Array): ProducerStamp | null {
  if (b.byteLength < BatchLayout.headerBytes) return null;
  const v = new DataView(b.buffer, b.byteOffset, b.byteLength);
  const producerId = Number(v.getBigInt64(BatchLayout.producerId));
  const firstSeq = v.getInt32(BatchLayout.baseSequence);
  if (producerId < 0 || firstSeq < 0) return null;
  const count = v.getInt32(BatchLayout.lastOffsetDelta) + 1;
  return { producerId, epoch: v.getInt16(BatchLayout.producerEpoch), firstSeq, lastSeq: (firstSeq + count - 1) % SEQ_MOD };
}

interface StoredBatch { firstSeq: number; lastSeq: number; baseOffset: number; lastOffset: number }
interface ProducerEntry { epoch: number; batches: StoredBatch[] }

export type SequenceVerdict =
  | { kind: 'append' }
  | { kind: 'duplicate'; baseOffset: number; lastOffset: number }
  | { kind: 'refuse'; error: RivuletError };

const APPEND: SequenceVerdict = Object.freeze({ kind: 'append' });

export class ProducerWindows {
  /** Insertion order is recency: a producer is re-inserted whenever it stores a batch. */
  private readonly producers = new Map<number, ProducerEntry>();

  constructor(private readonly where: string) {}

  get size(): number {
    return this.producers.size;
  }

  /** What to do with a produced batch (see the header). */
  check(batch: Uint8Array): SequenceVerdict {
    const s = producerStamp(batch);
    if (!s) return APPEND;
    const e = this.producers.get(s.producerId);
    const refuse = (code: ErrorCode, why: string): SequenceVerdict => ({
      kind: 'refuse',
      error: new RivuletError(code, `${this.where}: producer ${s.producerId} epoch ${s.epoch} sequence ${s.firstSeq}: ${why}`, {
        producerId: s.producerId, producerEpoch: s.epoch, baseSequence: s.firstSeq, ...(e ? { knownEpoch: e.epoch } : {}),
      }),
    });
    if (!e || s.epoch > e.epoch) {
      if (s.firstSeq === 0) return APPEND;
      return refuse(ErrorCode.OUT_OF_ORDER_SEQUENCE, e ? 'a new epoch must start at sequence 0' : 'unknown producer: its sequence must start at 0');
    }
    if (s.epoch < e.epoch) return refuse(ErrorCode.INVALID_PRODUCER_EPOCH, `fenced by epoch ${e.epoch}`);
    for (const b of e.batches) {
      if (b.firstSeq === s.firstSeq && b.lastSeq === s.lastSeq) return { kind: 'duplicate', baseOffset: b.baseOffset, lastOffset: b.lastOffset };
    }
    const expected = (e.batches[e.batches.length - 1]!.lastSeq + 1) % SEQ_MOD;
    if (s.firstSeq === expected) return APPEND;
    return refuse(ErrorCode.OUT_OF_ORDER_SEQUENCE, `expected sequence ${expected}`);
  }

  /** A batch was stored at baseOffset..lastOffset: remember it (plain batches are ignored). */
  appended(batch: Uint8Array, baseOffset: number, lastOffset: number): void {
    const s = producerStamp(batch);
    if (!s) return;
    let e = this.producers.get(s.producerId);
    if (e) this.producers.delete(s.producerId);
    if (!e || e.epoch !== s.epoch) e = { epoch: s.epoch, batches: [] };
    this.producers.set(s.producerId, e);
    e.batches.push({ firstSeq: s.firstSeq, lastSeq: s.lastSeq, baseOffset, lastOffset });
    if (e.batches.length > PRODUCER_WINDOW.batches) e.batches.shift();
    if (this.producers.size > PRODUCER_WINDOW.producers) this.producers.delete(this.producers.keys().next().value!);
  }

  /** Forget everything and read the state back from the log's tail batch headers. */
  rebuild(log: PartitionLog): void {
    this.producers.clear();
    for (let next = tailStart(log, PRODUCER_WINDOW.rebuildBytes); next < log.leo; ) {
      const r = log.read(next, { maxOffset: log.leo, maxBytes: 1024 * 1024 });
      if (r.batches.length === 0) break;
      for (const b of r.batches) this.appended(b, batchBaseOffset(b), batchLastOffset(b));
      next = r.nextOffset;
    }
  }

  clear(): void {
    this.producers.clear();
  }
}

/**
 * An offset about `bytes` before the log end: the start of the segment where that point falls,
 * moved forward in proportion when the segment is larger (offsets are dense, so this estimates
 * well for even record sizes; read() starts at the batch holding it).
 */
function tailStart(log: PartitionLog, bytes: number): number {
  const segs = log.segments();
  let end = log.leo;
  let left = bytes;
  for (let i = segs.length - 1; i >= 0; i--) {
    const s = segs[i]!;
    if (s.sizeBytes >= left) {
      const skip = Math.floor(((end - s.baseOffset) * (s.sizeBytes - left)) / Math.max(1, s.sizeBytes));
      return Math.max(log.base, s.baseOffset + skip);
    }
    left -= s.sizeBytes;
    end = s.baseOffset;
  }
  return log.base;
}
