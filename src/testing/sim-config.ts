/**
 * What a simulation seed draws (DESIGN §9): the cluster (SPUs, SPU timeout), its topics (partitions,
 * replication factor, fsync policy, segment size, replica lag), the workload (how long phase one
 * lasts in virtual time, producers and consumers) and the faults (kinds, how many, how long).
 *
 * The config comes from its own PRNG stream (seed-derived), so changing what a run does with its
 * config never shifts the config itself, and `drawConfig(seed)` is what `rivulet sim --seed S`
 * prints. Every fault kind is on in some seeds and off in others; over a few dozen seeds every
 * kind occurs.
 */
import { Prng } from '../sim/prng.js';
import { drawNetworkFaults, type NetworkFaultConfig } from '../sim/fault-model.js';
import type { PowerLossConfig } from '../sim/power-loss.js';

export interface TopicPlan {
  name: string;
  partitions: number;
  replicationFactor: number;
  fsync: 'always' | 'never';
  segmentBytes: number;
  replicaLagMs: number;
  /** Kafka's min.insync.replicas: 1, or (half the topics with RF ≥ 2) 2..RF — exercises eligible leaders. */
  minInSyncReplicas: number;
}

export interface ProducerPlan {
  topic: string;
  /** Records to send (each a unique value); failed ones are sent again as a new attempt. */
  records: number;
  /** Records per burst (sent together, then awaited). */
  burst: number;
  valueBytes: number;
  keyed: boolean;
  /** Ask for idempotence (the producer promises exactly-once only if the cluster grants an id). */
  idempotent: boolean;
  requestTimeoutMs: number;
  deliveryTimeoutMs: number;
}

export interface ConsumerPlan {
  topic: string;
  partition: number;
  waitMs: number;
  /** Commit the position (a simple OffsetCommit under its own group) this often. */
  commitEveryMs: number;
}

export interface FaultPlan {
  network: NetworkFaultConfig;
  /** Symmetric partitions: one node cut off from some others, both ways. */
  partitions: number;
  /** One-way partitions: A→B dropped, B→A delivered. */
  oneWayPartitions: number;
  maxCutMs: number;
  /** kill -9 of an SPU (logs stay as written), restarted after up to maxDownMs. */
  crashes: number;
  /** Power loss of an SPU: a crash that also loses what its disk had not made durable. */
  powerLosses: number;
  powerLoss: PowerLossConfig;
  maxDownMs: number;
  /** Process pauses, each longer than the SPU timeout, up to maxPauseMs. */
  pauses: number;
  maxPauseMs: number;
  /** An SPU's storage fills up until freed after up to maxFullMs. */
  storageFulls: number;
  maxFullMs: number;
  /** Clock skew: each node's offset in [0, maxOffsetMs] and drift in ±maxDrift (0: no skew). */
  maxClockOffsetMs: number;
  maxClockDrift: number;
}

export interface SimRunConfig {
  seed: number;
  spus: number;
  spuTimeoutMs: number;
  topics: TopicPlan[];
  /** Phase one (faults on) in virtual ms. */
  durationMs: number;
  producers: ProducerPlan[];
  consumers: ConsumerPlan[];
  faults: FaultPlan;
}

/** Drawn number of events of one fault kind: none in about a third of the seeds. */
const countOf = (p: Prng, durationMs: number, perMinute: number): number =>
  p.chance(0.35) ? 0 : p.int(1, Math.max(1, Math.round((durationMs / 60_000) * perMinute)));

/** The run's shape, drawn from its own stream so the config never shifts the sim's draws. */
export function drawConfig(seed: number): SimRunConfig {
  const p = new Prng((seed ^ 0x5bd1e995) >>> 0);
  const spus = p.int(1, 5);
  const spuTimeoutMs = p.int(1_000, 3_000);
  const topics: TopicPlan[] = Array.from({ length: p.int(1, 2) }, (_, i) => ({
    name: `sim${i}`,
    partitions: p.int(1, 4),
    replicationFactor: p.int(1, spus),
    fsync: p.chance(0.5) ? 'always' : 'never',
    segmentBytes: Math.round(2_048 * 2 ** p.int(0, 9)),
    replicaLagMs: p.int(2, 10) * 1_000,
    minInSyncReplicas: 1,
  }));
  // Drawn from a stream of its own, so adding it shifted none of the draws above or below.
  const q = new Prng((seed ^ 0x165667b1) >>> 0);
  for (const t of topics) if (t.replicationFactor >= 2 && q.chance(0.5)) t.minInSyncReplicas = q.int(2, t.replicationFactor);
  // Seconds to minutes of virtual time (log-uniform over 5 s … 2 min).
  const durationMs = Math.round(5_000 * 24 ** p.next());
  const producers: ProducerPlan[] = Array.from({ length: p.int(1, 4) }, () => ({
    topic: topics[p.int(0, topics.length - 1)]!.name,
    records: p.int(20, 600),
    burst: p.int(1, 40),
    valueBytes: p.int(1, 300),
    keyed: p.chance(0.7),
    idempotent: p.chance(0.8),
    requestTimeoutMs: p.int(1, 10) * 1_000,
    deliveryTimeoutMs: p.int(10, 40) * 1_000,
  }));
  const consumers: ConsumerPlan[] = Array.from({ length: p.int(0, 3) }, () => {
    const t = topics[p.int(0, topics.length - 1)]!;
    return { topic: t.name, partition: p.int(0, t.partitions - 1), waitMs: p.int(20, 200), commitEveryMs: p.int(200, 5_000) };
  });
  const network = drawNetworkFaults(p);
  const skew = p.chance(0.6);
  const faults: FaultPlan = {
    network,
    partitions: countOf(p, durationMs, 3),
    oneWayPartitions: countOf(p, durationMs, 3),
    maxCutMs: p.int(500, 12_000),
    crashes: countOf(p, durationMs, 3),
    powerLosses: countOf(p, durationMs, 3),
    powerLoss: { writebackMs: p.int(500, 30_000), tornChance: p.int(0, 100) / 100 },
    maxDownMs: p.int(200, 8_000),
    pauses: countOf(p, durationMs, 2),
    maxPauseMs: spuTimeoutMs + p.int(500, 12_000),
    storageFulls: countOf(p, durationMs, 2),
    maxFullMs: p.int(100, 5_000),
    maxClockOffsetMs: skew ? p.int(0, 10_000) : 0,
    maxClockDrift: skew ? p.int(0, 50) / 1_000 : 0,
  };
  return { seed, spus, spuTimeoutMs, topics, durationMs, producers, consumers, faults };
}

/** One line: the config's shape (the full config is printed with a failure). */
export function describeConfig(c: SimRunConfig): string {
  const topics = c.topics.map((t) => `${t.name}(${t.partitions}p rf${t.replicationFactor}${t.minInSyncReplicas > 1 ? ` min-isr ${t.minInSyncReplicas}` : ''} fsync ${t.fsync})`).join(' ');
  return `spus ${c.spus} ${topics} ${c.producers.length} producers ${c.consumers.length} consumers ${Math.round(c.durationMs / 1000)} s`;
}
