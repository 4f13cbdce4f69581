/**
 * Seeded PRNG for the simulator (xoroshiro128+ from pure-rand). One instance per simulation;
 * every random choice (latency, faults, config) is drawn from it in event order, so the same
 * seed replays the same run.
 */
import { xoroshiro128plus } from 'pure-rand/generator/xoroshiro128plus';
import { uniformFloat64 } from 'pure-rand/distribution/uniformFloat64';

export class Prng {
  private readonly rng;
  constructor(readonly seed: number) {
    this.rng = xoroshiro128plus(seed);
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
