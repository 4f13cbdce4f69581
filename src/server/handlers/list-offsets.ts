/**
 * ListOffsets: EARLIEST (-2) = BASE, LATEST (-1) = HW under READ_COMMITTED (and before v2, which
 * has no isolation level) or LEO under READ_UNCOMMITTED; a timestamp ≥ 0 = the first offset whose
 * record timestamp is at or after it (a bounded scan of the log), or LATEST when none is.
 * v0 answers in `oldStyleOffsets`.
 */
import { decodeBatch } from '../../storage/record-batch.js';
import { batchLastOffset, batchMaxTimestamp } from '../../storage/batch-header.js';
import type { Isolation } from '../../../actors/messages.js';
import type { RequestContext } from '../context.js';
import { Wire, wireError } from './errors.js';
import { servingLeader } from './metadata.js';

interface ListOffsetsRequest {
  isolationLevel: number;
  topics: { name: string; partitions: { partitionIndex: number; timestamp: bigint }[] }[];
}

const EARLIEST = -2n;
const LATEST = -1n;
const MAX_SCAN_FETCHES = 1_000;

/** First offset with a timestamp ≥ ts, or undefined (scans at most MAX_SCAN_FETCHES fetches). */
async function offsetForTime(rc: RequestContext, topic: string, partition: number, base: number, end: number, ts: number, isolation: Isolation): Promise<number | undefined> {
  let at = base;
  for (let i = 0; i < MAX_SCAN_FETCHES && at < end; i++) {
    const r = await rc.server.backend.fetch(topic, partition, rc.nodeId, { offset: at, isolation, maxBytes: 1 << 20, waitMs: 0 });
    if (r.batches.length === 0) return undefined;
    for (const b of r.batches) {
      if (batchMaxTimestamp(b) >= ts) {
        const hit = decodeBatch(b, { verifyCrc: false }).records.find((rec) => rec.offset >= at && rec.timestamp >= ts);
        if (hit) return hit.offset;
      }
    }
    at = batchLastOffset(r.batches[r.batches.length - 1]!) + 1;
  }
  return undefined;
}

export async function listOffsets(rc: RequestContext, body: ListOffsetsRequest) {
  const { server, nodeId } = rc;
  const isolation: Isolation = rc.apiVersion >= 2 && body.isolationLevel === 0 ? 'read_uncommitted' : 'read_committed';
  const topics = await Promise.all(
    body.topics.map(async (t) => ({
      name: t.name,
      partitions: await Promise.all(
        t.partitions.map(async (q) => {
          const out = { partitionIndex: q.partitionIndex, errorCode: Wire.NONE as number, oldStyleOffsets: [] as bigint[], timestamp: -1n, offset: -1n, leaderEpoch: -1 };
          const info = await server.view.partition(t.name, q.partitionIndex);
          if (!info) return { ...out, errorCode: Wire.UNKNOWN_TOPIC_OR_PARTITION };
          if (servingLeader(info) !== nodeId) return { ...out, errorCode: Wire.NOT_LEADER_OR_FOLLOWER };
          try {
            const meta = await server.backend.fetch(t.name, q.partitionIndex, nodeId, { offset: -1, isolation, maxBytes: 1, waitMs: 0 });
            const end = isolation === 'read_uncommitted' ? meta.leo : meta.hw;
            let offset: number;
            if (q.timestamp === EARLIEST) offset = meta.base;
            else if (q.timestamp === LATEST || q.timestamp < 0n) offset = end;
            else offset = (await offsetForTime(rc, t.name, q.partitionIndex, meta.base, end, Number(q.timestamp), isolation)) ?? end;
            return { ...out, offset: BigInt(offset), oldStyleOffsets: [BigInt(offset)], leaderEpoch: info.epoch };
          } catch (err) {
            return { ...out, errorCode: wireError(err, server.log).errorCode };
          }
        }),
      ),
    })),
  );
  return { throttleTimeMs: 0, topics };
}
