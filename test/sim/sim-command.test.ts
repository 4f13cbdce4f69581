/**
 * `rivulet sim` output: -O json carries each seed's fault counts by kind and the totals (faults by
 * kind summed, seeds passed/failed and which, time, seeds/s); the text summary prints
 * the totals, seeds/s and time. Runs the command function in-process (--seeds uses the worker pool
 * on dist/, as the CLI does).
 */
import { describe, it, expect } from 'vitest';
import { simCommand, simTotals } from '../../src/cli/sim-command.js';
import { runSeed, type SimRunResult } from '../../src/testing/sim-runner.js';

const KINDS = ['delayed', 'duplicated', 'reordered', 'lost', 'cutOff', 'partitions', 'oneWayPartitions', 'crashes', 'powerLosses', 'tornWrites', 'offsetsLost', 'pauses', 'heldMessages', 'storageFull', 'skewedNodes'];

describe('rivulet sim output', () => {
  it('-O json: fault counts by kind per seed and in the totals', async () => {
    const lines: string[] = [];
    const code = await simCommand({ seeds: 4, from: 1, threads: 2, json: true }, (l) => lines.push(l));
    const doc = JSON.parse(lines.join('\n')) as { results: SimRunResult[]; failed: number[]; totals: ReturnType<typeof simTotals> };
    expect(doc.results.map((r) => r.seed)).toEqual([1, 2, 3, 4]);
    for (const r of doc.results) expect(Object.keys(r.faults).sort()).toEqual([...KINDS].sort());
    for (const k of KINDS) {
      expect(doc.totals.faults[k as keyof SimRunResult['faults']]).toBe(doc.results.reduce((n, r) => n + r.faults[k as keyof SimRunResult['faults']], 0));
    }
    expect(doc.totals).toMatchObject({ seeds: 4, passed: 4 - doc.failed.length, failed: doc.failed.length });
    expect(doc.totals.seconds).toBeGreaterThan(0);
    expect(doc.totals.seedsPerSecond).toBeGreaterThan(0);
    expect(code).toBe(doc.failed.length === 0 ? 0 : 1);
  }, 120_000);

  it('text: one summary line with time and seeds/s, then faults by kind', async () => {
    const lines: string[] = [];
    await simCommand({ seeds: 3, from: 300, threads: 1, json: false }, (l) => lines.push(l));
    const summary = lines.find((l) => l.startsWith('3 seeds from 300: '))!;
    expect(summary).toMatch(/^3 seeds from 300: \d+ passed, \d+ failed.* in [\d.]+ s \([\d.]+ seeds\/s, \d+ s virtual, \d+ records acknowledged\)$/);
    const faults = lines.find((l) => l.startsWith('faults: '))!;
    for (const k of KINDS) expect(faults).toMatch(new RegExp(`\\b${k} \\d+`));
  }, 120_000);

  it('totals count failures and name the failed seeds', async () => {
    const ok = await runSeed(1);
    const bad1: SimRunResult = { ...ok, seed: 91, ok: false, failure: { kind: 'correctness', messages: ['x'], timeline: [] } };
    const bad: SimRunResult = { ...ok, seed: 92, ok: false, failure: { kind: 'liveness', messages: ['y'], timeline: [] } };
    const t = simTotals([ok, bad1, bad], 2);
    expect(t).toMatchObject({ seeds: 3, passed: 1, failed: 2, failedSeeds: [91, 92], seedsPerSecond: 1.5 });
    expect(t.faults.delayed).toBe(ok.faults.delayed * 3);
  });
});
