/**
 * A Produce request of one record batch for one partition, written as chunks — the framing and
 * headers as small encoded pieces, the batch as the producer built it — so the connect() client
 * hands the socket the batch bytes as they are instead of copying them into a request buffer.
 *
 *   [ size i32 | apiKey i16 | apiVersion i16 | correlationId i32 | clientId string |
 *     (v9: header tags) | transactionalId | acks i16 | timeoutMs i32 |
 *     topicData: [ name, partitionData: [ index i32, recordsLength ] ] ]  [ batch ]
 *   [ (v9: partition tags, topic tags, request tags) ]
 *
 * Served versions 3–9 (flexible from 9: request header v2, compact lengths). Invariant: the
 * chunks concatenated equal `encodeRequest(Produce, version, …)` for the same body byte for byte
 * (a property test checks every version).
 */
import { Writer } from '../protocol/writer.js';
import { ApiKey, isFlexibleVersion, requestHeaderVersion, writeRequestHeader } from '../protocol/index.js';

export interface ProduceOne {
  transactionalId: string | null;
  acks: number;
  timeoutMs: number;
  topic: string;
  partition: number;
  batch: Uint8Array;
}

/** The request frame (size prefix first) as chunks: [head, batch, tail?]. */
export function encodeProduceChunks(version: number, correlationId: number, clientId: string | null, p: ProduceOne): Uint8Array[] {
  const flex = isFlexibleVersion(ApiKey.Produce, version);
  const w = new Writer(128);
  w.int32(0); // size, patched below
  writeRequestHeader(w, { apiKey: ApiKey.Produce, apiVersion: version, correlationId, clientId }, requestHeaderVersion(ApiKey.Produce, version));
  w.nullableString(p.transactionalId, flex);
  w.int16(p.acks);
  w.int32(p.timeoutMs);
  w.arrayLength(1, flex);
  w.string(p.topic, flex);
  w.arrayLength(1, flex);
  w.int32(p.partition);
  w.length(p.batch.byteLength, 'int32', flex);
  const head = w.finish();
  const chunks = p.batch.byteLength > 0 ? [head, p.batch] : [head];
  if (flex) chunks.push(Uint8Array.of(0, 0, 0)); // partition, topic and request tagged fields: none
  let size = 0;
  for (const c of chunks) size += c.byteLength;
  new DataView(head.buffer, head.byteOffset, 4).setInt32(0, size - 4);
  return chunks;
}
