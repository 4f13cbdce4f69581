/**
 * The SC's model of the cluster: SPUs, topics and partitions, with the persisted parts
 * (topics, assignments, epochs, resolution, the sticky out-of-space mark) separable as plain JSON.
 */
import type { ReplicaReport, Resolution, TopicSpec } from '../messages.js';

export interface SpuState {
  id: number;
  online: boolean;
  lastSeenMs: number;
  everSeen: boolean;
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
  reports: Record<number, ReplicaReport>;
}

export interface PersistedScState {
  topics: TopicSpec[];
  partitions: Omit<PartitionState, 'reports'>[];
}

export const partitionKey = (topic: string, partition: number): string => `${topic}/${partition}`;
