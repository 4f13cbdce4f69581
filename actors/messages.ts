/**
 * The messages actors exchange, and the actor-id naming scheme. Plain data only: every message
 * can cross a MessagePort by structured clone (Uint8Array fields included) or be delivered in
 * place by a host (a produce batch read from a SAB ring is a view valid during `receive`).
 *
 * Actor ids are built and parsed only in src/runtime/actor-ids.ts.
 *
 * The unions at the end say which messages each kind of actor receives; actors/send.ts sends only
 * members of them, so the compiler checks every message an actor builds.
 */
import type { PlainError } from '../src/runtime/errors.js';
import type { LogConfig } from '../src/storage/log-config.js';

export { SC_ID, spuActorId, replicaActorId } from '../src/runtime/actor-ids.js';

export const Resolution = {
  Offline: 'Offline',
  Online: 'Online',
  LeaderOffline: 'LeaderOffline',
  ElectionLeaderFound: 'ElectionLeaderFound',
  OutOfSpace: 'OutOfSpace',
} as const;
export type Resolution = (typeof Resolution)[keyof typeof Resolution];

export const Acks = { none: 0, leader: 1, all: 'all' } as const;
export type AcksMode = 0 | 1 | 'all';
export type Isolation = 'read_committed' | 'read_uncommitted';

export interface TopicConfig extends Partial<LogConfig> {
  /** A follower not caught up for this long leaves the in-sync set (default 10 s). */
  replicaLagMs?: number;
  /**
   * Kafka's min.insync.replicas (default 1): acks=all appends need at least this many replicas in
   * the SC's in-sync set (NOT_ENOUGH_REPLICAS otherwise), and the HW moves only then — so replicas
   * that left the set while it was smaller hold every committed record (eligible leaders, sc/isr.ts).
   */
  minInSyncReplicas?: number;
}

export interface TopicSpec {
  name: string;
  partitions: number;
  replicationFactor: number;
  config: TopicConfig;
}

/** One replica's storage report (DESIGN §6). */
export interface ReplicaReport {
  topic: string;
  partition: number;
  spuId: number;
  leader: boolean;
  epoch: number;
  hw: number;
  leo: number;
  base: number;
  sizeBytes: number;
  outOfSpace: boolean;
  /**
   * Report order: (incarnation, seq) grows with every report a replica makes (incarnation = when
   * this incarnation of the replica started). Reports travel by different paths (via the SPU,
   * directly to the SC) and can be reordered or duplicated: the SC keeps only newer ones.
   */
  incarnation: number;
  seq: number;
  /** Leader epoch of the last batch in the log (-1: empty), for recovery elections (sc/recovery.ts). */
  lastEpoch?: number;
  /** Leader only: the in-sync replica set (LRS) its HW waits for, leader included. */
  inSync?: number[];
  /** Leader only: the version of the SC's in-sync set it last applied. */
  isrVersion?: number;
  /**
   * Leader only: in-sync followers that held everything the leader had within the last half of
   * `replicaLagMs` — they cannot leave the in-sync set for a while, so leadership may move to
   * one of them without losing a committed record (leader balance, actors/sc/leader-balance.ts).
   */
  caughtUp?: number[];
}

export interface PartitionInfo {
  topic: string;
  partition: number;
  leader: number;
  /** Follower SPU ids (the leader excluded). */
  replicas: number[];
  resolution: Resolution;
  sizeBytes: number;
  base: number;
  hw: number;
  leo: number;
  /** Leader first. */
  replicaStatus: { spu: number; hw: number; leo: number }[];
  inSync: number[];
  epoch: number;
}

export interface SpuInfo {
  id: number;
  status: 'online' | 'offline';
  address: string;
  replicas: number;
}

export interface PartitionStatusEvent {
  topic: string;
  partition: number;
  from: Resolution;
  to: Resolution;
  leader: number;
  epoch: number;
}

// ---- SPU ↔ SC ----------------------------------------------------------------------------
/** `incarnation`: when this SPU process started (its clock); a new one after a restart. */
export interface SpuRegister { type: 'SpuRegister'; spuId: number; incarnation: number; reports: ReplicaReport[] }
/** `full`: the reports of every replica the SPU hosts (the SC reconciles assignments against it). */
export interface SpuHeartbeat { type: 'SpuHeartbeat'; spuId: number; reports: ReplicaReport[]; storageFull: boolean; full: boolean }
/** From the host: the SPU's thread/process is gone (worker exit); treated like heartbeat loss. */
export interface SpuLost { type: 'SpuLost'; spuId: number }
export interface SpuRegistered { type: 'SpuRegistered'; spuId: number }
export interface ReplicaAssign {
  type: 'ReplicaAssign';
  topic: string;
  partition: number;
  leader: number;
  replicas: number[]; // all replica SPU ids, leader first
  epoch: number;
  config: TopicConfig;
  /** The SC's in-sync set and its version (actors/sc/isr.ts); absent: every replica, version 0. */
  isr?: number[];
  isrVersion?: number;
}
/** Leader → SC: please make `isr` the in-sync set (based on version `isrVersion`, at `epoch`). */
export interface AlterIsr { type: 'AlterIsr'; topic: string; partition: number; spuId: number; epoch: number; isrVersion: number; isr: number[] }
/** SC → leader: the in-sync set is now `isr` (version `isrVersion`). */
export interface IsrChanged { type: 'IsrChanged'; topic: string; partition: number; epoch: number; isrVersion: number; isr: number[] }
export interface ReplicaRemove { type: 'ReplicaRemove'; topic: string; partition: number }

// ---- SC ↔ replica: fresh reports for listings (actors/sc/report-sync.ts) ----------------------
export interface ReportRequest { type: 'ReportRequest'; token: number; replyTo: string }
export interface ReportReply { type: 'ReportReply'; token: number; report: ReplicaReport }
/** SC timer: stop waiting for the replicas of one fresh listing. */
export interface ReportSyncTimeout { type: 'ReportSyncTimeout'; token: number }

// ---- replica ↔ SPU -------------------------------------------------------------------------
export interface ReplicaStatus { type: 'ReplicaStatus'; report: ReplicaReport }

// ---- clients ↔ SC (admin) ------------------------------------------------------------------
export type AdminOp =
  | { op: 'createTopic'; spec: TopicSpec }
  | { op: 'deleteTopic'; name: string }
  | { op: 'listTopics' }
  /** fresh (default true): ask running replicas first; false: the SC's last reports (leaders, resolutions). */
  | { op: 'listPartitions'; fresh?: boolean }
  | { op: 'listSpus' }
  | { op: 'subscribe' }
  /** A fresh idempotent-producer id (unique across SC restarts) at epoch 0: `ProducerIdGrant`. */
  | { op: 'initProducerId' }
  /** Move each partition's leadership back to its preferred replica where that is safe now: `LeaderMove[]`. */
  | { op: 'rebalanceLeaders' };
/** One leadership move of `rebalanceLeaders` (or of the SC's automatic leader balance). */
export interface LeaderMove { topic: string; partition: number; from: number; to: number; epoch: number }
/** What `initProducerId` answers. */
export interface ProducerIdGrant { producerId: number; producerEpoch: number }
export type AdminRequest = { type: 'AdminRequest'; reqId: number; replyTo: string } & AdminOp;
export interface AdminReply { type: 'AdminReply'; reqId: number; result?: unknown; error?: PlainError }
export interface StatusEvent { type: 'StatusEvent'; event: PartitionStatusEvent }

// ---- clients ↔ replica (data) --------------------------------------------------------------
export interface Produce {
  type: 'Produce';
  reqId: number;
  replyTo: string;
  acks: AcksMode;
  /** One RecordBatch v2 (offsets assigned by the leader). */
  batch: Uint8Array;
}
export interface ProduceAck {
  type: 'ProduceAck';
  reqId: number;
  baseOffset: number;
  lastOffset: number;
  error?: PlainError;
}
export interface Fetch {
  type: 'Fetch';
  reqId: number;
  replyTo: string;
  offset: number;
  isolation: Isolation;
  maxBytes: number;
  /** Long poll: wait up to this long for data at `offset` (0 = answer now). */
  waitMs: number;
}
export interface FetchReply {
  type: 'FetchReply';
  reqId: number;
  batches: Uint8Array[];
  hw: number;
  leo: number;
  base: number;
  error?: PlainError;
}

// ---- follower ↔ leader replication (DESIGN §5) -----------------------------------------------
export interface ReplicaFetch {
  type: 'ReplicaFetch';
  reqId: number;
  replyTo: string;
  follower: number;
  /** The follower's LEO: where it wants to read from. */
  offset: number;
  /** Leader epoch of the follower's last stored batch (-1: empty log), for divergence checks. */
  lastEpoch: number;
  /** Where that epoch starts in the follower's log (-1: empty log). */
  lastEpochStart: number;
  waitMs: number;
}
export interface ReplicaFetchReply {
  type: 'ReplicaFetchReply';
  reqId: number;
  epoch: number;
  batches: Uint8Array[];
  hw: number;
  leo: number;
  /** The follower must first drop everything at and above this offset (it diverged). */
  truncateTo?: number;
  error?: PlainError;
}

// ---- replica internal ticks ----------------------------------------------------------------
export interface Tick { type: 'Tick' }
export interface FetchTimeout { type: 'FetchTimeout'; reqId: number; replyTo: string }
/** Leader timer: answer a parked follower fetch (actors/replica/replication.ts). */
export interface ReplicaFetchTimeout { type: 'ReplicaFetchTimeout'; follower: number; reqId: number }
export interface FlushStatus { type: 'FlushStatus' }

// ---- who receives what ------------------------------------------------------------------
/** Messages the SC receives (SpuLost comes from the host). */
export type ScMessage = SpuRegister | SpuHeartbeat | SpuLost | AdminRequest | ReportReply | ReportSyncTimeout | AlterIsr | Tick;
/** Messages an SPU actor receives. */
export type SpuMessage = SpuRegistered | ReplicaAssign | ReplicaRemove | ReplicaStatus | Tick | FlushStatus;
/** Messages a replica actor receives. */
export type ReplicaMessage =
  | Produce | Fetch | FetchTimeout | ReplicaFetch | ReplicaFetchReply | ReplicaFetchTimeout | ReplicaAssign | IsrChanged
  | ReportRequest | Tick | FlushStatus;
/** Messages clients outside the cluster (facade, listener, sim) receive from actors. */
export type ClientMessage = AdminReply | StatusEvent | ProduceAck | FetchReply;
/** Every message of the protocol. */
export type AnyMessage = ScMessage | SpuMessage | ReplicaMessage | ClientMessage;
