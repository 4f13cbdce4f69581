/**
 * The listener under hostile input (DESIGN §8: "a malformed or oversized frame gets an error
 * response or a closed connection; the server never crashes on input and never changes data
 * because of it").
 *
 * A live listener on 3 SPUs with a seeded topic gets 10,000+ frames from fast-check over real
 * sockets: fully random bytes, honest size prefixes around garbage, real request headers (every
 * served key and version, rivulet's private keys 32000–32004, unserved and unknown keys, versions
 * out of range) with random or truncated bodies, lying lengths (a size larger than what is sent,
 * then close; smaller than the body), negative sizes, sizes over the 64 MiB maximum, byte-mutated
 * requests, schema-valid requests with random field values (some aimed at the real topic and its
 * partitions), and Produce requests carrying a corrupted RecordBatch for a real partition. Every
 * connection carries a pipeline of frames; the test predicts, frame by frame, what the server
 * must do and checks it:
 * - a connection whose stream turns malformed is closed by the server (no client timeout);
 * - every answer comes back in request order with the request's correlation id, and decodes
 *   with the codec at the request's version (ApiVersions at an unknown version: KIP-511 v0 + 35);
 * - a connection that stays well-formed gets every answer;
 * - no handler fails (nothing logged at error level);
 * - after the barrage, the listener serves kafkajs (metadata, produce, fetchTopicOffsets), and no
 *   data changed: same topics, same base/HW/LEO/size per partition, same records byte for byte.
 * Legitimate commands are kept out of the barrage (a well-formed ClusterShutdown, a CreateTopics
 * with a valid new name, a Produce whose batch passes the CRC …): they would change data by design.
 */
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import net from 'node:net';
import fc from 'fast-check';
import pino from 'pino';
import { Kafka } from 'kafkajs';
import { Offset } from '../../src/index.js';
import { encodeRequest, decodeRequest, decodeResponse } from '../../src/protocol/api.js';
import { ProtocolError } from '../../src/protocol/errors.js';
import { ApiKey, RivuletApiKey, SERVED_APIS, isFlexibleVersion, messagesOf, type AnyApiKey } from '../../src/protocol/registry.js';
import { ROUTES } from '../../src/server/dispatch.js';
import { SERVER_LIMITS } from '../../src/server/limits.js';
import { decodeBatch, encodeBatch } from '../../src/storage/record-batch.js';
import { validateBatch } from '../../src/storage/batch-header.js';
import { crc32c } from '../../src/storage/crc32c.js';
import { bodyArb } from '../protocol/arbitrary.js';
import { serve, kafkajsQuiet, type Served, rawExchange } from './helpers.js';

const TOPIC = 'adversarial-data';
const PARTITIONS = 3;
const MAX_FRAME = SERVER_LIMITS.maxFrameBytes; // the listener runs with the default limit
const TOPIC_NAME = /^[a-z0-9]([a-z0-9-]*[a-z0-9])?$/;
const FRAMES_WANTED = 10_000;
const CONNECTIONS_PER_RUN = 25;
/** How long a connection may take to be answered or closed (generous: a loaded machine may hold an election meanwhile). */
const ANSWER_TIMEOUT_MS = 20_000;
const enc = new TextEncoder();
const hex = (b: Uint8Array | null) => (b === null ? null : Buffer.from(b).toString('hex'));

// ---------------------------------------------------------------------------------------------
// Byte helpers

function int32(n: number): Uint8Array {
  const b = Buffer.alloc(4);
  b.writeInt32BE(n | 0);
  return b;
}

function concat(parts: readonly Uint8Array[]): Uint8Array {
  return Buffer.concat(parts.map((p) => Buffer.from(p.buffer, p.byteOffset, p.byteLength)));
}

/** A request header (v1, or v2 when the key/version is flexible) — for any key, served or not. */
function header(apiKey: number, version: number, correlationId: number, clientId: string | null, tags: Uint8Array | null): Uint8Array {
  const b = Buffer.alloc(8);
  b.writeInt16BE(apiKey);
  b.writeInt16BE(version, 2);
  b.writeInt32BE(correlationId, 4);
  const id = clientId === null ? Buffer.from([0xff, 0xff]) : Buffer.concat([Buffer.from([0, 0]), Buffer.from(clientId)]);
  if (clientId !== null) id.writeInt16BE(id.length - 2);
  const flex = tags ?? (isFlexibleVersion(apiKey, version) ? Uint8Array.of(0) : new Uint8Array(0));
  return concat([b, id, flex]);
}

// ---------------------------------------------------------------------------------------------
// What the server must do with a connection's byte stream (mirrors src/server/connection.ts)

interface Expect { apiKey: number; version: number; correlationId: number; kip511: boolean }
interface Analysis {
  /** Answers due, in order, up to the frame that ends the connection. */
  ideal: Expect[];
  /** The server closes the connection on its own (bad prefix, undecodable frame, SASL failure …). */
  serverCloses: boolean;
  /** Why a script is not adversarial input but a legitimate command (kept out of the barrage). */
  unsafe: string | null;
}

interface Target { topic: string; topicId: string }
const target: Target = { topic: TOPIC, topicId: '00000000-0000-0000-0000-000000000000' };

/** Whole frames in `bytes` (without size prefixes); `bad` = a size prefix the server refuses. */
function frames(bytes: Uint8Array): { frames: Uint8Array[]; bad: boolean } {
  const out: Uint8Array[] = [];
  const v = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let at = 0;
  while (bytes.length - at >= 4) {
    const size = v.getInt32(at);
    if (size < 0 || size > MAX_FRAME) return { frames: out, bad: true };
    if (bytes.length - at - 4 < size) break;
    out.push(bytes.subarray(at + 4, at + 4 + size));
    at += 4 + size;
  }
  return { frames: out, bad: false };
}

/** A decodable request that would change data by design (not malformed input). */
function legitimateCommand(apiKey: number, body: Record<string, any>): string | null {
  switch (apiKey) {
    case RivuletApiKey.ClusterShutdown:
      return 'ClusterShutdown';
    case RivuletApiKey.Admin:
    case RivuletApiKey.Fault:
      try {
        const op = JSON.parse(Buffer.from(body.payload as Uint8Array).toString('utf8')) as unknown;
        return typeof op === 'object' && op !== null && 'op' in op ? 'rivulet op' : null;
      } catch {
        return null;
      }
    case ApiKey.CreateTopics:
      return (body.topics as { name: string }[]).some((t) => TOPIC_NAME.test(t.name) && t.name !== TOPIC) && !body.validateOnly ? 'CreateTopics' : null;
    case ApiKey.DeleteTopics:
      return [...(body.topicNames as string[]), ...(body.topics as { name: string | null; topicId: string }[]).flatMap((t) => [t.name, t.topicId])]
        .some((n) => n === TOPIC || n === target.topicId) ? 'DeleteTopics' : null;
    case ApiKey.Produce:
      for (const t of body.topicData as { partitionData: { records: Uint8Array | null }[] }[]) {
        for (const p of t.partitionData) {
          if (!p.records || p.records.length === 0) continue;
          if (acceptableBatches(p.records)) return 'Produce with a valid batch';
        }
      }
      return null;
    default:
      return null;
  }
}

/** Would Kafka's broker append these batches? (CRC, framing, uncompressed, records decode, count = lastOffsetDelta + 1, no control/transactional bit.) */
function acceptableBatches(records: Uint8Array): boolean {
  try {
    for (let at = 0; at < records.length; ) {
      const total = validateBatch(records.subarray(at));
      const d = decodeBatch(records.subarray(at, at + total));
      if ((d.attributes & 0x37) !== 0 || d.records.length === 0 || d.lastOffsetDelta !== d.records.length - 1) return false;
      at += total;
    }
    return true;
  } catch {
    return false;
  }
}

function analyze(stream: Uint8Array): Analysis {
  const { frames: fs, bad } = frames(stream);
  const ideal: Expect[] = [];
  let closes = false;
  let unsafe: string | null = null;
  for (const f of fs) {
    let d: ReturnType<typeof decodeRequest> | undefined;
    try {
      d = decodeRequest(f);
    } catch (e) {
      if (closes) continue;
      if (e instanceof ProtocolError && e.code === 'UNSUPPORTED_VERSION' && e.header?.apiKey === ApiKey.ApiVersions) {
        ideal.push({ apiKey: ApiKey.ApiVersions, version: 0, correlationId: e.header.correlationId, kip511: true });
      } else closes = true;
      continue;
    }
    // Frames after a handler's close-after-answer are still dispatched: check them all.
    unsafe ??= legitimateCommand(d.header.apiKey, d.body as Record<string, any>);
    if (closes) continue;
    const { apiKey, apiVersion: version, correlationId } = d.header;
    const route = ROUTES.get(apiKey);
    if (!route || version < route.minVersion || version > route.maxVersion) {
      closes = true;
      continue;
    }
    const exp: Expect = { apiKey, version, correlationId, kip511: false };
    if (apiKey === ApiKey.SaslHandshake) {
      ideal.push(exp);
      if (version < 1 || (d.body as { mechanism: string }).mechanism !== 'PLAIN') closes = true;
    } else if (apiKey === ApiKey.SaslAuthenticate) {
      ideal.push(exp); // no token on this listener: always refused, then closed
      closes = true;
    } else if (apiKey === ApiKey.Produce && (d.body as { acks: number }).acks === 0) {
      // acks=0: no answer at all
    } else ideal.push(exp);
  }
  return { ideal, serverCloses: closes || bad, unsafe };
}

// ---------------------------------------------------------------------------------------------
// Arbitraries: one "unit" = the bytes of one (possibly broken) frame

const UNKNOWN_KEYS = [-32768, -1, 4, 5, 6, 7, 21, 23, 44, 57, 68, 1000, 31999, 32005, 32767];
const SAFE_APIS = SERVED_APIS.filter((a) => a.apiKey !== RivuletApiKey.ClusterShutdown);
const RETARGETED: ReadonlySet<number> = new Set([ApiKey.Produce, ApiKey.Fetch, ApiKey.ListOffsets, ApiKey.Metadata, ApiKey.DescribeConfigs, ApiKey.CreatePartitions]);

const correlationArb = fc.integer({ min: -0x80000000, max: 0x7fffffff });
const clientIdArb = fc.option(fc.string({ maxLength: 12 }), { nil: null, freq: 5 });
const prefixed = (body: Uint8Array) => concat([int32(body.length), body]);

/** Points topic names, ids and partition indexes of a body at the real topic. */
function retarget(v: unknown, partition: number): unknown {
  if (Array.isArray(v)) return v.map((x) => retarget(x, partition));
  if (v === null || typeof v !== 'object' || v instanceof Uint8Array) return v;
  const o: Record<string, unknown> = {};
  for (const [k, x] of Object.entries(v)) {
    if ((k === 'name' || k === 'topic' || k === 'resourceName') && typeof x === 'string') o[k] = target.topic;
    else if (k === 'topicId' && typeof x === 'string') o[k] = target.topicId;
    else if ((k === 'index' || k === 'partition' || k === 'partitionIndex') && typeof x === 'number') o[k] = partition;
    else o[k] = retarget(x, partition);
  }
  return o;
}

/** A schema-valid request (random field values) for one of `apis` at a version its codec knows, as frame body bytes. */
const wellFormedArbOf = (apis: typeof SERVED_APIS): fc.Arbitrary<Uint8Array> => fc
  .constantFrom(...apis)
  .chain((a) => fc.integer({ min: a.minVersion, max: a.maxVersion }).map((v) => [a, v] as const))
  .chain(([a, v]) =>
    fc.record({
      body: bodyArb(messagesOf(a.apiKey).request, v),
      corr: correlationArb,
      clientId: clientIdArb,
      aim: fc.boolean(),
      partition: fc.integer({ min: -1, max: PARTITIONS }),
      plain: fc.boolean(),
    }).map(({ body, corr, clientId, aim, partition, plain }) => {
      let b: any = body;
      if (aim && RETARGETED.has(a.apiKey)) b = retarget(b, partition);
      if (a.apiKey === ApiKey.CreateTopics) b = { ...b, topics: (b.topics as { name: string }[]).map((t) => ({ ...t, name: `#${t.name}` })) };
      if (a.apiKey === ApiKey.SaslHandshake && plain) b = { ...b, mechanism: 'PLAIN' };
      try {
        return encodeRequest(a.apiKey as AnyApiKey, v, corr, clientId, b).subarray(4);
      } catch {
        return encodeRequest(ApiKey.ApiVersions, 0, corr, clientId, {}).subarray(4);
      }
    }),
  );
/** Any key with a codec: served ones, the consumer-group keys the listener does not serve yet, SASL. */
const wellFormedBodyArb = wellFormedArbOf(SAFE_APIS);
/** Keys the listener serves and answers without closing (for the pipeline ahead of a connection's last frame). */
const servedBodyArb = wellFormedArbOf(SAFE_APIS.filter((a) => ROUTES.has(a.apiKey) && a.apiKey !== ApiKey.SaslAuthenticate && a.apiKey !== ApiKey.SaslHandshake));

/**
 * A real RecordBatch for a real partition with 1–3 bytes changed: either in the CRC-covered part
 * or the length (the CRC no longer matches), or anywhere from the attributes on with the CRC
 * recomputed (garbage that passes the CRC: bad records, counts, offset deltas, compression or
 * control bits).
 */
const corruptProduceArb: fc.Arbitrary<Uint8Array> = fc
  .record({
    records: fc.array(fc.record({ key: fc.option(fc.uint8Array({ maxLength: 8 }), { nil: null }), value: fc.uint8Array({ maxLength: 40 }) }), { minLength: 1, maxLength: 4 }),
    flips: fc.array(fc.tuple(fc.nat(), fc.integer({ min: 1, max: 255 })), { minLength: 1, maxLength: 3 }),
    recrc: fc.boolean(),
    partition: fc.integer({ min: 0, max: PARTITIONS - 1 }),
    version: fc.integer({ min: 3, max: 9 }),
    acks: fc.constantFrom(-1, 0, 1),
    corr: correlationArb,
  })
  .map(({ records, flips, recrc, partition, version, acks, corr }) => {
    const batch = Uint8Array.from(encodeBatch(records.map((r) => ({ key: r.key, value: r.value })), { timestamp: 1 }));
    for (const [at, x] of flips) {
      if (recrc) {
        batch[21 + (at % (batch.length - 21))] ^= x;
        continue;
      }
      const covered = batch.length - 16; // [8,12) length, [16,…) magic, CRC and everything it covers
      const i = at % (covered + 4);
      batch[i < 4 ? 8 + i : 12 + i] ^= x;
    }
    if (recrc) new DataView(batch.buffer).setUint32(17, crc32c(batch, 21, batch.length));
    return encodeRequest(ApiKey.Produce, version, corr, 'adversary', {
      transactionalId: null, acks, timeoutMs: 1_000,
      topicData: [{ name: target.topic, partitionData: [{ index: partition, records: batch }] }],
    }).subarray(4);
  });

const keyVersionArb: fc.Arbitrary<readonly [number, number]> = fc.oneof(
  fc.constantFrom(...SERVED_APIS).chain((a) => fc.integer({ min: a.minVersion, max: a.maxVersion }).map((v) => [a.apiKey, v] as const)),
  fc.tuple(fc.constantFrom(...SERVED_APIS.map((a) => a.apiKey)), fc.integer({ min: -32768, max: 32767 })),
  fc.tuple(fc.constantFrom(...UNKNOWN_KEYS), fc.integer({ min: -2, max: 20 })),
  fc.tuple(fc.integer({ min: -32768, max: 32767 }), fc.integer({ min: -32768, max: 32767 })),
);

const unitArbs = {
  /** Bytes with no structure at all. */
  random: fc.uint8Array({ minLength: 1, maxLength: 128 }),
  /** An honest size prefix around garbage. */
  sizedGarbage: fc.uint8Array({ maxLength: 256 }).map(prefixed),
  /** A real header (any key and version, served or not), then a random body. */
  headerRandomBody: fc
    .tuple(keyVersionArb, correlationArb, clientIdArb, fc.option(fc.uint8Array({ maxLength: 6 }), { nil: null, freq: 4 }), fc.uint8Array({ maxLength: 96 }))
    .map(([[k, v], corr, id, tags, body]) => prefixed(concat([header(k, v, corr, id, tags), body]))),
  /** A valid request cut short, with an honest size prefix for what is left. */
  truncated: fc.tuple(fc.oneof(wellFormedBodyArb, corruptProduceArb), fc.nat()).map(([b, n]) => prefixed(b.subarray(0, n % Math.max(1, b.length)))),
  /** A valid request whose size prefix says more than is sent (the client then closes). */
  lyingLonger: fc.tuple(wellFormedBodyArb, fc.integer({ min: 1, max: 100_000 })).map(([b, extra]) => concat([int32(b.length + extra), b])),
  /** A valid request whose size prefix says less: the rest becomes the next "frame". */
  lyingShorter: fc.tuple(wellFormedBodyArb, fc.nat()).map(([b, n]) => concat([int32(n % Math.max(1, b.length)), b])),
  negativeSize: fc.tuple(fc.integer({ min: -0x80000000, max: -1 }), fc.uint8Array({ maxLength: 32 })).map(([n, rest]) => concat([int32(n), rest])),
  overMax: fc.tuple(fc.integer({ min: MAX_FRAME + 1, max: 0x7fffffff }), fc.uint8Array({ maxLength: 32 })).map(([n, rest]) => concat([int32(n), rest])),
  /** A valid request with 1–4 bytes overwritten (header or body). */
  mutated: fc.tuple(fc.oneof(wellFormedBodyArb, corruptProduceArb), fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 })), { minLength: 1, maxLength: 4 }))
    .map(([b, muts]) => {
      const m = Uint8Array.from(b);
      for (const [at, x] of muts) if (m.length > 0) m[at % m.length] = x;
      return prefixed(m);
    }),
  wellFormed: wellFormedBodyArb.map(prefixed),
  served: servedBodyArb.map(prefixed),
  corruptProduce: corruptProduceArb.map(prefixed),
};

const lastUnitArb = fc.oneof(
  { arbitrary: unitArbs.random, weight: 2 },
  { arbitrary: unitArbs.sizedGarbage, weight: 2 },
  { arbitrary: unitArbs.headerRandomBody, weight: 4 },
  { arbitrary: unitArbs.truncated, weight: 3 },
  { arbitrary: unitArbs.lyingLonger, weight: 1 },
  { arbitrary: unitArbs.lyingShorter, weight: 1 },
  { arbitrary: unitArbs.negativeSize, weight: 1 },
  { arbitrary: unitArbs.overMax, weight: 1 },
  { arbitrary: unitArbs.mutated, weight: 3 },
  { arbitrary: unitArbs.wellFormed, weight: 2 },
  { arbitrary: unitArbs.corruptProduce, weight: 2 },
);
/** Frames ahead of the last one on a connection: decodable requests the listener serves, so the pipeline gets answered. */
const leadingUnitArb = fc.oneof(
  { arbitrary: unitArbs.served, weight: 3 },
  { arbitrary: unitArbs.corruptProduce, weight: 1 },
);

interface Script {
  broker: number;
  units: Uint8Array[];
  /** Write sizes, cycled (empty: one write). */
  chunks: number[];
  /** Wait for the answers to every frame but the last before sending the last (else all at once). */
  paced: boolean;
  analysis: Analysis;
  /** The analysis of every unit but the last. */
  lead: Analysis;
}

const scriptArb: fc.Arbitrary<Script> = fc
  .record({
    broker: fc.nat(PARTITIONS - 1),
    lead: fc.array(leadingUnitArb, { maxLength: 8 }),
    last: lastUnitArb,
    chunks: fc.array(fc.integer({ min: 1, max: 300 }), { maxLength: 5 }),
    paced: fc.boolean(),
  })
  .map(({ broker, lead, last, chunks, paced }) => ({
    broker, units: [...lead, last], chunks, paced, analysis: analyze(concat([...lead, last])), lead: analyze(concat(lead)),
  }))
  .filter((s) => s.analysis.unsafe === null);

// ---------------------------------------------------------------------------------------------
// Running a script over a real socket

/** Checks what came back; returns a problem or null. `complete`: every ideal answer must be there. */
function checkAnswers(received: Uint8Array, a: Analysis, complete: boolean): string | null {
  const { frames: got, bad } = frames(received);
  if (bad) return 'the server wrote a bad size prefix';
  let consumed = 0;
  for (const [i, f] of got.entries()) {
    consumed += 4 + f.length;
    const want = a.ideal[i];
    if (!want) return `unexpected answer #${i} (correlation ${new DataView(f.buffer, f.byteOffset).getInt32(0)})`;
    try {
      const r = decodeResponse(want.apiKey as AnyApiKey, want.kip511 ? 0 : want.version, f);
      if (r.correlationId !== want.correlationId) return `answer #${i}: correlation ${r.correlationId}, expected ${want.correlationId} (api ${want.apiKey} v${want.version})`;
      if (want.kip511 && (r.body as { errorCode: number }).errorCode !== 35) return `answer #${i}: ApiVersions fallback without error 35`;
    } catch (e) {
      return `answer #${i} (api ${want.apiKey} v${want.version}) does not decode: ${(e as Error).message}`;
    }
  }
  if (complete && got.length !== a.ideal.length) return `${got.length} answers, expected ${a.ideal.length}`;
  if (complete && consumed !== received.length) return 'a partial answer at the end';
  return null;
}

/** Answers received per api key, across the barrage. */
const answeredByKey = new Map<number, number>();

function runScript(port: number, s: Script): Promise<string | null> {
  const { analysis: a } = s;
  const cut = concat(s.units.slice(0, -1)).length;
  const stream = concat(s.units);
  const pace = s.paced && !s.lead.serverCloses && s.lead.ideal.length > 0;
  return new Promise((resolve) => {
    const sock = net.connect(port, '127.0.0.1');
    sock.setNoDelay(true);
    const got: Buffer[] = [];
    let bytes = 0;
    let closed = false;
    let lastSent = false;
    let timer: NodeJS.Timeout | undefined;
    let done = false;
    const received = () => Buffer.concat(got);
    const answersIn = () => frames(received()).frames.length;
    const finish = (problem: string | null) => {
      clearTimeout(timer);
      sock.destroy();
      if (done) return;
      done = true;
      for (const e of a.ideal.slice(0, answersIn())) answeredByKey.set(e.apiKey, (answeredByKey.get(e.apiKey) ?? 0) + 1);
      resolve(problem);
    };
    const write = (from: number, to: number) => {
      for (let i = 0, at = from; at < to; i++) {
        const n = s.chunks.length > 0 ? s.chunks[i % s.chunks.length]! : to - at;
        sock.write(stream.subarray(at, Math.min(at + n, to)));
        at += n;
      }
    };
    const sendLast = () => {
      lastSent = true;
      write(pace ? cut : 0, stream.length);
      if (!a.serverCloses && a.ideal.length === 0) sock.end();
    };
    sock.on('error', () => undefined); // resets count as closes
    sock.on('data', (d) => {
      got.push(d);
      bytes += d.length;
      const n = answersIn();
      if (!lastSent && n >= s.lead.ideal.length) {
        const problem = checkAnswers(received(), s.lead, true); // the lead's answers, all of them
        if (problem) return finish(`before the last frame: ${problem}`);
        sendLast();
      }
      if (lastSent && !a.serverCloses && n >= a.ideal.length) {
        const problem = checkAnswers(received(), a, true);
        sock.end(); // we are done; the server closes its side too
        if (problem) finish(problem);
      }
    });
    sock.on('close', () => {
      closed = true;
      if (!lastSent) return finish(`the server closed before the last frame (${answersIn()} of ${s.lead.ideal.length} answers)`);
      finish(checkAnswers(received(), a, !a.serverCloses));
    });
    sock.on('connect', () => {
      if (pace) write(0, cut);
      else sendLast();
      timer = setTimeout(() => {
        if (closed) return;
        finish(a.serverCloses && lastSent
          ? `the server did not close the connection (${bytes} answer bytes)`
          : `answers missing after ${ANSWER_TIMEOUT_MS} ms: ${answersIn()} of ${lastSent ? a.ideal.length : s.lead.ideal.length}`);
      }, ANSWER_TIMEOUT_MS);
    });
  });
}

/** One ApiVersions v3 round trip: the broker is alive and answering. */
async function alive(port: number): Promise<boolean> {
  const probe = encodeRequest(ApiKey.ApiVersions, 3, 4242, 'probe', { clientSoftwareName: 'probe', clientSoftwareVersion: '1' });
  const problem = await runScript(port, { broker: 0, units: [probe], chunks: [], paced: false, analysis: analyze(probe), lead: analyze(new Uint8Array(0)) });
  return problem === null;
}


// ---------------------------------------------------------------------------------------------

interface Snapshot {
  topics: string[];
  partitions: { topic: string; partition: number; base: number; hw: number; leo: number; sizeBytes: number }[];
  records: string[];
}

describe('the listener under random and adversarial frames', () => {
  let s: Served;
  const errors: string[] = [];
  /** Leaders of the topic's partitions now (an SPU slowed down by a loaded machine may lose leadership: not a data change). */
  const leaders = async () => (await s.cluster.admin.listPartitions()).filter((p) => p.topic === TOPIC).sort((a, b) => a.partition - b.partition).map((p) => p.leader);

  async function snapshot(): Promise<Snapshot> {
    // Let replication settle first (every replica at the leader's LEO), so a snapshot taken right
    // after an election compares committed data only.
    for (const deadline = Date.now() + 15_000; Date.now() < deadline; await new Promise((r) => setTimeout(r, 50))) {
      const ps = await s.cluster.admin.listPartitions();
      if (ps.every((p) => p.resolution === 'Online' && p.hw === p.leo && p.replicaStatus.every((r) => r.leo === p.leo))) break;
    }
    const topics = (await s.cluster.admin.listTopics()).map((t) => t.name).sort();
    const parts = (await s.cluster.admin.listPartitions()).sort((a, b) => a.topic.localeCompare(b.topic) || a.partition - b.partition);
    const records: string[] = [];
    for (const p of parts.filter((x) => x.topic === TOPIC && x.hw > 0)) {
      const c = await s.cluster.consumer(TOPIC, { partition: p.partition, offset: Offset.beginning() });
      let n = 0;
      for await (const r of c) {
        records.push(JSON.stringify({ p: p.partition, o: r.offset, t: r.timestamp, k: hex(r.key), v: hex(r.value), h: r.headers.map((h) => [h.key, hex(h.value)]) }));
        if (++n >= p.hw - p.base) break;
      }
      c.close();
    }
    return {
      topics,
      partitions: parts.map(({ topic, partition, base, hw, leo, sizeBytes }) => ({ topic, partition, base, hw, leo, sizeBytes })),
      records,
    };
  }

  beforeAll(async () => {
    const logger = pino({ level: 'error' }, { write: (line: string) => void errors.push(line) });
    s = await serve({ spus: 3 }, { logger, limits: { maxFetchWaitMs: 50 } });
    await s.cluster.admin.createTopic(TOPIC, { partitions: PARTITIONS, replicationFactor: 3 });
    const producer = await s.cluster.producer(TOPIC, { acks: 'all' });
    await producer.sendBatch(Array.from({ length: 300 }, (_, i) => ({
      key: `key-${i}`, value: Uint8Array.from({ length: i % 50 }, (_, j) => (i * 31 + j) & 0xff), partition: i % PARTITIONS,
    })));
    await producer.flush();
    const meta = await rawExchange(s.listener.port, [encodeRequest(ApiKey.Metadata, 12, 1, 'setup', { topics: [{ topicId: '00000000-0000-0000-0000-000000000000', name: TOPIC }] })], 1);
    const m = decodeResponse(ApiKey.Metadata, 12, meta.received.subarray(4, 4 + meta.received.readInt32BE(0)));
    target.topicId = m.body.topics[0]!.topicId;
  });
  afterAll(async () => s?.stop());

  const portOf = (spu: number) => s.listener.brokers.find((b) => b.nodeId === spu)!.port;

  it('answers ApiVersions at version 99 with the KIP-511 v0 fallback (error 35) and keeps the connection', async () => {
    const v99 = prefixed(concat([header(ApiKey.ApiVersions, 99, 77, 'future-client', null), enc.encode('whatever a v99 body is')]));
    const v3 = encodeRequest(ApiKey.ApiVersions, 3, 78, 'future-client', { clientSoftwareName: 'x', clientSoftwareVersion: '1' });
    const r = await rawExchange(s.listener.port, [v99, v3], 2);
    expect(r.closedByServer).toBe(false);
    const { frames: got } = frames(r.received);
    expect(got).toHaveLength(2);
    const fallback = decodeResponse(ApiKey.ApiVersions, 0, got[0]!);
    expect(fallback.correlationId).toBe(77);
    expect(fallback.body.errorCode).toBe(35);
    expect(fallback.body.apiKeys).toEqual([{ apiKey: ApiKey.ApiVersions, minVersion: 0, maxVersion: 3 }]);
    const full = decodeResponse(ApiKey.ApiVersions, 3, got[1]!);
    expect(full.correlationId).toBe(78);
    expect(full.body.errorCode).toBe(0);
    expect(full.body.apiKeys.map((k) => k.apiKey)).toEqual(expect.arrayContaining([0, 1, 3, 18, 32000, 32004]));
  });

  it('closes the connection on an unknown api key, without an answer', async () => {
    for (const key of [9999, 57, -1]) {
      const r = await rawExchange(s.listener.port, [prefixed(concat([header(key, 0, 5, 'x', null), Uint8Array.of(0, 0, 0, 0)]))]);
      expect(r.closedByServer, `api key ${key}`).toBe(true);
      expect(r.received.length).toBe(0);
    }
    // Earlier answers on the same connection still arrive, in order.
    const v = encodeRequest(ApiKey.ApiVersions, 2, 6, 'x', {});
    const r = await rawExchange(s.listener.port, [v, prefixed(header(9999, 0, 7, 'x', null))]);
    expect(r.closedByServer).toBe(true);
    expect(frames(r.received).frames.map((f) => Buffer.from(f).readInt32BE(0))).toEqual([6]);
  });

  it('closes the connection on a frame over the 64 MiB maximum as soon as its size arrives', async () => {
    for (const size of [MAX_FRAME + 1, 0x7fffffff, -1, -0x80000000]) {
      const r = await rawExchange(s.listener.port, [int32(size)]); // the body is never sent
      expect(r.closedByServer, `size ${size}`).toBe(true);
      expect(r.received.length).toBe(0);
    }
  });

  it('refuses corrupted RecordBatches at the leader (bad CRC, or a right CRC over bad contents) and well-formed hostile values', async () => {
    const before = await snapshot();
    const batch = Uint8Array.from(encodeBatch([{ key: enc.encode('k'), value: enc.encode('v') }], { timestamp: 1 }));
    batch[batch.length - 1] ^= 0xff; // CRC no longer matches
    const produce = encodeRequest(ApiKey.Produce, 7, 9, 'x', { transactionalId: null, acks: -1, timeoutMs: 1_000, topicData: [{ name: TOPIC, partitionData: [{ index: 0, records: batch }] }] });
    const fetch = encodeRequest(ApiKey.Fetch, 11, 10, 'x', {
      maxWaitMs: 0, minBytes: 0, maxBytes: -5, isolationLevel: 7,
      topics: [{ topic: TOPIC, partitions: [{ partition: 0, fetchOffset: 2n ** 63n - 1n, partitionMaxBytes: -1 }, { partition: 99, fetchOffset: -7n, partitionMaxBytes: 0 }] }],
    });
    const create = encodeRequest(ApiKey.CreateTopics, 3, 11, 'x', { topics: [{ name: 'huge', numPartitions: 0x7fffffff, replicationFactor: 0x7fff, assignments: [], configs: [] }], timeoutMs: 0, validateOnly: false });
    const r = await rawExchange(portOf((await leaders())[0]!), [produce, fetch, create], 3);
    expect(r.closedByServer).toBe(false);
    const [p, f, c] = frames(r.received).frames;
    expect(decodeResponse(ApiKey.Produce, 7, p!).body.responses[0]!.partitionResponses[0]!.errorCode).toBe(2);
    const fr = decodeResponse(ApiKey.Fetch, 11, f!).body.responses[0]!.partitions;
    expect(fr.map((x) => x.errorCode)).toEqual([1, 3]); // OFFSET_OUT_OF_RANGE, UNKNOWN_TOPIC_OR_PARTITION
    expect(decodeResponse(ApiKey.CreateTopics, 3, c!).body.topics[0]!.errorCode).not.toBe(0);

    // Batches whose CRC is right but whose contents Kafka's broker refuses: none may be stored
    // (a stored one would stop every consumer of the partition at it).
    const good = () => Uint8Array.from(encodeBatch([{ key: enc.encode('k'), value: enc.encode('value') }], { timestamp: 1 }));
    const recrc = (b: Uint8Array) => (new DataView(b.buffer).setUint32(17, crc32c(b, 21, b.length)), b);
    const set = (b: Uint8Array, at: number, v: number, bytes: 2 | 4) => (bytes === 2 ? new DataView(b.buffer).setInt16(at, v) : new DataView(b.buffer).setInt32(at, v), b);
    const refused: [string, Uint8Array, number][] = [
      ['garbage records', recrc(good().fill(0xff, 61)), 2],
      ['count 5, one record', recrc(set(set(good(), 57, 5, 4), 23, 4, 4)), 2],
      ['lastOffsetDelta 2^31-16', recrc(set(good(), 23, 0x7ffffff0, 4)), 87],
      ['control batch', recrc(set(good(), 21, 0x20, 2)), 87],
      ['gzip bit on plain records', recrc(set(good(), 21, 1, 2)), 76],
    ];
    const reqs = refused.map(([, batch], i) => encodeRequest(ApiKey.Produce, 7, 100 + i, 'x', { transactionalId: null, acks: -1, timeoutMs: 1_000, topicData: [{ name: TOPIC, partitionData: [{ index: 0, records: batch }] }] }));
    const rr = await rawExchange(portOf((await leaders())[0]!), reqs, reqs.length);
    const answers = frames(rr.received).frames.map((x) => decodeResponse(ApiKey.Produce, 7, x).body.responses[0]!.partitionResponses[0]!.errorCode);
    expect(answers).toEqual(refused.map(([, , code]) => code));
    expect(await snapshot()).toEqual(before);
  });

  it(`survives ${FRAMES_WANTED.toLocaleString('en')}+ random and adversarial frames; no data changes; kafkajs still works`, async () => {
    const before = await snapshot();
    expect(before.records).toHaveLength(300);
    let sent = 0;
    let connections = 0;
    const numRuns = Math.ceil(FRAMES_WANTED / (CONNECTIONS_PER_RUN * 3.6));
    await fc.assert(
      fc.asyncProperty(fc.array(scriptArb, { minLength: CONNECTIONS_PER_RUN, maxLength: CONNECTIONS_PER_RUN }), async (scripts) => {
        const problems = await Promise.all(scripts.map((sc) => runScript(s.listener.brokers[sc.broker]!.port, sc)));
        sent += scripts.reduce((n, sc) => n + sc.units.length, 0);
        connections += scripts.length;
        const bad = problems.map((p, i) => (p ? `connection ${i}: ${p}` : null)).filter(Boolean);
        if (bad.length > 0) throw new Error(bad.join('\n'));
        if (!(await alive(s.listener.brokers[connections % PARTITIONS]!.port))) throw new Error('the listener stopped answering ApiVersions');
      }),
      { numRuns, ...(process.env.FC_SEED ? { seed: Number(process.env.FC_SEED) } : {}) },
    );
    expect(sent).toBeGreaterThanOrEqual(FRAMES_WANTED);
    expect(errors, 'handler failures (error-level logs)').toEqual([]);
    // The barrage reached every handler, not just the frame decoder.
    const answered = [...answeredByKey.values()].reduce((a, b) => a + b, 0);
    for (const key of ROUTES.keys()) if (key !== RivuletApiKey.ClusterShutdown) expect(answeredByKey.get(key) ?? 0, `answers to api ${key}`).toBeGreaterThan(0);

    // Still alive on every port, and nothing changed.
    for (const b of s.listener.brokers) expect(await alive(b.port)).toBe(true);
    const after = await snapshot();
    expect(after.topics).toEqual(before.topics);
    expect(after.partitions).toEqual(before.partitions);
    expect(after.records).toEqual(before.records);

    // A well-formed client is served as before.
    const kafka = new Kafka({ clientId: 'after-the-storm', brokers: [s.bootstrap], ...kafkajsQuiet });
    const admin = kafka.admin();
    const producer = kafka.producer({ allowAutoTopicCreation: false });
    await admin.connect();
    await producer.connect();
    try {
      const meta = await admin.fetchTopicMetadata({ topics: [TOPIC] });
      expect(meta.topics[0]!.partitions.sort((a, b) => a.partitionId - b.partitionId).map((p) => p.leader)).toEqual(await leaders());
      const res = await producer.send({ topic: TOPIC, acks: -1, messages: Array.from({ length: 30 }, (_, i) => ({ key: `after-${i}`, value: `v${i}`, partition: i % PARTITIONS })) });
      expect(res.every((x) => x.errorCode === 0)).toBe(true);
      const offsets = await admin.fetchTopicOffsets(TOPIC);
      for (const p of before.partitions.filter((x) => x.topic === TOPIC)) {
        expect(Number(offsets.find((o) => o.partition === p.partition)!.high)).toBe(p.hw + 10);
      }
    } finally {
      await producer.disconnect();
      await admin.disconnect();
    }
    console.log(`adversarial: ${sent} frames on ${connections} connections, ${answered} answered`);
  });
});
