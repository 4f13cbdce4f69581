/**
 * `rivulet sim --seed S` replays one seed in this process; `rivulet sim --seeds N [--from S]` runs
 * N seeds on a piscina pool (one thread per core). Prints a line per seed, and for a failure its
 * config, problems and replay command. Exit 1 when any seed failed.
 */
import { describeRun, runSeed, runSeeds, type SimRunResult } from '../index.js';

export interface SimCommandOptions {
  seed?: number;
  seeds?: number;
  from: number;
  threads?: number;
  json: boolean;
}

export async function simCommand(o: SimCommandOptions, out: (line: string) => void): Promise<number> {
  let results: SimRunResult[];
  const started = Date.now();
  if (o.seed !== undefined) {
    results = [await runSeed(o.seed)];
    if (!o.json) out(describeRun(results[0]!));
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
  const failed = results.filter((r) => !r.ok);
  if (o.json) out(JSON.stringify({ results, failed: failed.map((r) => r.seed) }, null, 2));
  else if (o.seed === undefined) {
    out(`${results.length} seeds from ${o.from}: ${results.length - failed.length} passed, ${failed.length} failed (${((Date.now() - started) / 1000).toFixed(1)} s)`);
    for (const r of failed) out(`  replay: ${r.replay}`);
  }
  return failed.length === 0 ? 0 : 1;
}
