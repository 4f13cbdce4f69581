/**
 * The one face of a host (DESIGN §1, §2): everything the cluster facade (src/cluster/) may ask of
 * the thing that runs the actors. Three hosts implement it — the thread host (workers,
 * MessagePorts, SAB rings), the sim host (virtual time, seeded network) and the remote host (the
 * Kafka protocol to a daemon) — and the facade uses nothing else. This file knows none of them.
 *
 * Invariants every host keeps:
 * - `request` resolves with the reply whose `reqId` matches, or rejects with a TIMEOUT
 *   RivuletError after `timeoutMs` of host time, or CLUSTER_CLOSED once the host is shut down.
 * - `produce` hands one record batch to a replica actor; the host may move the bytes through
 *   shared memory (thread host), a message (sim host) or a socket; the actor sees the same
 *   `Produce`. Retriable failures are RivuletErrors with `retriable` set (NOT_LEADER, TIMEOUT…).
 * - Messages that are not replies (status events) go to every `onEvent` subscriber, in arrival
 *   order; a host may deliver few or none (callers keep a slow re-check as a safety net).
 * - Time is host time: `now`/`sleep` are virtual in the sim, so the facade never reads the wall
 *   clock or sets timers of its own for cluster waits.
 * - `tailReader` is an optimisation only: a host without one (undefined) serves every read
 *   through Fetch requests, with the same results.
 */
import type { ActorId, Message, StorageProvider } from './actor.js';

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
  /** Subscribe to messages that are not replies (status events). Returns the unsubscribe. */
  onEvent(handler: (msg: Message) => void): () => void;
  /**
   * Hand a batch to a replica. Resolves with the ack (acks 1/all), or right after hand-off (acks 0).
   * May wait for room (backpressure) before handing off.
   */
  produce(to: ActorId, batch: Uint8Array, acks: 0 | 1 | 'all', timeoutMs: number): Promise<Message | undefined>;
  /**
   * A new reader (own position) of a replica's log tail, read in place, where the host keeps one
   * (thread host); undefined otherwise. See TailReader.
   */
  tailReader(replica: ActorId): TailReader | undefined;
  /** Fault injection (cluster.faults drives it); a host that cannot inject one throws a RivuletError. */
  readonly faults: HostFaults;
  /** Host time in ms (virtual in the sim). */
  now(): number;
  /** Wait `ms` of host time; returns early once `wake` is aborted (never rejects). */
  sleep(ms: number, wake?: AbortSignal): Promise<void>;
  /** Number of OS threads the host runs actors on (workers; 0 for the sim and remote hosts). */
  threadCount(): number;
  shutdown(): Promise<void>;

  // Host-specific extras, optional: a host offers only the ones it has.
  /**
   * True when `produce` copies the batch before its promise settles and never reads it after
   * (thread host: into its produce ring): the producer may then reuse the bytes once settled.
   */
  readonly producedBatchesCopied?: boolean;
  /** The deterministic simulator behind this host (sim host only). */
  readonly simulator?: Simulator;
  /** Per-worker actor lists (thread host only; a control call with a deadline). */
  workerStats?(): Promise<WorkerStats[]>;
  /**
   * A host that is only a client of a cluster running elsewhere (remote host): shut that cluster
   * down; resolves once it is down. `shutdown()` of such a host only disconnects.
   */
  shutdownCluster?(): Promise<void>;
}

/** What a tail read found. */
export type TailRead =
  /** The whole stored batch holding `offset` (a private copy), committed up to the bound. */
  | Uint8Array
  /** Nothing at `offset` yet: `waitForData`, then read again. */
  | 'idle'
  /** Stored but not committed yet (HW moves by whole batches): read again shortly. */
  | 'pending'
  /** The replica's log was removed or replaced: look the leader up again. */
  | 'closed'
  /** The tail cannot serve `offset` (older data, lapped, no tail right now): use a Fetch request. */
  | 'miss';

/**
 * Reads one replica's log tail in place (thread host: the replica's SAB tail ring). Never returns
 * bytes the writer overwrote meanwhile, nor a batch at or past the bound (HW for read_committed,
 * LEO for read_uncommitted).
 */
export interface TailReader {
  /** The batch holding `offset` (or the first one after it), bounded by `upTo`. */
  read(offset: number, upTo: 'hw' | 'leo'): TailRead;
  /** After an 'idle' read: resolves when new data may be there (true) or after `timeoutMs` (false). */
  waitForData(timeoutMs: number): Promise<boolean>;
  /**
   * The log's BASE, HW and LEO as the tail publishes them, read now (optional; undefined when the
   * tail cannot tell, e.g. before a read found it). Never below what a read already returned.
   */
  bounds?(): { base: number; hw: number; leo: number } | undefined;
}

/** What a host starts: the SC and one SPU actor per configured id (plain data for every host). */
export interface ClusterPlan {
  spuIds: number[];
  sc: { id: ActorId; behavior: string; args: unknown };
  spus: { id: ActorId; behavior: string; args: unknown; spuId: number }[];
}

/**
 * Fault injection the hosts offer (cluster.faults drives it). Each call completes (returns, or
 * its promise resolves) only once the fault is in effect on every thread it concerns, so a caller
 * that awaits it and acts at once sees the fault. Storage faults belong to the SPU's storage (its
 * disk), not to a thread: they outlive a crash and restart of the SPU until undone.
 */
export interface HostFaults {
  /** Kill an SPU (its actors vanish) and leave it down until restartSpu. */
  crashSpu(spuId: number): Promise<void>;
  restartSpu(spuId: number): Promise<void>;
  /** A crash its supervisor recovers from by itself (restart with backoff); done once it crashed. */
  killWorker(spuId: number): void | Promise<void>;
  /** Cut an SPU off from the SC, the other SPUs and clients, or heal the cut. */
  setDisconnected(spuId: number, disconnected: boolean): void | Promise<void>;
  /** Make an SPU's storage look full (until freed, across crashes and restarts), or undo it. */
  storageFault(spuId: number, op: 'fillStorage' | 'freeStorage'): void | Promise<void>;
}

/** One worker thread of the thread host and the actors it runs. */
export interface WorkerStats {
  worker: number;
  spuId: number;
  actors: string[];
}

/**
 * The deterministic simulator's controls beyond the face, for simulation tests (src/testing/):
 * virtual clock, scheduled actions, immediate crashes, the replicas' storage and the trace hash.
 */
export interface Simulator extends HostFaults {
  now(): number;
  /** Run `fn` at virtual time `atMs`, in event order with everything else. */
  at(atMs: number, fn: () => void): void;
  isDown(spuId: number): boolean;
  /** Crash an SPU now (kill -9); restartNow brings it back. */
  crashNow(spuId: number): void;
  restartNow(spuId: number): void;
  /** The simulated SPUs' storage (every replica's log). */
  readonly storage: StorageProvider;
  /** Hash of the delivered-event log: same seed ⇒ same hash. */
  readonly trace: { hex(): string; readonly events: number };
}
