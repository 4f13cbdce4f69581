/**
 * A seed's fault timeline (DESIGN §9): every fault of phase one is drawn up front from the seed's
 * chaos stream — when, where, how long — and runs at its virtual time through `sim.at`, in event
 * order with everything else, so the timeline does not depend on how the workload goes.
 *
 * Kinds (parameters in sim-config.ts's FaultPlan): message loss, delay, duplication, reordering
 * (fault-model.ts, per message); symmetric and one-way partitions between nodes (SC and SPUs);
 * SPU crashes (kill -9: logs stay) and power losses (power-loss.ts: unsynced writes lost or torn);
 * pauses longer than the SPU timeout (node-faults.ts: nothing runs, then a burst); full disks;
 * clock skew (each node's offset and drift, set before the cluster starts).
 *
 * Rules that keep the timeline within what the system promises:
 * - A crash, power loss or pause skips an SPU that is already down or paused.
 * - A power loss skips an SPU that holds the only replica of an fsync-'never' partition, or leads
 *   one with minInSyncReplicas 1 whose in-sync set (as the SC last said) holds nobody else: its
 *   acknowledged records may be on that disk alone — nothing could keep them, and neither Kafka
 *   nor rivulet promises it (minInSyncReplicas ≥ 2 does). It is dropped while another power loss is under
 *   way (restarting SPU) — one disk at a time. A power loss is a reboot: the SPU stays down
 *   longer than the SPU timeout (a kill -9 may come back faster).
 * - `heal()` (phase two) stops what has not started, and ends everything: cuts healed, pauses
 *   resumed, SPUs restarted, storage freed, no more network faults.
 *
 * Failure detection is checked here too (`detection`): an SPU still down or paused
 * DETECT_FACTOR × the SPU timeout + DETECT_SLACK_MS after it stopped must be listed offline by the
 * SC (a probe: listSpus straight to the SC; the slack covers heartbeat and tick periods, latency and
 * the SC's clock drift).
 */
import type { NetworkFaultCounts, NetworkFaults } from '../sim/fault-model.js';
import type { NodeFaults } from '../sim/node-faults.js';
import type { WriteJournal } from '../sim/power-loss.js';
import { Prng } from '../sim/prng.js';
import type { SimHost } from '../sim/sim-host.js';
import type { Message } from '../runtime/actor.js';
import type { AdminReply, AdminRequest } from '../../actors/messages.js';
import { SC_ID } from '../runtime/actor-ids.js';
import type { Violation } from './checkers.js';
import type { SimRunConfig } from './sim-config.js';

const DETECT_FACTOR = 1.1;
const DETECT_SLACK_MS = 700;
const PROBE_CLIENT = 'client:sim-probe';

export interface FaultCounts extends NetworkFaultCounts {
  partitions: number;
  oneWayPartitions: number;
  crashes: number;
  powerLosses: number;
  /** Power losses that tore the write after the cut (recovery drops it). */
  tornWrites: number;
  /** Offsets cut off replicas' logs by power losses (unsynced writes lost). */
  offsetsLost: number;
  pauses: number;
  /** Messages and timers held by pauses and delivered in the burst after. */
  heldMessages: number;
  storageFull: number;
  /** Nodes whose clock is skewed (offset or drift). */
  skewedNodes: number;
}

/** Skew every node's clock (SC = 0, SPUs 1..n) within the plan's bounds; before the cluster starts. */
export function skewClocks(nodes: NodeFaults, cfg: SimRunConfig, p: Prng): number {
  const { maxClockOffsetMs, maxClockDrift } = cfg.faults;
  if (maxClockOffsetMs === 0 && maxClockDrift === 0) return 0;
  for (let node = 0; node <= cfg.spus; node++) {
    nodes.setClock(node, { offsetMs: p.int(0, maxClockOffsetMs), drift: (p.next() * 2 - 1) * maxClockDrift });
  }
  return cfg.spus + 1;
}

export class FaultSchedule {
  /** Per SPU: when its storage was last filled / freed (the OutOfSpace checker's evidence). */
  readonly filledAt = new Map<number, number>();
  readonly freedAt = new Map<number, number>();
  /** What happened when (virtual ms), for a failure's report. */
  readonly timeline: string[] = [];
  /** SPUs the SC still listed online long after they stopped (checker `detection`). */
  readonly detection: Violation[] = [];
  private readonly probes = new Map<number, { spu: number; since: number; what: string }>();
  /** Per SPU: since when it is down or paused (one at a time), while it is. */
  private readonly stoppedAt = new Map<number, number>();
  private probeSeq = 1;
  private readonly chaos: Prng;
  private healed = false;
  private powerLossUntil = -1;
  private readonly heals: (() => void)[] = [];
  private readonly own = { partitions: 0, oneWayPartitions: 0, crashes: 0, powerLosses: 0, tornWrites: 0, offsetsLost: 0, pauses: 0, storageFull: 0 };

  constructor(
    private readonly sim: SimHost,
    private readonly cfg: SimRunConfig,
    private readonly net: NetworkFaults,
    private readonly journal: WriteJournal,
    private readonly skewed: number,
    /** Whether `spu` leads the partition alone in its in-sync set (ledger.ts). */
    private readonly soleInSync: (spu: number, topic: string, partition: number) => boolean = () => false,
  ) {
    this.chaos = new Prng((cfg.seed ^ 0x27d4eb2f) >>> 0);
    sim.registerClient(PROBE_CLIENT, (m) => this.probed(m));
  }

  /** After the detection bound, ask the SC whether `spu` (stopped at `since`) is offline. */
  private expectOffline(spu: number, what: string): void {
    const since = this.sim.now();
    this.stoppedAt.set(spu, since);
    const at = since + Math.ceil(this.cfg.spuTimeoutMs * DETECT_FACTOR) + DETECT_SLACK_MS;
    this.sim.at(at, () => {
      if (this.healed || this.stoppedAt.get(spu) !== since) return; // back meanwhile
      const reqId = this.probeSeq++;
      this.probes.set(reqId, { spu, since, what: `SPU ${spu} ${what} at ${since} is still online at ${at}` });
      const probe: AdminRequest = { type: 'AdminRequest', reqId, replyTo: PROBE_CLIENT, op: 'listSpus' };
      this.sim.inject(PROBE_CLIENT, SC_ID, probe);
    });
  }

  private probed(m: Message): void {
    const r = m as AdminReply;
    const probe = this.probes.get(r.reqId);
    if (!probe || m.type !== 'AdminReply') return;
    this.probes.delete(r.reqId);
    // Back before the SC answered (the probe travels too) — resumed, restarted, or revived by the
    // heal (sim seed 5492: the heal came 1 ms after the probe left): its being online then is right.
    if (this.healed || this.stoppedAt.get(probe.spu) !== probe.since) return;
    const s = (r.result as { id: number; status: string }[] | undefined)?.find((x) => x.id === probe.spu);
    if (s?.status === 'online') this.detection.push({ checker: 'detection', text: `${probe.what} (SPU timeout ${this.cfg.spuTimeoutMs} ms)` });
  }

  get counts(): FaultCounts {
    return { ...this.net.counts, ...this.own, heldMessages: this.sim.nodes.held, skewedNodes: this.skewed };
  }

  /** Draw and schedule phase one's faults, from now for `cfg.durationMs`. */
  start(): void {
    const f = this.cfg.faults;
    const t0 = this.sim.now();
    const p = this.chaos;
    const when = () => t0 + p.int(0, this.cfg.durationMs - 1);
    const spu = () => p.int(1, this.cfg.spus);
    const later = (at: number, fn: () => void) => this.sim.at(at, () => !this.healed && fn());
    for (let i = 0; i < f.partitions + f.oneWayPartitions; i++) {
      const oneWay = i >= f.partitions;
      const at = when();
      const a = p.int(0, this.cfg.spus);
      const others = Array.from({ length: this.cfg.spus + 1 }, (_, n) => n).filter((n) => n !== a && p.chance(0.5));
      if (others.length === 0) others.push(a === 0 ? 1 : 0);
      const ms = p.int(100, f.maxCutMs);
      later(at, () => this.cut(a, others, oneWay, ms));
    }
    for (let i = 0; i < f.crashes + f.powerLosses; i++) {
      const power = i >= f.crashes;
      const at = when();
      const target = spu();
      // A power loss is a reboot: it outlasts the SPU timeout (the SC sees the SPU go).
      const down = power ? this.cfg.spuTimeoutMs + p.int(500, 500 + f.maxDownMs) : p.int(100, f.maxDownMs);
      later(at, () => this.crash(target, down, power));
    }
    for (let i = 0; i < f.pauses; i++) {
      const at = when();
      const target = spu();
      const ms = p.int(this.cfg.spuTimeoutMs + 100, f.maxPauseMs);
      later(at, () => this.pause(target, ms));
    }
    for (let i = 0; i < f.storageFulls; i++) {
      const at = when();
      const target = spu();
      const ms = p.int(50, f.maxFullMs);
      later(at, () => this.fill(target, ms));
    }
  }

  private mark(what: string): void {
    this.sim.trace.addString(`${this.sim.now()}|${what}|`);
    this.timeline.push(`${this.sim.now()} ${what}`);
  }

  private cut(a: number, others: number[], oneWay: boolean, ms: number): void {
    const heal = this.net.cut(a, others, oneWay);
    this.heals.push(heal);
    if (oneWay) this.own.oneWayPartitions++;
    else this.own.partitions++;
    const what = `${a}${oneWay ? '>' : '<>'}${others.join(',')}`;
    this.mark(`cut ${what}`);
    this.sim.at(this.sim.now() + ms, () => {
      this.mark(`heal cut ${what}`);
      heal();
    });
  }

  private crash(spu: number, downMs: number, power: boolean): void {
    if (this.sim.isDown(spu) || this.sim.nodes.isPaused(spu)) return;
    if (power) {
      if (this.sim.now() < this.powerLossUntil) return;
      const topic = new Map(this.cfg.topics.map((t) => [t.name, t]));
      const unpromised = (l: { topic: string; partition: number; fsync: string }) => {
        const t = topic.get(l.topic);
        return l.fsync !== 'always' && (t?.replicationFactor === 1 || (t?.minInSyncReplicas === 1 && this.soleInSync(spu, l.topic, l.partition)));
      };
      if (this.journal.logsOf(spu).some(unpromised)) return;
    }
    this.sim.crashNow(spu);
    if (power) {
      const losses = this.journal.powerLoss(spu, this.chaos);
      this.own.powerLosses++;
      for (const l of losses) {
        this.own.offsetsLost += l.from - l.to;
        if (l.torn) this.own.tornWrites++;
      }
      this.powerLossUntil = this.sim.now() + downMs;
      const lost = losses.map((l) => `${l.topic}/${l.partition} ${l.from}→${l.to}${l.torn ? ' torn' : ''}`).join(', ');
      this.mark(`power loss spu ${spu}: ${lost || 'nothing unsynced'}`);
    } else {
      this.own.crashes++;
      this.mark(`crash spu ${spu}`);
    }
    this.expectOffline(spu, power ? 'lost power' : 'crashed');
    this.sim.at(this.sim.now() + downMs, () => {
      this.stoppedAt.delete(spu);
      if (!this.sim.isDown(spu)) return;
      this.mark(`restart spu ${spu}`);
      this.sim.restartNow(spu);
    });
  }

  private pause(spu: number, ms: number): void {
    const nodes = this.sim.nodes;
    if (this.sim.isDown(spu) || nodes.isPaused(spu)) return;
    nodes.pause(spu);
    this.own.pauses++;
    this.expectOffline(spu, 'paused');
    this.mark(`pause spu ${spu} for ${ms} ms`);
    this.sim.at(this.sim.now() + ms, () => {
      this.stoppedAt.delete(spu);
      if (!nodes.isPaused(spu)) return;
      this.mark(`resume spu ${spu}`);
      nodes.resume(spu);
    });
  }

  private fill(spu: number, ms: number): void {
    this.mark(`fill storage spu ${spu}`);
    this.sim.storageFault(spu, 'fillStorage');
    this.filledAt.set(spu, this.sim.now());
    this.own.storageFull++;
    this.sim.at(this.sim.now() + ms, () => this.free(spu));
  }

  private free(spu: number): void {
    this.sim.storageFault(spu, 'freeStorage');
    this.freedAt.set(spu, this.sim.now());
  }

  /** Phase two: no new faults; end every fault in effect. */
  heal(): void {
    this.healed = true;
    this.net.healed = true;
    this.net.healAll();
    for (const h of this.heals) h();
    for (let spu = 1; spu <= this.cfg.spus; spu++) {
      if (this.sim.nodes.isPaused(spu)) this.sim.nodes.resume(spu);
      this.sim.restartNow(spu);
      this.free(spu);
    }
    this.mark('heal');
  }
}
