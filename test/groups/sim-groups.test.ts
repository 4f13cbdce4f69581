/**
 * Simulation seeds with a consumer-group workload (src/testing/group-workload.ts): embedded group
 * members crash, leave and join, SPUs crash and restart, the network delays, duplicates and
 * reorders — and the group checker finds no committed-before record lost and the group caught up
 * after healing. The same seed replays the same trace; a planted coordinator bug (OffsetFetch
 * answers one past the commit) is found, and its seed replays the same failure.
 */
import { describe, it, expect } from 'vitest';
import { runGroupSeed } from '../../src/testing/group-workload.js';
import { checkGroupDelivery } from '../../src/testing/group-checker.js';

const SEEDS = Array.from({ length: 16 }, (_, i) => i + 1);

describe('group workloads on the simulator', () => {
  it.each(SEEDS)('seed %i: no committed-before record is lost, the group catches up', async (seed) => {
    const r = await runGroupSeed(seed);
    expect(r.problems, `${r.replay}: ${r.events.join('; ')}`).toEqual([]);
    expect(r.ok).toBe(true);
    expect(r.delivered).toBe(r.config.rounds * r.config.recordsPerRound);
  });

  it('replays: the same seed gives the same trace hash and the same events', async () => {
    const [a, b] = [await runGroupSeed(6), await runGroupSeed(6)];
    expect(a.traceHash).toBe(b.traceHash);
    expect(a.events).toEqual(b.events);
    expect(a.events.some((e) => e.includes('crashes'))).toBe(true);
  });

  it('bites: a planted OffsetFetch off-by-one loses records after rebalances, and its seed replays the failure', async () => {
    const r = await runGroupSeed(3, { plant: 'offset-fetch-plus-one' });
    expect(r.ok).toBe(false);
    expect(r.problems.some((p) => p.startsWith('[group-lost]'))).toBe(true);
    expect(r.replay).toBe("runGroupSeed(3, { plant: 'offset-fetch-plus-one' })");
    const again = await runGroupSeed(3, { plant: 'offset-fetch-plus-one' });
    expect(again.problems).toEqual(r.problems);
    expect(again.traceHash).toBe(r.traceHash);
  });

  it('checker: lost, ahead and stalled partitions are named', () => {
    const problems = checkGroupDelivery('t', {
      delivered: new Map([[0, new Set([0, 1, 3])], [1, new Set([0])]]),
      committed: new Map([[0, 4], [1, 5], [2, 1]]),
      hw: new Map([[0, 4], [1, 3], [2, 2]]),
    });
    expect(problems).toEqual([
      '[group-lost] t/0: offsets 2 are below the committed offset 4 but no member processed them',
      '[group-lost] t/1: offsets 1, 2 are below the committed offset 5 but no member processed them',
      '[group-lost] t/2: offsets 0 are below the committed offset 1 but no member processed them',
      '[group-ahead] t/1: committed offset 5 is past the high watermark 3',
      '[group-stalled] t/2: the group committed 1 of 2 records after healing',
    ]);
  });
});
