/**
 * CI's simulation seeds: a fixed set of 100 seeds must pass every checker, and a seed run twice
 * must give the same trace hash. A failure prints the seed, its config, the problems and the
 * one-line replay command.
 */
import { describe, it, expect } from 'vitest';
import { describeRun, runSeed } from '../../src/testing/sim-runner.js';

const FIXED_SEEDS = Array.from({ length: 100 }, (_, i) => 1 + i);

describe('simulation seeds', () => {
  it('100 fixed seeds pass every invariant', async () => {
    const failures: string[] = [];
    for (const seed of FIXED_SEEDS) {
      const r = await runSeed(seed);
      if (!r.ok) failures.push(describeRun(r));
    }
    if (failures.length > 0) console.error(failures.join('\n'));
    expect(failures).toEqual([]);
  });

  it('the same seed gives the same trace twice (and a different seed another)', async () => {
    for (const seed of [7, 12]) {
      const a = await runSeed(seed);
      const b = await runSeed(seed);
      if (a.traceHash !== b.traceHash) console.error(`seed ${seed} is not deterministic; replay: ${a.replay}`);
      expect(b.traceHash).toBe(a.traceHash);
      expect(b.events).toBe(a.events);
      expect(b.virtualMs).toBe(a.virtualMs);
    }
    expect((await runSeed(7)).traceHash).not.toBe((await runSeed(12)).traceHash);
  });
});
