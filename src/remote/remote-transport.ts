/**
 * Host 3: the host face over the Kafka wire protocol, to a rivulet listener (embedded or the
 * daemon) or to any Kafka cluster. The facade's messages map onto Kafka requests:
 *   AdminRequest → SC  : rivulet's Admin key (JSON), or Kafka's topic APIs (remote-admin.ts)
 *   Fetch → replica    : Fetch to the replica's SPU (= broker); offset -1 → ListOffsets
 *   produce → replica  : Produce to the replica's SPU, the batch bytes as they are
 *   Group* → SC        : rivulet's Group key (JSON), answered by the group coordinator
 * There is no tail ring (every read is a Fetch) and no pushed status event (callers re-check).
 *
 * Invariants: every request settles (answer, TIMEOUT, CONNECTION_ERROR, CLUSTER_CLOSED); a
 * broker's error code becomes the RivuletError the embedded host would have raised.
 */
import type { FetchReply, Fetch, AdminRequest, ProduceAck } from '../../actors/messages.js';
import type { ActorId, Message } from '../runtime/actor.js';
import { SC_ID, clientActorId, replicaOf } from '../runtime/actor-ids.js';
import { RivuletError, ErrorCode, toPlainError } from '../runtime/errors.js';
import type { ClientRequest, HostFaults, HostTransport, TailReader } from '../runtime/transport.js';
import { ApiKey, RivuletApiKey } from '../protocol/index.js';
import { BatchLayout, batchLastOffsetDelta, batchTotalBytes } from '../storage/batch-header.js';
import { BrokerPool } from './broker-pool.js';
import { encodeProduceChunks } from './produce-request.js';
import { errorFromWire, remoteAdmin, rivuletCall } from './remote-admin.js';

export interface RemoteOptions {
  brokers: string[];
  token?: string;
  clientId?: string;
}

const HEADER_BYTES = BatchLayout.headerBytes;
const GROUP_REQUESTS: ReadonlySet<string> = new Set(['GroupJoin', 'GroupSync', 'GroupHeartbeat', 'GroupLeave', 'OffsetCommit', 'OffsetFetch', 'GroupList', 'GroupDescribe']);

/** Whole batches of a Fetch answer (a partial tail batch is dropped, as Kafka clients do). */
export function splitRecords(records: Uint8Array | null): Uint8Array[] {
  const out: Uint8Array[] = [];
  if (!records) return out;
  for (let at = 0; at + HEADER_BYTES <= records.byteLength; ) {
    const total = batchTotalBytes(records.subarray(at));
    if (total < HEADER_BYTES || at + total > records.byteLength) break;
    out.push(records.subarray(at, at + total));
    at += total;
  }
  return out;
}

export class RemoteTransport implements HostTransport {
  readonly clientId: ActorId = clientActorId('remote');
  private reqSeq = 1;
  private closed = false;
  readonly faults: HostFaults;

  private constructor(readonly pool: BrokerPool) {
    const fault = (op: string, spuId: number) => rivuletCall(this.pool, RivuletApiKey.Fault, { op, spuId }).then(() => undefined);
    this.faults = {
      crashSpu: (id) => fault('crashSpu', id),
      restartSpu: (id) => fault('restartSpu', id),
      killWorker: (id) => fault('killWorker', id),
      setDisconnected: (id, cut) => fault(cut ? 'disconnectSpu' : 'reconnectSpu', id),
      storageFault: (id, op) => fault(op, id),
    };
  }

  static async connect(opts: RemoteOptions): Promise<RemoteTransport> {
    const pool = new BrokerPool({ brokers: opts.brokers, token: opts.token, clientId: opts.clientId ?? 'rivulet' });
    try {
      await pool.refresh();
    } catch (err) {
      pool.close();
      throw err;
    }
    return new RemoteTransport(pool);
  }

  nextReqId(): number {
    return this.reqSeq++;
  }

  private check(): void {
    if (this.closed) throw new RivuletError(ErrorCode.CLUSTER_CLOSED, 'connection is closed');
  }

  async request<R extends Message>(to: ActorId, msg: ClientRequest, timeoutMs: number): Promise<R> {
    this.check();
    if (to === SC_ID && msg.type === 'AdminRequest') {
      const { type: _t, reqId, replyTo: _r, ...op } = msg as AdminRequest;
      try {
        return { type: 'AdminReply', reqId, result: await remoteAdmin(this.pool, op, timeoutMs) } as unknown as R;
      } catch (err) {
        return { type: 'AdminReply', reqId, error: toPlainError(err) } as unknown as R;
      }
    }
    if (to === SC_ID && GROUP_REQUESTS.has(msg.type)) {
      // Group-coordinator requests travel on rivulet's Group key; the reply is the coordinator's own.
      const { reqId, replyTo: _r, ...body } = msg;
      const reply = (await rivuletCall(this.pool, RivuletApiKey.Group, body, timeoutMs)) as Record<string, unknown>;
      return { ...reply, reqId } as unknown as R;
    }
    const rep = replicaOf(to);
    if (rep && msg.type === 'Fetch') return (await this.fetch(rep, msg as Fetch, timeoutMs)) as unknown as R;
    throw new RivuletError(ErrorCode.UNSUPPORTED, `the remote host cannot carry ${msg.type} to ${to}`);
  }

  private async fetch(rep: { topic: string; partition: number; spuId: number }, f: Fetch, timeoutMs: number): Promise<FetchReply> {
    const reply = (extra: Partial<FetchReply>): FetchReply => ({ type: 'FetchReply', reqId: f.reqId, batches: [], hw: -1, leo: -1, base: -1, ...extra });
    try {
      const c = await this.pool.node(rep.spuId);
      if (f.offset === -1) {
        const ask = async (timestamp: bigint, isolationLevel: number) => {
          const r = await c.request(ApiKey.ListOffsets, { replicaId: -1, isolationLevel, topics: [{ name: rep.topic, partitions: [{ partitionIndex: rep.partition, timestamp, currentLeaderEpoch: -1, maxNumOffsets: 1 }] }] }, timeoutMs);
          const p = r.topics[0]?.partitions[0];
          if (!p) throw new RivuletError(ErrorCode.PROTOCOL_ERROR, 'ListOffsets answer without the partition');
          if (p.errorCode !== 0) throw errorFromWire(p.errorCode, `ListOffsets ${rep.topic}/${rep.partition}: error ${p.errorCode}`);
          return Number(c.versionOf(ApiKey.ListOffsets) === 0 ? (p.oldStyleOffsets[0] ?? -1n) : p.offset);
        };
        const [base, hw, leo] = await Promise.all([ask(-2n, 1), ask(-1n, 1), ask(-1n, 0)]);
        return reply({ base, hw, leo });
      }
      const r = await c.request(ApiKey.Fetch, {
        replicaId: -1, maxWaitMs: f.waitMs, minBytes: 1, maxBytes: f.maxBytes, isolationLevel: f.isolation === 'read_committed' ? 1 : 0,
        sessionId: 0, sessionEpoch: -1,
        topics: [{ topic: rep.topic, partitions: [{ partition: rep.partition, fetchOffset: BigInt(f.offset), partitionMaxBytes: f.maxBytes, currentLeaderEpoch: -1, logStartOffset: -1n }] }],
        forgottenTopicsData: [], rackId: '',
      }, timeoutMs);
      if (r.errorCode !== 0) throw errorFromWire(r.errorCode, `Fetch: error ${r.errorCode}`);
      const p = r.responses[0]?.partitions[0];
      if (!p) throw new RivuletError(ErrorCode.PROTOCOL_ERROR, 'Fetch answer without the partition');
      if (p.errorCode !== 0) throw errorFromWire(p.errorCode, `Fetch ${rep.topic}/${rep.partition} at ${f.offset}: error ${p.errorCode}`, { data: { offset: f.offset } });
      const hw = Number(p.highWatermark);
      return reply({ batches: splitRecords(p.records), hw, leo: hw, base: Number(p.logStartOffset) });
    } catch (err) {
      if (err instanceof RivuletError && err.code === ErrorCode.CLUSTER_CLOSED) throw err;
      return reply({ error: toPlainError(err) });
    }
  }

  send(to: ActorId, msg: Message): void {
    throw new RivuletError(ErrorCode.UNSUPPORTED, `the remote host cannot send ${msg.type} to ${to}`);
  }

  onEvent(): () => void {
    return () => undefined; // no pushed events over the Kafka protocol
  }

  async produce(to: ActorId, batch: Uint8Array, acks: 0 | 1 | 'all', timeoutMs: number): Promise<Message | undefined> {
    this.check();
    const rep = replicaOf(to);
    if (!rep) throw new RivuletError(ErrorCode.INVALID_ARGUMENT, `${to} is not a replica`);
    const c = await this.pool.node(rep.spuId);
    // The batch goes to the socket as it is (chunks), not copied into a request buffer.
    const one = { transactionalId: null, acks: acks === 'all' ? -1 : acks, timeoutMs, topic: rep.topic, partition: rep.partition, batch };
    const encode = (version: number, correlationId: number) => encodeProduceChunks(version, correlationId, c.clientId, one);
    if (acks === 0) {
      await c.sendNoResponseChunks(ApiKey.Produce, encode);
      return undefined;
    }
    const r = await c.requestChunks(ApiKey.Produce, encode, timeoutMs + 5_000);
    const p = r.responses[0]?.partitionResponses[0];
    if (!p) throw new RivuletError(ErrorCode.PROTOCOL_ERROR, 'Produce answer without the partition');
    if (p.errorCode !== 0) {
      const failed: ProduceAck = { type: 'ProduceAck', reqId: 0, baseOffset: -1, lastOffset: -1, error: toPlainError(errorFromWire(p.errorCode, p.errorMessage ?? `Produce ${rep.topic}/${rep.partition}: error ${p.errorCode}`)) };
      return failed;
    }
    const base = Number(p.baseOffset);
    const ack: ProduceAck = { type: 'ProduceAck', reqId: 0, baseOffset: base, lastOffset: base + batchLastOffsetDelta(batch) };
    return ack;
  }

  tailReader(): TailReader | undefined {
    return undefined;
  }

  now(): number {
    return Date.now();
  }

  sleep(ms: number, wake?: AbortSignal): Promise<void> {
    return new Promise((resolve) => {
      if (wake?.aborted) return resolve();
      const t = setTimeout(done, ms);
      function done(): void {
        clearTimeout(t);
        wake?.removeEventListener('abort', done);
        resolve();
      }
      wake?.addEventListener('abort', done, { once: true });
    });
  }

  threadCount(): number {
    return 0;
  }

  /** Ask the server to shut the whole cluster down; resolves once the server closed. */
  async shutdownCluster(): Promise<void> {
    const c = await this.pool.any();
    const gone = new Promise<void>((r) => c.onClose(r));
    await rivuletCall(this.pool, RivuletApiKey.ClusterShutdown, {});
    await gone;
  }

  async shutdown(): Promise<void> {
    this.closed = true;
    this.pool.close();
  }
}
