/**
 * A Fetch response written as chunks — the framing and partition headers as small encoded
 * pieces, each partition's record batches as the log bytes themselves — so the listener hands
 * the socket several buffers (one writev) instead of copying every batch into one response frame.
 * The connection asks any handler result that is a ChunkedResponse for its chunks.
 *
 *   [ size i32 | correlationId i32 | (v12+: header tags) | throttle | error | session |
 *     topics: name or id, partitions: index error hw lso logStart aborted=[] (v11+ preferred)
 *     recordsLength ] [ batch ] [ batch ] … [ (v12+ partition tags) next partition header … ]
 *     [ … topic tags, response tags ]
 *
 * Covers the body the fetch handler builds (no aborted transactions, no tagged fields) at every
 * served version, 4–17 (flexible from 12, topic ids from 13). Invariant: the chunks concatenated
 * equal `encodeResponse(Fetch, version, correlationId, body())` byte for byte (a property test
 * checks every version).
 */
import { Writer } from '../../protocol/writer.js';
import { ApiKey, isFlexibleVersion, responseHeaderVersion, writeResponseHeader } from '../../protocol/index.js';

export interface FetchPartitionOut {
  partitionIndex: number;
  errorCode: number;
  highWatermark: bigint;
  lastStableOffset: bigint;
  logStartOffset: bigint;
  preferredReadReplica: number;
  /** Whole batches, back to back on the wire. */
  records: readonly Uint8Array[];
}
export interface FetchTopicOut {
  topic: string;
  topicId: string;
  partitions: FetchPartitionOut[];
}
export interface FetchResponseOut {
  throttleTimeMs: number;
  errorCode: number;
  sessionId: number;
  responses: FetchTopicOut[];
}

/** A handler result the connection writes as chunks (no single response buffer). */
export interface ChunkedResponse {
  encodeChunks(correlationId: number, version: number): Uint8Array[];
}

export function isChunkedResponse(res: object): res is ChunkedResponse {
  return typeof (res as Partial<ChunkedResponse>).encodeChunks === 'function';
}

const TOPIC_IDS_FROM = 13 as const;

function concat(parts: readonly Uint8Array[]): Uint8Array {
  if (parts.length === 1) return parts[0]!;
  let n = 0;
  for (const p of parts) n += p.byteLength;
  const out = new Uint8Array(n);
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.byteLength;
  }
  return out;
}

export class ChunkedFetchResponse implements ChunkedResponse {
  constructor(readonly out: FetchResponseOut) {}

  /** The same response as a schema body (records concatenated): for the schema codec and tests. */
  body(): object {
    return {
      ...this.out,
      responses: this.out.responses.map((t) => ({ ...t, partitions: t.partitions.map((p) => ({ ...p, abortedTransactions: [], records: concat(p.records) })) })),
    };
  }

  encodeChunks(correlationId: number, version: number): Uint8Array[] {
    const flex = isFlexibleVersion(ApiKey.Fetch, version);
    const chunks: Uint8Array[] = [];
    let size = 0;
    let w = new Writer(256);
    w.int32(0); // size, patched below
    writeResponseHeader(w, correlationId, responseHeaderVersion(ApiKey.Fetch, version));
    w.int32(this.out.throttleTimeMs);
    if (version >= 7) {
      w.int16(this.out.errorCode);
      w.int32(this.out.sessionId);
    }
    w.arrayLength(this.out.responses.length, flex);
    for (const t of this.out.responses) {
      if (version >= TOPIC_IDS_FROM) w.uuid(t.topicId);
      else w.string(t.topic, flex);
      w.arrayLength(t.partitions.length, flex);
      for (const p of t.partitions) {
        w.int32(p.partitionIndex);
        w.int16(p.errorCode);
        w.int64(p.highWatermark);
        w.int64(p.lastStableOffset);
        if (version >= 5) w.int64(p.logStartOffset);
        w.arrayLength(0, flex); // abortedTransactions: []
        if (version >= 11) w.int32(p.preferredReadReplica);
        let n = 0;
        for (const b of p.records) n += b.byteLength;
        w.length(n, 'int32', flex);
        if (n > 0) {
          const head = w.finish();
          chunks.push(head);
          size += head.byteLength;
          for (const b of p.records) {
            if (b.byteLength === 0) continue;
            chunks.push(b);
            size += b.byteLength;
          }
          w = new Writer(64);
        }
        if (flex) w.uvarint(0); // partition tagged fields
      }
      if (flex) w.uvarint(0); // topic tagged fields
    }
    if (flex) w.uvarint(0); // response tagged fields
    const tail = w.finish();
    if (tail.byteLength > 0) {
      chunks.push(tail);
      size += tail.byteLength;
    }
    const first = chunks[0]!;
    new DataView(first.buffer, first.byteOffset, 4).setInt32(0, size - 4);
    return chunks;
  }
}
