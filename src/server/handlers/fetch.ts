/**
 * Fetch: log bytes as they are stored (whole RecordBatch v2 frames, concatenated), bounded by
 * each partition's PartitionMaxBytes and the request's MaxBytes — except that the first batch is
 * always whole (KIP-74), or a client whose limit is smaller than a batch would refetch forever.
 * Long poll: when the first pass finds fewer than MinBytes, every partition is asked again with
 * the remaining MaxWaitMs, and the answer goes out as soon as one has data (or the wait ends).
 *
 * Served from the leader's tail ring in place when it holds the offset (server/tail-fetch.ts; one
 * reader set per connection), else by the SPU worker. The answer is written as chunks: the log's
 * batches go to the socket as they are, never concatenated (fetch-response.ts).
 *
 * Isolation: READ_COMMITTED (1) serves up to HW, READ_UNCOMMITTED (0) up to LEO (rivulet's
 * read_uncommitted, DESIGN §5). LastStableOffset = HW (no transactions); PreferredReadReplica is
 * always -1 (librdkafka drops records otherwise).
 */
import type { FetchReply, Isolation } from '../../../actors/messages.js';
import type { RequestContext } from '../context.js';
import { Wire, wireError } from './errors.js';
import { servingLeader, topicNameOf } from './metadata.js';
import { ChunkedFetchResponse, type FetchPartitionOut } from './fetch-response.js';
import type { TailSession } from '../tail-fetch.js';

interface FetchPartition { partition: number; fetchOffset: bigint; partitionMaxBytes: number }
interface FetchRequest {
  maxWaitMs: number;
  minBytes: number;
  maxBytes: number;
  isolationLevel: number;
  topics: { topic: string; topicId: string; partitions: FetchPartition[] }[];
}

interface Slot { topic: string; topicId: string; p: FetchPartition; reply?: FetchReply; errorCode: number; errorMessage: string | null }

const bytesOf = (r: FetchReply | undefined): number => (r ? r.batches.reduce((n, b) => n + b.byteLength, 0) : 0);

/** The first batches of `batches` that fit `budget` (at least one): sent as they are, not copied. */
function within(batches: Uint8Array[], budget: number): { list: Uint8Array[]; bytes: number } {
  let n = 0;
  let count = 0;
  for (const b of batches) {
    if (count > 0 && n + b.byteLength > budget) break;
    n += b.byteLength;
    count++;
  }
  return { list: count === batches.length ? batches : batches.slice(0, count), bytes: n };
}

export async function fetch(rc: RequestContext, body: FetchRequest): Promise<ChunkedFetchResponse> {
  const { server, nodeId } = rc;
  const session = (rc.conn.fetchSession ??= server.backend.fetchSession());
  const polled = new AbortController();
  const isolation: Isolation = rc.apiVersion >= 4 && body.isolationLevel === 0 ? 'read_uncommitted' : 'read_committed';
  // v13+ names topics by id (Metadata v10+ hands them out): resolve each to its name.
  const byId = rc.apiVersion >= 13;
  const names = await Promise.all(body.topics.map((t) => (byId ? topicNameOf(server.view, t.topicId) : t.topic)));
  const slots: Slot[] = body.topics.flatMap((t, i) => t.partitions.map((p) => ({
    topic: names[i] ?? '', topicId: t.topicId, p,
    errorCode: names[i] === undefined ? Wire.UNKNOWN_TOPIC_ID : Wire.NONE,
    errorMessage: names[i] === undefined ? `unknown topic id ${t.topicId}` : null,
  })));

  const ask = async (s: Slot, waitMs: number): Promise<void> => {
    if (polled.signal.aborted) return;
    if (s.errorCode === Wire.UNKNOWN_TOPIC_ID) return;
    const info = await server.view.partition(s.topic, s.p.partition);
    if (!info) return void Object.assign(s, { errorCode: Wire.UNKNOWN_TOPIC_OR_PARTITION, errorMessage: `unknown topic-partition ${s.topic}/${s.p.partition}` });
    if (servingLeader(info) !== nodeId) return void Object.assign(s, { errorCode: Wire.NOT_LEADER_OR_FOLLOWER, errorMessage: `SPU ${nodeId} is not the leader of ${s.topic}/${s.p.partition}` });
    const offset = Number(s.p.fetchOffset);
    try {
      const reply = await server.backend.fetch(s.topic, s.p.partition, nodeId, {
        offset, isolation, waitMs, maxBytes: Math.max(1, Math.min(s.p.partitionMaxBytes, server.limits.maxFetchResponseBytes)),
        session, signal: polled.signal,
      });
      if (!s.reply || reply.batches.length > 0) s.reply = reply;
    } catch (err) {
      if (err instanceof Error && 'code' in err && err.code === 'NOT_LEADER') server.view.invalidate();
      Object.assign(s, wireError(err, server.log));
    }
  };

  await Promise.all(slots.map((s) => ask(s, 0)));
  const total = (): number => slots.reduce((n, s) => n + bytesOf(s.reply), 0);
  const waitMs = Math.min(Math.max(0, body.maxWaitMs), server.limits.maxFetchWaitMs);
  const healthy = slots.filter((s) => s.errorCode === Wire.NONE);
  if (total() < Math.max(1, body.minBytes) && waitMs > 0 && healthy.length === slots.length && slots.length > 0) {
    // Long poll: answer when any partition has data, or when the wait is over.
    await new Promise<void>((resolve) => {
      let left = healthy.length;
      for (const s of healthy) {
        void ask(s, waitMs).then(() => {
          left--;
          if (bytesOf(s.reply) > 0 || left === 0) resolve();
        });
      }
    });
    polled.abort(); // the other partitions' tail waits end now (worker long polls time out)
  }

  let budget = Math.max(1, Math.min(body.maxBytes > 0 ? body.maxBytes : server.limits.maxFetchResponseBytes, server.limits.maxFetchResponseBytes));
  let first = true;
  const byTopic = new Map<string, FetchPartitionOut[]>();
  for (const s of slots) {
    let records: Uint8Array[] = []; // written as an empty records field, never null: librdkafka rejects MessageSetSize -1
    const r = s.reply;
    if (r && s.errorCode === Wire.NONE && r.batches.length > 0 && (first || budget > 0)) {
      const taken = within(r.batches, first ? Math.max(budget, 1) : budget);
      records = taken.list;
      budget -= taken.bytes;
      first = false;
    }
    const hw = r && s.errorCode === Wire.NONE ? BigInt(r.hw) : -1n;
    const entry: FetchPartitionOut = {
      partitionIndex: s.p.partition,
      errorCode: s.errorCode,
      highWatermark: hw,
      lastStableOffset: hw,
      logStartOffset: r && s.errorCode === Wire.NONE ? BigInt(r.base) : -1n,
      preferredReadReplica: -1,
      records,
    };
    const key = byId ? s.topicId : s.topic;
    let list = byTopic.get(key);
    if (!list) byTopic.set(key, (list = []));
    list.push(entry);
  }
  return new ChunkedFetchResponse({
    throttleTimeMs: 0,
    errorCode: Wire.NONE,
    sessionId: 0,
    responses: [...byTopic].map(([key, partitions]) => (byId ? { topicId: key, topic: '', partitions } : { topic: key, topicId: '', partitions })),
  });
}
