/**
 * Adapters over the two independent implementations used for golden bytes:
 * kafkajs 2.2.4 (CommonJS, src/protocol/requests/<api>/v<N>/{request,response}.js) and
 * @platformatic/kafka 1.35.0 (ESM, dist/apis/<group>/<name>-v<N>.js: createRequest/parseResponse).
 * Read for facts and driven as black boxes; nothing from them is copied into src/.
 */
import { createRequire } from 'node:module';
import path from 'node:path';
import { pathToFileURL } from 'node:url';

const require = createRequire(import.meta.url);
const NODE_MODULES = path.resolve(path.dirname(new URL(import.meta.url).pathname), '../../../node_modules');
const KJ = path.join(NODE_MODULES, 'kafkajs');
const PK = path.join(NODE_MODULES, '@platformatic/kafka');

export const kjRequire = (rel) => require(path.join(KJ, 'src', rel));
const pkImport = (rel) => import(pathToFileURL(path.join(PK, 'dist', rel)).href);

/** kafkajs request body bytes (no size, no header). */
export async function kjRequestBody(api, version, args) {
  const req = kjRequire(`protocol/requests/${api}/v${version}/request.js`)(args);
  const enc = await req.encode();
  return new Uint8Array(enc.buffer);
}

/** kafkajs whole request frame: int32 size | header v1 | body. */
export async function kjRequestFrame(api, version, args, correlationId, clientId) {
  const request = kjRequire(`protocol/requests/${api}/v${version}/request.js`)(args);
  const frame = await kjRequire('protocol/request.js')({ correlationId, clientId, request });
  return new Uint8Array(frame.buffer);
}

/** kafkajs response decoder (decode only: parse() throws on error codes by design). */
export async function kjDecodeResponse(api, version, bytes) {
  const { decode } = kjRequire(`protocol/requests/${api}/v${version}/response.js`);
  return decode(Buffer.from(bytes));
}

/** A RecordBatch exactly as kafkajs's Produce v3+ encoder builds it for these messages. */
export async function kjRecordBatch(messages) {
  const Record = kjRequire('protocol/recordBatch/record/v0/index.js');
  const { RecordBatch } = kjRequire('protocol/recordBatch/v0/index.js');
  const Long = kjRequire('utils/long.js');
  const timestamps = messages.map((m) => m.timestamp).sort();
  const firstTimestamp = timestamps[0];
  const records = messages.map((m, i) => Record({ ...m, offsetDelta: i, timestampDelta: m.timestamp - firstTimestamp }));
  const batch = await RecordBatch({
    compression: 0, records, firstTimestamp, maxTimestamp: timestamps[timestamps.length - 1],
    producerId: Long.fromInt(-1), producerEpoch: 0, transactional: false, lastOffsetDelta: records.length - 1,
  });
  return new Uint8Array(batch.buffer);
}

/** @platformatic/kafka request body bytes from createRequest(...args). */
export async function pkRequestBody(file, args) {
  const mod = await pkImport(`apis/${file}.js`);
  const w = mod.createRequest(...args);
  return new Uint8Array(w.buffer);
}

/** @platformatic/kafka response decoder; a ResponseError (non-zero error codes) yields its .response. */
export async function pkDecodeResponse(file, apiKey, version, bytes) {
  const mod = await pkImport(`apis/${file}.js`);
  const { Reader } = await pkImport('protocol/reader.js');
  try {
    return mod.parseResponse(0, apiKey, version, Reader.from(Buffer.from(bytes)));
  } catch (e) {
    if (e && e.response) return e.response;
    throw e;
  }
}

/** @platformatic/kafka's Writer, for a header built the way its connection.send() builds it. */
export async function pkWriter() {
  const { Writer } = await pkImport('protocol/writer.js');
  return Writer;
}

/** A RecordBatch as @platformatic/kafka builds it (protocol/records.js createRecordsBatch). */
export async function pkRecordBatch(messages, options = {}) {
  const { createRecordsBatch } = await pkImport('protocol/records.js');
  return new Uint8Array(createRecordsBatch(messages, options).buffer);
}
