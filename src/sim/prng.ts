/**
 * Seeded PRNG for the simulator (xoroshiro128+ from pure-rand). One instance per simulation;
 * every random choice (latency, faults, config) is drawn from it in event order, so the same
 * seed replays the same run.
 */
import { xoroshiro128plus } from 'pure-rand/generator/xoroshiro128plus';
import { uniformFloat64 } from 'pure-rand/distribution/uniformFloat64';

/** What a fault model draws from (structural, so that users' models need not import Prng). */
export interface SeededRandom {
  /** Uniform in [0, 1). */
  next(): number;
  /** Uniform integer in [lo, hi]. */
  int(lo: number, hi: number): number;
  chance(p: number): boolean;
}

export class Prng implements SeededRandom {
  private readonly rng;
  constructor(readonly seed: number) {
    // Neighbouring seeds must not give neighbouring streams: scramble the seed (murmur3's fmix32)
    // and drop the generator's first outputs, which mix a small seed poorly.
    this.rng = xoroshiro128plus(fmix32(seed));
    for (let i = 0; i < 8; i++) this.rng.next();
  }
  /** Uniform in [0, 1). */
  next(): number {
    return uniformFloat64(this.rng);
  }
  /** Uniform integer in [lo, hi]. */
  int(lo: number, hi: number): number {
    return lo + Math.floor(this.next() * (hi - lo + 1));
  }
  chance(p: number): boolean {
    return this.next() < p;
  }
}

function fmix32(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}
