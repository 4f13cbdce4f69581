/**
 * Network faults drawn from the seed (DESIGN §9): per message, with probabilities fixed by the
 * run's config, loss, an extra delay, a duplicate, or delivery out of per-link order; and link
 * cuts between nodes — symmetric partitions (neither way) and one-way ones (A→B dropped, B→A
 * delivered) — that the run's fault schedule opens and heals. Phase two of a run heals the network
 * (`healed = true`): every message then travels normally.
 *
 * Loss and cuts apply between actors on different nodes (SC = node 0, SPU n = node n); a client's
 * link is a reliable connection (its requests have timeouts and retries of their own, admin calls
 * do not), and messages inside one SPU never cross a network.
 *
 * The model also carries the run's node faults (clock skew, pauses, write journal: node-faults.ts)
 * to the sim host: the facade passes a simulation's `network` model through unchanged, and the sim
 * host takes `model.nodeFaults` when there is one.
 */
import { nodeOf } from '../runtime/link-cuts.js';
import type { ActorId, Message } from '../runtime/actor.js';
import type { LinkFate, NetworkFaultModel } from './sim-host.js';
import type { Prng, SeededRandom } from './prng.js';
import type { NodeFaults } from './node-faults.js';

export interface NetworkFaultConfig {
  delayChance: number;
  maxDelayMs: number;
  duplicateChance: number;
  reorderChance: number;
  lossChance: number;
}

export function drawNetworkFaults(prng: Prng): NetworkFaultConfig {
  return {
    delayChance: prng.int(0, 20) / 100,
    maxDelayMs: prng.int(1, 50),
    duplicateChance: prng.int(0, 5) / 100,
    reorderChance: prng.int(0, 5) / 100,
    lossChance: prng.int(0, 5) / 100,
  };
}

/** Counts of what the network did, by kind. */
export interface NetworkFaultCounts {
  delayed: number;
  duplicated: number;
  reordered: number;
  lost: number;
  /** Messages dropped by a link cut (partition). */
  cutOff: number;
}

/** The model handed to the sim host: a NetworkFaultModel that may carry node faults along. */
export type CarryingModel = NetworkFaultModel & { nodeFaults?: NodeFaults };

export class NetworkFaults {
  healed = false;
  counts: NetworkFaultCounts = { delayed: 0, duplicated: 0, reordered: 0, lost: 0, cutOff: 0 };
  /** Directed cuts 'a>b' (node ids) → how many open partitions cut that direction. */
  private readonly cuts = new Map<string, number>();

  constructor(private readonly cfg: NetworkFaultConfig, nodeFaults?: NodeFaults) {
    if (nodeFaults) this.model.nodeFaults = nodeFaults;
  }

  /**
   * Cut the links from `a` to each of `others` (and back, unless `oneWay`). Returns the heal
   * function; overlapping cuts of one link stack (the link heals when every cut over it healed).
   */
  cut(a: number, others: number[], oneWay: boolean): () => void {
    const keys = others.flatMap((b) => (oneWay ? [`${a}>${b}`] : [`${a}>${b}`, `${b}>${a}`]));
    for (const k of keys) this.cuts.set(k, (this.cuts.get(k) ?? 0) + 1);
    let healed = false;
    return () => {
      if (healed) return;
      healed = true;
      for (const k of keys) {
        const n = (this.cuts.get(k) ?? 1) - 1;
        if (n <= 0) this.cuts.delete(k);
        else this.cuts.set(k, n);
      }
    };
  }

  /** Heal every cut (phase two). */
  healAll(): void {
    this.cuts.clear();
  }

  readonly model: CarryingModel = (from: ActorId, to: ActorId, _msg: Message, prng: SeededRandom): LinkFate => {
    if (this.healed) return {};
    const a = nodeOf(from);
    const b = nodeOf(to);
    if (a === b) return {}; // inside one SPU: no network
    const fate: LinkFate = {};
    if (a >= 0 && b >= 0) {
      if (this.cuts.size > 0 && this.cuts.has(`${a}>${b}`)) {
        this.counts.cutOff++;
        return { drop: true };
      }
      if (prng.chance(this.cfg.lossChance)) {
        this.counts.lost++;
        return { drop: true };
      }
    }
    if (prng.chance(this.cfg.delayChance)) {
      fate.extraDelayMs = prng.int(1, this.cfg.maxDelayMs);
      this.counts.delayed++;
    }
    if (prng.chance(this.cfg.duplicateChance)) {
      fate.duplicate = true;
      this.counts.duplicated++;
    }
    if (prng.chance(this.cfg.reorderChance)) {
      fate.reorder = true;
      this.counts.reordered++;
    }
    return fate;
  };
}
