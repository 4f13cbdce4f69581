/**
 * What the cluster facade needs from a host, implemented by both twins: the thread host (real
 * workers, MessagePorts, SAB rings) and the sim host (virtual time, seeded network).
 *
 * Invariants:
 * - `request` resolves with the reply whose `reqId` matches, or rejects with a TIMEOUT
 *   RivuletError after `timeoutMs` of host time, or CLUSTER_CLOSED when the host stops.
 * - `produce` hands one record batch to a replica actor; the host may move the bytes through
 *   shared memory (thread host) or a message (sim host); the actor sees the same `Produce`.
 * - `tailRing` exposes a replica's log tail ring for in-place reads where the host has one.
 */
import type { ActorId, Message } from './actor.js';

export interface ClientRequest extends Message {
  reqId: number;
  replyTo: ActorId;
}

export interface HostTransport {
  /** Actor id under which this client receives replies and events. */
  readonly clientId: ActorId;
  nextReqId(): number;
  request<R extends Message>(to: ActorId, msg: ClientRequest, timeoutMs: number): Promise<R>;
  /** Fire-and-forget message to an actor. */
  send(to: ActorId, msg: Message): void;
  /** Messages that are not replies (status events). */
  onEvent(handler: (msg: Message) => void): void;
  /**
   * Hand a batch to a replica. Resolves with the ack (acks 1/all), or right after hand-off (acks 0).
   * May wait for room (backpressure) before handing off.
   */
  produce(to: ActorId, batch: Uint8Array, acks: 0 | 1 | 'all', timeoutMs: number): Promise<Message | undefined>;
  /** A replica's tail ring, if this host keeps one readable in place (thread host). */
  tailRing(replica: ActorId): SharedArrayBuffer | undefined;
  /** Host time in ms (virtual in the sim). */
  now(): number;
  /** Wait `ms` of host time. */
  sleep(ms: number): Promise<void>;
  /** Number of OS threads the host runs actors on (workers; 0 for the sim). */
  threadCount(): number;
  shutdown(): Promise<void>;
}

/** What a host starts: the SC and one SPU actor per configured id (plain data for both twins). */
export interface ClusterPlan {
  spuIds: number[];
  sc: { id: ActorId; behavior: string; args: unknown };
  spus: { id: ActorId; behavior: string; args: unknown; spuId: number }[];
}

/** Fault injection both hosts offer (cluster.faults drives it). */
export interface HostFaults {
  /** Kill an SPU (its actors vanish) and leave it down until restartSpu. */
  crashSpu(spuId: number): Promise<void>;
  restartSpu(spuId: number): Promise<void>;
  /** A crash its supervisor recovers from by itself (restart with backoff). */
  killWorker(spuId: number): void;
  /** Cut an SPU off from the SC, the other SPUs and clients, or heal the cut. */
  setDisconnected(spuId: number, disconnected: boolean): void;
  /** Make an SPU's storage look full, or undo it. */
  storageFault(spuId: number, op: 'fillStorage' | 'freeStorage'): void;
}
