/**
 * Network faults drawn from the seed (DESIGN §9): per message, with probabilities fixed by the
 * run's config, an extra delay, a duplicate, or delivery out of per-link order. Phase two of a
 * run heals the network (`healed = true`): every message then travels normally.
 *
 * Loss applies between actors on different nodes (SC, SPUs); a client's link is a reliable
 * connection (its requests have timeouts and retries of their own, admin calls do not), and
 * messages inside one SPU never cross a network.
 */
import { nodeOf } from '../runtime/link-cuts.js';
import type { ActorId, Message } from '../runtime/actor.js';
import type { LinkFate, NetworkFaultModel } from './sim-host.js';
import type { Prng, SeededRandom } from './prng.js';

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

export class NetworkFaults {
  healed = false;
  counts = { delayed: 0, duplicated: 0, reordered: 0, lost: 0 };

  constructor(private readonly cfg: NetworkFaultConfig) {}

  readonly model: NetworkFaultModel = (from: ActorId, to: ActorId, _msg: Message, prng: SeededRandom): LinkFate => {
    if (this.healed) return {};
    const a = nodeOf(from);
    const b = nodeOf(to);
    if (a === b) return {}; // inside one SPU: no network
    const fate: LinkFate = {};
    if (a >= 0 && b >= 0 && prng.chance(this.cfg.lossChance)) {
      this.counts.lost++;
      return { drop: true };
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
