/**
 * Many simulation seeds at once: each seed is a pure function of its number (stateless CPU work),
 * so seeds run in parallel on a piscina pool, one thread per core by default. Results come back in
 * seed order; `onResult` sees each as it finishes (for progress and early failure lines).
 */
import os from 'node:os';
import { Piscina } from 'piscina';
import { compiledSibling } from '../runtime/compiled-path.js';
import type { SimRunResult } from './sim-runner.js';

export interface SeedPoolOptions {
  from: number;
  count: number;
  /** Worker threads, default one per core. */
  threads?: number;
  onResult?: (r: SimRunResult) => void;
}

export async function runSeeds(o: SeedPoolOptions): Promise<SimRunResult[]> {
  const pool = new Piscina({
    filename: compiledSibling(import.meta.url, 'sim-worker.js'),
    maxThreads: o.threads ?? Math.max(1, os.availableParallelism()),
    minThreads: 1,
  });
  try {
    const seeds = Array.from({ length: o.count }, (_, i) => o.from + i);
    return await Promise.all(
      seeds.map(async (seed) => {
        const r = (await pool.run({ seed })) as SimRunResult;
        o.onResult?.(r);
        return r;
      }),
    );
  } finally {
    await pool.destroy();
  }
}
