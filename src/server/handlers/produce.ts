/**
 * Produce: each partition's RecordBatch v2 bytes go to this SPU's replica of the partition as
 * they are — checked (records decoded once, see splitBatches), never re-encoded (the leader
 * stamps offsets and epoch in place and checks the CRC). A partition this SPU does not lead is
 * NOT_LEADER_OR_FOLLOWER at once, as Kafka clients expect; they refresh metadata and retry at
 * the leader.
 *
 * Invariants: partitions of one request are appended concurrently but each partition's batches in
 * order; a bad batch is rejected for its partition only; acks=0 writes no response at all.
 */
import { BatchLayout, validateBatch } from '../../storage/batch-header.js';
import { BatchIndexScratch, RecordBatchView } from '../../storage/batch-view.js';
import type { RequestContext } from '../context.js';
import { Wire, wireError } from './errors.js';
import { servingLeader } from './metadata.js';

interface ProduceRequest {
  transactionalId: string | null;
  acks: number;
  timeoutMs: number;
  topicData: { name: string; partitionData: { index: number; records: Uint8Array | null }[] }[];
}

const ACKS: Record<number, 0 | 1 | 'all'> = { 0: 0, 1: 1, [-1]: 'all' };

/** A batch Kafka's broker would refuse with this error code. */
class RefusedBatch extends Error {
  constructor(readonly errorCode: number, message: string) {
    super(message);
  }
}

/**
 * Split a records blob into whole batches, each checked as Kafka's broker checks a produced
 * batch (the leader checks CRCs): framing; uncompressed; every record decodes; recordCount > 0
 * and lastOffsetDelta = recordCount - 1; not a control or transactional batch. A CRC-valid batch
 * with garbage inside would otherwise be stored, and no consumer could read past it.
 */
function splitBatches(records: Uint8Array): Uint8Array[] {
  const out: Uint8Array[] = [];
  for (let at = 0; at < records.byteLength; ) {
    const total = validateBatch(records.subarray(at), undefined, false);
    const b = records.subarray(at, at + total);
    const attributes = (b[BatchLayout.attributes]! << 8) | b[BatchLayout.attributes + 1]!;
    if ((attributes & 0x07) !== 0) throw new RefusedBatch(Wire.UNSUPPORTED_COMPRESSION_TYPE, `compression codec ${attributes & 0x07}: rivulet stores uncompressed batches (produce with compression none)`);
    if ((attributes & 0x30) !== 0) throw new RefusedBatch(Wire.INVALID_RECORD, 'control and transactional batches cannot be produced');
    const d = RecordBatchView.of(b, { verifyCrc: false, scratch: CHECK_SCRATCH });
    d.checkRecords(); // every record decodes (no object per record)
    if (d.count === 0 || d.lastOffsetDelta !== d.count - 1) {
      throw new RefusedBatch(Wire.INVALID_RECORD, `batch of ${d.count} records with lastOffsetDelta ${d.lastOffsetDelta}`);
    }
    out.push(b);
    at += total;
  }
  return out;
}

/** One record index for checking incoming batches (each view is dropped at once, synchronously). */
const CHECK_SCRATCH = new BatchIndexScratch();

export async function produce(rc: RequestContext, body: ProduceRequest) {
  const { server, nodeId } = rc;
  const acks = ACKS[body.acks];
  const timeoutMs = body.timeoutMs > 0 ? body.timeoutMs : server.limits.defaultProduceTimeoutMs;
  const responses = await Promise.all(
    body.topicData.map(async (t) => ({
      name: t.name,
      partitionResponses: await Promise.all(
        t.partitionData.map(async (pd) => {
          const base = { index: pd.index, baseOffset: -1n, logAppendTimeMs: -1n, logStartOffset: -1n, recordErrors: [], errorMessage: null as string | null };
          const fail = (errorCode: number, errorMessage: string) => ({ ...base, errorCode, errorMessage });
          if (acks === undefined) return fail(Wire.INVALID_REQUIRED_ACKS, `acks must be -1, 0 or 1, got ${body.acks}`);
          if (body.transactionalId !== null) return fail(Wire.TRANSACTIONAL_ID_AUTHORIZATION_FAILED, 'rivulet does not support transactions');
          const p = await server.view.partition(t.name, pd.index);
          if (!p) return fail(Wire.UNKNOWN_TOPIC_OR_PARTITION, `unknown topic-partition ${t.name}/${pd.index}`);
          if (servingLeader(p) !== nodeId) return fail(Wire.NOT_LEADER_OR_FOLLOWER, `SPU ${nodeId} is not the leader of ${t.name}/${pd.index}`);
          let batches: Uint8Array[];
          try {
            batches = pd.records ? splitBatches(pd.records) : [];
          } catch (err) {
            return fail(err instanceof RefusedBatch ? err.errorCode : Wire.CORRUPT_MESSAGE, wireError(err).errorMessage ?? 'corrupt record batch');
          }
          if (batches.length === 0) return fail(Wire.CORRUPT_MESSAGE, 'no record batch in the request');
          try {
            let first: { baseOffset: number } | undefined;
            for (const b of batches) {
              const ack = await server.backend.produce(t.name, pd.index, nodeId, b, acks, timeoutMs);
              first ??= ack;
            }
            return { ...base, errorCode: Wire.NONE, baseOffset: BigInt(first?.baseOffset ?? -1), logStartOffset: BigInt(p.base) };
          } catch (err) {
            if (err instanceof Error && 'code' in err && err.code === 'NOT_LEADER') server.view.invalidate();
            const w = wireError(err, server.log);
            return fail(w.errorCode, w.errorMessage ?? '');
          }
        }),
      ),
    })),
  );
  if (acks === 0) return null;
  return { responses, throttleTimeMs: 0 };
}
