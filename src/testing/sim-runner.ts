/**
 * Deterministic simulation runs (DESIGN §9), the library behind `rivulet sim`: a seed draws a
 * cluster config, network faults, SPU crash/restarts and full disks, a workload produces with acks=all and
 * reads everything back through the embedded API on the sim host, then the faults heal and the
 * run requires convergence within a bound. Checkers (checkers.ts) judge the run; a failure carries its
 * seed, config, class (crash / correctness / liveness) and a one-line replay command.
 *
 * Same seed ⇒ same trace hash (the hash of the delivered-event log).
 */
import { Prng } from '../sim/prng.js';
import { NetworkFaults, drawNetworkFaults, type NetworkFaultConfig } from '../sim/fault-model.js';
import {
  checkAckedReadable, checkConfirmedSpus, checkConverged, checkHwMonotonic, checkTransitions, type AckedRecord, type ReadRecord,
} from './checkers.js';
import type { PartitionStatusEvent } from '../../actors/messages.js';
import { Cluster } from '../cluster/cluster.js';
import { RivuletError, ErrorCode } from '../runtime/errors.js';
import { Offset } from '../cluster/offset.js';

export interface SimRunConfig {
  seed: number;
  spus: number;
  partitions: number;
  replicationFactor: number;
  records: number;
  rounds: number;
  valueBytes: number;
  network: NetworkFaultConfig;
  /** Chance, per produce round, that one SPU crashes (kill -9) and restarts after `downMs`. */
  crashChance: number;
  maxDownMs: number;
  /** Chance, per round, that one SPU's storage fills up for up to `maxFullMs`. */
  fullChance: number;
  maxFullMs: number;
}

export type FailureKind = 'crash' | 'correctness' | 'liveness';

export interface SimRunResult {
  seed: number;
  config: SimRunConfig;
  traceHash: string;
  events: number;
  virtualMs: number;
  ok: boolean;
  failure?: { kind: FailureKind; messages: string[] };
  replay: string;
  faults: NetworkFaults['counts'] & { crashes: number; storageFull: number; refusedRecords: number };
}

export const SIM_BOUNDS = { convergeWithinMs: 20_000, requestTimeoutMs: 60_000 } as const;

/** The run's shape, drawn from its own stream so the config never shifts the sim's draws. */
export function drawConfig(seed: number): SimRunConfig {
  const p = new Prng((seed ^ 0x5bd1e995) >>> 0);
  const spus = p.int(1, 5);
  return {
    seed,
    spus,
    partitions: p.int(1, 6),
    replicationFactor: p.int(1, spus),
    records: p.int(20, 400),
    rounds: p.int(1, 4),
    valueBytes: p.int(1, 300),
    network: drawNetworkFaults(p),
    crashChance: p.int(0, 50) / 100,
    maxDownMs: p.int(100, 4_000),
    fullChance: p.int(0, 40) / 100,
    maxFullMs: p.int(100, 3_000),
  };
}

const valueFor = (seed: number, i: number, bytes: number) => `s${seed}-r${i}-`.padEnd(bytes, 'x');

export async function runSeed(seed: number): Promise<SimRunResult> {
  const config = drawConfig(seed);
  const faults = new NetworkFaults(config.network);
  const replay = `npx rivulet sim --seed ${seed}`;
  const events: PartitionStatusEvent[] = [];
  const problems: string[] = [];
  let kind: FailureKind = 'correctness';
  let cluster: Cluster | undefined;
  let crashes = 0;
  let fulls = 0;
  let refused = 0;
  /**
   * OutOfSpace may clear only on a report of space: its leader's storage must have been freed after
   * the fill that made it OutOfSpace (reports race later fills, so "full at delivery" is not the test).
   */
  const clearedWithoutSpace: string[] = [];
  const freedAt = new Map<number, number>();
  const filledAt = new Map<number, number>();
  /** Per partition: when the fill that made it OutOfSpace happened. */
  const causeAt = new Map<string, number>();
  try {
    cluster = await Cluster.start({ spus: config.spus, simulation: { seed, network: faults.model }, requestTimeoutMs: SIM_BOUNDS.requestTimeoutMs });
    const c = cluster;
    c.on('partition-status', (e) => {
      events.push(e);
      const key = `${e.topic}/${e.partition}`;
      const now = c.simulator!.now();
      if (e.to === 'OutOfSpace') causeAt.set(key, filledAt.get(e.leader) ?? now);
      if (e.from === 'OutOfSpace' && e.to === 'Online' && !((freedAt.get(e.leader) ?? -1) >= (causeAt.get(key) ?? 0))) {
        clearedWithoutSpace.push(`${key}: OutOfSpace cleared although SPU ${e.leader}'s storage was not freed since`);
      }
    });
    const spuIds = Array.from({ length: config.spus }, (_, i) => i + 1);
    problems.push(...checkConfirmedSpus(spuIds, (await c.admin.listSpus()).filter((s) => s.status === 'online').map((s) => s.id)));

    // Phase 1: faults on. Produce with acks=all in rounds; sample HW per leader epoch.
    await c.admin.createTopic('sim', { partitions: config.partitions, replicationFactor: config.replicationFactor });
    const producer = await c.producer('sim', { acks: 'all', deliveryTimeoutMs: SIM_BOUNDS.requestTimeoutMs });
    const acked: AckedRecord[] = [];
    const hwSamples: { partition: number; epoch: number; hw: number }[] = [];
    const perRound = Math.ceil(config.records / config.rounds);
    const sim = c.simulator!;
    const chaos = new Prng((seed ^ 0x27d4eb2f) >>> 0);
    for (let round = 0, i = 0; round < config.rounds; round++) {
      if (chaos.chance(config.crashChance)) {
        // An SPU dies (kill -9) and comes back after a while; the workload carries on meanwhile.
        const spu = chaos.int(1, config.spus);
        if (!sim.isDown(spu)) {
          sim.crashNow(spu);
          crashes++;
          sim.at(sim.now() + chaos.int(1, config.maxDownMs), () => sim.restartNow(spu));
        }
      }
      if (chaos.chance(config.fullChance)) {
        // An SPU's storage fills up; appends there fail with OUT_OF_SPACE until it is freed.
        const spu = chaos.int(1, config.spus);
        sim.storageFault(spu, 'fillStorage');
        filledAt.set(spu, sim.now());
        fulls++;
        sim.at(sim.now() + chaos.int(1, config.maxFullMs), () => {
          sim.storageFault(spu, 'freeStorage');
          freedAt.set(spu, sim.now());
        });
      }
      const sends = [];
      for (let k = 0; k < perRound && i < config.records; k++, i++) {
        const value = valueFor(seed, i, config.valueBytes);
        sends.push(
          producer.send(`k${i % 17}`, value).then(
            (m) => void acked.push({ partition: m.partition, offset: m.offset, value }),
            (err: unknown) => {
              // A full disk refuses a record (not acknowledged, so not checked); anything else is a failure.
              if (!(err instanceof RivuletError && err.code === ErrorCode.OUT_OF_SPACE)) throw err;
              refused++;
            },
          ),
        );
      }
      await Promise.all(sends);
      for (const p of await c.admin.listPartitions()) hwSamples.push({ partition: p.partition, epoch: p.epoch, hw: p.hw });
    }

    // Phase 2: heal — every SPU up with space, no more network faults — then require convergence.
    faults.healed = true;
    for (let spu = 1; spu <= config.spus; spu++) {
      sim.restartNow(spu);
      sim.storageFault(spu, 'freeStorage');
      freedAt.set(spu, sim.now());
    }
    const deadline = c.transport.now() + SIM_BOUNDS.convergeWithinMs;
    let converged = false;
    while (!converged && c.transport.now() < deadline) {
      await c.transport.sleep(250);
      const parts = await c.admin.listPartitions();
      for (const p of parts) hwSamples.push({ partition: p.partition, epoch: p.epoch, hw: p.hw });
      converged = parts.every((p) => p.resolution === 'Online' && p.replicaStatus.every((r) => r.leo === p.leo && r.hw === p.hw) && p.hw === p.leo);
    }
    if (!converged) {
      kind = 'liveness';
      problems.push(`replicas did not converge within ${SIM_BOUNDS.convergeWithinMs} ms after healing`);
    }

    // Read everything back (read_committed) and judge.
    const read: ReadRecord[] = [];
    for (const p of await c.admin.listPartitions()) {
      if (p.hw === 0) continue;
      const consumer = await c.consumer('sim', { partition: p.partition, offset: Offset.beginning() });
      for await (const b of consumer.batches()) {
        for (const r of b.records) read.push({ partition: p.partition, offset: r.offset, value: new TextDecoder().decode(r.value) });
        if (b.lastOffset >= p.hw - 1) break;
      }
      const logs = [p.leader, ...p.replicas].map((spu) => {
        const log = sim.storage.openLog(spu, 'sim', p.partition, {});
        return { spu, bytes: log.leo > log.base ? log.read(log.base, { maxOffset: log.leo, maxBytes: 1 << 30 }).batches : [] };
      });
      if (converged) problems.push(...checkConverged(p.partition, logs));
    }
    problems.push(...checkAckedReadable(acked, read), ...checkTransitions(events), ...checkHwMonotonic(hwSamples), ...clearedWithoutSpace);
  } catch (err) {
    kind = 'crash';
    problems.push(err instanceof Error ? (err.stack ?? err.message) : String(err));
  }
  const sim = cluster?.simulator;
  const result: SimRunResult = {
    seed, config, traceHash: sim?.trace.hex() ?? '', events: sim?.trace.events ?? 0, virtualMs: sim?.now() ?? 0,
    ok: problems.length === 0, replay, faults: { ...faults.counts, crashes, storageFull: fulls, refusedRecords: refused },
    ...(problems.length > 0 ? { failure: { kind, messages: problems } } : {}),
  };
  await cluster?.shutdown();
  return result;
}

/** One line per run, and on failure its config, problems and replay command. */
export function describeRun(r: SimRunResult): string {
  const head = `seed ${r.seed}: ${r.ok ? 'ok' : `FAILED (${r.failure!.kind})`} trace ${r.traceHash} events ${r.events} virtual ${r.virtualMs} ms` +
    ` spus ${r.config.spus} partitions ${r.config.partitions} rf ${r.config.replicationFactor} records ${r.config.records}`;
  if (r.ok) return head;
  return [head, `  config: ${JSON.stringify(r.config)}`, ...r.failure!.messages.map((m) => `  - ${m}`), `  replay: ${r.replay}`].join('\n');
}
