/**
 * The SC's model of the cluster: SPUs, topics and partitions, with the persisted parts
 * (topics, assignments, epochs, resolution, the sticky out-of-space mark) separable as plain JSON.
 * Every SC concern (admin.ts, liveness.ts, assignments.ts, election.ts, reports.ts) is a set of
 * functions over one `ScModel`; sc.ts owns it and routes messages to them.
 *
 * Invariants:
 * - `spus` holds exactly the configured SPU ids, from the start: no message adds or removes one
 *   (confirmation counts only these; an unknown SPU is refused).
 * - `partitions` is keyed by `partitionKey(topic, partition)` and only for topics in `topics`.
 * - `answered` is bounded by MAX_REMEMBERED_ANSWERS (oldest dropped first).
 */
import type { AdminReply, ReplicaReport, Resolution, TopicSpec } from '../messages.js';
import { ReportSync } from './report-sync.js';

export interface ScArgs {
  spuIds: number[];
  heartbeatMs: number;
  spuTimeoutMs: number;
  /** Address shown by listSpus (informational). */
  address?: string;
}

export interface SpuState {
  id: number;
  online: boolean;
  lastSeenMs: number;
  everSeen: boolean;
  /** The incarnation of its last register (SpuRegister.incarnation); a new one means it restarted. */
  incarnation?: number;
}

export interface PartitionState {
  topic: string;
  partition: number;
  /** All replica SPU ids, the current leader first. */
  replicas: number[];
  leader: number;
  epoch: number;
  resolution: Resolution;
  /** Sticky: set by a leader's out-of-space report, cleared only by its report of space. */
  outOfSpace: boolean;
  /** The preferred leader (placement's first replica; leader-balance.ts); absent in old metadata: replicas[0]. */
  preferred?: number;
  /** The in-sync set (isr.ts), leader included, and its version; absent in old metadata: every replica, 0. */
  isr?: number[];
  isrVersion?: number;
  /**
   * Eligible leaders (Kafka's ELR, KIP-966): replicas that left the in-sync set while it was below
   * minInSyncReplicas — the HW has not moved since, so they hold every committed record (isr.ts).
   */
  elr?: number[];
  /**
   * Replicas whose SPU restarted (crash, power loss) while the topic's fsync is not 'always': their
   * log may lack writes it had acknowledged, so they may lead only through a recovery election
   * (recovery.ts) and otherwise must catch up first. `before`: the incarnation of their last report
   * before the restart (only a newer report tells the SC their log now).
   */
  unclean?: Array<{ spu: number; before: number }>;
  /** The HW its serving leader last reported (listed while that leader is fenced; not persisted). */
  leaderHw?: number;
  reports: Record<number, ReplicaReport>;
}

export interface PersistedScState {
  topics: TopicSpec[];
  partitions: Omit<PartitionState, 'reports' | 'leaderHw'>[];
  /** End (exclusive) of the last reserved block of producer ids (producer-ids.ts); absent: 0. */
  producerIdsUntil?: number;
}

export interface ScModel {
  readonly args: ScArgs;
  readonly spus: Map<number, SpuState>;
  readonly topics: Map<string, TopicSpec>;
  readonly partitions: Map<string, PartitionState>;
  /** Client ids that get every StatusEvent. */
  readonly subscribers: Set<string>;
  /** Fresh listPartitions waiting for replica reports. */
  readonly sync: ReportSync;
  /** Recent admin answers by `replyTo#reqId`, oldest first. */
  readonly answered: Map<string, AdminReply>;
  /** Producer ids: the next to hand out, and the end of the reserved (persisted) block. */
  readonly producerIds: { next: number; until: number };
  /** A leader-balance round is waiting for fresh leader reports (leader-balance.ts). */
  balancing: boolean;
}

export const MAX_REMEMBERED_ANSWERS = 1024;

export const partitionKey = (topic: string, partition: number): string => `${topic}/${partition}`;

export function newScModel(args: ScArgs): ScModel {
  const spus = new Map<number, SpuState>();
  for (const id of args.spuIds) spus.set(id, { id, online: false, lastSeenMs: 0, everSeen: false });
  return {
    args, spus, topics: new Map(), partitions: new Map(), subscribers: new Set(),
    sync: new ReportSync(), answered: new Map(), producerIds: { next: 0, until: 0 }, balancing: false,
  };
}

export const isSpuOnline = (m: ScModel, spuId: number): boolean => m.spus.get(spuId)?.online === true;
