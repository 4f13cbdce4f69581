/**
 * `rivulet sim --seed S` replays one seed in this process; `rivulet sim --seeds N [--from S]` runs
 * N seeds on a piscina pool (one thread per core). Text: a line per failing seed (its config,
 * problems, fault timeline and replay command), then totals — seeds passed and failed, faults by
 * kind, time and seeds/s. `-O json`: every
 * seed's result (fault counts by kind included) and the same totals. Exit 1 when any seed failed.
 */
import { describeRun, runSeed, runSeeds, type SimRunResult } from '../index.js';

export interface SimCommandOptions {
  seed?: number;
  seeds?: number;
  from: number;
  threads?: number;
  json: boolean;
}

type FaultCounts = SimRunResult['faults'];

export interface SimTotals {
  seeds: number;
  passed: number;
  failed: number;
  /** The seeds that failed. */
  failedSeeds: number[];
  faults: FaultCounts;
  acked: number;
  virtualSeconds: number;
  seconds: number;
  seedsPerSecond: number;
}

export function simTotals(results: SimRunResult[], seconds: number): SimTotals {
  const faults: Partial<FaultCounts> = {};
  for (const r of results) {
    for (const [k, v] of Object.entries(r.faults) as [keyof FaultCounts, number][]) faults[k] = (faults[k] ?? 0) + v;
  }
  const failed = results.filter((r) => !r.ok);
  return {
    seeds: results.length,
    passed: results.length - failed.length,
    failed: failed.length,
    failedSeeds: failed.map((r) => r.seed),
    faults: faults as FaultCounts,
    acked: results.reduce((n, r) => n + r.workload.acked, 0),
    virtualSeconds: Math.round(results.reduce((n, r) => n + r.virtualMs, 0) / 1000),
    seconds: Number(seconds.toFixed(1)),
    seedsPerSecond: Number((results.length / Math.max(seconds, 1e-3)).toFixed(1)),
  };
}

const faultLine = (f: FaultCounts) => Object.entries(f).map(([k, v]) => `${k} ${v}`).join(', ');

export async function simCommand(o: SimCommandOptions, out: (line: string) => void): Promise<number> {
  let results: SimRunResult[];
  const started = performance.now();
  if (o.seed !== undefined) {
    results = [await runSeed(o.seed)];
    if (!o.json) {
      out(describeRun(results[0]!));
      out(`  faults: ${faultLine(results[0]!.faults)}`);
    }
  } else {
    results = await runSeeds({
      from: o.from,
      count: o.seeds ?? 100,
      ...(o.threads !== undefined ? { threads: o.threads } : {}),
      onResult: (r) => {
        if (!o.json && !r.ok) out(describeRun(r));
      },
    });
  }
  const totals = simTotals(results, (performance.now() - started) / 1000);
  if (o.json) out(JSON.stringify({ results, failed: totals.failedSeeds, totals }, null, 2));
  else if (o.seed === undefined) {
    out(`${totals.seeds} seeds from ${o.from}: ${totals.passed} passed, ${totals.failed} failed in ${totals.seconds} s (${totals.seedsPerSecond} seeds/s, ${totals.virtualSeconds} s virtual, ${totals.acked} records acknowledged)`);
    out(`faults: ${faultLine(totals.faults)}`);
    for (const r of results.filter((x) => !x.ok)) out(`  replay: ${r.replay}`);
  }
  return results.every((r) => r.ok) ? 0 : 1;
}
