/**
 * Deterministic simulation runs (DESIGN §9), the library behind `rivulet sim`. A seed draws a
 * config (sim-config.ts: cluster, topics, workload, faults); phase one runs the workload
 * (workload.ts: producers and consumers over seconds to minutes of virtual time) under the seed's
 * fault timeline (fault-schedule.ts); phase two heals everything and requires convergence within
 * a bound; then everything is read back and judged (checkers.ts). A failure carries its seed,
 * config, class (crash / correctness / liveness) and a one-line replay command.
 *
 * Same seed ⇒ same trace hash (the hash of the delivered-event log, faults included).
 */
import { Prng } from '../sim/prng.js';
import { NetworkFaults } from '../sim/fault-model.js';
import { NodeFaults } from '../sim/node-faults.js';
import { WriteJournal } from '../sim/power-loss.js';
import type { SimHost } from '../sim/sim-host.js';
import type { PartitionStatusEvent } from '../../actors/messages.js';
import { Cluster } from '../cluster/cluster.js';
import { GroupClient } from '../cluster/groups.js';
import {
  checkAckedReadable, checkCommits, checkConfirmedSpus, checkConsumed, checkExactlyOnce, checkHwMonotonic, checkTransitions,
  formatViolations, OutOfSpaceWatch, type HwSample, type Violation,
} from './checkers.js';
import { Ledger } from './ledger.js';
import { FaultSchedule, skewClocks, type FaultCounts } from './fault-schedule.js';
import { isPlantName, makePlant, PLANT_ENV, type PlantName } from './plants.js';
import { readBack } from './read-back.js';
import { describeConfig, drawConfig, type SimRunConfig } from './sim-config.js';
import { sleepUntil, Workload } from './workload.js';

export { drawConfig, type SimRunConfig } from './sim-config.js';
export type { FaultCounts } from './fault-schedule.js';

export type FailureKind = 'crash' | 'correctness' | 'liveness';

export interface SimRunResult {
  seed: number;
  config: SimRunConfig;
  traceHash: string;
  events: number;
  virtualMs: number;
  /** Real time the seed took (not deterministic; for finding slow seeds). */
  wallMs: number;
  ok: boolean;
  /**
   * On failure: its class, what went wrong, and the fault timeline (virtual ms) that led there.
   */
  failure?: { kind: FailureKind; messages: string[]; timeline: string[] };
  replay: string;
  /** The planted bug this run had (tests only), if any. */
  plant?: PlantName;
  faults: FaultCounts;
  workload: { sent: number; acked: number; consumed: number; commits: number; failedSends: Record<string, number> };
  /** Acknowledgements and served batches sent while an electable replica lacked them (ledger.ts). */
  unsafe: number;
}

export interface RunOptions {
  /** Plant a bug (plants.ts); default: the RIVULET_SIM_PLANT environment variable, if set. */
  plant?: PlantName;
}

export const SIM_BOUNDS = { convergeWithinMs: 30_000, requestTimeoutMs: 60_000, sampleEveryMs: 1_000 } as const;

function plantFromEnv(): PlantName | undefined {
  const v = process.env[PLANT_ENV];
  if (v === undefined || v === '') return undefined;
  if (!isPlantName(v)) throw new Error(`${PLANT_ENV}=${v} is not a planted bug`);
  return v;
}

export function replayCommand(seed: number, plant?: PlantName): string {
  return `${plant ? `${PLANT_ENV}=${plant} ` : ''}npx rivulet sim --seed ${seed}`;
}

export async function runSeed(seed: number, opts: RunOptions = {}): Promise<SimRunResult> {
  const wallStart = performance.now();
  const config = drawConfig(seed);
  const plant = opts.plant ?? plantFromEnv();
  const nodes = new NodeFaults();
  const journal = new WriteJournal(() => nodes.trueNow(), config.faults.powerLoss);
  nodes.watcher = journal;
  const ledger = new Ledger((spu, topic, partition) => journal.leoOf(spu, topic, partition));
  nodes.observer = ledger;
  if (plant) nodes.plant = makePlant(plant, config.spus);
  const skewed = skewClocks(nodes, config, new Prng((seed ^ 0x1b873593) >>> 0));
  const net = new NetworkFaults(config.faults.network, nodes);
  const events: PartitionStatusEvent[] = [];
  const problems: Violation[] = [];
  let crash: string | undefined;
  const hwSamples: HwSample[] = [];
  let kind: FailureKind = 'correctness';
  let cluster: Cluster | undefined;
  let schedule: FaultSchedule | undefined;
  let work: Workload | undefined;
  try {
    cluster = await Cluster.start({
      spus: config.spus, spuTimeoutMs: config.spuTimeoutMs, requestTimeoutMs: SIM_BOUNDS.requestTimeoutMs,
      simulation: { seed, network: net.model },
    });
    const c = cluster;
    const sim = c.simulator as SimHost;
    schedule = new FaultSchedule(sim, config, net, journal, skewed, (spu, topic, partition) => ledger.soleInSync(spu, topic, partition));
    const oos = new OutOfSpaceWatch(schedule.filledAt, schedule.freedAt);
    c.on('partition-status', (e) => {
      events.push(e);
      oos.onEvent(e, sim.now());
    });
    const spuIds = Array.from({ length: config.spus }, (_, i) => i + 1);
    problems.push(...checkConfirmedSpus(spuIds, (await c.admin.listSpus()).filter((s) => s.status === 'online').map((s) => s.id)));
    for (const t of config.topics) {
      await c.admin.createTopic(t.name, { partitions: t.partitions, replicationFactor: t.replicationFactor, fsync: t.fsync, segmentBytes: t.segmentBytes, replicaLagMs: t.replicaLagMs, minInSyncReplicas: t.minInSyncReplicas });
    }
    const sample = async () => {
      for (const p of await c.admin.listPartitions()) hwSamples.push({ topic: p.topic, partition: p.partition, epoch: p.epoch, hw: p.hw });
    };

    // Phase 1: faults on; the workload runs; HW sampled every second.
    schedule.start();
    const endAt = sim.now() + config.durationMs;
    work = new Workload(c, config);
    const sampler = (async () => {
      while (sim.now() < endAt) {
        await sleepUntil(c, Math.min(endAt, sim.now() + SIM_BOUNDS.sampleEveryMs));
        await sample();
      }
    })();
    const consumers = await work.produce(endAt);
    await sampler;

    // Phase 2: heal — SPUs up, disks free, network whole — then require convergence.
    schedule.heal();
    const deadline = sim.now() + SIM_BOUNDS.convergeWithinMs;
    let converged = false;
    while (!converged && sim.now() < deadline) {
      await c.transport.sleep(250);
      const parts = await c.admin.listPartitions();
      for (const p of parts) hwSamples.push({ topic: p.topic, partition: p.partition, epoch: p.epoch, hw: p.hw });
      // Listed alike, and the same leader epochs in every replica's log: a follower that still holds
      // an old leader's last batch at the same offsets has not caught up yet, whatever its LEO says.
      const epochs = (spu: number, p: (typeof parts)[number]) => JSON.stringify(sim.storage.openLog(spu, p.topic, p.partition, {}).epochEntries());
      converged = parts.every((p) => p.resolution === 'Online' && p.hw === p.leo && p.replicaStatus.every((r) => r.leo === p.leo && r.hw === p.hw)
        && p.replicas.every((spu) => epochs(spu, p) === epochs(p.leader, p)));
    }
    work.stop();
    await Promise.all(consumers);

    // Read everything back (read_committed) and judge.
    const back = await readBack(c, sim, converged);
    const fetched = new Map<string, number>();
    const groups = new GroupClient(c.transport, SIM_BOUNDS.requestTimeoutMs);
    for (const g of new Set(work.commits.map((x) => x.group))) {
      const r = await groups.call({ type: 'OffsetFetch', groupId: g, topics: null });
      fetched.set(g, r.offsets[0]?.offset ?? -1);
    }
    problems.push(
      ...work.problems,
      ...checkAckedReadable(work.acked, back.records),
      ...checkExactlyOnce(work.acked, back.records, work.sent, work.idempotent),
      ...checkConsumed(work.consumed, back.records),
      ...ledger.pastHw,
      ...checkCommits(work.commits, fetched),
      ...checkTransitions(events),
      ...checkHwMonotonic(hwSamples),
      ...back.problems,
      ...oos.check(),
      ...schedule.detection,
    );
    if (!converged && problems.length === 0) {
      kind = 'liveness';
      problems.push({ checker: 'liveness', text: `replicas did not converge within ${SIM_BOUNDS.convergeWithinMs} ms after healing` });
    }
  } catch (err) {
    kind = 'crash';
    crash = err instanceof Error ? (err.stack ?? err.message) : String(err);
  }
  const messages = [...formatViolations(problems), ...(crash !== undefined ? [crash] : [])];
  const sim = cluster?.simulator;
  await cluster?.shutdown();
  const result: SimRunResult = {
    seed, config, traceHash: sim?.trace.hex() ?? '', events: sim?.trace.events ?? 0, virtualMs: sim?.now() ?? 0,
    wallMs: Math.round(performance.now() - wallStart), ok: messages.length === 0, replay: replayCommand(seed, plant),
    ...(plant ? { plant } : {}),
    faults: schedule?.counts ?? { ...net.counts, partitions: 0, oneWayPartitions: 0, crashes: 0, powerLosses: 0, tornWrites: 0, offsetsLost: 0, pauses: 0, heldMessages: 0, storageFull: 0, skewedNodes: skewed },
    workload: {
      sent: work?.sent.reduce((n, s) => n + (s?.size ?? 0), 0) ?? 0, acked: work?.acked.length ?? 0, consumed: work?.consumed.length ?? 0,
      commits: work?.commits.length ?? 0, failedSends: Object.fromEntries(work?.failures ?? []),
    },
    unsafe: ledger.unsafe.length,
    ...(messages.length > 0 ? { failure: { kind, messages, timeline: schedule?.timeline ?? [] } } : {}),
  };
  return result;
}

/** One line per run, and on failure its config, problems and replay command. */
export function describeRun(r: SimRunResult): string {
  const head = `seed ${r.seed}: ${r.ok ? 'ok' : `FAILED (${r.failure!.kind})`} trace ${r.traceHash} events ${r.events} virtual ${r.virtualMs} ms` +
    ` ${describeConfig(r.config)} acked ${r.workload.acked}${r.plant ? ` [planted: ${r.plant}]` : ''}`;
  if (r.ok) return head;
  const f = r.failure!;
  const timeline = f.timeline.length > 0 ? [`  faults: ${f.timeline.join('; ')}`] : [];
  return [head, `  config: ${JSON.stringify(r.config)}`, ...f.messages.map((m) => `  - ${m}`), ...timeline, `  replay: ${r.replay}`].join('\n');
}
