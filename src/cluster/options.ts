/**
 * Cluster.start options and their defaults (DESIGN §6, §8). Units are in the names.
 */
import type { Placement } from '../threads/thread-host.js';
import type { NetworkFaultModel } from '../sim/sim-host.js';

export interface ClusterOptions {
  /** Number of SPUs (ids 1..spus), default 1. */
  spus?: number;
  /** Disk mode when given: logs and metadata under this directory. Memory mode otherwise. */
  home?: string;
  /** Actor placement on worker threads (DESIGN §2), default 'spu'. */
  threads?: Placement;
  /** Run on the deterministic simulator instead of threads. */
  simulation?: { seed: number; latencyMs?: [number, number]; network?: NetworkFaultModel };
  heartbeatMs?: number;
  spuTimeoutMs?: number;
  /** Per-SPU storage capacity in bytes, default unlimited. */
  storageBytes?: number;
  /** Size of each replica's tail ring (power of two). */
  ringBytes?: number;
  /** Size of each worker's produce ring (power of two). */
  produceRingBytes?: number;
  /** How long admin calls wait for the cluster, default 30 s. */
  requestTimeoutMs?: number;
  /** pino level for host/actor logs, default 'silent'. */
  logLevel?: string;
  maxWorkers?: number;
}

export const CLUSTER_DEFAULTS = {
  spus: 1,
  threads: 'spu' as Placement,
  heartbeatMs: 250,
  spuTimeoutMs: 2_000,
  storageBytes: Infinity,
  ringBytes: 1 << 20,
  produceRingBytes: 8 << 20,
  requestTimeoutMs: 30_000,
  maxWorkers: 256,
} as const;
