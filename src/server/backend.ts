/**
 * What the Kafka listener needs from a cluster, as one small interface: admin ops to the SC,
 * produce and fetch to a partition's replica on a given SPU, status events, faults and shutdown.
 * `backendOf(cluster)` builds it from the facade; the listener never touches a host directly, so
 * it serves any host face (threads, simulator, a remote cluster).
 *
 * Invariant: every method throws RivuletError (typed, with a code) for operating errors.
 */
import type { AdminOp, Fetch, FetchReply, Isolation, PartitionStatusEvent } from '../../actors/messages.js';
import { CLIENT_LIMITS } from '../../actors/replica/client-requests.js';
import { replicaActorId } from '../runtime/actor-ids.js';
import { RivuletError, ErrorCode, fromPlainError, type PlainError } from '../runtime/errors.js';
import type { Cluster } from '../cluster/cluster.js';
import { GroupClient, type GroupReplyOf, type GroupRequestBody } from '../cluster/groups.js';
import { TailSession } from './tail-fetch.js';

export type FaultOp = 'crashSpu' | 'restartSpu' | 'killWorker' | 'disconnectSpu' | 'reconnectSpu' | 'fillStorage' | 'freeStorage';
export const FAULT_OPS: readonly FaultOp[] = ['crashSpu', 'restartSpu', 'killWorker', 'disconnectSpu', 'reconnectSpu', 'fillStorage', 'freeStorage'];

export interface FetchArgs {
  offset: number;
  isolation: Isolation;
  maxBytes: number;
  waitMs: number;
  /** The client connection's tail readers: read the log tail in place where the host has one. */
  session?: TailSession;
  /** Aborted when the answer no longer matters (another partition answered a long poll). */
  signal?: AbortSignal;
}

/** A long poll on the tail re-reads at least this often (a ring dropped at shutdown is noticed). */
const TAIL_WAIT_SLICE_MS = 50 as const;

export interface ServerBackend {
  admin<T>(op: AdminOp): Promise<T>;
  /** One RecordBatch v2 to the replica of topic/partition on SPU `spuId`; acks 0 resolves at hand-off. */
  produce(topic: string, partition: number, spuId: number, batch: Uint8Array, acks: 0 | 1 | 'all', timeoutMs: number): Promise<{ baseOffset: number; lastOffset: number } | undefined>;
  fetch(topic: string, partition: number, spuId: number, args: FetchArgs): Promise<FetchReply>;
  /** Per client connection: where fetches keep their tail readers (args.session). */
  fetchSession(): TailSession;
  onStatus(handler: (e: PartitionStatusEvent) => void): () => void;
  fault(op: FaultOp, spuId: number): Promise<void>;
  shutdown(): Promise<void>;
  /** One request to the group coordinator (joins and syncs may be parked: give a timeout that covers it). */
  group<B extends GroupRequestBody>(body: B, timeoutMs: number): Promise<GroupReplyOf[B['type']]>;
}

interface AckLike { type: string; baseOffset: number; lastOffset: number; error?: PlainError }

export function backendOf(cluster: Cluster): ServerBackend {
  const t = cluster.transport;
  const groups = new GroupClient(t, 30_000);
  return {
    admin: <T>(op: AdminOp) => cluster.admin.call<T>(op),
    async produce(topic, partition, spuId, batch, acks, timeoutMs) {
      const ack = (await t.produce(replicaActorId(topic, partition, spuId), batch, acks, timeoutMs)) as AckLike | undefined;
      if (!ack) return undefined;
      if (ack.error) throw fromPlainError(ack.error);
      return { baseOffset: ack.baseOffset, lastOffset: ack.lastOffset };
    },
    async fetch(topic, partition, spuId, args) {
      const replica = replicaActorId(topic, partition, spuId);
      let waitMs = args.waitMs;
      if (args.session) {
        const deadline = t.now() + waitMs;
        // The worker's own cap, so that both paths answer alike.
        const tailArgs = { offset: args.offset, isolation: args.isolation, maxBytes: Math.min(Math.max(1, args.maxBytes), CLIENT_LIMITS.maxFetchBytes) };
        for (let first = true; ; first = false) {
          // Aborted (another partition answered the request): nothing read now would be used.
          const r = first || !args.signal?.aborted ? args.session.read(replica, tailArgs) : 'idle';
          if (r === 'miss') break;
          if (r !== 'idle') return r;
          waitMs = deadline - t.now();
          if (waitMs <= 0 || args.signal?.aborted) {
            const empty = args.session.empty(replica);
            if (empty) return empty;
            break;
          }
          await args.session.waitForData(replica, Math.min(waitMs, TAIL_WAIT_SLICE_MS));
        }
        waitMs = args.signal?.aborted ? 0 : Math.max(0, deadline - t.now());
      }
      const fetch: Fetch = { type: 'Fetch', reqId: t.nextReqId(), replyTo: t.clientId, offset: args.offset, isolation: args.isolation, maxBytes: args.maxBytes, waitMs };
      const reply = await t.request<FetchReply>(replica, fetch, waitMs + 10_000);
      if (reply.error) throw fromPlainError(reply.error);
      return reply;
    },
    fetchSession: () => new TailSession(t),
    onStatus(handler) {
      cluster.on('partition-status', handler);
      return () => void cluster.off('partition-status', handler);
    },
    async fault(op, spuId) {
      const spus = (await cluster.admin.listSpus()).map((s) => s.id);
      if (!spus.includes(spuId)) throw new RivuletError(ErrorCode.INVALID_ARGUMENT, `no SPU ${spuId} in this cluster (SPUs: ${spus.join(', ')})`);
      await cluster.faults[op](spuId);
    },
    shutdown: () => cluster.shutdown(),
    group: (body, timeoutMs) => groups.call(body, timeoutMs),
  };
}

