/**
 * Cluster.start options and their defaults (DESIGN §6, §8). Units are in the names. These are the
 * facade's own types: hosts.ts hands them to a host, whose option types match them structurally
 * (the facade imports no host module).
 */

/** Actor placement on worker threads (DESIGN §2). */
export type ThreadPlacement = 'spu' | 'replica';

/** What the simulated network does to one message. */
export interface SimLinkFate {
  drop?: boolean;
  extraDelayMs?: number;
  duplicate?: boolean;
  /** Deliver out of per-link FIFO order (reordering). */
  reorder?: boolean;
}

/** The simulation's seeded generator, as a network fault model draws from it. */
export interface SimRandom {
  /** Uniform in [0, 1). */
  next(): number;
  /** Uniform integer in [lo, hi]. */
  int(lo: number, hi: number): number;
  chance(p: number): boolean;
}

/** Network fault model: called once per sent message, in event order, with the seeded generator. */
export type SimNetworkModel = (from: string, to: string, msg: { readonly type: string }, prng: SimRandom, nowMs: number) => SimLinkFate;

export interface SimulationOptions {
  seed: number;
  /** Network latency range per message, ms (drawn from the seed). */
  latencyMs?: [number, number];
  /** Network faults (loss, delay, duplication, reordering); none by default. */
  network?: SimNetworkModel;
}

export interface ClusterOptions {
  /** Number of SPUs (ids 1..spus), default 1. */
  spus?: number;
  /** Disk mode when given: logs and metadata under this directory. Memory mode otherwise. */
  home?: string;
  /** Actor placement on worker threads (DESIGN §2), default 'spu'. */
  threads?: ThreadPlacement;
  /** Run on the deterministic simulator instead of threads. */
  simulation?: SimulationOptions;
  heartbeatMs?: number;
  spuTimeoutMs?: number;
  /** Per-SPU storage capacity in bytes, default unlimited. */
  storageBytes?: number;
  /** Largest size of each replica's tail ring (power of two, default 2 MiB); rings start at 16 KiB and double when traffic needs it. */
  ringBytes?: number;
  /** Size of each worker's produce ring (power of two). */
  produceRingBytes?: number;
  /** How long admin calls wait for the cluster, default 30 s. */
  requestTimeoutMs?: number;
  /** pino level for host/actor logs, default 'silent'. */
  logLevel?: string;
  maxWorkers?: number;
  /** The consumer-group coordinator (actors/groups): all optional, defaults in its group-state.ts. */
  groups?: GroupOptions;
}

export interface GroupOptions {
  /** An empty group waits this long for more members before its first generation (default 200; Kafka: 3000). */
  initialRebalanceDelayMs?: number;
  /** Accepted JoinGroup session timeouts (defaults 100 and 1,800,000; Kafka: 6000 and 1,800,000). */
  minSessionTimeoutMs?: number;
  maxSessionTimeoutMs?: number;
}

export const CLUSTER_DEFAULTS = {
  spus: 1,
  threads: 'spu' as ThreadPlacement,
  heartbeatMs: 250,
  spuTimeoutMs: 2_000,
  storageBytes: Infinity,
  ringBytes: 2 << 20,
  produceRingBytes: 8 << 20,
  requestTimeoutMs: 30_000,
  maxWorkers: 256,
} as const;
